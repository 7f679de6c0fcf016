// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_tcp: Data-In asked for again, at ErrorRecoveryLevel 1 and above
 * (RFC 7143 11.7.2, 11.16; the pure rules are src/proto/snack.c).
 *
 * A read's Data-In are numbered as they are framed (tcmd->datasn) and
 * cut the same way every time: MaxRecvDataSegmentLength bytes, never
 * across a MaxBurstLength boundary (ktgt_tcp_txc_data_in()), so DataSN
 * alone gives a PDU's offset and length and nothing per PDU is kept.
 * The data stays in the command's buffer: the core keeps the command
 * until the status in its last Data-In is acknowledged
 * (ktgt_conn_stamp_read_status()).
 *
 *  - A Data SNACK names a run of DataSNs already sent and not DataACKed:
 *    they are sent again as they were (the one with the status keeps its
 *    StatSN), ExpCmdSN and MaxCmdSN current.
 *  - The last Data-In of each Data-In sequence that is not the last of
 *    the transfer carries the A bit and the command's TTT; a DataACK
 *    naming that TTT says every Data-In before BegRun arrived, so a
 *    later Data SNACK may not ask for them. The buffer is freed with
 *    the command, when the status is acknowledged.
 *  - An R-Data SNACK (RFC 7143 11.16.3: the initiator declared a new
 *    MaxRecvDataSegmentLength in a Text Request, text.c) resends every
 *    Data-In from the last DataACK on, cut for the current length and
 *    numbered from that DataACK's BegRun, none with the status; then the
 *    SCSI Response: the status already sent (its StatSN kept), the
 *    R-Data SNACK's tag, the new ExpDataSN. Until the read's first
 *    transmission, status included, is out (or while a resend is under
 *    way) it gets SNACK Reject: the initiator may ask again.
 *
 *  - TASK REASSIGN (ERL 2, the core's erl2.c) of a read to this
 *    connection: every Data-In from the request's ExpDataSN (0, or one
 *    out of range: from the last DataACK) is sent again, cut for this
 *    connection (resegmented from that burst's start if its
 *    MaxRecvDataSegmentLength differs), the status in the last with a
 *    StatSN of this connection. A write still waiting for data gets
 *    the recovery R2T of a Data-Out time-out (tcp_dataseq.c).
 *
 * io_work only (the receive path delivers SNACKs; the transmit path
 * frames Data-In), so tcmd's fields need no lock.
 */
#define pr_fmt(fmt) "ktgt_tcp: " fmt

#include <ktgt/core.h>
#include <ktgt/proto/serial.h>
#include "tcp.h"

/*
 * The Buffer Offset of Data-In @datasn (see the segmentation above):
 * counted from the read's segmentation base, which is a multiple of
 * MaxBurstLength (offset 0, or where an R-Data SNACK resegmented from,
 * a DataACK point).
 */
u32 ktgt_tcp_datain_offset(const struct ktgt_tcp_cmd *tcmd, u32 burst,
			   u32 datasn)
{
	u32 per_burst = DIV_ROUND_UP(burst, tcmd->seg_mdsl);
	u32 n = datasn - tcmd->seg_sn;

	return tcmd->seg_off + n / per_burst * burst +
	       n % per_burst * tcmd->seg_mdsl;
}

/* How many Data-In carry @len bytes from a burst boundary on. */
u32 ktgt_tcp_datain_count(u32 burst, u32 mdsl, u32 len)
{
	return len / burst * DIV_ROUND_UP(burst, mdsl) +
	       DIV_ROUND_UP(len % burst, mdsl);
}

u32 ktgt_tcp_next_ttt(void)
{
	static atomic_t ttt_counter = ATOMIC_INIT(0);
	u32 ttt;

	do {
		ttt = atomic_inc_return(&ttt_counter);
	} while (ttt == KTGT_RSVD_TAG);
	return ttt;
}

/* Queues the resend of DataSN [@first, @end) (merged with one queued). */
static void ktgt_tcp_queue_resend(struct ktgt_tcp_conn *tconn,
				  struct ktgt_cmd *cmd, u32 first, u32 end)
{
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	struct ktgt_tcp_tx *tx = &tcmd->resend_tx;
	bool busy = tconn->txc.active && tconn->txc.tx == tx;
	unsigned long flags;

	if (busy || tx->queued) {
		if (ktgt_sn_lt(first, tcmd->rs_next))
			tcmd->rs_next = first;
		if (ktgt_sn_gt(end, tcmd->rs_end))
			tcmd->rs_end = end;
		return;
	}
	tcmd->rs_next = first;
	tcmd->rs_end = end;
	spin_lock_irqsave(&tconn->tx_lock, flags);
	if (!tconn->closing && !tcmd->aborted) {
		tx->cmd = cmd;
		tx->kind = KTGT_TCP_TX_DATA_RESEND;
		tx->backlog = 0;
		tx->queued = true;
		ktgt_cmd_get(cmd);
		list_add_tail(&tx->node, &tconn->tx_queue);
		queue_work(ktgt_tcp_wq, &tconn->io_work);
	}
	spin_unlock_irqrestore(&tconn->tx_lock, flags);
}

/* R-Data SNACK with SNACK Tag @tag: resegment and resend (see above). */
static int ktgt_tcp_rdata(struct ktgt_tcp_conn *tconn, struct ktgt_cmd *cmd,
			  u32 tag)
{
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	u32 burst = tconn->conn.params.max_burst;
	u32 mdsl = READ_ONCE(tconn->conn.params.max_xmit_dsl);
	struct ktgt_tcp_tx *rs = &tcmd->resend_tx;
	u32 off, count;

	if (!tcmd->status_sent || rs->queued || tcmd->pdu_tx.queued ||
	    (tconn->txc.active && tconn->txc.tx == rs))
		return -ENODATA;
	off = ktgt_tcp_datain_offset(tcmd, burst, tcmd->dack_sn);
	count = ktgt_tcp_datain_count(burst, mdsl, cmd->xfer_len - off);
	pr_debug("%pISpc: R-Data SNACK ITT %#x: %u bytes from DataSN %u in %u Data-In of %u\n",
		 &tconn->conn.peer, cmd->itt, cmd->xfer_len - off,
		 tcmd->dack_sn, count, mdsl);
	tcmd->seg_sn = tcmd->dack_sn;
	tcmd->seg_off = off;
	tcmd->seg_mdsl = mdsl;
	tcmd->datasn = tcmd->dack_sn + count;
	tcmd->rdata = true;
	ktgt_cmd_rdata_rsp(cmd, tag, tcmd->status_sn, tcmd->datasn);
	/* The Data-In first, then the response: the queue keeps order. */
	ktgt_tcp_queue_resend(tconn, cmd, tcmd->dack_sn, tcmd->datasn);
	return ktgt_tcp_queue_pdu(&tconn->conn, cmd);
}

int ktgt_tcp_data_snack(struct ktgt_conn *conn, struct ktgt_cmd *cmd,
			const struct ktgt_snack *sn)
{
	struct ktgt_tcp_conn *tconn = ktgt_tcp_conn(conn);
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	u32 first, count;
	int ret;

	switch (sn->type) {
	case KTGT_SNACK_DATA_R2T:
		ret = ktgt_snack_range(sn->begrun, sn->runlength,
				       tcmd->dack_sn, tcmd->datasn, &first,
				       &count);
		if (ret || !count)
			return ret;
		pr_debug("%pISpc: Data SNACK ITT %#x: DataSN %u+%u again\n",
			 &conn->peer, cmd->itt, first, count);
		ktgt_tcp_queue_resend(tconn, cmd, first, first + count);
		return 0;
	case KTGT_SNACK_DATA_ACK:
		if (ktgt_sn_gt(sn->begrun, tcmd->datasn))
			return -ERANGE;
		/* A stale one (before the last) changes nothing. */
		if (ktgt_sn_gt(sn->begrun, tcmd->dack_sn))
			tcmd->dack_sn = sn->begrun;
		return 0;
	default:
		return ktgt_tcp_rdata(tconn, cmd, sn->ttt);
	}
}

/*
 * reassign_cmd: from the receive path of @conn (a TMF), after its
 * response is queued; the old connection is stopped, nothing of @cmd is
 * queued anywhere (its tx items were dropped with their references).
 */
int ktgt_tcp_reassign_cmd(struct ktgt_conn *conn, struct ktgt_cmd *cmd,
			  u32 exp_datasn)
{
	struct ktgt_tcp_conn *tconn = ktgt_tcp_conn(conn);
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	u32 burst = conn->params.max_burst;
	u32 mdsl = READ_ONCE(conn->params.max_xmit_dsl);
	u32 e = exp_datasn, off, total;

	spin_lock_irq(&tconn->tx_lock);
	tcmd->r2t_queued = false;
	tcmd->aborted = false;
	spin_unlock_irq(&tconn->tx_lock);
	tcmd->r2t_resend = false;
	tcmd->rs_next = 0;
	tcmd->rs_end = 0;
	if (cmd->dir == KTGT_DIR_WRITE)
		return tcmd->want_data ? ktgt_tcp_recover_data(conn, cmd) : 0;
	if (!cmd->xfer_len)
		return -EINVAL;

	if (!tcmd->seg_mdsl) {
		/* Its data never started: all of it, as put_data would. */
		tcmd->seg_mdsl = mdsl;
		tcmd->seg_sn = 0;
		tcmd->seg_off = 0;
		tcmd->datasn = 0;
		tcmd->dack_sn = 0;
	}
	if (!e || ktgt_sn_gt(e, tcmd->datasn) || ktgt_sn_lt(e, tcmd->dack_sn))
		e = tcmd->dack_sn;
	off = ktgt_tcp_datain_offset(tcmd, burst, e);
	if (tcmd->seg_mdsl != mdsl) {
		tcmd->seg_sn = e;
		tcmd->seg_off = rounddown(off, burst);
		tcmd->seg_mdsl = mdsl;
	}
	total = tcmd->seg_sn + ktgt_tcp_datain_count(burst, mdsl,
						      cmd->xfer_len -
						      tcmd->seg_off);
	/* All acknowledged: the last again, for the status it carries. */
	if (ktgt_sn_ge(e, total))
		e = total - 1;
	tcmd->datasn = total;
	cmd->exp_datasn = total;
	tcmd->status_sent = false;
	tcmd->rdata = false;
	if (conn->params.erl && cmd->ttt == KTGT_RSVD_TAG) {
		tcmd->ttt = ktgt_tcp_next_ttt();
		cmd->ttt = tcmd->ttt;
	}
	pr_debug("%pISpc: ITT %#x reassigned: DataSN %u to %u from offset %u\n",
		 &conn->peer, cmd->itt, e, total,
		 ktgt_tcp_datain_offset(tcmd, burst, e));
	ktgt_tcp_queue_resend(tconn, cmd, e, total);
	return 0;
}
