// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_tcp: sending. The core's data-plane calls queue work under tx_lock
 * from any context; io_work sends from the head of the queue with a cursor
 * (header, data, padding + digest), so a short write resumes exactly where
 * it stopped. Read data goes out with kernel_sendpage(): no copy.
 */
#define pr_fmt(fmt) "ktgt_tcp: " fmt

#include <linux/net.h>
#include <linux/highmem.h>
#include <linux/scatterlist.h>
#include <net/sock.h>

#include <ktgt/core.h>
#include "tcp.h"

/* The PDU a KTGT_TCP_TX_PDU item sends. */
static const struct ktgt_pdu_out *ktgt_tcp_tx_pdu(const struct ktgt_tcp_tx *tx)
{
	return tx->light ? &tx->light->pdu : &tx->cmd->rsp;
}

/* Drops the reference @tx held on its owner. */
void ktgt_tcp_tx_put(struct ktgt_tcp_tx *tx)
{
	if (tx->light)
		ktgt_light_put(tx->light);
	else
		ktgt_cmd_put(tx->cmd);
}

/*
 * Queues @tx for its owner (referenced while queued) and kicks io_work
 * under tx_lock, so nothing is queued or kicked once stop_conn has run.
 */
static bool ktgt_tcp_enqueue(struct ktgt_tcp_conn *tconn,
			     struct ktgt_tcp_tx *tx,
			     enum ktgt_tcp_tx_kind kind)
{
	unsigned long flags;
	bool ok;

	tx->kind = kind;
	/* Read data is bounded by the session's data budget, not here. */
	tx->backlog = kind == KTGT_TCP_TX_PDU ?
		      KTGT_BHS_LEN + ktgt_tcp_tx_pdu(tx)->data_len : 0;
	spin_lock_irqsave(&tconn->tx_lock, flags);
	ok = !tconn->closing;
	if (ok) {
		if (tx->light)
			ktgt_light_get(tx->light);
		else
			ktgt_cmd_get(tx->cmd);
		tx->queued = true;
		list_add_tail(&tx->node, &tconn->tx_queue);
		WRITE_ONCE(tconn->tx_backlog, tconn->tx_backlog + tx->backlog);
		queue_work(ktgt_tcp_wq, &tconn->io_work);
	}
	spin_unlock_irqrestore(&tconn->tx_lock, flags);
	return ok;
}

/* @tx is out (or dropped): its bytes leave the backlog. io_work. */
static void ktgt_tcp_tx_done(struct ktgt_tcp_conn *tconn,
			     struct ktgt_tcp_tx *tx)
{
	if (!tx->backlog)
		return;
	spin_lock_irq(&tconn->tx_lock);
	WRITE_ONCE(tconn->tx_backlog,
		   tconn->tx_backlog - min(tconn->tx_backlog, tx->backlog));
	spin_unlock_irq(&tconn->tx_lock);
	tx->backlog = 0;
}

int ktgt_tcp_queue_pdu(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	struct ktgt_tcp_tx *tx = &ktgt_tcp_cmd(cmd)->pdu_tx;

	tx->cmd = cmd;
	return ktgt_tcp_enqueue(ktgt_tcp_conn(conn), tx, KTGT_TCP_TX_PDU) ?
	       0 : -ENOTCONN;
}

int ktgt_tcp_queue_light(struct ktgt_conn *conn, struct ktgt_light_pdu *lp)
{
	struct ktgt_tcp_tx *tx = ktgt_light_priv(lp);

	tx->light = lp;
	return ktgt_tcp_enqueue(ktgt_tcp_conn(conn), tx, KTGT_TCP_TX_PDU) ?
	       0 : -ENOTCONN;
}

int ktgt_tcp_put_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	struct ktgt_tcp_conn *tconn = ktgt_tcp_conn(conn);
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	/* A Text Request may change it: this read keeps what it starts with. */
	u32 mdsl = READ_ONCE(conn->params.max_xmit_dsl);
	u32 burst = conn->params.max_burst;

	/*
	 * ExpDataSN of the response: the number of Data-In PDUs, which
	 * never cross a MaxBurstLength boundary (ktgt_tcp_txc_data_in()).
	 */
	tcmd->seg_mdsl = mdsl;
	tcmd->seg_sn = 0;
	tcmd->seg_off = 0;
	cmd->exp_datasn = ktgt_tcp_datain_count(burst, mdsl, cmd->xfer_len);
	if (!cmd->xfer_len)
		return 0;
	if (conn->params.erl) {
		/* DataACK names the read by the TTT of its A-bit Data-In. */
		tcmd->ttt = ktgt_tcp_next_ttt();
		cmd->ttt = tcmd->ttt;
	}
	tcmd->data_tx.cmd = cmd;
	return ktgt_tcp_enqueue(tconn, &tcmd->data_tx,
				KTGT_TCP_TX_DATA_IN) ? 0 : -ENOTCONN;
}

/*
 * Called from the receive path (io_work) while the core handles the SCSI
 * Command, before any Data-Out of the command is read.
 */
int ktgt_tcp_get_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	struct ktgt_tcp_conn *tconn = ktgt_tcp_conn(conn);
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);

	tcmd->want_data = true;
	tcmd->rx_off = cmd->imm_len;
	tcmd->rx_burst_sn = 0;
	tcmd->r2t_next = max(cmd->unsol_len, cmd->imm_len);
	tcmd->r2t_outstanding = 0;
	tcmd->r2t_sn = 0;
	tcmd->seq_bad = false;
	tcmd->recovering = false;
	tcmd->rec_pending = false;
	tcmd->r2t_resend = false;
	tcmd->ttt = ktgt_tcp_next_ttt();
	ktgt_tcp_seq_start(tcmd, cmd->imm_len, cmd->unsol_len - cmd->imm_len);
	/* One sequence at a time: the first R2T follows unsolicited data. */
	if (tcmd->r2t_next < cmd->xfer_len &&
	    (!ktgt_tcp_one_seq(&conn->params) ||
	     !ktgt_tcp_seq_busy(tconn, cmd)))
		ktgt_tcp_queue_r2t(tconn, cmd);
	return 0;
}

void ktgt_tcp_queue_r2t(struct ktgt_tcp_conn *tconn, struct ktgt_cmd *cmd)
{
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	unsigned long flags;
	bool queue;

	spin_lock_irqsave(&tconn->tx_lock, flags);
	queue = !tcmd->r2t_queued && !tconn->closing && !tcmd->aborted;
	if (queue) {
		tcmd->r2t_queued = true;
		tcmd->r2t_tx.queued = true;
		tcmd->r2t_tx.cmd = cmd;
		tcmd->r2t_tx.kind = KTGT_TCP_TX_R2T;
		tcmd->r2t_tx.backlog = 0;
		ktgt_cmd_get(cmd);
		list_add_tail(&tcmd->r2t_tx.node, &tconn->tx_queue);
		queue_work(ktgt_tcp_wq, &tconn->io_work);
	}
	spin_unlock_irqrestore(&tconn->tx_lock, flags);
}

/*
 * abort_cmd: @cmd was aborted before it executed. Its queued R2T (and
 * Data-In, which such a task does not have) leave the queue with their
 * references, and no R2T is sent for it any more: its buffer goes now,
 * not when a peer that does not read lets the R2T out. A PDU io_work is
 * writing at this moment is finished, as the stream requires.
 */
void ktgt_tcp_abort_cmd(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	struct ktgt_tcp_conn *tconn = ktgt_tcp_conn(conn);
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	struct ktgt_tcp_tx *txs[] = { &tcmd->r2t_tx, &tcmd->data_tx,
				      &tcmd->resend_tx };
	struct ktgt_tcp_tx *drop[ARRAY_SIZE(txs)];
	unsigned int i, n = 0;

	spin_lock_irq(&tconn->tx_lock);
	WRITE_ONCE(tcmd->aborted, true);
	for (i = 0; i < ARRAY_SIZE(txs); i++) {
		if (!txs[i]->queued)
			continue;
		list_del(&txs[i]->node);
		txs[i]->queued = false;
		drop[n++] = txs[i];
	}
	tcmd->r2t_queued = false;
	spin_unlock_irq(&tconn->tx_lock);
	/* Neither counts in tx_backlog (ktgt_tcp_enqueue()). */
	for (i = 0; i < n; i++)
		ktgt_tcp_tx_put(drop[i]);
}

/* ---- the cursor ---- */

static u32 ktgt_tcp_sg_crc(struct ktgt_cmd *cmd, u32 off, u32 len, u32 crc)
{
	struct scatterlist *sg;
	unsigned int i;
	u32 chunk;
	void *va;

	for_each_sg(cmd->sgl, sg, cmd->nents, i) {
		if (!len)
			break;
		if (off >= sg->length) {
			off -= sg->length;
			continue;
		}
		chunk = min(len, sg->length - off);
		va = kmap_local_page(sg_page(sg));
		crc = ktgt_tcp_crc(crc, va + sg->offset + off, chunk);
		kunmap_local(va);
		len -= chunk;
		off = 0;
	}
	return crc;
}

/* Finishes the header (digest) and trailer (pad, digest) of the cursor. */
static void ktgt_tcp_txc_frame(struct ktgt_tcp_conn *tconn, u32 data_crc)
{
	struct ktgt_tcp_tx_cursor *c = &tconn->txc;
	const struct ktgt_conn_params *p = &tconn->conn.params;
	/* Digests start after the login phase, final Login Response excluded. */
	bool ffp = tconn->conn.state != KTGT_CONN_LOGIN &&
		   (c->hdr[0] & KTGT_OPCODE_MASK) != KTGT_OP_LOGIN_RSP;
	u32 pad = ktgt_pad4(c->data_len) - c->data_len;

	put_unaligned_be24(c->data_len, c->hdr + 5);
	c->hdr_len = KTGT_BHS_LEN;
	if (ffp && p->header_digest) {
		ktgt_tcp_put_digest(ktgt_tcp_crc(~0u, c->hdr, KTGT_BHS_LEN),
				    c->hdr + KTGT_BHS_LEN);
		c->hdr_len += KTGT_DIGEST_LEN;
	}
	memset(c->trailer, 0, sizeof(c->trailer));
	c->trailer_len = pad;
	if (c->data_len && ffp && p->data_digest) {
		data_crc = ktgt_tcp_crc(data_crc, c->trailer, pad);
		ktgt_tcp_put_digest(data_crc, c->trailer + pad);
		c->trailer_len += KTGT_DIGEST_LEN;
	}
	c->hdr_sent = 0;
	c->data_sent = 0;
	c->trailer_sent = 0;
	c->fault_checked = false;
}

/*
 * Phase collapse: the last Data-In carries the command's status (GOOD,
 * no sense) and its residual from cmd->result; its StatSN is assigned
 * when it is framed (ktgt_conn_stamp_bhs()).
 */
static void ktgt_tcp_data_in_status(struct ktgt_bhs_data_in *h,
				    const struct ktgt_cmd *cmd)
{
	const struct ktgt_cmd_result *r = &cmd->result;

	h->flags |= KTGT_BHS_F | KTGT_DATAIN_S;
	if (r->overflow)
		h->flags |= KTGT_DATAIN_O;
	if (r->underflow)
		h->flags |= KTGT_DATAIN_U;
	h->status = r->status;
	h->residual = cpu_to_be32(r->residual);
}

/*
 * Frames the Data-In of the command at @off, numbered @datasn; @resend:
 * one asked again by a Data SNACK (tcp_datain.c), identical but for
 * ExpCmdSN and MaxCmdSN.
 */
static void ktgt_tcp_txc_build_data_in(struct ktgt_tcp_conn *tconn, u32 off,
				       u32 datasn, bool resend)
{
	struct ktgt_tcp_tx_cursor *c = &tconn->txc;
	struct ktgt_cmd *cmd = c->tx->cmd;
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	const struct ktgt_conn_params *p = &tconn->conn.params;
	struct ktgt_bhs_data_in *h = (struct ktgt_bhs_data_in *)c->hdr;
	bool last, burst_end, status, ack;
	u32 len;

	/*
	 * A Data-In sequence (ended by F) holds at most MaxBurstLength
	 * (RFC 7143 13.14): a PDU stops at the burst's end even when
	 * MaxRecvDataSegmentLength does not divide it.
	 */
	len = min3(cmd->xfer_len - off, tcmd->seg_mdsl,
		   p->max_burst - off % p->max_burst);
	last = off + len == cmd->xfer_len;
	burst_end = (off + len) % p->max_burst == 0;
	/* After an R-Data SNACK the status comes in a SCSI Response. */
	status = last && cmd->status_in_data && !tcmd->rdata;
	/* ERL > 0: A ends each sequence but the last (proto/snack.h). */
	ack = p->erl && burst_end && !last;

	memset(h, 0, sizeof(*h));
	h->opcode = KTGT_OP_DATA_IN;
	h->flags = (last || burst_end) ? KTGT_BHS_F : 0;
	if (ack)
		h->flags |= KTGT_DATAIN_A;
	memcpy(h->lun, cmd->lun, sizeof(h->lun));
	h->itt = cpu_to_be32(cmd->itt);
	h->ttt = cpu_to_be32(ack ? tcmd->ttt : KTGT_RSVD_TAG);
	h->datasn = cpu_to_be32(datasn);
	h->buffer_offset = cpu_to_be32(off);
	if (status)
		ktgt_tcp_data_in_status(h, cmd);
	/*
	 * Framed now, sent next: StatSN follows the order on the wire. A
	 * status sent again keeps its StatSN, but after a TASK REASSIGN
	 * (tcp_datain.c): this connection's first.
	 */
	if (resend && status && tcmd->status_sent) {
		h->statsn = cpu_to_be32(tcmd->status_sn);
		ktgt_conn_stamp_bhs(&tconn->conn, c->hdr, KTGT_STAMP_KEEP);
	} else if (status) {
		ktgt_conn_stamp_read_status(&tconn->conn, c->hdr, cmd);
		tcmd->status_sn = be32_to_cpu(h->statsn);
		tcmd->status_sent = true;
	} else {
		ktgt_conn_stamp_bhs(&tconn->conn, c->hdr, KTGT_STAMP_NONE);
	}

	c->data_off = off;
	c->data_len = len;
	ktgt_tcp_txc_frame(tconn, p->data_digest ?
			   ktgt_tcp_sg_crc(cmd, off, len, ~0u) : 0);
}

/* Builds the next Data-In PDU of the command at c->pdu_off. */
static void ktgt_tcp_txc_data_in(struct ktgt_tcp_conn *tconn)
{
	struct ktgt_tcp_tx_cursor *c = &tconn->txc;
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(c->tx->cmd);

	ktgt_tcp_txc_build_data_in(tconn, c->pdu_off, tcmd->datasn++, false);
	c->pdu_off += c->data_len;
}

/* The next Data-In a Data SNACK asked for; false if none is left. */
static bool ktgt_tcp_txc_resend(struct ktgt_tcp_conn *tconn)
{
	struct ktgt_tcp_tx_cursor *c = &tconn->txc;
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(c->tx->cmd);
	u32 sn = tcmd->rs_next;

	if (READ_ONCE(tcmd->aborted) || sn == tcmd->rs_end)
		return false;
	tcmd->rs_next++;
	ktgt_tcp_txc_build_data_in(tconn,
				   ktgt_tcp_datain_offset(tcmd,
							  tconn->conn.params.max_burst,
							  sn), sn, true);
	return true;
}

/* Builds the next R2T; false if none may be sent now. */
static bool ktgt_tcp_txc_r2t(struct ktgt_tcp_conn *tconn)
{
	struct ktgt_tcp_tx_cursor *c = &tconn->txc;
	struct ktgt_cmd *cmd = c->tx->cmd;
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	const struct ktgt_conn_params *p = &tconn->conn.params;
	struct ktgt_bhs_r2t *h = (struct ktgt_bhs_r2t *)c->hdr;
	u32 sn, off, len;

	if (!tcmd->want_data || READ_ONCE(tcmd->aborted))
		return false;
	if (!ktgt_tcp_one_seq(p) ||
	    !ktgt_tcp_recovery_r2t(tconn, cmd, &sn, &off, &len)) {
		/*
		 * A plain R2T; in one-sequence mode none while a sequence
		 * (unsolicited, or a recovery) is in progress
		 * (tcp_dataseq.c).
		 */
		if (tcmd->r2t_next >= cmd->xfer_len ||
		    tcmd->r2t_outstanding >= p->max_outstanding_r2t ||
		    (ktgt_tcp_one_seq(p) && ktgt_tcp_seq_busy(tconn, cmd)))
			return false;
		sn = tcmd->r2t_sn++;
		off = tcmd->r2t_next;
		len = min(cmd->xfer_len - tcmd->r2t_next, p->max_burst);
		tcmd->r2t_next += len;
		tcmd->r2t_outstanding++;
		ktgt_tcp_seq_start(tcmd, off, len);
	}
	tcmd->last_r2t_sn = sn;
	tcmd->last_r2t_off = off;
	tcmd->last_r2t_len = len;

	memset(h, 0, sizeof(*h));
	h->opcode = KTGT_OP_R2T;
	h->flags = KTGT_BHS_F;
	memcpy(h->lun, cmd->lun, sizeof(h->lun));
	h->itt = cpu_to_be32(cmd->itt);
	h->ttt = cpu_to_be32(tcmd->ttt);
	ktgt_conn_stamp_bhs(&tconn->conn, c->hdr, KTGT_STAMP_PEEK);
	h->r2tsn = cpu_to_be32(sn);
	h->buffer_offset = cpu_to_be32(off);
	h->desired_len = cpu_to_be32(len);
	cmd->exp_datasn = tcmd->r2t_sn;

	c->data_len = 0;
	ktgt_tcp_txc_frame(tconn, 0);
	return true;
}

/* Takes the next item off the queue and frames its first PDU. */
static bool ktgt_tcp_txc_next(struct ktgt_tcp_conn *tconn)
{
	struct ktgt_tcp_tx_cursor *c = &tconn->txc;
	const struct ktgt_pdu_out *pdu;
	struct ktgt_tcp_tx *tx;

	for (;;) {
		spin_lock_irq(&tconn->tx_lock);
		tx = list_first_entry_or_null(&tconn->tx_queue,
					      struct ktgt_tcp_tx, node);
		if (tx) {
			list_del(&tx->node);
			tx->queued = false;
			if (tx->kind == KTGT_TCP_TX_R2T)
				ktgt_tcp_cmd(tx->cmd)->r2t_queued = false;
		}
		spin_unlock_irq(&tconn->tx_lock);
		if (!tx)
			return false;

		c->tx = tx;
		c->active = true;
		switch (tx->kind) {
		case KTGT_TCP_TX_PDU:
			pdu = ktgt_tcp_tx_pdu(tx);
			memcpy(c->hdr, pdu->bhs, KTGT_BHS_LEN);
			/*
			 * Leaves the queue: StatSN in the order of sending. A
			 * task's response names its task (kept at ERL 2).
			 */
			if (!tx->light && pdu->stamp == KTGT_STAMP_ADVANCE)
				ktgt_conn_stamp_rsp(&tconn->conn, c->hdr,
						    tx->cmd, pdu->data,
						    pdu->data_len);
			else
				ktgt_conn_stamp_pdu(&tconn->conn, c->hdr,
						    pdu->stamp, pdu->data,
						    pdu->data_len);
			c->data_off = 0;
			c->data_len = pdu->data_len;
			ktgt_tcp_txc_frame(tconn, pdu->data_len &&
					   tconn->conn.params.data_digest ?
					   ktgt_tcp_crc(~0u, pdu->data,
							pdu->data_len) : 0);
			return true;
		case KTGT_TCP_TX_DATA_IN:
			if (READ_ONCE(ktgt_tcp_cmd(tx->cmd)->aborted))
				break;
			c->pdu_off = 0;
			ktgt_tcp_txc_data_in(tconn);
			return true;
		case KTGT_TCP_TX_R2T:
			if (ktgt_tcp_txc_r2t(tconn))
				return true;
			break;
		case KTGT_TCP_TX_DATA_RESEND:
			if (ktgt_tcp_txc_resend(tconn))
				return true;
			break;
		}
		/* Nothing to send for this item after all. */
		c->active = false;
		ktgt_tcp_tx_put(tx);
	}
}

static int ktgt_tcp_send_buf(struct ktgt_tcp_conn *tconn, const void *buf,
			     u32 len, bool more)
{
	struct msghdr msg = {
		.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL | (more ? MSG_MORE : 0),
	};
	struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };

	return kernel_sendmsg(tconn->sock, &msg, &iov, 1, len);
}

/* Sends from @cmd's pages at @off, at most @len bytes, without copying. */
static int ktgt_tcp_send_pages(struct ktgt_tcp_conn *tconn,
			       struct ktgt_cmd *cmd, u32 off, u32 len,
			       bool more)
{
	int flags = MSG_DONTWAIT | MSG_NOSIGNAL;
	struct scatterlist *sg;
	unsigned int i;
	u32 chunk;

	for_each_sg(cmd->sgl, sg, cmd->nents, i) {
		if (off < sg->length)
			break;
		off -= sg->length;
	}
	if (WARN_ON_ONCE(!sg))
		return -EIO;
	chunk = min(len, sg->length - off);
	if (more || chunk < len)
		flags |= MSG_MORE | MSG_SENDPAGE_NOTLAST;
	return kernel_sendpage(tconn->sock, sg_page(sg), sg->offset + off,
			       chunk, flags);
}

/*
 * Fault injection (tcp_fault.c) on a PDU about to be written: dropped
 * (true: it counts as sent) or a digest bit flipped.
 */
static bool ktgt_tcp_txc_fault(struct ktgt_tcp_tx_cursor *c)
{
	switch (ktgt_tcp_fault_check(c->hdr[0] & KTGT_OPCODE_MASK)) {
	case KTGT_TCP_FAULT_DROP:
		return true;
	case KTGT_TCP_FAULT_HDIGEST:
		if (c->hdr_len > KTGT_BHS_LEN)
			c->hdr[KTGT_BHS_LEN] ^= 1;
		return false;
	case KTGT_TCP_FAULT_DDIGEST:
		if (c->trailer_len >= KTGT_DIGEST_LEN)
			c->trailer[c->trailer_len - KTGT_DIGEST_LEN] ^= 1;
		return false;
	default:
		return false;
	}
}

/* Sends what it can of the current PDU: 1 when it is all out. */
static int ktgt_tcp_txc_send(struct ktgt_tcp_conn *tconn)
{
	struct ktgt_tcp_tx_cursor *c = &tconn->txc;
	struct ktgt_cmd *cmd = c->tx->cmd;
	int ret;

	if (!c->fault_checked) {
		c->fault_checked = true;
		if (ktgt_tcp_txc_fault(c))
			return 1;
	}

	while (c->hdr_sent < c->hdr_len) {
		ret = ktgt_tcp_send_buf(tconn, c->hdr + c->hdr_sent,
					c->hdr_len - c->hdr_sent,
					c->data_len || c->trailer_len);
		if (ret <= 0)
			return ret ? ret : -EAGAIN;
		c->hdr_sent += ret;
	}
	while (c->data_sent < c->data_len) {
		/*
		 * MSG_MORE only while this PDU goes on: the trailer, or
		 * the next page (send_pages knows). Corking the end of a
		 * PDU would hold it until the next send, which for the
		 * last Data-In with status never comes.
		 */
		bool more = c->trailer_len;

		if (c->tx->kind == KTGT_TCP_TX_DATA_IN ||
		    c->tx->kind == KTGT_TCP_TX_DATA_RESEND)
			ret = ktgt_tcp_send_pages(tconn, cmd,
						  c->data_off + c->data_sent,
						  c->data_len - c->data_sent,
						  more);
		else
			ret = ktgt_tcp_send_buf(tconn,
						(u8 *)ktgt_tcp_tx_pdu(c->tx)->data +
						c->data_sent,
						c->data_len - c->data_sent,
						c->trailer_len);
		if (ret <= 0)
			return ret ? ret : -EAGAIN;
		c->data_sent += ret;
	}
	while (c->trailer_sent < c->trailer_len) {
		ret = ktgt_tcp_send_buf(tconn, c->trailer + c->trailer_sent,
					c->trailer_len - c->trailer_sent, false);
		if (ret <= 0)
			return ret ? ret : -EAGAIN;
		c->trailer_sent += ret;
	}
	return 1;
}

/* Sends up to @budget PDUs; returns how many, or -errno. */
int ktgt_tcp_try_send(struct ktgt_tcp_conn *tconn, int budget)
{
	struct ktgt_tcp_tx_cursor *c = &tconn->txc;
	int done = 0, ret;

	while (done < budget) {
		if (!c->active && !ktgt_tcp_txc_next(tconn))
			break;
		ret = ktgt_tcp_txc_send(tconn);
		if (ret == -EAGAIN)
			break;
		if (ret < 0)
			return ret;
		done++;
		/*
		 * More PDUs from the same item? Not for an aborted task:
		 * the PDU on the wire is finished, the rest is dropped.
		 */
		if (c->tx->kind == KTGT_TCP_TX_DATA_IN &&
		    c->pdu_off < c->tx->cmd->xfer_len &&
		    !READ_ONCE(ktgt_tcp_cmd(c->tx->cmd)->aborted)) {
			ktgt_tcp_txc_data_in(tconn);
			continue;
		}
		if (c->tx->kind == KTGT_TCP_TX_R2T && ktgt_tcp_txc_r2t(tconn))
			continue;
		if (c->tx->kind == KTGT_TCP_TX_DATA_RESEND &&
		    ktgt_tcp_txc_resend(tconn))
			continue;
		c->active = false;
		ktgt_tcp_tx_done(tconn, c->tx);
		if (c->tx->kind == KTGT_TCP_TX_PDU &&
		    ktgt_tcp_tx_pdu(c->tx)->close_conn) {
			ktgt_tcp_tx_put(c->tx);
			ktgt_tcp_fail(tconn, NULL, 0);
			return done;
		}
		ktgt_tcp_tx_put(c->tx);
	}
	return done;
}
