// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: life cycle, PDU dispatch, StatSN and Reject.
 *
 * One drain order, whoever starts the close (the transport on EOF or
 * error, or the core: logout, NOP or login time-out, reinstatement, cold
 * reset, Data-Out time-out). ktgt_conn_closed() marks the connection
 * CLOSED (no new task starts executing, ktgt_task_exec()) and queues
 * release_work, which runs in process context on ktgt_exec_wq:
 *  1. transport->stop_conn(): synchronous; afterwards no receive
 *     callback or handler runs and nothing more goes to the wire, so
 *     conn->login and conn->text have no other user;
 *  2. the login, keepalive and Data-Out timers are cancelled (sync);
 *  3. the session fails (ERL 0 and 1: its other connections close
 *     too), unless the connection logged out alone; at ERL 2 a failed
 *     connection stops here instead, its tasks kept for reassignment,
 *     and steps 4 to 6 (ktgt_conn_finish()) run when Time2Retain ends
 *     or the session does (src/core/erl2.c);
 *  4. every task with allegiance here is aborted (its response is
 *     dropped) and we wait for conn->inflight, the tasks still in the
 *     backstore or in step work, to reach 0; then take conn->lock once,
 *     so the completion that woke us has left ktgt_task_end();
 *  5. the core's references on the commands (tasks, and reads kept for
 *     Data SNACK, snack.c) are dropped, login and text
 *     state freed, the connection leaves its session; then its response
 *     queue is freed (respq.c): nothing stamps or acknowledges after
 *     step 1, and the debugfs walk finds it only through the session;
 *  6. the core's connection reference is dropped. The last
 *     ktgt_conn_put(), wherever it happens (a TMF or a session walk may
 *     hold one), only queues free_work (on ktgt_free_wq), which calls
 *     the transport's release_conn: never from the connection's own
 *     receive context, never under a core lock.
 * Commands hold a session reference (not a connection one): a command
 * that outlives its connection (a TMF still holds it) only reads
 * cmd->sess.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>
#include <linux/slab.h>

#include <ktgt/transport.h>
#include "session.h"
#include "config.h"
#include <ktgt/proto/serial.h>

static void ktgt_conn_free_work(struct work_struct *work)
{
	struct ktgt_conn *conn = container_of(work, struct ktgt_conn,
					      free_work);
	const struct ktgt_transport_ops *t = conn->transport;

	t->release_conn(conn);
	ktgt_transport_put(t);
}

/* Step 6 of the drain order: any context, any caller. */
static void ktgt_conn_release(struct kref *kref)
{
	struct ktgt_conn *conn = container_of(kref, struct ktgt_conn, kref);

	queue_work(ktgt_free_wq, &conn->free_work);
}

void ktgt_conn_get(struct ktgt_conn *conn)
{
	kref_get(&conn->kref);
}

void ktgt_conn_put(struct ktgt_conn *conn)
{
	kref_put(&conn->kref, ktgt_conn_release);
}
EXPORT_SYMBOL_GPL(ktgt_conn_put);

/*
 * Steps 4 to 6 of the drain order: right after step 3, or, for a
 * connection whose tasks its session kept for reassignment (ERL 2), when
 * that ends (erl2.c). Process context.
 */
void ktgt_conn_finish(struct ktgt_conn *conn)
{
	struct ktgt_session *sess = conn->sess;
	struct ktgt_cmd *cmd, *next;
	LIST_HEAD(cmds);

	/* 4 */
	ktgt_conn_abort_tasks(conn);
	wait_event(conn->drain_wq, !atomic_read(&conn->inflight));
	spin_lock_irq(&conn->lock);
	spin_unlock_irq(&conn->lock);

	/* 5 */
	spin_lock_irq(&conn->lock);
	list_splice_init(&conn->cmds, &cmds);
	spin_unlock_irq(&conn->lock);
	list_for_each_entry_safe(cmd, next, &cmds, conn_node) {
		list_del_init(&cmd->conn_node);
		ktgt_cmd_forget(cmd);
	}
	ktgt_reads_forget(conn);
	ktgt_login_free(conn);
	ktgt_text_free(conn);

	if (sess) {
		bool last;

		spin_lock_irq(&sess->lock);
		list_del_init(&conn->sess_node);
		last = !--sess->nconns;
		/* Nothing may join a session on its way out. */
		if (last)
			sess->failed = true;
		spin_unlock_irq(&sess->lock);
		if (last) {
			/* Nothing can fill a gap in its CmdSNs any more. */
			ktgt_sess_cmdq_flush(sess);
			complete_all(&sess->drained);
		}
		/* Gone before its logout grace ran out: that work holds a ref. */
		if (last && cancel_delayed_work(&sess->logout_work))
			ktgt_sess_put(sess);
		ktgt_sess_put(sess);
	}
	ktgt_respq_free(conn);
	/* 6 */
	ktgt_conn_put(conn);
}

static void ktgt_conn_release_work(struct work_struct *work)
{
	struct ktgt_conn *conn =
		container_of(work, struct ktgt_conn, release_work);
	struct ktgt_session *sess = conn->sess;

	/* 1 */
	conn->transport->stop_conn(conn);
	/* 2 */
	ktgt_admit_done(conn, true);
	ktgt_nopin_stop(conn);
	cancel_delayed_work_sync(&conn->dataout_work);
	/*
	 * 3: at ERL 2 a failed connection's tasks wait for reassignment
	 * (erl2.c: steps 4 to 6 come when that ends). Otherwise the session
	 * fails, unless the connection logged out alone (Logout reason 1)
	 * and others of its session remain (MC/S).
	 */
	if (sess) {
		enum ktgt_conn_end end;
		bool alone;

		spin_lock_irq(&conn->lock);
		end = conn->end;
		spin_unlock_irq(&conn->lock);
		if (ktgt_conn_retain(conn, end))
			return;
		spin_lock_irq(&sess->lock);
		alone = end == KTGT_END_LEAVE && sess->nconns > 1;
		spin_unlock_irq(&sess->lock);
		if (!alone)
			ktgt_sess_fail(sess);
	}
	ktgt_conn_finish(conn);
}

int ktgt_conn_init(struct ktgt_conn *conn,
		   const struct ktgt_transport_ops *transport,
		   struct ktgt_np *np)
{
	int ret;

	INIT_LIST_HEAD(&conn->prelogin_node);
	ret = ktgt_admit(conn);
	if (ret)
		return ret;
	/* Pinned until the connection is released (ktgt_conn_free_work). */
	__module_get(transport->owner);
	conn->transport = transport;
	conn->np = np;
	kref_init(&conn->kref);
	spin_lock_init(&conn->lock);
	INIT_LIST_HEAD(&conn->cmds);
	INIT_LIST_HEAD(&conn->reads);
	INIT_LIST_HEAD(&conn->sess_node);
	atomic_set(&conn->inflight, 0);
	init_waitqueue_head(&conn->drain_wq);
	INIT_WORK(&conn->release_work, ktgt_conn_release_work);
	INIT_WORK(&conn->free_work, ktgt_conn_free_work);
	INIT_DELAYED_WORK(&conn->retain_work, ktgt_conn_retain_work);
	ktgt_nopin_init(conn);
	ktgt_dataout_init(conn);
	conn->state = KTGT_CONN_LOGIN;
	/* Login uses the RFC defaults until negotiation says otherwise. */
	conn->params.max_recv_dsl = 8192;
	conn->params.max_xmit_dsl = 8192;
	conn->params.max_burst = 262144;
	conn->params.first_burst = 65536;
	conn->params.initial_r2t = true;
	conn->params.max_outstanding_r2t = 1;
	conn->params.tx_backlog_max = KTGT_TX_BACKLOG_DEFAULT;
	conn->exp_stat_sn = 0;
	ktgt_admit_start(conn);
	return 0;
}
EXPORT_SYMBOL_GPL(ktgt_conn_init);

void ktgt_conn_closed(struct ktgt_conn *conn)
{
	unsigned long flags;
	bool first;

	spin_lock_irqsave(&conn->lock, flags);
	first = conn->state != KTGT_CONN_CLOSED;
	conn->state = KTGT_CONN_CLOSED;
	spin_unlock_irqrestore(&conn->lock, flags);
	if (first)
		queue_work(ktgt_exec_wq, &conn->release_work);
}
EXPORT_SYMBOL_GPL(ktgt_conn_closed);

/* Asks the transport to drop the connection (it reports back closed). */
void ktgt_conn_drop(struct ktgt_conn *conn)
{
	/*
	 * Every transport reports the end through ktgt_conn_closed(); here
	 * the core only needs to make sure it happens.
	 */
	ktgt_conn_closed(conn);
}

/* ExpCmdSN and MaxCmdSN now; during login the login's own CmdSN. */
static void ktgt_conn_window(struct ktgt_conn *conn, u32 *exp, u32 *max)
{
	struct ktgt_session *sess = READ_ONCE(conn->sess);

	if (sess) {
		ktgt_sess_window(sess, exp, max);
	} else {
		*exp = conn->login_cmdsn;
		*max = conn->login_cmdsn;
	}
}

static void ktgt_conn_stamp(struct ktgt_conn *conn, u8 *bhs,
			    enum ktgt_stamp how, const void *data,
			    u32 data_len, struct ktgt_cmd *read)
{
	u32 exp, max, sn;
	unsigned long flags;

	ktgt_conn_window(conn, &exp, &max);
	spin_lock_irqsave(&conn->lock, flags);
	sn = conn->stat_sn;
	if (how == KTGT_STAMP_ADVANCE)
		conn->stat_sn++;
	spin_unlock_irqrestore(&conn->lock, flags);
	/* Same offsets in every target PDU that carries them. */
	if (how != KTGT_STAMP_NONE && how != KTGT_STAMP_KEEP)
		put_unaligned_be32(sn, bhs + 24);
	put_unaligned_be32(exp, bhs + 28);
	put_unaligned_be32(max, bhs + 32);
	/* Before the wire: its acknowledgment cannot come first. */
	if (how == KTGT_STAMP_ADVANCE)
		ktgt_respq_retain(conn, sn, bhs, data, data_len, read);
}

void ktgt_conn_stamp_pdu(struct ktgt_conn *conn, u8 *bhs,
			 enum ktgt_stamp how, const void *data, u32 data_len)
{
	ktgt_conn_stamp(conn, bhs, how, data, data_len, NULL);
}
EXPORT_SYMBOL_GPL(ktgt_conn_stamp_pdu);

void ktgt_conn_stamp_rsp(struct ktgt_conn *conn, u8 *bhs,
			 struct ktgt_cmd *cmd, const void *data, u32 data_len)
{
	/* Kept (ERL > 0 reads, every task at ERL 2: ktgt_task_complete()). */
	bool kept = conn->params.erl && ktgt_read_unkeep(conn, cmd);

	/* From the list of responses going out to the response queue. */
	ktgt_conn_stamp(conn, bhs, KTGT_STAMP_ADVANCE, data, data_len,
			kept ? cmd : NULL);
	if (kept)
		ktgt_cmd_put(cmd);
}
EXPORT_SYMBOL_GPL(ktgt_conn_stamp_rsp);

void ktgt_conn_stamp_read_status(struct ktgt_conn *conn, u8 *bhs,
				 struct ktgt_cmd *cmd)
{
	ktgt_conn_stamp_rsp(conn, bhs, cmd, NULL, 0);
}
EXPORT_SYMBOL_GPL(ktgt_conn_stamp_read_status);

void ktgt_conn_fill_sn(struct ktgt_conn *conn, u32 *statsn_next,
		       u32 *expcmdsn, u32 *maxcmdsn)
{
	unsigned long flags;

	ktgt_conn_window(conn, expcmdsn, maxcmdsn);
	spin_lock_irqsave(&conn->lock, flags);
	*statsn_next = conn->stat_sn;
	spin_unlock_irqrestore(&conn->lock, flags);
}
EXPORT_SYMBOL_GPL(ktgt_conn_fill_sn);

/* Queues @cmd's response PDU; the caller keeps its own reference. */
int ktgt_conn_send(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	int ret;

	/* Transports take their own connection lock in queue_pdu. */
	lockdep_assert_not_held(&conn->lock);
	if (READ_ONCE(conn->state) == KTGT_CONN_CLOSED)
		return -ENOTCONN;
	ret = conn->transport->queue_pdu(conn, cmd);
	if (ret)
		pr_debug("send on %pISpc failed: %d\n", &conn->peer, ret);
	return ret;
}

/* Sends a Reject carrying the offending header. */
int ktgt_conn_reject(struct ktgt_conn *conn, const u8 *bhs, u8 reason)
{
	struct ktgt_bhs_reject *h;
	struct ktgt_light_pdu *lp;

	lp = ktgt_light_alloc(conn, GFP_KERNEL);
	if (!lp)
		return -ENOMEM;
	if (ktgt_light_data(lp, bhs, KTGT_BHS_LEN)) {
		ktgt_light_put(lp);
		return -ENOMEM;
	}
	h = (struct ktgt_bhs_reject *)lp->pdu.bhs;
	h->opcode = KTGT_OP_REJECT;
	h->flags = KTGT_BHS_F;
	h->reason = reason;
	h->itt = cpu_to_be32(KTGT_RSVD_TAG);
	lp->pdu.stamp = KTGT_STAMP_ADVANCE;
	pr_debug("reject opcode %#x reason %#x\n", bhs[0] & KTGT_OPCODE_MASK,
		 reason);
	return ktgt_light_send(lp);
}

struct ktgt_cmd *ktgt_conn_find_cmd(struct ktgt_conn *conn, u32 itt)
{
	struct ktgt_session *sess = READ_ONCE(conn->sess);
	struct ktgt_cmd *cmd;

	if (!sess)
		return NULL;
	cmd = ktgt_sess_find_task(sess, conn, itt);
	/* Data-Out progress (dataout.c). */
	if (cmd)
		WRITE_ONCE(cmd->task->data_seen, jiffies);
	return cmd;
}
EXPORT_SYMBOL_GPL(ktgt_conn_find_cmd);

void ktgt_cmd_data_ready(struct ktgt_cmd *cmd, int err)
{
	ktgt_scsi_data_ready(cmd, err);
}
EXPORT_SYMBOL_GPL(ktgt_cmd_data_ready);

/*
 * ExpStatSN (byte 28 of every initiator PDU): the initiator has every
 * status before it. Kept when it moves forward within what we sent; the
 * responses it acknowledges leave the response queue (respq.c).
 */
static void ktgt_conn_ack_statsn(struct ktgt_conn *conn, u32 exp)
{
	unsigned long flags;
	bool moved = false;

	spin_lock_irqsave(&conn->lock, flags);
	if (ktgt_sn_gt(exp, conn->exp_stat_sn) &&
	    ktgt_sn_le(exp, conn->stat_sn)) {
		conn->exp_stat_sn = exp;
		moved = true;
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	if (moved)
		ktgt_respq_ack(conn, exp);
}

static int ktgt_conn_dispatch(struct ktgt_conn *conn, const struct ktgt_rx *rx)
{
	const struct ktgt_pdu *pdu = rx->pdu;

	if (READ_ONCE(conn->state) == KTGT_CONN_CLOSED)
		return -ENOTCONN;

	if (conn->state == KTGT_CONN_LOGIN) {
		/* Only Login Requests until full feature phase. */
		if (rx->hdr_err || pdu->opcode != KTGT_OP_LOGIN_REQ) {
			pr_warn("%pISpc: %s during login\n", &conn->peer,
				ktgt_pdu_opcode_name(pdu->opcode));
			return -EPROTO;
		}
		return ktgt_login_rx_pdu(conn, pdu, rx->data);
	}

	if (rx->hdr_err)
		return ktgt_conn_reject(conn, rx->bhs,
					ktgt_bhs_reject_reason(rx->hdr_err));
	if (!ktgt_opcode_is_initiator(pdu->opcode))
		return ktgt_conn_reject(conn, rx->bhs,
					KTGT_REJECT_PROTOCOL_ERROR);
	if (rx->data_digest_bad) {
		/* ERL 0 and 1: reject the PDU; the initiator recovers. */
		return ktgt_conn_reject(conn, rx->bhs, KTGT_REJECT_DATA_DIGEST);
	}
	if (pdu->data_len > conn->params.max_recv_dsl) {
		pr_warn("%pISpc: data segment %u over MaxRecvDataSegmentLength %u\n",
			&conn->peer, pdu->data_len, conn->params.max_recv_dsl);
		return ktgt_conn_reject(conn, rx->bhs,
					KTGT_REJECT_PROTOCOL_ERROR);
	}
	ktgt_conn_ack_statsn(conn, get_unaligned_be32(rx->bhs + 28));
	if (conn->state == KTGT_CONN_LOGGED_OUT) {
		/* Nothing more after a Logout, RFC 7143 11.14. */
		return ktgt_conn_reject(conn, rx->bhs,
					KTGT_REJECT_WAITING_FOR_LOGOUT);
	}

	switch (pdu->opcode) {
	case KTGT_OP_SCSI_CMD:
		return ktgt_scsi_rx_cmd(conn, rx);
	case KTGT_OP_NOP_OUT:
		return ktgt_nop_rx(conn, pdu, rx->data, rx->bhs);
	case KTGT_OP_TEXT_REQ:
		return ktgt_text_rx(conn, pdu, rx->data, rx->bhs);
	case KTGT_OP_TMF_REQ:
		return ktgt_tmf_rx(conn, pdu);
	case KTGT_OP_LOGOUT_REQ:
		return ktgt_logout_rx(conn, pdu);
	case KTGT_OP_DATA_OUT:
		/* One the transport could not place: wrong ITT or offset. */
		return ktgt_conn_reject(conn, rx->bhs,
					KTGT_REJECT_INVALID_PDU_FIELD);
	case KTGT_OP_LOGIN_REQ:
		/* A login on a connection in full feature phase. */
		return ktgt_conn_reject(conn, rx->bhs,
					KTGT_REJECT_PROTOCOL_ERROR);
	case KTGT_OP_SNACK_REQ:
		/* At ERL 0 it is rejected there, RFC 7143 11.16. */
		return ktgt_snack_rx(conn, rx);
	default:
		return ktgt_conn_reject(conn, rx->bhs,
					KTGT_REJECT_CMD_NOT_SUPPORTED);
	}
}

/*
 * One PDU from the transport. After it, the tasks whose CmdSN it let
 * through (MC/S: held ahead of ExpCmdSN, sequence.c) execute, in order.
 */
int ktgt_conn_rx_pdu(struct ktgt_conn *conn, const struct ktgt_rx *rx)
{
	int ret = ktgt_conn_dispatch(conn, rx);

	ktgt_sess_deliver(READ_ONCE(conn->sess));
	return ret;
}
EXPORT_SYMBOL_GPL(ktgt_conn_rx_pdu);
