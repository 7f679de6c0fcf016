// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_iser: connection recovery (ErrorRecoveryLevel 2) under iSER.
 *
 * The core moves a task of a failed connection to a new one (src/core/
 * erl2.c); over TCP its data then resumes where it stopped (R2T for what
 * is missing, Data-In from ExpDataSN). Under iSER it cannot: the task's
 * buffers were the initiator's registrations on the failed connection's
 * queue pair, and how far an RDMA transfer got is known to no one. So a
 * TASK REASSIGN carries new STags in its iSER header (RFC 7145 9.2: a
 * Send's header may advertise them for any control PDU) and the task's
 * data transfer starts again from its first byte (ExpDataSN is 0 under
 * iSER, there being no Data-In PDUs):
 *  - a write still waiting for data is read again, all of it, by one RDMA
 *    READ from the new Write STag; its VA is the buffer's first byte;
 *  - a read not executed yet writes its data to the new Read STag when it
 *    completes, as any read does;
 *  - a finished task's response is sent again, a read's data first (an
 *    RDMA WRITE chained before the Send, as put_data does).
 * The request's STags are noted on receipt, by Referenced Task Tag, and
 * taken when the core calls reassign_begin for the task after the TMF
 * Response: usually within the same receive, later only if the TMF was
 * queued behind a CmdSN gap. A TASK REASSIGN that advertised no STag a
 * task needs fails the connection (the initiator broke the protocol).
 */
#define pr_fmt(fmt) "ktgt_iser: " fmt

#include <linux/spinlock.h>

#include <ktgt/core.h>
#include <ktgt/scsi/sense.h>
#include "iser.h"

/* Receive path: the STags of a TASK REASSIGN for task @rtt. */
void ktgt_iser_note_reassign(struct ktgt_iser_conn *iconn, u32 rtt,
			     const struct ktgt_iser_stags *st)
{
	unsigned int i, slot;

	spin_lock_irq(&iconn->stash_lock);
	slot = iconn->reassign_next;
	for (i = 0; i < KTGT_ISER_REASSIGN_SLOTS; i++)
		if (iconn->reassign[i].valid && iconn->reassign[i].rtt == rtt)
			slot = i;	/* asked again: the newest wins */
	if (slot == iconn->reassign_next)
		iconn->reassign_next = (slot + 1) % KTGT_ISER_REASSIGN_SLOTS;
	iconn->reassign[slot].valid = true;
	iconn->reassign[slot].rtt = rtt;
	iconn->reassign[slot].st = *st;
	spin_unlock_irq(&iconn->stash_lock);
}

/* Takes the STags noted for task @itt; false if there are none. */
static bool ktgt_iser_take_reassign(struct ktgt_iser_conn *iconn, u32 itt,
				    struct ktgt_iser_stags *st)
{
	bool found = false;
	unsigned int i;

	spin_lock_irq(&iconn->stash_lock);
	for (i = 0; i < KTGT_ISER_REASSIGN_SLOTS && !found; i++) {
		if (!iconn->reassign[i].valid || iconn->reassign[i].rtt != itt)
			continue;
		*st = iconn->reassign[i].st;
		iconn->reassign[i].valid = false;
		found = true;
	}
	spin_unlock_irq(&iconn->stash_lock);
	return found;
}

/*
 * reassign_begin: @cmd now belongs to @conn (its old connection stopped:
 * nothing of it is queued or posted anywhere). Process context.
 */
int ktgt_iser_reassign_begin(struct ktgt_conn *conn, struct ktgt_cmd *cmd,
			     bool finished)
{
	struct ktgt_iser_conn *iconn = ktgt_iser_conn(conn);
	struct ktgt_iser_cmd *icmd = ktgt_iser_cmd(cmd);
	struct ktgt_iser_stags st;

	if (!ktgt_iser_take_reassign(iconn, cmd->itt, &st)) {
		ktgt_iser_fail(iconn, "TASK REASSIGN without its STags",
			       -EPROTO);
		return -EPROTO;
	}
	icmd->stags = st;
	icmd->have_stags = true;
	icmd->want_write = false;
	pr_debug("%pISpc: ITT %#x reassigned: flags %#x write %#x@%#llx read %#x@%#llx\n",
		 &conn->peer, cmd->itt, st.flags, st.write_stag, st.write_va,
		 st.read_stag, st.read_va);
	/* A finished read: its data goes again, before the response. */
	if (finished && cmd->dir == KTGT_DIR_READ && cmd->xfer_len &&
	    cmd->sgl && cmd->result.status == KTGT_SAM_STAT_GOOD)
		return ktgt_iser_put_data(conn, cmd);
	return 0;
}

/*
 * reassign_cmd: a reassigned write still waiting for its data (the core
 * calls it only for those): read all of it again. Process context.
 */
int ktgt_iser_reassign_cmd(struct ktgt_conn *conn, struct ktgt_cmd *cmd,
			   u32 exp_datasn)
{
	struct ktgt_iser_conn *iconn = ktgt_iser_conn(conn);

	if (cmd->dir != KTGT_DIR_WRITE)
		return 0;
	return ktgt_iser_fetch(iconn, cmd, true);
}
