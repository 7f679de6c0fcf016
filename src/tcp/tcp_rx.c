// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_tcp: the receive state machine.
 *
 * BHS -> [AHS + header digest] -> data segment (into rx_buf, or for a
 * Data-Out we can place, straight into the command's pages) -> padding
 * and data digest -> hand to the core. Every step reads what the socket
 * has without blocking and resumes on the next data_ready.
 *
 * rx_buf is allocated when a data segment first needs it and grows (in
 * io_work, process context) only as far as a PDU needs: at most 8 KiB
 * during login, at most the negotiated MaxRecvDataSegmentLength after.
 * An idle accepted connection holds no receive buffer at all.
 */
#define pr_fmt(fmt) "ktgt_tcp: " fmt

#include <linux/net.h>
#include <linux/highmem.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <net/sock.h>

#include <ktgt/core.h>
#include "tcp.h"

/* Reads up to @len bytes; >0 bytes read, -EAGAIN, or -ECONNRESET on EOF. */
static int ktgt_tcp_recv(struct ktgt_tcp_conn *tconn, void *buf, size_t len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	int ret;

	ret = kernel_recvmsg(tconn->sock, &msg, &iov, 1, len, msg.msg_flags);
	if (ret == 0)
		return -ECONNRESET;
	return ret;
}

static void ktgt_tcp_rx_reset(struct ktgt_tcp_conn *tconn)
{
	tconn->rx_state = KTGT_TCP_RX_BHS;
	tconn->rx_hdr_got = 0;
	tconn->rx_hdr_need = KTGT_BHS_LEN;
	tconn->rx_got = 0;
	tconn->rx_need = 0;
	tconn->rx_trailer_got = 0;
	tconn->rx_digest_bad = false;
	tconn->rx_discard = false;
	tconn->rx_silent = false;
}

static bool ktgt_tcp_ddigest(struct ktgt_tcp_conn *tconn)
{
	return tconn->conn.state != KTGT_CONN_LOGIN &&
	       tconn->conn.params.data_digest;
}

static bool ktgt_tcp_hdigest(struct ktgt_tcp_conn *tconn)
{
	return tconn->conn.state != KTGT_CONN_LOGIN &&
	       tconn->conn.params.header_digest;
}

/* Sets up reading the padding and data digest after a data segment. */
static void ktgt_tcp_rx_trailer(struct ktgt_tcp_conn *tconn, u32 data_len)
{
	tconn->rx_trailer_got = 0;
	tconn->rx_trailer_need = ktgt_pad4(data_len) - data_len;
	if (data_len && ktgt_tcp_ddigest(tconn))
		tconn->rx_trailer_need += KTGT_DIGEST_LEN;
	tconn->rx_state = KTGT_TCP_RX_PAD_DIGEST;
}

enum ktgt_tcp_place {
	KTGT_TCP_PLACE,		/* into the command's buffer (rx_cmd) */
	KTGT_TCP_TO_CORE,	/* the core rejects it */
	KTGT_TCP_DROP,		/* ERL > 0: an old copy, read and dropped */
};

/*
 * Decides where a Data-Out's payload goes: placed into a command's
 * buffer (tconn->rx_cmd set, referenced, rx_seq_end the end of its
 * sequence), handed to the core, or dropped. At ERL > 0 a PDU ahead of
 * the cursor inside the sequence in progress is placed and the bytes it
 * skipped are lost (tcp_dataseq.c); one behind it is an old copy.
 */
static enum ktgt_tcp_place ktgt_tcp_dataout_place(struct ktgt_tcp_conn *tconn)
{
	const struct ktgt_pdu *pdu = &tconn->rx_pdu;
	struct ktgt_tcp_cmd *tcmd;
	struct ktgt_cmd *cmd;
	u32 off = pdu->data_out.buffer_offset;
	u32 len = pdu->data_len;
	u32 end;

	cmd = ktgt_conn_find_cmd(&tconn->conn, pdu->itt);
	if (!cmd)
		return KTGT_TCP_TO_CORE;
	tcmd = ktgt_tcp_cmd(cmd);
	if (cmd->dir != KTGT_DIR_WRITE || len > cmd->edtl - off ||
	    off > cmd->edtl)
		goto refuse;
	if (pdu->data_out.ttt == KTGT_RSVD_TAG) {
		/* Unsolicited: only inside the unsolicited burst. */
		if (off + len > cmd->unsol_len)
			goto refuse;
	} else if (!tcmd->want_data || pdu->data_out.ttt != tcmd->ttt ||
		   off + len > tcmd->r2t_next) {
		goto refuse;
	}
	end = ktgt_tcp_seq_end(tconn, cmd);
	if (!tconn->conn.params.data_pdu_in_order) {
		/* Anywhere in the sequence, each byte once (dataplace.c). */
		switch (ktgt_dplace_check(&tcmd->dp, off, len)) {
		case 0:
			break;
		case -EEXIST:
			if (tconn->conn.params.erl) {
				ktgt_cmd_put(cmd);
				return KTGT_TCP_DROP;
			}
			goto refuse;
		default:
			goto refuse;
		}
		tcmd->rx_off = off;	/* the write cursor of this PDU */
	} else if (off != tcmd->rx_off ||
		   pdu->data_out.datasn != tcmd->rx_burst_sn) {
		if (!tconn->conn.params.erl)
			goto refuse;
		if (off < tcmd->rx_off || tcmd->rec_pending) {
			ktgt_cmd_put(cmd);
			return KTGT_TCP_DROP;
		}
		if (off + len > end)
			goto refuse;
		/* A gap, or a DataSN out of step: lost from the cursor. */
		ktgt_tcp_seq_lost(tcmd, tcmd->rx_off);
		tcmd->rx_off = off;
		tcmd->rx_burst_sn = pdu->data_out.datasn;
	} else if (off + len > end) {
		goto refuse;
	}
	tconn->rx_cmd = cmd;
	tconn->rx_seq_end = end;
	return KTGT_TCP_PLACE;
refuse:
	pr_debug("Data-Out ITT %#x offset %u len %u refused\n",
		 pdu->itt, off, len);
	ktgt_cmd_put(cmd);
	return KTGT_TCP_TO_CORE;
}

/*
 * Makes rx_buf hold a data segment of @len bytes (@len is at most
 * KTGT_TCP_RX_BUF, and at most KTGT_TCP_LOGIN_DSL during login). A segment
 * over MaxRecvDataSegmentLength is read and dropped instead: the core
 * rejects it without looking at its data (ktgt_conn_rx_pdu()).
 */
static int ktgt_tcp_rx_buf_fit(struct ktgt_tcp_conn *tconn, u32 len)
{
	u32 cap = KTGT_TCP_LOGIN_DSL, size;

	if (tconn->conn.state != KTGT_CONN_LOGIN)
		cap = min_t(u32, tconn->conn.params.max_recv_dsl,
			    KTGT_TCP_RX_BUF);
	if (len > cap) {
		tconn->rx_discard = true;
		return 0;
	}
	if (len <= tconn->rx_buf_size)
		return 0;
	size = min_t(u32, max_t(u32, roundup_pow_of_two(len),
				KTGT_TCP_RX_BUF_MIN), cap);
	kvfree(tconn->rx_buf);
	tconn->rx_buf_size = 0;
	tconn->rx_buf = kvmalloc(size, GFP_KERNEL);
	if (!tconn->rx_buf)
		return -ENOMEM;
	tconn->rx_buf_size = size;
	return 0;
}

/* ERL > 0: the PDU is read to its end and dropped, nobody sees it. */
static int ktgt_tcp_rx_silent(struct ktgt_tcp_conn *tconn)
{
	tconn->rx_silent = true;
	tconn->rx_discard = true;
	tconn->rx_crc = ~0u;
	tconn->rx_got = 0;
	tconn->rx_need = tconn->rx_pdu.data_len;
	if (tconn->rx_need)
		tconn->rx_state = KTGT_TCP_RX_DATA;
	else
		ktgt_tcp_rx_trailer(tconn, 0);
	return 0;
}

/* The header is complete: check it and choose where the data goes. */
static int ktgt_tcp_rx_header(struct ktgt_tcp_conn *tconn, int *hdr_err)
{
	struct ktgt_pdu *pdu = &tconn->rx_pdu;
	u32 hlen = KTGT_BHS_LEN + pdu->ahs_len * 4;
	int ret;

	if (ktgt_tcp_hdigest(tconn)) {
		u8 want[KTGT_DIGEST_LEN];

		ktgt_tcp_put_digest(ktgt_tcp_crc(~0u, tconn->rx_hdr, hlen), want);
		if (memcmp(want, tconn->rx_hdr + hlen, KTGT_DIGEST_LEN)) {
			/*
			 * RFC 7143 7.8: discard up to a later PDU, or close.
			 * At ERL 0 the connection closes; above, the PDU is
			 * dropped unseen (the initiator recovers) if its
			 * DataSegmentLength is one we could have been sent:
			 * the next PDU is found by trusting it, with no
			 * markers to resynchronize on.
			 */
			if (!tconn->conn.params.erl ||
			    tconn->conn.state != KTGT_CONN_FULL_FEATURE ||
			    pdu->data_len > tconn->conn.params.max_recv_dsl) {
				pr_warn("header digest error from %pISpc\n",
					&tconn->conn.peer);
				return -EBADMSG;
			}
			pr_warn_ratelimited("header digest error from %pISpc: PDU dropped\n",
					    &tconn->conn.peer);
			return ktgt_tcp_rx_silent(tconn);
		}
	}
	if (tconn->conn.state == KTGT_CONN_LOGIN &&
	    pdu->data_len > KTGT_TCP_LOGIN_DSL) {
		/* RFC 7143 13.12: MaxRecvDataSegmentLength is 8192 in login. */
		pr_warn("data segment of %u bytes from %pISpc during login\n",
			pdu->data_len, &tconn->conn.peer);
		return -EMSGSIZE;
	}
	if (pdu->data_len > KTGT_TCP_RX_BUF &&
	    (pdu->opcode != KTGT_OP_DATA_OUT || *hdr_err)) {
		pr_warn("data segment of %u bytes from %pISpc is too long\n",
			pdu->data_len, &tconn->conn.peer);
		return -EMSGSIZE;
	}

	tconn->rx_crc = ~0u;
	tconn->rx_got = 0;
	tconn->rx_need = pdu->data_len;
	if (!*hdr_err && pdu->opcode == KTGT_OP_DATA_OUT &&
	    tconn->conn.state == KTGT_CONN_FULL_FEATURE) {
		switch (ktgt_tcp_dataout_place(tconn)) {
		case KTGT_TCP_PLACE:
			tconn->rx_state = KTGT_TCP_RX_DATA_OUT;
			return 0;
		case KTGT_TCP_DROP:
			return ktgt_tcp_rx_silent(tconn);
		case KTGT_TCP_TO_CORE:
			break;
		}
	}
	if (pdu->data_len > KTGT_TCP_RX_BUF)
		return -EMSGSIZE;
	if (pdu->data_len) {
		ret = ktgt_tcp_rx_buf_fit(tconn, pdu->data_len);
		if (ret)
			return ret;
		tconn->rx_state = KTGT_TCP_RX_DATA;
	} else {
		ktgt_tcp_rx_trailer(tconn, 0);
	}
	return 0;
}

/* Reads a data segment nobody will look at, for its digest only. */
static int ktgt_tcp_rx_drop(struct ktgt_tcp_conn *tconn)
{
	u8 scratch[256];
	u32 chunk;
	int ret;

	while (tconn->rx_got < tconn->rx_need) {
		chunk = min_t(u32, tconn->rx_need - tconn->rx_got,
			      sizeof(scratch));
		ret = ktgt_tcp_recv(tconn, scratch, chunk);
		if (ret < 0)
			return ret;
		if (ktgt_tcp_ddigest(tconn))
			tconn->rx_crc = ktgt_tcp_crc(tconn->rx_crc, scratch, ret);
		tconn->rx_got += ret;
	}
	ktgt_tcp_rx_trailer(tconn, tconn->rx_need);
	return 0;
}

/* Receives Data-Out payload into the command's pages at rx_off. */
static int ktgt_tcp_rx_dataout(struct ktgt_tcp_conn *tconn)
{
	struct ktgt_cmd *cmd = tconn->rx_cmd;
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);
	u32 off = tcmd->rx_off;
	struct scatterlist *sg;
	u8 scratch[256];
	u32 skip = off, chunk;
	unsigned int i;
	void *va;
	int ret;

	while (tconn->rx_got < tconn->rx_need) {
		chunk = tconn->rx_need - tconn->rx_got;
		if (off >= cmd->xfer_len) {
			/* Beyond what we asked for: read and drop. */
			chunk = min_t(u32, chunk, sizeof(scratch));
			ret = ktgt_tcp_recv(tconn, scratch, chunk);
			if (ret < 0)
				return ret;
			if (ktgt_tcp_ddigest(tconn))
				tconn->rx_crc = ktgt_tcp_crc(tconn->rx_crc,
							     scratch, ret);
		} else {
			skip = off;
			for_each_sg(cmd->sgl, sg, cmd->nents, i) {
				if (skip < sg->length)
					break;
				skip -= sg->length;
			}
			if (WARN_ON_ONCE(!sg))
				return -EIO;
			chunk = min3(chunk, sg->length - skip,
				     cmd->xfer_len - off);
			va = kmap_local_page(sg_page(sg));
			ret = ktgt_tcp_recv(tconn, va + sg->offset + skip, chunk);
			if (ret > 0 && ktgt_tcp_ddigest(tconn))
				tconn->rx_crc =
					ktgt_tcp_crc(tconn->rx_crc,
						     va + sg->offset + skip, ret);
			kunmap_local(va);
			if (ret < 0)
				return ret;
		}
		tconn->rx_got += ret;
		off += ret;
		tcmd->rx_off = off;
	}
	ktgt_tcp_rx_trailer(tconn, tconn->rx_need);
	return 0;
}

/*
 * A placed Data-Out is complete: account for it, maybe ask for more.
 * @lost: its data digest was wrong (ERL > 0; the core rejects it).
 */
static void ktgt_tcp_dataout_done(struct ktgt_tcp_conn *tconn, bool lost)
{
	const struct ktgt_pdu *pdu = &tconn->rx_pdu;
	struct ktgt_cmd *cmd = tconn->rx_cmd;
	struct ktgt_tcp_cmd *tcmd = ktgt_tcp_cmd(cmd);

	tconn->rx_cmd = NULL;
	ktgt_tcp_seq_pdu_done(tconn, cmd, pdu->data_out.buffer_offset,
			      pdu->data_len, pdu->final, lost);
	if (tcmd->want_data && ktgt_tcp_data_complete(tconn, cmd)) {
		tcmd->want_data = false;
		ktgt_cmd_data_ready(cmd, 0);
	} else if (tcmd->want_data &&
		   (tcmd->rec_pending || tcmd->r2t_next < cmd->xfer_len)) {
		ktgt_tcp_queue_r2t(tconn, cmd);
	}
	ktgt_cmd_put(cmd);
}

/* One step of the state machine; 1 when a PDU completed, 0, or -errno. */
static int ktgt_tcp_rx_step(struct ktgt_tcp_conn *tconn)
{
	struct ktgt_pdu *pdu = &tconn->rx_pdu;
	struct ktgt_rx rx;
	u32 want;
	int ret;

	switch (tconn->rx_state) {
	case KTGT_TCP_RX_BHS:
	case KTGT_TCP_RX_AHS:
		want = tconn->rx_hdr_need - tconn->rx_hdr_got;
		ret = ktgt_tcp_recv(tconn, tconn->rx_hdr + tconn->rx_hdr_got,
				    want);
		if (ret < 0)
			return ret;
		tconn->rx_hdr_got += ret;
		if (tconn->rx_hdr_got < tconn->rx_hdr_need)
			return 0;
		if (tconn->rx_state == KTGT_TCP_RX_BHS) {
			tconn->rx_pdu_err = ktgt_bhs_decode(tconn->rx_hdr, pdu);
			tconn->rx_hdr_need = KTGT_BHS_LEN + pdu->ahs_len * 4;
			if (ktgt_tcp_hdigest(tconn))
				tconn->rx_hdr_need += KTGT_DIGEST_LEN;
			if (tconn->rx_hdr_need > tconn->rx_hdr_got) {
				tconn->rx_state = KTGT_TCP_RX_AHS;
				return 0;
			}
		}
		return ktgt_tcp_rx_header(tconn, &tconn->rx_pdu_err);

	case KTGT_TCP_RX_DATA:
		if (tconn->rx_discard)
			return ktgt_tcp_rx_drop(tconn);
		ret = ktgt_tcp_recv(tconn, tconn->rx_buf + tconn->rx_got,
				    tconn->rx_need - tconn->rx_got);
		if (ret < 0)
			return ret;
		tconn->rx_got += ret;
		if (tconn->rx_got < tconn->rx_need)
			return 0;
		if (ktgt_tcp_ddigest(tconn))
			tconn->rx_crc = ktgt_tcp_crc(~0u, tconn->rx_buf,
						     tconn->rx_need);
		ktgt_tcp_rx_trailer(tconn, tconn->rx_need);
		return 0;

	case KTGT_TCP_RX_DATA_OUT:
		return ktgt_tcp_rx_dataout(tconn);

	case KTGT_TCP_RX_PAD_DIGEST:
		if (tconn->rx_trailer_got < tconn->rx_trailer_need) {
			ret = ktgt_tcp_recv(tconn,
					    tconn->rx_trailer + tconn->rx_trailer_got,
					    tconn->rx_trailer_need -
					    tconn->rx_trailer_got);
			if (ret < 0)
				return ret;
			tconn->rx_trailer_got += ret;
			if (tconn->rx_trailer_got < tconn->rx_trailer_need)
				return 0;
		}
		if (pdu->data_len && ktgt_tcp_ddigest(tconn)) {
			u32 pad = ktgt_pad4(pdu->data_len) - pdu->data_len;
			u8 want_dd[KTGT_DIGEST_LEN];

			tconn->rx_crc = ktgt_tcp_crc(tconn->rx_crc,
						     tconn->rx_trailer, pad);
			ktgt_tcp_put_digest(tconn->rx_crc, want_dd);
			tconn->rx_digest_bad = memcmp(want_dd,
						      tconn->rx_trailer + pad,
						      KTGT_DIGEST_LEN) != 0;
		}
		if (tconn->rx_silent) {
			ktgt_tcp_rx_reset(tconn);
			return 1;
		}
		if (tconn->rx_cmd && !tconn->rx_digest_bad) {
			ktgt_tcp_dataout_done(tconn, false);
			ktgt_tcp_rx_reset(tconn);
			return 1;
		}
		if (tconn->rx_cmd && !tconn->conn.params.erl) {
			/* ERL 0: the data is lost; so is the task. */
			pr_warn("data digest error in Data-Out\n");
			return -EBADMSG;
		}
		rx.pdu = pdu;
		rx.bhs = tconn->rx_hdr;
		rx.ahs = tconn->rx_hdr + KTGT_BHS_LEN;
		rx.ahs_len = pdu->ahs_len * 4;
		rx.data = tconn->rx_discard ? NULL : tconn->rx_buf;
		rx.hdr_err = tconn->rx_pdu_err;
		rx.data_digest_bad = tconn->rx_digest_bad;
		/* ERL > 0, a placed Data-Out's data digest error: the data
		 * is rejected (core), then asked again (tcp_dataseq.c).
		 */
		if (tconn->rx_cmd)
			rx.data = NULL;
		ret = ktgt_conn_rx_pdu(&tconn->conn, &rx);
		if (tconn->rx_cmd)
			ktgt_tcp_dataout_done(tconn, true);
		ktgt_tcp_rx_reset(tconn);
		return ret < 0 ? ret : 1;
	}
	return -EINVAL;
}

/*
 * Receives up to @budget PDUs; returns how many, or -errno. Stops, with
 * rx_paused set, while the send backlog is over tx_backlog_max: io_work
 * comes back once it has sent enough.
 */
int ktgt_tcp_try_recv(struct ktgt_tcp_conn *tconn, int budget)
{
	int done = 0, ret;

	while (done < budget) {
		if (ktgt_tcp_backlog_full(tconn)) {
			tconn->rx_paused = true;
			break;
		}
		ret = ktgt_tcp_rx_step(tconn);
		if (ret == -EAGAIN)
			break;
		if (ret < 0)
			return ret;
		done += ret;
	}
	return done;
}
