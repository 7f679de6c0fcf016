// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_iser: receiving. Every Send from the initiator is one iSCSI PDU
 * behind a 28-byte iSER header (RFC 7145 9.2). Receive completions run in
 * the CQ's work item, one at a time: the PDU goes to the core (or, for an
 * unsolicited Data-Out, into the command's buffer) and the buffer is
 * posted again at once.
 *
 * The STags and VAs of a SCSI Command: the core creates the command inside
 * ktgt_conn_rx_pdu() and may call get_data, put_data or queue_pdu for it
 * before that returns (synchronous backstores) or long after (a block
 * device completing in irq). So the header is stashed in the connection
 * for the duration of the call, and copied into the command's transport
 * area by whichever comes first: one of those callbacks (which all look at
 * the stash, ktgt_iser_take_stags()), or the receive path itself right
 * after the call, which finds the new command at the tail of conn->cmds.
 * The stash is cleared only after that, so a command can never miss it.
 */
#define pr_fmt(fmt) "ktgt_iser: " fmt

#include <linux/slab.h>
#include <linux/scatterlist.h>

#include <ktgt/core.h>
#include "iser.h"

static void ktgt_iser_recv_done(struct ib_cq *cq, struct ib_wc *wc);

int ktgt_iser_rx_alloc(struct ktgt_iser_conn *iconn)
{
	struct ib_device *dev = iconn->dev;
	unsigned int i, c, per;
	u64 dma;

	per = KTGT_ISER_RX_CHUNK / KTGT_ISER_RX_SIZE;
	iconn->rx_per_chunk = per;
	iconn->nr_chunks = DIV_ROUND_UP(iconn->nr_rx, per);
	iconn->rx = kcalloc(iconn->nr_rx, sizeof(*iconn->rx), GFP_KERNEL);
	iconn->rx_chunk = kcalloc(iconn->nr_chunks, sizeof(*iconn->rx_chunk),
				  GFP_KERNEL);
	iconn->rx_chunk_dma = kcalloc(iconn->nr_chunks,
				      sizeof(*iconn->rx_chunk_dma), GFP_KERNEL);
	if (!iconn->rx || !iconn->rx_chunk || !iconn->rx_chunk_dma)
		return -ENOMEM;
	for (c = 0; c < iconn->nr_chunks; c++) {
		iconn->rx_chunk[c] = kmalloc(per * KTGT_ISER_RX_SIZE,
					     GFP_KERNEL);
		if (!iconn->rx_chunk[c])
			return -ENOMEM;
		dma = ib_dma_map_single(dev, iconn->rx_chunk[c],
					per * KTGT_ISER_RX_SIZE,
					DMA_FROM_DEVICE);
		if (ib_dma_mapping_error(dev, dma)) {
			kfree(iconn->rx_chunk[c]);
			iconn->rx_chunk[c] = NULL;
			return -ENOMEM;
		}
		iconn->rx_chunk_dma[c] = dma;
	}
	for (i = 0; i < iconn->nr_rx; i++) {
		struct ktgt_iser_rx_desc *d = &iconn->rx[i];
		unsigned int off = (i % per) * KTGT_ISER_RX_SIZE;

		d->buf = (u8 *)iconn->rx_chunk[i / per] + off;
		d->sge.addr = iconn->rx_chunk_dma[i / per] + off;
		d->sge.length = KTGT_ISER_RX_SIZE;
		d->sge.lkey = iconn->pd->local_dma_lkey;
		d->cqe.done = ktgt_iser_recv_done;
		d->wr.wr_cqe = &d->cqe;
		d->wr.sg_list = &d->sge;
		d->wr.num_sge = 1;
	}
	return 0;
}

void ktgt_iser_rx_free(struct ktgt_iser_conn *iconn)
{
	unsigned int c;

	for (c = 0; iconn->rx_chunk && c < iconn->nr_chunks; c++) {
		if (!iconn->rx_chunk[c])
			continue;
		ib_dma_unmap_single(iconn->dev, iconn->rx_chunk_dma[c],
				    iconn->rx_per_chunk * KTGT_ISER_RX_SIZE,
				    DMA_FROM_DEVICE);
		kfree(iconn->rx_chunk[c]);
	}
	kfree(iconn->rx_chunk);
	kfree(iconn->rx_chunk_dma);
	kfree(iconn->rx);
	iconn->rx_chunk = NULL;
	iconn->rx_chunk_dma = NULL;
	iconn->rx = NULL;
}

static int ktgt_iser_rx_post(struct ktgt_iser_conn *iconn,
			     struct ktgt_iser_rx_desc *d)
{
	ib_dma_sync_single_for_device(iconn->dev, d->sge.addr, d->sge.length,
				      DMA_FROM_DEVICE);
	return ib_post_recv(iconn->qp, &d->wr, NULL);
}

int ktgt_iser_rx_post_all(struct ktgt_iser_conn *iconn)
{
	unsigned int i;
	int ret;

	for (i = 0; i < iconn->nr_rx; i++) {
		ret = ktgt_iser_rx_post(iconn, &iconn->rx[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* Copies the stashed iSER header into @cmd if it belongs there. */
void ktgt_iser_take_stags(struct ktgt_iser_conn *iconn, struct ktgt_cmd *cmd)
{
	struct ktgt_iser_cmd *icmd = ktgt_iser_cmd(cmd);
	unsigned long flags;

	if (icmd->have_stags || cmd->opcode != KTGT_OP_SCSI_CMD)
		return;
	spin_lock_irqsave(&iconn->stash_lock, flags);
	if (!icmd->have_stags && iconn->stash_valid &&
	    iconn->stash_itt == cmd->itt) {
		icmd->stags = iconn->stash;
		icmd->have_stags = true;
	}
	spin_unlock_irqrestore(&iconn->stash_lock, flags);
}

/* After the core took a SCSI Command: give the new command its STags. */
static void ktgt_iser_attach_stags(struct ktgt_iser_conn *iconn, u32 itt)
{
	struct ktgt_conn *conn = &iconn->conn;
	struct ktgt_cmd *cmd, *found = NULL;
	unsigned long flags;

	/* Commands are created here only, so the new one is the newest. */
	spin_lock_irqsave(&conn->lock, flags);
	list_for_each_entry_reverse(cmd, &conn->cmds, conn_node) {
		if (cmd->itt == itt && cmd->opcode == KTGT_OP_SCSI_CMD) {
			ktgt_cmd_get(cmd);
			found = cmd;
			break;
		}
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	if (found) {
		ktgt_iser_take_stags(iconn, found);
		ktgt_cmd_put(found);
	}
	spin_lock_irqsave(&iconn->stash_lock, flags);
	iconn->stash_valid = false;
	spin_unlock_irqrestore(&iconn->stash_lock, flags);
}

/* All write data is in: [0, unsol_len) received, the READ finished. */
static void ktgt_iser_data_check(struct ktgt_iser_conn *iconn,
				 struct ktgt_cmd *cmd)
{
	struct ktgt_iser_cmd *icmd = ktgt_iser_cmd(cmd);
	bool waited;

	if (!icmd->want_data || icmd->unsol_off < cmd->unsol_len ||
	    (icmd->read_needed && !icmd->read_done))
		return;
	/*
	 * Nothing may start once the connection is closing: the core aborts
	 * its tasks and stop_conn lets go of the commands still waiting.
	 */
	if (READ_ONCE(iconn->closing))
		return;
	icmd->want_data = false;
	spin_lock_irq(&iconn->lock);
	waited = icmd->waiting;
	list_del_init(&icmd->wait_node);
	icmd->waiting = false;
	spin_unlock_irq(&iconn->lock);
	/* An abort ended the wait (abort_cmd): the data is not wanted. */
	if (!waited)
		return;
	ktgt_cmd_data_ready(cmd, 0);
	ktgt_cmd_put(cmd);		/* the waiting list's reference */
}

/*
 * Called during the SCSI Command's ktgt_conn_rx_pdu() (CQ context):
 * unsolicited data comes as Data-Out Sends, the rest by RDMA READ.
 */
int ktgt_iser_get_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	struct ktgt_iser_conn *iconn = ktgt_iser_conn(conn);

	ktgt_iser_take_stags(iconn, cmd);
	return ktgt_iser_fetch(iconn, cmd, false);
}

/*
 * Waits for @cmd's write data: unsolicited Data-Out Sends and an RDMA
 * READ of the rest, or (@from_start: a reassigned write, iser_erl2.c)
 * an RDMA READ of all of it.
 */
int ktgt_iser_fetch(struct ktgt_iser_conn *iconn, struct ktgt_cmd *cmd,
		    bool from_start)
{
	struct ktgt_iser_cmd *icmd = ktgt_iser_cmd(cmd);
	u32 start = from_start ? 0 : max(cmd->unsol_len, cmd->imm_len);

	/*
	 * Listed until the data is in, so the teardown can end it even if
	 * it lost its allegiance (TMF) meanwhile.
	 */
	ktgt_cmd_get(cmd);
	spin_lock_irq(&iconn->lock);
	list_add_tail(&icmd->wait_node, &iconn->waiting);
	icmd->waiting = true;
	spin_unlock_irq(&iconn->lock);
	icmd->want_data = true;
	/* From the start: no Data-Out Send is expected any more. */
	icmd->unsol_off = from_start ? cmd->unsol_len : cmd->imm_len;
	icmd->unsol_datasn = 0;
	icmd->from_start = from_start;
	icmd->read_done = false;
	icmd->read_needed = start < cmd->xfer_len;
	if (icmd->read_needed) {
		if (!(icmd->stags.flags & ISER_WSV)) {
			/* Solicited data without a buffer to read it from. */
			ktgt_iser_fail(iconn, "write command without write STag",
				       -EPROTO);
			return -EPROTO;
		}
		ktgt_iser_queue_read(iconn, cmd);
	}
	return 0;
}

/* RDMA READ completion (CQ context). */
void ktgt_iser_read_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct ktgt_iser_conn *iconn = cq->cq_context;
	struct ktgt_iser_tx *tx = container_of(wc->wr_cqe, struct ktgt_iser_tx,
					       cqe);
	struct ktgt_cmd *cmd = tx->cmd;
	struct ktgt_iser_cmd *icmd = ktgt_iser_cmd(cmd);
	unsigned long flags;

	spin_lock_irqsave(&iconn->lock, flags);
	iconn->sq_avail += tx->credits;
	iconn->reads_out -= tx->reads;
	ktgt_iser_kick_locked(iconn);
	spin_unlock_irqrestore(&iconn->lock, flags);
	ktgt_iser_rw_destroy(iconn, cmd);
	tx->prepared = false;

	if (wc->status == IB_WC_SUCCESS) {
		icmd->read_done = true;
		ktgt_iser_data_check(iconn, cmd);
	} else if (wc->status != IB_WC_WR_FLUSH_ERR) {
		ktgt_iser_fail(iconn, "RDMA READ failed", wc->status);
	}
	ktgt_cmd_put(cmd);
}

/*
 * An unsolicited Data-Out: place it into the command's buffer, bounds
 * checked as in tcp_rx.c. -ENOENT if it cannot be placed: the core sees it
 * and rejects it.
 */
static int ktgt_iser_dataout(struct ktgt_iser_conn *iconn,
			     const struct ktgt_pdu *pdu, const u8 *data)
{
	u32 off = pdu->data_out.buffer_offset;
	u32 len = pdu->data_len;
	struct ktgt_iser_cmd *icmd;
	struct ktgt_cmd *cmd;

	cmd = ktgt_conn_find_cmd(&iconn->conn, pdu->itt);
	if (!cmd)
		return -ENOENT;
	icmd = ktgt_iser_cmd(cmd);
	/* No R2Ts under iSER: every Data-Out is unsolicited. */
	if (cmd->dir != KTGT_DIR_WRITE || !icmd->want_data ||
	    pdu->data_out.ttt != KTGT_RSVD_TAG || off != icmd->unsol_off ||
	    off > cmd->edtl || len > cmd->edtl - off ||
	    off + len > cmd->unsol_len ||
	    pdu->data_out.datasn != icmd->unsol_datasn) {
		pr_debug("Data-Out ITT %#x offset %u len %u refused\n",
			 pdu->itt, off, len);
		ktgt_cmd_put(cmd);
		return -ENOENT;
	}
	/* Data past xfer_len (up to EDTL) is received and dropped. */
	if (off < cmd->xfer_len)
		sg_pcopy_from_buffer(cmd->sgl, cmd->nents, data,
				     min(len, cmd->xfer_len - off), off);
	pr_debug_ratelimited("Data-Out ITT %#x offset %u len %u placed\n",
			     pdu->itt, off, len);
	icmd->unsol_off += len;
	icmd->unsol_datasn++;
	ktgt_iser_data_check(iconn, cmd);
	ktgt_cmd_put(cmd);
	return 0;
}

/* The first PDU in full feature phase: can we live with what was agreed? */
static int ktgt_iser_check_params(struct ktgt_iser_conn *iconn)
{
	const struct ktgt_conn_params *p = &iconn->conn.params;

	iconn->ffp_checked = true;
	pr_debug("%pISpc: RDMAExtensions=%s TargetRecvDataSegmentLength=%u InitiatorRecvDataSegmentLength=%u MaxOutstandingUnexpectedPDUs=%u\n",
		 &iconn->conn.peer, p->rdma_extensions ? "Yes" : "No",
		 p->target_recv_dsl, p->initiator_recv_dsl,
		 p->max_outstanding_unexpected_pdus);
	if (!p->rdma_extensions)
		pr_warn_once("%pISpc: RDMAExtensions=No on an iSER connection\n",
			     &iconn->conn.peer);
	if (p->rdma_extensions && p->target_recv_dsl > KTGT_ISER_RX_DSL) {
		/* Our limits cap it at 8192: a change there must grow these. */
		pr_warn("%pISpc: TargetRecvDataSegmentLength %u is over our receive buffers\n",
			&iconn->conn.peer, p->target_recv_dsl);
		return -EMSGSIZE;
	}
	return 0;
}

/* One received Send: 0, or -errno to drop the connection. */
static int ktgt_iser_rx_pdu(struct ktgt_iser_conn *iconn, const u8 *buf,
			    u32 len)
{
	const struct iser_ctrl *ctrl = (const struct iser_ctrl *)buf;
	const u8 *bhs = buf + KTGT_ISER_HDR_LEN;
	struct ktgt_iser_stags st;
	struct ktgt_pdu pdu;
	struct ktgt_rx rx = { };
	bool scsi, reassign;
	int ret;

	/* An iWARP initiator may open with a Hello, shorter than a PDU. */
	if (len && (buf[0] & KTGT_ISER_OP_MASK) == KTGT_ISER_OP_HELLO)
		return ktgt_iser_rx_hello(iconn, buf, len);
	if (iconn->hello_rejected)
		return -EPROTO;		/* nothing after a refused Hello */
	iconn->rx_seen = true;
	if (len < KTGT_ISER_HDRS_LEN) {
		pr_warn("%pISpc: short message (%u bytes)\n", &iconn->conn.peer,
			len);
		return -EPROTO;
	}
	switch (ctrl->flags & KTGT_ISER_OP_MASK) {
	case ISCSI_CTRL:
		break;
	default:
		pr_warn("%pISpc: iSER opcode %#x unknown\n", &iconn->conn.peer,
			ctrl->flags & 0xf0);
		return -EPROTO;
	}

	rx.hdr_err = ktgt_bhs_decode(bhs, &pdu);
	rx.ahs_len = pdu.ahs_len * 4;
	if ((u64)KTGT_ISER_HDRS_LEN + rx.ahs_len + pdu.data_len > len) {
		pr_warn("%pISpc: PDU of %u bytes in a message of %u\n",
			&iconn->conn.peer,
			KTGT_ISER_HDRS_LEN + rx.ahs_len + pdu.data_len, len);
		return -EPROTO;
	}
	if (!iconn->ffp_checked &&
	    READ_ONCE(iconn->conn.state) == KTGT_CONN_FULL_FEATURE) {
		ret = ktgt_iser_check_params(iconn);
		if (ret)
			return ret;
	}
	rx.pdu = &pdu;
	rx.bhs = bhs;
	rx.ahs = bhs + KTGT_BHS_LEN;
	rx.data = rx.ahs + rx.ahs_len;

	if (!rx.hdr_err && pdu.opcode == KTGT_OP_DATA_OUT &&
	    READ_ONCE(iconn->conn.state) == KTGT_CONN_FULL_FEATURE) {
		ret = ktgt_iser_dataout(iconn, &pdu, rx.data);
		if (ret != -ENOENT)
			return ret;
	}

	scsi = !rx.hdr_err && pdu.opcode == KTGT_OP_SCSI_CMD;
	reassign = !rx.hdr_err && pdu.opcode == KTGT_OP_TMF_REQ &&
		   pdu.tmf_req.function == KTGT_TMF_TASK_REASSIGN;
	if (scsi || reassign) {
		st.flags = ctrl->flags;
		st.write_stag = be32_to_cpu(ctrl->write_stag);
		st.write_va = be64_to_cpu(ctrl->write_va);
		st.read_stag = be32_to_cpu(ctrl->read_stag);
		st.read_va = be64_to_cpu(ctrl->read_va);
	}
	if (reassign)
		ktgt_iser_note_reassign(iconn, pdu.tmf_req.rtt, &st);
	if (scsi) {
		spin_lock_irq(&iconn->stash_lock);
		iconn->stash = st;
		iconn->stash_itt = pdu.itt;
		iconn->stash_valid = true;
		spin_unlock_irq(&iconn->stash_lock);
	}
	ret = ktgt_conn_rx_pdu(&iconn->conn, &rx);
	if (scsi)
		ktgt_iser_attach_stags(iconn, pdu.itt);
	return ret;
}

static void ktgt_iser_recv_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct ktgt_iser_conn *iconn = cq->cq_context;
	struct ktgt_iser_rx_desc *d =
		container_of(wc->wr_cqe, struct ktgt_iser_rx_desc, cqe);
	int ret;

	if (wc->status != IB_WC_SUCCESS) {
		if (wc->status != IB_WC_WR_FLUSH_ERR)
			ktgt_iser_fail(iconn, "receive failed", wc->status);
		return;
	}
	if (READ_ONCE(iconn->closing))
		return;
	ib_dma_sync_single_for_cpu(iconn->dev, d->sge.addr, wc->byte_len,
				   DMA_FROM_DEVICE);
	ret = ktgt_iser_rx_pdu(iconn, d->buf, wc->byte_len);
	if (ret < 0) {
		ktgt_iser_fail(iconn, ret == -ENOTCONN ? NULL :
			       "receive error", ret);
		return;
	}
	ret = ktgt_iser_rx_post(iconn, d);
	if (ret)
		ktgt_iser_fail(iconn, "cannot post a receive", ret);
}
