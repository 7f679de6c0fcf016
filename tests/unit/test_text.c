// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/proto/text.c: key=value parsing, numbers, chunks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <ktgt/proto/text.h>

/* "a=b|c=d|" -> "a=b\0c=d\0" in @buf; returns the length. */
static u32 mk(u8 *buf, const char *s)
{
	u32 n = (u32)strlen(s), i;

	for (i = 0; i < n; i++)
		buf[i] = s[i] == '|' ? 0 : (u8)s[i];
	return n;
}

static void test_parse_basic(void **state)
{
	u8 buf[128];
	u32 len = mk(buf, "InitiatorName=iqn.x|SessionType=Normal|E=|");
	struct ktgt_text_iter it;
	struct ktgt_kv kv;

	ktgt_text_iter_init(&it, buf, len);
	assert_int_equal(ktgt_text_next(&it, &kv), 1);
	assert_true(ktgt_kv_key_is(&kv, "InitiatorName"));
	assert_true(ktgt_kv_val_is(&kv, "iqn.x"));
	assert_int_equal(kv.val[kv.val_len], 0);
	assert_int_equal(ktgt_text_next(&it, &kv), 1);
	assert_true(ktgt_kv_key_is(&kv, "SessionType"));
	assert_false(ktgt_kv_key_is(&kv, "Session"));
	assert_int_equal(ktgt_text_next(&it, &kv), 1);
	assert_int_equal(kv.val_len, 0);
	assert_int_equal(ktgt_text_next(&it, &kv), 0);
	assert_int_equal(ktgt_text_next(&it, &kv), 0);
	assert_int_equal(ktgt_text_count(buf, len), 3);
	/* value containing '=' */
	len = mk(buf, "A=b=c|");
	ktgt_text_iter_init(&it, buf, len);
	assert_int_equal(ktgt_text_next(&it, &kv), 1);
	assert_true(ktgt_kv_val_is(&kv, "b=c"));
	/* empty and NULL buffers */
	assert_int_equal(ktgt_text_count(buf, 0), 0);
	assert_int_equal(ktgt_text_count(NULL, 10), 0);
}

static void test_parse_padding(void **state)
{
	u8 buf[32];
	u32 len = mk(buf, "|A=1||||B=2||||");

	assert_int_equal(ktgt_text_count(buf, len), 2);
}

static void test_parse_errors(void **state)
{
	u8 buf[16384];
	u32 len;

	len = mk(buf, "A=1|novalue|");
	assert_int_equal(ktgt_text_count(buf, len), -EINVAL);
	len = mk(buf, "=x|");
	assert_int_equal(ktgt_text_count(buf, len), -EINVAL);
	len = mk(buf, "A=1|B=2");		/* no terminating NUL */
	assert_int_equal(ktgt_text_count(buf, len), -EINVAL);
	len = mk(buf, "A B=1|");		/* space in key */
	assert_int_equal(ktgt_text_count(buf, len), -EINVAL);
	len = mk(buf, "A");
	assert_int_equal(ktgt_text_count(buf, len), -EINVAL);

	/* 63-byte key fine, 64 too long */
	memset(buf, 'K', 63);
	len = 63 + mk(buf + 63, "=v|");
	assert_int_equal(ktgt_text_count(buf, len), 1);
	memset(buf, 'K', 64);
	len = 64 + mk(buf + 64, "=v|");
	assert_int_equal(ktgt_text_count(buf, len), -E2BIG);

	/* 8192-byte value fine, 8193 too long */
	buf[0] = 'V';
	buf[1] = '=';
	memset(buf + 2, 'x', 8192);
	buf[2 + 8192] = 0;
	assert_int_equal(ktgt_text_count(buf, 2 + 8192 + 1), 1);
	memset(buf + 2, 'x', 8193);
	buf[2 + 8193] = 0;
	assert_int_equal(ktgt_text_count(buf, 2 + 8193 + 1), -E2BIG);
}

static int num(const char *s, u64 *v)
{
	return ktgt_text_parse_num(s, (u32)strlen(s), v);
}

static void test_numbers(void **state)
{
	u64 v;

	assert_int_equal(num("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(num("8192", &v), 0);
	assert_int_equal(v, 8192);
	assert_int_equal(num("0x2000", &v), 0);
	assert_int_equal(v, 8192);
	assert_int_equal(num("0X2000", &v), 0);
	assert_int_equal(v, 8192);
	assert_int_equal(num("0xfFfF", &v), 0);
	assert_int_equal(v, 65535);
	assert_int_equal(num("0bAAAgAA==", &v), 0);	/* 00 00 20 00 */
	assert_int_equal(v, 8192);
	assert_int_equal(num("0BIAA=", &v), 0);		/* 20 00 */
	assert_int_equal(v, 8192);
	assert_int_equal(num("0b//8=", &v), 0);		/* ff ff */
	assert_int_equal(v, 65535);
	assert_int_equal(num("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(num("0xffffffffffffffff", &v), 0);
	assert_true(v == UINT64_MAX);

	assert_int_equal(num("18446744073709551616", &v), -ERANGE);
	assert_int_equal(num("0x10000000000000000", &v), -ERANGE);
	assert_int_equal(num("0bAQIDBAUGBwgJ", &v), -ERANGE);	/* 9 bytes */
	assert_int_equal(num("", &v), -EINVAL);
	assert_int_equal(num("08", &v), -EINVAL);
	assert_int_equal(num("0x", &v), -EINVAL);
	assert_int_equal(num("0xg1", &v), -EINVAL);
	assert_int_equal(num("12a", &v), -EINVAL);
	assert_int_equal(num("-1", &v), -EINVAL);
	assert_int_equal(num(" 1", &v), -EINVAL);
	assert_int_equal(num("0b", &v), -EINVAL);
	assert_int_equal(num("0bA", &v), -EINVAL);
	assert_int_equal(num("0bAA=A", &v), -EINVAL);
	assert_int_equal(num("0bIAB=", &v), -EINVAL);	/* pad bits set */
	assert_int_equal(num("0b====", &v), -EINVAL);
	assert_int_equal(num("0c12", &v), -EINVAL);
}

static void test_u32_str(void **state)
{
	char b[11];

	assert_int_equal(ktgt_text_u32_str(0, b), 1);
	assert_string_equal(b, "0");
	assert_int_equal(ktgt_text_u32_str(4294967295u, b), 10);
	assert_string_equal(b, "4294967295");
	ktgt_text_u32_str(262144, b);
	assert_string_equal(b, "262144");
}

static void test_accum(void **state)
{
	u8 store[16];
	struct ktgt_text_accum a;

	ktgt_text_accum_init(&a, store, sizeof(store));
	assert_int_equal(ktgt_text_accum_add(&a, "0123456789", 10), 0);
	assert_int_equal(ktgt_text_accum_add(&a, "abcdefg", 7), -ENOSPC);
	assert_int_equal(a.len, 10);
	assert_int_equal(ktgt_text_accum_add(&a, "abcdef", 6), 0);
	assert_int_equal(a.len, 16);
	assert_int_equal(ktgt_text_accum_add(&a, NULL, 0), 0);
	assert_int_equal(ktgt_text_accum_add(&a, "x", 1), -ENOSPC);
	ktgt_text_accum_reset(&a);
	assert_int_equal(a.len, 0);
}

/* A request split mid-key and mid-value over three PDUs. */
static void test_accum_split_pairs(void **state)
{
	u8 whole[128], store[128];
	u32 len = mk(whole, "MaxBurstLength=262144|HeaderDigest=CRC32C,None|");
	struct ktgt_text_accum a;
	struct ktgt_text_iter it;
	struct ktgt_kv kv;

	ktgt_text_accum_init(&a, store, sizeof(store));
	assert_int_equal(ktgt_text_accum_add(&a, whole, 5), 0);
	assert_int_equal(ktgt_text_accum_add(&a, whole + 5, 15), 0);
	assert_int_equal(ktgt_text_accum_add(&a, whole + 20, len - 20), 0);
	ktgt_text_iter_init(&it, a.buf, a.len);
	assert_int_equal(ktgt_text_next(&it, &kv), 1);
	assert_true(ktgt_kv_val_is(&kv, "262144"));
	assert_int_equal(ktgt_text_next(&it, &kv), 1);
	assert_true(ktgt_kv_val_is(&kv, "CRC32C,None"));
	assert_int_equal(ktgt_text_next(&it, &kv), 0);
}

static void test_builder_chunks(void **state)
{
	u8 store[64], out[64], re[64];
	struct ktgt_text_buf b;
	bool more;
	u32 n, tot = 0, pdus = 0;

	ktgt_text_buf_init(&b, store, sizeof(store));
	assert_int_equal(ktgt_text_add(&b, "A", "1"), 0);
	assert_int_equal(ktgt_text_add_u32(&b, "MaxBurstLength", 65536), 0);
	assert_int_equal(ktgt_text_add_n(&b, "Keyxx", 3, "v"), 0);
	assert_int_equal(b.len, 4 + 21 + 6);
	assert_memory_equal(store, "A=1\0MaxBurstLength=65536\0Key=v\0", 31);
	/* does not fit: unchanged */
	assert_int_equal(ktgt_text_add(&b, "LongKeyName", "0123456789012345678901234567890123"), -ENOSPC);
	assert_int_equal(b.len, 31);

	do {
		n = ktgt_text_take(&b, out, 8, &more);
		assert_true(n <= 8);
		memcpy(re + tot, out, n);
		tot += n;
		pdus++;
		assert_int_equal(more, tot < 31);
	} while (more);
	assert_int_equal(pdus, 4);
	assert_int_equal(tot, 31);
	assert_memory_equal(re, store, 31);
	assert_false(ktgt_text_pending(&b));
	assert_int_equal(ktgt_text_take(&b, out, 8, &more), 0);
	assert_false(more);
	ktgt_text_buf_reset(&b);
	assert_int_equal(b.len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_basic),
		cmocka_unit_test(test_parse_padding),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_u32_str),
		cmocka_unit_test(test_accum),
		cmocka_unit_test(test_accum_split_pairs),
		cmocka_unit_test(test_builder_chunks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
