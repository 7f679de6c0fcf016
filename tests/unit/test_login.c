// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/proto/login.c: whole login conversations, driven the
 * way the kernel glue drives them. OpenSSL EVP provides the CHAP hashes;
 * the test plays the initiator, computing its own CHAP responses.
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

#include <ktgt/proto/login.h>

#define TNAME	"iqn.2024-01.org.ktgt:disk1"
#define INAME	"iqn.1994-05.com.example:host1"
#define ISECRET	"initiator-secret-1"
#define TSECRET	"target-secret-0002"

/* ---- ops ------------------------------------------------------------- */

static const EVP_MD *md_of(enum ktgt_chap_alg alg)
{
	switch (alg) {
	case KTGT_CHAP_MD5:
		return EVP_md5();
	case KTGT_CHAP_SHA1:
		return EVP_sha1();
	case KTGT_CHAP_SHA256:
		return EVP_sha256();
	case KTGT_CHAP_SHA3_256:
		return EVP_sha3_256();
	default:
		return NULL;
	}
}

static int evp_digest(void *ctx, enum ktgt_chap_alg alg,
		      const struct ktgt_chap_part *parts, unsigned int n,
		      u8 *out)
{
	const EVP_MD *md = md_of(alg);
	EVP_MD_CTX *c;
	unsigned int len = 0, i;
	int ok;

	if (!md)
		return -EOPNOTSUPP;
	c = EVP_MD_CTX_new();
	ok = EVP_DigestInit_ex(c, md, NULL);
	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(c, parts[i].data, parts[i].len);
	if (ok)
		ok = EVP_DigestFinal_ex(c, out, &len);
	EVP_MD_CTX_free(c);
	return ok ? 0 : -EIO;
}

static const struct ktgt_chap_hash_ops hash_ops = { .digest = evp_digest };

struct fixture {
	int lookup_rc;
	struct ktgt_login_target tgt;		/* given to normal sessions */
	struct ktgt_login_target disc;		/* given to discovery */
	int lookups;
	bool lookup_discovery;
	char lookup_iname[256];
	u16 session_status;
	int sessions;
	struct ktgt_login_session_info info;
	struct ktgt_negotiated neg;		/* what op_session was given */
	u8 rnd;
};

static struct fixture fx;

static int op_lookup(void *ctx, const char *iname, const char *tname,
		     struct ktgt_login_target *t)
{
	struct fixture *f = ctx;

	f->lookups++;
	snprintf(f->lookup_iname, sizeof(f->lookup_iname), "%s", iname);
	f->lookup_discovery = !tname;
	if (f->lookup_rc)
		return f->lookup_rc;
	if (tname && strcmp(tname, TNAME))
		return KTGT_LOOKUP_NOT_FOUND;
	*t = tname ? f->tgt : f->disc;
	return KTGT_LOOKUP_OK;
}

static int op_random(void *ctx, u8 *buf, u32 len)
{
	struct fixture *f = ctx;
	u32 i;

	for (i = 0; i < len; i++)
		buf[i] = (u8)(f->rnd++ * 37 + 11);
	return 0;
}

static u16 op_session(void *ctx, const struct ktgt_login_session_info *info,
		      const struct ktgt_negotiated *neg, u16 *tsih)
{
	struct fixture *f = ctx;

	f->sessions++;
	f->info = *info;
	f->neg = *neg;
	if (f->session_status)
		return f->session_status;
	if (!*tsih)
		*tsih = 0x1234;
	return 0;
}

static const struct ktgt_login_ops ops = {
	.lookup = op_lookup,
	.random = op_random,
	.session = op_session,
	.hash = &hash_ops,
	.ctx = &fx,
};

/* ---- conversation helpers --------------------------------------------- */

static struct ktgt_login *lg;
static struct ktgt_login_req req;
static struct ktgt_login_rsp rsp;
static u8 out[KTGT_LOGIN_MAX_DATA];
static u32 out_len;
static char got[4096];

static int setup(void **state)
{
	memset(&fx, 0, sizeof(fx));
	ktgt_param_limits_default(&fx.tgt.limits);
	fx.tgt.limits.tpgt = 3;
	fx.tgt.limits.max_recv_dsl = 262144;
	fx.tgt.auth.none_ok = true;
	fx.disc = fx.tgt;
	lg = calloc(1, sizeof(*lg));
	ktgt_login_init(lg, &ops);
	memset(&req, 0, sizeof(req));
	memcpy(req.isid, "\x80\x12\x34\x56\x00\x01", 6);
	req.itt = 0x77;
	return 0;
}

static int teardown(void **state)
{
	ktgt_login_release(lg);
	free(lg);
	return 0;
}

static void set_chap(bool required, u32 algs)
{
	struct ktgt_auth_policy *p = &fx.tgt.auth;

	p->none_ok = !required;
	p->chap = true;
	p->chap_algs = algs;
	strcpy(p->user, "iuser");
	memcpy(p->secret, ISECRET, strlen(ISECRET));
	p->secret_len = strlen(ISECRET);
	strcpy(p->mutual_user, "tuser");
	memcpy(p->mutual_secret, TSECRET, strlen(TSECRET));
	p->mutual_secret_len = strlen(TSECRET);
}

/* Send "K=V|K=V|" with the given stage bits. */
static int sendf(u8 csg, bool t, u8 nsg, const char *s)
{
	static u8 data[8192];
	u32 n = (u32)strlen(s), i;

	for (i = 0; i < n; i++)
		data[i] = s[i] == '|' ? 0 : (u8)s[i];
	req.csg = csg;
	req.nsg = nsg;
	req.transit = t;
	req.cont = false;
	return ktgt_login_rx(lg, &req, data, n, &rsp, out, sizeof(out),
			     &out_len);
}

static const char *val(const char *key)
{
	struct ktgt_text_iter it;
	struct ktgt_kv kv;

	ktgt_text_iter_init(&it, out, out_len);
	while (ktgt_text_next(&it, &kv) > 0) {
		if (ktgt_kv_key_is(&kv, key)) {
			memcpy(got, kv.val, kv.val_len + 1);
			return got;
		}
	}
	return NULL;
}

static u16 status(void)
{
	return (u16)(rsp.status_class << 8 | rsp.status_detail);
}

#define FIRST_KEYS "InitiatorName=" INAME "|SessionType=Normal|TargetName=" TNAME "|"

/* ---- tests -------------------------------------------------------------- */

static void test_no_auth_direct_operational(void **state)
{
	const struct ktgt_negotiated *v;

	assert_int_equal(sendf(1, true, 3, FIRST_KEYS
			       "MaxBurstLength=1048576|FirstBurstLength=262144|"
			       "InitialR2T=No|ImmediateData=Yes|"
			       "HeaderDigest=CRC32C,None|DataDigest=None|"
			       "MaxRecvDataSegmentLength=65536|"
			       "ErrorRecoveryLevel=0|X-vendor=1|"),
			 KTGT_LOGIN_DONE);
	assert_int_equal(status(), 0);
	assert_true(rsp.transit);
	assert_int_equal(rsp.csg, 1);
	assert_int_equal(rsp.nsg, 3);
	assert_int_equal(rsp.tsih, 0x1234);
	assert_int_equal(rsp.itt, 0x77);
	assert_memory_equal(rsp.isid, req.isid, 6);
	assert_int_equal(rsp.version_max, 0);
	assert_int_equal(rsp.version_active, 0);
	assert_string_equal(val("TargetPortalGroupTag"), "3");
	assert_string_equal(val("MaxRecvDataSegmentLength"), "262144");
	assert_string_equal(val("MaxBurstLength"), "262144");
	assert_string_equal(val("FirstBurstLength"), "65536");
	assert_string_equal(val("InitialR2T"), "No");
	assert_string_equal(val("HeaderDigest"), "CRC32C");
	assert_string_equal(val("X-vendor"), "NotUnderstood");
	assert_int_equal(fx.lookups, 1);
	assert_false(fx.lookup_discovery);
	assert_string_equal(fx.lookup_iname, INAME);
	assert_int_equal(fx.sessions, 1);
	assert_int_equal(fx.info.tsih, 0);
	assert_string_equal(fx.info.initiator_name, INAME);
	assert_string_equal(fx.info.target_name, TNAME);
	v = ktgt_login_done(lg);
	assert_non_null(v);
	assert_true(v->header_digest);
	assert_false(v->data_digest);
	assert_int_equal(v->max_recv_dsl, 262144);
	assert_int_equal(v->max_xmit_dsl, 65536);
	assert_int_equal(v->max_burst, 262144);
	assert_int_equal(v->first_burst, 65536);
	assert_false(v->initial_r2t);
	assert_true(v->immediate_data);
	assert_int_equal(v->session_type, KTGT_SESSION_NORMAL);
	assert_string_equal(v->initiator_name, INAME);
	assert_string_equal(v->target_name, TNAME);

	/* nothing more after DONE */
	assert_int_equal(sendf(3, false, 0, ""), KTGT_LOGIN_FAILED);
}

static void test_security_none_then_operational(void **state)
{
	strcpy(fx.tgt.limits.alias, "my disk");
	assert_int_equal(sendf(0, true, 1, FIRST_KEYS "AuthMethod=None|"),
			 KTGT_LOGIN_CONTINUE);
	assert_true(rsp.transit);
	assert_int_equal(rsp.csg, 0);
	assert_int_equal(rsp.nsg, 1);
	assert_int_equal(rsp.tsih, 0);
	assert_string_equal(val("AuthMethod"), "None");
	assert_string_equal(val("TargetPortalGroupTag"), "3");
	assert_string_equal(val("TargetAlias"), "my disk");
	assert_null(ktgt_login_done(lg));

	/* operational without T first: no transit, no MRDSL yet */
	assert_int_equal(sendf(1, false, 0, "MaxBurstLength=65536|"), KTGT_LOGIN_CONTINUE);
	assert_false(rsp.transit);
	assert_string_equal(val("MaxBurstLength"), "65536");
	assert_null(val("TargetPortalGroupTag"));
	assert_int_equal(sendf(1, true, 3, "DataDigest=None|"), KTGT_LOGIN_DONE);
	assert_true(rsp.transit);
	assert_int_equal(rsp.nsg, 3);
	assert_string_equal(val("MaxRecvDataSegmentLength"), "262144");
	assert_int_equal(ktgt_login_done(lg)->max_burst, 65536);
}

/* Security -> full feature directly. */
static void test_security_to_ffp(void **state)
{
	assert_int_equal(sendf(0, true, 3, FIRST_KEYS "AuthMethod=None|"),
			 KTGT_LOGIN_DONE);
	assert_true(rsp.transit);
	assert_int_equal(rsp.nsg, 3);
	/* no MaxRecvDataSegmentLength declared: 8192 both ways */
	assert_int_equal(ktgt_login_done(lg)->max_recv_dsl, 8192);
	assert_int_equal(ktgt_login_done(lg)->max_xmit_dsl, 8192);
}

/* Our limits need an operational stage: 0 -> 3 is steered to 1. */
static void test_security_to_ffp_steered(void **state)
{
	fx.tgt.limits.max_burst = 65536;
	assert_int_equal(sendf(0, true, 3, FIRST_KEYS "AuthMethod=None|"),
			 KTGT_LOGIN_CONTINUE);
	assert_true(rsp.transit);
	assert_int_equal(rsp.nsg, 1);
	/* initiator finishes: target offers MaxBurstLength, holds T */
	assert_int_equal(sendf(1, true, 3, ""), KTGT_LOGIN_CONTINUE);
	assert_false(rsp.transit);
	assert_string_equal(val("MaxBurstLength"), "65536");
	assert_string_equal(val("MaxRecvDataSegmentLength"), "262144");
	assert_int_equal(fx.sessions, 0);
	assert_int_equal(sendf(1, true, 3, "MaxBurstLength=65536|"), KTGT_LOGIN_DONE);
	assert_int_equal(out_len, 0);
	assert_int_equal(ktgt_login_done(lg)->max_burst, 65536);
}

/* Initiator side of CHAP: H(id || secret || challenge). */
static void chap_answer(enum ktgt_chap_alg alg, const char *id_str,
			const char *c_hex, const char *secret, char *r_hex)
{
	u8 c[KTGT_CHAP_MAX_CHALLENGE], d[64], id = (u8)atoi(id_str);
	struct ktgt_chap_part parts[3];
	int clen = ktgt_chap_decode(c_hex, c, sizeof(c));

	assert_true(clen > 0);
	parts[0].data = &id;
	parts[0].len = 1;
	parts[1].data = secret;
	parts[1].len = strlen(secret);
	parts[2].data = c;
	parts[2].len = (size_t)clen;
	assert_int_equal(evp_digest(NULL, alg, parts, 3, d), 0);
	assert_true(ktgt_chap_encode_hex(d, ktgt_chap_digest_len(alg), r_hex, 200) > 0);
}

static void chap_login(enum ktgt_chap_alg alg, bool mutual)
{
	char buf[1024], r[200], a[8], expect[200];

	set_chap(true, 0);
	assert_int_equal(sendf(0, false, 0, FIRST_KEYS "AuthMethod=CHAP,None|"),
			 KTGT_LOGIN_CONTINUE);
	assert_string_equal(val("AuthMethod"), "CHAP");
	assert_false(rsp.transit);
	snprintf(buf, sizeof(buf), "CHAP_A=%d|", alg);
	assert_int_equal(sendf(0, false, 0, buf), KTGT_LOGIN_CONTINUE);
	snprintf(a, sizeof(a), "%d", alg);
	assert_string_equal(val("CHAP_A"), a);
	assert_non_null(val("CHAP_I"));
	assert_non_null(val("CHAP_C"));
	{
		char id[8], c[200];

		strcpy(id, val("CHAP_I"));
		strcpy(c, val("CHAP_C"));
		assert_int_equal(strlen(c), 2 + 2 * ktgt_chap_digest_len(alg));
		chap_answer(alg, id, c, ISECRET, r);
	}
	if (mutual)
		snprintf(buf, sizeof(buf),
			 "CHAP_N=iuser|CHAP_R=%s|CHAP_I=77|CHAP_C=0x00112233445566778899aabbccddeeff|", r);
	else
		snprintf(buf, sizeof(buf), "CHAP_N=iuser|CHAP_R=%s|", r);
	assert_int_equal(sendf(0, true, 1, buf), KTGT_LOGIN_CONTINUE);
	assert_int_equal(status(), 0);
	assert_true(rsp.transit);
	assert_int_equal(rsp.nsg, 1);
	if (mutual) {
		assert_string_equal(val("CHAP_N"), "tuser");
		chap_answer(alg, "77", "0x00112233445566778899aabbccddeeff",
			    TSECRET, expect);
		assert_string_equal(val("CHAP_R"), expect);
	} else {
		assert_null(val("CHAP_N"));
	}
	assert_int_equal(sendf(1, true, 3, "HeaderDigest=None|"), KTGT_LOGIN_DONE);
	assert_non_null(ktgt_login_done(lg));
}

static void test_chap_md5(void **state)
{
	chap_login(KTGT_CHAP_MD5, false);
}

static void test_chap_sha1(void **state)
{
	chap_login(KTGT_CHAP_SHA1, false);
}

static void test_chap_sha256(void **state)
{
	chap_login(KTGT_CHAP_SHA256, false);
}

static void test_chap_sha3(void **state)
{
	chap_login(KTGT_CHAP_SHA3_256, false);
}

static void test_chap_mutual_md5(void **state)
{
	chap_login(KTGT_CHAP_MD5, true);
}

static void test_chap_mutual_sha1(void **state)
{
	chap_login(KTGT_CHAP_SHA1, true);
}

static void test_chap_mutual_sha256(void **state)
{
	chap_login(KTGT_CHAP_SHA256, true);
}

static void test_chap_mutual_sha3(void **state)
{
	chap_login(KTGT_CHAP_SHA3_256, true);
}

/* Up to the challenge; returns the CHAP_I/CHAP_C the target sent. */
static void chap_until_challenge(char *id, char *c)
{
	set_chap(true, 0);
	assert_int_equal(sendf(0, false, 0, FIRST_KEYS "AuthMethod=CHAP|"),
			 KTGT_LOGIN_CONTINUE);
	assert_int_equal(sendf(0, false, 0, "CHAP_A=7,5|"), KTGT_LOGIN_CONTINUE);
	assert_string_equal(val("CHAP_A"), "7");
	strcpy(id, val("CHAP_I"));
	strcpy(c, val("CHAP_C"));
}

static void test_chap_wrong_secret(void **state)
{
	char id[8], c[200], r[200], buf[512];

	chap_until_challenge(id, c);
	chap_answer(KTGT_CHAP_SHA256, id, c, "wrong-secret-123", r);
	snprintf(buf, sizeof(buf), "CHAP_N=iuser|CHAP_R=%s|", r);
	assert_int_equal(sendf(0, true, 1, buf), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0201);
	assert_int_equal(out_len, 0);
	assert_int_equal(fx.sessions, 0);
}

static void test_chap_wrong_user(void **state)
{
	char id[8], c[200], r[200], buf[512];

	chap_until_challenge(id, c);
	chap_answer(KTGT_CHAP_SHA256, id, c, ISECRET, r);
	snprintf(buf, sizeof(buf), "CHAP_N=mallory|CHAP_R=%s|", r);
	assert_int_equal(sendf(0, true, 1, buf), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0201);
}

static void test_chap_reflected_challenge(void **state)
{
	char id[8], c[200], r[200], buf[1024];

	chap_until_challenge(id, c);
	chap_answer(KTGT_CHAP_SHA256, id, c, ISECRET, r);
	snprintf(buf, sizeof(buf), "CHAP_N=iuser|CHAP_R=%s|CHAP_I=%s|CHAP_C=%s|",
		 r, id, c);
	assert_int_equal(sendf(0, true, 1, buf), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0201);
}

static void test_chap_missing_response(void **state)
{
	char id[8], c[200];

	chap_until_challenge(id, c);
	assert_int_equal(sendf(0, true, 1, "CHAP_N=iuser|"), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0201);
}

static void test_chap_mutual_required(void **state)
{
	char id[8], c[200], r[200], buf[512];

	fx.tgt.auth.mutual_required = true;
	chap_until_challenge(id, c);
	fx.tgt.auth.mutual_required = true;
	chap_answer(KTGT_CHAP_SHA256, id, c, ISECRET, r);
	snprintf(buf, sizeof(buf), "CHAP_N=iuser|CHAP_R=%s|", r);
	lg->tgt.auth.mutual_required = true;
	assert_int_equal(sendf(0, true, 1, buf), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0201);
}

static void test_chap_bad_alg(void **state)
{
	set_chap(true, KTGT_CHAP_ALG_BIT(KTGT_CHAP_SHA256));
	assert_int_equal(sendf(0, false, 0, FIRST_KEYS "AuthMethod=CHAP|"),
			 KTGT_LOGIN_CONTINUE);
	assert_int_equal(sendf(0, false, 0, "CHAP_A=5|"), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0201);
}

static void test_chap_out_of_order(void **state)
{
	set_chap(true, 0);
	assert_int_equal(sendf(0, false, 0, FIRST_KEYS "AuthMethod=CHAP|"),
			 KTGT_LOGIN_CONTINUE);
	assert_int_equal(sendf(0, false, 0, "CHAP_N=iuser|CHAP_R=0x00|"),
			 KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0200);
}

/* CHAP not finished: the target does not agree to transit. */
static void test_chap_no_early_transit(void **state)
{
	set_chap(true, 0);
	assert_int_equal(sendf(0, true, 1, FIRST_KEYS "AuthMethod=CHAP|"),
			 KTGT_LOGIN_CONTINUE);
	assert_false(rsp.transit);
	assert_int_equal(sendf(0, true, 1, "CHAP_A=5|"), KTGT_LOGIN_CONTINUE);
	assert_false(rsp.transit);
}

static void test_auth_required_none_offered(void **state)
{
	set_chap(true, 0);
	assert_int_equal(sendf(0, true, 1, FIRST_KEYS "AuthMethod=None|"),
			 KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0201);
}

static void test_auth_required_skip_security(void **state)
{
	set_chap(true, 0);
	assert_int_equal(sendf(1, true, 3, FIRST_KEYS), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0201);
}

static void test_auth_none_preferred_order(void **state)
{
	/* CHAP allowed but optional: initiator's order decides */
	set_chap(false, 0);
	assert_int_equal(sendf(0, false, 0, FIRST_KEYS "AuthMethod=None,CHAP|"),
			 KTGT_LOGIN_CONTINUE);
	assert_string_equal(val("AuthMethod"), "None");
}

static void test_discovery(void **state)
{
	fx.disc.limits.tpgt = 9;
	assert_int_equal(sendf(0, true, 1, "InitiatorName=" INAME
			       "|SessionType=Discovery|AuthMethod=None|"),
			 KTGT_LOGIN_CONTINUE);
	assert_true(fx.lookup_discovery);
	assert_null(val("TargetPortalGroupTag"));
	assert_int_equal(sendf(1, true, 3, "MaxBurstLength=65536|HeaderDigest=None|"),
			 KTGT_LOGIN_DONE);
	assert_string_equal(val("MaxBurstLength"), "Irrelevant");
	assert_string_equal(val("HeaderDigest"), "None");
	assert_int_equal(ktgt_login_done(lg)->session_type, KTGT_SESSION_DISCOVERY);
	assert_int_equal(fx.info.session_type, KTGT_SESSION_DISCOVERY);
}

static void test_discovery_chap(void **state)
{
	struct ktgt_auth_policy *p = &fx.disc.auth;

	p->none_ok = false;
	assert_int_equal(sendf(0, true, 1, "InitiatorName=" INAME
			       "|SessionType=Discovery|AuthMethod=None|"),
			 KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0201);
}

static void test_missing_initiator_name(void **state)
{
	assert_int_equal(sendf(0, true, 1, "SessionType=Normal|TargetName=" TNAME
			       "|AuthMethod=None|"), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0207);
	assert_int_equal(rsp.status_class, 2);
	assert_int_equal(rsp.status_detail, 7);
	assert_false(rsp.transit);
}

static void test_missing_target_name(void **state)
{
	assert_int_equal(sendf(0, true, 1, "InitiatorName=" INAME
			       "|SessionType=Normal|AuthMethod=None|"), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0207);
}

static void test_not_found_not_allowed(void **state)
{
	assert_int_equal(sendf(0, true, 1, "InitiatorName=" INAME
			       "|TargetName=iqn.nope|AuthMethod=None|"), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0203);
	teardown(NULL);
	setup(NULL);
	fx.lookup_rc = KTGT_LOOKUP_NOT_ALLOWED;
	assert_int_equal(sendf(0, true, 1, FIRST_KEYS), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0202);
	teardown(NULL);
	setup(NULL);
	fx.lookup_rc = KTGT_LOOKUP_UNAVAILABLE;
	assert_int_equal(sendf(0, true, 1, FIRST_KEYS), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0301);
}

static void test_bad_stages(void **state)
{
	assert_int_equal(sendf(0, true, 2, FIRST_KEYS), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0200);
	teardown(NULL);
	setup(NULL);
	assert_int_equal(sendf(2, false, 0, FIRST_KEYS), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0200);
	teardown(NULL);
	setup(NULL);
	assert_int_equal(sendf(1, true, 1, FIRST_KEYS), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0200);
	teardown(NULL);
	setup(NULL);
	assert_int_equal(sendf(1, true, 0, FIRST_KEYS), KTGT_LOGIN_FAILED);
	teardown(NULL);
	setup(NULL);
	assert_int_equal(sendf(3, true, 3, FIRST_KEYS), KTGT_LOGIN_FAILED);
	teardown(NULL);
	setup(NULL);
	/* CSG must follow the agreed stage */
	assert_int_equal(sendf(0, false, 0, FIRST_KEYS "AuthMethod=None|"),
			 KTGT_LOGIN_CONTINUE);
	assert_int_equal(sendf(1, true, 3, ""), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0200);
	teardown(NULL);
	setup(NULL);
	/* T and C together */
	req.cont = true;
	req.transit = true;
	req.csg = 0;
	req.nsg = 1;
	assert_int_equal(ktgt_login_rx(lg, &req, NULL, 0, &rsp, out, sizeof(out),
				       &out_len), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0200);
}

static void test_version(void **state)
{
	req.version_max = 2;
	req.version_min = 1;
	assert_int_equal(sendf(0, true, 1, FIRST_KEYS), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0205);
	teardown(NULL);
	setup(NULL);
	req.version_max = 5;
	req.version_min = 0;
	assert_int_equal(sendf(0, true, 1, FIRST_KEYS "AuthMethod=None|"),
			 KTGT_LOGIN_CONTINUE);
	assert_int_equal(rsp.version_active, 0);
	assert_int_equal(rsp.version_max, 0);
	/* versions must not change during the login */
	req.version_max = 4;
	assert_int_equal(sendf(1, true, 3, ""), KTGT_LOGIN_FAILED);
}

static void test_isid_tsih_constant(void **state)
{
	assert_int_equal(sendf(0, true, 1, FIRST_KEYS "AuthMethod=None|"),
			 KTGT_LOGIN_CONTINUE);
	req.isid[5] ^= 1;
	assert_int_equal(sendf(1, true, 3, ""), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0200);
	teardown(NULL);
	setup(NULL);
	assert_int_equal(sendf(0, true, 1, FIRST_KEYS "AuthMethod=None|"),
			 KTGT_LOGIN_CONTINUE);
	req.tsih = 5;
	assert_int_equal(sendf(1, true, 3, ""), KTGT_LOGIN_FAILED);
	teardown(NULL);
	setup(NULL);
	assert_int_equal(sendf(0, true, 1, FIRST_KEYS "AuthMethod=None|"),
			 KTGT_LOGIN_CONTINUE);
	req.cid = 9;
	assert_int_equal(sendf(1, true, 3, ""), KTGT_LOGIN_FAILED);
}

/* TSIH nonzero: add a connection; the core decides. */
static void test_add_connection(void **state)
{
	req.tsih = 0x1234;
	req.cid = 2;
	assert_int_equal(sendf(1, true, 3, FIRST_KEYS "MaxBurstLength=65536|"
			       "HeaderDigest=None|"), KTGT_LOGIN_DONE);
	assert_string_equal(val("MaxBurstLength"), "Irrelevant");
	assert_string_equal(val("HeaderDigest"), "None");
	assert_int_equal(rsp.tsih, 0x1234);
	assert_int_equal(fx.info.tsih, 0x1234);
	assert_int_equal(fx.info.cid, 2);
	teardown(NULL);
	setup(NULL);
	req.tsih = 0x4321;
	fx.session_status = KTGT_LS_SESSION_NOT_FOUND;
	assert_int_equal(sendf(1, true, 3, FIRST_KEYS), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x020a);
}

/*
 * A connection joining an iSER session: RDMAExtensions (leading only) is
 * the session's, Yes on an iSER portal, so the iSER connection keys are
 * negotiated and no MaxRecvDataSegmentLength is declared.
 */
static void test_add_connection_iser(void **state)
{
	fx.tgt.limits.iser = true;
	fx.tgt.limits.target_recv_dsl = 8192;
	fx.tgt.limits.initiator_recv_dsl = 262144;
	req.tsih = 0x1234;
	req.cid = 2;
	assert_int_equal(sendf(1, true, 3, FIRST_KEYS "RDMAExtensions=Yes|"
			       "TargetRecvDataSegmentLength=65536|"
			       "InitiatorRecvDataSegmentLength=16384|"
			       "HeaderDigest=CRC32C,None|"), KTGT_LOGIN_DONE);
	assert_string_equal(val("RDMAExtensions"), "Irrelevant");
	assert_string_equal(val("TargetRecvDataSegmentLength"), "8192");
	assert_string_equal(val("InitiatorRecvDataSegmentLength"), "16384");
	assert_string_equal(val("HeaderDigest"), "None");
	assert_null(val("MaxRecvDataSegmentLength"));
	assert_int_equal(fx.neg.target_recv_dsl, 8192);
	assert_int_equal(fx.neg.initiator_recv_dsl, 16384);
}

static void test_operational_errors(void **state)
{
	assert_int_equal(sendf(0, true, 1, FIRST_KEYS "AuthMethod=None|"),
			 KTGT_LOGIN_CONTINUE);
	assert_int_equal(sendf(1, true, 3, "TargetAlias=x|"), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0200);
	teardown(NULL);
	setup(NULL);
	assert_int_equal(sendf(0, true, 1, FIRST_KEYS "MaxBurstLength=512|"),
			 KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0200);
	teardown(NULL);
	setup(NULL);
	assert_int_equal(sendf(1, false, 0, FIRST_KEYS "MaxBurstLength=512|"),
			 KTGT_LOGIN_CONTINUE);
	assert_int_equal(sendf(1, true, 3, "MaxBurstLength=512|"), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0200);
	teardown(NULL);
	setup(NULL);
	assert_int_equal(sendf(1, false, 0, FIRST_KEYS "Garbage|"), KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0200);
}

/* A request spread over three PDUs with the C bit, split mid-pair. */
static void test_request_continuation(void **state)
{
	static u8 data[512];
	const char *s = FIRST_KEYS "MaxBurstLength=131072|HeaderDigest=CRC32C,None|";
	u32 n = (u32)strlen(s), i;

	for (i = 0; i < n; i++)
		data[i] = s[i] == '|' ? 0 : (u8)s[i];
	req.csg = 1;
	req.nsg = 0;
	req.transit = false;
	req.cont = true;
	assert_int_equal(ktgt_login_rx(lg, &req, data, 10, &rsp, out,
				       sizeof(out), &out_len), KTGT_LOGIN_CONTINUE);
	assert_int_equal(out_len, 0);
	assert_false(rsp.transit);
	assert_int_equal(fx.lookups, 0);
	assert_int_equal(ktgt_login_rx(lg, &req, data + 10, 70, &rsp, out,
				       sizeof(out), &out_len), KTGT_LOGIN_CONTINUE);
	assert_int_equal(out_len, 0);
	req.cont = false;
	req.transit = true;
	req.nsg = 3;
	assert_int_equal(ktgt_login_rx(lg, &req, data + 80, n - 80, &rsp, out,
				       sizeof(out), &out_len), KTGT_LOGIN_DONE);
	assert_string_equal(val("MaxBurstLength"), "131072");
	assert_string_equal(val("HeaderDigest"), "CRC32C");
	assert_int_equal(fx.lookups, 1);
}

static void test_request_too_large(void **state)
{
	static u8 data[KTGT_LOGIN_RX_MAX];
	int i, rc = KTGT_LOGIN_CONTINUE;

	memset(data, 'a', sizeof(data));
	req.csg = 1;
	req.cont = true;
	for (i = 0; i < 3 && rc == KTGT_LOGIN_CONTINUE; i++)
		rc = ktgt_login_rx(lg, &req, data, 8192, &rsp, out, sizeof(out),
				   &out_len);
	assert_int_equal(rc, KTGT_LOGIN_FAILED);
	assert_int_equal(status(), 0x0200);
}

/* The response is split over PDUs of 64 bytes with the C bit. */
static void test_response_continuation(void **state)
{
	static u8 whole[2048];
	u32 tot = 0, pdus = 0;
	int rc;

	strcpy(fx.tgt.limits.alias, "a rather long alias to make the answer bigger");
	req.csg = 1;
	req.nsg = 3;
	req.transit = true;
	{
		static u8 data[1024];
		const char *s = FIRST_KEYS "MaxBurstLength=131072|X-a=1|X-b=2|X-c=3|"
				"HeaderDigest=None|DataDigest=None|InitialR2T=No|";
		u32 n = (u32)strlen(s), i;

		for (i = 0; i < n; i++)
			data[i] = s[i] == '|' ? 0 : (u8)s[i];
		rc = ktgt_login_rx(lg, &req, data, n, &rsp, out, 64, &out_len);
	}
	for (;;) {
		assert_true(out_len <= 64);
		memcpy(whole + tot, out, out_len);
		tot += out_len;
		pdus++;
		if (rc != KTGT_LOGIN_CONTINUE)
			break;
		assert_true(rsp.cont);
		assert_false(rsp.transit);
		/* the initiator answers each continued response with an empty request */
		rc = ktgt_login_rx(lg, &req, NULL, 0, &rsp, out, 64, &out_len);
	}
	assert_int_equal(rc, KTGT_LOGIN_DONE);
	assert_false(rsp.cont);
	assert_true(rsp.transit);
	assert_int_equal(rsp.tsih, 0x1234);
	assert_true(pdus > 3);
	memcpy(out, whole, tot);
	out_len = tot;
	assert_string_equal(val("MaxBurstLength"), "131072");
	assert_string_equal(val("X-c"), "NotUnderstood");
	assert_string_equal(val("TargetPortalGroupTag"), "3");
	assert_int_equal(fx.sessions, 1);
}

static void test_response_continuation_with_data_fails(void **state)
{
	strcpy(fx.tgt.limits.alias, "a rather long alias to make the answer bigger");
	req.csg = 1;
	req.transit = false;
	{
		static u8 data[256];
		const char *s = FIRST_KEYS;
		u32 n = (u32)strlen(s), i;

		for (i = 0; i < n; i++)
			data[i] = s[i] == '|' ? 0 : (u8)s[i];
		assert_int_equal(ktgt_login_rx(lg, &req, data, n, &rsp, out, 16,
					       &out_len), KTGT_LOGIN_CONTINUE);
		assert_true(rsp.cont);
		assert_int_equal(ktgt_login_rx(lg, &req, data, n, &rsp, out, 16,
					       &out_len), KTGT_LOGIN_FAILED);
	}
}

static void test_session_type_missing_defaults_normal(void **state)
{
	assert_int_equal(sendf(1, true, 3, "InitiatorName=" INAME "|TargetName=" TNAME "|"),
			 KTGT_LOGIN_DONE);
	assert_int_equal(ktgt_login_done(lg)->session_type, KTGT_SESSION_NORMAL);
}

static void test_too_many_pdus(void **state)
{
	int i, rc = KTGT_LOGIN_CONTINUE;

	assert_int_equal(sendf(0, false, 0, FIRST_KEYS "AuthMethod=None|"),
			 KTGT_LOGIN_CONTINUE);
	for (i = 0; i < KTGT_LOGIN_MAX_PDUS + 1 && rc == KTGT_LOGIN_CONTINUE; i++)
		rc = sendf(0, false, 0, "");
	assert_int_equal(rc, KTGT_LOGIN_FAILED);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_no_auth_direct_operational),
		T(test_security_none_then_operational),
		T(test_security_to_ffp),
		T(test_security_to_ffp_steered),
		T(test_chap_md5),
		T(test_chap_sha1),
		T(test_chap_sha256),
		T(test_chap_sha3),
		T(test_chap_mutual_md5),
		T(test_chap_mutual_sha1),
		T(test_chap_mutual_sha256),
		T(test_chap_mutual_sha3),
		T(test_chap_wrong_secret),
		T(test_chap_wrong_user),
		T(test_chap_reflected_challenge),
		T(test_chap_missing_response),
		T(test_chap_mutual_required),
		T(test_chap_bad_alg),
		T(test_chap_out_of_order),
		T(test_chap_no_early_transit),
		T(test_auth_required_none_offered),
		T(test_auth_required_skip_security),
		T(test_auth_none_preferred_order),
		T(test_discovery),
		T(test_discovery_chap),
		T(test_missing_initiator_name),
		T(test_missing_target_name),
		T(test_not_found_not_allowed),
		T(test_bad_stages),
		T(test_version),
		T(test_isid_tsih_constant),
		T(test_add_connection_iser),
		T(test_add_connection),
		T(test_operational_errors),
		T(test_request_continuation),
		T(test_request_too_large),
		T(test_response_continuation),
		T(test_response_continuation_with_data_fails),
		T(test_session_type_missing_defaults_normal),
		T(test_too_many_pdus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
