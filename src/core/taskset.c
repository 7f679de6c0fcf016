// SPDX-License-Identifier: GPL-2.0
/*
 * Task attributes (SAM-5 8.6 and 8.7; the ATTR field of the SCSI Command,
 * RFC 7143 11.3.1): when a task may start executing relative to the
 * older tasks of its task set.
 *
 * A task set is one I_T nexus and LU: the tasks of one session to one
 * mapped LUN (struct ktgt_sess_lun), which the Control mode page reports
 * as TST 001b. "Older" is CmdSN order, the order in which the initiator
 * issued them (RFC 7143 3.2.2.1), whatever connection brought them and
 * whenever their data arrives:
 *  - a SIMPLE (and an untagged or ACA) task may start once no ORDERED
 *    task older than it is left in the set;
 *  - an ORDERED task once no older task of any kind is left;
 *  - a HEAD OF QUEUE task at once (it never enters the set), and so does
 *    an immediate command (it has no place in CmdSN order).
 * A task enters the set when its CmdSN is accepted (sequence.c, under
 * sess->lock: every older task of the session has entered by the time a
 * younger one leaves the CmdSN queue), is kept sorted by CmdSN, and
 * leaves it when it has executed (ktgt_task_complete()) or, if it never
 * executes (aborted, dropped with its connection, TASK SET FULL), when
 * the command is freed. A task whose turn came and whose data is ready
 * but that must wait is marked blocked; a leaving task starts every
 * blocked task that may now go, from a work item (it may leave from a
 * backstore completion in hard irq).
 *
 * Without an ORDERED task in the set the check costs nothing (a SIMPLE
 * task reads a count). Everything here is under sess->lock.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/list.h>

#include <ktgt/proto/serial.h>
#include "session.h"

static bool ktgt_taskset_ordered(const struct ktgt_task *t)
{
	return t->attr == KTGT_ATTR_ORDERED;
}

/*
 * Task @cmd of @sess, its CmdSN accepted (in order or ahead): into the
 * set of its LUN, by CmdSN. sess->lock held.
 */
void ktgt_taskset_enter(struct ktgt_session *sess, struct ktgt_cmd *cmd,
			bool immediate)
{
	struct ktgt_task *t = cmd->task, *e;
	struct ktgt_sess_lun *sl;
	u64 lun;

	lockdep_assert_held(&sess->lock);
	if (immediate || t->attr == KTGT_ATTR_HEAD_OF_QUEUE ||
	    ktgt_lun_decode(cmd->lun, &lun) || lun >= KTGT_SESS_LUNS)
		return;
	sl = &sess->luns[lun];
	/* Nearly always the youngest: look from the tail. */
	list_for_each_entry_reverse(e, &sl->tset, tset_node)
		if (!ktgt_sn_lt(cmd->cmdsn, e->cmd->cmdsn))
			break;
	list_add(&t->tset_node, &e->tset_node);
	t->tset_sl = sl;
	if (ktgt_taskset_ordered(t))
		sl->tset_ordered++;
}

/* May @t start now? sess->lock held. */
static bool ktgt_taskset_turn(const struct ktgt_sess_lun *sl,
			      const struct ktgt_task *t)
{
	const struct ktgt_task *e;

	if (!ktgt_taskset_ordered(t) && !sl->tset_ordered)
		return true;
	list_for_each_entry(e, &sl->tset, tset_node) {
		if (e == t)
			return true;
		if (ktgt_taskset_ordered(t) || ktgt_taskset_ordered(e))
			return false;
	}
	return true;
}

/*
 * @cmd's turn in CmdSN order has come and its data is ready: true if it
 * may start now, false if it waits for an older task (which starts it
 * when it leaves).
 */
bool ktgt_taskset_may_start(struct ktgt_cmd *cmd)
{
	struct ktgt_task *t = cmd->task;
	struct ktgt_session *sess = t->sess;
	unsigned long flags;
	bool ok;

	/*
	 * Without the lock when no ORDERED task is in the set: older tasks
	 * entered under sess->lock, which ktgt_sess_park() just took.
	 */
	if (!t->tset_sl || (!ktgt_taskset_ordered(t) &&
			    !READ_ONCE(t->tset_sl->tset_ordered)))
		return true;
	spin_lock_irqsave(&sess->lock, flags);
	ok = list_empty(&t->tset_node) || ktgt_taskset_turn(t->tset_sl, t);
	if (!ok) {
		t->blocked = true;
		t->tset_sl->tset_blocked++;
	}
	spin_unlock_irqrestore(&sess->lock, flags);
	if (!ok)
		pr_debug("ITT %#x (CmdSN %u): waits for an older task (%s)\n",
			 cmd->itt, cmd->cmdsn,
			 ktgt_taskset_ordered(t) ? "ORDERED" : "after ORDERED");
	return ok;
}

/*
 * @cmd leaves its task set: it executed, or never will. Starts the
 * blocked tasks whose turn this makes. Any context.
 */
void ktgt_taskset_leave(struct ktgt_cmd *cmd)
{
	struct ktgt_task *t = cmd->task, *e, *run = NULL;
	struct ktgt_sess_lun *sl = t->tset_sl;
	struct ktgt_session *sess = t->sess;
	unsigned long flags;

	if (!sl || !sess)
		return;
	spin_lock_irqsave(&sess->lock, flags);
	if (list_empty(&t->tset_node)) {
		spin_unlock_irqrestore(&sess->lock, flags);
		return;
	}
	list_del_init(&t->tset_node);
	if (ktgt_taskset_ordered(t))
		sl->tset_ordered--;
	if (t->blocked) {
		t->blocked = false;
		sl->tset_blocked--;
	}
	list_for_each_entry(e, &sl->tset, tset_node) {
		if (!sl->tset_blocked)
			break;
		if (!e->blocked || !ktgt_taskset_turn(sl, e))
			continue;
		e->blocked = false;
		sl->tset_blocked--;
		/* One being freed leaves the set itself, right after us. */
		if (!kref_get_unless_zero(&e->cmd->kref))
			continue;
		e->run_next = run;
		run = e;
	}
	spin_unlock_irqrestore(&sess->lock, flags);
	for (; run; run = e) {
		e = run->run_next;
		/* The reference goes with the work (ktgt_task_start_work). */
		queue_work(ktgt_exec_wq, &run->start_work);
	}
}
