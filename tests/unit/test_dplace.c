// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for Data-Out placement (src/proto/dataplace.c): PDUs in
 * order, out of order, lost, repeated, overlapping, out of range, and a
 * scattered sequence that exhausts the extents.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <ktgt/proto/dataplace.h>

static void hole_is(const struct ktgt_dplace *d, u32 off, u32 len)
{
	u32 o = 0, l = 0;

	assert_int_equal(ktgt_dplace_hole(d, &o, &l), 0);
	assert_int_equal(o, off);
	assert_int_equal(l, len);
}

/* In order: one extent all along, complete at the end. */
static void test_in_order(void **state)
{
	struct ktgt_dplace d;
	u32 off;

	ktgt_dplace_init(&d, 16384, 32768);
	hole_is(&d, 16384, 16384);
	for (off = 16384; off < 32768; off += 4096) {
		assert_false(ktgt_dplace_complete(&d));
		assert_int_equal(ktgt_dplace_add(&d, off, 4096), 0);
		assert_int_equal(d.n, 1);
	}
	assert_true(ktgt_dplace_complete(&d));
	assert_int_equal(ktgt_dplace_hole(&d, &off, &off), -ENOENT);
}

/* Reverse order and a middle PDU last: extents merge on both sides. */
static void test_out_of_order(void **state)
{
	struct ktgt_dplace d;

	ktgt_dplace_init(&d, 0, 16);
	assert_int_equal(ktgt_dplace_add(&d, 12, 4), 0);
	hole_is(&d, 0, 12);
	assert_int_equal(ktgt_dplace_add(&d, 0, 4), 0);
	assert_int_equal(d.n, 2);
	hole_is(&d, 4, 8);
	assert_int_equal(ktgt_dplace_add(&d, 8, 4), 0);
	assert_int_equal(d.n, 2);
	hole_is(&d, 4, 4);
	assert_int_equal(ktgt_dplace_add(&d, 4, 4), 0);
	assert_int_equal(d.n, 1);
	assert_true(ktgt_dplace_complete(&d));
}

/* A lost PDU leaves exactly its range as the hole. */
static void test_lost_pdu(void **state)
{
	struct ktgt_dplace d;

	ktgt_dplace_init(&d, 0, 4 * 4096);
	assert_int_equal(ktgt_dplace_add(&d, 0, 4096), 0);
	assert_int_equal(ktgt_dplace_add(&d, 8192, 4096), 0);
	assert_int_equal(ktgt_dplace_add(&d, 12288, 4096), 0);
	assert_false(ktgt_dplace_complete(&d));
	hole_is(&d, 4096, 4096);
	/* The range asked again fills it. */
	assert_int_equal(ktgt_dplace_add(&d, 4096, 4096), 0);
	assert_true(ktgt_dplace_complete(&d));
}

/* Every byte exactly once: repeats and partial overlaps are refused. */
static void test_overlap(void **state)
{
	struct ktgt_dplace d;

	ktgt_dplace_init(&d, 0, 100);
	assert_int_equal(ktgt_dplace_add(&d, 10, 10), 0);
	assert_int_equal(ktgt_dplace_add(&d, 30, 10), 0);
	assert_int_equal(ktgt_dplace_add(&d, 10, 10), -EEXIST);
	assert_int_equal(ktgt_dplace_add(&d, 5, 6), -EEXIST);
	assert_int_equal(ktgt_dplace_add(&d, 19, 2), -EEXIST);
	/* Spans a hole and the next extent. */
	assert_int_equal(ktgt_dplace_add(&d, 20, 11), -EEXIST);
	/* Covers a whole extent. */
	assert_int_equal(ktgt_dplace_add(&d, 0, 50), -EEXIST);
	/* Touches on the left, overlaps on the right. */
	assert_int_equal(ktgt_dplace_add(&d, 20, 15), -EEXIST);
	/* Nothing was recorded by the refusals. */
	assert_int_equal(d.bytes, 20);
	assert_int_equal(d.n, 2);
	/* The hole between fits exactly. */
	assert_int_equal(ktgt_dplace_add(&d, 20, 10), 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.bytes, 30);
}

static void test_range(void **state)
{
	struct ktgt_dplace d;

	ktgt_dplace_init(&d, 4096, 8192);
	assert_int_equal(ktgt_dplace_add(&d, 0, 512), -ERANGE);
	assert_int_equal(ktgt_dplace_add(&d, 4000, 512), -ERANGE);
	assert_int_equal(ktgt_dplace_add(&d, 8000, 512), -ERANGE);
	assert_int_equal(ktgt_dplace_add(&d, 8192, 1), -ERANGE);
	assert_int_equal(ktgt_dplace_add(&d, 0xfffffff0u, 0x20), -ERANGE);
	assert_int_equal(ktgt_dplace_add(&d, 4096, 0), -EINVAL);
	assert_int_equal(ktgt_dplace_add(&d, 4096, 4096), 0);
	assert_true(ktgt_dplace_complete(&d));
	/* An empty or inverted sequence is complete and takes nothing. */
	ktgt_dplace_init(&d, 10, 5);
	assert_true(ktgt_dplace_complete(&d));
	assert_int_equal(ktgt_dplace_add(&d, 10, 1), -ERANGE);
}

/* Every other PDU first: the extents run out, then recover by merging. */
static void test_scattered(void **state)
{
	struct ktgt_dplace d;
	u32 i;

	ktgt_dplace_init(&d, 0, 64);
	for (i = 0; i < KTGT_DPLACE_MAX; i++)
		assert_int_equal(ktgt_dplace_add(&d, 1 + 4 * i, 1), 0);
	assert_int_equal(d.n, KTGT_DPLACE_MAX);
	/* A new isolated extent does not fit; nothing changes. */
	assert_int_equal(ktgt_dplace_check(&d, 60, 1), -ENOSPC);
	assert_int_equal(ktgt_dplace_add(&d, 60, 1), -ENOSPC);
	assert_int_equal(ktgt_dplace_check(&d, 2, 3), 0);
	assert_int_equal(d.bytes, KTGT_DPLACE_MAX);
	/* One that merges does. */
	assert_int_equal(ktgt_dplace_add(&d, 2, 3), 0);
	assert_int_equal(d.n, KTGT_DPLACE_MAX - 1);
	hole_is(&d, 0, 1);
}

/* Random PDUs of a random sequence against a byte map. */
static void test_random(void **state)
{
	u8 map[512];
	struct ktgt_dplace d;
	u32 round, k, off, len, i, holes, bytes, o, l;
	bool clash;
	int ret;

	srand(7);
	for (round = 0; round < 2000; round++) {
		ktgt_dplace_init(&d, 0, sizeof(map));
		memset(map, 0, sizeof(map));
		for (k = 0; k < 64; k++) {
			off = rand() % sizeof(map);
			len = 1 + rand() % 64;
			if (off + len > sizeof(map))
				len = sizeof(map) - off;
			clash = false;
			for (i = off; i < off + len; i++)
				clash |= map[i];
			ret = ktgt_dplace_add(&d, off, len);
			if (clash) {
				assert_int_equal(ret, -EEXIST);
				continue;
			}
			if (ret == -ENOSPC) {
				assert_int_equal(d.n, KTGT_DPLACE_MAX);
				continue;
			}
			assert_int_equal(ret, 0);
			memset(map + off, 1, len);
		}
		for (i = 0, holes = 0, bytes = 0; i < sizeof(map); i++) {
			bytes += map[i];
			holes += !map[i] && (i == 0 || map[i - 1]);
		}
		assert_int_equal(d.bytes, bytes);
		assert_int_equal(ktgt_dplace_complete(&d), bytes == sizeof(map));
		if (bytes == sizeof(map))
			continue;
		assert_int_equal(ktgt_dplace_hole(&d, &o, &l), 0);
		for (i = 0; map[i]; i++)
			;
		assert_int_equal(o, i);
		for (; i < sizeof(map) && !map[i]; i++)
			;
		assert_int_equal(l, i - o);
		assert_true(holes >= 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_lost_pdu),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_scattered),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
