// SPDX-License-Identifier: GPL-2.0
/* NOP-Out and NOP-In (RFC 7143 11.18, 11.19). */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/slab.h>

#include "session.h"

int ktgt_nop_rx(struct ktgt_conn *conn, const struct ktgt_pdu *pdu,
		const u8 *data, const u8 *bhs)
{
	struct ktgt_bhs_nop_in *h;
	struct ktgt_cmd *cmd;
	int ret;

	/*
	 * ITT 0xffffffff: an answer to our NOP-In, or a ping that wants no
	 * answer (which must be immediate). Neither advances CmdSN.
	 */
	if (pdu->itt == KTGT_RSVD_TAG) {
		if (pdu->nop_out.ttt == KTGT_RSVD_TAG && !pdu->immediate)
			return ktgt_conn_reject(conn, bhs,
						KTGT_REJECT_PROTOCOL_ERROR);
		return 0;
	}
	/* A ping must not carry a target's TTT. */
	if (pdu->nop_out.ttt != KTGT_RSVD_TAG)
		return 0;
	if (!ktgt_sess_cmdsn(conn->sess, pdu->immediate, pdu->nop_out.cmdsn))
		return 0;

	cmd = ktgt_cmd_alloc(conn, GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	if (pdu->data_len) {
		/* Ping data comes back as it was (RFC 7143 11.19.2). */
		cmd->rsp_data = kmemdup(data, pdu->data_len, GFP_KERNEL);
		if (!cmd->rsp_data) {
			ktgt_cmd_put(cmd);
			return -ENOMEM;
		}
		cmd->rsp_data_kvfree = true;
		cmd->rsp_data_len = pdu->data_len;
	}
	h = (struct ktgt_bhs_nop_in *)cmd->rsp_bhs;
	h->opcode = KTGT_OP_NOP_IN;
	h->flags = KTGT_BHS_F;
	put_unaligned_be24(pdu->data_len, h->data_seg_len);
	memcpy(h->lun, pdu->lun, sizeof(h->lun));
	h->itt = cpu_to_be32(pdu->itt);
	h->ttt = cpu_to_be32(KTGT_RSVD_TAG);
	ktgt_conn_stamp(conn, &h->statsn, &h->expcmdsn, &h->maxcmdsn, true);
	ret = ktgt_conn_send(conn, cmd);
	ktgt_cmd_put(cmd);
	return ret;
}
