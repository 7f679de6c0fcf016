// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_iser: the iSER Hello exchange (RFC 7145 5.1.3). An iWARP initiator
 * may open the connection with an iSER Hello (the iSER versions it speaks
 * and its iSER-IRD) and wait for our HelloReply before its Login Request.
 *
 * Linux's ib_iser never sends a Hello: it puts the iSER CM header into
 * the connection request instead, on iWARP too (iser_conn.c takes it
 * there). So the codec (src/proto/iser.c) is proven by its unit test,
 * tests/unit/test_iser_hello.c, and this file only carries the bytes: it
 * runs in the CQ's work item like every receive, so the Hello state needs
 * no lock; the reply's send slot is taken under iconn->lock like any post.
 *
 * A Hello is valid only as the first message. A version we do not speak
 * gets a HelloReply with RejectFlag set; the initiator then closes, and
 * we close after a grace if it does not. A lower iSER-IRD than the RDMA
 * READ depth the CM gave the QP caps the READs tx_work lets out.
 */
#define pr_fmt(fmt) "ktgt_iser: " fmt

#include <ktgt/proto/iser.h>
#include "iser.h"

/* HelloReply send completion (CQ context). */
static void ktgt_iser_hello_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct ktgt_iser_conn *iconn = cq->cq_context;
	unsigned long flags;

	spin_lock_irqsave(&iconn->lock, flags);
	iconn->sq_avail++;
	ktgt_iser_kick_locked(iconn);
	spin_unlock_irqrestore(&iconn->lock, flags);
	ib_dma_unmap_single(iconn->dev, iconn->hello_dma,
			    KTGT_ISER_HELLOREPLY_LEN, DMA_TO_DEVICE);
	if (wc->status != IB_WC_SUCCESS) {
		if (wc->status != IB_WC_WR_FLUSH_ERR)
			ktgt_iser_fail(iconn, "HelloReply send failed",
				       wc->status);
	} else if (iconn->hello_rejected) {
		ktgt_iser_close_later(iconn);
	}
}

static int ktgt_iser_post_helloreply(struct ktgt_iser_conn *iconn)
{
	struct ib_send_wr *wr = &iconn->hello_wr;
	u64 dma;
	int ret;

	dma = ib_dma_map_single(iconn->dev, iconn->hello_rsp,
				KTGT_ISER_HELLOREPLY_LEN, DMA_TO_DEVICE);
	if (ib_dma_mapping_error(iconn->dev, dma))
		return -ENOMEM;
	iconn->hello_dma = dma;
	iconn->hello_sge.addr = dma;
	iconn->hello_sge.length = KTGT_ISER_HELLOREPLY_LEN;
	iconn->hello_sge.lkey = iconn->pd->local_dma_lkey;
	iconn->hello_cqe.done = ktgt_iser_hello_done;
	memset(wr, 0, sizeof(*wr));
	wr->wr_cqe = &iconn->hello_cqe;
	wr->sg_list = &iconn->hello_sge;
	wr->num_sge = 1;
	wr->opcode = IB_WR_SEND;
	wr->send_flags = IB_SEND_SIGNALED;

	/* The first message: nothing else can be queued or posted yet. */
	spin_lock_irq(&iconn->lock);
	if (iconn->closing || !iconn->sq_avail) {
		ret = -ENOTCONN;
	} else {
		iconn->sq_avail--;
		ret = ib_post_send(iconn->qp, wr, NULL);
		if (ret)
			iconn->sq_avail++;
	}
	spin_unlock_irq(&iconn->lock);
	if (ret)
		ib_dma_unmap_single(iconn->dev, dma, KTGT_ISER_HELLOREPLY_LEN,
				    DMA_TO_DEVICE);
	return ret;
}

/* A received message with the Hello opcode; CQ context. 0 or -errno. */
int ktgt_iser_rx_hello(struct ktgt_iser_conn *iconn, const u8 *buf, u32 len)
{
	struct ktgt_iser_hello_reply r;
	struct ktgt_iser_hello h;

	if (iconn->rx_seen) {
		pr_warn("%pISpc: iSER Hello after the first message\n",
			&iconn->conn.peer);
		return -EPROTO;
	}
	iconn->rx_seen = true;
	if (ktgt_iser_hello_decode(buf, len, &h)) {
		pr_warn("%pISpc: short iSER Hello (%u bytes)\n",
			&iconn->conn.peer, len);
		return -EPROTO;
	}
	ktgt_iser_hello_answer(&h, iconn->ord, &r);
	if (r.reject) {
		pr_warn("%pISpc: iSER Hello for versions %u..%u, we speak %u: rejected\n",
			&iconn->conn.peer, h.min_ver, h.max_ver,
			KTGT_ISER_VERSION);
		iconn->hello_rejected = true;
	} else if (r.ord < iconn->ord) {
		/* The QP's depth cannot change in RTS: count instead. */
		spin_lock_irq(&iconn->lock);
		iconn->max_reads = r.ord;
		spin_unlock_irq(&iconn->lock);
	}
	pr_debug("%pISpc: iSER Hello %u..%u IRD %u: version %u ORD %u%s\n",
		 &iconn->conn.peer, h.min_ver, h.max_ver, h.ird, r.cur_ver,
		 r.ord, r.reject ? " rejected" : "");
	ktgt_iser_helloreply_encode(&r, iconn->hello_rsp);
	return ktgt_iser_post_helloreply(iconn);
}
