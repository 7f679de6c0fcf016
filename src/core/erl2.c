// SPDX-License-Identifier: GPL-2.0
/*
 * Connection recovery, ErrorRecoveryLevel 2 (RFC 7143 6.2, 7.1.4.3,
 * 7.2.2, 11.5.1 TASK REASSIGN, 11.14 Logout reason 2).
 *
 * A connection of an ERL 2 session that ends without a logout (peer
 * reset, keepalive or Data-Out time-out) is stopped as always (the
 * transport's stop_conn, timers: conn.c steps 1 and 2) but its tasks
 * stay, and so does the connection object, in its session, with
 * conn->rec HELD:
 *  - a task executing finishes; its response, and that of every task at
 *    ERL 2, is kept (conn->reads, then with its status in the response
 *    queue) until ExpStatSN acknowledges it, so a status that never got
 *    out is not lost with the connection;
 *  - a write waiting for data keeps its buffer and what arrived.
 * Logout reason 2 naming its CID, or a login that reinstates its CID,
 * makes it FREE: TASK REASSIGN on another connection of the session may
 * then move its tasks there (a task on a connection not logged out is
 * "still allegiant", response 3). The move takes effect once the TMF
 * Response is queued (11.6): a write asks again for what did not arrive,
 * a read sends its Data-In again from the ExpDataSN of the request, a
 * finished task its response, with a StatSN of its new connection.
 *
 * DefaultTime2Wait + DefaultTime2Retain after the failure (both
 * negotiated, bounded by the TPG's values), retain_work ends what is
 * left as if aborted (conn.c steps 4 to 6): tasks not executing never
 * touch the medium, executing ones finish first, the LU stays
 * consistent. If the session has no other connection it ends then; a
 * new connection may join it until then (session continuation). A
 * session that fails (reinstatement, TPG disable, cold reset) ends its
 * kept connections at once. DefaultTime2Retain 0 keeps nothing.
 *
 * Locks: conn->rec and conn->end under conn->lock; a task moves from a
 * FREE connection (dead) to a live one under both connection locks, the
 * dead one outer (no path nests them the other way round). ktgt_task_exec
 * counts a task in the inflight of the connection it locked
 * (task->exec_conn), so a task that starts while it moves is waited for
 * by the right teardown.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>

#include <ktgt/transport.h>
#include <ktgt/proto/serial.h>
#include "session.h"

/*
 * Step 3 of conn.c's drain order at ERL 2: keep @conn's tasks for
 * reassignment, or say no (the caller goes on with the usual end).
 */
bool ktgt_conn_retain(struct ktgt_conn *conn, enum ktgt_conn_end end)
{
	struct ktgt_session *sess = conn->sess;
	const struct ktgt_negotiated *neg = &sess->neg;
	unsigned long secs;
	bool ok;

	if (sess->discovery || neg->erl < 2 || !neg->default_time2retain ||
	    (end != KTGT_END_FAIL && end != KTGT_END_RECOVERY))
		return false;
	secs = (unsigned long)neg->default_time2wait + neg->default_time2retain;
	spin_lock_irq(&sess->lock);
	ok = !sess->failed;
	if (ok) {
		spin_lock(&conn->lock);
		conn->rec = end == KTGT_END_RECOVERY ? KTGT_REC_FREE :
			    KTGT_REC_HELD;
		spin_unlock(&conn->lock);
	}
	spin_unlock_irq(&sess->lock);
	if (!ok)
		return false;
	pr_info("session %s TSIH %u: connection CID %u %s; its tasks kept %lu s for reassignment\n",
		sess->initiator, sess->tsih, conn->cid,
		end == KTGT_END_RECOVERY ? "logged out for recovery" : "failed",
		secs);
	queue_delayed_work(ktgt_exec_wq, &conn->retain_work, secs * HZ);
	/* The session failed while we queued: ktgt_sess_fail() missed it. */
	if (READ_ONCE(sess->failed))
		ktgt_conn_retain_end(conn);
	return true;
}

/* Time2Wait + Time2Retain are over (or the session failed). */
void ktgt_conn_retain_work(struct work_struct *work)
{
	struct ktgt_conn *conn = container_of(to_delayed_work(work),
					      struct ktgt_conn, retain_work);
	struct ktgt_session *sess = conn->sess;

	/* Queued once (ktgt_conn_retain()), brought forward at most. */
	spin_lock_irq(&conn->lock);
	conn->rec = KTGT_REC_NONE;
	spin_unlock_irq(&conn->lock);
	pr_info("session %s TSIH %u: connection CID %u kept for recovery released\n",
		sess->initiator, sess->tsih, conn->cid);
	ktgt_conn_finish(conn);
}

/*
 * The session failed: a kept connection ends now. Only a work still
 * pending is brought forward: one running or done must not run again
 * (the connection may be gone after it). The caller holds @conn.
 */
void ktgt_conn_retain_end(struct ktgt_conn *conn)
{
	if (cancel_delayed_work(&conn->retain_work))
		queue_delayed_work(ktgt_exec_wq, &conn->retain_work, 0);
}

/*
 * A connection logged out for recovery with nothing left to reassign
 * ends now rather than at Time2Retain: an initiator that recovers
 * quickly and often must not pile kept connections up against the
 * session's KTGT_MAX_CONNECTIONS. The caller holds @conn.
 */
static void ktgt_conn_retain_check(struct ktgt_conn *conn)
{
	bool empty;

	spin_lock_irq(&conn->lock);
	empty = conn->rec == KTGT_REC_FREE && list_empty(&conn->cmds) &&
		list_empty(&conn->reads) && !atomic_read(&conn->inflight);
	spin_unlock_irq(&conn->lock);
	if (empty && !ktgt_respq_keeps_tasks(conn))
		ktgt_conn_retain_end(conn);
}

/*
 * Logout reason 2 for @conn, or the reinstatement of its CID, from
 * another connection: a kept one becomes FREE; a live one is closed
 * (its tasks kept FREE) and we wait for that, so a TASK REASSIGN after
 * the answer finds its tasks movable. 0, or -ENOENT if it already
 * ended. Process context, not @conn's receive context.
 */
int ktgt_conn_recovery_logout(struct ktgt_conn *conn)
{
	bool live;

	spin_lock_irq(&conn->lock);
	live = conn->rec == KTGT_REC_NONE;
	if (conn->rec == KTGT_REC_HELD)
		conn->rec = KTGT_REC_FREE;
	if (live)
		conn->end = KTGT_END_RECOVERY;
	spin_unlock_irq(&conn->lock);
	if (live) {
		ktgt_conn_drop(conn);
		flush_work(&conn->release_work);
		spin_lock_irq(&conn->lock);
		live = conn->rec == KTGT_REC_FREE;
		spin_unlock_irq(&conn->lock);
		if (!live)
			return -ENOENT;
	}
	/* Nothing to reassign: it need not wait for Time2Retain. */
	ktgt_conn_retain_check(conn);
	return 0;
}

/*
 * The target drops @conn for a reason of its own (keepalive or Data-Out
 * time-out). At ERL 2 the initiator hears of it on another connection
 * of the session, if one is left: Async Message event 2 with the CID,
 * DefaultTime2Wait and DefaultTime2Retain (RFC 7143 11.9.1), so it can
 * start connection recovery at once.
 */
void ktgt_conn_drop_announced(struct ktgt_conn *conn)
{
	struct ktgt_session *sess = READ_ONCE(conn->sess);
	struct ktgt_conn *conns[KTGT_MAX_CONNECTIONS], *via = NULL;
	unsigned int n, i;

	ktgt_conn_drop(conn);
	if (!sess || sess->neg.erl < 2)
		return;
	n = ktgt_sess_conns(sess, conns);
	for (i = 0; i < n; i++) {
		if (!via && conns[i] != conn &&
		    READ_ONCE(conns[i]->state) == KTGT_CONN_FULL_FEATURE)
			via = conns[i];
		else
			ktgt_conn_put(conns[i]);
	}
	if (!via)
		return;
	pr_info("session %s TSIH %u: connection CID %u dropped, announced on CID %u\n",
		sess->initiator, sess->tsih, conn->cid, via->cid);
	ktgt_async_send(via, KTGT_ASYNC_DROP_CONNECTION, conn->cid);
	ktgt_conn_put(via);
}

/*
 * Moves task @cmd from FREE connection @old to @conn, onto @list of
 * @conn (its tasks, or its kept responses); then @old ends if that was
 * its last task. False if @old is not FREE (the task is still allegiant
 * there).
 */
static bool ktgt_reassign_move(struct ktgt_conn *old, struct ktgt_conn *conn,
			       struct ktgt_cmd *cmd, struct list_head *list,
			       bool tracked)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&old->lock, flags);
	/* A task not finished moves only while it does not execute. */
	ok = old->rec == KTGT_REC_FREE && READ_ONCE(cmd->conn) == old &&
	     !(tracked && (cmd->task->aborted || cmd->task->executing));
	if (ok) {
		/* FREE: retain_work has not begun, @old is alive (ours now). */
		ktgt_conn_get(old);
		if (tracked)
			list_del_init(&cmd->conn_node);
		spin_lock_nested(&conn->lock, SINGLE_DEPTH_NESTING);
		WRITE_ONCE(cmd->conn, conn);
		list_add_tail(&cmd->conn_node, list);
		spin_unlock(&conn->lock);
	}
	spin_unlock_irqrestore(&old->lock, flags);
	if (ok) {
		ktgt_conn_retain_check(old);
		ktgt_conn_put(old);
	}
	return ok;
}

/* A kept response of @itt on connection @c, taken with its reference. */
static struct ktgt_cmd *ktgt_reassign_take_kept(struct ktgt_conn *c, u32 itt)
{
	struct ktgt_cmd *cmd, *found = NULL;

	spin_lock_irq(&c->lock);
	list_for_each_entry(cmd, &c->reads, conn_node)
		if (cmd->itt == itt) {
			list_del_init(&cmd->conn_node);
			found = cmd;
			break;
		}
	spin_unlock_irq(&c->lock);
	return found ? found : ktgt_respq_take(c, itt);
}

/*
 * A finished task of @itt whose status is not acknowledged, kept on
 * a connection of the session logged out for recovery: moved to @conn's
 * kept responses. (One kept on a live connection is not looked for: its
 * status is on its way there, the initiator has no reason to ask.)
 */
static struct ktgt_cmd *ktgt_reassign_kept(struct ktgt_conn *conn, u32 itt)
{
	struct ktgt_conn *conns[KTGT_MAX_CONNECTIONS];
	unsigned int n = ktgt_sess_conns(conn->sess, conns), i;
	struct ktgt_cmd *found = NULL;
	enum ktgt_conn_rec rec;

	for (i = 0; i < n; i++) {
		if (conns[i] == conn || found)
			continue;
		spin_lock_irq(&conns[i]->lock);
		rec = conns[i]->rec;
		spin_unlock_irq(&conns[i]->lock);
		if (rec != KTGT_REC_FREE)
			continue;
		found = ktgt_reassign_take_kept(conns[i], itt);
		/* Time2Retain ran out meanwhile: it ends with its connection. */
		if (found && !ktgt_reassign_move(conns[i], conn, found,
						 &conn->reads, false)) {
			ktgt_cmd_put(found);
			found = NULL;
		}
	}
	for (i = 0; i < n; i++)
		ktgt_conn_put(conns[i]);
	return found;
}

/*
 * TASK REASSIGN (RFC 7143 11.5.1) of the task named by the request's
 * Referenced Task Tag to @conn. The response code; with 0, @ra holds the
 * task (referenced) for ktgt_reassign_resume() once the TMF Response is
 * queued. Receive context of @conn.
 */
u8 ktgt_tmf_reassign(struct ktgt_conn *conn, const struct ktgt_pdu *pdu,
		     struct ktgt_reassign *ra)
{
	struct ktgt_session *sess = conn->sess;
	u32 itt = pdu->tmf_req.rtt;
	struct ktgt_conn *old;
	struct ktgt_cmd *cmd;
	unsigned long flags;

	if (sess->neg.erl < 2)
		return KTGT_TMF_RSP_NO_REASSIGN;
again:
	/* A task not finished: in the session's table. */
	xa_lock_irqsave(&sess->tasks, flags);
	cmd = xa_load(&sess->tasks, itt);
	if (cmd)
		ktgt_cmd_get(cmd);
	xa_unlock_irqrestore(&sess->tasks, flags);
	if (cmd) {
		old = READ_ONCE(cmd->conn);
		if (old == conn) {
			ktgt_cmd_put(cmd);
			return KTGT_TMF_RSP_TASK_ALLEGIANT;
		}
		if (!ktgt_reassign_move(old, conn, cmd, &conn->cmds, true)) {
			if (!READ_ONCE(cmd->task->executing)) {
				ktgt_cmd_put(cmd);
				return KTGT_TMF_RSP_TASK_ALLEGIANT;
			}
			/* Its response will be kept: take it from there. */
			wait_event(ktgt_task_wq, READ_ONCE(cmd->task->done));
			ktgt_cmd_put(cmd);
			goto again;
		}
		ra->cmd = cmd;
		ra->finished = false;
		return KTGT_TMF_RSP_COMPLETE;
	}
	cmd = ktgt_reassign_kept(conn, itt);
	if (!cmd)
		return KTGT_TMF_RSP_NO_TASK;
	/* The kept reference stays with @conn->reads; this one is ours. */
	ktgt_cmd_get(cmd);
	ra->cmd = cmd;
	ra->finished = true;
	return KTGT_TMF_RSP_COMPLETE;
}

/*
 * After the TMF Response: the task of @ra continues on @conn (see the top
 * of this file). A task not finished is on conn->cmds; a finished one on
 * conn->reads, its response built. Consumes @ra's reference.
 */
void ktgt_reassign_resume(struct ktgt_conn *conn, struct ktgt_reassign *ra)
{
	struct ktgt_cmd *cmd = ra->cmd;
	struct ktgt_task *t = cmd->task;

	pr_info("session %s TSIH %u: task ITT %#x reassigned to connection CID %u\n",
		conn->sess->initiator, conn->sess->tsih, cmd->itt, conn->cid);
	/* iSER: the new STags, and a finished read's data to send again. */
	if (conn->transport->reassign_begin &&
	    conn->transport->reassign_begin(conn, cmd, ra->finished)) {
		ktgt_conn_drop(conn);
		ktgt_cmd_put(cmd);
		return;
	}
	if (!ra->finished) {
		/* Waiting for write data: ask for what did not arrive. */
		if (READ_ONCE(t->want_data)) {
			WRITE_ONCE(t->data_seen, jiffies);
			if (conn->transport->reassign_cmd(conn, cmd, 0))
				ktgt_conn_drop(conn);
			ktgt_dataout_arm(conn);
		}
	} else if (cmd->dir == KTGT_DIR_READ && cmd->status_in_data) {
		if (conn->transport->reassign_cmd(conn, cmd, ra->exp_datasn))
			ktgt_conn_drop(conn);
	} else {
		/* An R-Data SNACK may have left it KEEP: a new StatSN here. */
		cmd->rsp.stamp = KTGT_STAMP_ADVANCE;
		((struct ktgt_bhs_scsi_rsp *)cmd->rsp.bhs)->snack_tag = 0;
		ktgt_conn_send(conn, cmd);
	}
	ktgt_cmd_put(cmd);
}
