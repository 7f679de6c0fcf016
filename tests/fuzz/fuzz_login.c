// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the login state machine with a conversation of Login Requests.
 * Input: repeated records of [flags][csg/nsg][len hi][len lo][data...].
 * A toy hash stands in for CHAP (no OpenSSL in fuzz builds); the first
 * record is often made valid so the fuzzer gets past the first request.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <ktgt/proto/login.h>

static int toy_digest(void *ctx, enum ktgt_chap_alg alg,
		      const struct ktgt_chap_part *parts, unsigned int n,
		      u8 *out)
{
	unsigned int len = ktgt_chap_digest_len(alg), i;
	size_t j;
	u32 h = 2166136261u;

	if (!len)
		return -EOPNOTSUPP;
	for (i = 0; i < n; i++)
		for (j = 0; j < parts[i].len; j++)
			h = (h ^ ((const u8 *)parts[i].data)[j]) * 16777619u;
	for (i = 0; i < len; i++) {
		h = h * 16777619u + i;
		out[i] = (u8)(h >> 24);
	}
	return 0;
}

static const struct ktgt_chap_hash_ops hash = { .digest = toy_digest };

static u8 policy;

static int op_lookup(void *ctx, const char *iname, const char *tname,
		     struct ktgt_login_target *t)
{
	if (tname && tname[0] == 'x')
		return KTGT_LOOKUP_NOT_FOUND;
	memset(t, 0, sizeof(*t));
	ktgt_param_limits_default(&t->limits);
	t->limits.max_burst = (policy & 1) ? 65536 : 262144;
	t->limits.immediate_data = !(policy & 2);
	t->limits.iser = policy & 4;
	strcpy(t->limits.alias, "fuzz");
	t->auth.none_ok = !(policy & 8);
	t->auth.chap = true;
	t->auth.mutual_required = policy & 16;
	strcpy(t->auth.user, "u");
	memcpy(t->auth.secret, "0123456789abcdef", 16);
	t->auth.secret_len = 16;
	strcpy(t->auth.mutual_user, "t");
	memcpy(t->auth.mutual_secret, "fedcba9876543210", 16);
	t->auth.mutual_secret_len = (policy & 32) ? 0 : 16;
	return KTGT_LOOKUP_OK;
}

static int op_random(void *ctx, u8 *buf, u32 len)
{
	memset(buf, 0x5a, len);
	return 0;
}

static u16 op_session(void *ctx, const struct ktgt_login_session_info *info,
		      const struct ktgt_negotiated *neg, u16 *tsih)
{
	if (policy & 64)
		return KTGT_LS_SESSION_NOT_FOUND;
	if (!*tsih)
		*tsih = 7;
	return 0;
}

static const struct ktgt_login_ops ops = {
	.lookup = op_lookup,
	.random = op_random,
	.session = op_session,
	.hash = &hash,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ktgt_login lg;
	static u8 out[KTGT_LOGIN_MAX_DATA];
	struct ktgt_login_req req;
	struct ktgt_login_rsp rsp;
	u32 out_len, len, cap;
	size_t pos = 1;
	u8 *seg;
	int rc = KTGT_LOGIN_CONTINUE;

	if (size < 1)
		return 0;
	policy = data[0];
	ktgt_login_init(&lg, &ops);
	memset(&req, 0, sizeof(req));
	if (policy & 0x80) {
		/* a valid opening, so the fuzzer starts past the first request */
		static const char first[] = "InitiatorName=iqn.i\0TargetName=iqn.t"
					    "\0SessionType=Normal\0AuthMethod=CHAP,None";

		rc = ktgt_login_rx(&lg, &req, (const u8 *)first, sizeof(first),
				   &rsp, out, sizeof(out), &out_len);
	}
	while (pos + 4 <= size && rc == KTGT_LOGIN_CONTINUE) {
		req.transit = data[pos] & 0x80;
		req.cont = data[pos] & 0x40;
		req.csg = (data[pos] >> 2) & 3;
		req.nsg = data[pos] & 3;
		req.version_min = (data[pos + 1] & 0x80) ? 1 : 0;
		req.tsih = (data[pos + 1] & 0x40) ? 1 : 0;
		req.isid[0] = data[pos + 1] & 0x20;
		cap = 16u << (data[pos + 1] & 0x0f);
		if (cap > sizeof(out))
			cap = sizeof(out);
		len = (u32)data[pos + 2] << 8 | data[pos + 3];
		pos += 4;
		if (len > size - pos)
			len = (u32)(size - pos);
		/* exact-size heap copy: reads past the end are caught */
		seg = malloc(len ? len : 1);
		if (!seg)
			return 0;
		memcpy(seg, data + pos, len);
		pos += len;
		rc = ktgt_login_rx(&lg, &req, len ? seg : NULL, len, &rsp, out,
				   cap, &out_len);
		free(seg);
		if (out_len > cap)
			__builtin_trap();
		if (rc == KTGT_LOGIN_DONE && !ktgt_login_done(&lg))
			__builtin_trap();
		if (rc == KTGT_LOGIN_FAILED && !rsp.status_class)
			__builtin_trap();
	}
	ktgt_login_release(&lg);
	return 0;
}
