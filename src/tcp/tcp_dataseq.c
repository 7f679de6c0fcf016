// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_tcp: Data-Out sequences when they may break or come out of
 * order: within-command recovery at ErrorRecoveryLevel 1 and above (RFC
 * 7143 7.1.4.1, 7.8, 11.8, 11.16) and DataPDUInOrder=No (13.18).
 *
 * Write data arrives as Data-Out sequences: the unsolicited burst
 * [imm_len, unsol_len), then one per R2T. In "one sequence" mode (ERL >
 * 0, DataPDUInOrder=No or DataSequenceInOrder=No) login agrees
 * MaxOutstandingR2T=1 (13.19: with DataSequenceInOrder=Yes only the last
 * R2T may be retried at ERL > 0) and the first R2T waits until the
 * unsolicited burst is over, so exactly one sequence is in progress:
 * sequences are in order whatever DataSequenceInOrder says, and a loss
 * is always in the sequence in progress.
 *
 * PDUs in order (DataPDUInOrder=Yes): the receive cursor (rx_off,
 * rx_burst_sn) walks the sequence. What breaks it:
 *  - a data digest error on one of its Data-Out (the core sends the
 *    Reject, reason "data digest error"; the bytes are bad);
 *  - a Data-Out that skips ahead of the cursor (a PDU lost, or dropped
 *    for a header digest error): its data is placed, the gap is lost;
 * either way the sequence is marked bad from the first lost byte. When
 * its last byte has arrived the target sends one recovery R2T (a new
 * R2TSN, the command's TTT) for [first lost byte, end of the sequence)
 * and the cursor goes back there: the initiator sends that range again
 * as a new sequence, DataSN from 0. Good bytes after a hole are asked
 * again too: one R2T per hole would need a range set per task.
 *
 * PDUs in any order (DataPDUInOrder=No): the bytes placed are kept in a
 * struct ktgt_dplace (src/proto/dataplace.c): every byte exactly once,
 * an overlap refused (at ERL > 0 dropped: an old copy), the sequence
 * over when no hole is left. At ERL > 0, when the PDU with the F bit has
 * come and holes remain, one recovery R2T asks for the first hole, and
 * so on until none is left.
 *
 * A sequence whose end never arrives (its last PDU was lost, or the R2T
 * was) is found by the core's Data-Out time-out, which calls
 * recover_data: the same recovery R2T, for what is missing of the
 * sequence in progress. Data-Out behind the cursor (the old copy of a
 * range asked again) is read and dropped without a Reject.
 *
 * An R2T SNACK (resend_r2t) sends the last R2T again, as it was: in this
 * mode it is the only one outstanding.
 *
 * Context: io_work for everything but ktgt_tcp_recover_data(), which
 * only sets rec_timeout under tx_lock and lets io_work act on it.
 */
#define pr_fmt(fmt) "ktgt_tcp: " fmt

#include <ktgt/core.h>
#include "tcp.h"

bool ktgt_tcp_one_seq(const struct ktgt_conn_params *p)
{
	return p->erl || !p->data_pdu_in_order || !p->data_seq_in_order;
}

/*
 * End of the Data-Out sequence in progress, the one the receive cursor
 * (rx_off) is in: a recovery sequence's own end, the unsolicited
 * burst's, or the R2T's (MaxBurstLength bytes from the first R2T's
 * offset, or what was asked); out of order, the placement set's.
 */
u32 ktgt_tcp_seq_end(const struct ktgt_tcp_conn *tconn,
		     struct ktgt_cmd *cmd)
{
	const struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	u32 burst = tconn->conn.params.max_burst;
	u32 off = tcmd->rx_off;

	if (!tconn->conn.params.data_pdu_in_order)
		return tcmd->dp.end;
	if (tcmd->recovering)
		return tcmd->rec_end;
	if (off < cmd->unsol_len)
		return cmd->unsol_len;
	return min(cmd->unsol_len + rounddown(off - cmd->unsol_len, burst) +
		   burst, tcmd->r2t_next);
}

/* A sequence starts: [@off, @off + @len) of the buffer. */
void ktgt_tcp_seq_start(struct ktgt_tcp_cmd *tcmd, u32 off, u32 len)
{
	ktgt_dplace_init(&tcmd->dp, off, off + len);
}

/* A sequence is in progress: no other may be asked for. */
bool ktgt_tcp_seq_busy(const struct ktgt_tcp_conn *tconn,
		       struct ktgt_cmd *cmd)
{
	const struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);

	if (tcmd->recovering || tcmd->rec_pending)
		return true;
	if (!tconn->conn.params.data_pdu_in_order)
		return !ktgt_dplace_complete(&tcmd->dp);
	return tcmd->rx_off < cmd->unsol_len;
}

/* Every byte of the command's write data is in. */
bool ktgt_tcp_data_complete(const struct ktgt_tcp_conn *tconn,
			    struct ktgt_cmd *cmd)
{
	const struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	u32 need = max(cmd->xfer_len, cmd->unsol_len);

	if (tcmd->seq_bad || tcmd->recovering || tcmd->rec_pending)
		return false;
	if (!tconn->conn.params.data_pdu_in_order)
		return ktgt_dplace_complete(&tcmd->dp) && tcmd->dp.end >= need;
	return tcmd->rx_off >= need;
}

/* In-order: bytes from @from on of the sequence in progress are lost. */
void ktgt_tcp_seq_lost(struct ktgt_tcp_cmd *tcmd, u32 from)
{
	if (!tcmd->seq_bad || from < tcmd->bad_from)
		tcmd->bad_from = from;
	tcmd->seq_bad = true;
}

/* The sequence in progress no longer counts as outstanding. */
static void ktgt_tcp_seq_close(struct ktgt_cmd *cmd, u32 end)
{
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);

	tcmd->rx_burst_sn = 0;
	if (tcmd->recovering)
		tcmd->recovering = false;
	else if (end > cmd->unsol_len && tcmd->r2t_outstanding)
		tcmd->r2t_outstanding--;
}

/* Asks [@from, @end) again with a recovery R2T. */
static void ktgt_tcp_seq_recover(struct ktgt_tcp_conn *tconn,
				 struct ktgt_cmd *cmd, u32 from, u32 end)
{
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);

	pr_info("%pISpc: ITT %#x: Data-Out [%u, %u) asked again\n",
		&tconn->conn.peer, cmd->itt, from, end);
	tcmd->seq_bad = false;
	tcmd->recovering = true;
	tcmd->rec_pending = true;
	tcmd->rec_end = end;
	tcmd->rx_off = from;
	tcmd->rx_burst_sn = 0;
}

/* Out of order: asks for the first hole of the sequence in progress. */
static void ktgt_tcp_seq_hole(struct ktgt_tcp_conn *tconn,
			      struct ktgt_cmd *cmd)
{
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	u32 off, len;

	if (ktgt_dplace_hole(&tcmd->dp, &off, &len))
		return;
	ktgt_tcp_seq_close(cmd, tcmd->dp.end);
	ktgt_tcp_seq_recover(tconn, cmd, off, off + len);
}

/*
 * A placed Data-Out of @len bytes at @off is complete (@lost: its data
 * digest was wrong, ERL > 0). Ends the sequence if that was its last
 * byte, and starts its recovery if it lost data.
 */
void ktgt_tcp_seq_pdu_done(struct ktgt_tcp_conn *tconn, struct ktgt_cmd *cmd,
			   u32 off, u32 len, bool final, bool lost)
{
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	u32 end = tconn->rx_seq_end;

	if (!tconn->conn.params.data_pdu_in_order) {
		/* ktgt_tcp_dataout_place() checked it fits. */
		if (!lost)
			WARN_ON_ONCE(ktgt_dplace_add(&tcmd->dp, off, len));
		if (ktgt_dplace_complete(&tcmd->dp))
			ktgt_tcp_seq_close(cmd, end);
		else if (final && tconn->conn.params.erl)
			ktgt_tcp_seq_hole(tconn, cmd);
		return;
	}
	if (lost)
		ktgt_tcp_seq_lost(tcmd, off);
	tcmd->rx_burst_sn++;
	/* A burst ends at the end of the unsolicited data or of an R2T. */
	if (tcmd->rx_off < end)
		return;
	ktgt_tcp_seq_close(cmd, end);
	if (tcmd->seq_bad)
		ktgt_tcp_seq_recover(tconn, cmd, tcmd->bad_from, end);
}

/*
 * The Data-Out time-out fired (rec_timeout): the sequence in progress
 * is missing [rx_off, its end), or more if it already lost data; out of
 * order, its first hole.
 */
static void ktgt_tcp_timeout_recover(struct ktgt_tcp_conn *tconn,
				     struct ktgt_cmd *cmd)
{
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	u32 end;

	/* A PDU of it is half read: not a stall after all. */
	if (tconn->rx_cmd == cmd || tcmd->rec_pending)
		return;
	if (!tconn->conn.params.data_pdu_in_order) {
		ktgt_tcp_seq_hole(tconn, cmd);
		return;
	}
	if (!tcmd->recovering && tcmd->rx_off >= cmd->unsol_len &&
	    !tcmd->r2t_outstanding)
		return;		/* no sequence asked for is in progress */
	end = ktgt_tcp_seq_end(tconn, cmd);
	if (end <= tcmd->rx_off && !tcmd->seq_bad)
		return;
	ktgt_tcp_seq_lost(tcmd, tcmd->rx_off);
	ktgt_tcp_seq_close(cmd, end);
	ktgt_tcp_seq_recover(tconn, cmd, tcmd->bad_from, end);
}

/*
 * The next R2T to build that is not a plain one: an R2T SNACK's resend
 * (*@sn is then the R2TSN it had) or a recovery R2T (a new R2TSN).
 * False if there is none.
 */
bool ktgt_tcp_recovery_r2t(struct ktgt_tcp_conn *tconn, struct ktgt_cmd *cmd,
			   u32 *sn, u32 *off, u32 *len)
{
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	bool timeout;

	spin_lock_irq(&tconn->tx_lock);
	timeout = tcmd->rec_timeout;
	tcmd->rec_timeout = false;
	spin_unlock_irq(&tconn->tx_lock);
	if (timeout)
		ktgt_tcp_timeout_recover(tconn, cmd);

	if (tcmd->r2t_resend) {
		tcmd->r2t_resend = false;
		*sn = tcmd->last_r2t_sn;
		*off = tcmd->last_r2t_off;
		*len = tcmd->last_r2t_len;
		return true;
	}
	if (!tcmd->rec_pending)
		return false;
	tcmd->rec_pending = false;
	*sn = tcmd->r2t_sn++;
	*off = tcmd->rx_off;
	*len = tcmd->rec_end - tcmd->rx_off;
	return true;
}

/* resend_r2t: an R2T SNACK, from the receive path (io_work). */
int ktgt_tcp_resend_r2t(struct ktgt_conn *conn, struct ktgt_cmd *cmd,
			u32 begrun, u32 runlength)
{
	struct ktgt_tcp_conn *tconn = ktgt_tcp_conn(conn);
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);

	/*
	 * Only the last R2T can be outstanding (MaxOutstandingR2T=1 at
	 * ERL > 0): the run must name it, and its sequence must still be
	 * in progress (else the initiator has it: it sent the data).
	 */
	if (!tcmd->want_data || !tcmd->r2t_sn || begrun != tcmd->last_r2t_sn ||
	    runlength > 1 ||
	    (!ktgt_tcp_seq_busy(tconn, cmd) && !tcmd->r2t_outstanding))
		return -EPROTO;
	tcmd->r2t_resend = true;
	ktgt_tcp_queue_r2t(tconn, cmd);
	return 0;
}

/* recover_data: the core's Data-Out time-out, process context. */
int ktgt_tcp_recover_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	struct ktgt_tcp_conn *tconn = ktgt_tcp_conn(conn);
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);

	spin_lock_irq(&tconn->tx_lock);
	tcmd->rec_timeout = true;
	spin_unlock_irq(&tconn->tx_lock);
	ktgt_tcp_queue_r2t(tconn, cmd);
	return 0;
}
