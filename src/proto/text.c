// SPDX-License-Identifier: GPL-2.0
/*
 * iSCSI text data segments: key=value parsing, numbers, accumulation of
 * multi-PDU requests and chunked output (RFC 7143 sections 6.1, 11.10).
 */
#include <ktgt/proto/text.h>

void ktgt_text_iter_init(struct ktgt_text_iter *it, const void *buf, u32 len)
{
	it->buf = buf;
	it->len = buf ? len : 0;
	it->pos = 0;
}

int ktgt_text_next(struct ktgt_text_iter *it, struct ktgt_kv *kv)
{
	const u8 *p;
	u32 rem, i, eq, end;

	while (it->pos < it->len && it->buf[it->pos] == 0)
		it->pos++;
	if (it->pos >= it->len)
		return 0;
	p = it->buf + it->pos;
	rem = it->len - it->pos;

	eq = rem;
	end = rem;
	for (i = 0; i < rem; i++) {
		if (p[i] == 0) {
			end = i;
			break;
		}
		if (p[i] == '=' && eq == rem)
			eq = i;
	}
	if (end == rem)
		return -EINVAL;		/* no terminating NUL */
	if (eq == rem || eq == 0)
		return -EINVAL;		/* no '=' or empty key */
	if (eq > KTGT_TEXT_KEY_MAX || end - eq - 1 > KTGT_TEXT_VALUE_MAX)
		return -E2BIG;
	for (i = 0; i < eq; i++)
		if (p[i] < 0x21 || p[i] > 0x7e)
			return -EINVAL;

	kv->key = (const char *)p;
	kv->key_len = eq;
	kv->val = (const char *)p + eq + 1;
	kv->val_len = end - eq - 1;
	it->pos += end + 1;
	return 1;
}

int ktgt_text_count(const void *buf, u32 len)
{
	struct ktgt_text_iter it;
	struct ktgt_kv kv;
	int n = 0, rc;

	ktgt_text_iter_init(&it, buf, len);
	while ((rc = ktgt_text_next(&it, &kv)) > 0)
		n++;
	return rc < 0 ? rc : n;
}

bool ktgt_kv_key_is(const struct ktgt_kv *kv, const char *name)
{
	size_t n = strlen(name);

	return n == kv->key_len && !memcmp(kv->key, name, n);
}

bool ktgt_kv_val_is(const struct ktgt_kv *kv, const char *s)
{
	size_t n = strlen(s);

	return n == kv->val_len && !memcmp(kv->val, s, n);
}

int ktgt_text_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ktgt_text_b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int ktgt_text_parse_b64(const char *s, u32 len, u64 *out)
{
	u64 v = 0;
	u32 i, pad = 0, bits = 0, nbytes = 0, acc = 0;
	int d;

	if (len == 0 || len % 4)
		return -EINVAL;
	while (pad < 2 && pad < len && s[len - 1 - pad] == '=')
		pad++;
	for (i = 0; i < len - pad; i++) {
		d = ktgt_text_b64val(s[i]);
		if (d < 0)
			return -EINVAL;
		acc = (acc << 6) | (u32)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (++nbytes > 8)
				return -ERANGE;
			v = (v << 8) | ((acc >> bits) & 0xff);
		}
	}
	if (acc & ((1u << bits) - 1))
		return -EINVAL;		/* non-zero pad bits */
	if (nbytes == 0)
		return -EINVAL;
	*out = v;
	return 0;
}

int ktgt_text_parse_num(const char *s, u32 len, u64 *out)
{
	u64 v = 0;
	u32 i;
	int d;

	if (!s || len == 0)
		return -EINVAL;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (len - 2 > 16)
			return -ERANGE;
		for (i = 2; i < len; i++) {
			d = ktgt_text_hexval(s[i]);
			if (d < 0)
				return -EINVAL;
			v = (v << 4) | (u64)d;
		}
		*out = v;
		return 0;
	}
	if (len > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		return ktgt_text_parse_b64(s + 2, len - 2, out);
	if (s[0] == '0' && len > 1)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = s[i] - '0';
		if (v > (~(u64)0 - (u64)d) / 10)
			return -ERANGE;
		v = v * 10 + (u64)d;
	}
	*out = v;
	return 0;
}

u32 ktgt_text_u32_str(u32 v, char *buf)
{
	char tmp[10];
	u32 n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = 0;
	return n;
}

void ktgt_text_accum_init(struct ktgt_text_accum *a, u8 *buf, u32 cap)
{
	a->buf = buf;
	a->cap = buf ? cap : 0;
	a->len = 0;
}

int ktgt_text_accum_add(struct ktgt_text_accum *a, const void *data, u32 len)
{
	if (len > a->cap - a->len)
		return -ENOSPC;
	if (len)
		memcpy(a->buf + a->len, data, len);
	a->len += len;
	return 0;
}

void ktgt_text_accum_reset(struct ktgt_text_accum *a)
{
	a->len = 0;
}

void ktgt_text_buf_init(struct ktgt_text_buf *b, u8 *buf, u32 cap)
{
	b->buf = buf;
	b->cap = buf ? cap : 0;
	b->len = 0;
	b->sent = 0;
}

void ktgt_text_buf_reset(struct ktgt_text_buf *b)
{
	b->len = 0;
	b->sent = 0;
}

int ktgt_text_add_n(struct ktgt_text_buf *b, const char *key, u32 klen,
		    const char *val)
{
	size_t vlen = strlen(val);
	u32 room = b->cap - b->len;

	if ((u64)klen + vlen + 2 > room)
		return -ENOSPC;
	memcpy(b->buf + b->len, key, klen);
	b->buf[b->len + klen] = '=';
	memcpy(b->buf + b->len + klen + 1, val, vlen);
	b->buf[b->len + klen + 1 + vlen] = 0;
	b->len += klen + (u32)vlen + 2;
	return 0;
}

int ktgt_text_add(struct ktgt_text_buf *b, const char *key, const char *val)
{
	return ktgt_text_add_n(b, key, (u32)strlen(key), val);
}

int ktgt_text_add_u32(struct ktgt_text_buf *b, const char *key, u32 v)
{
	char num[11];

	ktgt_text_u32_str(v, num);
	return ktgt_text_add(b, key, num);
}

u32 ktgt_text_take(struct ktgt_text_buf *b, u8 *out, u32 max, bool *more)
{
	u32 n = b->len - b->sent;

	if (n > max)
		n = max;
	if (n)
		memcpy(out, b->buf + b->sent, n);
	b->sent += n;
	*more = b->sent < b->len;
	return n;
}
