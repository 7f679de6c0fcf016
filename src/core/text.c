// SPDX-License-Identifier: GPL-2.0
/*
 * Text Request and Response in full feature phase (RFC 7143 11.10,
 * 11.11): SendTargets (discovery, RFC 7143 appendix C) and the keys that
 * may be renegotiated, through the same key table as the login. A
 * response longer than the initiator's MaxRecvDataSegmentLength goes out
 * in pieces: C bit and a Target Transfer Tag, continued by empty Text
 * Requests carrying that tag. A request may come in pieces too (C bit,
 * RFC 7143 11.10.2): each piece is answered with an empty Text Response
 * (F=0, our tag, RFC 7143 6.6), the pieces are joined, and the whole is
 * answered once the last (C=0) arrives.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/slab.h>

#include <ktgt/proto/param.h>
#include <ktgt/proto/text.h>
#include "session.h"
#include "config.h"

#define KTGT_TEXT_RSP_MAX	(64 * 1024)
/* Largest Text Response data segment we build, whatever the peer allows. */
#define KTGT_TEXT_PDU_MAX	KTGT_TEXT_RSP_MAX
#define KTGT_TEXT_TTT		0x7478u		/* "tx": our continuation tag */

/* Largest request we join from pieces. */
#define KTGT_TEXT_REQ_MAX	(64 * 1024)

/*
 * An exchange in pieces, one per connection at a time: a request being
 * joined (@req_len bytes so far, @joining) or a response being sent.
 */
struct ktgt_text_state {
	u32 itt;
	bool joining;
	u32 req_len;
	u8 *req;			/* KTGT_TEXT_REQ_MAX, while joining */
	struct ktgt_text_buf out;
	u8 buf[KTGT_TEXT_RSP_MAX];
};

static int ktgt_text_emit(void *arg, const char *key, const char *value)
{
	return ktgt_text_add(arg, key, value);
}

/* Answers SendTargets=@value into @out (ktgt_cfg_mutex taken here). */
static int ktgt_text_send_targets(struct ktgt_conn *conn, const char *value,
				  u32 len, struct ktgt_text_buf *out)
{
	struct ktgt_session *sess = conn->sess;
	char name[KTGT_NAME_MAX + 1];
	int ret;

	if (len >= sizeof(name))
		return ktgt_text_add(out, "SendTargets", "Reject");
	memcpy(name, value, len);
	name[len] = '\0';

	mutex_lock(&ktgt_cfg_mutex);
	if (!strcmp(name, "All") && sess->discovery) {
		ret = ktgt_for_each_visible_target(sess->initiator, &conn->local,
						   ktgt_text_emit, out);
	} else {
		/* A target name, or empty: the session's own target. */
		const char *want = name[0] ? name :
				   sess->tpg ? sess->tpg->target->name : "";
		struct ktgt_text_buf all;
		struct ktgt_text_iter it;
		struct ktgt_kv kv;
		bool keep = false;
		u8 *tmp;

		tmp = kvmalloc(KTGT_TEXT_RSP_MAX, GFP_KERNEL);
		if (!tmp) {
			mutex_unlock(&ktgt_cfg_mutex);
			return -ENOMEM;
		}
		ktgt_text_buf_init(&all, tmp, KTGT_TEXT_RSP_MAX);
		ret = ktgt_for_each_visible_target(sess->initiator, &conn->local,
						   ktgt_text_emit, &all);
		/* Keep only the records of @want. */
		ktgt_text_iter_init(&it, tmp, all.len);
		while (!ret && ktgt_text_next(&it, &kv) > 0) {
			if (ktgt_kv_key_is(&kv, "TargetName"))
				keep = ktgt_kv_val_is(&kv, want);
			if (keep)
				ret = ktgt_text_add_n(out, kv.key, kv.key_len,
						      kv.val);
		}
		kvfree(tmp);
	}
	mutex_unlock(&ktgt_cfg_mutex);
	return ret;
}

static int ktgt_text_send(struct ktgt_conn *conn, struct ktgt_text_state *ts)
{
	struct ktgt_bhs_text_rsp *h;
	struct ktgt_light_pdu *lp;
	bool more = false, final;
	/*
	 * The initiator may declare up to 16 MiB; a Text response needs
	 * no more than our own request limit, so one PDU's buffer is
	 * bounded by the target, not by the peer.
	 */
	u32 max = min_t(u32, conn->params.max_xmit_dsl, KTGT_TEXT_PDU_MAX), n;

	lp = ktgt_light_alloc(conn, GFP_KERNEL);
	if (!lp)
		return -ENOMEM;
	if (ktgt_light_data(lp, NULL, max)) {
		ktgt_light_put(lp);
		return -ENOMEM;
	}
	n = ktgt_text_take(&ts->out, lp->pdu.data, max, &more);
	lp->pdu.data_len = n;

	h = (struct ktgt_bhs_text_rsp *)lp->pdu.bhs;
	h->opcode = KTGT_OP_TEXT_RSP;
	/* While joining a request: empty, neither C nor F, our tag. */
	final = !more && !ts->joining;
	h->flags = more ? KTGT_TEXT_C : final ? KTGT_BHS_F : 0;
	put_unaligned_be24(n, h->data_seg_len);
	h->itt = cpu_to_be32(ts->itt);
	h->ttt = cpu_to_be32(final ? KTGT_RSVD_TAG : KTGT_TEXT_TTT);
	lp->pdu.stamp = KTGT_STAMP_ADVANCE;
	return ktgt_light_send(lp);
}

static void ktgt_text_end(struct ktgt_conn *conn)
{
	if (conn->text)
		kvfree(conn->text->req);
	kvfree(conn->text);
	conn->text = NULL;
}

/* Negotiates the whole request @data and sends (the start of) the answer. */
static int ktgt_text_answer(struct ktgt_conn *conn, struct ktgt_text_state *ts,
			    const u8 *data, u32 len, const u8 *bhs)
{
	struct ktgt_param_limits *lim;
	struct ktgt_param_neg *neg;
	u32 st;
	int ret;

	neg = kzalloc(sizeof(*neg), GFP_KERNEL);
	lim = kzalloc(sizeof(*lim), GFP_KERNEL);
	if (!neg || !lim) {
		ret = -ENOMEM;
		goto out;
	}
	ktgt_param_limits_default(lim);
	lim->max_recv_dsl = conn->params.max_recv_dsl;
	ktgt_param_init_text(neg, lim, &conn->sess->neg);
	ret = ktgt_param_parse(neg, KTGT_STAGE_FFP, data, len);
	if (!ret)
		ret = ktgt_param_respond(neg, &ts->out);
	/*
	 * The initiator declared a new MaxRecvDataSegmentLength (RFC 7143
	 * 13.12; over TCP only: iSER does not use the key). PDUs framed
	 * from now on follow it; a read already going out keeps its own
	 * segmentation until the initiator asks for it again with an
	 * R-Data SNACK (src/tcp/tcp_datain.c).
	 */
	if (!ret && neg->cur & BIT_ULL(KTGT_KEY_MAX_RECV_DSL) &&
	    !conn->params.rdma_extensions &&
	    neg->val.max_xmit_dsl != conn->params.max_xmit_dsl) {
		pr_info("%pISpc: MaxRecvDataSegmentLength %u -> %u (Text)\n",
			&conn->peer, conn->params.max_xmit_dsl,
			neg->val.max_xmit_dsl);
		WRITE_ONCE(conn->params.max_xmit_dsl, neg->val.max_xmit_dsl);
	}
	if (ret == -EPROTO) {
		ret = ktgt_conn_reject(conn, bhs, KTGT_REJECT_PROTOCOL_ERROR);
		goto out;
	}
	st = neg->cur & BIT_ULL(KTGT_KEY_SEND_TARGETS) ?
	     KTGT_KEY_SEND_TARGETS : KTGT_KEY_COUNT;
	if (!ret && st == KTGT_KEY_SEND_TARGETS)
		ret = ktgt_text_send_targets(conn, neg->value[st],
					     neg->value_len[st], &ts->out);
	if (ret == -ENOSPC)
		pr_warn("text response over %u bytes truncated\n",
			KTGT_TEXT_RSP_MAX);
	ret = ktgt_text_send(conn, ts);
out:
	kfree(neg);
	kfree(lim);
	return ret;
}

/* Adds one piece of a request; answers it empty unless it is the last. */
static int ktgt_text_join(struct ktgt_conn *conn, struct ktgt_text_state *ts,
			  const struct ktgt_pdu *pdu, const u8 *data,
			  const u8 *bhs)
{
	if (pdu->data_len > KTGT_TEXT_REQ_MAX - ts->req_len) {
		pr_warn("text request over %u bytes refused\n",
			KTGT_TEXT_REQ_MAX);
		ktgt_text_end(conn);
		return ktgt_conn_reject(conn, bhs,
					KTGT_REJECT_PROTOCOL_ERROR);
	}
	memcpy(ts->req + ts->req_len, data, pdu->data_len);
	ts->req_len += pdu->data_len;
	if (pdu->text_req.cont)
		return ktgt_text_send(conn, ts);	/* empty, F=0 */
	ts->joining = false;
	return ktgt_text_answer(conn, ts, ts->req, ts->req_len, bhs);
}

int ktgt_text_rx(struct ktgt_conn *conn, const struct ktgt_pdu *pdu,
		 const u8 *data, const u8 *bhs)
{
	struct ktgt_text_state *ts = conn->text;
	int ret;

	if (ktgt_sess_cmdsn(conn->sess, pdu->immediate, pdu->text_req.cmdsn,
			    false) != KTGT_CMDSN_ACCEPT)
		return 0;
	/* C=1 with F=1 is a protocol error (RFC 7143 11.10.2). */
	if (pdu->text_req.cont && pdu->final)
		return ktgt_conn_reject(conn, bhs, KTGT_REJECT_PROTOCOL_ERROR);

	if (pdu->text_req.ttt != KTGT_RSVD_TAG) {
		/* The next piece of a request, or of our long response. */
		if (!ts || ts->itt != pdu->itt ||
		    pdu->text_req.ttt != KTGT_TEXT_TTT)
			return ktgt_conn_reject(conn, bhs,
						KTGT_REJECT_INVALID_PDU_FIELD);
		if (ts->joining)
			ret = ktgt_text_join(conn, ts, pdu, data, bhs);
		else
			ret = ktgt_text_send(conn, ts);
	} else {
		/* A new exchange ends any old one (RFC 7143 11.10.4). */
		ktgt_text_end(conn);
		ts = kvzalloc(sizeof(*ts), GFP_KERNEL);
		if (!ts)
			return -ENOMEM;
		ts->itt = pdu->itt;
		ktgt_text_buf_init(&ts->out, ts->buf, sizeof(ts->buf));
		conn->text = ts;
		if (pdu->text_req.cont) {
			/* Only a request in pieces needs the join buffer. */
			ts->req = kvmalloc(KTGT_TEXT_REQ_MAX, GFP_KERNEL);
			if (!ts->req)
				return -ENOMEM;
			ts->joining = true;
			ret = ktgt_text_join(conn, ts, pdu, data, bhs);
		} else {
			ret = ktgt_text_answer(conn, ts, data, pdu->data_len,
					       bhs);
		}
	}
	/* Done once nothing is being joined or still to be sent. */
	ts = conn->text;
	if (ts && !ts->joining && !ktgt_text_pending(&ts->out))
		ktgt_text_end(conn);
	return ret;
}

void ktgt_text_free(struct ktgt_conn *conn)
{
	ktgt_text_end(conn);
}
