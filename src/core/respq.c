// SPDX-License-Identifier: GPL-2.0
/*
 * The response queue of a connection: what it keeps of each response
 * that advanced StatSN until ExpStatSN acknowledges it (RFC 7143 4.2.2.2;
 * issue 9's Status SNACK sends them again from here).
 *
 * An entry is a copy, never the command: the 48-byte header as stamped
 * (StatSN, ExpCmdSN, MaxCmdSN in place) and at most KTGT_RESPQ_DATA_MAX
 * bytes of its data segment (sense, a Reject's header, a short Text or
 * NOP-In answer), so a retained response pins no data buffer, LUN or
 * session. The copy's DataSegmentLength is the length of the data kept
 * with it when the whole segment fits (what a resend from the copy
 * would carry), else 0 with @truncated set.
 *
 * Entries are allocated (GFP_ATOMIC: the transports stamp in softirq or
 * under their own spinlock) when the transport stamps the header,
 * ktgt_conn_stamp_pdu(), before it goes to the wire, so an
 * acknowledgment can never arrive before its entry. The ring of entries
 * is src/proto/statq.c, bounded by the TPG attribute status_retain_max:
 * when it is full the oldest unacknowledged entry goes (counted in
 * @dropped). At ERL 0 nothing reads the entries.
 *
 * The queue is allocated when login finds the TPG (process context) and
 * published with a release store; it is freed in step 5 of the drain
 * order (conn.c), after the connection has left its session (the
 * debugfs walk reads it under sess->lock) and after stop_conn (no stamp
 * and no receive path runs any more).
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/slab.h>
#include <linux/seq_file.h>
#include <linux/debugfs.h>

#include <ktgt/proto/snack.h>
#include <ktgt/proto/statq.h>
#include "session.h"

struct ktgt_respq_entry {
	struct list_head node;		/* on a local list while freed */
	struct ktgt_cmd *read;		/* ERL > 0: the read (ERL 2: any
					 * task, erl2.c) whose status
					 * this is, referenced: its Data-In
					 * may be asked for again
					 */
	u16 data_len;			/* bytes in @data */
	u16 size;			/* allocated, slab rounding in */
	bool truncated;			/* the segment was larger: not kept */
	u8 bhs[KTGT_BHS_LEN];
	u8 data[];
};

/*
 * Retained responses of one connection. @lock protects @q (its slots and
 * counters), @bytes, @dropped and @retained; a leaf lock, irq-safe
 * (stamps take it under the transports' locks, in softirq for iSER).
 */
struct ktgt_respq {
	spinlock_t lock;		/* see the kernel-doc above */
	struct ktgt_statq q;
	u64 bytes;			/* allocated for retained entries */
	u64 dropped;			/* evicted unacknowledged, or not
					 * retained (no memory, order)
					 */
	u64 retained;			/* entries ever retained */
	struct ktgt_statq_slot slots[];
};

static void ktgt_respq_free_entry(struct ktgt_respq_entry *e)
{
	if (e->read)
		ktgt_cmd_put(e->read);
	kfree(e);
}

static void ktgt_respq_free_list(struct list_head *list)
{
	struct ktgt_respq_entry *e, *next;

	list_for_each_entry_safe(e, next, list, node)
		ktgt_respq_free_entry(e);
}

/* Takes @e off the books; @rq->lock held. */
static void ktgt_respq_unaccount(struct ktgt_respq *rq,
				 struct ktgt_respq_entry *e,
				 struct list_head *to_free)
{
	lockdep_assert_held(&rq->lock);
	rq->bytes -= e->size;
	list_add_tail(&e->node, to_free);
}

int ktgt_respq_setup(struct ktgt_conn *conn, u32 max)
{
	struct ktgt_respq *rq;

	if (conn->respq || !max)
		return 0;
	rq = kvzalloc(struct_size(rq, slots, max), GFP_KERNEL);
	if (!rq)
		return -ENOMEM;
	spin_lock_init(&rq->lock);
	ktgt_statq_init(&rq->q, rq->slots, max);
	/* Stamps and acks read it without conn->lock: fully built first. */
	smp_store_release(&conn->respq, rq);
	return 0;
}

void ktgt_respq_free(struct ktgt_conn *conn)
{
	struct ktgt_respq *rq = conn->respq;
	struct ktgt_respq_entry *e;

	if (!rq)
		return;
	conn->respq = NULL;
	while ((e = ktgt_statq_pop(&rq->q)))
		ktgt_respq_free_entry(e);
	kvfree(rq);
}

/*
 * A read whose status went out in its last Data-In stays until the
 * status is acknowledged (Data SNACK, RFC 7143 11.16.1), holding its
 * buffer and data budget; its task is over, so it gives its CmdSN slot
 * back now: unacknowledged reads must not close the command window.
 */
static void ktgt_respq_keep_read(struct ktgt_respq_entry *e,
				 struct ktgt_cmd *read)
{
	struct ktgt_task *t = read->task;

	ktgt_cmd_get(read);
	e->read = read;
	if (t && t->sess && t->counted) {
		ktgt_sess_task_done(t->sess, true, 0);
		t->counted = false;
	}
}

/*
 * Keeps a copy of the response header @bhs, just stamped with StatSN
 * @sn, and up to KTGT_RESPQ_DATA_MAX bytes of its data @data, and @read
 * (ERL > 0, ktgt_conn_stamp_read_status()). Any context.
 */
void ktgt_respq_retain(struct ktgt_conn *conn, u32 sn, const u8 *bhs,
		       const void *data, u32 data_len, struct ktgt_cmd *read)
{
	/* Pairs with the release in ktgt_respq_setup(). */
	struct ktgt_respq *rq = smp_load_acquire(&conn->respq);
	struct ktgt_respq_entry *e;
	bool fits = data_len <= KTGT_RESPQ_DATA_MAX;
	u32 keep = fits && data ? data_len : 0;
	unsigned long flags;
	size_t size;
	void *evicted;
	LIST_HEAD(to_free);

	if (!rq)
		return;
	size = kmalloc_size_roundup(struct_size(e, data, keep));
	e = kmalloc(size, GFP_ATOMIC | __GFP_NOWARN);
	if (e) {
		e->read = NULL;
		if (read)
			ktgt_respq_keep_read(e, read);
		e->size = size;
		memcpy(e->bhs, bhs, KTGT_BHS_LEN);
		e->data_len = keep;
		e->truncated = !fits;
		if (keep)
			memcpy(e->data, data, keep);
		put_unaligned_be24(keep, e->bhs + 5);
	}

	spin_lock_irqsave(&rq->lock, flags);
	if (!e) {
		rq->dropped++;
	} else if (ktgt_statq_push(&rq->q, sn, e, &evicted)) {
		/* Out of order: the transport broke its contract. */
		WARN_ON_ONCE(1);
		rq->dropped++;
		list_add_tail(&e->node, &to_free);
	} else {
		rq->retained++;
		rq->bytes += e->size;
		if (evicted) {
			rq->dropped++;
			ktgt_respq_unaccount(rq, evicted, &to_free);
		}
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	ktgt_respq_free_list(&to_free);
}

/* ExpStatSN @exp: frees every entry before it. Any context. */
void ktgt_respq_ack(struct ktgt_conn *conn, u32 exp)
{
	/* Pairs with the release in ktgt_respq_setup(). */
	struct ktgt_respq *rq = smp_load_acquire(&conn->respq);
	struct ktgt_respq_entry *e;
	unsigned long flags;
	LIST_HEAD(to_free);

	if (!rq)
		return;
	spin_lock_irqsave(&rq->lock, flags);
	while ((e = ktgt_statq_ack(&rq->q, exp)))
		ktgt_respq_unaccount(rq, e, &to_free);
	spin_unlock_irqrestore(&rq->lock, flags);
	ktgt_respq_free_list(&to_free);
}

/*
 * A Status SNACK's run on @conn (snack.c): the StatSNs [*@first, *@first
 * + *@count) that BegRun and RunLength name, each sent and not yet
 * acknowledged; errors as ktgt_snack_status() gives them.
 */
int ktgt_respq_snack(struct ktgt_conn *conn, u32 begrun, u32 runlength,
		     u32 *first, u32 *count)
{
	/* Pairs with the release in ktgt_respq_setup(). */
	struct ktgt_respq *rq = smp_load_acquire(&conn->respq);
	unsigned long flags;
	u32 exp, next;
	int ret;

	if (!rq)
		return -ENODATA;
	spin_lock_irqsave(&conn->lock, flags);
	exp = conn->exp_stat_sn;
	next = conn->stat_sn;
	spin_unlock_irqrestore(&conn->lock, flags);
	spin_lock_irqsave(&rq->lock, flags);
	ret = ktgt_snack_status(&rq->q, exp, next, begrun, runlength, first,
				count);
	spin_unlock_irqrestore(&rq->lock, flags);
	return ret;
}

/*
 * Copies the retained response StatSN @sn: its header as stamped into
 * @bhs, its data into @data (KTGT_RESPQ_DATA_MAX bytes of room). Returns
 * the data's length, or -ENODATA when it is gone (acknowledged or
 * evicted since the run was computed) or its data was not kept.
 */
int ktgt_respq_copy(struct ktgt_conn *conn, u32 sn, u8 *bhs, void *data)
{
	/* Pairs with the release in ktgt_respq_setup(). */
	struct ktgt_respq *rq = smp_load_acquire(&conn->respq);
	struct ktgt_respq_entry *e;
	unsigned long flags;
	int ret = -ENODATA;

	if (!rq)
		return ret;
	spin_lock_irqsave(&rq->lock, flags);
	e = ktgt_snack_status_find(&rq->q, sn);
	if (e && !e->truncated) {
		memcpy(bhs, e->bhs, KTGT_BHS_LEN);
		memcpy(data, e->data, e->data_len);
		ret = e->data_len;
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	return ret;
}

/*
 * The task kept with a retained status (ktgt_respq_keep_read()) whose
 * ITT, or with @by_ttt whose TTT (cmd->ttt), is @tag, and that is a read
 * if @reads: with @take taken out of its entry (the entry stays: its
 * StatSN belongs to this connection) with the entry's reference, else
 * referenced anew; NULL if none. A scan of the queue.
 */
static struct ktgt_cmd *ktgt_respq_lookup(struct ktgt_conn *conn,
					  bool by_ttt, u32 tag, bool reads,
					  bool take)
{
	/* Pairs with the release in ktgt_respq_setup(). */
	struct ktgt_respq *rq = smp_load_acquire(&conn->respq);
	struct ktgt_respq_entry *e;
	struct ktgt_cmd *found = NULL;
	unsigned long flags;
	u32 i;

	if (!rq)
		return NULL;
	spin_lock_irqsave(&rq->lock, flags);
	for (i = 0; i < rq->q.count && !found; i++) {
		e = rq->q.slots[(rq->q.head + i) % rq->q.cap].obj;
		if (!e->read || (reads && e->read->dir != KTGT_DIR_READ) ||
		    (by_ttt ? e->read->ttt : e->read->itt) != tag)
			continue;
		found = e->read;
		if (take)
			e->read = NULL;
		else
			ktgt_cmd_get(found);
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	return found;
}

/* Whether a retained status still keeps its task (erl2.c). */
bool ktgt_respq_keeps_tasks(struct ktgt_conn *conn)
{
	/* Pairs with the release in ktgt_respq_setup(). */
	struct ktgt_respq *rq = smp_load_acquire(&conn->respq);
	struct ktgt_respq_entry *e;
	unsigned long flags;
	bool found = false;
	u32 i;

	if (!rq)
		return false;
	spin_lock_irqsave(&rq->lock, flags);
	for (i = 0; i < rq->q.count && !found; i++) {
		e = rq->q.slots[(rq->q.head + i) % rq->q.cap].obj;
		found = e->read;
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	return found;
}

/* Data SNACK and DataACK: a read by its ITT or TTT, referenced. */
struct ktgt_cmd *ktgt_respq_find_read(struct ktgt_conn *conn, bool by_ttt,
				      u32 tag)
{
	return ktgt_respq_lookup(conn, by_ttt, tag, true, false);
}

/* TASK REASSIGN (erl2.c): any task by its ITT, taken out. */
struct ktgt_cmd *ktgt_respq_take(struct ktgt_conn *conn, u32 itt)
{
	return ktgt_respq_lookup(conn, false, itt, false, true);
}

/* One line for @conn of session @sess (sess->lock held). */
static void ktgt_respq_show_conn(struct seq_file *m,
				 struct ktgt_session *sess,
				 struct ktgt_conn *conn)
{
	struct ktgt_respq *rq = conn->respq;
	unsigned long flags;
	u32 count = 0, cap = 0;
	u64 bytes = 0, dropped = 0, retained = 0;

	lockdep_assert_held(&sess->lock);
	if (rq) {
		spin_lock_irqsave(&rq->lock, flags);
		count = ktgt_statq_count(&rq->q);
		cap = rq->q.cap;
		bytes = rq->bytes;
		dropped = rq->dropped;
		retained = rq->retained;
		spin_unlock_irqrestore(&rq->lock, flags);
	}
	seq_printf(m, "%s isid %6phN tsih %u cid %u retained %u max %u bytes %llu dropped %llu total %llu\n",
		   sess->initiator, sess->isid, sess->tsih, conn->cid, count,
		   cap, bytes, dropped, retained);
}

static void ktgt_respq_show_sess(struct ktgt_session *sess, void *arg)
{
	struct ktgt_conn *conn;

	spin_lock_irq(&sess->lock);
	list_for_each_entry(conn, &sess->conns, sess_node)
		ktgt_respq_show_conn(arg, sess, conn);
	spin_unlock_irq(&sess->lock);
}

static int ktgt_respq_show(struct seq_file *m, void *v)
{
	ktgt_sess_walk(ktgt_respq_show_sess, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ktgt_respq);

static struct dentry *ktgt_debugfs_dir;

void ktgt_respq_debugfs_init(void)
{
	ktgt_debugfs_dir = debugfs_create_dir("ktgt", NULL);
	debugfs_create_file("respq", 0444, ktgt_debugfs_dir, NULL,
			    &ktgt_respq_fops);
}

void ktgt_respq_debugfs_exit(void)
{
	debugfs_remove_recursive(ktgt_debugfs_dir);
}
