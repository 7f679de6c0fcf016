// SPDX-License-Identifier: GPL-2.0
/*
 * The session's CmdSN sequencing point (RFC 7143 3.2.2.1, 4.2.2.1): every
 * request that carries a CmdSN goes through here, on whichever connection
 * it came.
 *
 * With several connections (MC/S) the initiator numbers its requests in
 * one sequence but spreads them over the connections, so CmdSN n + 1 can
 * arrive before n. A non-immediate request ahead of ExpCmdSN, inside the
 * window, waits in sess->cmdq (src/proto/cmdq.c) instead of being
 * dropped:
 *  - a SCSI task is received as usual (tracked, its buffer allocated, its
 *    write data fetched) but does not execute before its turn: if its
 *    data is ready first it is parked (ktgt_sess_park()), and
 *    ktgt_sess_deliver() executes it when the gap before it fills;
 *  - any other request (NOP-Out, Text, Logout, TMF) is processed at once
 *    and only its number waits, so that ExpCmdSN steps over it in turn.
 *    We chose this over holding them: none of them acts on tasks that
 *    precede it in CmdSN order except TMFs, which name their tasks.
 * ktgt_conn_rx_pdu() calls ktgt_sess_deliver() after every request, so
 * the request that fills a gap is handled before those it releases.
 *
 * The queue holds a reference on each queued task; the session's last
 * connection flushes it (ktgt_sess_cmdq_flush()) before the session can
 * go, since those tasks hold session references.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/slab.h>

#include "session.h"

int ktgt_sess_cmdq_init(struct ktgt_session *sess, u32 first, u32 depth)
{
	u32 n = ktgt_cmdq_slots(depth);

	sess->cmdq_slots = kvcalloc(n, sizeof(*sess->cmdq_slots), GFP_KERNEL);
	if (!sess->cmdq_slots)
		return -ENOMEM;
	return ktgt_cmdq_init(&sess->cmdq, sess->cmdq_slots, n, first);
}

void ktgt_sess_cmdq_free(struct ktgt_session *sess)
{
	WARN_ON_ONCE(sess->cmdq_slots && ktgt_cmdq_count(&sess->cmdq));
	kvfree(sess->cmdq_slots);
	sess->cmdq_slots = NULL;
}

/* Queues @h with CmdSN @sn; sess->lock held. */
static bool ktgt_sess_hold(struct ktgt_session *sess,
			   struct ktgt_sess_held *h, u32 sn, bool task)
{
	lockdep_assert_held(&sess->lock);
	if (!sess->cmdq_slots || !ktgt_cmdsn_hold(&sess->sn, sn, false))
		return false;
	if (ktgt_cmdq_insert(&sess->cmdq, &h->node, sn, sess->sn.exp,
			     sess->sn.max))
		return false;	/* a duplicate, or out of reach: dropped */
	/* The slot only once it is queued (ktgt_cmdsn_hold() with @task). */
	if (task)
		ktgt_cmdsn_hold(&sess->sn, sn, true);
	return true;
}

/*
 * A request that is not a SCSI task. ACCEPT: process it (ahead of
 * ExpCmdSN too: its number waits in the queue); DROP: ignore it.
 */
enum ktgt_cmdsn_verdict ktgt_sess_cmdsn(struct ktgt_session *sess,
					bool immediate, u32 cmdsn, bool task)
{
	struct ktgt_sess_held *h = NULL;
	enum ktgt_cmdsn_verdict v;
	unsigned long flags;
	u32 exp, max;

	/* A hint without the lock: only a request ahead needs a node. */
	if (!immediate && cmdsn != READ_ONCE(sess->sn.exp))
		h = kzalloc(sizeof(*h), GFP_KERNEL);

	spin_lock_irqsave(&sess->lock, flags);
	v = ktgt_cmdsn_accept(&sess->sn, immediate, cmdsn, task);
	if (v == KTGT_CMDSN_DROP && h && !task &&
	    ktgt_sess_hold(sess, h, cmdsn, false)) {
		v = KTGT_CMDSN_ACCEPT;
		h = NULL;
	}
	exp = sess->sn.exp;
	max = sess->sn.max;
	spin_unlock_irqrestore(&sess->lock, flags);
	kfree(h);
	if (v == KTGT_CMDSN_DROP)
		pr_debug("CmdSN %u outside [%u, %u]: dropped\n", cmdsn, exp,
			 max);
	return v;
}

/*
 * A SCSI task @cmd (allocated, not yet tracked). AHEAD: it waits in the
 * queue, which took a reference; it is received as usual but executes
 * only in its turn.
 */
enum ktgt_cmdsn_verdict ktgt_sess_cmdsn_task(struct ktgt_session *sess,
					     bool immediate, u32 cmdsn,
					     struct ktgt_cmd *cmd)
{
	struct ktgt_task *t = cmd->task;
	enum ktgt_cmdsn_verdict v;
	unsigned long flags;

	spin_lock_irqsave(&sess->lock, flags);
	v = ktgt_cmdsn_accept(&sess->sn, immediate, cmdsn, true);
	if (v == KTGT_CMDSN_DROP && !immediate) {
		t->seq.cmd = cmd;
		if (ktgt_sess_hold(sess, &t->seq, cmdsn, true)) {
			ktgt_cmd_get(cmd);
			t->held = true;
			v = KTGT_CMDSN_AHEAD;
		}
	}
	/* In CmdSN order with every older task: into its task set. */
	if (v == KTGT_CMDSN_ACCEPT || v == KTGT_CMDSN_AHEAD)
		ktgt_taskset_enter(sess, cmd, immediate);
	spin_unlock_irqrestore(&sess->lock, flags);
	if (v == KTGT_CMDSN_DROP)
		pr_debug("CmdSN %u outside the window: dropped\n", cmdsn);
	return v;
}

void ktgt_sess_cmdsn_plug(struct ktgt_session *sess, u32 cmdsn)
{
	unsigned long flags;

	spin_lock_irqsave(&sess->lock, flags);
	ktgt_cmdsn_plug(&sess->sn, cmdsn);
	spin_unlock_irqrestore(&sess->lock, flags);
}

/*
 * The task's data is ready: true if it must wait for its turn (it is
 * parked, and ktgt_sess_deliver() will execute it).
 */
bool ktgt_sess_park(struct ktgt_session *sess, struct ktgt_task *t)
{
	unsigned long flags;
	bool parked;

	spin_lock_irqsave(&sess->lock, flags);
	parked = t->held;
	if (parked)
		t->parked = true;
	spin_unlock_irqrestore(&sess->lock, flags);
	return parked;
}

/* Takes what is ready off the queue, as a list; sess->lock held. */
static struct ktgt_sess_held *ktgt_sess_pop_ready(struct ktgt_session *sess)
{
	struct ktgt_sess_held *first = NULL, **tail = &first, *h;
	struct ktgt_cmdq_node *node;

	lockdep_assert_held(&sess->lock);
	while ((node = ktgt_cmdq_pop_ready(&sess->cmdq, sess->sn.exp))) {
		h = container_of(node, struct ktgt_sess_held, node);
		h->stepped = node->sn != sess->sn.exp;
		if (!h->stepped)
			ktgt_cmdsn_take(&sess->sn);
		h->run = false;
		if (h->cmd) {
			h->cmd->task->held = false;
			h->run = h->cmd->task->parked && !h->stepped;
			h->cmd->task->parked = false;
		}
		h->next = NULL;
		*tail = h;
		tail = &h->next;
	}
	return first;
}

/*
 * Executes, in CmdSN order, the held tasks whose turn has come. Process
 * context, no lock held: the receive path, after each request.
 */
void ktgt_sess_deliver(struct ktgt_session *sess)
{
	struct ktgt_sess_held *h, *next;
	struct ktgt_cmd *cmd;
	unsigned long flags;

	if (!sess || !READ_ONCE(sess->cmdq.count))
		return;
	spin_lock_irqsave(&sess->lock, flags);
	h = ktgt_sess_pop_ready(sess);
	spin_unlock_irqrestore(&sess->lock, flags);
	for (; h; h = next) {
		next = h->next;
		cmd = h->cmd;
		if (!cmd) {
			kfree(h);
			continue;
		}
		if (h->stepped)
			pr_debug("ITT %#x: CmdSN %u was declared lost, not run\n",
				 cmd->itt, cmd->cmdsn);
		if (h->run)
			ktgt_task_deliver(cmd);
		else if (h->stepped)
			ktgt_cmd_untrack(cmd);
		ktgt_cmd_put(cmd);	/* the queue's reference */
	}
}

/* The session's last connection is gone: nothing will fill the gaps. */
void ktgt_sess_cmdq_flush(struct ktgt_session *sess)
{
	struct ktgt_sess_held *first = NULL, *h, *next;
	struct ktgt_cmdq_node *node;
	unsigned long flags;

	spin_lock_irqsave(&sess->lock, flags);
	while (sess->cmdq_slots && (node = ktgt_cmdq_flush(&sess->cmdq))) {
		h = container_of(node, struct ktgt_sess_held, node);
		if (h->cmd)
			h->cmd->task->held = false;
		h->next = first;
		first = h;
	}
	spin_unlock_irqrestore(&sess->lock, flags);
	for (h = first; h; h = next) {
		next = h->next;
		if (h->cmd)
			ktgt_cmd_put(h->cmd);
		else
			kfree(h);
	}
}
