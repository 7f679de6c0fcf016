// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_iser: sending. Three kinds of post, all through one FIFO (tx_list)
 * so they leave in the order the core asked:
 *  - a PDU (queue_pdu): a SEND of the iSER header + BHS and the data
 *    segment, two SGEs, posted at once when nothing waits before it;
 *  - read data (put_data, then queue_pdu for the response): an RDMA WRITE
 *    of cmd->sgl to the initiator's read STag, chained before the response
 *    SEND in one post (RC ordering: the data is placed before the status
 *    arrives); only the SEND is signalled;
 *  - write data (get_data): an RDMA READ from the initiator's write STag.
 * rdma_rw_ctx_init() may sleep, so the last two are prepared in tx_work.
 * Send queue slots are counted (sq_avail): a post waits in the FIFO until
 * completions free enough of them. Posts happen under iconn->lock, which
 * orders them; a response gets its StatSN there, right before its post.
 */
#define pr_fmt(fmt) "ktgt_iser: " fmt

#include <linux/mm.h>
#include <asm/unaligned.h>
#include <linux/slab.h>
#include <linux/scatterlist.h>

#include <ktgt/core.h>
#include "iser.h"

static void ktgt_iser_send_done(struct ib_cq *cq, struct ib_wc *wc);

/*
 * Sets up the rdma_rw context for [@off, @off + @len) of cmd->sgl. The
 * buffer can be longer than the transfer (a read of whole blocks for a
 * shorter EDTL): its last entry is then shortened until the context is
 * destroyed. Returns the number of work requests, or -errno.
 */
static int ktgt_iser_rw_init(struct ktgt_iser_conn *iconn,
			     struct ktgt_cmd *cmd, u32 off, u32 len, u64 va,
			     u32 rkey, enum dma_data_direction dir)
{
	struct ktgt_iser_cmd *icmd = ktgt_iser_cmd(cmd);
	struct scatterlist *sg;
	u32 end = off + len, acc = 0, n = 0;
	unsigned int i;
	int ret;

	if (WARN_ON_ONCE(icmd->rw_active))
		return -EBUSY;
	icmd->rw_trim = NULL;
	for_each_sg(cmd->sgl, sg, cmd->nents, i) {
		if (acc + sg->length >= end) {
			n = i + 1;
			if (acc + sg->length > end) {
				icmd->rw_trim = sg;
				icmd->rw_trim_len = sg->length;
				sg->length = end - acc;
			}
			break;
		}
		acc += sg->length;
	}
	if (!n)
		return -EINVAL;
	ret = rdma_rw_ctx_init(&icmd->rw, iconn->qp, iconn->port_num,
			       cmd->sgl, n, off, va, rkey, dir);
	if (ret < 0) {
		if (icmd->rw_trim)
			icmd->rw_trim->length = icmd->rw_trim_len;
		icmd->rw_trim = NULL;
		return ret;
	}
	icmd->rw_active = true;
	icmd->rw_nents = n;
	icmd->rw_dir = dir;
	return ret;
}

void ktgt_iser_rw_destroy(struct ktgt_iser_conn *iconn, struct ktgt_cmd *cmd)
{
	struct ktgt_iser_cmd *icmd = ktgt_iser_cmd(cmd);

	if (!icmd->rw_active)
		return;
	rdma_rw_ctx_destroy(&icmd->rw, iconn->qp, iconn->port_num, cmd->sgl,
			    icmd->rw_nents, icmd->rw_dir);
	if (icmd->rw_trim)
		icmd->rw_trim->length = icmd->rw_trim_len;
	icmd->rw_trim = NULL;
	icmd->rw_active = false;
}

/* The PDU a SEND item carries: a task's response or a light PDU. */
static const struct ktgt_pdu_out *ktgt_iser_tx_pdu(const struct ktgt_iser_tx *tx)
{
	return tx->light ? &tx->light->pdu : &tx->cmd->rsp;
}

/* The Send state around a SEND item (the tx is its first member). */
static struct ktgt_iser_send *ktgt_iser_tx_send(struct ktgt_iser_tx *tx)
{
	return container_of(tx, struct ktgt_iser_send, tx);
}

/* Drops the reference @tx holds on its owner. */
void ktgt_iser_tx_put(struct ktgt_iser_tx *tx)
{
	if (tx->light)
		ktgt_light_put(tx->light);
	else
		ktgt_cmd_put(tx->cmd);
}

/* Unmaps a SEND; any context. */
static void ktgt_iser_send_unmap(struct ktgt_iser_conn *iconn,
				 struct ktgt_iser_send *snd)
{
	if (snd->hdr_dma) {
		ib_dma_unmap_single(iconn->dev, snd->hdr_dma,
				    KTGT_ISER_HDRS_LEN, DMA_TO_DEVICE);
		snd->hdr_dma = 0;
	}
	if (snd->data_dma) {
		ib_dma_unmap_single(iconn->dev, snd->data_dma, snd->data_len,
				    DMA_TO_DEVICE);
		snd->data_dma = 0;
	}
	kfree(snd->bounce);
	snd->bounce = NULL;
}

/* Undoes a prepared post that will not complete; process context. */
static void ktgt_iser_tx_unprepare(struct ktgt_iser_conn *iconn,
				   struct ktgt_iser_tx *tx)
{
	if (tx->kind == KTGT_ISER_TX_SEND)
		ktgt_iser_send_unmap(iconn, ktgt_iser_tx_send(tx));
	if (tx->cmd)
		ktgt_iser_rw_destroy(iconn, tx->cmd);
	tx->prepared = false;
}

/*
 * Maps the header and data segment of the PDU; any context. @cmd is the
 * task whose response it is, or NULL for a light PDU.
 */
static int ktgt_iser_send_map(struct ktgt_iser_conn *iconn,
			      struct ktgt_iser_send *snd,
			      const struct ktgt_pdu_out *pdu,
			      struct ktgt_cmd *cmd)
{
	struct ib_device *dev = iconn->dev;
	struct ib_send_wr *wr = &snd->wr;
	u32 lkey = iconn->pd->local_dma_lkey;
	void *data = pdu->data;
	u64 dma;

	memset(wr, 0, sizeof(*wr));
	wr->wr_cqe = &snd->tx.cqe;
	wr->sg_list = snd->sge;
	wr->num_sge = 1;
	wr->opcode = IB_WR_SEND;
	wr->send_flags = IB_SEND_SIGNALED;
	snd->tx.cqe.done = ktgt_iser_send_done;

	/*
	 * Remote invalidation of the STag the initiator registered for the
	 * command, if it takes it (CM private data). A command with both
	 * STags cannot have both invalidated by one Send: leave it local.
	 */
	if (cmd && iconn->snd_w_inv && ktgt_iser_cmd(cmd)->have_stags &&
	    cmd->result.scsi_rsp) {
		const struct ktgt_iser_stags *st = &ktgt_iser_cmd(cmd)->stags;
		u8 v = st->flags & (ISER_RSV | ISER_WSV);

		if (v == ISER_RSV || v == ISER_WSV) {
			wr->opcode = IB_WR_SEND_WITH_INV;
			wr->ex.invalidate_rkey = v == ISER_RSV ? st->read_stag :
								st->write_stag;
		}
	}

	dma = ib_dma_map_single(dev, snd->hdr, KTGT_ISER_HDRS_LEN,
				DMA_TO_DEVICE);
	if (ib_dma_mapping_error(dev, dma))
		return -ENOMEM;
	snd->hdr_dma = dma;
	snd->sge[0].addr = dma;
	snd->sge[0].length = KTGT_ISER_HDRS_LEN;
	snd->sge[0].lkey = lkey;

	if (!pdu->data_len)
		return 0;
	if (is_vmalloc_addr(data)) {
		/* A long Text response: not DMA-able as it is. */
		snd->bounce = kmemdup(data, pdu->data_len, GFP_ATOMIC);
		if (!snd->bounce)
			return -ENOMEM;
		data = snd->bounce;
	}
	dma = ib_dma_map_single(dev, data, pdu->data_len, DMA_TO_DEVICE);
	if (ib_dma_mapping_error(dev, dma))
		return -ENOMEM;
	snd->data_dma = dma;
	snd->data_len = pdu->data_len;
	snd->sge[1].addr = dma;
	snd->sge[1].length = pdu->data_len;
	snd->sge[1].lkey = lkey;
	wr->num_sge = 2;
	return 0;
}

/* Prepares a queued post; process context (rdma_rw may sleep). */
static int ktgt_iser_tx_prepare(struct ktgt_iser_conn *iconn,
				struct ktgt_iser_tx *tx)
{
	struct ktgt_cmd *cmd = tx->cmd;
	struct ktgt_iser_cmd *icmd = cmd ? ktgt_iser_cmd(cmd) : NULL;
	const struct ktgt_iser_stags *st = icmd ? &icmd->stags : NULL;
	u32 start;
	int ret;

	if (tx->kind == KTGT_ISER_TX_READ) {
		start = icmd->from_start ? 0 :
			max(cmd->unsol_len, cmd->imm_len);
		/* write_va is the initiator's buffer at offset @start. */
		ret = ktgt_iser_rw_init(iconn, cmd, start, cmd->xfer_len - start,
					st->write_va, st->write_stag,
					DMA_FROM_DEVICE);
		if (ret < 0)
			return ret;
		tx->credits = ret;
		tx->reads = icmd->rw.nr_ops;	/* one READ per op */
		tx->cqe.done = ktgt_iser_read_done;
	} else {
		ret = ktgt_iser_send_map(iconn, ktgt_iser_tx_send(tx),
					 ktgt_iser_tx_pdu(tx), cmd);
		if (ret)
			return ret;
		tx->credits = 1;
		if (icmd && icmd->want_write) {
			ret = ktgt_iser_rw_init(iconn, cmd, 0, cmd->xfer_len,
						st->read_va, st->read_stag,
						DMA_TO_DEVICE);
			if (ret < 0)
				return ret;
			tx->credits += ret;
		}
	}
	if (tx->credits > iconn->sq_size)
		return -EMSGSIZE;
	return 0;
}

/* Queues tx_work if anything waits; iconn->lock held. */
void ktgt_iser_kick_locked(struct ktgt_iser_conn *iconn)
{
	lockdep_assert_held(&iconn->lock);
	/* Never once closing: stop_conn's cancel_work_sync() is the last. */
	if (!iconn->closing && !list_empty(&iconn->tx_list))
		queue_work(ktgt_iser_wq, &iconn->tx_work);
}

/*
 * Posts a prepared item; iconn->lock held, sq_avail already taken. A
 * SEND gets StatSN, ExpCmdSN and MaxCmdSN here: posts are ordered by the
 * lock, so StatSN follows the order the initiator receives them in.
 */
static int ktgt_iser_tx_post(struct ktgt_iser_conn *iconn,
			     struct ktgt_iser_tx *tx)
{
	struct ktgt_iser_cmd *icmd = tx->cmd ? ktgt_iser_cmd(tx->cmd) : NULL;
	const struct ktgt_pdu_out *pdu;
	struct ktgt_iser_send *snd;

	lockdep_assert_held(&iconn->lock);
	if (tx->kind == KTGT_ISER_TX_READ)
		return rdma_rw_ctx_post(&icmd->rw, iconn->qp, iconn->port_num,
					&tx->cqe, NULL);
	snd = ktgt_iser_tx_send(tx);
	pdu = ktgt_iser_tx_pdu(tx);
	/* The header is mapped already: written by the CPU, then synced. */
	ktgt_conn_stamp_pdu(&iconn->conn, snd->hdr + KTGT_ISER_HDR_LEN,
			    pdu->stamp, pdu->data, pdu->data_len);
	ib_dma_sync_single_for_device(iconn->dev, snd->hdr_dma,
				      KTGT_ISER_HDRS_LEN, DMA_TO_DEVICE);
	if (icmd && icmd->rw_active)
		return rdma_rw_ctx_post(&icmd->rw, iconn->qp, iconn->port_num,
					NULL, &snd->wr);
	return ib_post_send(iconn->qp, &snd->wr, NULL);
}

/* Takes @tx off tx_list; iconn->lock held. */
static void ktgt_iser_tx_unlink(struct ktgt_iser_conn *iconn,
				struct ktgt_iser_tx *tx)
{
	lockdep_assert_held(&iconn->lock);
	list_del_init(&tx->node);
	tx->queued = false;
}

/* Prepares and posts what is queued, in order, while slots last. */
void ktgt_iser_tx_work(struct work_struct *work)
{
	struct ktgt_iser_conn *iconn =
		container_of(work, struct ktgt_iser_conn, tx_work);
	struct ktgt_iser_tx *tx;
	int ret;

	spin_lock_irq(&iconn->lock);
	while ((tx = list_first_entry_or_null(&iconn->tx_list,
					      struct ktgt_iser_tx, node))) {
		if (iconn->closing)
			break;		/* release_conn drops the rest */
		if (!tx->prepared) {
			/*
			 * Only this work removes entries, and abort_cmd
			 * leaves the one being prepared: @tx stays first.
			 */
			iconn->preparing = tx;
			spin_unlock_irq(&iconn->lock);
			ret = ktgt_iser_tx_prepare(iconn, tx);
			spin_lock_irq(&iconn->lock);
			iconn->preparing = NULL;
			if (!ret) {
				tx->prepared = true;
				continue;
			}
			ktgt_iser_tx_unlink(iconn, tx);
			spin_unlock_irq(&iconn->lock);
			ktgt_iser_tx_unprepare(iconn, tx);
			ktgt_iser_fail(iconn, "cannot map data", ret);
			ktgt_iser_tx_put(tx);
			spin_lock_irq(&iconn->lock);
			continue;
		}
		if (tx->credits > iconn->sq_avail)
			break;		/* a completion kicks us again */
		if (tx->kind == KTGT_ISER_TX_READ &&
		    iconn->reads_out + tx->reads > iconn->max_reads) {
			if (iconn->reads_out)
				break;	/* read_done kicks us again */
			/* Even alone it asks more than the IRD allows. */
			ktgt_iser_tx_unlink(iconn, tx);
			spin_unlock_irq(&iconn->lock);
			ktgt_iser_tx_unprepare(iconn, tx);
			ktgt_iser_fail(iconn, "RDMA READ over the initiator's iSER-IRD",
				       -EMSGSIZE);
			ktgt_iser_tx_put(tx);
			spin_lock_irq(&iconn->lock);
			continue;
		}
		ktgt_iser_tx_unlink(iconn, tx);
		iconn->sq_avail -= tx->credits;
		if (tx->kind == KTGT_ISER_TX_READ)
			iconn->reads_out += tx->reads;
		ret = ktgt_iser_tx_post(iconn, tx);
		if (ret) {
			if (tx->kind == KTGT_ISER_TX_READ)
				iconn->reads_out -= tx->reads;
			iconn->sq_avail += tx->credits;
			spin_unlock_irq(&iconn->lock);
			ktgt_iser_tx_unprepare(iconn, tx);
			ktgt_iser_fail(iconn, "cannot post", ret);
			ktgt_iser_tx_put(tx);
			spin_lock_irq(&iconn->lock);
		}
	}
	spin_unlock_irq(&iconn->lock);
}

void ktgt_iser_queue_read(struct ktgt_iser_conn *iconn, struct ktgt_cmd *cmd)
{
	struct ktgt_iser_tx *tx = &ktgt_iser_cmd(cmd)->read_tx;
	unsigned long flags;
	bool ok;

	tx->cmd = cmd;
	tx->kind = KTGT_ISER_TX_READ;
	tx->prepared = false;
	ktgt_cmd_get(cmd);
	spin_lock_irqsave(&iconn->lock, flags);
	ok = !iconn->closing;
	if (ok) {
		list_add_tail(&tx->node, &iconn->tx_list);
		tx->queued = true;
		ktgt_iser_kick_locked(iconn);
	}
	spin_unlock_irqrestore(&iconn->lock, flags);
	if (!ok)
		ktgt_cmd_put(cmd);
}

/* Any context: backstore completions call it from hard irq. */
int ktgt_iser_put_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	struct ktgt_iser_conn *iconn = ktgt_iser_conn(conn);
	struct ktgt_iser_cmd *icmd = ktgt_iser_cmd(cmd);

	ktgt_iser_take_stags(iconn, cmd);
	/* No Data-In PDUs under iSER. */
	cmd->exp_datasn = 0;
	if (!cmd->xfer_len || !cmd->sgl)
		return 0;
	if (!(icmd->stags.flags & ISER_RSV)) {
		ktgt_iser_fail(iconn, "read command without read STag",
			       -EPROTO);
		return -EPROTO;
	}
	/* The WRITE goes out chained before the response (queue_pdu). */
	icmd->want_write = true;
	return 0;
}

/*
 * Queues the SEND of @snd's PDU, for which the caller took a reference on
 * its owner (@tx->cmd or @tx->light); on failure that reference is
 * dropped. @cmd: the task whose response it is (its read data may go
 * first, chained), or NULL. Any context.
 */
static int ktgt_iser_queue_send(struct ktgt_iser_conn *iconn,
				struct ktgt_iser_send *snd,
				struct ktgt_cmd *cmd)
{
	struct ktgt_conn *conn = &iconn->conn;
	struct ktgt_iser_tx *tx = &snd->tx;
	const struct ktgt_pdu_out *pdu = ktgt_iser_tx_pdu(tx);
	struct iser_ctrl *ctrl = (struct iser_ctrl *)snd->hdr;
	unsigned long flags;
	int ret;

	if (conn->params.rdma_extensions &&
	    READ_ONCE(conn->state) != KTGT_CONN_LOGIN &&
	    pdu->data_len > conn->params.initiator_recv_dsl)
		pr_warn_ratelimited("%pISpc: %u-byte data segment over InitiatorRecvDataSegmentLength %u\n",
				    &conn->peer, pdu->data_len,
				    conn->params.initiator_recv_dsl);
	memset(ctrl, 0, sizeof(*ctrl));
	ctrl->flags = ISCSI_CTRL;
	memcpy(snd->hdr + KTGT_ISER_HDR_LEN, pdu->bhs, KTGT_BHS_LEN);
	put_unaligned_be24(pdu->data_len, snd->hdr + KTGT_ISER_HDR_LEN + 5);
	snd->close = pdu->close_conn;
	tx->kind = KTGT_ISER_TX_SEND;
	tx->prepared = false;

	/* A plain PDU needs no sleeping set-up: map it here. */
	if (!cmd || !ktgt_iser_cmd(cmd)->want_write) {
		ret = ktgt_iser_send_map(iconn, snd, pdu, cmd);
		if (ret)
			goto out_unmap;
		tx->credits = 1;
		tx->prepared = true;
	}

	spin_lock_irqsave(&iconn->lock, flags);
	if (iconn->closing) {
		spin_unlock_irqrestore(&iconn->lock, flags);
		ret = -ENOTCONN;
		goto out_unmap;
	}
	if (tx->prepared && list_empty(&iconn->tx_list) &&
	    iconn->sq_avail >= tx->credits) {
		iconn->sq_avail -= tx->credits;
		ret = ktgt_iser_tx_post(iconn, tx);
		if (ret) {
			iconn->sq_avail += tx->credits;
			spin_unlock_irqrestore(&iconn->lock, flags);
			ktgt_iser_fail(iconn, "cannot post", ret);
			goto out_unmap;
		}
	} else {
		list_add_tail(&tx->node, &iconn->tx_list);
		tx->queued = true;
		ktgt_iser_kick_locked(iconn);
	}
	spin_unlock_irqrestore(&iconn->lock, flags);
	return 0;

out_unmap:
	ktgt_iser_send_unmap(iconn, snd);
	tx->prepared = false;
	ktgt_iser_tx_put(tx);
	return ret;
}

/* Any context. */
int ktgt_iser_queue_pdu(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	struct ktgt_iser_conn *iconn = ktgt_iser_conn(conn);
	struct ktgt_iser_send *snd = &ktgt_iser_cmd(cmd)->send;

	ktgt_iser_take_stags(iconn, cmd);
	if (READ_ONCE(iconn->closing))
		return -ENOTCONN;
	snd->tx.cmd = cmd;
	ktgt_cmd_get(cmd);
	return ktgt_iser_queue_send(iconn, snd, cmd);
}

/* Any context. */
int ktgt_iser_queue_light(struct ktgt_conn *conn, struct ktgt_light_pdu *lp)
{
	struct ktgt_iser_conn *iconn = ktgt_iser_conn(conn);
	struct ktgt_iser_send *snd = ktgt_light_priv(lp);

	if (READ_ONCE(iconn->closing))
		return -ENOTCONN;
	snd->tx.light = lp;
	ktgt_light_get(lp);
	return ktgt_iser_queue_send(iconn, snd, NULL);
}

/*
 * abort_cmd: @cmd was aborted before it executed. Its RDMA READ, if not
 * posted yet, leaves tx_list, and the wait for its write data ends: both
 * references go now, and with the last one its buffer. A READ already
 * posted, or being prepared by tx_work, completes; read_done then finds
 * the wait ended and leaves the command alone. Process context.
 */
void ktgt_iser_abort_cmd(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	struct ktgt_iser_conn *iconn = ktgt_iser_conn(conn);
	struct ktgt_iser_cmd *icmd = ktgt_iser_cmd(cmd);
	struct ktgt_iser_tx *tx = &icmd->read_tx;
	bool drop_read = false, drop_wait = false;

	spin_lock_irq(&iconn->lock);
	if (tx->queued && iconn->preparing != tx) {
		ktgt_iser_tx_unlink(iconn, tx);
		drop_read = true;
	}
	if (icmd->waiting) {
		list_del_init(&icmd->wait_node);
		icmd->waiting = false;
		drop_wait = true;
	}
	spin_unlock_irq(&iconn->lock);
	if (drop_read) {
		if (tx->prepared)
			ktgt_iser_tx_unprepare(iconn, tx);
		ktgt_cmd_put(cmd);
	}
	if (drop_wait)
		ktgt_cmd_put(cmd);
}

/* SEND completion (CQ context); the chained WRITE is done too. */
static void ktgt_iser_send_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct ktgt_iser_conn *iconn = cq->cq_context;
	struct ktgt_iser_tx *tx = container_of(wc->wr_cqe, struct ktgt_iser_tx,
					       cqe);
	struct ktgt_iser_send *snd = ktgt_iser_tx_send(tx);
	unsigned long flags;

	spin_lock_irqsave(&iconn->lock, flags);
	iconn->sq_avail += tx->credits;
	ktgt_iser_kick_locked(iconn);
	spin_unlock_irqrestore(&iconn->lock, flags);
	ktgt_iser_tx_unprepare(iconn, tx);
	if (tx->cmd)
		ktgt_iser_cmd(tx->cmd)->want_write = false;

	if (wc->status != IB_WC_SUCCESS) {
		if (wc->status != IB_WC_WR_FLUSH_ERR)
			ktgt_iser_fail(iconn, "send failed", wc->status);
	} else if (snd->close) {
		/* Failed login or Logout Response: it is out, now close. */
		if ((snd->hdr[KTGT_ISER_HDR_LEN] & KTGT_OPCODE_MASK) ==
		    KTGT_OP_LOGOUT_RSP)
			ktgt_iser_close_later(iconn);
		else
			ktgt_iser_fail(iconn, NULL, 0);
	}
	ktgt_iser_tx_put(tx);
}

/* stop_conn, after tx_work is cancelled and the QP drained. */
void ktgt_iser_tx_drop_all(struct ktgt_iser_conn *iconn)
{
	struct ktgt_iser_tx *tx, *next;
	LIST_HEAD(drop);

	spin_lock_irq(&iconn->lock);
	/* Ours now: a concurrent abort_cmd must not take them too. */
	list_for_each_entry(tx, &iconn->tx_list, node)
		tx->queued = false;
	list_splice_init(&iconn->tx_list, &drop);
	spin_unlock_irq(&iconn->lock);
	list_for_each_entry_safe(tx, next, &drop, node) {
		list_del_init(&tx->node);
		if (tx->prepared)
			ktgt_iser_tx_unprepare(iconn, tx);
		ktgt_iser_tx_put(tx);
	}
}
