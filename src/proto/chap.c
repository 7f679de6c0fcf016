// SPDX-License-Identifier: GPL-2.0
/*
 * CHAP (RFC 1994, RFC 7143 section 12.1.3), pure logic: algorithm choice,
 * challenge generation, response checking, mutual-CHAP answers and the
 * RFC 7143 section 6.1 binary-value encodings. The hash is computed by the
 * caller's struct ktgt_chap_hash_ops.
 */
#include <ktgt/proto/chap.h>
#include <ktgt/proto/text.h>

/* Longest "0x..." / "0b..." payload we look at, in characters. */
#define KTGT_CHAP_MAX_HEX_CHARS		(2 * KTGT_CHAP_MAX_CHALLENGE)
#define KTGT_CHAP_MAX_B64_CHARS		(4 * ((KTGT_CHAP_MAX_CHALLENGE + 2) / 3))

static const char ktgt_chap_hexdig[] = "0123456789abcdef";

unsigned int ktgt_chap_digest_len(enum ktgt_chap_alg alg)
{
	switch (alg) {
	case KTGT_CHAP_MD5:
		return 16;
	case KTGT_CHAP_SHA1:
		return 20;
	case KTGT_CHAP_SHA256:
	case KTGT_CHAP_SHA3_256:
		return 32;
	}
	return 0;
}

static bool ktgt_chap_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Return @v so that the compiler no longer knows its value (the kernel's
 * OPTIMIZER_HIDE_VAR): a compare loop cannot become an early exit. Plain
 * GNU C, so it works in both builds.
 */
static inline unsigned int ktgt_chap_hide(unsigned int v)
{
	__asm__ ("" : "+r" (v));
	return v;
}

/* Wipe secret-derived data in a way the compiler will not drop. */
static void ktgt_chap_wipe(void *p, size_t n)
{
	memset(p, 0, n);
	__asm__ __volatile__("" : : "r" (p) : "memory");
}

/* Compare without a data-dependent early exit. Nonzero if they differ. */
static int ktgt_chap_differ(const u8 *a, const u8 *b, size_t n)
{
	unsigned int diff = 0;
	size_t i;

	for (i = 0; i < n; i++)
		diff = ktgt_chap_hide(diff | (a[i] ^ b[i]));
	return diff != 0;
}

int ktgt_chap_check_secret(const u8 *secret, size_t len)
{
	if (!secret || len < KTGT_CHAP_MIN_SECRET || len > KTGT_CHAP_MAX_SECRET)
		return -EINVAL;
	return 0;
}

int ktgt_chap_check_secret_pair(const u8 *isecret, size_t ilen,
				const u8 *tsecret, size_t tlen)
{
	if (ktgt_chap_check_secret(isecret, ilen) ||
	    ktgt_chap_check_secret(tsecret, tlen))
		return -EINVAL;
	if (ilen == tlen && !ktgt_chap_differ(isecret, tsecret, ilen))
		return -EINVAL;
	return 0;
}

int ktgt_chap_select_alg(const char *offer, u32 allowed)
{
	const char *p = offer;
	int chosen = -ENOENT;
	unsigned int v;

	if (!p || !*p)
		return -EINVAL;

	for (;;) {
		if (!ktgt_chap_isdigit(*p))
			return -EINVAL;
		v = 0;
		while (ktgt_chap_isdigit(*p)) {
			/* Saturate: anything this large is unknown anyway. */
			if (v < 1000)
				v = v * 10 + (unsigned int)(*p - '0');
			p++;
		}
		if (chosen < 0 && v < 32 &&
		    ktgt_chap_digest_len((enum ktgt_chap_alg)v) &&
		    (allowed & KTGT_CHAP_ALG_BIT(v)))
			chosen = (int)v;
		if (!*p)
			break;
		if (*p != ',')
			return -EINVAL;
		p++;
	}
	return chosen;
}

int ktgt_chap_encode_hex(const u8 *bin, size_t len, char *out, size_t cap)
{
	size_t i;

	if (!bin || !len || !out)
		return -EINVAL;
	if (len > KTGT_CHAP_MAX_CHALLENGE)
		return -EINVAL;
	if (cap < 3 || len > (cap - 3) / 2)
		return -ENOSPC;

	out[0] = '0';
	out[1] = 'x';
	for (i = 0; i < len; i++) {
		out[2 + 2 * i] = ktgt_chap_hexdig[bin[i] >> 4];
		out[3 + 2 * i] = ktgt_chap_hexdig[bin[i] & 0xf];
	}
	out[2 + 2 * len] = '\0';
	return (int)(2 + 2 * len);
}

static int ktgt_chap_decode_hex(const char *p, u8 *out, size_t cap)
{
	size_t n, i, bytes, o;

	n = strnlen(p, KTGT_CHAP_MAX_HEX_CHARS + 1);
	if (!n || n > KTGT_CHAP_MAX_HEX_CHARS)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (ktgt_text_hexval(p[i]) < 0)
			return -EINVAL;

	/* An odd digit count means the first digit is a lone low nibble. */
	bytes = (n + 1) / 2;
	if (bytes > cap)
		return -ENOSPC;

	i = 0;
	o = 0;
	if (n & 1) {
		out[o++] = (u8)ktgt_text_hexval(p[0]);
		i = 1;
	}
	for (; i < n; i += 2)
		out[o++] = (u8)(ktgt_text_hexval(p[i]) << 4 |
				ktgt_text_hexval(p[i + 1]));
	return (int)bytes;
}

static int ktgt_chap_decode_b64(const char *p, u8 *out, size_t cap)
{
	size_t n, i, pad, data, bytes, o;
	u32 acc;
	int v;

	n = strnlen(p, KTGT_CHAP_MAX_B64_CHARS + 1);
	/* RFC 4648 section 3.2: padded to a multiple of 4 characters. */
	if (!n || n > KTGT_CHAP_MAX_B64_CHARS || n % 4)
		return -EINVAL;

	pad = 0;
	while (pad < n && p[n - 1 - pad] == '=')
		pad++;
	if (pad > 2)
		return -EINVAL;
	data = n - pad;
	for (i = 0; i < data; i++)
		if (ktgt_text_b64val(p[i]) < 0)
			return -EINVAL;

	/*
	 * RFC 4648 section 3.5: the bits after the last full octet must be
	 * zero; anything else is not a canonical encoding.
	 */
	if (pad == 2 && (ktgt_text_b64val(p[data - 1]) & 0x0f))
		return -EINVAL;
	if (pad == 1 && (ktgt_text_b64val(p[data - 1]) & 0x03))
		return -EINVAL;

	bytes = n / 4 * 3 - pad;
	if (bytes > KTGT_CHAP_MAX_CHALLENGE)
		return -EINVAL;
	if (bytes > cap)
		return -ENOSPC;

	acc = 0;
	o = 0;
	for (i = 0; i < data; i++) {
		v = ktgt_text_b64val(p[i]);
		acc = acc << 6 | (u32)v;
		if (i % 4 == 3) {
			out[o++] = (u8)(acc >> 16);
			out[o++] = (u8)(acc >> 8);
			out[o++] = (u8)acc;
			acc = 0;
		}
	}
	if (pad == 2) {
		out[o++] = (u8)(acc >> 4);
	} else if (pad == 1) {
		out[o++] = (u8)(acc >> 10);
		out[o++] = (u8)(acc >> 2);
	}
	return (int)bytes;
}

int ktgt_chap_decode(const char *text, u8 *out, size_t cap)
{
	if (!text || !out)
		return -EINVAL;
	if (text[0] != '0')
		return -EINVAL;
	if (text[1] == 'x' || text[1] == 'X')
		return ktgt_chap_decode_hex(text + 2, out, cap);
	if (text[1] == 'b' || text[1] == 'B')
		return ktgt_chap_decode_b64(text + 2, out, cap);
	return -EINVAL;
}

int ktgt_chap_parse_id(const char *text)
{
	unsigned int v = 0;
	const char *p = text;
	int d;

	if (!p || !*p)
		return -EINVAL;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		if (!*p)
			return -EINVAL;
		for (; *p; p++) {
			d = ktgt_text_hexval(*p);
			if (d < 0)
				return -EINVAL;
			v = v << 4 | (unsigned int)d;
			if (v > 255)
				return -EINVAL;
		}
		return (int)v;
	}

	for (; *p; p++) {
		if (!ktgt_chap_isdigit(*p))
			return -EINVAL;
		v = v * 10 + (unsigned int)(*p - '0');
		if (v > 255)
			return -EINVAL;
	}
	return (int)v;
}

/* Digest length of a usable target state, or -EINVAL. */
static int ktgt_chap_state_len(const struct ktgt_chap_target *t,
			       const struct ktgt_chap_hash_ops *h)
{
	unsigned int dlen;

	if (!t || !h || !h->digest)
		return -EINVAL;
	dlen = ktgt_chap_digest_len(t->alg);
	if (!dlen || t->challenge_len != dlen)
		return -EINVAL;
	return (int)dlen;
}

/* out = H(id || secret || challenge) */
static int ktgt_chap_compute(const struct ktgt_chap_hash_ops *h,
			     enum ktgt_chap_alg alg, u8 id,
			     const u8 *secret, size_t secret_len,
			     const u8 *challenge, size_t challenge_len,
			     u8 *out)
{
	struct ktgt_chap_part parts[3];

	parts[0].data = &id;
	parts[0].len = 1;
	parts[1].data = secret;
	parts[1].len = secret_len;
	parts[2].data = challenge;
	parts[2].len = challenge_len;
	return h->digest(h->ctx, alg, parts, ARRAY_SIZE(parts), out);
}

int ktgt_chap_target_challenge(struct ktgt_chap_target *t,
			       enum ktgt_chap_alg alg,
			       const u8 *random, size_t random_len,
			       char *chap_i, size_t i_cap,
			       char *chap_c, size_t c_cap)
{
	unsigned int dlen = ktgt_chap_digest_len(alg);
	char digits[3];
	unsigned int v;
	size_t nd, i;
	int ret;

	if (!t || !random || !chap_i || !chap_c || !dlen)
		return -EINVAL;
	if (random_len < 1 + (size_t)dlen)
		return -EINVAL;

	v = random[0];
	nd = 0;
	do {
		digits[nd++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (i_cap < nd + 1)
		return -ENOSPC;

	ret = ktgt_chap_encode_hex(random + 1, dlen, chap_c, c_cap);
	if (ret < 0)
		return ret;

	for (i = 0; i < nd; i++)
		chap_i[i] = digits[nd - 1 - i];
	chap_i[nd] = '\0';

	t->alg = alg;
	t->id = random[0];
	memcpy(t->challenge, random + 1, dlen);
	t->challenge_len = dlen;
	return 0;
}

int ktgt_chap_target_verify(const struct ktgt_chap_target *t,
			    const struct ktgt_chap_hash_ops *h,
			    const u8 *secret, size_t secret_len,
			    const char *chap_r)
{
	u8 got[KTGT_CHAP_MAX_DIGEST];
	u8 want[KTGT_CHAP_MAX_DIGEST];
	int dlen, n, ret;

	dlen = ktgt_chap_state_len(t, h);
	if (dlen < 0)
		return dlen;
	if (ktgt_chap_check_secret(secret, secret_len))
		return -EINVAL;

	n = ktgt_chap_decode(chap_r, got, sizeof(got));
	if (n < 0)
		return -EINVAL;
	if (n != dlen)
		return -EINVAL;

	ret = ktgt_chap_compute(h, t->alg, t->id, secret, secret_len,
				t->challenge, t->challenge_len, want);
	if (!ret && ktgt_chap_differ(got, want, (size_t)dlen))
		ret = -EACCES;
	ktgt_chap_wipe(want, sizeof(want));
	return ret;
}

int ktgt_chap_target_respond(const struct ktgt_chap_target *t,
			     const struct ktgt_chap_hash_ops *h,
			     const u8 *secret, size_t secret_len,
			     const char *chap_i, const char *chap_c,
			     char *chap_r, size_t r_cap)
{
	u8 chal[KTGT_CHAP_MAX_CHALLENGE];
	u8 resp[KTGT_CHAP_MAX_DIGEST];
	int dlen, id, n, ret;

	dlen = ktgt_chap_state_len(t, h);
	if (dlen < 0)
		return dlen;
	if (ktgt_chap_check_secret(secret, secret_len) || !chap_r)
		return -EINVAL;

	id = ktgt_chap_parse_id(chap_i);
	if (id < 0)
		return -EINVAL;

	/* Empty and over-long (> KTGT_CHAP_MAX_CHALLENGE) are malformed. */
	n = ktgt_chap_decode(chap_c, chal, sizeof(chal));
	if (n <= 0)
		return -EINVAL;

	/* RFC 7143 12.1.3: our own challenge reflected back. */
	if ((unsigned int)n == t->challenge_len &&
	    !ktgt_chap_differ(chal, t->challenge, t->challenge_len))
		return -EACCES;

	if (r_cap < 3 || (size_t)dlen > (r_cap - 3) / 2)
		return -ENOSPC;

	ret = ktgt_chap_compute(h, t->alg, (u8)id, secret, secret_len,
				chal, (size_t)n, resp);
	if (!ret) {
		ret = ktgt_chap_encode_hex(resp, (size_t)dlen, chap_r, r_cap);
		if (ret > 0)
			ret = 0;
	}
	ktgt_chap_wipe(resp, sizeof(resp));
	return ret;
}
