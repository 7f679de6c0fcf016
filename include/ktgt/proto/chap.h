/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CHAP (RFC 1994, RFC 7143 section 12.1.3), pure logic.
 *
 * The hash itself is not computed here: the kernel glue supplies it through
 * the crypto API, the unit tests through OpenSSL. Everything else (choosing
 * CHAP_A, building challenges, checking responses, encodings, replay rules)
 * lives in src/proto/chap.c.
 */
#ifndef KTGT_PROTO_CHAP_H
#define KTGT_PROTO_CHAP_H

#include <ktgt/proto/platform.h>

/* CHAP_A values, IANA "PPP Authentication Algorithms" registry. */
enum ktgt_chap_alg {
	KTGT_CHAP_MD5 = 5,
	KTGT_CHAP_SHA1 = 6,
	KTGT_CHAP_SHA256 = 7,
	KTGT_CHAP_SHA3_256 = 8,
};

#define KTGT_CHAP_MAX_DIGEST	32	/* SHA-256, SHA3-256 */
#define KTGT_CHAP_MAX_SECRET	256
#define KTGT_CHAP_MIN_SECRET	12	/* RFC 7143 12.1.3: at least 96 bits */
#define KTGT_CHAP_MAX_NAME	256
#define KTGT_CHAP_MAX_CHALLENGE	1024	/* bytes, binary */

/*
 * Hash provider. digest() hashes the concatenation of n parts with @alg and
 * writes ktgt_chap_digest_len(@alg) bytes to @out. Returns 0 or -errno
 * (-EOPNOTSUPP if this build lacks @alg).
 */
struct ktgt_chap_part {
	const void *data;
	size_t len;
};

struct ktgt_chap_hash_ops {
	int (*digest)(void *ctx, enum ktgt_chap_alg alg,
		      const struct ktgt_chap_part *parts, unsigned int n,
		      u8 *out);
	void *ctx;
};

/* Digest length in bytes of @alg, or 0 if @alg is unknown. */
unsigned int ktgt_chap_digest_len(enum ktgt_chap_alg alg);

/* Bit for @alg in an "allowed algorithms" mask. */
#define KTGT_CHAP_ALG_BIT(alg)	(1u << (alg))
#define KTGT_CHAP_ALG_ALL	(KTGT_CHAP_ALG_BIT(KTGT_CHAP_MD5) | \
				 KTGT_CHAP_ALG_BIT(KTGT_CHAP_SHA1) | \
				 KTGT_CHAP_ALG_BIT(KTGT_CHAP_SHA256) | \
				 KTGT_CHAP_ALG_BIT(KTGT_CHAP_SHA3_256))

/*
 * Pick an algorithm from the initiator's CHAP_A value (a comma list such as
 * "7,5"): the first one offered that is in @allowed. Returns the algorithm,
 * or -ENOENT if none is acceptable (the target answers CHAP_A=Reject and
 * fails the login), -EINVAL if the list is malformed.
 */
int ktgt_chap_select_alg(const char *offer, u32 allowed);

/*
 * Binary to "0x..." (lower-case hex), NUL-terminated: @cap must hold
 * 2 + 2 * @len + 1 chars. Returns chars written (no NUL) or -ENOSPC;
 * -EINVAL for @len 0 (no valid encoding) or @len > KTGT_CHAP_MAX_CHALLENGE.
 */
int ktgt_chap_encode_hex(const u8 *bin, size_t len, char *out, size_t cap);

/*
 * "0x..."/"0X..." hex or "0b..."/"0B..." base64 (RFC 7143 section 6.1) to
 * binary. Returns the number of bytes (always >= 1), -EINVAL if malformed,
 * -ENOSPC if longer than @cap.
 *
 * Hex: one or more digits, either case; an odd digit count makes the first
 * digit a byte of its own ("0xabc" is 0x0a 0xbc). Base64: RFC 4648 section 4
 * alphabet, padded to a multiple of 4 with at most two '=', non-zero pad
 * bits rejected. Empty values, any other prefix or character, and values
 * longer than KTGT_CHAP_MAX_CHALLENGE bytes are -EINVAL whatever @cap is.
 */
int ktgt_chap_decode(const char *text, u8 *out, size_t cap);

/* Target-side state of one CHAP exchange. */
struct ktgt_chap_target {
	enum ktgt_chap_alg alg;
	u8 id;					/* CHAP_I we sent */
	u8 challenge[KTGT_CHAP_MAX_DIGEST];	/* CHAP_C we sent */
	unsigned int challenge_len;
};

/*
 * Start an exchange: id and challenge come from @random (caller fills it
 * from the kernel RNG; at least 1 + digest_len bytes). Writes the CHAP_I
 * value (decimal) and CHAP_C value (hex) as NUL-terminated strings.
 * Returns 0 or -EINVAL/-ENOSPC.
 */
int ktgt_chap_target_challenge(struct ktgt_chap_target *t,
			       enum ktgt_chap_alg alg,
			       const u8 *random, size_t random_len,
			       char *chap_i, size_t i_cap,
			       char *chap_c, size_t c_cap);

/*
 * Check the initiator's CHAP_R text against @secret. 0 if it matches,
 * -EACCES if it does not, -EINVAL if malformed or of the wrong length, or if
 * @secret fails ktgt_chap_check_secret(). Errors of the hash provider
 * (-EOPNOTSUPP, -ENOMEM, ...) are passed through. The comparison is
 * constant-time.
 */
int ktgt_chap_target_verify(const struct ktgt_chap_target *t,
			    const struct ktgt_chap_hash_ops *h,
			    const u8 *secret, size_t secret_len,
			    const char *chap_r);

/*
 * Mutual CHAP: answer the initiator's CHAP_I/CHAP_C with our CHAP_R
 * (hex, NUL-terminated) computed with the target @secret. Refuses
 * (-EACCES) a challenge equal to the one we sent (reflection attack) and
 * (-EINVAL) malformed or out-of-range values: CHAP_I not 0..255 (decimal or
 * "0x" hex), CHAP_C empty, undecodable or over KTGT_CHAP_MAX_CHALLENGE
 * bytes, @secret failing ktgt_chap_check_secret(). -ENOSPC if @r_cap is
 * below 2 + 2 * digest_len + 1.
 *
 * Call it only after ktgt_chap_target_verify() accepted the initiator, or
 * an unauthenticated peer gets a hash oracle on the target secret. Uses
 * about KTGT_CHAP_MAX_CHALLENGE bytes of stack.
 */
int ktgt_chap_target_respond(const struct ktgt_chap_target *t,
			     const struct ktgt_chap_hash_ops *h,
			     const u8 *secret, size_t secret_len,
			     const char *chap_i, const char *chap_c,
			     char *chap_r, size_t r_cap);

/*
 * A CHAP secret is usable if it is KTGT_CHAP_MIN_SECRET..KTGT_CHAP_MAX_SECRET
 * bytes long. 0 or -EINVAL. verify() and respond() apply this check.
 */
int ktgt_chap_check_secret(const u8 *secret, size_t len);

/*
 * For configuration: both secrets usable and not equal (RFC 7143 12.1.3: a
 * secret used to authenticate initiators MUST NOT be used to authenticate
 * targets, and vice versa). 0 or -EINVAL.
 */
int ktgt_chap_check_secret_pair(const u8 *isecret, size_t ilen,
				const u8 *tsecret, size_t tlen);

/*
 * Parse a CHAP_I value: decimal or "0x" hex, 0..255. Returns the
 * identifier or -EINVAL.
 */
int ktgt_chap_parse_id(const char *text);

#endif /* KTGT_PROTO_CHAP_H */
