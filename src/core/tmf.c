// SPDX-License-Identifier: GPL-2.0
/*
 * Task management (RFC 7143 11.5, 11.6; SAM-5 7): ABORT TASK, ABORT TASK
 * SET, CLEAR TASK SET, LOGICAL UNIT RESET, TARGET WARM and COLD RESET;
 * TASK REASSIGN is connection recovery's (erl2.c).
 *
 * An aborted task ends without a response; one still in the backstore
 * finishes its I/O first and then drops its response (task->aborted).
 * Every TMF answers only after the tasks it aborts are done: no write of
 * theirs can reach the medium after the response (ktgt_tmf_abort()).
 * Resets raise a unit attention on the LUNs they reset.
 *
 * TARGET WARM and COLD RESET (RFC 7143 11.6.1, SAM-2 TARGET RESET) reset
 * every logical unit the issuing nexus can access, and only those (SAM's
 * access controls): the tasks of every session on those LUs are aborted
 * and each of those sessions gets a unit attention, BUS DEVICE RESET
 * FUNCTION OCCURRED (29h/03h), on each of its LUNs that maps one of them.
 * A cold reset then closes every connection of every session of the
 * target, the issuing one right after its response has gone out.
 *
 * Because a cold reset ends other initiators' sessions, a TPG authorizes
 * it only with attrib/tmr_cold_reset=1; otherwise the answer is "Function
 * authorization failed" (RFC 7143 11.6.1) and nothing is reset. A warm
 * reset touches only what the initiator could reset LU by LU anyway and
 * is always authorized.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/slab.h>

#include <ktgt/proto/serial.h>
#include "session.h"
#include "config.h"

/*
 * Aborts this connection's tasks that @match selects and returns how many
 * once none of them can still touch the medium: a task not yet executing
 * never will (ktgt_task_exec() checks @aborted under conn->lock) and
 * loses its allegiance now, so further Data-Out for it is rejected, and
 * the transport drops what it queued for it (abort_cmd); one executing
 * is waited for (its response is dropped). Process context; @conn is
 * referenced by the caller, so its transport is there.
 *
 * With @answer (LUN removal, which is no TMF: the initiator waits for
 * every task's status) nothing is aborted: a task not yet executing
 * fails with LOGICAL UNIT NOT SUPPORTED when it would execute, so it
 * still ends with a response and never touches the medium, and one
 * executing finishes with its own status, waited for here.
 */
static unsigned int ktgt_tmf_abort(struct ktgt_conn *conn,
				   bool (*match)(struct ktgt_cmd *cmd,
						 const void *arg),
				   const void *arg, bool answer)
{
	struct ktgt_cmd *cmd, *victims[64];
	struct ktgt_lun *luns[ARRAY_SIZE(victims)];
	bool executing[ARRAY_SIZE(victims)];
	unsigned int n = 0, i, total = 0;
	struct ktgt_task *t;

	might_sleep();
	do {
		n = 0;
		spin_lock_irq(&conn->lock);
		list_for_each_entry(cmd, &conn->cmds, conn_node) {
			t = cmd->task;
			if (!t || t->aborted || !match(cmd, arg))
				continue;
			if (answer && !t->executing) {
				/*
				 * Under the lock, which ktgt_task_exec() takes
				 * before it reads @reason. No longer matches
				 * ktgt_tmf_match_lu(): a rescan skips it.
				 */
				if (!t->reason)
					t->reason = KTGT_SR_LUN_NOT_SUPPORTED;
				luns[n] = t->lun;
				t->lun = NULL;
				executing[n] = false;
				victims[n++] = NULL;
				if (n == ARRAY_SIZE(victims))
					break;
				continue;
			}
			/* Marked under the lock so a rescan skips it. */
			if (!answer)
				t->aborted = true;
			executing[n] = t->executing;
			/*
			 * One that will never execute lets its LUN go now,
			 * not when the transport drops its last reference
			 * (an R2T queued to a peer that does not read).
			 */
			luns[n] = executing[n] ? NULL : t->lun;
			if (!executing[n])
				t->lun = NULL;
			ktgt_cmd_get(cmd);
			victims[n++] = cmd;
			if (n == ARRAY_SIZE(victims))
				break;
		}
		spin_unlock_irq(&conn->lock);
		for (i = 0; i < n; i++) {
			if (!victims[i]) {
				/* @answer, not executing: only its LUN goes. */
				ktgt_lun_put(luns[i]);
				continue;
			}
			if (executing[i]) {
				wait_event(ktgt_task_wq,
					   READ_ONCE(victims[i]->task->done));
			} else {
				ktgt_cmd_untrack(victims[i]);
				/* Its queued R2T or RDMA READ goes too. */
				conn->transport->abort_cmd(conn, victims[i]);
			}
			if (luns[i])
				ktgt_lun_put(luns[i]);
			ktgt_cmd_put(victims[i]);
		}
		total += n;
	} while (n == ARRAY_SIZE(victims));
	return total;
}

static bool ktgt_tmf_match_task(struct ktgt_cmd *cmd, const void *arg)
{
	const struct ktgt_pdu *pdu = arg;

	return cmd->itt == pdu->tmf_req.rtt &&
	       !memcmp(cmd->lun, pdu->lun, sizeof(cmd->lun));
}

static bool ktgt_tmf_match_lun(struct ktgt_cmd *cmd, const void *arg)
{
	const struct ktgt_pdu *pdu = arg;

	return !memcmp(cmd->lun, pdu->lun, sizeof(cmd->lun));
}

static bool ktgt_tmf_match_all(struct ktgt_cmd *cmd, const void *arg)
{
	return true;
}

/*
 * ktgt_tmf_abort() on every connection of @sess: tasks have allegiance to
 * one connection, but the task set is the session's (MC/S).
 */
static unsigned int ktgt_sess_abort(struct ktgt_session *sess,
				    bool (*match)(struct ktgt_cmd *cmd,
						  const void *arg),
				    const void *arg, bool answer)
{
	struct ktgt_conn *conns[KTGT_MAX_CONNECTIONS];
	unsigned int n = ktgt_sess_conns(sess, conns), i, total = 0;

	for (i = 0; i < n; i++) {
		total += ktgt_tmf_abort(conns[i], match, arg, answer);
		ktgt_conn_put(conns[i]);
	}
	return total;
}

static bool ktgt_tmf_match_lu(struct ktgt_cmd *cmd, const void *arg)
{
	return cmd->task->lun == arg;
}

static void ktgt_lun_abort_sess(struct ktgt_session *sess, void *arg)
{
	ktgt_sess_abort(sess, ktgt_tmf_match_lu, arg, true);
}

/*
 * LUN removal (cfg_lun.c): every task on @lun, in every session, lets the
 * LUN go; returns when none still executes. Each still gets its status
 * (LOGICAL UNIT NOT SUPPORTED unless it was executing): a task ended in
 * silence would hold the initiator until its SCSI timeout and error
 * handling, and nothing asked for it to be aborted.
 */
void ktgt_lun_abort_tasks(struct ktgt_lun *lun)
{
	ktgt_sess_walk(ktgt_lun_abort_sess, lun);
}

/* Connection teardown (conn.c, step 4 of the drain order). */
void ktgt_conn_abort_tasks(struct ktgt_conn *conn)
{
	ktgt_tmf_abort(conn, ktgt_tmf_match_all, NULL, false);
}

/* What a target reset covers: the LUs (backstores) the issuer can see. */
struct ktgt_tmf_reset {
	struct ktgt_lun *luns[KTGT_SESS_LUNS];	/* pinned by ktgt_lun_get() */
	unsigned int nluns;
	unsigned int aborted;			/* tasks, every session */
	unsigned int closed;			/* sessions (cold reset) */
};

static bool ktgt_tmf_reset_covers(const struct ktgt_tmf_reset *rs,
				  const struct ktgt_lun *lun)
{
	unsigned int i;

	/* A pinned LUN's backstore is bound and stable (config.h). */
	for (i = 0; i < rs->nluns; i++)
		if (rs->luns[i]->bs == lun->bs)
			return true;
	return false;
}

/* A task of another session on one of the LUs being reset. */
static bool ktgt_tmf_match_reset(struct ktgt_cmd *cmd, const void *arg)
{
	return cmd->task->lun && ktgt_tmf_reset_covers(arg, cmd->task->lun);
}

static bool ktgt_tmf_lun_exists(struct ktgt_session *sess, const u8 *raw,
				u64 *lun)
{
	struct ktgt_lun *l;
	bool ro;

	if (ktgt_lun_decode(raw, lun))
		return false;
	l = ktgt_lun_get(sess->tpg, sess->acl, *lun, &ro);
	if (!l)
		return false;
	ktgt_lun_put(l);
	return true;
}

/*
 * Resets, in one session @sess, the LUs of @rs: aborts its tasks on them
 * (all its tasks if @all: the issuer of a target reset) and raises
 * 29h/03h on each of its LUNs that maps one of them.
 */
static void ktgt_tmf_reset_sess(struct ktgt_session *sess, bool all,
				struct ktgt_tmf_reset *rs)
{
	struct ktgt_lun *l;
	unsigned int i;
	bool ro, hit;

	rs->aborted += ktgt_sess_abort(sess, all ? ktgt_tmf_match_all :
				       ktgt_tmf_match_reset, rs, false);

	for (i = 0; i < KTGT_SESS_LUNS; i++) {
		l = ktgt_lun_get(sess->tpg, sess->acl, i, &ro);
		if (!l)
			continue;
		hit = ktgt_tmf_reset_covers(rs, l);
		ktgt_lun_put(l);
		if (!hit)
			continue;
		spin_lock_irq(&sess->lock);
		ktgt_scsi_ua_set(&sess->luns[i].ua, KTGT_SR_UA_DEVICE_RESET);
		spin_unlock_irq(&sess->lock);
	}
}

struct ktgt_tmf_reset_walk {
	struct ktgt_session *issuer;
	struct ktgt_tmf_reset *rs;
	bool target;			/* a target reset, not a LUN reset */
	bool cold;
};

static void ktgt_tmf_reset_one(struct ktgt_session *s, void *arg)
{
	struct ktgt_tmf_reset_walk *w = arg;
	struct ktgt_session *sess = w->issuer;

	if (s->discovery)
		return;
	ktgt_tmf_reset_sess(s, w->target && s == sess, w->rs);
	/* Compared, not followed: the TPG is pinned, not its target. */
	if (w->cold && s != sess && s->tpg->target == sess->tpg->target) {
		ktgt_sess_fail(s);
		w->rs->closed++;
	}
}

/* Pins the LU a reset covers into @rs; every PREVENT hold on it ends. */
static bool ktgt_tmf_reset_add(struct ktgt_session *sess, u64 lun,
			       struct ktgt_tmf_reset *rs)
{
	struct ktgt_lun *l;
	bool ro;

	l = ktgt_lun_get(sess->tpg, sess->acl, lun, &ro);
	if (!l)
		return false;
	ktgt_medium_clear_holds(&l->medium);
	rs->luns[rs->nluns++] = l;
	return true;
}

/*
 * LOGICAL UNIT RESET of mapped LUN @lun (SAM-5 7.7), or TARGET WARM/COLD
 * RESET when @lun is U64_MAX (see the top of this file): the LUs' tasks
 * end on every nexus, each nexus gets 29h/03h, every PREVENT hold on
 * their media ends.
 */
static u8 ktgt_tmf_reset(struct ktgt_conn *conn, u64 lun, bool cold)
{
	struct ktgt_session *sess = conn->sess;
	bool target = lun == U64_MAX;
	struct ktgt_tmf_reset_walk w = {
		.issuer = sess, .target = target, .cold = cold,
	};
	struct ktgt_tmf_reset *rs;
	unsigned int i;
	u8 ret = KTGT_TMF_RSP_COMPLETE;

	rs = kzalloc(sizeof(*rs), GFP_KERNEL);
	if (!rs)
		return KTGT_TMF_RSP_REJECTED;
	if (target) {
		for (i = 0; i < KTGT_SESS_LUNS; i++)
			ktgt_tmf_reset_add(sess, i, rs);
	} else if (!ktgt_tmf_reset_add(sess, lun, rs)) {
		ret = KTGT_TMF_RSP_NO_LUN;
		goto out;
	}
	w.rs = rs;
	ktgt_sess_walk(ktgt_tmf_reset_one, &w);

	if (!target)
		pr_info("LOGICAL UNIT RESET of LUN %llu from %s TSIH %u: %u tasks aborted\n",
			lun, sess->initiator, sess->tsih, rs->aborted);
	else if (cold)
		pr_info("TARGET COLD RESET from %s TSIH %u: %u LUs reset, %u tasks aborted, %u other sessions closed\n",
			sess->initiator, sess->tsih, rs->nluns, rs->aborted,
			rs->closed);
	else
		pr_info("TARGET WARM RESET from %s TSIH %u: %u LUs reset, %u tasks aborted\n",
			sess->initiator, sess->tsih, rs->nluns, rs->aborted);
out:
	for (i = 0; i < rs->nluns; i++)
		ktgt_lun_put(rs->luns[i]);
	kfree(rs);
	return ret;
}

static u8 ktgt_tmf_do(struct ktgt_conn *conn, const struct ktgt_pdu *pdu,
		      bool *close, struct ktgt_reassign *ra)
{
	struct ktgt_session *sess = conn->sess;
	bool allowed;
	u32 exp, max;
	u64 lun;

	switch (pdu->tmf_req.function) {
	case KTGT_TMF_ABORT_TASK:
		if (ktgt_sess_abort(sess, ktgt_tmf_match_task, pdu, false))
			return KTGT_TMF_RSP_COMPLETE;
		/*
		 * RFC 7143 11.5.1: an unknown task whose RefCmdSN is still in
		 * the window [ExpCmdSN, MaxCmdSN] and before this request was
		 * lost on the way: count it as received, report it aborted.
		 * Below ExpCmdSN it was received and has completed.
		 */
		ktgt_sess_window(sess, &exp, &max);
		if (ktgt_sn_lt(pdu->tmf_req.refcmdsn, pdu->tmf_req.cmdsn) &&
		    ktgt_sn_in_window(pdu->tmf_req.refcmdsn, exp, max)) {
			/* Plug the gap it left in the CmdSN sequence. */
			ktgt_sess_cmdsn_plug(sess, pdu->tmf_req.refcmdsn);
			return KTGT_TMF_RSP_COMPLETE;
		}
		return KTGT_TMF_RSP_NO_TASK;
	case KTGT_TMF_ABORT_TASK_SET:
	case KTGT_TMF_CLEAR_TASK_SET:
		if (!ktgt_tmf_lun_exists(sess, pdu->lun, &lun))
			return KTGT_TMF_RSP_NO_LUN;
		ktgt_sess_abort(sess, ktgt_tmf_match_lun, pdu, false);
		return KTGT_TMF_RSP_COMPLETE;
	case KTGT_TMF_LOGICAL_UNIT_RESET:
		if (ktgt_lun_decode(pdu->lun, &lun))
			return KTGT_TMF_RSP_NO_LUN;
		return ktgt_tmf_reset(conn, lun, false);
	case KTGT_TMF_TARGET_WARM_RESET:
		return ktgt_tmf_reset(conn, U64_MAX, false);
	case KTGT_TMF_TARGET_COLD_RESET:
		mutex_lock(&ktgt_cfg_mutex);
		allowed = sess->tpg->attrib.tmr_cold_reset;
		mutex_unlock(&ktgt_cfg_mutex);
		if (!allowed) {
			pr_info("TARGET COLD RESET from %s TSIH %u refused: attrib/tmr_cold_reset is 0\n",
				sess->initiator, sess->tsih);
			return KTGT_TMF_RSP_AUTH_FAILED;
		}
		/* This connection closes once the response is out. */
		*close = true;
		return ktgt_tmf_reset(conn, U64_MAX, true);
	case KTGT_TMF_TASK_REASSIGN:
		/* erl2.c; below ERL 2 "allegiance reassignment not supported". */
		ra->exp_datasn = pdu->tmf_req.expdatasn;
		return ktgt_tmf_reassign(conn, pdu, ra);
	case KTGT_TMF_CLEAR_ACA:
		return KTGT_TMF_RSP_NOT_SUPPORTED;
	default:
		return KTGT_TMF_RSP_REJECTED;
	}
}

int ktgt_tmf_rx(struct ktgt_conn *conn, const struct ktgt_pdu *pdu)
{
	struct ktgt_reassign ra = { };
	struct ktgt_bhs_tmf_rsp *h;
	struct ktgt_light_pdu *lp;
	bool close = false;
	int ret;

	if (conn->sess->discovery)
		return -EPROTO;
	if (ktgt_sess_cmdsn(conn->sess, pdu->immediate, pdu->tmf_req.cmdsn,
			    false) != KTGT_CMDSN_ACCEPT)
		return 0;

	lp = ktgt_light_alloc(conn, GFP_KERNEL);
	if (!lp)
		return -ENOMEM;
	h = (struct ktgt_bhs_tmf_rsp *)lp->pdu.bhs;
	h->opcode = KTGT_OP_TMF_RSP;
	h->flags = KTGT_BHS_F;
	h->response = ktgt_tmf_do(conn, pdu, &close, &ra);
	h->itt = cpu_to_be32(pdu->itt);
	lp->pdu.stamp = KTGT_STAMP_ADVANCE;
	lp->pdu.close_conn = close;
	pr_debug("TMF function %u: response %u\n", pdu->tmf_req.function,
		 h->response);
	ret = ktgt_light_send(lp);
	/* TASK REASSIGN takes effect after its response (RFC 7143 11.6). */
	if (ra.cmd)
		ktgt_reassign_resume(conn, &ra);
	return ret;
}
