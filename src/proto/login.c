// SPDX-License-Identifier: GPL-2.0
/*
 * Target-side iSCSI login state machine (RFC 7143 sections 6.3, 11.12,
 * 11.13, 12.1.3).
 */
#include <ktgt/proto/login.h>

/* Wipe secrets in a way the compiler will not drop. */
static void ktgt_login_wipe(void *p, size_t n)
{
	memset(p, 0, n);
	__asm__ __volatile__("" : : "r" (p) : "memory");
}

void ktgt_login_init(struct ktgt_login *l, const struct ktgt_login_ops *ops)
{
	memset(l, 0, sizeof(*l));
	l->ops = ops;
	ktgt_param_init(&l->neg, NULL, true);
	ktgt_text_accum_init(&l->rx, l->rxbuf, sizeof(l->rxbuf));
	ktgt_text_buf_init(&l->tx, l->txbuf, sizeof(l->txbuf));
}

void ktgt_login_release(struct ktgt_login *l)
{
	ktgt_login_wipe(&l->tgt.auth, sizeof(l->tgt.auth));
	ktgt_login_wipe(&l->chap, sizeof(l->chap));
}

const struct ktgt_negotiated *ktgt_login_done(const struct ktgt_login *l)
{
	return l->done ? &l->neg.val : NULL;
}

static int ktgt_login_fail(struct ktgt_login *l, struct ktgt_login_rsp *rsp,
			   u32 *out_len, u16 status)
{
	if (!status)
		status = KTGT_LS_TARGET_ERROR;
	rsp->status_class = status >> 8;
	rsp->status_detail = status & 0xff;
	rsp->transit = false;
	rsp->cont = false;
	rsp->nsg = 0;
	*out_len = 0;
	l->failed = true;
	ktgt_login_release(l);
	return KTGT_LOGIN_FAILED;
}

/* First AuthMethod in the initiator's list we accept, or NULL. */
static const char *ktgt_login_pick_auth(const struct ktgt_auth_policy *p,
					const char *offer)
{
	const char *s = offer;
	size_t n;

	while (*s) {
		n = 0;
		while (s[n] && s[n] != ',')
			n++;
		if (n == 4 && !memcmp(s, "CHAP", 4) && p->chap &&
		    p->user[0] && p->secret_len)
			return "CHAP";
		if (n == 4 && !memcmp(s, "None", 4) && p->none_ok)
			return "None";
		s += n;
		if (*s == ',')
			s++;
	}
	return NULL;
}

static bool ktgt_login_chap_keys(const struct ktgt_param_neg *n)
{
	return n->value[KTGT_KEY_CHAP_A] || n->value[KTGT_KEY_CHAP_I] ||
	       n->value[KTGT_KEY_CHAP_C] || n->value[KTGT_KEY_CHAP_N] ||
	       n->value[KTGT_KEY_CHAP_R];
}

/* CHAP_A received: choose the algorithm, send CHAP_A/CHAP_I/CHAP_C. */
static u16 ktgt_login_chap_a(struct ktgt_login *l)
{
	const struct ktgt_param_neg *n = &l->neg;
	const struct ktgt_auth_policy *p = &l->tgt.auth;
	u8 rnd[1 + KTGT_CHAP_MAX_DIGEST];
	char chap_i[4], chap_c[2 + 2 * KTGT_CHAP_MAX_DIGEST + 1];
	unsigned int dlen;
	int alg;

	if (n->value[KTGT_KEY_CHAP_I] || n->value[KTGT_KEY_CHAP_C] ||
	    n->value[KTGT_KEY_CHAP_N] || n->value[KTGT_KEY_CHAP_R])
		return KTGT_LS_INITIATOR_ERROR;
	alg = ktgt_chap_select_alg(n->value[KTGT_KEY_CHAP_A],
				   p->chap_algs ? p->chap_algs :
				   KTGT_CHAP_ALG_ALL);
	if (alg < 0)
		return KTGT_LS_AUTH_FAILED;
	dlen = ktgt_chap_digest_len(alg);
	if (!dlen || dlen > KTGT_CHAP_MAX_DIGEST || !l->ops->random)
		return KTGT_LS_TARGET_ERROR;
	if (l->ops->random(l->ops->ctx, rnd, 1 + dlen))
		return KTGT_LS_TARGET_ERROR;
	if (ktgt_chap_target_challenge(&l->chap, alg, rnd, 1 + dlen,
				       chap_i, sizeof(chap_i),
				       chap_c, sizeof(chap_c))) {
		ktgt_login_wipe(rnd, sizeof(rnd));
		return KTGT_LS_TARGET_ERROR;
	}
	ktgt_login_wipe(rnd, sizeof(rnd));
	if (ktgt_text_add_u32(&l->tx, "CHAP_A", (u32)alg) ||
	    ktgt_text_add(&l->tx, "CHAP_I", chap_i) ||
	    ktgt_text_add(&l->tx, "CHAP_C", chap_c))
		return KTGT_LS_OUT_OF_RESOURCES;
	l->auth = KTGT_AUTH_CHAP_NR;
	return 0;
}

/* CHAP_N/CHAP_R (and CHAP_I/CHAP_C for mutual CHAP) received. */
static u16 ktgt_login_chap_nr(struct ktgt_login *l)
{
	const struct ktgt_param_neg *n = &l->neg;
	const struct ktgt_auth_policy *p = &l->tgt.auth;
	const char *ci = n->value[KTGT_KEY_CHAP_I];
	const char *cc = n->value[KTGT_KEY_CHAP_C];
	char chap_r[2 + 2 * KTGT_CHAP_MAX_DIGEST + 1];
	int rc;

	if (n->value[KTGT_KEY_CHAP_A])
		return KTGT_LS_INITIATOR_ERROR;
	if (!n->value[KTGT_KEY_CHAP_N] || !n->value[KTGT_KEY_CHAP_R])
		return KTGT_LS_AUTH_FAILED;
	if (strcmp(n->value[KTGT_KEY_CHAP_N], p->user))
		return KTGT_LS_AUTH_FAILED;
	rc = ktgt_chap_target_verify(&l->chap, l->ops->hash, p->secret,
				     p->secret_len, n->value[KTGT_KEY_CHAP_R]);
	if (rc == -EACCES || rc == -EINVAL)
		return KTGT_LS_AUTH_FAILED;
	if (rc)
		return KTGT_LS_TARGET_ERROR;
	if (!ci != !cc)
		return KTGT_LS_AUTH_FAILED;
	if (!ci) {
		if (p->mutual_required)
			return KTGT_LS_AUTH_FAILED;
		l->auth = KTGT_AUTH_DONE;
		return 0;
	}
	if (!p->mutual_secret_len || !p->mutual_user[0])
		return KTGT_LS_AUTH_FAILED;
	rc = ktgt_chap_target_respond(&l->chap, l->ops->hash, p->mutual_secret,
				      p->mutual_secret_len, ci, cc,
				      chap_r, sizeof(chap_r));
	if (rc == -EACCES || rc == -EINVAL)
		return KTGT_LS_AUTH_FAILED;
	if (rc)
		return KTGT_LS_TARGET_ERROR;
	if (ktgt_text_add(&l->tx, "CHAP_N", p->mutual_user) ||
	    ktgt_text_add(&l->tx, "CHAP_R", chap_r))
		return KTGT_LS_OUT_OF_RESOURCES;
	l->auth = KTGT_AUTH_DONE;
	return 0;
}

/* Security stage keys of one complete request. */
static u16 ktgt_login_security(struct ktgt_login *l,
			       const struct ktgt_login_req *req)
{
	const struct ktgt_param_neg *n = &l->neg;
	const char *am = n->value[KTGT_KEY_AUTH_METHOD];
	const char *pick;

	switch (l->auth) {
	case KTGT_AUTH_START:
		if (!am) {
			if (ktgt_login_chap_keys(n))
				return KTGT_LS_INITIATOR_ERROR;
			if (req->transit) {
				if (!l->tgt.auth.none_ok)
					return KTGT_LS_AUTH_FAILED;
				l->auth = KTGT_AUTH_DONE;
			}
			return 0;
		}
		pick = ktgt_login_pick_auth(&l->tgt.auth, am);
		if (!pick)
			return KTGT_LS_AUTH_FAILED;
		if (ktgt_text_add(&l->tx, "AuthMethod", pick))
			return KTGT_LS_OUT_OF_RESOURCES;
		if (!strcmp(pick, "None")) {
			if (ktgt_login_chap_keys(n))
				return KTGT_LS_INITIATOR_ERROR;
			l->auth = KTGT_AUTH_DONE;
			return 0;
		}
		l->auth = KTGT_AUTH_CHAP_A;
		if (!n->value[KTGT_KEY_CHAP_A]) {
			if (ktgt_login_chap_keys(n))
				return KTGT_LS_INITIATOR_ERROR;
			return 0;
		}
		return ktgt_login_chap_a(l);
	case KTGT_AUTH_CHAP_A:
		if (!n->value[KTGT_KEY_CHAP_A]) {
			if (ktgt_login_chap_keys(n))
				return KTGT_LS_INITIATOR_ERROR;
			return req->transit ? KTGT_LS_AUTH_FAILED : 0;
		}
		return ktgt_login_chap_a(l);
	case KTGT_AUTH_CHAP_NR:
		return ktgt_login_chap_nr(l);
	default:
		if (am || ktgt_login_chap_keys(n))
			return KTGT_LS_INITIATOR_ERROR;
		return 0;
	}
}

/* First complete request: names, target lookup, authorization. */
static u16 ktgt_login_first(struct ktgt_login *l)
{
	struct ktgt_negotiated *v = &l->neg.val;
	bool disc = v->session_type == KTGT_SESSION_DISCOVERY;
	int rc;

	if (!v->initiator_name[0])
		return KTGT_LS_MISSING_PARAMETER;
	if (!disc && !v->target_name[0])
		return KTGT_LS_MISSING_PARAMETER;
	if (!l->ops->lookup)
		return KTGT_LS_TARGET_ERROR;
	rc = l->ops->lookup(l->ops->ctx, v->initiator_name,
			    disc ? NULL : v->target_name, &l->tgt);
	switch (rc) {
	case KTGT_LOOKUP_OK:
		break;
	case KTGT_LOOKUP_NOT_FOUND:
		return KTGT_LS_NOT_FOUND;
	case KTGT_LOOKUP_NOT_ALLOWED:
		return KTGT_LS_AUTHZ_FAILED;
	case KTGT_LOOKUP_REMOVED:
		return KTGT_LS_TARGET_REMOVED;
	case KTGT_LOOKUP_UNAVAILABLE:
		return KTGT_LS_SERVICE_UNAVAILABLE;
	default:
		return KTGT_LS_TARGET_ERROR;
	}
	l->tgt.limits.alias[sizeof(l->tgt.limits.alias) - 1] = 0;
	l->tgt.auth.user[sizeof(l->tgt.auth.user) - 1] = 0;
	l->tgt.auth.mutual_user[sizeof(l->tgt.auth.mutual_user) - 1] = 0;
	if (l->tgt.auth.secret_len > KTGT_CHAP_MAX_SECRET)
		l->tgt.auth.secret_len = 0;
	if (l->tgt.auth.mutual_secret_len > KTGT_CHAP_MAX_SECRET)
		l->tgt.auth.mutual_secret_len = 0;
	l->neg.lim = &l->tgt.limits;
	/*
	 * A connection joining a session: RDMAExtensions is leading only
	 * (RFC 7145 6.3), the session's value holds. Sessions never mix
	 * transports, so on an iSER portal it is Yes, and the iSER keys of
	 * the connection (Target/InitiatorRecvDataSegmentLength) are
	 * negotiated, not Irrelevant.
	 */
	if (!l->neg.leading && !disc)
		l->neg.val.rdma_extensions = l->tgt.limits.iser;
	l->have_target = true;
	/* skipping the security stage needs a policy without auth */
	if (l->stage != KTGT_STAGE_SECURITY && !l->tgt.auth.none_ok)
		return KTGT_LS_AUTH_FAILED;
	return 0;
}

/* Agree to full feature phase: final checks and the session. */
static u16 ktgt_login_commit(struct ktgt_login *l)
{
	struct ktgt_login_session_info info;
	u16 tsih = l->first.tsih, st;

	if (ktgt_param_finish(&l->neg))
		return l->neg.status;
	info.isid = l->first.isid;
	info.tsih = l->first.tsih;
	info.cid = l->first.cid;
	info.session_type = l->neg.val.session_type;
	info.initiator_name = l->neg.val.initiator_name;
	info.target_name = l->neg.val.target_name;
	if (l->ops->session) {
		st = l->ops->session(l->ops->ctx, &info, &l->neg.val, &tsih);
		if (st)
			return st;
	} else if (!tsih) {
		tsih = 1;
	}
	if (!tsih || (l->first.tsih && tsih != l->first.tsih))
		return KTGT_LS_TARGET_ERROR;
	l->tsih = tsih;
	return 0;
}

/* Hand out the next chunk of l->tx; T/NSG only on the last one. */
static int ktgt_login_send(struct ktgt_login *l, struct ktgt_login_rsp *rsp,
			   u8 *out, u32 out_cap, u32 *out_len)
{
	u32 max = min_t(u32, out_cap, KTGT_LOGIN_MAX_DATA);
	bool more;

	*out_len = ktgt_text_take(&l->tx, out, max, &more);
	rsp->csg = l->stage;
	if (more) {
		rsp->cont = true;
		rsp->transit = false;
		rsp->nsg = 0;
		return KTGT_LOGIN_CONTINUE;
	}
	rsp->cont = false;
	rsp->transit = l->tx_transit;
	rsp->nsg = l->tx_transit ? l->tx_nsg : 0;
	if (!l->tx_transit)
		return KTGT_LOGIN_CONTINUE;
	l->stage = l->tx_nsg;
	l->tx_transit = false;
	if (l->stage != KTGT_STAGE_FFP)
		return KTGT_LOGIN_CONTINUE;
	rsp->tsih = l->tsih;
	l->done = true;
	ktgt_login_release(l);
	return KTGT_LOGIN_DONE;
}

/* Check the header of @req against the login so far. */
static u16 ktgt_login_check_req(struct ktgt_login *l,
				const struct ktgt_login_req *req)
{
	if (!l->started) {
		if (req->version_min != 0)
			return KTGT_LS_UNSUPPORTED_VERSION;
		if (req->csg != KTGT_STAGE_SECURITY &&
		    req->csg != KTGT_STAGE_OPERATIONAL)
			return KTGT_LS_INITIATOR_ERROR;
		l->first = *req;
		l->stage = req->csg;
		l->started = true;
		l->neg.leading = req->tsih == 0;
	} else if (memcmp(req->isid, l->first.isid, sizeof(req->isid)) ||
		   req->tsih != l->first.tsih || req->cid != l->first.cid ||
		   req->version_max != l->first.version_max ||
		   req->version_min != l->first.version_min) {
		return KTGT_LS_INITIATOR_ERROR;
	}
	if (req->csg != l->stage)
		return KTGT_LS_INITIATOR_ERROR;
	if (req->transit && req->cont)
		return KTGT_LS_INITIATOR_ERROR;
	if (req->transit && (req->nsg == 2 || req->nsg > KTGT_STAGE_FFP ||
			     req->nsg <= req->csg))
		return KTGT_LS_INITIATOR_ERROR;
	return 0;
}

int ktgt_login_rx(struct ktgt_login *l, const struct ktgt_login_req *req,
		  const u8 *data, u32 len, struct ktgt_login_rsp *rsp,
		  u8 *out, u32 out_cap, u32 *out_len)
{
	bool first_rsp, transit = false;
	u8 nsg = 0, stage;
	u16 st;
	int rc;

	memset(rsp, 0, sizeof(*rsp));
	memcpy(rsp->isid, req->isid, sizeof(rsp->isid));
	rsp->itt = req->itt;
	rsp->tsih = req->tsih;
	rsp->csg = req->csg;
	*out_len = 0;
	if (!data)
		len = 0;

	if (l->done || l->failed || ++l->npdus > KTGT_LOGIN_MAX_PDUS)
		return ktgt_login_fail(l, rsp, out_len,
				       KTGT_LS_INITIATOR_ERROR);
	st = ktgt_login_check_req(l, req);
	if (st)
		return ktgt_login_fail(l, rsp, out_len, st);

	/* the initiator fetches the rest of a continued response */
	if (ktgt_text_pending(&l->tx)) {
		if (len || req->cont)
			return ktgt_login_fail(l, rsp, out_len,
					       KTGT_LS_INITIATOR_ERROR);
		return ktgt_login_send(l, rsp, out, out_cap, out_len);
	}

	if (ktgt_text_accum_add(&l->rx, data, len))
		return ktgt_login_fail(l, rsp, out_len,
				       KTGT_LS_INITIATOR_ERROR);
	if (req->cont)
		return KTGT_LOGIN_CONTINUE;	/* empty response, T=0 */

	stage = l->stage;
	ktgt_text_buf_reset(&l->tx);
	if (ktgt_param_parse(&l->neg, stage, l->rx.buf, l->rx.len))
		return ktgt_login_fail(l, rsp, out_len, l->neg.status);
	first_rsp = !l->have_target;
	if (first_rsp) {
		st = ktgt_login_first(l);
		if (st)
			return ktgt_login_fail(l, rsp, out_len, st);
	}
	rc = ktgt_param_respond(&l->neg, &l->tx);
	if (rc == -EPROTO)
		return ktgt_login_fail(l, rsp, out_len, l->neg.status);
	if (rc)
		return ktgt_login_fail(l, rsp, out_len,
				       KTGT_LS_OUT_OF_RESOURCES);
	if (stage == KTGT_STAGE_SECURITY) {
		st = ktgt_login_security(l, req);
		if (st)
			return ktgt_login_fail(l, rsp, out_len, st);
	}
	if (ktgt_param_declare(&l->neg, (stage == KTGT_STAGE_OPERATIONAL &&
					 req->transit) ? stage :
					KTGT_STAGE_SECURITY,
			       first_rsp, &l->tx))
		return ktgt_login_fail(l, rsp, out_len,
				       KTGT_LS_OUT_OF_RESOURCES);

	if (req->transit && stage == KTGT_STAGE_SECURITY &&
	    l->auth == KTGT_AUTH_DONE) {
		transit = true;
		nsg = req->nsg;
		if (nsg == KTGT_STAGE_FFP &&
		    ktgt_param_wants_operational(&l->neg))
			nsg = KTGT_STAGE_OPERATIONAL;
	} else if (req->transit && stage == KTGT_STAGE_OPERATIONAL) {
		rc = ktgt_param_offer(&l->neg, &l->tx);
		if (rc < 0)
			return ktgt_login_fail(l, rsp, out_len,
					       KTGT_LS_OUT_OF_RESOURCES);
		if (!ktgt_param_offers_pending(&l->neg)) {
			transit = true;
			nsg = KTGT_STAGE_FFP;
		}
	}
	if (transit && nsg == KTGT_STAGE_FFP) {
		st = ktgt_login_commit(l);
		if (st)
			return ktgt_login_fail(l, rsp, out_len, st);
	}
	ktgt_text_accum_reset(&l->rx);
	l->tx_transit = transit;
	l->tx_nsg = nsg;
	return ktgt_login_send(l, rsp, out, out_cap, out_len);
}
