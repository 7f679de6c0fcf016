// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for src/proto/chap.c: the binary-value decoder (checked
 * by re-encoding), CHAP_A selection, CHAP_I parsing, and the target's
 * verify/respond on arbitrary CHAP_R/CHAP_I/CHAP_C strings.
 *
 * Input: byte 0 picks the algorithm mask and output capacity, the rest is
 * split at '\n' into up to three strings (CHAP_R or CHAP_I, CHAP_C, ...).
 * The fuzz build has no OpenSSL, so the hash is a toy mixing function: the
 * point is the parsing and bookkeeping around it, not the digest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ktgt/proto/chap.h>

#define CHECK(c)	do { if (!(c)) __builtin_trap(); } while (0)

static int toy_digest(void *ctx, enum ktgt_chap_alg alg,
		      const struct ktgt_chap_part *parts, unsigned int n,
		      u8 *out)
{
	unsigned int dlen = ktgt_chap_digest_len(alg);
	u64 h = 0xcbf29ce484222325ull;
	unsigned int i, k;
	size_t j;

	CHECK(dlen);
	for (i = 0; i < n; i++) {
		const u8 *p = parts[i].data;

		CHECK(parts[i].len <= KTGT_CHAP_MAX_CHALLENGE);
		for (j = 0; j < parts[i].len; j++)
			h = (h ^ p[j]) * 0x100000001b3ull;
		h = (h ^ 0xff) * 0x100000001b3ull;
	}
	for (k = 0; k < dlen; k++) {
		h = (h ^ k) * 0x100000001b3ull;
		out[k] = (u8)(h >> 56);
	}
	return 0;
}

static const struct ktgt_chap_hash_ops toy_hash = {
	.digest = toy_digest,
};

static const u8 secret[] = "fuzz-secret-0123";
static const u8 tsecret[] = "fuzz-target-secret";

static void check_decode(const char *s, unsigned int cap)
{
	u8 *out, *back;
	char *hex;
	int n, m;

	/* Exact-size heap buffer, so ASan sees any write past @cap. */
	out = malloc(cap ? cap : 1);
	CHECK(out);
	n = ktgt_chap_decode(s, out, cap);
	CHECK(n == -EINVAL || n == -ENOSPC || (n >= 1 && (unsigned int)n <= cap));
	CHECK(n <= KTGT_CHAP_MAX_CHALLENGE);
	if (n > 0) {
		hex = malloc(2 + 2 * (size_t)n + 1);
		back = malloc((size_t)n);
		CHECK(hex && back);
		CHECK(ktgt_chap_encode_hex(out, (size_t)n, hex,
					   2 + 2 * (size_t)n + 1) == 2 + 2 * n);
		m = ktgt_chap_decode(hex, back, (size_t)n);
		CHECK(m == n);
		CHECK(!memcmp(out, back, (size_t)n));
		free(hex);
		free(back);
	}
	free(out);
}

static void check_select(const char *s, u32 allowed)
{
	int r = ktgt_chap_select_alg(s, allowed);

	if (r >= 0) {
		CHECK(ktgt_chap_digest_len((enum ktgt_chap_alg)r));
		CHECK(allowed & KTGT_CHAP_ALG_BIT(r));
	} else {
		CHECK(r == -EINVAL || r == -ENOENT);
	}
}

static void check_exchange(enum ktgt_chap_alg alg, const u8 *rnd,
			   const char *f0, const char *f1, unsigned int r_cap)
{
	struct ktgt_chap_target t;
	char ci[4], cc[2 + 2 * KTGT_CHAP_MAX_DIGEST + 1];
	char r[2 + 2 * KTGT_CHAP_MAX_DIGEST + 1];
	struct ktgt_chap_part parts[3];
	u8 d[KTGT_CHAP_MAX_DIGEST];
	unsigned int dlen = ktgt_chap_digest_len(alg);
	int ret;

	memset(&t, 0, sizeof(t));
	ret = ktgt_chap_target_challenge(&t, alg, rnd, 1 + dlen, ci,
					 sizeof(ci), cc, sizeof(cc));
	CHECK(ret == 0);
	CHECK(t.challenge_len == dlen);

	ret = ktgt_chap_target_verify(&t, &toy_hash, secret, 16, f0);
	CHECK(ret == 0 || ret == -EACCES || ret == -EINVAL);

	/* The right answer passes, a one-bit change does not. */
	parts[0].data = &t.id;
	parts[0].len = 1;
	parts[1].data = secret;
	parts[1].len = 16;
	parts[2].data = t.challenge;
	parts[2].len = t.challenge_len;
	CHECK(!toy_digest(NULL, alg, parts, 3, d));
	CHECK(ktgt_chap_encode_hex(d, dlen, r, sizeof(r)) == 2 + 2 * (int)dlen);
	CHECK(!ktgt_chap_target_verify(&t, &toy_hash, secret, 16, r));
	d[rnd[0] % dlen] ^= (u8)(1u << (rnd[1] & 7));
	CHECK(ktgt_chap_encode_hex(d, dlen, r, sizeof(r)) == 2 + 2 * (int)dlen);
	CHECK(ktgt_chap_target_verify(&t, &toy_hash, secret, 16, r) ==
	      -EACCES);

	if (r_cap > sizeof(r))
		r_cap = sizeof(r);
	ret = ktgt_chap_target_respond(&t, &toy_hash, tsecret, 18, f0, f1,
				       r, r_cap);
	CHECK(ret == 0 || ret == -EACCES || ret == -EINVAL || ret == -ENOSPC);
	if (!ret) {
		CHECK(strlen(r) == 2 + 2 * (size_t)dlen);
		CHECK(r[0] == '0' && r[1] == 'x');
	}
	/* Our own challenge always bounces. */
	ret = ktgt_chap_target_respond(&t, &toy_hash, tsecret, 18, "1", cc,
				       r, sizeof(r));
	CHECK(ret == -EACCES);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const enum ktgt_chap_alg algs[] = {
		KTGT_CHAP_MD5, KTGT_CHAP_SHA1, KTGT_CHAP_SHA256,
		KTGT_CHAP_SHA3_256,
	};
	u8 rnd[1 + KTGT_CHAP_MAX_DIGEST];
	char *text, *f[3];
	unsigned int nf, i, cap;
	u8 sel;
	int id;

	if (!size)
		return 0;
	sel = data[0];
	data++;
	size--;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	/* The whole text (up to an embedded NUL) through every parser. */
	cap = sel & 0x80 ? KTGT_CHAP_MAX_CHALLENGE + 8 : (sel & 0x3f);
	check_decode(text, cap);
	check_select(text, sel & 1 ? KTGT_CHAP_ALG_ALL : (u32)sel << 3);
	id = ktgt_chap_parse_id(text);
	CHECK(id == -EINVAL || (id >= 0 && id <= 255));

	/* Split into fields for the exchange. */
	f[0] = text;
	f[1] = "";
	f[2] = "";
	nf = 1;
	for (i = 0; i < size && nf < 3; i++) {
		if (text[i] == '\n') {
			text[i] = '\0';
			f[nf++] = text + i + 1;
		}
	}

	for (i = 0; i < sizeof(rnd); i++)
		rnd[i] = (u8)(sel * 31 + i * 17);
	check_exchange(algs[sel & 3], rnd, f[0], f[1], 3 + (sel >> 2));
	check_exchange(algs[(sel >> 2) & 3], rnd, f[1], f[2], sizeof(rnd) * 3);

	free(text);
	return 0;
}
