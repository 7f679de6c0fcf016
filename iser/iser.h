/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private declarations of ktgt_iser.ko, the iSER datamover (RFC 7145).
 *
 * One RC QP per connection, one CQ (IB_POLL_WORKQUEUE: receive handling
 * calls into the core, which may sleep) shared by sends and receives, so
 * receives, RDMA READ completions and send completions of a connection are
 * handled one at a time, in order.
 *
 * Receive: a fixed pool of buffers, each big enough for the iSER header,
 * the BHS, some AHS and an 8 KiB data segment (login PDUs, and
 * TargetRecvDataSegmentLength, which our limits cap at 8192), re-posted as
 * soon as the core has consumed the PDU.
 *
 * Transmit: every send goes through a FIFO (tx_list) and a credit count of
 * send queue slots; plain PDUs are posted directly when nothing waits,
 * read data (RDMA WRITE chained before the response SEND) and write data
 * (RDMA READ) go through tx_work, because rdma_rw_ctx_init() may sleep and
 * put_data may be called from hard irq. StatSN, ExpCmdSN and MaxCmdSN are
 * stamped into a response under iconn->lock right before it is posted,
 * so StatSN follows the order of the posts (ktgt_iser_tx_post()).
 */
#ifndef KTGT_ISER_PRIV_H
#define KTGT_ISER_PRIV_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <rdma/ib_verbs.h>
#include <rdma/ib_cm.h>
#include <rdma/rdma_cm.h>
#include <rdma/rw.h>
#include <scsi/iser.h>

#include <ktgt/core.h>
#include <ktgt/proto/pdu.h>
#include <ktgt/proto/iser.h>

struct ktgt_np;

#define KTGT_ISER_HDR_LEN	28	/* sizeof(struct iser_ctrl) */
#define KTGT_ISER_HDRS_LEN	(KTGT_ISER_HDR_LEN + KTGT_BHS_LEN)
/* Data segment a receive buffer holds: login PDUs and TargetRecvDSL. */
#define KTGT_ISER_RX_DSL	8192
#define KTGT_ISER_RX_AHS	256
#define KTGT_ISER_RX_SIZE	ALIGN(KTGT_ISER_HDRS_LEN + KTGT_ISER_RX_AHS + \
				      KTGT_ISER_RX_DSL, 64)
#define KTGT_ISER_RX_CHUNK	(64 * 1024)	/* buffers are carved from these */
#define KTGT_ISER_NR_RX		128		/* receive buffers posted */
#define KTGT_ISER_MAX_CMDS	256		/* send queue sizing */
#define KTGT_ISER_SQ_SIZE	(2 * KTGT_ISER_MAX_CMDS + 16)
/* TASK REASSIGN requests whose STags wait for the core (iser_erl2.c). */
#define KTGT_ISER_REASSIGN_SLOTS	8
/* After a Logout Response, how long the initiator has to disconnect. */
#define KTGT_ISER_LOGOUT_GRACE	(2 * HZ)

extern struct workqueue_struct *ktgt_iser_wq;

struct ktgt_iser_listener {
	struct ktgt_np *np;
	spinlock_t lock;		/* protects id against device removal */
	struct rdma_cm_id *id;
};

struct ktgt_iser_rx_desc {
	struct ib_cqe cqe;
	struct ib_sge sge;
	struct ib_recv_wr wr;
	u8 *buf;
};

enum ktgt_iser_tx_kind {
	KTGT_ISER_TX_SEND,		/* a PDU [+ RDMA WRITE of read data] */
	KTGT_ISER_TX_READ,		/* RDMA READ of the solicited data */
};

/*
 * One queued post; lives in a command's transport area or in a light
 * PDU's. It references its owner, @cmd or @light (the other is NULL),
 * while queued or posted.
 */
struct ktgt_iser_tx {
	struct list_head node;		/* iconn->tx_list (iconn->lock) */
	bool queued;			/* on tx_list (iconn->lock) */
	struct ib_cqe cqe;
	struct ktgt_cmd *cmd;
	struct ktgt_light_pdu *light;
	enum ktgt_iser_tx_kind kind;
	bool prepared;			/* mapped, rw ctx set up */
	u32 credits;			/* send queue slots the post uses */
	u32 reads;			/* RDMA READ requests in a READ post */
};

/* What the iSER header of a SCSI Command said (RFC 7145 9.2). */
struct ktgt_iser_stags {
	u8 flags;			/* ISER_WSV, ISER_RSV */
	u32 write_stag;			/* initiator's buffer we RDMA READ */
	u64 write_va;			/* ... at offset max(unsol, imm) */
	u32 read_stag;			/* initiator's buffer we RDMA WRITE */
	u64 read_va;
};

/*
 * The Send of one PDU: part of a command's iSER state, and the whole
 * transport area of a light PDU (ktgt_light_priv()).
 */
struct ktgt_iser_send {
	struct ktgt_iser_tx tx;
	struct ib_send_wr wr;
	struct ib_sge sge[2];
	u8 hdr[KTGT_ISER_HDRS_LEN];	/* iSER header + BHS being sent */
	u64 hdr_dma;
	u64 data_dma;
	u32 data_len;
	void *bounce;			/* copy of a vmalloc'ed data segment */
	bool close;			/* close the connection once sent */
};

/* Per-command iSER state (ktgt_cmd_priv()). */
struct ktgt_iser_cmd {
	struct ktgt_iser_send send;
	struct ktgt_iser_tx read_tx;

	struct ktgt_iser_stags stags;
	bool have_stags;

	/* rdma_rw: one context, READ (writes) or WRITE (reads), never both */
	struct rdma_rw_ctx rw;
	bool rw_active;
	enum dma_data_direction rw_dir;
	u32 rw_nents;
	struct scatterlist *rw_trim;	/* entry shortened for the transfer */
	u32 rw_trim_len;		/* its real length */
	bool want_write;		/* put_data: RDMA WRITE before the SEND */

	/* write data: CQ context only (and the teardown, after the drain) */
	struct list_head wait_node;	/* iconn->waiting, referenced */
	bool waiting;			/* on iconn->waiting (iconn->lock):
					 * the list holds a reference
					 */
	bool want_data;			/* get_data was called, not ready yet */
	bool read_needed;
	bool read_done;
	bool from_start;		/* reassigned (ERL 2): the RDMA READ
					 * covers the whole transfer, at the
					 * new Write STag's VA
					 */
	u32 unsol_off;			/* next unsolicited Data-Out offset */
	u32 unsol_datasn;
};

struct ktgt_iser_conn {
	struct ktgt_conn conn;		/* must be first: see ktgt_iser_conn() */
	struct rdma_cm_id *cm_id;
	struct ib_device *dev;
	u32 port_num;
	struct ib_pd *pd;
	struct ib_cq *cq;
	struct ib_qp *qp;
	bool snd_w_inv;			/* the initiator takes remote invalidation */

	struct ktgt_iser_rx_desc *rx;
	unsigned int nr_rx;
	void **rx_chunk;
	u64 *rx_chunk_dma;
	unsigned int nr_chunks;
	unsigned int rx_per_chunk;

	bool ffp_checked;		/* CQ context: negotiation looked at */
	/* iSER Hello (iser_hello.c); CQ context only */
	bool rx_seen;			/* a first message was received */
	bool hello_rejected;		/* we refused its iSER version */
	u16 ord;			/* RDMA READ depth the CM gave the QP */
	u8 hello_rsp[KTGT_ISER_HELLOREPLY_LEN];
	u64 hello_dma;
	struct ib_cqe hello_cqe;
	struct ib_sge hello_sge;
	struct ib_send_wr hello_wr;

	/* The iSER header of the SCSI Command being received; see iser_rx.c */
	spinlock_t stash_lock;
	bool stash_valid;
	u32 stash_itt;
	struct ktgt_iser_stags stash;

	/*
	 * The STags of the TASK REASSIGN requests received, by Referenced
	 * Task Tag, until the core moves the task here (iser_erl2.c);
	 * under stash_lock. A few: each is taken at once.
	 */
	struct {
		bool valid;
		u32 rtt;
		struct ktgt_iser_stags st;
	} reassign[KTGT_ISER_REASSIGN_SLOTS];
	unsigned int reassign_next;

	/* lock protects tx_list, sq_avail and the flags below; any context */
	spinlock_t lock;
	struct list_head tx_list;
	struct list_head waiting;	/* commands waiting for write data */
	u32 sq_avail;			/* free send queue slots */
	u32 sq_size;
	u32 max_reads;			/* RDMA READ requests we may have
					 * out: U32_MAX, or a Hello's iSER-IRD
					 */
	u32 reads_out;			/* RDMA READ requests posted */
	struct ktgt_iser_tx *preparing;	/* first on tx_list, being prepared
					 * by tx_work without the lock:
					 * abort_cmd leaves it there
					 */
	bool closing;			/* no more posts, nothing reaches the
					 * core from a completion; tx_work is
					 * queued only while it is false
					 */
	bool stopped;			/* stop_conn started */
	bool teardown_started;		/* teardown_work is running or ran */
	bool disconnected;		/* rdma_disconnect() was called (the
					 * teardown, then stop_conn: in turn)
					 */
	struct work_struct tx_work;
	struct delayed_work teardown_work;
};

static inline struct ktgt_iser_conn *ktgt_iser_conn(struct ktgt_conn *conn)
{
	return container_of(conn, struct ktgt_iser_conn, conn);
}

static inline struct ktgt_iser_cmd *ktgt_iser_cmd(struct ktgt_cmd *cmd)
{
	return ktgt_cmd_priv(cmd);
}

/* iser_listen.c */
int ktgt_iser_add_portal(struct ktgt_np *np);
void ktgt_iser_remove_portal(struct ktgt_np *np);

/* iser_conn.c */
int ktgt_iser_connect(struct ktgt_iser_listener *l, struct rdma_cm_id *id,
		      struct rdma_cm_event *ev);
int ktgt_iser_conn_cm_handler(struct rdma_cm_id *id, struct rdma_cm_event *ev);
void ktgt_iser_fail(struct ktgt_iser_conn *iconn, const char *why, int err);
void ktgt_iser_close_later(struct ktgt_iser_conn *iconn);
void ktgt_iser_stop_conn(struct ktgt_conn *conn);
void ktgt_iser_release_conn(struct ktgt_conn *conn);

/* iser_rx.c */
int ktgt_iser_rx_alloc(struct ktgt_iser_conn *iconn);
void ktgt_iser_rx_free(struct ktgt_iser_conn *iconn);
int ktgt_iser_rx_post_all(struct ktgt_iser_conn *iconn);
int ktgt_iser_get_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
int ktgt_iser_fetch(struct ktgt_iser_conn *iconn, struct ktgt_cmd *cmd,
		    bool from_start);
void ktgt_iser_take_stags(struct ktgt_iser_conn *iconn, struct ktgt_cmd *cmd);
void ktgt_iser_read_done(struct ib_cq *cq, struct ib_wc *wc);

/* iser_erl2.c: TASK REASSIGN (ErrorRecoveryLevel 2) */
void ktgt_iser_note_reassign(struct ktgt_iser_conn *iconn, u32 rtt,
			     const struct ktgt_iser_stags *st);
int ktgt_iser_reassign_begin(struct ktgt_conn *conn, struct ktgt_cmd *cmd,
			     bool finished);
int ktgt_iser_reassign_cmd(struct ktgt_conn *conn, struct ktgt_cmd *cmd,
			   u32 exp_datasn);

/* iser_hello.c */
int ktgt_iser_rx_hello(struct ktgt_iser_conn *iconn, const u8 *buf, u32 len);

/* iser_tx.c */
int ktgt_iser_queue_pdu(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
int ktgt_iser_queue_light(struct ktgt_conn *conn, struct ktgt_light_pdu *lp);
void ktgt_iser_abort_cmd(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
void ktgt_iser_tx_put(struct ktgt_iser_tx *tx);
int ktgt_iser_put_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
void ktgt_iser_tx_work(struct work_struct *work);
void ktgt_iser_queue_read(struct ktgt_iser_conn *iconn, struct ktgt_cmd *cmd);
void ktgt_iser_tx_drop_all(struct ktgt_iser_conn *iconn);
void ktgt_iser_kick_locked(struct ktgt_iser_conn *iconn);
void ktgt_iser_rw_destroy(struct ktgt_iser_conn *iconn, struct ktgt_cmd *cmd);

#endif /* KTGT_ISER_PRIV_H */
