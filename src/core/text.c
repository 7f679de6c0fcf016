// SPDX-License-Identifier: GPL-2.0
/*
 * Text Request and Response in full feature phase (RFC 7143 11.10,
 * 11.11): SendTargets (discovery, RFC 7143 appendix C) and the keys that
 * may be renegotiated, through the same key table as the login. A
 * response longer than the initiator's MaxRecvDataSegmentLength goes out
 * in pieces: C bit and a Target Transfer Tag, continued by empty Text
 * Requests carrying that tag.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/slab.h>

#include <ktgt/proto/param.h>
#include <ktgt/proto/text.h>
#include "session.h"
#include "config.h"

#define KTGT_TEXT_RSP_MAX	(64 * 1024)
#define KTGT_TEXT_TTT		0x7478u		/* "tx": our continuation tag */

/* A response being sent in pieces; one per connection at a time. */
struct ktgt_text_state {
	u32 itt;
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
	struct ktgt_cmd *cmd;
	bool more = false;
	u32 max = conn->params.max_xmit_dsl, n;
	int ret;

	cmd = ktgt_cmd_alloc(conn, GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	cmd->rsp_data = kvmalloc(max, GFP_KERNEL);
	if (!cmd->rsp_data) {
		ktgt_cmd_put(cmd);
		return -ENOMEM;
	}
	cmd->rsp_data_kvfree = true;
	n = ktgt_text_take(&ts->out, cmd->rsp_data, max, &more);
	cmd->rsp_data_len = n;

	h = (struct ktgt_bhs_text_rsp *)cmd->rsp_bhs;
	h->opcode = KTGT_OP_TEXT_RSP;
	h->flags = more ? KTGT_TEXT_C : KTGT_BHS_F;
	put_unaligned_be24(n, h->data_seg_len);
	h->itt = cpu_to_be32(ts->itt);
	h->ttt = cpu_to_be32(more ? KTGT_TEXT_TTT : KTGT_RSVD_TAG);
	ktgt_conn_stamp(conn, &h->statsn, &h->expcmdsn, &h->maxcmdsn, true);
	ret = ktgt_conn_send(conn, cmd);
	ktgt_cmd_put(cmd);
	return ret;
}

static void ktgt_text_end(struct ktgt_conn *conn)
{
	kvfree(conn->text);
	conn->text = NULL;
}

int ktgt_text_rx(struct ktgt_conn *conn, const struct ktgt_pdu *pdu,
		 const u8 *data, const u8 *bhs)
{
	struct ktgt_text_state *ts = conn->text;
	struct ktgt_param_limits *lim;
	struct ktgt_param_neg *neg;
	u32 st;
	int ret;

	if (!ktgt_sess_cmdsn(conn->sess, pdu->immediate, pdu->text_req.cmdsn))
		return 0;

	/* Continuation of a long response. */
	if (pdu->text_req.ttt != KTGT_RSVD_TAG) {
		if (!ts || ts->itt != pdu->itt ||
		    pdu->text_req.ttt != KTGT_TEXT_TTT)
			return ktgt_conn_reject(conn, bhs,
						KTGT_REJECT_INVALID_PDU_FIELD);
		ret = ktgt_text_send(conn, ts);
		if (!ktgt_text_pending(&ts->out))
			ktgt_text_end(conn);
		return ret;
	}
	/* A new exchange ends any old one (RFC 7143 11.10.4). */
	ktgt_text_end(conn);
	if (pdu->text_req.cont)		/* multi-PDU requests: not yet */
		return ktgt_conn_reject(conn, bhs, KTGT_REJECT_PROTOCOL_ERROR);

	ts = kvzalloc(sizeof(*ts), GFP_KERNEL);
	neg = kzalloc(sizeof(*neg), GFP_KERNEL);
	lim = kzalloc(sizeof(*lim), GFP_KERNEL);
	if (!ts || !neg || !lim) {
		ret = -ENOMEM;
		goto out;
	}
	ts->itt = pdu->itt;
	ktgt_text_buf_init(&ts->out, ts->buf, sizeof(ts->buf));
	ktgt_param_limits_default(lim);
	lim->max_recv_dsl = conn->params.max_recv_dsl;
	ktgt_param_init_text(neg, lim, &conn->sess->neg);
	ret = ktgt_param_parse(neg, KTGT_STAGE_FFP, data, pdu->data_len);
	if (!ret)
		ret = ktgt_param_respond(neg, &ts->out);
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
	conn->text = ts;
	ts = NULL;
	ret = ktgt_text_send(conn, conn->text);
	if (!ktgt_text_pending(&conn->text->out))
		ktgt_text_end(conn);
out:
	kvfree(ts);
	kfree(neg);
	kfree(lim);
	return ret;
}

void ktgt_text_free(struct ktgt_conn *conn)
{
	ktgt_text_end(conn);
}
