// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/proto/chap.c. OpenSSL EVP provides the hash ops.
 * Known answers were computed independently with openssl dgst, e.g.
 *   printf '\x2a0123456789abcdef' ; printf '\x00\x01...\x0f'  | openssl dgst -md5
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include <ktgt/proto/chap.h>

/* ---- hash provider ---------------------------------------------------- */

struct evp_ctx {
	unsigned int calls;
	int fail;		/* return this instead of hashing, if nonzero */
};

static int evp_digest(void *ctx, enum ktgt_chap_alg alg,
		      const struct ktgt_chap_part *parts, unsigned int n,
		      u8 *out)
{
	struct evp_ctx *ec = ctx;
	const EVP_MD *md;
	EVP_MD_CTX *c;
	unsigned int len = 0;
	unsigned int i;
	int ok;

	if (ec) {
		ec->calls++;
		if (ec->fail)
			return ec->fail;
	}
	switch (alg) {
	case KTGT_CHAP_MD5:
		md = EVP_md5();
		break;
	case KTGT_CHAP_SHA1:
		md = EVP_sha1();
		break;
	case KTGT_CHAP_SHA256:
		md = EVP_sha256();
		break;
	case KTGT_CHAP_SHA3_256:
		md = EVP_sha3_256();
		break;
	default:
		return -EOPNOTSUPP;
	}
	c = EVP_MD_CTX_new();
	if (!c)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(c, md, NULL);
	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(c, parts[i].data, parts[i].len);
	if (ok)
		ok = EVP_DigestFinal_ex(c, out, &len);
	EVP_MD_CTX_free(c);
	if (!ok)
		return -EIO;
	assert_int_equal(len, ktgt_chap_digest_len(alg));
	return 0;
}

static struct evp_ctx g_ctx;
static struct ktgt_chap_hash_ops g_hash = {
	.digest = evp_digest,
	.ctx = &g_ctx,
};

static int reset_ctx(void **state)
{
	(void)state;
	memset(&g_ctx, 0, sizeof(g_ctx));
	return 0;
}

/* ---- fixtures --------------------------------------------------------- */

static const u8 isecret[] = "0123456789abcdef";	/* 16 bytes used */
#define ISECRET_LEN	16
static const u8 tsecret[] = "target-secret-xyz";	/* 17 bytes used */
#define TSECRET_LEN	17

/* Target state with CHAP_I 42 and challenge 00 01 02 ... */
static void make_target(struct ktgt_chap_target *t, enum ktgt_chap_alg alg)
{
	u8 rnd[1 + KTGT_CHAP_MAX_DIGEST];
	char ci[8], cc[80];
	unsigned int i;

	rnd[0] = 42;
	for (i = 0; i < KTGT_CHAP_MAX_DIGEST; i++)
		rnd[1 + i] = (u8)i;
	assert_int_equal(ktgt_chap_target_challenge(t, alg, rnd, sizeof(rnd),
						    ci, sizeof(ci),
						    cc, sizeof(cc)), 0);
	assert_string_equal(ci, "42");
}

struct kat {
	enum ktgt_chap_alg alg;
	const char *verify_r;	/* H(42 || isecret || 00 01 .. dlen-1) */
	const char *mutual_r;	/* H(7 || tsecret || de ad be ef 01) */
};

static const struct kat kats[] = {
	{ KTGT_CHAP_MD5,
	  "0x0fbee2a235349701655e644832d106bf",
	  "0xca5065fc07ce810324092e731dd8d75b" },
	{ KTGT_CHAP_SHA1,
	  "0xe46be09acfc9ad4caa7a28c96c382924c80f57f5",
	  "0x58d3bfc732a26b714413e303a1885d8968cd1a49" },
	{ KTGT_CHAP_SHA256,
	  "0x2d84c1d469bd56155ff5417d7e43be7257c2b108e3079eb23af578704ebbad27",
	  "0x2f7e1ca92cc49ecf224182e1765618b7cf885ff64f8df67b919cdb3993d5ce11" },
	{ KTGT_CHAP_SHA3_256,
	  "0xa62a875d29a7572b24cd4b4d933fe42cc899795a2165e222034d8dfddb75af2f",
	  "0x828c99724d5b47eadc9c803f0d37b7a280e1fa81916684a26dcabdd606169661" },
};

static void upcase_hex(char *dst, const char *src)
{
	size_t i;

	for (i = 0; src[i]; i++)
		dst[i] = (src[i] >= 'a' && src[i] <= 'f') ?
			 (char)(src[i] - 'a' + 'A') : src[i];
	dst[i] = '\0';
	dst[1] = 'X';
}

/* ---- digest_len, select_alg ------------------------------------------- */

static void test_digest_len(void **state)
{
	(void)state;
	assert_int_equal(ktgt_chap_digest_len(KTGT_CHAP_MD5), 16);
	assert_int_equal(ktgt_chap_digest_len(KTGT_CHAP_SHA1), 20);
	assert_int_equal(ktgt_chap_digest_len(KTGT_CHAP_SHA256), 32);
	assert_int_equal(ktgt_chap_digest_len(KTGT_CHAP_SHA3_256), 32);
	assert_int_equal(ktgt_chap_digest_len((enum ktgt_chap_alg)0), 0);
	assert_int_equal(ktgt_chap_digest_len((enum ktgt_chap_alg)4), 0);
	assert_int_equal(ktgt_chap_digest_len((enum ktgt_chap_alg)9), 0);
	assert_int_equal(ktgt_chap_digest_len((enum ktgt_chap_alg)-1), 0);
}

static void test_select_alg(void **state)
{
	const u32 all = KTGT_CHAP_ALG_ALL;
	const u32 md5 = KTGT_CHAP_ALG_BIT(KTGT_CHAP_MD5);

	(void)state;
	assert_int_equal(ktgt_chap_select_alg("5", all), KTGT_CHAP_MD5);
	assert_int_equal(ktgt_chap_select_alg("7,5", all), KTGT_CHAP_SHA256);
	assert_int_equal(ktgt_chap_select_alg("8,7,6,5", all),
			 KTGT_CHAP_SHA3_256);
	assert_int_equal(ktgt_chap_select_alg("6", all), KTGT_CHAP_SHA1);
	/* first acceptable in the initiator's order, not ours */
	assert_int_equal(ktgt_chap_select_alg("7,5", md5), KTGT_CHAP_MD5);
	/* unknown values skipped, including ones >= 32 (no bad shift) */
	assert_int_equal(ktgt_chap_select_alg("9,6", all), KTGT_CHAP_SHA1);
	assert_int_equal(ktgt_chap_select_alg("37,5", all), KTGT_CHAP_MD5);
	assert_int_equal(ktgt_chap_select_alg("128,129,5", all),
			 KTGT_CHAP_MD5);
	assert_int_equal(ktgt_chap_select_alg("99999999999999999999999,5",
					      all), KTGT_CHAP_MD5);
	assert_int_equal(ktgt_chap_select_alg("005", all), KTGT_CHAP_MD5);
	/* nothing acceptable */
	assert_int_equal(ktgt_chap_select_alg("1,2,3", all), -ENOENT);
	assert_int_equal(ktgt_chap_select_alg("7", md5), -ENOENT);
	assert_int_equal(ktgt_chap_select_alg("5", 0), -ENOENT);
	/* allowed bit set for an alg we do not know: still not chosen */
	assert_int_equal(ktgt_chap_select_alg("9", 0xffffffffu), -ENOENT);
	assert_int_equal(ktgt_chap_select_alg("0", 0xffffffffu), -ENOENT);
	/* malformed */
	assert_int_equal(ktgt_chap_select_alg(NULL, all), -EINVAL);
	assert_int_equal(ktgt_chap_select_alg("", all), -EINVAL);
	assert_int_equal(ktgt_chap_select_alg(",5", all), -EINVAL);
	assert_int_equal(ktgt_chap_select_alg("5,", all), -EINVAL);
	assert_int_equal(ktgt_chap_select_alg("5,,6", all), -EINVAL);
	assert_int_equal(ktgt_chap_select_alg("5 ", all), -EINVAL);
	assert_int_equal(ktgt_chap_select_alg(" 5", all), -EINVAL);
	assert_int_equal(ktgt_chap_select_alg("5, 7", all), -EINVAL);
	assert_int_equal(ktgt_chap_select_alg("-5", all), -EINVAL);
	assert_int_equal(ktgt_chap_select_alg("+5", all), -EINVAL);
	assert_int_equal(ktgt_chap_select_alg("md5", all), -EINVAL);
	assert_int_equal(ktgt_chap_select_alg("0x5", all), -EINVAL);
	assert_int_equal(ktgt_chap_select_alg("None", all), -EINVAL);
	/* malformed after an acceptable entry is still malformed */
	assert_int_equal(ktgt_chap_select_alg("5,x", all), -EINVAL);
}

/* ---- encodings -------------------------------------------------------- */

static void test_encode_hex(void **state)
{
	static const u8 bin[] = { 0x00, 0x1f, 0xa0, 0xff };
	char out[16];

	(void)state;
	assert_int_equal(ktgt_chap_encode_hex(bin, 4, out, sizeof(out)), 10);
	assert_string_equal(out, "0x001fa0ff");
	/* exactly enough room: 2 + 8 + NUL */
	memset(out, 'Z', sizeof(out));
	assert_int_equal(ktgt_chap_encode_hex(bin, 4, out, 11), 10);
	assert_string_equal(out, "0x001fa0ff");
	memset(out, 'Z', sizeof(out));
	assert_int_equal(ktgt_chap_encode_hex(bin, 4, out, 10), -ENOSPC);
	assert_int_equal(out[0], 'Z');
	assert_int_equal(ktgt_chap_encode_hex(bin, 1, out, 0), -ENOSPC);
	assert_int_equal(ktgt_chap_encode_hex(bin, 1, out, 2), -ENOSPC);
	assert_int_equal(ktgt_chap_encode_hex(bin, 1, out, 4), -ENOSPC);
	assert_int_equal(ktgt_chap_encode_hex(bin, 1, out, 5), 4);
	assert_string_equal(out, "0x00");
	assert_int_equal(ktgt_chap_encode_hex(bin, 0, out, sizeof(out)),
			 -EINVAL);
	assert_int_equal(ktgt_chap_encode_hex(bin, (size_t)-1, out,
					      sizeof(out)), -EINVAL);
}

static void test_decode_hex(void **state)
{
	u8 out[KTGT_CHAP_MAX_CHALLENGE + 8];
	char *big;
	size_t i;

	(void)state;
	assert_int_equal(ktgt_chap_decode("0x00ff", out, sizeof(out)), 2);
	assert_int_equal(out[0], 0x00);
	assert_int_equal(out[1], 0xff);
	assert_int_equal(ktgt_chap_decode("0XAbCd", out, sizeof(out)), 2);
	assert_int_equal(out[0], 0xab);
	assert_int_equal(out[1], 0xcd);
	/* odd digit count: leading digit is a byte of its own */
	assert_int_equal(ktgt_chap_decode("0xabc", out, sizeof(out)), 2);
	assert_int_equal(out[0], 0x0a);
	assert_int_equal(out[1], 0xbc);
	assert_int_equal(ktgt_chap_decode("0x1", out, sizeof(out)), 1);
	assert_int_equal(out[0], 0x01);
	assert_int_equal(ktgt_chap_decode("0xF", out, sizeof(out)), 1);
	assert_int_equal(out[0], 0x0f);
	assert_int_equal(ktgt_chap_decode("0x12345", out, sizeof(out)), 3);
	assert_int_equal(out[0], 0x01);
	assert_int_equal(out[1], 0x23);
	assert_int_equal(out[2], 0x45);
	/* cap */
	assert_int_equal(ktgt_chap_decode("0x0102", out, 2), 2);
	assert_int_equal(ktgt_chap_decode("0x010203", out, 2), -ENOSPC);
	assert_int_equal(ktgt_chap_decode("0x10203", out, 2), -ENOSPC);
	assert_int_equal(ktgt_chap_decode("0x1", out, 0), -ENOSPC);
	/* malformed */
	assert_int_equal(ktgt_chap_decode("0x", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0X", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("00ff", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("1x00", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0y00", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0xg1", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0x1g", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0x 12", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0x12 ", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0x0x12", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0x-1", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode(NULL, out, sizeof(out)), -EINVAL);

	/* longest allowed: 1024 bytes; 1025 is over-long whatever the cap */
	big = malloc(2 + 2 * (KTGT_CHAP_MAX_CHALLENGE + 1) + 1);
	assert_non_null(big);
	big[0] = '0';
	big[1] = 'x';
	for (i = 0; i < 2 * KTGT_CHAP_MAX_CHALLENGE; i++)
		big[2 + i] = "0123456789abcdef"[i % 16];
	big[2 + 2 * KTGT_CHAP_MAX_CHALLENGE] = '\0';
	assert_int_equal(ktgt_chap_decode(big, out, sizeof(out)),
			 KTGT_CHAP_MAX_CHALLENGE);
	assert_int_equal(out[0], 0x01);
	assert_int_equal(out[KTGT_CHAP_MAX_CHALLENGE - 1], 0xef);
	assert_int_equal(ktgt_chap_decode(big, out, 16), -ENOSPC);
	/* 2049 digits: odd, 1025 bytes */
	big[2 + 2 * KTGT_CHAP_MAX_CHALLENGE] = '1';
	big[3 + 2 * KTGT_CHAP_MAX_CHALLENGE] = '\0';
	assert_int_equal(ktgt_chap_decode(big, out, sizeof(out)), -EINVAL);
	big[3 + 2 * KTGT_CHAP_MAX_CHALLENGE] = '2';
	big[4 + 2 * KTGT_CHAP_MAX_CHALLENGE] = '\0';
	assert_int_equal(ktgt_chap_decode(big, out, sizeof(out)), -EINVAL);
	free(big);
}

static void expect_b64(const char *text, const char *bin)
{
	u8 out[64];
	int n = ktgt_chap_decode(text, out, sizeof(out));

	assert_int_equal(n, (int)strlen(bin));
	assert_memory_equal(out, bin, strlen(bin));
}

static void test_decode_base64(void **state)
{
	static const u8 dbe[] = { 0xde, 0xad, 0xbe, 0xef, 0x01 };
	u8 out[KTGT_CHAP_MAX_CHALLENGE + 8];
	char *big;
	size_t i;

	(void)state;
	/* RFC 4648 section 10 test vectors */
	expect_b64("0bZg==", "f");
	expect_b64("0bZm8=", "fo");
	expect_b64("0bZm9v", "foo");
	expect_b64("0bZm9vYg==", "foob");
	expect_b64("0bZm9vYmE=", "fooba");
	expect_b64("0bZm9vYmFy", "foobar");
	expect_b64("0BZm9vYmFy", "foobar");
	assert_int_equal(ktgt_chap_decode("0b3q2+7wE=", out, sizeof(out)), 5);
	assert_memory_equal(out, dbe, 5);
	assert_int_equal(ktgt_chap_decode("0b////", out, sizeof(out)), 3);
	assert_int_equal(out[0], 0xff);
	assert_int_equal(out[2], 0xff);
	assert_int_equal(ktgt_chap_decode("0bAAAA", out, sizeof(out)), 3);
	assert_int_equal(out[1], 0x00);

	/* cap */
	assert_int_equal(ktgt_chap_decode("0bZm9vYmFy", out, 6), 6);
	assert_int_equal(ktgt_chap_decode("0bZm9vYmFy", out, 5), -ENOSPC);
	assert_int_equal(ktgt_chap_decode("0bZm9vYmE=", out, 4), -ENOSPC);

	/* padding rules */
	assert_int_equal(ktgt_chap_decode("0b", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0bZg", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0bZg=", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0bZm9", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0bZ===", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0b====", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0b=", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0bZg==Zg==", out, sizeof(out)),
			 -EINVAL);
	assert_int_equal(ktgt_chap_decode("0bZ=g=", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0bZm9vYg===", out, sizeof(out)),
			 -EINVAL);
	/* non-zero pad bits */
	assert_int_equal(ktgt_chap_decode("0bZh==", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0bZm9=", out, sizeof(out)), -EINVAL);
	/* alphabet */
	assert_int_equal(ktgt_chap_decode("0bZm9-", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0bZm9_", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0bZm 9", out, sizeof(out)), -EINVAL);
	assert_int_equal(ktgt_chap_decode("0bZm9v\n", out, sizeof(out)),
			 -EINVAL);

	/* 1024 bytes = 1368 chars ending "=="; 1025 and 1026 are over-long */
	big = malloc(2 + 1372 + 1);
	assert_non_null(big);
	big[0] = '0';
	big[1] = 'b';
	for (i = 0; i < 1368; i++)
		big[2 + i] = 'A';
	big[2 + 1366] = '=';
	big[2 + 1367] = '=';
	big[2 + 1368] = '\0';
	assert_int_equal(ktgt_chap_decode(big, out, sizeof(out)),
			 KTGT_CHAP_MAX_CHALLENGE);
	big[2 + 1366] = 'A';
	assert_int_equal(ktgt_chap_decode(big, out, sizeof(out)), -EINVAL);
	big[2 + 1367] = 'A';
	assert_int_equal(ktgt_chap_decode(big, out, sizeof(out)), -EINVAL);
	/* 1029 bytes, and longer than any accepted text */
	memcpy(big + 2 + 1368, "AAAA", 5);
	assert_int_equal(ktgt_chap_decode(big, out, sizeof(out)), -EINVAL);
	free(big);
}

static void test_roundtrip(void **state)
{
	u8 bin[40], back[40];
	char txt[100];
	unsigned int len, i;

	(void)state;
	for (len = 1; len <= sizeof(bin); len++) {
		for (i = 0; i < len; i++)
			bin[i] = (u8)(i * 37 + len);
		assert_int_equal(ktgt_chap_encode_hex(bin, len, txt,
						      sizeof(txt)),
				 2 + 2 * len);
		assert_int_equal(ktgt_chap_decode(txt, back, sizeof(back)),
				 len);
		assert_memory_equal(bin, back, len);
	}
}

static void test_parse_id(void **state)
{
	(void)state;
	assert_int_equal(ktgt_chap_parse_id("0"), 0);
	assert_int_equal(ktgt_chap_parse_id("7"), 7);
	assert_int_equal(ktgt_chap_parse_id("255"), 255);
	assert_int_equal(ktgt_chap_parse_id("0x0"), 0);
	assert_int_equal(ktgt_chap_parse_id("0xff"), 255);
	assert_int_equal(ktgt_chap_parse_id("0XFF"), 255);
	assert_int_equal(ktgt_chap_parse_id("256"), -EINVAL);
	assert_int_equal(ktgt_chap_parse_id("1000"), -EINVAL);
	assert_int_equal(ktgt_chap_parse_id("4294967303"), -EINVAL);
	assert_int_equal(ktgt_chap_parse_id("0x100"), -EINVAL);
	assert_int_equal(ktgt_chap_parse_id("-1"), -EINVAL);
	assert_int_equal(ktgt_chap_parse_id("+1"), -EINVAL);
	assert_int_equal(ktgt_chap_parse_id(""), -EINVAL);
	assert_int_equal(ktgt_chap_parse_id("0x"), -EINVAL);
	assert_int_equal(ktgt_chap_parse_id(" 1"), -EINVAL);
	assert_int_equal(ktgt_chap_parse_id("1 "), -EINVAL);
	assert_int_equal(ktgt_chap_parse_id("abc"), -EINVAL);
	assert_int_equal(ktgt_chap_parse_id("0b AQ=="), -EINVAL);
	assert_int_equal(ktgt_chap_parse_id(NULL), -EINVAL);
}

static void test_check_secret(void **state)
{
	static const u8 s[KTGT_CHAP_MAX_SECRET + 1];

	(void)state;
	assert_int_equal(ktgt_chap_check_secret(s, 0), -EINVAL);
	assert_int_equal(ktgt_chap_check_secret(s, 11), -EINVAL);
	assert_int_equal(ktgt_chap_check_secret(s, 12), 0);
	assert_int_equal(ktgt_chap_check_secret(s, KTGT_CHAP_MAX_SECRET), 0);
	assert_int_equal(ktgt_chap_check_secret(s, KTGT_CHAP_MAX_SECRET + 1),
			 -EINVAL);
	assert_int_equal(ktgt_chap_check_secret(NULL, 16), -EINVAL);

	assert_int_equal(ktgt_chap_check_secret_pair(isecret, ISECRET_LEN,
						     tsecret, TSECRET_LEN), 0);
	assert_int_equal(ktgt_chap_check_secret_pair(isecret, ISECRET_LEN,
						     isecret, ISECRET_LEN),
			 -EINVAL);
	/* same prefix, different length: different secrets */
	assert_int_equal(ktgt_chap_check_secret_pair(isecret, ISECRET_LEN,
						     isecret, ISECRET_LEN - 1),
			 0);
	assert_int_equal(ktgt_chap_check_secret_pair(isecret, 11,
						     tsecret, TSECRET_LEN),
			 -EINVAL);
	assert_int_equal(ktgt_chap_check_secret_pair(isecret, ISECRET_LEN,
						     tsecret, 11), -EINVAL);
}

/* ---- challenge -------------------------------------------------------- */

static void test_challenge(void **state)
{
	struct ktgt_chap_target t;
	u8 rnd[1 + KTGT_CHAP_MAX_DIGEST];
	char ci[8], cc[2 + 2 * KTGT_CHAP_MAX_DIGEST + 1];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(rnd); i++)
		rnd[i] = (u8)(0xa0 + i);

	memset(&t, 0, sizeof(t));
	assert_int_equal(ktgt_chap_target_challenge(&t, KTGT_CHAP_MD5, rnd, 17,
						    ci, sizeof(ci),
						    cc, sizeof(cc)), 0);
	assert_string_equal(ci, "160");
	assert_string_equal(cc, "0xa1a2a3a4a5a6a7a8a9aaabacadaeafb0");
	assert_int_equal(t.alg, KTGT_CHAP_MD5);
	assert_int_equal(t.id, 0xa0);
	assert_int_equal(t.challenge_len, 16);
	assert_memory_equal(t.challenge, rnd + 1, 16);

	for (i = 0; i < ARRAY_SIZE(kats); i++) {
		unsigned int dlen = ktgt_chap_digest_len(kats[i].alg);
		u8 back[KTGT_CHAP_MAX_DIGEST];

		assert_int_equal(ktgt_chap_target_challenge(&t, kats[i].alg,
							    rnd, 1 + dlen,
							    ci, sizeof(ci),
							    cc, sizeof(cc)),
				 0);
		assert_int_equal(t.challenge_len, dlen);
		assert_int_equal(strlen(cc), 2 + 2 * dlen);
		assert_int_equal(ktgt_chap_decode(cc, back, sizeof(back)),
				 dlen);
		assert_memory_equal(back, rnd + 1, dlen);
		/* one byte of randomness short */
		assert_int_equal(ktgt_chap_target_challenge(&t, kats[i].alg,
							    rnd, dlen,
							    ci, sizeof(ci),
							    cc, sizeof(cc)),
				 -EINVAL);
		/* CHAP_C buffer one short */
		assert_int_equal(ktgt_chap_target_challenge(&t, kats[i].alg,
							    rnd, 1 + dlen,
							    ci, sizeof(ci),
							    cc, 2 + 2 * dlen),
				 -ENOSPC);
	}

	/* identifier rendering and its buffer */
	rnd[0] = 0;
	assert_int_equal(ktgt_chap_target_challenge(&t, KTGT_CHAP_MD5, rnd, 17,
						    ci, 2, cc, sizeof(cc)), 0);
	assert_string_equal(ci, "0");
	rnd[0] = 255;
	assert_int_equal(ktgt_chap_target_challenge(&t, KTGT_CHAP_MD5, rnd, 17,
						    ci, 4, cc, sizeof(cc)), 0);
	assert_string_equal(ci, "255");
	assert_int_equal(ktgt_chap_target_challenge(&t, KTGT_CHAP_MD5, rnd, 17,
						    ci, 3, cc, sizeof(cc)),
			 -ENOSPC);
	rnd[0] = 9;
	assert_int_equal(ktgt_chap_target_challenge(&t, KTGT_CHAP_MD5, rnd, 17,
						    ci, 2, cc, sizeof(cc)), 0);
	assert_string_equal(ci, "9");

	/* unknown algorithm */
	assert_int_equal(ktgt_chap_target_challenge(&t, (enum ktgt_chap_alg)4,
						    rnd, sizeof(rnd),
						    ci, sizeof(ci),
						    cc, sizeof(cc)), -EINVAL);
	assert_int_equal(ktgt_chap_target_challenge(NULL, KTGT_CHAP_MD5,
						    rnd, sizeof(rnd),
						    ci, sizeof(ci),
						    cc, sizeof(cc)), -EINVAL);
}

/* ---- verify ----------------------------------------------------------- */

static void test_verify_kat(void **state)
{
	static const char b64_md5[] = "0bD77iojU0lwFlXmRIMtEGvw==";
	static const char b64_sha256[] =
		"0bLYTB1Gm9VhVf9UF9fkO+clfCsQjjB56yOvV4cE67rSc=";
	struct ktgt_chap_target t;
	char up[80];
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(kats); i++) {
		make_target(&t, kats[i].alg);
		assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
							 ISECRET_LEN,
							 kats[i].verify_r), 0);
		upcase_hex(up, kats[i].verify_r);
		assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
							 ISECRET_LEN, up), 0);
	}
	assert_int_equal(g_ctx.calls, 2 * ARRAY_SIZE(kats));

	/* base64-encoded responses */
	make_target(&t, KTGT_CHAP_MD5);
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN, b64_md5), 0);
	make_target(&t, KTGT_CHAP_SHA256);
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN, b64_sha256), 0);
}

static void test_verify_mismatch(void **state)
{
	struct ktgt_chap_target t;
	char bad[80];
	unsigned int i;
	u8 other[ISECRET_LEN];

	(void)state;
	for (i = 0; i < ARRAY_SIZE(kats); i++) {
		size_t len = strlen(kats[i].verify_r);

		make_target(&t, kats[i].alg);
		/* last digit changed */
		strcpy(bad, kats[i].verify_r);
		bad[len - 1] = bad[len - 1] == '0' ? '1' : '0';
		assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
							 ISECRET_LEN, bad),
				 -EACCES);
		/* first byte changed */
		strcpy(bad, kats[i].verify_r);
		bad[2] = bad[2] == 'f' ? 'e' : 'f';
		assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
							 ISECRET_LEN, bad),
				 -EACCES);
		/* wrong secret */
		memcpy(other, isecret, ISECRET_LEN);
		other[ISECRET_LEN - 1] ^= 1;
		assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, other,
							 ISECRET_LEN,
							 kats[i].verify_r),
				 -EACCES);
		/* different identifier */
		t.id = 43;
		assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
							 ISECRET_LEN,
							 kats[i].verify_r),
				 -EACCES);
	}
	/* another algorithm's response: same length wrong value, or wrong length */
	make_target(&t, KTGT_CHAP_SHA3_256);
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN,
						 kats[2].verify_r), -EACCES);
	make_target(&t, KTGT_CHAP_SHA1);
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN,
						 kats[0].verify_r), -EINVAL);
}

static void test_verify_bad_length(void **state)
{
	struct ktgt_chap_target t;
	char txt[200];
	size_t len;

	(void)state;
	make_target(&t, KTGT_CHAP_MD5);
	len = strlen(kats[0].verify_r);
	/* one digit short: odd count, still 16 bytes but wrong value */
	strcpy(txt, kats[0].verify_r);
	txt[len - 1] = '\0';
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN, txt), -EACCES);
	/* one byte short */
	txt[len - 2] = '\0';
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN, txt), -EINVAL);
	/* one byte long */
	strcpy(txt, kats[0].verify_r);
	strcat(txt, "00");
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN, txt), -EINVAL);
	/* a leading zero byte does not make it equal */
	strcpy(txt, "0x00");
	strcat(txt, kats[0].verify_r + 2);
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN, txt), -EINVAL);
	/* malformed */
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN, ""), -EINVAL);
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN, "0x"), -EINVAL);
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN,
						 kats[0].verify_r + 2),
			 -EINVAL);
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN, NULL), -EINVAL);
	/* only the well-formed 16-byte value reached the hash */
	assert_int_equal(g_ctx.calls, 1);
}

static void test_verify_secret_rules(void **state)
{
	static const u8 s11[] = "shortsecret";	/* 11 bytes */
	static const u8 s12[] = "twelve-bytes";	/* 12 bytes */
	struct ktgt_chap_target t;
	u8 d[KTGT_CHAP_MAX_DIGEST];
	struct ktgt_chap_part parts[3];
	char r[80];
	u8 id;

	(void)state;
	make_target(&t, KTGT_CHAP_SHA256);
	id = t.id;
	parts[0].data = &id;
	parts[0].len = 1;
	parts[2].data = t.challenge;
	parts[2].len = t.challenge_len;

	/* a correct response computed with an 11-byte secret is refused */
	parts[1].data = s11;
	parts[1].len = 11;
	assert_int_equal(evp_digest(NULL, t.alg, parts, 3, d), 0);
	assert_int_equal(ktgt_chap_encode_hex(d, 32, r, sizeof(r)), 66);
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, s11, 11, r),
			 -EINVAL);
	assert_int_equal(g_ctx.calls, 0);

	/* 12 bytes is enough */
	parts[1].data = s12;
	parts[1].len = 12;
	assert_int_equal(evp_digest(NULL, t.alg, parts, 3, d), 0);
	assert_int_equal(ktgt_chap_encode_hex(d, 32, r, sizeof(r)), 66);
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, s12, 12, r), 0);

	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, s12, 0, r),
			 -EINVAL);
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, NULL, 12, r),
			 -EINVAL);
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, s12,
						 KTGT_CHAP_MAX_SECRET + 1, r),
			 -EINVAL);
}

static void test_verify_state_and_provider(void **state)
{
	struct ktgt_chap_target t;
	struct ktgt_chap_hash_ops none = { .digest = NULL };

	(void)state;
	make_target(&t, KTGT_CHAP_MD5);
	assert_int_equal(ktgt_chap_target_verify(NULL, &g_hash, isecret,
						 ISECRET_LEN,
						 kats[0].verify_r), -EINVAL);
	assert_int_equal(ktgt_chap_target_verify(&t, NULL, isecret,
						 ISECRET_LEN,
						 kats[0].verify_r), -EINVAL);
	assert_int_equal(ktgt_chap_target_verify(&t, &none, isecret,
						 ISECRET_LEN,
						 kats[0].verify_r), -EINVAL);
	/* provider errors are passed through, never mistaken for success */
	g_ctx.fail = -EOPNOTSUPP;
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN,
						 kats[0].verify_r),
			 -EOPNOTSUPP);
	g_ctx.fail = 0;
	/* corrupted state */
	t.challenge_len = 0;
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN,
						 kats[0].verify_r), -EINVAL);
	t.challenge_len = 100;
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN,
						 kats[0].verify_r), -EINVAL);
	make_target(&t, KTGT_CHAP_MD5);
	t.alg = (enum ktgt_chap_alg)3;
	assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
						 ISECRET_LEN,
						 kats[0].verify_r), -EINVAL);
}

/* ---- mutual ----------------------------------------------------------- */

static void test_respond_kat(void **state)
{
	/* H(255 || tsecret || 0a bc) with SHA-256 */
	static const char odd_r[] =
		"0xa0192f5dcfcb830d0341c8863656f3dadce791b7ff0b18dc6f7893c238449f68";
	struct ktgt_chap_target t;
	char r[80];
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(kats); i++) {
		make_target(&t, kats[i].alg);
		memset(r, 'Z', sizeof(r));
		assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
							  TSECRET_LEN, "7",
							  "0xdeadbeef01",
							  r, sizeof(r)), 0);
		assert_string_equal(r, kats[i].mutual_r);
		/* same challenge as base64, CHAP_I as hex */
		memset(r, 'Z', sizeof(r));
		assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
							  TSECRET_LEN, "0x07",
							  "0b3q2+7wE=",
							  r, sizeof(r)), 0);
		assert_string_equal(r, kats[i].mutual_r);
		/* exactly enough room */
		assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
							  TSECRET_LEN, "7",
							  "0XDEADBEEF01", r,
							  strlen(kats[i].mutual_r) + 1),
				 0);
		assert_string_equal(r, kats[i].mutual_r);
		assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
							  TSECRET_LEN, "7",
							  "0xdeadbeef01", r,
							  strlen(kats[i].mutual_r)),
				 -ENOSPC);
	}

	/* CHAP_I 255 and an odd-length hex challenge (0a bc) */
	make_target(&t, KTGT_CHAP_SHA256);
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "255", "0xabc",
						  r, sizeof(r)), 0);
	assert_string_equal(r, odd_r);
}

static void test_respond_reflection(void **state)
{
	struct ktgt_chap_target t;
	char ours[80], up[80], b64[80], r[80];
	static const char tbl[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned int i, o;

	(void)state;
	make_target(&t, KTGT_CHAP_MD5);
	assert_int_equal(ktgt_chap_encode_hex(t.challenge, t.challenge_len,
					      ours, sizeof(ours)), 34);
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7", ours,
						  r, sizeof(r)), -EACCES);
	/* with our CHAP_I too */
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "42", ours,
						  r, sizeof(r)), -EACCES);
	/* whatever the encoding */
	upcase_hex(up, ours);
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7", up,
						  r, sizeof(r)), -EACCES);
	/* base64 of 00 01 .. 0f */
	b64[0] = '0';
	b64[1] = 'b';
	o = 2;
	for (i = 0; i + 3 <= 15; i += 3) {
		u32 v = (u32)t.challenge[i] << 16 |
			(u32)t.challenge[i + 1] << 8 | t.challenge[i + 2];

		b64[o++] = tbl[v >> 18];
		b64[o++] = tbl[(v >> 12) & 63];
		b64[o++] = tbl[(v >> 6) & 63];
		b64[o++] = tbl[v & 63];
	}
	b64[o++] = tbl[t.challenge[15] >> 2];
	b64[o++] = tbl[(t.challenge[15] & 3) << 4];
	b64[o++] = '=';
	b64[o++] = '=';
	b64[o] = '\0';
	assert_string_equal(b64, "0bAAECAwQFBgcICQoLDA0ODw==");
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7", b64,
						  r, sizeof(r)), -EACCES);
	assert_int_equal(g_ctx.calls, 0);

	/* a prefix or extension of our challenge is not a reflection */
	ours[32] = '\0';
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7", ours,
						  r, sizeof(r)), 0);
	strcat(ours, "0f00");
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7", ours,
						  r, sizeof(r)), 0);
}

static void test_respond_bad_input(void **state)
{
	static const char * const bad_ids[] = {
		"256", "-1", "", "abc", "1 ", " 1", "0x100", "0x", "1000",
		"7,8", "0b Bw==",
	};
	static const u8 s11[] = "shortsecret";
	struct ktgt_chap_target t;
	char r[80];
	char *big;
	unsigned int i;

	(void)state;
	make_target(&t, KTGT_CHAP_SHA1);
	for (i = 0; i < ARRAY_SIZE(bad_ids); i++)
		assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
							  TSECRET_LEN,
							  bad_ids[i],
							  "0xdeadbeef01",
							  r, sizeof(r)),
				 -EINVAL);
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, NULL,
						  "0xdeadbeef01",
						  r, sizeof(r)), -EINVAL);
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "0",
						  "0xdeadbeef01",
						  r, sizeof(r)), 0);

	/* challenge: empty, malformed, missing */
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7", "0x",
						  r, sizeof(r)), -EINVAL);
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7", "",
						  r, sizeof(r)), -EINVAL);
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7", "0b",
						  r, sizeof(r)), -EINVAL);
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7", "deadbeef",
						  r, sizeof(r)), -EINVAL);
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7", NULL,
						  r, sizeof(r)), -EINVAL);
	/* one-byte challenge is accepted */
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7", "0x00",
						  r, sizeof(r)), 0);

	/* 1024 bytes accepted, 1025 refused */
	big = malloc(2 + 2 * (KTGT_CHAP_MAX_CHALLENGE + 1) + 1);
	assert_non_null(big);
	big[0] = '0';
	big[1] = 'x';
	memset(big + 2, '5', 2 * KTGT_CHAP_MAX_CHALLENGE);
	big[2 + 2 * KTGT_CHAP_MAX_CHALLENGE] = '\0';
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7", big,
						  r, sizeof(r)), 0);
	memset(big + 2, '5', 2 * (KTGT_CHAP_MAX_CHALLENGE + 1));
	big[2 + 2 * (KTGT_CHAP_MAX_CHALLENGE + 1)] = '\0';
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7", big,
						  r, sizeof(r)), -EINVAL);
	free(big);

	/* secrets */
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, s11, 11, "7",
						  "0xdeadbeef01",
						  r, sizeof(r)), -EINVAL);
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, NULL, 16, "7",
						  "0xdeadbeef01",
						  r, sizeof(r)), -EINVAL);
	/* output buffer */
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7",
						  "0xdeadbeef01", r, 0),
			 -ENOSPC);
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7",
						  "0xdeadbeef01", NULL, 80),
			 -EINVAL);
	/* provider failure */
	g_ctx.fail = -ENOMEM;
	assert_int_equal(ktgt_chap_target_respond(&t, &g_hash, tsecret,
						  TSECRET_LEN, "7",
						  "0xdeadbeef01",
						  r, sizeof(r)), -ENOMEM);
	g_ctx.fail = 0;
}

/* Full exchange: the target's challenge answered by an "initiator". */
static void test_exchange(void **state)
{
	struct ktgt_chap_target t;
	u8 rnd[1 + KTGT_CHAP_MAX_DIGEST];
	char ci[8], cc[80], cr[80];
	u8 chal[KTGT_CHAP_MAX_DIGEST], d[KTGT_CHAP_MAX_DIGEST];
	struct ktgt_chap_part parts[3];
	unsigned int i, a;
	int sel, n;
	u8 id;

	(void)state;
	for (a = 0; a < ARRAY_SIZE(kats); a++) {
		for (i = 0; i < sizeof(rnd); i++)
			rnd[i] = (u8)(i * 91 + a * 7 + 1);
		sel = ktgt_chap_select_alg("8,7,6,5",
					   KTGT_CHAP_ALG_BIT(kats[a].alg));
		assert_int_equal(sel, kats[a].alg);
		assert_int_equal(ktgt_chap_target_challenge(&t, kats[a].alg,
							    rnd, sizeof(rnd),
							    ci, sizeof(ci),
							    cc, sizeof(cc)),
				 0);
		id = (u8)ktgt_chap_parse_id(ci);
		n = ktgt_chap_decode(cc, chal, sizeof(chal));
		assert_int_equal(n, ktgt_chap_digest_len(kats[a].alg));
		parts[0].data = &id;
		parts[0].len = 1;
		parts[1].data = isecret;
		parts[1].len = ISECRET_LEN;
		parts[2].data = chal;
		parts[2].len = (size_t)n;
		assert_int_equal(evp_digest(NULL, kats[a].alg, parts, 3, d), 0);
		assert_int_equal(ktgt_chap_encode_hex(d, (size_t)n, cr,
						      sizeof(cr)), 2 + 2 * n);
		assert_int_equal(ktgt_chap_target_verify(&t, &g_hash, isecret,
							 ISECRET_LEN, cr), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_digest_len, reset_ctx),
		cmocka_unit_test_setup(test_select_alg, reset_ctx),
		cmocka_unit_test_setup(test_encode_hex, reset_ctx),
		cmocka_unit_test_setup(test_decode_hex, reset_ctx),
		cmocka_unit_test_setup(test_decode_base64, reset_ctx),
		cmocka_unit_test_setup(test_roundtrip, reset_ctx),
		cmocka_unit_test_setup(test_parse_id, reset_ctx),
		cmocka_unit_test_setup(test_check_secret, reset_ctx),
		cmocka_unit_test_setup(test_challenge, reset_ctx),
		cmocka_unit_test_setup(test_verify_kat, reset_ctx),
		cmocka_unit_test_setup(test_verify_mismatch, reset_ctx),
		cmocka_unit_test_setup(test_verify_bad_length, reset_ctx),
		cmocka_unit_test_setup(test_verify_secret_rules, reset_ctx),
		cmocka_unit_test_setup(test_verify_state_and_provider,
				       reset_ctx),
		cmocka_unit_test_setup(test_respond_kat, reset_ctx),
		cmocka_unit_test_setup(test_respond_reflection, reset_ctx),
		cmocka_unit_test_setup(test_respond_bad_input, reset_ctx),
		cmocka_unit_test_setup(test_exchange, reset_ctx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
