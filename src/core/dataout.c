// SPDX-License-Identifier: GPL-2.0
/*
 * The Data-Out time-out: a write whose data stops coming must not hold
 * its buffer, its CmdSN slot and its LUN for ever. When a task has
 * waited tpg attrib dataout_timeout seconds without a Data-Out for it
 * (progress counts: the transport's look-up of the command for each
 * Data-Out, ktgt_conn_find_cmd(), restarts the clock), the connection is
 * dropped, which RFC 7143 allows at ERL 0 (7.1.4.1: the target may end a
 * connection on a time-out). At ERL 1 and above the transport is asked
 * for what is missing instead (recover_data; TCP sends a recovery R2T,
 * RFC 7143 7.1.4.1, 7.8), up to KTGT_DATAOUT_RECOVERIES times per task:
 * a peer that answers none of them still loses the connection, so it
 * cannot hold the task's buffer for ever.
 *
 * One delayed work per connection scans its tasks; it is armed when a
 * write starts waiting for data and re-arms itself while one still is.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/jiffies.h>
#include <linux/workqueue.h>

#include "session.h"

#define KTGT_DATAOUT_RECOVERIES	3

/* ERL >= 1: true if the transport asked @cmd's missing data again. */
static bool ktgt_dataout_recover(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	struct ktgt_task *t = cmd->task;

	if (!conn->params.erl || !conn->transport->recover_data ||
	    t->dataout_recoveries >= KTGT_DATAOUT_RECOVERIES)
		return false;
	if (conn->transport->recover_data(conn, cmd))
		return false;
	t->dataout_recoveries++;
	WRITE_ONCE(t->data_seen, jiffies);
	return true;
}

static void ktgt_dataout_work(struct work_struct *work)
{
	struct ktgt_conn *conn = container_of(to_delayed_work(work),
					      struct ktgt_conn, dataout_work);
	unsigned long timeout = READ_ONCE(conn->dataout_timeout) * HZ;
	unsigned long now = jiffies, next = 0, due;
	struct ktgt_cmd *cmd, *stalled = NULL;
	bool waiting = false;
	u32 itt = 0;

	spin_lock_irq(&conn->lock);
	list_for_each_entry(cmd, &conn->cmds, conn_node) {
		if (!cmd->task || !READ_ONCE(cmd->task->want_data) ||
		    cmd->task->aborted)
			continue;
		due = READ_ONCE(cmd->task->data_seen) + timeout;
		if (time_after_eq(now, due)) {
			stalled = cmd;
			ktgt_cmd_get(cmd);
			itt = cmd->itt;
			break;
		}
		if (!waiting || time_before(due, next))
			next = due;
		waiting = true;
	}
	spin_unlock_irq(&conn->lock);

	if (stalled) {
		if (ktgt_dataout_recover(conn, stalled)) {
			pr_info("%pISpc: no Data-Out for ITT %#x in %u s, asked again\n",
				&conn->peer, itt, conn->dataout_timeout);
			ktgt_cmd_put(stalled);
			/* Others may be stalled too: scan again now. */
			queue_delayed_work(ktgt_exec_wq, &conn->dataout_work, 0);
			return;
		}
		ktgt_cmd_put(stalled);
		pr_warn("%pISpc: no Data-Out for ITT %#x in %u s, dropping the connection\n",
			&conn->peer, itt, conn->dataout_timeout);
		ktgt_conn_drop_announced(conn);
		return;
	}
	if (waiting)
		queue_delayed_work(ktgt_exec_wq, &conn->dataout_work,
				   next - now + 1);
}

void ktgt_dataout_init(struct ktgt_conn *conn)
{
	INIT_DELAYED_WORK(&conn->dataout_work, ktgt_dataout_work);
	conn->dataout_timeout = 20;
}

/* A write starts waiting for data: make sure the scan will run. */
void ktgt_dataout_arm(struct ktgt_conn *conn)
{
	if (READ_ONCE(conn->state) != KTGT_CONN_FULL_FEATURE)
		return;
	queue_delayed_work(ktgt_exec_wq, &conn->dataout_work,
			   READ_ONCE(conn->dataout_timeout) * HZ);
}
