// SPDX-License-Identifier: GPL-2.0
/* Logout Request and Response (RFC 7143 11.14, 11.15), ERL 0. */
#define pr_fmt(fmt) "ktgt: " fmt

#include "session.h"

int ktgt_logout_rx(struct ktgt_conn *conn, const struct ktgt_pdu *pdu)
{
	struct ktgt_session *sess = conn->sess;
	struct ktgt_bhs_logout_rsp *h;
	struct ktgt_light_pdu *lp;
	u8 response = KTGT_LOGOUT_RSP_SUCCESS;
	bool close = true;

	if (ktgt_sess_cmdsn(sess, pdu->immediate, pdu->logout_req.cmdsn,
			    false) != KTGT_CMDSN_ACCEPT)
		return 0;

	switch (pdu->logout_req.reason) {
	case KTGT_LOGOUT_CLOSE_SESSION:
		break;
	case KTGT_LOGOUT_CLOSE_CONNECTION:
		/* One connection per session: it can only be this one. */
		if (pdu->logout_req.cid != conn->cid) {
			response = KTGT_LOGOUT_RSP_CID_NOT_FOUND;
			close = false;
		}
		break;
	default:
		/* Connection recovery needs ERL 2. */
		response = KTGT_LOGOUT_RSP_NO_RECOVERY;
		close = false;
		break;
	}

	lp = ktgt_light_alloc(conn, GFP_KERNEL);
	if (!lp)
		return -ENOMEM;
	h = (struct ktgt_bhs_logout_rsp *)lp->pdu.bhs;
	h->opcode = KTGT_OP_LOGOUT_RSP;
	h->flags = KTGT_BHS_F;
	h->response = response;
	h->itt = cpu_to_be32(pdu->itt);
	if (response == KTGT_LOGOUT_RSP_SUCCESS) {
		h->time2wait = cpu_to_be16(sess->neg.default_time2wait);
		h->time2retain = cpu_to_be16(sess->neg.default_time2retain);
	}
	lp->pdu.stamp = KTGT_STAMP_ADVANCE;
	lp->pdu.close_conn = close;
	if (close) {
		spin_lock_irq(&conn->lock);
		if (conn->state == KTGT_CONN_FULL_FEATURE)
			conn->state = KTGT_CONN_LOGGED_OUT;
		spin_unlock_irq(&conn->lock);
	}
	return ktgt_light_send(lp);
}
