// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_iser: connections. Set-up on the CM's connection request, teardown
 * through one work item, release when the core drops its last reference.
 *
 * Set-up: PD, CQ, QP (with rdma_rw contexts), receive buffers, then
 * ktgt_conn_init() and rdma_accept(). The core owns the connection from
 * the connection request on, not from ESTABLISHED: on IB the first Login
 * Request can complete on our receive queue before the CM reports
 * ESTABLISHED, and it must find the connection ready.
 *
 * Teardown: any error, the peer's disconnect, a PDU sent with close_conn,
 * or device removal calls ktgt_iser_fail(): no more posts, no receive
 * reaches the core, and teardown_work disconnects and reports the end
 * with ktgt_conn_closed(). Whoever started the close, the core's release
 * work then calls ktgt_iser_stop_conn(): disconnect (if not done), drain
 * the QP (every posted work request completes, so no completion handler
 * runs afterwards), cancel tx_work, drop what is queued and the commands
 * waiting for write data. The core drains its commands and drops its
 * last reference: ktgt_iser_release_conn() frees the CM id, QP, CQ,
 * buffers and PD, in that order.
 *
 * Memory before login: the receive ring (KTGT_ISER_NR_RX buffers of
 * KTGT_ISER_RX_SIZE, about 1.2 MiB in 64 KiB chunks, DMA-mapped), the QP,
 * the CQ and the connection itself, all taken on the connection request;
 * the core's pre-login caps bound how many such connections there are.
 */
#define pr_fmt(fmt) "ktgt_iser: " fmt

#include <linux/module.h>
#include <linux/slab.h>

#include <ktgt/transport.h>
#include "iser.h"

static atomic_t ktgt_iser_vector = ATOMIC_INIT(0);

static void ktgt_iser_qp_event(struct ib_event *ev, void *ctx)
{
	struct ktgt_iser_conn *iconn = ctx;

	pr_debug("%pISpc: QP event %s (%d)\n", &iconn->conn.peer,
		 ib_event_msg(ev->event), ev->event);
}

/*
 * Stops posting and queues the teardown after @delay; a later call with
 * no delay brings a waiting teardown forward. Any context.
 */
static bool ktgt_iser_close(struct ktgt_iser_conn *iconn, unsigned long delay)
{
	unsigned long flags;
	bool first;

	spin_lock_irqsave(&iconn->lock, flags);
	first = !iconn->closing;
	iconn->closing = true;
	if (!iconn->stopped && !iconn->teardown_started) {
		if (first)
			queue_delayed_work(ktgt_iser_wq, &iconn->teardown_work,
					   delay);
		else if (!delay)
			mod_delayed_work(ktgt_iser_wq, &iconn->teardown_work, 0);
	}
	spin_unlock_irqrestore(&iconn->lock, flags);
	return first;
}

/* Ends the connection now (error, peer's disconnect, failed login). */
void ktgt_iser_fail(struct ktgt_iser_conn *iconn, const char *why, int err)
{
	if (ktgt_iser_close(iconn, 0) && why)
		pr_info("connection %pISpc: %s (%d)\n", &iconn->conn.peer, why,
			err);
}

/*
 * The Logout Response is out: the initiator disconnects on its own once
 * it has it (ib_iser reports a connection error if we are first); close
 * ourselves only if it does not.
 */
void ktgt_iser_close_later(struct ktgt_iser_conn *iconn)
{
	ktgt_iser_close(iconn, KTGT_ISER_LOGOUT_GRACE);
}

/*
 * Lets go of the write commands still waiting for their data: they will
 * never get it. The core aborted them already (they had allegiance here)
 * or a TMF did; only our reference is left. After the drain: no
 * completion touches them any more.
 */
static void ktgt_iser_drop_waiting(struct ktgt_iser_conn *iconn)
{
	struct ktgt_iser_cmd *icmd, *next;
	LIST_HEAD(list);

	spin_lock_irq(&iconn->lock);
	/* Ours now: a concurrent abort_cmd must not take them too. */
	list_for_each_entry(icmd, &iconn->waiting, wait_node)
		icmd->waiting = false;
	list_splice_init(&iconn->waiting, &list);
	spin_unlock_irq(&iconn->lock);
	list_for_each_entry_safe(icmd, next, &list, wait_node) {
		struct ktgt_cmd *cmd = container_of((void *)icmd,
						    struct ktgt_cmd, priv);

		list_del_init(&icmd->wait_node);
		icmd->want_data = false;
		ktgt_cmd_put(cmd);
	}
}

static void ktgt_iser_teardown_work(struct work_struct *work)
{
	struct ktgt_iser_conn *iconn =
		container_of(to_delayed_work(work), struct ktgt_iser_conn,
			     teardown_work);

	spin_lock_irq(&iconn->lock);
	iconn->teardown_started = true;
	spin_unlock_irq(&iconn->lock);
	/* The initiator learns at once; the drain is stop_conn's. */
	rdma_disconnect(iconn->cm_id);
	iconn->disconnected = true;
	ktgt_conn_closed(&iconn->conn);
}

int ktgt_iser_conn_cm_handler(struct rdma_cm_id *id, struct rdma_cm_event *ev)
{
	struct ktgt_iser_conn *iconn = id->context;

	switch (ev->event) {
	case RDMA_CM_EVENT_ESTABLISHED:
		pr_debug("connection from %pISpc established\n",
			 &iconn->conn.peer);
		break;
	case RDMA_CM_EVENT_DISCONNECTED:
	case RDMA_CM_EVENT_TIMEWAIT_EXIT:
		ktgt_iser_fail(iconn, NULL, 0);
		break;
	case RDMA_CM_EVENT_DEVICE_REMOVAL:
	case RDMA_CM_EVENT_ADDR_CHANGE:
	case RDMA_CM_EVENT_CONNECT_ERROR:
	case RDMA_CM_EVENT_UNREACHABLE:
	case RDMA_CM_EVENT_REJECTED:
		/*
		 * Device removal waits until our release destroys the id,
		 * which follows the core's drain: no need to return 1.
		 */
		ktgt_iser_fail(iconn, rdma_event_msg(ev->event), ev->status);
		break;
	default:
		pr_debug("%pISpc: %s\n", &iconn->conn.peer,
			 rdma_event_msg(ev->event));
		break;
	}
	return 0;
}

static int ktgt_iser_create_qp(struct ktgt_iser_conn *iconn)
{
	struct ib_device *dev = iconn->dev;
	struct ib_qp_init_attr attr = { };
	int cqe, ret, vec;

	iconn->pd = ib_alloc_pd(dev, 0);
	if (IS_ERR(iconn->pd)) {
		ret = PTR_ERR(iconn->pd);
		iconn->pd = NULL;
		return ret;
	}

	/* Signalled sends and READs, receives, and the two drain entries. */
	cqe = KTGT_ISER_SQ_SIZE + KTGT_ISER_NR_RX + 2;
	cqe = min(cqe, dev->attrs.max_cqe);
	vec = atomic_inc_return(&ktgt_iser_vector) %
	      max(dev->num_comp_vectors, 1);
	iconn->cq = ib_alloc_cq(dev, iconn, cqe, vec, IB_POLL_WORKQUEUE);
	if (IS_ERR(iconn->cq)) {
		ret = PTR_ERR(iconn->cq);
		iconn->cq = NULL;
		return ret;
	}

	attr.event_handler = ktgt_iser_qp_event;
	attr.qp_context = iconn;
	attr.send_cq = iconn->cq;
	attr.recv_cq = iconn->cq;
	attr.sq_sig_type = IB_SIGNAL_REQ_WR;
	attr.qp_type = IB_QPT_RC;
	attr.port_num = iconn->port_num;
	attr.cap.max_send_wr = min(KTGT_ISER_SQ_SIZE + 1,
				   dev->attrs.max_qp_wr);
	attr.cap.max_recv_wr = min(KTGT_ISER_NR_RX + 1, dev->attrs.max_qp_wr);
	/* rdma_rw takes as many SGEs per WRITE/READ as the QP has. */
	attr.cap.max_send_sge = max(2, min(dev->attrs.max_send_sge, 32));
	attr.cap.max_recv_sge = 1;
	attr.cap.max_rdma_ctxs = KTGT_ISER_MAX_CMDS;
	ret = rdma_create_qp(iconn->cm_id, iconn->pd, &attr);
	if (ret)
		return ret;
	iconn->qp = iconn->cm_id->qp;
	/* One slot stays free for ib_drain_qp(). */
	iconn->sq_size = attr.cap.max_send_wr - 1;
	iconn->sq_avail = iconn->sq_size;
	iconn->nr_rx = min_t(u32, KTGT_ISER_NR_RX, attr.cap.max_recv_wr - 1);
	return 0;
}

/* Undoes ktgt_iser_create_qp() and the buffers; the id lives on. */
static void ktgt_iser_free_res(struct ktgt_iser_conn *iconn, bool cm_qp)
{
	if (iconn->qp) {
		if (cm_qp)
			rdma_destroy_qp(iconn->cm_id);
		else
			ib_destroy_qp(iconn->qp);
		iconn->qp = NULL;
	}
	if (iconn->cq)
		ib_free_cq(iconn->cq);
	ktgt_iser_rx_free(iconn);
	if (iconn->pd)
		ib_dealloc_pd(iconn->pd);
}

/*
 * The connection request: @id is the new connection's id, in the CM's
 * handler (may sleep). Non-zero: the CM rejects and destroys @id.
 */
int ktgt_iser_connect(struct ktgt_iser_listener *l, struct rdma_cm_id *id,
		      struct rdma_cm_event *ev)
{
	const struct rdma_conn_param *req = &ev->param.conn;
	struct rdma_conn_param cp = { };
	struct iser_cm_hdr rsp_hdr = { };
	struct ktgt_iser_conn *iconn;
	u8 flags = 0;
	int ret;

	iconn = kzalloc(sizeof(*iconn), GFP_KERNEL);
	if (!iconn)
		return -ENOMEM;
	iconn->cm_id = id;
	iconn->dev = id->device;
	iconn->port_num = id->port_num;
	spin_lock_init(&iconn->lock);
	spin_lock_init(&iconn->stash_lock);
	INIT_LIST_HEAD(&iconn->tx_list);
	INIT_LIST_HEAD(&iconn->waiting);
	INIT_WORK(&iconn->tx_work, ktgt_iser_tx_work);
	INIT_DELAYED_WORK(&iconn->teardown_work, ktgt_iser_teardown_work);
	memcpy(&iconn->conn.local, &id->route.addr.src_addr,
	       sizeof(iconn->conn.local));
	memcpy(&iconn->conn.peer, &id->route.addr.dst_addr,
	       sizeof(iconn->conn.peer));

	/*
	 * RFC 7145 5.1.3 / the iSER CM private data: the initiator says
	 * whether it can take zero-based VAs and Send with Invalidate.
	 * We never use ZBVA; we invalidate remotely if both sides can.
	 */
	if (req->private_data && req->private_data_len >= sizeof(rsp_hdr))
		flags = ((const struct iser_cm_hdr *)req->private_data)->flags;
	iconn->snd_w_inv = req->private_data_len >= sizeof(rsp_hdr) &&
			   !(flags & ISER_SEND_W_INV_NOT_SUP) &&
			   (iconn->dev->attrs.device_cap_flags &
			    IB_DEVICE_MEM_MGT_EXTENSIONS);

	ret = ktgt_iser_create_qp(iconn);
	if (ret) {
		pr_warn("%pISpc: cannot create the queue pair: %d\n",
			&iconn->conn.peer, ret);
		goto out_res;
	}
	ret = ktgt_iser_rx_alloc(iconn);
	if (ret)
		goto out_res;

	/*
	 * From here the core owns the connection's lifetime, unless a cap on
	 * connections in login refuses it: then reject the request and free
	 * what we took. The portal pins our module while its listener calls
	 * us; the connection pins it from here on.
	 */
	ret = ktgt_conn_init(&iconn->conn, l->np->transport, l->np);
	if (ret) {
		rdma_reject(id, NULL, 0, IB_CM_REJ_CONSUMER_DEFINED);
		goto out_res;
	}
	id->context = iconn;
	id->event_handler = ktgt_iser_conn_cm_handler;

	ret = ktgt_iser_rx_post_all(iconn);
	if (ret)
		goto out_reject;

	cp.initiator_depth = min_t(u32, req->initiator_depth,
				   iconn->dev->attrs.max_qp_init_rd_atom);
	iconn->ord = cp.initiator_depth;	/* an iSER Hello may lower it */
	iconn->max_reads = U32_MAX;		/* the QP's depth limits */
	cp.responder_resources = 0;
	cp.retry_count = 7;
	cp.rnr_retry_count = 7;		/* retry for ever: receives re-post */
	rsp_hdr.flags = ISERT_ZBVA_NOT_USED;
	if (!iconn->snd_w_inv)
		rsp_hdr.flags |= ISERT_SEND_W_INV_NOT_USED;
	cp.private_data = &rsp_hdr;
	cp.private_data_len = sizeof(rsp_hdr);
	ret = rdma_accept(id, &cp);
	if (ret)
		goto out_reject;
	pr_debug("connection from %pISpc: RDMA READ depth %u, %s invalidation\n",
		 &iconn->conn.peer, cp.initiator_depth,
		 iconn->snd_w_inv ? "remote" : "local");
	return 0;

out_reject:
	pr_warn("%pISpc: cannot accept: %d\n", &iconn->conn.peer, ret);
	rdma_reject(id, NULL, 0, IB_CM_REJ_CONSUMER_DEFINED);
	ktgt_iser_fail(iconn, NULL, 0);
	return 0;

out_res:
	ktgt_iser_free_res(iconn, true);
	kfree(iconn);
	return ret;
}

/*
 * The core's release work, first step of its drain order; process
 * context, never a CM handler of this id nor our CQ: safe to wait for
 * both. Afterwards no completion handler runs (so nothing of the receive
 * path reaches the core), nothing is posted, tx_work is not queued again,
 * and queue_pdu, put_data and get_data refuse (iconn->closing).
 */
void ktgt_iser_stop_conn(struct ktgt_conn *conn)
{
	struct ktgt_iser_conn *iconn = ktgt_iser_conn(conn);

	spin_lock_irq(&iconn->lock);
	iconn->stopped = true;		/* fail() queues no teardown now */
	iconn->closing = true;		/* nothing is posted any more */
	spin_unlock_irq(&iconn->lock);
	cancel_delayed_work_sync(&iconn->teardown_work);
	/* Queued only under iconn->lock while not closing: the last run. */
	cancel_work_sync(&iconn->tx_work);
	if (!iconn->disconnected) {
		/* The core closed the connection on its own. */
		rdma_disconnect(iconn->cm_id);
		iconn->disconnected = true;
	}
	/* Every posted work request has completed, flushed or not. */
	ib_drain_qp(iconn->qp);
	ktgt_iser_tx_drop_all(iconn);
	ktgt_iser_drop_waiting(iconn);
	pr_debug("connection %pISpc stopped\n", &conn->peer);
}

/*
 * The core's last reference is gone: free. From a core work item, after
 * ktgt_iser_stop_conn().
 */
void ktgt_iser_release_conn(struct ktgt_conn *conn)
{
	struct ktgt_iser_conn *iconn = ktgt_iser_conn(conn);

	/* No CM event after this; the QP goes after its id, as nvmet does. */
	rdma_destroy_id(iconn->cm_id);
	ktgt_iser_free_res(iconn, false);
	pr_debug("connection %pISpc released\n", &conn->peer);
	kfree(iconn);
}
