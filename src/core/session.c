// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions: creation at the end of a leading login, reinstatement (a new
 * login with the same initiator name and ISID replaces the old session,
 * RFC 7143 6.3.5), the CmdSN window, and failure at ERL 0.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/idr.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "session.h"
#include "config.h"
#include <ktgt/proto/serial.h>

/* Protects ktgt_sessions and TSIH allocation. */
DEFINE_MUTEX(ktgt_sess_mutex);
static LIST_HEAD(ktgt_sessions);
static DEFINE_IDA(ktgt_tsih_ida);

static void ktgt_sess_logout_work(struct work_struct *work);

/* I_T nexus loss ends the session's PREVENT holds (SPC-4 6.13). */
static void ktgt_sess_release_holds(struct ktgt_session *sess)
{
	struct ktgt_lun *lun;
	unsigned int i;
	bool ro;

	for (i = 0; sess->tpg && i < KTGT_SESS_LUNS; i++) {
		if (!sess->luns[i].hold.held)
			continue;
		lun = ktgt_lun_get(sess->tpg, sess->acl, i, &ro);
		if (!lun)
			continue;
		ktgt_medium_hold(&lun->medium, &sess->luns[i].hold, false);
		ktgt_lun_put(lun);
	}
}

static void ktgt_sess_free_work(struct work_struct *work)
{
	struct ktgt_session *sess =
		container_of(work, struct ktgt_session, free_work);

	ktgt_sess_release_holds(sess);
	/* Every task held a session reference: the table is empty. */
	WARN_ON_ONCE(!xa_empty(&sess->tasks));
	xa_destroy(&sess->tasks);
	mutex_lock(&ktgt_sess_mutex);
	list_del(&sess->node);
	mutex_unlock(&ktgt_sess_mutex);
	ida_free(&ktgt_tsih_ida, sess->tsih);
	if (sess->acl)
		ktgt_acl_put(sess->acl);
	if (sess->tpg)
		ktgt_tpg_put(sess->tpg);
	pr_info("session %s TSIH %u ended\n", sess->initiator, sess->tsih);
	ktgt_sess_cmdq_free(sess);
	kfree(sess);
}

/*
 * The last reference may go in any context (a task's, from a backstore
 * completion in hard irq): the rest needs ktgt_sess_mutex.
 */
static void ktgt_sess_release(struct kref *kref)
{
	struct ktgt_session *sess =
		container_of(kref, struct ktgt_session, kref);

	queue_work(ktgt_exec_wq, &sess->free_work);
}

void ktgt_sess_get(struct ktgt_session *sess)
{
	kref_get(&sess->kref);
}

void ktgt_sess_put(struct ktgt_session *sess)
{
	kref_put(&sess->kref, ktgt_sess_release);
}

void ktgt_sess_window(struct ktgt_session *sess, u32 *exp, u32 *max)
{
	unsigned long flags;

	spin_lock_irqsave(&sess->lock, flags);
	*exp = sess->sn.exp;
	*max = sess->sn.max;
	spin_unlock_irqrestore(&sess->lock, flags);
}

/*
 * Charges @bytes of data buffers to the session (tpg attrib
 * session_data_mb). A session with no buffers may always take one
 * command's worth, so a budget smaller than a command cannot starve it.
 */
bool ktgt_sess_charge(struct ktgt_session *sess, u32 bytes)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&sess->lock, flags);
	ok = !sess->data_bytes || sess->data_bytes + bytes <= sess->data_max;
	if (ok)
		sess->data_bytes += bytes;
	spin_unlock_irqrestore(&sess->lock, flags);
	return ok;
}

/* A task is gone (its last reference): its slot and buffers return. */
void ktgt_sess_task_done(struct ktgt_session *sess, bool counted,
			 u32 budget)
{
	unsigned long flags;

	spin_lock_irqsave(&sess->lock, flags);
	if (counted)
		ktgt_cmdsn_task_done(&sess->sn);
	sess->data_bytes -= min_t(u64, budget, sess->data_bytes);
	spin_unlock_irqrestore(&sess->lock, flags);
}

/*
 * Calls @fn for every session not failed, under ktgt_sess_mutex: a session
 * on the list stays allocated while it is held, because its release
 * unlinks it under the mutex. @fn must not take ktgt_sess_mutex; dropping
 * command and connection references and ktgt_sess_fail() are fine (the
 * session references they lead to are dropped later, in release work).
 */
void ktgt_sess_walk(void (*fn)(struct ktgt_session *sess, void *arg),
		    void *arg)
{
	struct ktgt_session *sess;

	mutex_lock(&ktgt_sess_mutex);
	list_for_each_entry(sess, &ktgt_sessions, node)
		if (!sess->failed)
			fn(sess, arg);
	mutex_unlock(&ktgt_sess_mutex);
}

/* ERL 0: a failed connection ends its session; drop the others too. */
void ktgt_sess_fail(struct ktgt_session *sess)
{
	struct ktgt_conn *conn, *victims[KTGT_MAX_CONNECTIONS];
	unsigned int n = 0, i;

	spin_lock_irq(&sess->lock);
	if (!sess->failed) {
		sess->failed = true;
		list_for_each_entry(conn, &sess->conns, sess_node) {
			if (n == ARRAY_SIZE(victims))
				break;
			ktgt_conn_get(conn);
			victims[n++] = conn;
		}
	}
	spin_unlock_irq(&sess->lock);
	for (i = 0; i < n; i++) {
		ktgt_conn_drop(victims[i]);
		/* ERL 2: one kept for recovery ends now (erl2.c). */
		ktgt_conn_retain_end(victims[i]);
		ktgt_conn_put(victims[i]);
	}
}

static struct ktgt_session *ktgt_sess_find(const char *initiator,
					   const u8 *isid,
					   struct ktgt_tpg *tpg)
{
	struct ktgt_session *sess;

	lockdep_assert_held(&ktgt_sess_mutex);
	list_for_each_entry(sess, &ktgt_sessions, node)
		if (sess->tpg == tpg && !sess->failed &&
		    !memcmp(sess->isid, isid, sizeof(sess->isid)) &&
		    !strcmp(sess->initiator, initiator))
			return sess;
	return NULL;
}

/*
 * MC/S (RFC 7143 6.3): a login with the TSIH of a live session of the
 * same initiator, ISID and TPG adds a connection to it, up to the
 * session's MaxConnections of live connections ("too many connections"
 * beyond). At ERL 2 the session may have no live connection left, its
 * tasks kept for Time2Retain (session continuation, erl2.c).
 *
 * A CID in use is connection reinstatement (6.3.4): the old connection
 * is logged out implicitly once the new one is in. At ERL 2 that is a
 * logout for recovery (its tasks may be reassigned); below, it closes
 * alone and its tasks end (7.14: "terminated without further notice").
 * The login answers after the old connection is down.
 */
static u16 ktgt_sess_join(struct ktgt_conn *conn,
			  const struct ktgt_login_session_info *info,
			  struct ktgt_tpg *tpg, u16 *tsih)
{
	struct ktgt_session *sess, *found = NULL;
	struct ktgt_conn *other, *old = NULL;
	unsigned int live = 0;
	u16 st = 0;

	mutex_lock(&ktgt_sess_mutex);
	list_for_each_entry(sess, &ktgt_sessions, node)
		if (sess->tsih == info->tsih && sess->tpg == tpg &&
		    !sess->discovery && !sess->failed &&
		    !memcmp(sess->isid, info->isid, sizeof(sess->isid)) &&
		    !strcmp(sess->initiator, info->initiator_name)) {
			found = sess;
			break;
		}
	if (!found) {
		mutex_unlock(&ktgt_sess_mutex);
		return KTGT_LS_SESSION_NOT_FOUND;
	}
	sess = found;
	spin_lock_irq(&sess->lock);
	list_for_each_entry(other, &sess->conns, sess_node) {
		bool kept = READ_ONCE(other->rec) != KTGT_REC_NONE;

		if (other->cid != info->cid) {
			live += !kept;
			continue;
		}
		/* The live one first, else one kept for recovery. */
		if (!old || !kept)
			old = other;
	}
	if (sess->failed)
		st = KTGT_LS_SESSION_NOT_FOUND;
	else if (conn->transport != sess->transport)
		/* Our choice: TCP and iSER do not mix in a session. */
		st = KTGT_LS_INITIATOR_ERROR;
	else if (live >= sess->neg.max_connections ||
		 sess->nconns >= KTGT_MAX_CONNECTIONS)
		/* Kept ones count in the second: a peer cannot pile them. */
		st = KTGT_LS_TOO_MANY_CONNECTIONS;
	if (!st) {
		ktgt_sess_get(sess);
		conn->sess = sess;
		conn->cid = info->cid;
		list_add_tail(&conn->sess_node, &sess->conns);
		sess->nconns++;
		if (old)
			ktgt_conn_get(old);
	}
	spin_unlock_irq(&sess->lock);
	mutex_unlock(&ktgt_sess_mutex);
	if (st) {
		pr_info("%s: connection CID %u to TSIH %u refused (%#06x)\n",
			info->initiator_name, info->cid, info->tsih, st);
		return st;
	}
	if (old) {
		pr_info("session %s TSIH %u: connection CID %u reinstated\n",
			sess->initiator, sess->tsih, info->cid);
		if (sess->neg.erl == 2) {
			ktgt_conn_recovery_logout(old);
		} else {
			spin_lock_irq(&old->lock);
			old->end = KTGT_END_LEAVE;
			spin_unlock_irq(&old->lock);
			ktgt_conn_drop(old);
			flush_work(&old->release_work);
		}
		ktgt_conn_put(old);
	}
	*tsih = sess->tsih;
	pr_info("session %s TSIH %u: connection CID %u from %pISpc (%u of %u)\n",
		sess->initiator, sess->tsih, conn->cid, &conn->peer,
		sess->nconns, sess->neg.max_connections);
	return 0;
}

/*
 * The login_ops.session hook: a leading login creates the session (after
 * failing any session it reinstates); a TSIH != 0 adds a connection to
 * one (ktgt_sess_join()).
 */
u16 ktgt_sess_login(struct ktgt_conn *conn,
		    const struct ktgt_login_session_info *info,
		    const struct ktgt_negotiated *neg, struct ktgt_tpg *tpg,
		    struct ktgt_acl *acl, u16 *tsih)
{
	struct ktgt_session *sess, *old = NULL;
	u32 depth = tpg ? READ_ONCE(tpg->attrib.cmdsn_depth) :
		    KTGT_CMDSN_DEPTH_DEFAULT;
	unsigned int i;
	int id;

	if (info->tsih)
		return ktgt_sess_join(conn, info, tpg, tsih);

	sess = kzalloc(sizeof(*sess), GFP_KERNEL);
	if (!sess)
		return KTGT_LS_OUT_OF_RESOURCES;
	if (ktgt_sess_cmdq_init(sess, conn->login_cmdsn, depth)) {
		ktgt_sess_cmdq_free(sess);
		kfree(sess);
		return KTGT_LS_OUT_OF_RESOURCES;
	}
	kref_init(&sess->kref);
	spin_lock_init(&sess->lock);
	INIT_LIST_HEAD(&sess->conns);
	for (i = 0; i < KTGT_SESS_LUNS; i++)
		INIT_LIST_HEAD(&sess->luns[i].tset);
	init_completion(&sess->drained);
	xa_init_flags(&sess->tasks, XA_FLAGS_LOCK_IRQ);
	INIT_WORK(&sess->free_work, ktgt_sess_free_work);
	INIT_DELAYED_WORK(&sess->logout_work, ktgt_sess_logout_work);
	memcpy(sess->isid, info->isid, sizeof(sess->isid));
	strscpy(sess->initiator, info->initiator_name, sizeof(sess->initiator));
	sess->discovery = info->session_type == KTGT_SESSION_DISCOVERY;
	sess->neg = *neg;
	sess->transport = conn->transport;
	/*
	 * No POWER ON unit attention for a new nexus: initiators (and LIO)
	 * expect none at login; a reinstated session's LUNs get NEXUS LOSS
	 * once multi-connection recovery needs it.
	 */

	mutex_lock(&ktgt_sess_mutex);
	id = ida_alloc_range(&ktgt_tsih_ida, 1, 0xffff, GFP_KERNEL);
	if (id < 0) {
		mutex_unlock(&ktgt_sess_mutex);
		ktgt_sess_cmdq_free(sess);
		kfree(sess);
		return KTGT_LS_OUT_OF_RESOURCES;
	}
	sess->tsih = id;
	if (!sess->discovery) {
		old = ktgt_sess_find(sess->initiator, sess->isid, tpg);
		if (old) {
			pr_info("session %s TSIH %u reinstated\n",
				old->initiator, old->tsih);
			ktgt_sess_get(old);
			ktgt_sess_fail(old);
		}
		ktgt_tpg_get(tpg);
		sess->tpg = tpg;
		if (acl) {
			ktgt_acl_get(acl);
			sess->acl = acl;
		}
	}
	list_add_tail(&sess->node, &ktgt_sessions);
	mutex_unlock(&ktgt_sess_mutex);

	/*
	 * Reinstatement answers only once the old session's tasks have
	 * drained: none of its writes can land after the new session
	 * starts (its connections' release work completes this).
	 */
	if (old) {
		wait_for_completion(&old->drained);
		ktgt_sess_put(old);
	}

	/* The command window opens at the CmdSN of the login. */
	conn->sess = sess;
	conn->cid = info->cid;
	spin_lock_irq(&sess->lock);
	ktgt_cmdsn_init(&sess->sn, conn->login_cmdsn, depth);
	sess->data_max = (u64)(tpg ? READ_ONCE(tpg->attrib.session_data_mb) :
			       1) << 20;
	list_add_tail(&conn->sess_node, &sess->conns);
	sess->nconns++;
	spin_unlock_irq(&sess->lock);

	*tsih = sess->tsih;
	pr_info("%s session %s TSIH %u from %pISpc\n",
		sess->discovery ? "discovery" : "normal", sess->initiator,
		sess->tsih, &conn->peer);
	return 0;
}

/* Seconds an initiator gets to log out after an Async logout request. */
#define KTGT_LOGOUT_GRACE	10
/* Seconds an AsyncEvent 3 gets to reach the wire before the hard end. */
#define KTGT_DROP_GRACE		2

/*
 * An Async Message on @conn (RFC 7143 11.9.1): event 1, "log out within
 * Parameter3 seconds"; event 2, "connection @cid (Parameter1) is being
 * dropped" (erl2.c), or event 3, "all connections of this session are
 * being dropped" (Parameter2 and 3: DefaultTime2Wait and
 * DefaultTime2Retain, when and for how long the initiator may come
 * back); the connection closes once event 3 is out.
 */
void ktgt_async_send(struct ktgt_conn *conn, u8 event, u16 cid)
{
	const struct ktgt_negotiated *neg = &conn->sess->neg;
	struct ktgt_bhs_async_msg *h;
	struct ktgt_light_pdu *lp;

	lp = ktgt_light_alloc(conn, GFP_KERNEL);
	if (!lp)
		return;
	h = (struct ktgt_bhs_async_msg *)lp->pdu.bhs;
	h->opcode = KTGT_OP_ASYNC_MSG;
	h->flags = KTGT_BHS_F;
	h->itt = cpu_to_be32(KTGT_RSVD_TAG);
	h->async_event = event;
	if (event == KTGT_ASYNC_LOGOUT_REQUEST) {
		h->param3 = cpu_to_be16(KTGT_LOGOUT_GRACE);
	} else {
		h->param2 = cpu_to_be16(min_t(u32, neg->default_time2wait,
					      U16_MAX));
		h->param3 = cpu_to_be16(min_t(u32, neg->default_time2retain,
					      U16_MAX));
		if (event == KTGT_ASYNC_DROP_CONNECTION)
			h->param1 = cpu_to_be16(cid);
		else
			lp->pdu.close_conn = true;
	}
	lp->pdu.stamp = KTGT_STAMP_ADVANCE;
	ktgt_light_send(lp);
}

/*
 * The connections of @sess into @conns (KTGT_MAX_CONNECTIONS of room),
 * each referenced: how many.
 */
unsigned int ktgt_sess_conns(struct ktgt_session *sess,
			     struct ktgt_conn **conns)
{
	struct ktgt_conn *conn;
	unsigned int n = 0;

	spin_lock_irq(&sess->lock);
	list_for_each_entry(conn, &sess->conns, sess_node) {
		if (n == KTGT_MAX_CONNECTIONS)
			break;
		ktgt_conn_get(conn);
		conns[n++] = conn;
	}
	spin_unlock_irq(&sess->lock);
	return n;
}

/* ktgt_async_send() on every connection of @sess. */
static void ktgt_async_send_all(struct ktgt_session *sess, u8 event)
{
	struct ktgt_conn *conns[KTGT_MAX_CONNECTIONS];
	unsigned int n = ktgt_sess_conns(sess, conns), i;

	for (i = 0; i < n; i++) {
		ktgt_async_send(conns[i], event, 0);
		ktgt_conn_put(conns[i]);
	}
}

/*
 * The logout grace ran out: first AsyncEvent 3 on every connection (each
 * closes once it is sent), then, KTGT_DROP_GRACE seconds later, the
 * session ends whatever became of them (a peer that does not read).
 */
static void ktgt_sess_logout_work(struct work_struct *work)
{
	struct ktgt_session *sess = container_of(to_delayed_work(work),
						 struct ktgt_session,
						 logout_work);

	if (!sess->failed && !sess->dropping) {
		pr_info("session %s TSIH %u did not log out: dropped\n",
			sess->initiator, sess->tsih);
		sess->dropping = true;
		ktgt_async_send_all(sess, KTGT_ASYNC_DROP_ALL_CONNECTIONS);
		/* The reference goes with the next run. */
		if (queue_delayed_work(ktgt_exec_wq, &sess->logout_work,
				       KTGT_DROP_GRACE * HZ))
			return;
	}
	ktgt_sess_fail(sess);
	ktgt_sess_put(sess);
}

/* A connection of @sess in full feature phase, or NULL (sess->lock). */
static struct ktgt_conn *ktgt_sess_live_conn(struct ktgt_session *sess)
{
	struct ktgt_conn *conn;

	lockdep_assert_held(&sess->lock);
	list_for_each_entry(conn, &sess->conns, sess_node)
		if (READ_ONCE(conn->state) == KTGT_CONN_FULL_FEATURE)
			return conn;
	return NULL;
}

/*
 * A TPG was disabled: ask each of its sessions to log out, and end those
 * that have not after KTGT_LOGOUT_GRACE seconds.
 */
void ktgt_sess_tpg_disabled(struct ktgt_tpg *tpg)
{
	struct ktgt_session *sess;
	struct ktgt_conn *conn;

	mutex_lock(&ktgt_sess_mutex);
	list_for_each_entry(sess, &ktgt_sessions, node) {
		if (sess->tpg != tpg || sess->failed)
			continue;
		/* Connections leave the list only under ktgt_sess_mutex'
		 * protection of the session's life (it holds sess refs).
		 */
		spin_lock_irq(&sess->lock);
		conn = ktgt_sess_live_conn(sess);
		if (conn)
			ktgt_conn_get(conn);
		spin_unlock_irq(&sess->lock);
		if (!conn) {
			/* Only connections kept for recovery (ERL 2): none to ask. */
			ktgt_sess_fail(sess);
			continue;
		}
		ktgt_async_send(conn, KTGT_ASYNC_LOGOUT_REQUEST, 0);
		ktgt_conn_put(conn);
		ktgt_sess_get(sess);
		if (!queue_delayed_work(ktgt_exec_wq, &sess->logout_work,
					KTGT_LOGOUT_GRACE * HZ))
			ktgt_sess_put(sess);
	}
	mutex_unlock(&ktgt_sess_mutex);
}

/* Module unload: every connection is gone by now; nothing may remain. */
void ktgt_sessions_shutdown(void)
{
	mutex_lock(&ktgt_sess_mutex);
	WARN_ON(!list_empty(&ktgt_sessions));
	mutex_unlock(&ktgt_sess_mutex);
	ida_destroy(&ktgt_tsih_ida);
}
