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
 *   Data SNACK      (Type 0 for a read), DataACK and R-Data SNACK: the
 *                   target does not retain Data-In yet (no A bit is ever
 *                   set), so they are rejected: SNACK Reject for data
 *                   not retained, Invalid PDU field for a DataACK that
 *                   names no A-bit Data-In.
 *
 * A SNACK at ERL 0, a malformed one or a run outside what was sent gets
 * the Reject that ktgt_snack_reject_reason() gives, the connection lives.
 * Receive context of @conn (process context).
 */
#define pr_fmt(fmt) "ktgt: " fmt

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

/* Type 0: the task named by the ITT, on this connection. */
static int ktgt_snack_data_r2t(struct ktgt_conn *conn,
			       const struct ktgt_snack *sn)
{
	struct ktgt_cmd *cmd = ktgt_conn_find_cmd(conn, sn->itt);
	int ret = -ENODATA;

	if (!cmd)
		return -EINVAL;
	if (cmd->dir == KTGT_DIR_WRITE && conn->transport->resend_r2t)
		ret = conn->transport->resend_r2t(conn, cmd, sn->begrun,
						  sn->runlength);
	ktgt_cmd_put(cmd);
	return ret;
}

int ktgt_snack_rx(struct ktgt_conn *conn, const struct ktgt_rx *rx)
{
	struct ktgt_snack sn;
	int ret;

	ret = ktgt_snack_parse(rx->pdu, conn->params.erl, &sn);
	if (!ret) {
		switch (sn.type) {
		case KTGT_SNACK_STATUS:
			ret = ktgt_snack_status_resend(conn, &sn);
			break;
		case KTGT_SNACK_DATA_R2T:
			ret = ktgt_snack_data_r2t(conn, &sn);
			break;
		case KTGT_SNACK_DATA_ACK:
			/* No Data-In ever carried the A bit and a TTT. */
			ret = -EINVAL;
			break;
		default:
			/* R-Data: no Data-In is retained to resegment. */
			ret = -ENODATA;
			break;
		}
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
