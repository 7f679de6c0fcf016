// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for Data-Out placement (src/proto/dataplace.c).
 *
 * Input: the sequence's start and length (two bytes each, small so that
 * PDUs hit it), then PDUs of four bytes each (offset, length). After
 * every step the set is checked against a byte map: a PDU is accepted
 * exactly when it is in range, non-empty, touches no placed byte and
 * fits the extents; the count of placed bytes, completeness and the
 * first hole agree with the map; extents stay sorted, disjoint and
 * non-adjacent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ktgt/proto/dataplace.h>

#define CHECK(c)	do { if (!(c)) abort(); } while (0)
#define SPAN		1024

static u8 map[2 * SPAN];

static void check(const struct ktgt_dplace *d)
{
	u32 i, bytes = 0, o, l;

	CHECK(d->n <= KTGT_DPLACE_MAX);
	for (i = 0; i < d->n; i++) {
		CHECK(d->ext[i].off < d->ext[i].end);
		CHECK(d->ext[i].off >= d->start && d->ext[i].end <= d->end);
		if (i)
			CHECK(d->ext[i - 1].end < d->ext[i].off);
	}
	for (i = d->start; i < d->end; i++)
		bytes += map[i];
	CHECK(d->bytes == bytes);
	CHECK(ktgt_dplace_complete(d) == (bytes == d->end - d->start));
	if (ktgt_dplace_hole(d, &o, &l)) {
		CHECK(bytes == d->end - d->start);
		return;
	}
	for (i = d->start; map[i]; i++)
		;
	CHECK(o == i);
	for (; i < d->end && !map[i]; i++)
		;
	CHECK(l == i - o && l > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ktgt_dplace d;
	u32 start, end, off, len, i;
	bool clash, in;
	int ret;

	if (size < 4)
		return 0;
	start = (data[0] | data[1] << 8) % SPAN;
	end = start + (data[2] | data[3] << 8) % SPAN;
	ktgt_dplace_init(&d, start, end);
	memset(map, 0, sizeof(map));
	for (data += 4, size -= 4; size >= 4; data += 4, size -= 4) {
		off = (data[0] | data[1] << 8) % (2 * SPAN);
		len = data[2] | data[3] << 8;
		if (data[3] == 0xff)	/* also offsets and lengths that wrap */
			len |= 0xffff0000u;
		ret = ktgt_dplace_check(&d, off, len);
		CHECK(ret == ktgt_dplace_add(&d, off, len));
		in = len && off >= start && off <= end && len <= end - off;
		if (!len) {
			CHECK(ret == -EINVAL);
		} else if (!in) {
			CHECK(ret == -ERANGE);
		} else {
			clash = false;
			for (i = off; i < off + len; i++)
				clash |= map[i];
			if (clash) {
				CHECK(ret == -EEXIST);
			} else if (ret == -ENOSPC) {
				CHECK(d.n == KTGT_DPLACE_MAX);
			} else {
				CHECK(ret == 0);
				memset(map + off, 1, len);
			}
		}
		check(&d);
	}
	return 0;
}
