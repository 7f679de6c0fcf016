// SPDX-License-Identifier: GPL-2.0
/*
 * Logout Request and Response (RFC 7143 11.14, 11.15). Reason 0 closes
 * the session; reason 1 closes one connection, this one or, MC/S,
 * another of the session named by its CID, and the session lives on in
 * the others; reason 2 (ERL 2) removes a connection for recovery: its
 * tasks stay for TASK REASSIGN (erl2.c), a live one is closed first.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include "session.h"

/*
 * The connection @cid of @sess, referenced, or NULL: a live one first,
 * else one kept for recovery (ERL 2, conn->rec), which may share the CID
 * with the live connection that reinstated it.
 */
struct ktgt_conn *ktgt_sess_conn_by_cid(struct ktgt_session *sess, u16 cid)
{
	struct ktgt_conn *c, *found = NULL;

	spin_lock_irq(&sess->lock);
	list_for_each_entry(c, &sess->conns, sess_node) {
		if (c->cid != cid)
			continue;
		if (!found || READ_ONCE(c->rec) == KTGT_REC_NONE)
			found = c;
	}
	if (found)
		ktgt_conn_get(found);
	spin_unlock_irq(&sess->lock);
	return found;
}

static void ktgt_conn_set_end(struct ktgt_conn *conn, enum ktgt_conn_end end)
{
	spin_lock_irq(&conn->lock);
	conn->end = end;
	spin_unlock_irq(&conn->lock);
}

int ktgt_logout_rx(struct ktgt_conn *conn, const struct ktgt_pdu *pdu)
{
	struct ktgt_session *sess = conn->sess;
	struct ktgt_bhs_logout_rsp *h;
	struct ktgt_light_pdu *lp;
	struct ktgt_conn *other;
	u8 response = KTGT_LOGOUT_RSP_SUCCESS;
	bool close = true;

	if (ktgt_sess_cmdsn(sess, pdu->immediate, pdu->logout_req.cmdsn,
			    false) != KTGT_CMDSN_ACCEPT)
		return 0;

	switch (pdu->logout_req.reason) {
	case KTGT_LOGOUT_CLOSE_SESSION:
		ktgt_conn_set_end(conn, KTGT_END_SESSION);
		break;
	case KTGT_LOGOUT_REMOVE_FOR_RECOVERY:
		if (sess->neg.erl < 2) {
			response = KTGT_LOGOUT_RSP_NO_RECOVERY;
			close = false;
			break;
		}
		if (pdu->logout_req.cid == conn->cid) {
			ktgt_conn_set_end(conn, KTGT_END_RECOVERY);
			break;
		}
		close = false;
		other = ktgt_sess_conn_by_cid(sess, pdu->logout_req.cid);
		if (!other || ktgt_conn_recovery_logout(other))
			response = KTGT_LOGOUT_RSP_CID_NOT_FOUND;
		if (other)
			ktgt_conn_put(other);
		break;
	case KTGT_LOGOUT_CLOSE_CONNECTION:
		if (pdu->logout_req.cid == conn->cid) {
			ktgt_conn_set_end(conn, KTGT_END_LEAVE);
			break;
		}
		close = false;
		other = ktgt_sess_conn_by_cid(sess, pdu->logout_req.cid);
		if (!other) {
			response = KTGT_LOGOUT_RSP_CID_NOT_FOUND;
			break;
		}
		pr_info("session %s TSIH %u: connection CID %u logged out from CID %u\n",
			sess->initiator, sess->tsih, other->cid, conn->cid);
		ktgt_conn_set_end(other, KTGT_END_LEAVE);
		ktgt_conn_drop(other);
		ktgt_conn_put(other);
		break;
	default:
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
