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
 *  - R-Data SNACK (resegmenting after a MaxRecvDataSegmentLength change)
 *    is refused with SNACK Reject: the length cannot change in full
 *    feature phase yet (Text renegotiation is not accepted).
 *
 * io_work only (the receive path delivers SNACKs; the transmit path
 * frames Data-In), so tcmd's fields need no lock.
 */
#define pr_fmt(fmt) "ktgt_tcp: " fmt

#include <ktgt/core.h>
#include <ktgt/proto/serial.h>
#include "tcp.h"

/* The Buffer Offset of Data-In @datasn (see the segmentation above). */
u32 ktgt_tcp_datain_offset(const struct ktgt_conn_params *p, u32 datasn)
{
	u32 per_burst = DIV_ROUND_UP(p->max_burst, p->max_xmit_dsl);

	return datasn / per_burst * p->max_burst +
	       datasn % per_burst * p->max_xmit_dsl;
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
		return -ENODATA;
	}
}
