// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for src/proto/iser.c, the iSER Hello exchange.
 *
 * Input: a received message (an exactly-sized copy, so ASan sees any
 * over-read); its last two bytes, when there are some, are our ORD. A
 * decoded Hello is answered and the HelloReply encoded; the answer must
 * accept exactly when our version is in the Hello's range, never with an
 * ORD above the Hello's IRD or ours, and the encoding must carry it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ktgt/proto/iser.h>

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ktgt_iser_hello_reply r;
	struct ktgt_iser_hello h;
	u8 out[KTGT_ISER_HELLOREPLY_LEN];
	u16 ord = size >= 2 ? (u16)(data[size - 2] << 8 | data[size - 1]) : 0;
	bool in_range;
	u8 *buf;

	if (size > 4096)
		return 0;
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (ktgt_iser_hello_decode(buf, size, &h)) {
		CHECK(size < KTGT_ISER_HELLO_MIN_LEN ||
		      (buf[0] & KTGT_ISER_OP_MASK) != KTGT_ISER_OP_HELLO);
		free(buf);
		return 0;
	}
	free(buf);
	CHECK(h.max_ver <= 15 && h.min_ver <= 15);
	ktgt_iser_hello_answer(&h, ord, &r);
	in_range = h.min_ver <= KTGT_ISER_VERSION &&
		   KTGT_ISER_VERSION <= h.max_ver;
	CHECK(r.reject == !in_range);
	CHECK(r.max_ver == KTGT_ISER_VERSION);
	CHECK(r.reject || (r.ord <= h.ird && r.ord <= ord));
	ktgt_iser_helloreply_encode(&r, out);
	CHECK((out[0] & KTGT_ISER_OP_MASK) == KTGT_ISER_OP_HELLOREPLY);
	CHECK(!!(out[0] & KTGT_ISER_HELLO_REJECT) == r.reject);
	CHECK(out[1] == (KTGT_ISER_VERSION << 4 | r.cur_ver));
	CHECK((u16)(out[2] << 8 | out[3]) == r.ord);
	return 0;
}
