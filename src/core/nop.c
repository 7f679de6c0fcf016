// SPDX-License-Identifier: GPL-2.0
/*
 * NOP-Out and NOP-In (RFC 7143 11.18, 11.19): answering the initiator's
 * pings, and the target's own keepalive pings.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/slab.h>

#include "session.h"

int ktgt_nop_rx(struct ktgt_conn *conn, const struct ktgt_pdu *pdu,
		const u8 *data, const u8 *bhs)
{
	struct ktgt_bhs_nop_in *h;
	struct ktgt_light_pdu *lp;
	u32 len;

	/*
	 * ITT 0xffffffff: an answer to our NOP-In, or a ping that wants no
	 * answer (which must be immediate). Neither advances CmdSN.
	 */
	if (pdu->itt == KTGT_RSVD_TAG) {
		if (pdu->nop_out.ttt != KTGT_RSVD_TAG &&
		    pdu->nop_out.ttt == READ_ONCE(conn->nopin_ttt))
			WRITE_ONCE(conn->nopin_answered, true);
		if (pdu->nop_out.ttt == KTGT_RSVD_TAG && !pdu->immediate)
			return ktgt_conn_reject(conn, bhs,
						KTGT_REJECT_PROTOCOL_ERROR);
		return 0;
	}
	/* A ping must not carry a target's TTT. */
	if (pdu->nop_out.ttt != KTGT_RSVD_TAG)
		return 0;
	if (ktgt_sess_cmdsn(conn->sess, pdu->immediate, pdu->nop_out.cmdsn,
			    false) != KTGT_CMDSN_ACCEPT)
		return 0;

	lp = ktgt_light_alloc(conn, GFP_KERNEL);
	if (!lp)
		return -ENOMEM;
	/*
	 * Ping data comes back as it was (RFC 7143 11.19.2), within what
	 * the initiator accepts in one PDU; it came within our own
	 * MaxRecvDataSegmentLength (conn.c), so the copy is bounded by
	 * the target, and the transport's backlog cap bounds how many
	 * wait to be sent.
	 */
	len = min(pdu->data_len, conn->params.max_xmit_dsl);
	if (ktgt_light_data(lp, data, len)) {
		ktgt_light_put(lp);
		return -ENOMEM;
	}
	h = (struct ktgt_bhs_nop_in *)lp->pdu.bhs;
	h->opcode = KTGT_OP_NOP_IN;
	h->flags = KTGT_BHS_F;
	put_unaligned_be24(len, h->data_seg_len);
	memcpy(h->lun, pdu->lun, sizeof(h->lun));
	h->itt = cpu_to_be32(pdu->itt);
	h->ttt = cpu_to_be32(KTGT_RSVD_TAG);
	lp->pdu.stamp = KTGT_STAMP_ADVANCE;
	return ktgt_light_send(lp);
}

/* Sends a ping: ITT reserved, a TTT of ours, StatSN not advanced. */
static int ktgt_nopin_ping(struct ktgt_conn *conn, u32 ttt)
{
	struct ktgt_bhs_nop_in *h;
	struct ktgt_light_pdu *lp;

	lp = ktgt_light_alloc(conn, GFP_KERNEL);
	if (!lp)
		return -ENOMEM;
	h = (struct ktgt_bhs_nop_in *)lp->pdu.bhs;
	h->opcode = KTGT_OP_NOP_IN;
	h->flags = KTGT_BHS_F;
	h->itt = cpu_to_be32(KTGT_RSVD_TAG);
	h->ttt = cpu_to_be32(ttt);
	lp->pdu.stamp = KTGT_STAMP_PEEK;
	return ktgt_light_send(lp);
}

static void ktgt_nopin_work(struct work_struct *work)
{
	struct ktgt_conn *conn = container_of(to_delayed_work(work),
					      struct ktgt_conn, nopin_work);

	if (READ_ONCE(conn->state) != KTGT_CONN_FULL_FEATURE)
		return;
	if (conn->nopin_ttt != KTGT_RSVD_TAG && !READ_ONCE(conn->nopin_answered)) {
		if (time_before(jiffies, conn->nopin_deadline)) {
			schedule_delayed_work(&conn->nopin_work,
					      conn->nopin_deadline - jiffies);
			return;
		}
		pr_warn("%pISpc: no answer to NOP-In in %u s, dropping\n",
			&conn->peer, conn->nopin_timeout);
		ktgt_conn_drop_announced(conn);
		return;
	}
	/* TTTs of pings count down from 0xfffffffe, away from R2T tags. */
	conn->nopin_ttt = conn->nopin_ttt == KTGT_RSVD_TAG ? 0xfffffffe :
			  conn->nopin_ttt - 1;
	WRITE_ONCE(conn->nopin_answered, false);
	conn->nopin_deadline = jiffies + conn->nopin_timeout * HZ;
	if (ktgt_nopin_ping(conn, conn->nopin_ttt))
		return;
	schedule_delayed_work(&conn->nopin_work, conn->nopin_interval * HZ);
}

void ktgt_nopin_init(struct ktgt_conn *conn)
{
	INIT_DELAYED_WORK(&conn->nopin_work, ktgt_nopin_work);
	conn->nopin_ttt = KTGT_RSVD_TAG;
}

/* Full feature phase reached: start pinging if the TPG asks for it. */
void ktgt_nopin_start(struct ktgt_conn *conn)
{
	if (conn->nopin_interval && conn->nopin_timeout)
		schedule_delayed_work(&conn->nopin_work,
				      conn->nopin_interval * HZ);
}

/* Teardown: after this no ping is sent and no drop is started. */
void ktgt_nopin_stop(struct ktgt_conn *conn)
{
	cancel_delayed_work_sync(&conn->nopin_work);
}
