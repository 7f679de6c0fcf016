// SPDX-License-Identifier: GPL-2.0
/*
 * Light PDUs: every PDU the core sends that is not a task's SCSI
 * Response (login, text, logout and TMF responses, Rejects, NOP-Ins,
 * Async Messages). A header, a data segment and the transport's sending
 * state, nothing of a task: 128 bytes of kmalloc on TCP and 512 on iSER
 * where a command without its task took 512 and 1024 (6.1, x86_64).
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>

#include <ktgt/transport.h>
#include "session.h"

struct ktgt_light_pdu *ktgt_light_alloc(struct ktgt_conn *conn, gfp_t gfp)
{
	struct ktgt_light_pdu *lp;

	lp = kzalloc(sizeof(*lp) + conn->transport->light_priv_size, gfp);
	if (!lp)
		return NULL;
	kref_init(&lp->kref);
	lp->conn = conn;
	return lp;
}

/*
 * Gives the PDU a data segment of @len bytes, a copy of @src if it is
 * not NULL. The caller bounds @len by the target's own limits.
 */
int ktgt_light_data(struct ktgt_light_pdu *lp, const void *src, u32 len)
{
	if (!len)
		return 0;
	lp->pdu.data = kvmalloc(len, GFP_KERNEL);
	if (!lp->pdu.data)
		return -ENOMEM;
	if (src)
		memcpy(lp->pdu.data, src, len);
	lp->pdu.data_kvfree = true;
	lp->pdu.data_len = len;
	return 0;
}

static void ktgt_light_release(struct kref *kref)
{
	struct ktgt_light_pdu *lp =
		container_of(kref, struct ktgt_light_pdu, kref);

	if (lp->pdu.data_kvfree)
		kvfree(lp->pdu.data);
	kfree(lp);
}

void ktgt_light_get(struct ktgt_light_pdu *lp)
{
	kref_get(&lp->kref);
}
EXPORT_SYMBOL_GPL(ktgt_light_get);

void ktgt_light_put(struct ktgt_light_pdu *lp)
{
	kref_put(&lp->kref, ktgt_light_release);
}
EXPORT_SYMBOL_GPL(ktgt_light_put);

/*
 * Queues @lp on its connection and drops the caller's reference, sent or
 * not: the transport holds its own while the PDU waits.
 */
int ktgt_light_send(struct ktgt_light_pdu *lp)
{
	struct ktgt_conn *conn = lp->conn;
	int ret = -ENOTCONN;

	/* Transports take their own connection lock in queue_light. */
	lockdep_assert_not_held(&conn->lock);
	if (READ_ONCE(conn->state) != KTGT_CONN_CLOSED)
		ret = conn->transport->queue_light(conn, lp);
	if (ret)
		pr_debug("send on %pISpc failed: %d\n", &conn->peer, ret);
	ktgt_light_put(lp);
	return ret;
}
