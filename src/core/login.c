// SPDX-License-Identifier: GPL-2.0
/*
 * Login glue: feeds Login Requests to the pure state machine
 * (src/proto/login.c) and gives it the kernel's services: target and ACL
 * look-up in configfs, the TPG's negotiation limits and CHAP policy,
 * random bytes, hashing and session creation.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>

#include <ktgt/chap_crypto.h>
#include <ktgt/transport.h>
#include <ktgt/proto/login.h>
#include "session.h"
#include "config.h"

/* One per connection in login; freed when it reaches full feature. */
struct ktgt_login_state {
	struct ktgt_login login;
	struct ktgt_login_ops ops;
	struct ktgt_conn *conn;
	struct ktgt_tpg *tpg;		/* pinned by lookup */
	struct ktgt_acl *acl;		/* pinned by lookup; NULL: demo */
	u8 out[KTGT_LOGIN_MAX_DATA];
};

static bool ktgt_yes(const char *v)
{
	return !strcmp(v, "Yes");
}

static u32 ktgt_num(const char *v, u32 def)
{
	u32 n;

	return kstrtou32(v, 0, &n) ? def : n;
}

static u8 ktgt_digests(const char *v)
{
	u8 mask = 0;

	if (strstr(v, "CRC32C"))
		mask |= KTGT_DIGEST_CRC32C;
	if (strstr(v, "None"))
		mask |= KTGT_DIGEST_NONE;
	return mask ? mask : KTGT_DIGEST_NONE;
}

/* The TPG's param/ values as negotiation limits (ktgt_cfg_mutex held). */
static void ktgt_tpg_limits(struct ktgt_tpg *tpg, u16 tpgt,
			    struct ktgt_param_limits *l)
{
	lockdep_assert_held(&ktgt_cfg_mutex);
	ktgt_param_limits_default(l);
	l->header_digests = ktgt_digests(ktgt_tpg_param(tpg, KTGT_P_HEADER_DIGEST));
	l->data_digests = ktgt_digests(ktgt_tpg_param(tpg, KTGT_P_DATA_DIGEST));
	l->max_recv_dsl = ktgt_num(ktgt_tpg_param(tpg, KTGT_P_MAX_RECV_DSL),
				   l->max_recv_dsl);
	l->max_burst = ktgt_num(ktgt_tpg_param(tpg, KTGT_P_MAX_BURST),
				l->max_burst);
	l->first_burst = ktgt_num(ktgt_tpg_param(tpg, KTGT_P_FIRST_BURST),
				  l->first_burst);
	l->initial_r2t = ktgt_yes(ktgt_tpg_param(tpg, KTGT_P_INITIAL_R2T));
	l->immediate_data = ktgt_yes(ktgt_tpg_param(tpg, KTGT_P_IMMEDIATE_DATA));
	l->max_outstanding_r2t =
		ktgt_num(ktgt_tpg_param(tpg, KTGT_P_MAX_OUTSTANDING_R2T),
			 l->max_outstanding_r2t);
	l->data_pdu_in_order =
		ktgt_yes(ktgt_tpg_param(tpg, KTGT_P_DATA_PDU_IN_ORDER));
	l->data_seq_in_order =
		ktgt_yes(ktgt_tpg_param(tpg, KTGT_P_DATA_SEQ_IN_ORDER));
	l->default_time2wait =
		ktgt_num(ktgt_tpg_param(tpg, KTGT_P_DEFAULT_TIME2WAIT),
			 l->default_time2wait);
	l->default_time2retain =
		ktgt_num(ktgt_tpg_param(tpg, KTGT_P_DEFAULT_TIME2RETAIN),
			 l->default_time2retain);
	/*
	 * ERL up to the TPG's (src/core/erl2.c for 2; a transport without
	 * reassign_cmd caps it at 1 in ktgt_login_lookup()).
	 * At ERL > 0 with DataSequenceInOrder=Yes, MaxOutstandingR2T must
	 * be 1 (RFC 7143 13.19: only the last R2T may be retried), so a
	 * TPG that allows ERL 1 offers 1. MC/S is up to
	 * KTGT_MAX_CONNECTIONS per session.
	 */
	l->erl = min_t(u32, ktgt_num(ktgt_tpg_param(tpg, KTGT_P_ERL), 0), 2);
	/*
	 * Data-Out sequences one at a time (src/tcp/tcp_dataseq.c) also
	 * when PDUs or sequences may come out of order: PDUs are then
	 * accounted for in the one sequence in progress.
	 */
	if (l->erl || !l->data_pdu_in_order || !l->data_seq_in_order)
		l->max_outstanding_r2t = 1;
	l->max_connections =
		clamp_t(u32, ktgt_num(ktgt_tpg_param(tpg, KTGT_P_MAX_CONNECTIONS),
				      1), 1, KTGT_MAX_CONNECTIONS);
	/* Our receive path cannot take data segments past its buffer. */
	l->max_recv_dsl = min_t(u32, l->max_recv_dsl, 256 * 1024);
	l->max_outstanding_r2t = min_t(u32, l->max_outstanding_r2t, 8);
	strscpy(l->alias, ktgt_tpg_param(tpg, KTGT_P_TARGET_ALIAS),
		sizeof(l->alias));
	l->tpgt = tpgt;
}

static void ktgt_copy_secret(u8 *dst, u32 *dst_len, const char *src)
{
	size_t n = strnlen(src, KTGT_CHAP_MAX_SECRET);

	memcpy(dst, src, n);
	*dst_len = n;
}

/* CHAP policy from @auth (ktgt_cfg_mutex held); @required: no None. */
static void ktgt_auth_policy(const struct ktgt_auth *auth, bool required,
			     struct ktgt_auth_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->none_ok = !required;
	p->chap = auth->userid[0] && auth->password[0];
	if (p->chap) {
		strscpy(p->user, auth->userid, sizeof(p->user));
		ktgt_copy_secret(p->secret, &p->secret_len, auth->password);
		if (auth->mutual_userid[0] && auth->mutual_password[0]) {
			strscpy(p->mutual_user, auth->mutual_userid,
				sizeof(p->mutual_user));
			ktgt_copy_secret(p->mutual_secret,
					 &p->mutual_secret_len,
					 auth->mutual_password);
		}
	}
	p->chap_algs = ktgt_chap_crypto_supported();
}

static int ktgt_login_lookup(void *ctx, const char *initiator,
			     const char *target, struct ktgt_login_target *t)
{
	struct ktgt_login_state *ls = ctx;
	struct ktgt_tpg *tpg;
	struct ktgt_acl *acl;
	const struct ktgt_auth *auth;
	u16 tpgt = 0;
	u32 retain_max = 0;
	int ret = KTGT_LOOKUP_OK;

	mutex_lock(&ktgt_cfg_mutex);
	if (!target) {
		ktgt_param_limits_default(&t->limits);
		t->limits.header_digests = KTGT_DIGEST_NONE | KTGT_DIGEST_CRC32C;
		t->limits.data_digests = KTGT_DIGEST_NONE | KTGT_DIGEST_CRC32C;
		t->limits.erl = 0;
		t->limits.max_connections = 1;
		t->limits.iser = !strcmp(ls->conn->transport->name, "iser");
		ktgt_auth_policy(&ktgt_discovery_auth.auth,
				 ktgt_discovery_auth.enforce, &t->auth);
		goto out;
	}
	tpg = ktgt_tpg_find(target, &ls->conn->local, &tpgt);
	if (!tpg) {
		ret = KTGT_LOOKUP_NOT_FOUND;
		goto out;
	}
	acl = ktgt_acl_find(tpg, initiator);
	if (!acl && !tpg->attrib.generate_node_acls) {
		pr_info("initiator %s not allowed to %s\n", initiator, target);
		ret = KTGT_LOOKUP_NOT_ALLOWED;
		goto out;
	}
	ktgt_tpg_limits(tpg, tpgt, &t->limits);
	/* Connection recovery moves tasks through the transport's op. */
	if (!ls->conn->transport->reassign_cmd)
		t->limits.erl = min_t(u8, t->limits.erl, 1);
	/* RDMAExtensions and the iSER keys apply only on an iSER portal. */
	t->limits.iser = !strcmp(ls->conn->transport->name, "iser");
	auth = acl && acl->auth.userid[0] ? &acl->auth : &tpg->auth;
	ktgt_auth_policy(auth, tpg->attrib.authentication, &t->auth);
	ls->conn->nopin_interval = tpg->attrib.nopin_interval;
	ls->conn->nopin_timeout = tpg->attrib.nopin_timeout;
	ls->conn->dataout_timeout = tpg->attrib.dataout_timeout;
	ls->conn->params.tx_backlog_max = tpg->attrib.tx_backlog_kb * 1024;
	retain_max = tpg->attrib.status_retain_max;
	ktgt_tpg_get(tpg);
	ls->tpg = tpg;
	if (acl) {
		ktgt_acl_get(acl);
		ls->acl = acl;
	}
out:
	mutex_unlock(&ktgt_cfg_mutex);
	/* No memory for it: responses are not kept (ERL 0 needs none). */
	if (retain_max && ktgt_respq_setup(ls->conn, retain_max))
		pr_warn("%pISpc: no memory to keep %u responses\n",
			&ls->conn->peer, retain_max);
	return ret;
}

static int ktgt_login_random(void *ctx, u8 *buf, u32 len)
{
	get_random_bytes(buf, len);
	return 0;
}

static u16 ktgt_login_session(void *ctx,
			      const struct ktgt_login_session_info *info,
			      const struct ktgt_negotiated *neg, u16 *tsih)
{
	struct ktgt_login_state *ls = ctx;

	return ktgt_sess_login(ls->conn, info, neg, ls->tpg, ls->acl, tsih);
}

static struct ktgt_login_state *ktgt_login_start(struct ktgt_conn *conn)
{
	struct ktgt_login_state *ls;

	ls = kvzalloc(sizeof(*ls), GFP_KERNEL);
	if (!ls)
		return NULL;
	ls->conn = conn;
	ls->ops.lookup = ktgt_login_lookup;
	ls->ops.random = ktgt_login_random;
	ls->ops.session = ktgt_login_session;
	ls->ops.hash = &ktgt_chap_kernel_hash;
	ls->ops.ctx = ls;
	ktgt_login_init(&ls->login, &ls->ops);
	return ls;
}

void ktgt_login_free(struct ktgt_conn *conn)
{
	struct ktgt_login_state *ls = conn->login;

	if (!ls)
		return;
	conn->login = NULL;
	ktgt_login_release(&ls->login);
	if (ls->acl)
		ktgt_acl_put(ls->acl);
	if (ls->tpg)
		ktgt_tpg_put(ls->tpg);
	kvfree(ls);
}

/*
 * Values the transport needs once in full feature phase. A connection
 * that joined a session (MC/S) negotiated only connection-scope keys:
 * the session-wide ones are the leading login's (RFC 7143 6.3).
 */
static void ktgt_login_apply(struct ktgt_conn *conn,
			     const struct ktgt_negotiated *neg, bool leading)
{
	struct ktgt_conn_params *p = &conn->params;
	const struct ktgt_negotiated *conn_neg = neg;

	if (!leading && conn->sess)
		neg = &conn->sess->neg;
	p->header_digest = conn_neg->header_digest;
	p->data_digest = conn_neg->data_digest;
	p->max_recv_dsl = conn_neg->max_recv_dsl;
	p->max_xmit_dsl = conn_neg->max_xmit_dsl;
	p->target_recv_dsl = conn_neg->target_recv_dsl;
	p->initiator_recv_dsl = conn_neg->initiator_recv_dsl;
	p->max_burst = neg->max_burst;
	p->first_burst = neg->first_burst;
	p->initial_r2t = neg->initial_r2t;
	p->immediate_data = neg->immediate_data;
	p->max_outstanding_r2t = neg->max_outstanding_r2t;
	p->erl = neg->erl;
	p->data_pdu_in_order = neg->data_pdu_in_order;
	p->data_seq_in_order = neg->data_seq_in_order;
	p->rdma_extensions = neg->rdma_extensions;
	p->max_outstanding_unexpected_pdus =
		neg->max_outstanding_unexpected_pdus;
}

static int ktgt_login_send(struct ktgt_conn *conn,
			   const struct ktgt_login_rsp *rsp,
			   const u8 *data, u32 len, bool close)
{
	struct ktgt_bhs_login_rsp *h;
	struct ktgt_light_pdu *lp;

	lp = ktgt_light_alloc(conn, GFP_KERNEL);
	if (!lp)
		return -ENOMEM;
	if (ktgt_light_data(lp, data, len)) {
		ktgt_light_put(lp);
		return -ENOMEM;
	}
	h = (struct ktgt_bhs_login_rsp *)lp->pdu.bhs;
	h->opcode = KTGT_OP_LOGIN_RSP;
	h->flags = (rsp->transit ? KTGT_LOGIN_T : 0) |
		   (rsp->cont ? KTGT_LOGIN_C : 0) |
		   rsp->csg << KTGT_LOGIN_CSG_SHIFT | rsp->nsg;
	h->version_max = rsp->version_max;
	h->version_active = rsp->version_active;
	memcpy(h->isid, rsp->isid, sizeof(h->isid));
	h->tsih = cpu_to_be16(rsp->tsih);
	h->itt = cpu_to_be32(rsp->itt);
	h->status_class = rsp->status_class;
	h->status_detail = rsp->status_detail;
	/* Every Login Response takes the next StatSN (RFC 7143 11.13.4). */
	lp->pdu.stamp = KTGT_STAMP_ADVANCE;
	lp->pdu.close_conn = close;
	return ktgt_light_send(lp);
}

int ktgt_login_rx_pdu(struct ktgt_conn *conn, const struct ktgt_pdu *pdu,
		      const u8 *data)
{
	struct ktgt_login_state *ls = conn->login;
	struct ktgt_login_req req;
	struct ktgt_login_rsp rsp;
	u32 out_len = 0, max;
	bool first = !ls;
	int ret;

	if (!ls) {
		ls = ktgt_login_start(conn);
		if (!ls)
			return -ENOMEM;
		conn->login = ls;
	}
	memset(&req, 0, sizeof(req));
	memcpy(req.isid, pdu->login_req.isid, sizeof(req.isid));
	req.tsih = pdu->login_req.tsih;
	req.cid = pdu->login_req.cid;
	req.itt = pdu->itt;
	req.cmdsn = pdu->login_req.cmdsn;
	req.exp_statsn = pdu->login_req.expstatsn;
	req.csg = pdu->login_req.csg;
	req.nsg = pdu->login_req.nsg;
	req.transit = pdu->login_req.transit;
	req.cont = pdu->login_req.cont;
	req.version_max = pdu->login_req.version_max;
	req.version_min = pdu->login_req.version_min;

	conn->login_cmdsn = req.cmdsn;
	if (first) {
		/* StatSN starts where the initiator expects it. */
		conn->stat_sn = req.exp_statsn;
		conn->exp_stat_sn = req.exp_statsn;
	}

	/* The initiator's MaxRecvDataSegmentLength is 8192 during login. */
	max = min_t(u32, sizeof(ls->out), 8192);
	ret = ktgt_login_rx(&ls->login, &req, data, pdu->data_len, &rsp,
			    ls->out, max, &out_len);
	switch (ret) {
	case KTGT_LOGIN_CONTINUE:
		return ktgt_login_send(conn, &rsp, ls->out, out_len, false);
	case KTGT_LOGIN_DONE:
		ktgt_login_apply(conn, ktgt_login_done(&ls->login),
				 !ls->login.first.tsih);
		ret = ktgt_login_send(conn, &rsp, ls->out, out_len, false);
		spin_lock_irq(&conn->lock);
		if (conn->state == KTGT_CONN_LOGIN)
			conn->state = KTGT_CONN_FULL_FEATURE;
		spin_unlock_irq(&conn->lock);
		/* Out of the pre-login caps, the login timer stopped. */
		ktgt_admit_done(conn, false);
		ktgt_login_free(conn);
		ktgt_nopin_start(conn);
		return ret;
	default:
		pr_info("login from %pISpc failed: status %02x%02x\n",
			&conn->peer, rsp.status_class, rsp.status_detail);
		/* The transport closes the connection once this is out. */
		return ktgt_login_send(conn, &rsp, ls->out, out_len, true);
	}
}
