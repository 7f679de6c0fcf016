// SPDX-License-Identifier: GPL-2.0
/*
 * Task management (RFC 7143 11.5, 11.6; SAM-5 7): ABORT TASK, ABORT TASK
 * SET, CLEAR TASK SET, LOGICAL UNIT RESET, TARGET WARM and COLD RESET.
 *
 * An aborted task ends without a response; one still in the backstore
 * finishes its I/O first and then drops its response (task->aborted).
 * Resets raise a unit attention on the LUNs they reset.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/slab.h>

#include <ktgt/proto/serial.h>
#include "session.h"
#include "config.h"

/* Aborts this connection's tasks that @match selects; returns how many. */
static unsigned int ktgt_tmf_abort(struct ktgt_conn *conn,
				   bool (*match)(struct ktgt_cmd *cmd,
						 const struct ktgt_pdu *pdu),
				   const struct ktgt_pdu *pdu)
{
	struct ktgt_cmd *cmd, *victims[64];
	unsigned int n = 0, i, total = 0;

	do {
		n = 0;
		spin_lock_irq(&conn->lock);
		list_for_each_entry(cmd, &conn->cmds, conn_node) {
			if (!cmd->task || cmd->task->aborted ||
			    !match(cmd, pdu))
				continue;
			/* Marked under the lock so a rescan skips it. */
			cmd->task->aborted = true;
			ktgt_cmd_get(cmd);
			victims[n++] = cmd;
			if (n == ARRAY_SIZE(victims))
				break;
		}
		spin_unlock_irq(&conn->lock);
		for (i = 0; i < n; i++) {
			ktgt_task_abort(victims[i]);
			ktgt_cmd_put(victims[i]);
		}
		total += n;
	} while (n == ARRAY_SIZE(victims));
	return total;
}

static bool ktgt_tmf_match_task(struct ktgt_cmd *cmd,
				const struct ktgt_pdu *pdu)
{
	return cmd->itt == pdu->tmf_req.rtt &&
	       !memcmp(cmd->lun, pdu->lun, sizeof(cmd->lun));
}

static bool ktgt_tmf_match_lun(struct ktgt_cmd *cmd,
			       const struct ktgt_pdu *pdu)
{
	return !memcmp(cmd->lun, pdu->lun, sizeof(cmd->lun));
}

static bool ktgt_tmf_match_all(struct ktgt_cmd *cmd,
			       const struct ktgt_pdu *pdu)
{
	return true;
}

/* Raises @ua on one mapped LUN, or on all of them (@lun == U64_MAX). */
static void ktgt_tmf_ua(struct ktgt_session *sess, u64 lun,
			enum ktgt_sense_reason ua)
{
	unsigned int i;

	spin_lock_irq(&sess->lock);
	for (i = 0; i < KTGT_SESS_LUNS; i++)
		if (lun == U64_MAX || lun == i)
			ktgt_scsi_ua_set(&sess->luns[i].ua, ua);
	spin_unlock_irq(&sess->lock);
}

/* A reset ends every PREVENT hold on one mapped LUN or on all of them. */
static void ktgt_tmf_clear_holds(struct ktgt_session *sess, u64 lun)
{
	struct ktgt_lun *l;
	unsigned int i;
	bool ro;

	for (i = 0; i < KTGT_SESS_LUNS; i++) {
		if (lun != U64_MAX && lun != i)
			continue;
		l = ktgt_lun_get(sess->tpg, sess->acl, i, &ro);
		if (!l)
			continue;
		ktgt_medium_clear_holds(&l->medium);
		ktgt_lun_put(l);
	}
}

static bool ktgt_tmf_lun_exists(struct ktgt_session *sess, const u8 *raw,
				u64 *lun)
{
	struct ktgt_lun *l;
	bool ro;

	if (ktgt_lun_decode(raw, lun))
		return false;
	l = ktgt_lun_get(sess->tpg, sess->acl, *lun, &ro);
	if (!l)
		return false;
	ktgt_lun_put(l);
	return true;
}

static u8 ktgt_tmf_do(struct ktgt_conn *conn, const struct ktgt_pdu *pdu,
		      bool *close)
{
	struct ktgt_session *sess = conn->sess;
	u32 exp, max;
	u64 lun;

	switch (pdu->tmf_req.function) {
	case KTGT_TMF_ABORT_TASK:
		if (ktgt_tmf_abort(conn, ktgt_tmf_match_task, pdu))
			return KTGT_TMF_RSP_COMPLETE;
		/*
		 * RFC 7143 11.5.1: an unknown task whose RefCmdSN is still in
		 * the window [ExpCmdSN, MaxCmdSN] and before this request was
		 * lost on the way: count it as received, report it aborted.
		 * Below ExpCmdSN it was received and has completed.
		 */
		ktgt_sess_window(sess, &exp, &max);
		if (ktgt_sn_lt(pdu->tmf_req.refcmdsn, pdu->tmf_req.cmdsn) &&
		    ktgt_sn_in_window(pdu->tmf_req.refcmdsn, exp, max))
			return KTGT_TMF_RSP_COMPLETE;
		return KTGT_TMF_RSP_NO_TASK;
	case KTGT_TMF_ABORT_TASK_SET:
	case KTGT_TMF_CLEAR_TASK_SET:
		if (!ktgt_tmf_lun_exists(sess, pdu->lun, &lun))
			return KTGT_TMF_RSP_NO_LUN;
		ktgt_tmf_abort(conn, ktgt_tmf_match_lun, pdu);
		return KTGT_TMF_RSP_COMPLETE;
	case KTGT_TMF_LOGICAL_UNIT_RESET:
		if (!ktgt_tmf_lun_exists(sess, pdu->lun, &lun))
			return KTGT_TMF_RSP_NO_LUN;
		ktgt_tmf_abort(conn, ktgt_tmf_match_lun, pdu);
		ktgt_tmf_clear_holds(sess, lun);
		ktgt_tmf_ua(sess, lun, KTGT_SR_UA_DEVICE_RESET);
		return KTGT_TMF_RSP_COMPLETE;
	case KTGT_TMF_TARGET_WARM_RESET:
	case KTGT_TMF_TARGET_COLD_RESET:
		ktgt_tmf_abort(conn, ktgt_tmf_match_all, pdu);
		ktgt_tmf_clear_holds(sess, U64_MAX);
		ktgt_tmf_ua(sess, U64_MAX, KTGT_SR_UA_POWER_ON_RESET);
		/* A cold reset also ends the connections (RFC 7143 11.5.1). */
		*close = pdu->tmf_req.function == KTGT_TMF_TARGET_COLD_RESET;
		return KTGT_TMF_RSP_COMPLETE;
	case KTGT_TMF_TASK_REASSIGN:
		return KTGT_TMF_RSP_NO_REASSIGN;
	case KTGT_TMF_CLEAR_ACA:
		return KTGT_TMF_RSP_NOT_SUPPORTED;
	default:
		return KTGT_TMF_RSP_REJECTED;
	}
}

int ktgt_tmf_rx(struct ktgt_conn *conn, const struct ktgt_pdu *pdu)
{
	struct ktgt_bhs_tmf_rsp *h;
	struct ktgt_cmd *cmd;
	bool close = false;
	int ret;

	if (conn->sess->discovery)
		return -EPROTO;
	if (!ktgt_sess_cmdsn(conn->sess, pdu->immediate, pdu->tmf_req.cmdsn))
		return 0;

	cmd = ktgt_cmd_alloc(conn, GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	h = (struct ktgt_bhs_tmf_rsp *)cmd->rsp_bhs;
	h->opcode = KTGT_OP_TMF_RSP;
	h->flags = KTGT_BHS_F;
	h->response = ktgt_tmf_do(conn, pdu, &close);
	h->itt = cpu_to_be32(pdu->itt);
	ktgt_conn_stamp(conn, &h->statsn, &h->expcmdsn, &h->maxcmdsn, true);
	cmd->close_conn = close;
	pr_debug("TMF function %u: response %u\n", pdu->tmf_req.function,
		 h->response);
	ret = ktgt_conn_send(conn, cmd);
	ktgt_cmd_put(cmd);
	return ret;
}
