// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the iSER Hello exchange (src/proto/iser.c, RFC 7145
 * 5.1.3, 9.3, 9.4). Linux's ib_iser never sends a Hello, so this is the
 * codec's only test: wire bytes in, wire bytes out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ktgt/proto/iser.h>

/* A Hello as an initiator sends it: versions @max..@min, IRD @ird. */
static void hello(u8 *buf, size_t len, u8 max, u8 min, u16 ird)
{
	memset(buf, 0, len);
	buf[0] = KTGT_ISER_OP_HELLO;
	buf[1] = (u8)(max << 4 | min);
	buf[2] = ird >> 8;
	buf[3] = ird & 0xff;
}

static void test_decode(void **state)
{
	struct ktgt_iser_hello h;
	u8 buf[28];

	hello(buf, sizeof(buf), 10, 10, 0x1234);
	assert_int_equal(ktgt_iser_hello_decode(buf, sizeof(buf), &h), 0);
	assert_int_equal(h.max_ver, 10);
	assert_int_equal(h.min_ver, 10);
	assert_int_equal(h.ird, 0x1234);

	/* RFC 5046's 12-byte Hello; reserved bits set are ignored. */
	hello(buf, 12, 15, 1, 16);
	buf[0] |= 0x0f;
	buf[5] = 0xff;
	assert_int_equal(ktgt_iser_hello_decode(buf, 12, &h), 0);
	assert_int_equal(h.max_ver, 15);
	assert_int_equal(h.min_ver, 1);
	assert_int_equal(h.ird, 16);
}

static void test_decode_bad(void **state)
{
	struct ktgt_iser_hello h;
	u8 buf[28];

	hello(buf, sizeof(buf), 10, 10, 4);
	/* Shorter than any Hello. */
	assert_int_equal(ktgt_iser_hello_decode(buf, 11, &h), -EPROTO);
	assert_int_equal(ktgt_iser_hello_decode(buf, 0, &h), -EPROTO);
	/* Not a Hello: a control PDU header, a HelloReply, opcode 0. */
	buf[0] = KTGT_ISER_OP_CTRL;
	assert_int_equal(ktgt_iser_hello_decode(buf, sizeof(buf), &h),
			 -EPROTO);
	buf[0] = KTGT_ISER_OP_HELLOREPLY;
	assert_int_equal(ktgt_iser_hello_decode(buf, sizeof(buf), &h),
			 -EPROTO);
	buf[0] = 0;
	assert_int_equal(ktgt_iser_hello_decode(buf, sizeof(buf), &h),
			 -EPROTO);
}

static void test_accept(void **state)
{
	struct ktgt_iser_hello h = { .max_ver = 10, .min_ver = 10, .ird = 16 };
	struct ktgt_iser_hello_reply r;

	ktgt_iser_hello_answer(&h, 4, &r);
	assert_false(r.reject);
	assert_int_equal(r.cur_ver, KTGT_ISER_VERSION);
	assert_int_equal(r.max_ver, KTGT_ISER_VERSION);
	assert_int_equal(r.ord, 4);		/* ours, under its IRD */

	/* A wider range that includes ours; an IRD below our ORD. */
	h.max_ver = 15;
	h.min_ver = 1;
	h.ird = 2;
	ktgt_iser_hello_answer(&h, 128, &r);
	assert_false(r.reject);
	assert_int_equal(r.cur_ver, 10);
	assert_int_equal(r.ord, 2);		/* never above the IRD */

	h.ird = 0;
	ktgt_iser_hello_answer(&h, 128, &r);
	assert_false(r.reject);
	assert_int_equal(r.ord, 0);
}

static void test_reject(void **state)
{
	/* Older only (RFC 5046), newer only, and an empty range. */
	static const struct ktgt_iser_hello bad[] = {
		{ .max_ver = 1, .min_ver = 1, .ird = 16 },
		{ .max_ver = 9, .min_ver = 0, .ird = 16 },
		{ .max_ver = 15, .min_ver = 11, .ird = 16 },
		{ .max_ver = 9, .min_ver = 11, .ird = 16 },
		{ .max_ver = 0, .min_ver = 15, .ird = 16 },
	};
	struct ktgt_iser_hello_reply r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ktgt_iser_hello_answer(&bad[i], 8, &r);
		assert_true(r.reject);
		/* MaxVer says what we would have taken. */
		assert_int_equal(r.max_ver, KTGT_ISER_VERSION);
		assert_int_equal(r.ord, 0);
	}
}

static void test_encode(void **state)
{
	struct ktgt_iser_hello_reply r = {
		.max_ver = 10, .cur_ver = 10, .ord = 0x0102,
	};
	u8 buf[KTGT_ISER_HELLOREPLY_LEN + 4];
	size_t i;

	memset(buf, 0xa5, sizeof(buf));
	ktgt_iser_helloreply_encode(&r, buf);
	assert_int_equal(buf[0], 0x30);		/* HelloReply, not rejected */
	assert_int_equal(buf[1], 0xaa);		/* MaxVer 10, CurVer 10 */
	assert_int_equal(buf[2], 0x01);
	assert_int_equal(buf[3], 0x02);
	for (i = 4; i < KTGT_ISER_HELLOREPLY_LEN; i++)
		assert_int_equal(buf[i], 0);	/* reserved */
	for (; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xa5);	/* nothing past the end */

	r.reject = true;
	r.ord = 0;
	ktgt_iser_helloreply_encode(&r, buf);
	assert_int_equal(buf[0], 0x31);		/* RejectFlag */
	assert_int_equal(buf[1], 0xaa);
	assert_int_equal(buf[2], 0);
	assert_int_equal(buf[3], 0);
}

/* Hello bytes in, HelloReply bytes out, as iser_hello.c chains them. */
static void test_round_trip(void **state)
{
	struct ktgt_iser_hello h;
	struct ktgt_iser_hello_reply r;
	u8 in[12], out[KTGT_ISER_HELLOREPLY_LEN];

	hello(in, sizeof(in), 10, 10, 8);
	assert_int_equal(ktgt_iser_hello_decode(in, sizeof(in), &h), 0);
	ktgt_iser_hello_answer(&h, 16, &r);
	ktgt_iser_helloreply_encode(&r, out);
	assert_int_equal(out[0], 0x30);
	assert_int_equal(out[1], 0xaa);
	assert_int_equal(out[2] << 8 | out[3], 8);

	hello(in, sizeof(in), 1, 1, 8);
	assert_int_equal(ktgt_iser_hello_decode(in, sizeof(in), &h), 0);
	ktgt_iser_hello_answer(&h, 16, &r);
	ktgt_iser_helloreply_encode(&r, out);
	assert_int_equal(out[0], 0x31);
	assert_int_equal(out[1] >> 4, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_bad),
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_reject),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
