// SPDX-License-Identifier: GPL-2.0
/*
 * Commands: allocation with the transport's private area, data buffers
 * (pages owned by the core), references and allegiance to a connection.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>

#include <ktgt/transport.h>
#include "session.h"
#include "config.h"

/*
 * One allocation: the command, the transport's area and the core's task
 * state. PDUs that are not a task's response are light (pdu_light.c).
 */
struct ktgt_cmd *ktgt_cmd_alloc_task(struct ktgt_conn *conn, gfp_t gfp)
{
	size_t priv = ALIGN(conn->transport->cmd_priv_size, sizeof(u64));
	struct ktgt_cmd *cmd;

	cmd = kzalloc(sizeof(*cmd) + priv + sizeof(struct ktgt_task), gfp);
	if (!cmd)
		return NULL;
	cmd->task = (void *)((u8 *)cmd->priv + priv);
	cmd->task->cmd = cmd;
	INIT_WORK(&cmd->task->work, ktgt_task_step_work);
	INIT_WORK(&cmd->task->start_work, ktgt_task_start_work);
	INIT_LIST_HEAD(&cmd->task->tset_node);
	kref_init(&cmd->kref);
	INIT_LIST_HEAD(&cmd->conn_node);
	cmd->conn = conn;
	cmd->itt = KTGT_RSVD_TAG;
	cmd->ttt = KTGT_RSVD_TAG;
	return cmd;
}

static void ktgt_cmd_release(struct kref *kref)
{
	struct ktgt_cmd *cmd = container_of(kref, struct ktgt_cmd, kref);

	WARN_ON_ONCE(!list_empty(&cmd->conn_node));
	if (cmd->sgl)
		sgl_free_n_order(cmd->sgl, cmd->nents, 0);
	if (cmd->task) {
		ktgt_taskset_leave(cmd);	/* if it never ran */
		/* A command that never ran (aborted, or its data never came). */
		if (cmd->task->lun)
			ktgt_lun_put(cmd->task->lun);
		kvfree(cmd->task->lin);
		kvfree(cmd->task->media);
		if (cmd->task->media_sgl)
			sgl_free_n_order(cmd->task->media_sgl,
					 cmd->task->media_nents, 0);
		/*
		 * Only now, with its response sent or dropped, does the task
		 * give back its CmdSN slot and data budget: a peer that does
		 * not read its responses cannot get more tasks started.
		 */
		if (cmd->task->sess) {
			ktgt_sess_task_done(cmd->task->sess,
					    cmd->task->counted,
					    cmd->task->budget);
			ktgt_sess_put(cmd->task->sess);
		}
	}
	if (cmd->rsp.data_kvfree)
		kvfree(cmd->rsp.data);
	kfree(cmd);
}

void ktgt_cmd_get(struct ktgt_cmd *cmd)
{
	kref_get(&cmd->kref);
}
EXPORT_SYMBOL_GPL(ktgt_cmd_get);

void ktgt_cmd_put(struct ktgt_cmd *cmd)
{
	kref_put(&cmd->kref, ktgt_cmd_release);
}
EXPORT_SYMBOL_GPL(ktgt_cmd_put);

/* Allocates @len bytes of pages for the data buffer. */
int ktgt_cmd_alloc_buf(struct ktgt_cmd *cmd, u32 len)
{
	if (!len)
		return 0;
	cmd->sgl = sgl_alloc(len, GFP_KERNEL, &cmd->nents);
	if (!cmd->sgl)
		return -ENOMEM;
	cmd->buf_len = len;
	return 0;
}

void ktgt_cmd_copy_to_buf(struct ktgt_cmd *cmd, u32 off, const void *src,
			  u32 len)
{
	if (off >= cmd->buf_len)
		return;
	len = min(len, cmd->buf_len - off);
	sg_pcopy_from_buffer(cmd->sgl, cmd->nents, src, len, off);
}

/*
 * Allegiance of a task: it is on its connection's list (teardown, TMF and
 * time-out scans) and in its session's task table by ITT (Data-Out
 * look-ups; ERL 2 will move a task to another connection by changing
 * cmd->conn while the table stays). The two hold one reference together.
 * Returns -EBUSY if the ITT is in use, -ENOTCONN once the connection is
 * closing, -ENOMEM.
 */
int ktgt_cmd_track(struct ktgt_cmd *cmd)
{
	struct ktgt_conn *conn = cmd->conn;
	struct xarray *tasks = &cmd->task->sess->tasks;
	unsigned long flags;
	bool ok;
	int ret;

	ret = xa_insert_irq(tasks, cmd->itt, cmd, GFP_KERNEL);
	if (ret)
		return ret;
	spin_lock_irqsave(&conn->lock, flags);
	ok = conn->state != KTGT_CONN_CLOSED;
	if (ok) {
		ktgt_cmd_get(cmd);
		list_add_tail(&cmd->conn_node, &conn->cmds);
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	if (!ok) {
		xa_erase_irq(tasks, cmd->itt);
		return -ENOTCONN;
	}
	return 0;
}

/* Off the session's table, then the allegiance reference goes. */
void ktgt_cmd_forget(struct ktgt_cmd *cmd)
{
	unsigned long flags;

	xa_lock_irqsave(&cmd->task->sess->tasks, flags);
	__xa_cmpxchg(&cmd->task->sess->tasks, cmd->itt, cmd, NULL, 0);
	xa_unlock_irqrestore(&cmd->task->sess->tasks, flags);
	ktgt_cmd_put(cmd);
}

void ktgt_cmd_untrack(struct ktgt_cmd *cmd)
{
	struct ktgt_conn *conn = cmd->conn;
	unsigned long flags;
	bool tracked;

	spin_lock_irqsave(&conn->lock, flags);
	tracked = !list_empty(&cmd->conn_node);
	if (tracked)
		list_del_init(&cmd->conn_node);
	spin_unlock_irqrestore(&conn->lock, flags);
	if (tracked)
		ktgt_cmd_forget(cmd);
}

/*
 * The task @itt of @sess with allegiance to @conn, referenced; NULL if
 * there is none. The table's entry goes before the allegiance reference
 * (ktgt_cmd_forget()), so a task found under the lock is still alive.
 */
struct ktgt_cmd *ktgt_sess_find_task(struct ktgt_session *sess,
				     struct ktgt_conn *conn, u32 itt)
{
	struct ktgt_cmd *cmd;
	unsigned long flags;

	xa_lock_irqsave(&sess->tasks, flags);
	cmd = xa_load(&sess->tasks, itt);
	if (cmd && cmd->conn == conn)
		ktgt_cmd_get(cmd);
	else
		cmd = NULL;
	xa_unlock_irqrestore(&sess->tasks, flags);
	return cmd;
}
