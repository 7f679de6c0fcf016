// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for RFC 1982 serial number arithmetic (src/proto/serial.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ktgt/proto/serial.h>

static void test_simple(void **state)
{
	assert_true(ktgt_sn_lt(1, 2));
	assert_false(ktgt_sn_lt(2, 1));
	assert_true(ktgt_sn_gt(2, 1));
	assert_false(ktgt_sn_gt(1, 2));
	assert_true(ktgt_sn_le(1, 2));
	assert_true(ktgt_sn_ge(2, 1));
	assert_false(ktgt_sn_le(2, 1));
	assert_false(ktgt_sn_ge(1, 2));
}

static void test_equal(void **state)
{
	static const u32 v[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		assert_false(ktgt_sn_lt(v[i], v[i]));
		assert_false(ktgt_sn_gt(v[i], v[i]));
		assert_true(ktgt_sn_le(v[i], v[i]));
		assert_true(ktgt_sn_ge(v[i], v[i]));
	}
}

/* RFC 1982 3.2: i1 < i2 if (i1 < i2 and i2 - i1 < 2^31) or
 * (i1 > i2 and i1 - i2 > 2^31).
 */
static void test_wraparound(void **state)
{
	assert_true(ktgt_sn_lt(0xffffffff, 0));
	assert_true(ktgt_sn_gt(0, 0xffffffff));
	assert_false(ktgt_sn_lt(0, 0xffffffff));
	assert_true(ktgt_sn_lt(0xfffffff0, 0x10));
	assert_true(ktgt_sn_gt(0x10, 0xfffffff0));
	assert_true(ktgt_sn_le(0xffffffff, 1));
	assert_true(ktgt_sn_ge(1, 0xffffffff));
	/* adding 1 always gives a later number */
	assert_true(ktgt_sn_gt(0x7fffffff + 1u, 0x7fffffff));
	assert_true(ktgt_sn_gt(0xffffffff + 1u, 0xffffffff));
}

static void test_half_range(void **state)
{
	/* 2^31 - 1 apart: still ordered */
	assert_true(ktgt_sn_lt(0, 0x7fffffff));
	assert_true(ktgt_sn_gt(0x7fffffff, 0));
	assert_true(ktgt_sn_lt(0x80000001, 0));
	assert_true(ktgt_sn_lt(0xffffffff, 0x7ffffffe));
	assert_false(ktgt_sn_lt(0x7ffffffe, 0xffffffff));

	/* exactly 2^31 apart: undefined, neither order holds */
	assert_false(ktgt_sn_lt(0, 0x80000000));
	assert_false(ktgt_sn_gt(0, 0x80000000));
	assert_false(ktgt_sn_lt(0x80000000, 0));
	assert_false(ktgt_sn_gt(0x80000000, 0));
	assert_false(ktgt_sn_le(0, 0x80000000));
	assert_false(ktgt_sn_ge(0, 0x80000000));
	assert_false(ktgt_sn_lt(0x12345678, 0x92345678));
	assert_false(ktgt_sn_gt(0x12345678, 0x92345678));

	/* 2^31 + 1 apart: the order flips */
	assert_false(ktgt_sn_lt(0, 0x80000001));
	assert_true(ktgt_sn_gt(0, 0x80000001));
}

static void test_window(void **state)
{
	/* [10, 20] */
	assert_true(ktgt_sn_in_window(10, 10, 20));
	assert_true(ktgt_sn_in_window(15, 10, 20));
	assert_true(ktgt_sn_in_window(20, 10, 20));
	assert_false(ktgt_sn_in_window(9, 10, 20));
	assert_false(ktgt_sn_in_window(21, 10, 20));
	assert_false(ktgt_sn_in_window(0x8000000a, 10, 20));

	/* across the wrap */
	assert_true(ktgt_sn_in_window(0xfffffff0, 0xfffffff0, 0x0f));
	assert_true(ktgt_sn_in_window(0xffffffff, 0xfffffff0, 0x0f));
	assert_true(ktgt_sn_in_window(0, 0xfffffff0, 0x0f));
	assert_true(ktgt_sn_in_window(0x0f, 0xfffffff0, 0x0f));
	assert_false(ktgt_sn_in_window(0x10, 0xfffffff0, 0x0f));
	assert_false(ktgt_sn_in_window(0xffffffef, 0xfffffff0, 0x0f));

	/* one slot */
	assert_true(ktgt_sn_in_window(7, 7, 7));
	assert_false(ktgt_sn_in_window(8, 7, 7));
	assert_false(ktgt_sn_in_window(6, 7, 7));

	/* MaxCmdSN = ExpCmdSN - 1: closed window */
	assert_false(ktgt_sn_in_window(4, 5, 4));
	assert_false(ktgt_sn_in_window(5, 5, 4));
	assert_false(ktgt_sn_in_window(6, 5, 4));
	assert_false(ktgt_sn_in_window(0, 0, 0xffffffff));
	assert_false(ktgt_sn_in_window(0xffffffff, 0, 0xffffffff));
	assert_false(ktgt_sn_in_window(0x7fffffff, 0, 0xffffffff));
}

/* lt/gt are converse, strict, and consistent with le/ge. */
static void test_properties(void **state)
{
	u32 seed = 1;
	unsigned int n;

	for (n = 0; n < 100000; n++) {
		u32 a, b, d;

		seed = seed * 1103515245 + 12345;
		a = seed;
		seed = seed * 1103515245 + 12345;
		d = (n & 1) ? seed : (seed & 0xff) - 0x80;
		b = a + d;

		assert_int_equal(ktgt_sn_lt(a, b), ktgt_sn_gt(b, a));
		assert_false(ktgt_sn_lt(a, b) && ktgt_sn_gt(a, b));
		assert_int_equal(ktgt_sn_le(a, b), a == b || ktgt_sn_lt(a, b));
		assert_int_equal(ktgt_sn_ge(a, b), a == b || ktgt_sn_gt(a, b));
		if (d && d < 0x80000000u)
			assert_true(ktgt_sn_lt(a, b));
		if (d > 0x80000000u)
			assert_true(ktgt_sn_gt(a, b));
		if (d == 0x80000000u)
			assert_false(ktgt_sn_lt(a, b) || ktgt_sn_gt(a, b));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_wraparound),
		cmocka_unit_test(test_half_range),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_properties),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
