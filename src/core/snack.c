// SPDX-License-Identifier: GPL-2.0
/*
 * SNACK Requests (RFC 7143 11.16) at ErrorRecoveryLevel 1 and above: the
 * core's side. The request is decoded and checked by the pure
 * src/proto/snack.c; what it asks for is served here:
 *
 *   Status SNACK    the responses still in the connection's response
 *                   queue (respq.c) are sent again, each with its own
 *                   StatSN and current ExpCmdSN/MaxCmdSN (KTGT_STAMP_KEEP).
 *                   A status that went out in the last Data-In (phase
 *                   collapse) comes back as the SCSI Response it stands
 *                   for: the read data is not resent by a Status SNACK.
 *   R2T SNACK       (Type 0 for a write) the transport sends the R2Ts
 *                   again (resend_r2t: R2T is TCP's; iSER has none);
 *   Data SNACK      (Type 0 for a read), DataACK (named by the TTT of an
 *                   A-bit Data-In) and R-Data SNACK go to the
 *                   transport's data_snack with the read: the one still
 *                   executing (the session's task table), or one whose
 *                   status is out but not yet acknowledged, kept with
 *                   that status in the response queue
 *                   (ktgt_conn_stamp_read_status()). A Data or R-Data
 *                   SNACK for a read in neither is Invalid PDU field
 *                   (the ITT names no task); a DataACK is dropped (its
 *                   read, acknowledged, kept nothing to free).
 *
 * A SNACK at ERL 0, a malformed one or a run outside what was sent gets
 * the Reject that ktgt_snack_reject_reason() gives, the connection lives.
 * Receive context of @conn (process context).
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/list.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <ktgt/proto/snack.h>
#include "session.h"

/*
 * The header of a SCSI Response equal to the status that the Data-In
 * @bhs carried (S bit): same ITT, status, residual and StatSN;
 * ExpDataSN the number of Data-In, which is the last one's DataSN + 1.
 */
static void ktgt_snack_datain_to_rsp(u8 *bhs)
{
	struct ktgt_bhs_data_in din = *(struct ktgt_bhs_data_in *)bhs;
	struct ktgt_bhs_scsi_rsp *r = (struct ktgt_bhs_scsi_rsp *)bhs;

	memset(r, 0, sizeof(*r));
	r->opcode = KTGT_OP_SCSI_RSP;
	r->flags = KTGT_BHS_F |
		   (din.flags & (KTGT_DATAIN_O | KTGT_DATAIN_U));
	r->status = din.status;
	r->itt = din.itt;
	r->statsn = din.statsn;
	r->expdatasn = cpu_to_be32(be32_to_cpu(din.datasn) + 1);
	r->residual = din.residual;
}

static int ktgt_snack_status_resend(struct ktgt_conn *conn,
				    const struct ktgt_snack *sn)
{
	struct ktgt_light_pdu *lp;
	u32 first, count, i;
	int len, ret;

	ret = ktgt_respq_snack(conn, sn->begrun, sn->runlength, &first,
			       &count);
	if (ret)
		return ret;
	for (i = 0; i < count; i++) {
		lp = ktgt_light_alloc(conn, GFP_KERNEL);
		if (!lp)
			return -ENOMEM;
		ret = ktgt_light_data(lp, NULL, KTGT_RESPQ_DATA_MAX);
		len = ret ? ret : ktgt_respq_copy(conn, first + i,
						  lp->pdu.bhs, lp->pdu.data);
		if (len < 0) {
			ktgt_light_put(lp);
			/* Acknowledged meanwhile: nothing is owed. */
			return i ? 0 : len;
		}
		lp->pdu.data_len = len;
		if (lp->pdu.bhs[0] == KTGT_OP_DATA_IN)
			ktgt_snack_datain_to_rsp(lp->pdu.bhs);
		lp->pdu.stamp = KTGT_STAMP_KEEP;
		ret = ktgt_light_send(lp);
		if (ret)
			return ret;
	}
	pr_debug("%pISpc: Status SNACK: %u response(s) from StatSN %u sent again\n",
		 &conn->peer, count, first);
	return 0;
}

/*
 * ERL > 0, a read that put_data is about to send with its status in the
 * last Data-In: its task is over (no allegiance, ktgt_task_complete()),
 * but until that status is stamped a Data SNACK or DataACK may name it,
 * so @conn keeps it on conn->reads; ktgt_conn_stamp_read_status() hands
 * it to the response queue, which keeps it until the status is
 * acknowledged.
 */
void ktgt_read_keep(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	unsigned long flags;

	/* Any context: backstore completions may come in hard irq. */
	ktgt_cmd_get(cmd);
	spin_lock_irqsave(&conn->lock, flags);
	list_add_tail(&cmd->conn_node, &conn->reads);
	spin_unlock_irqrestore(&conn->lock, flags);
}

/* Takes @cmd off conn->reads; true if it was there (its ref is ours). */
bool ktgt_read_unkeep(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	unsigned long flags;
	bool kept;

	spin_lock_irqsave(&conn->lock, flags);
	kept = !list_empty(&cmd->conn_node);
	if (kept)
		list_del_init(&cmd->conn_node);
	spin_unlock_irqrestore(&conn->lock, flags);
	return kept;
}

/* Teardown, step 5 (conn.c): no status is stamped any more. */
void ktgt_reads_forget(struct ktgt_conn *conn)
{
	struct ktgt_cmd *cmd, *next;
	LIST_HEAD(reads);

	spin_lock_irq(&conn->lock);
	list_splice_init(&conn->reads, &reads);
	spin_unlock_irq(&conn->lock);
	list_for_each_entry_safe(cmd, next, &reads, conn_node) {
		list_del_init(&cmd->conn_node);
		ktgt_cmd_put(cmd);
	}
}

void ktgt_cmd_rdata_rsp(struct ktgt_cmd *cmd, u32 snack_tag, u32 statsn,
			u32 expdatasn)
{
	struct ktgt_bhs_scsi_rsp *h = (struct ktgt_bhs_scsi_rsp *)cmd->rsp.bhs;

	h->snack_tag = cpu_to_be32(snack_tag);
	h->statsn = cpu_to_be32(statsn);
	h->expdatasn = cpu_to_be32(expdatasn);
	cmd->rsp.stamp = KTGT_STAMP_KEEP;
}
EXPORT_SYMBOL_GPL(ktgt_cmd_rdata_rsp);

/* A read on conn->reads named by its ITT, or with @by_ttt its TTT. */
static struct ktgt_cmd *ktgt_snack_find_read(struct ktgt_conn *conn,
					     bool by_ttt, u32 tag)
{
	struct ktgt_cmd *cmd, *found = NULL;

	spin_lock_irq(&conn->lock);
	list_for_each_entry(cmd, &conn->reads, conn_node) {
		/* At ERL 2 every task's response is kept here too. */
		if (cmd->dir == KTGT_DIR_READ &&
		    (by_ttt ? cmd->ttt : cmd->itt) == tag) {
			found = cmd;
			ktgt_cmd_get(found);
			break;
		}
	}
	spin_unlock_irq(&conn->lock);
	return found;
}

/*
 * Type 0 (the task by its ITT), 2 (by the TTT) and 3 (by its ITT): the
 * task on this connection, or a read kept for its Data-In.
 */
static int ktgt_snack_task(struct ktgt_conn *conn,
			   const struct ktgt_snack *sn)
{
	const struct ktgt_transport_ops *ops = conn->transport;
	bool by_ttt = sn->type == KTGT_SNACK_DATA_ACK;
	u32 tag = by_ttt ? sn->ttt : sn->itt;
	struct ktgt_cmd *cmd;
	int ret = -ENODATA;

	/*
	 * A transport with no Data-In and no R2T PDUs (iSER, RFC 7145: the
	 * data moves by RDMA) has nothing to send again: SNACK Reject,
	 * whatever the task, as for any SNACK it cannot honour.
	 */
	if (!by_ttt && !ops->data_snack && !ops->resend_r2t)
		return -ENODATA;
	cmd = by_ttt ? NULL : ktgt_conn_find_cmd(conn, sn->itt);
	if (!cmd)
		cmd = ktgt_snack_find_read(conn, by_ttt, tag);
	if (!cmd)
		cmd = ktgt_respq_find_read(conn, by_ttt, tag);
	/*
	 * A DataACK only lets the target free what it retains: one for a
	 * read whose status was acknowledged since (it went with it) asks
	 * for nothing, and is dropped.
	 */
	if (!cmd)
		return by_ttt ? 0 : -EINVAL;
	if (cmd->dir == KTGT_DIR_WRITE) {
		if (sn->type == KTGT_SNACK_DATA_R2T && ops->resend_r2t)
			ret = ops->resend_r2t(conn, cmd, sn->begrun,
					      sn->runlength);
		else if (sn->type != KTGT_SNACK_DATA_R2T)
			ret = -EINVAL;
	} else if (cmd->dir == KTGT_DIR_READ && ops->data_snack) {
		ret = ops->data_snack(conn, cmd, sn);
	}
	ktgt_cmd_put(cmd);
	return ret;
}

int ktgt_snack_rx(struct ktgt_conn *conn, const struct ktgt_rx *rx)
{
	struct ktgt_snack sn;
	int ret;

	ret = ktgt_snack_parse(rx->pdu, conn->params.erl, &sn);
	if (!ret) {
		if (sn.type == KTGT_SNACK_STATUS)
			ret = ktgt_snack_status_resend(conn, &sn);
		else
			ret = ktgt_snack_task(conn, &sn);
	}
	if (ret == -ENOMEM)
		return ret;
	if (ret) {
		pr_debug("%pISpc: SNACK type %u ITT %#x BegRun %u RunLength %u refused: %d\n",
			 &conn->peer, sn.type, sn.itt, sn.begrun, sn.runlength,
			 ret);
		return ktgt_conn_reject(conn, rx->bhs,
					ktgt_snack_reject_reason(ret));
	}
	return 0;
}
