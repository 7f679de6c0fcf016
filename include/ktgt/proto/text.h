/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iSCSI text data segments (RFC 7143 section 6.1): "key=value\0" pairs.
 *
 * Parsing works in place on a caller buffer and never reads past its
 * length. Values that arrive split over several PDUs (C bit) are collected
 * in a struct ktgt_text_accum first. Output is built into a struct
 * ktgt_text_buf and handed out in chunks of at most the peer's
 * MaxRecvDataSegmentLength, with the C bit set on all but the last.
 */
#ifndef KTGT_PROTO_TEXT_H
#define KTGT_PROTO_TEXT_H

#include <ktgt/proto/platform.h>

#define KTGT_TEXT_KEY_MAX	63	/* RFC 7143 6.1: key names */
#define KTGT_TEXT_SIMPLE_MAX	255	/* simple value, not encoded */
#define KTGT_TEXT_VALUE_MAX	8192	/* any value, e.g. CHAP_C/CHAP_R */

/* One pair, pointing into the parsed buffer. val[val_len] is the NUL. */
struct ktgt_kv {
	const char *key;
	u32 key_len;
	const char *val;
	u32 val_len;
};

struct ktgt_text_iter {
	const u8 *buf;
	u32 len;
	u32 pos;
};

void ktgt_text_iter_init(struct ktgt_text_iter *it, const void *buf, u32 len);

/*
 * Next pair. Returns 1 with *kv filled, 0 at the end of the buffer,
 * -EINVAL for a pair without '=', with an empty key, with a non-printable
 * byte in the key, or without a terminating NUL, -E2BIG if the key is over
 * KTGT_TEXT_KEY_MAX or the value over KTGT_TEXT_VALUE_MAX bytes. Runs of
 * NUL bytes between pairs (padding some initiators leave) are skipped.
 */
int ktgt_text_next(struct ktgt_text_iter *it, struct ktgt_kv *kv);

/* Number of pairs in @buf, or the first error ktgt_text_next() returns. */
int ktgt_text_count(const void *buf, u32 len);

/* True if the pair's key is exactly @name. */
bool ktgt_kv_key_is(const struct ktgt_kv *kv, const char *name);

/* True if the value is exactly @s. */
bool ktgt_kv_val_is(const struct ktgt_kv *kv, const char *s);

/*
 * RFC 7143 6.1 numerical-value: decimal ("0" or no leading zero), hex
 * ("0x"/"0X" + 1..16 digits) or base64 ("0b"/"0B", at most 8 bytes).
 * 0, -EINVAL if malformed, -ERANGE if it does not fit in 64 bits.
 */
int ktgt_text_parse_num(const char *s, u32 len, u64 *out);

/* u32 to decimal, NUL-terminated. @buf needs 11 bytes. Returns length. */
u32 ktgt_text_u32_str(u32 v, char *buf);

/* Value of hex digit @c, or -1 (RFC 7143 6.1 hex-constant). */
int ktgt_text_hexval(char c);
/* Value of base64 (RFC 4648 section 4 alphabet) character @c, or -1. */
int ktgt_text_b64val(char c);

/* Multi-PDU accumulation of one request (C bit) into a caller buffer. */
struct ktgt_text_accum {
	u8 *buf;
	u32 cap;
	u32 len;
};

void ktgt_text_accum_init(struct ktgt_text_accum *a, u8 *buf, u32 cap);
/* 0, or -ENOSPC (nothing appended) if the total would exceed the capacity. */
int ktgt_text_accum_add(struct ktgt_text_accum *a, const void *data, u32 len);
void ktgt_text_accum_reset(struct ktgt_text_accum *a);

/* Output builder over a caller buffer; @sent tracks chunked transmission. */
struct ktgt_text_buf {
	u8 *buf;
	u32 cap;
	u32 len;
	u32 sent;
};

void ktgt_text_buf_init(struct ktgt_text_buf *b, u8 *buf, u32 cap);
void ktgt_text_buf_reset(struct ktgt_text_buf *b);

/*
 * Append "key=value\0". @klen is the key length (the key need not be
 * NUL-terminated). 0, or -ENOSPC with the buffer unchanged.
 */
int ktgt_text_add_n(struct ktgt_text_buf *b, const char *key, u32 klen,
		    const char *val);
int ktgt_text_add(struct ktgt_text_buf *b, const char *key, const char *val);
int ktgt_text_add_u32(struct ktgt_text_buf *b, const char *key, u32 v);

/*
 * Copy the next at most @max unsent bytes to @out and mark them sent.
 * Returns the number copied; *more is true when output remains, i.e. the
 * PDU carrying this chunk must have the C bit set.
 */
u32 ktgt_text_take(struct ktgt_text_buf *b, u8 *out, u32 max, bool *more);

static inline bool ktgt_text_pending(const struct ktgt_text_buf *b)
{
	return b->sent < b->len;
}

#endif /* KTGT_PROTO_TEXT_H */
