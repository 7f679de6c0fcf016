/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private declarations of ktgt_tcp.ko.
 *
 * One work item per connection (io_work) does all receiving and sending,
 * started from the socket's callbacks: no receive thread, no hand-off per
 * I/O. The receive side is a resumable state machine over non-blocking
 * reads; the send side keeps a cursor into the PDU at the head of the
 * queue, so a short write resumes where it stopped.
 */
#ifndef KTGT_TCP_PRIV_H
#define KTGT_TCP_PRIV_H

#include <linux/completion.h>
#include <linux/net.h>
#include <net/sock.h>

#include <ktgt/core.h>
#include <ktgt/proto/dataplace.h>
#include <ktgt/proto/snack.h>
#include <ktgt/proto/pdu.h>

struct ktgt_np;

/*
 * Largest data segment we accept outside Data-Out (login, text, imm).
 * rx_buf grows to it only as PDUs need, and never past the negotiated
 * MaxRecvDataSegmentLength; in the login phase at most
 * KTGT_TCP_LOGIN_DSL (RFC 7143 13.12: 8192 until login completes).
 */
#define KTGT_TCP_RX_BUF		(256 * 1024)
#define KTGT_TCP_LOGIN_DSL	8192
#define KTGT_TCP_RX_BUF_MIN	512
#define KTGT_TCP_HDR_MAX	(KTGT_BHS_LEN + KTGT_MAX_AHS_BYTES + KTGT_DIGEST_LEN)

extern struct workqueue_struct *ktgt_tcp_wq;
/* Connections: 2.2 KiB each, which kmalloc would round up to 4 KiB. */
extern struct kmem_cache *ktgt_tcp_conn_cache;

struct ktgt_tcp_listener {
	struct ktgt_np *np;
	struct socket *sock;
	struct delayed_work accept_work;	/* retried after a failure */
	void (*saved_data_ready)(struct sock *sk);
};

enum ktgt_tcp_tx_kind {
	KTGT_TCP_TX_PDU,		/* a struct ktgt_pdu_out: a task's
					 * SCSI Response or a light PDU
					 */
	KTGT_TCP_TX_DATA_IN,		/* Data-In PDUs over cmd->sgl */
	KTGT_TCP_TX_R2T,		/* as many R2Ts as may be outstanding */
	KTGT_TCP_TX_DATA_RESEND,	/* Data-In asked again (Data SNACK) */
};

/*
 * One queued send; lives in the command's transport area, or is the
 * whole transport area of a light PDU. It holds a reference on its
 * owner, @cmd or @light (the other is NULL), while queued or sent.
 */
struct ktgt_tcp_tx {
	struct list_head node;		/* tconn->tx_queue (tx_lock) */
	enum ktgt_tcp_tx_kind kind;
	bool queued;			/* on tx_queue (tx_lock) */
	struct ktgt_cmd *cmd;
	struct ktgt_light_pdu *light;
	u32 backlog;			/* bytes counted in tx_backlog */
};

/* Per-command TCP state (ktgt_cmd_priv()). */
struct ktgt_tcp_cmd {
	struct ktgt_tcp_tx pdu_tx;
	struct ktgt_tcp_tx data_tx;
	struct ktgt_tcp_tx r2t_tx;
	struct ktgt_tcp_tx resend_tx;	/* Data SNACK (tcp_datain.c) */
	bool r2t_queued;		/* r2t_tx is on the queue (tx_lock) */
	bool aborted;			/* abort_cmd ran: no more R2T or
					 * Data-In (tx_lock; io_work reads)
					 */
	/* Write data bookkeeping, io_work only. */
	bool want_data;			/* get_data was called */
	u32 r2t_next;			/* next offset to ask for */
	u32 r2t_outstanding;		/* R2Ts sent whose data is not all in */
	u32 r2t_sn;
	u32 ttt;
	u32 rx_off;			/* next Data-Out offset expected */
	u32 rx_burst_sn;		/* next DataSN expected in this burst */
	u32 datasn;			/* Data-In PDUs sent */
	/*
	 * How a read is cut into Data-In (tcp_datain.c): DataSN @seg_sn
	 * starts at @seg_off, then MaxRecvDataSegmentLength @seg_mdsl
	 * within each burst. Fixed when the read's data starts going out
	 * (put_data), changed only by an R-Data SNACK. io_work only, but
	 * put_data, which sets them before queueing the data.
	 */
	u32 seg_mdsl;
	u32 seg_sn;
	u32 seg_off;
	/* ERL > 0 reads, tcp_datain.c (io_work only). */
	bool status_sent;		/* the last Data-In with status went */
	bool rdata;			/* R-Data SNACK: Data-In carry no S */
	u32 status_sn;			/* StatSN of the status in Data-In */
	u32 dack_sn;			/* DataACK: Data-In before it are in */
	u32 rs_next;			/* Data SNACK: next DataSN to resend */
	u32 rs_end;			/* ... and one past the last */
	/*
	 * One sequence at a time (ERL > 0, PDUs or sequences out of
	 * order), tcp_dataseq.c: io_work only, but @rec_timeout, set by
	 * the core's Data-Out time-out under tx_lock. In order, a hole is
	 * [@bad_from, end of the sequence); out of order, @dp holds what
	 * arrived. Either is asked again with a recovery R2T.
	 */
	struct ktgt_dplace dp;		/* DataPDUInOrder=No: bytes placed */
	bool seq_bad;			/* the sequence in progress lost data */
	u32 bad_from;			/* ... from this offset on */
	bool recovering;		/* a recovery R2T's sequence is next */
	bool rec_pending;		/* that R2T is still to be sent */
	u32 rec_end;			/* where its sequence ends */
	bool rec_timeout;		/* the core asked (recover_data) */
	bool r2t_resend;		/* R2T SNACK: send @last_r2t again */
	u32 last_r2t_sn;		/* the last R2T sent, as sent */
	u32 last_r2t_off;
	u32 last_r2t_len;
};

enum ktgt_tcp_rx_state {
	KTGT_TCP_RX_BHS,
	KTGT_TCP_RX_AHS,		/* AHS and header digest */
	KTGT_TCP_RX_DATA,		/* data segment into rx_buf */
	KTGT_TCP_RX_DATA_OUT,		/* Data-Out payload into cmd->sgl */
	KTGT_TCP_RX_PAD_DIGEST,		/* padding and data digest */
};

/* Send cursor over the PDU being written, io_work only. */
struct ktgt_tcp_tx_cursor {
	struct ktgt_tcp_tx *tx;
	u8 hdr[KTGT_BHS_LEN + KTGT_DIGEST_LEN];
	u32 hdr_len;
	u32 hdr_sent;
	u32 data_off;			/* offset in the source of this PDU */
	u32 data_len;			/* bytes of data in this PDU */
	u32 data_sent;
	u8 trailer[3 + KTGT_DIGEST_LEN];
	u32 trailer_len;
	u32 trailer_sent;
	u32 pdu_off;			/* Data-In: offset of the next PDU */
	bool fault_checked;		/* tcp_fault.c saw this PDU */
	bool active;
};

struct ktgt_tcp_conn {
	struct ktgt_conn conn;		/* must be first: see ktgt_tcp_conn() */
	struct socket *sock;
	struct work_struct io_work;
	void (*saved_data_ready)(struct sock *sk);
	void (*saved_write_space)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);

	/* Receive state: io_work only. */
	enum ktgt_tcp_rx_state rx_state;
	u8 rx_hdr[KTGT_TCP_HDR_MAX];
	u32 rx_hdr_got;
	u32 rx_hdr_need;
	struct ktgt_pdu rx_pdu;
	int rx_pdu_err;			/* ktgt_bhs_decode() result */
	u8 *rx_buf;			/* rx_buf_size bytes, or NULL */
	u32 rx_buf_size;
	bool rx_discard;		/* the data segment is read and dropped */
	bool rx_paused;			/* receiving waits for tx_backlog */
	u32 rx_got;
	u32 rx_need;
	u8 rx_trailer[3 + KTGT_DIGEST_LEN];
	u32 rx_trailer_got;
	u32 rx_trailer_need;
	u32 rx_crc;
	bool rx_digest_bad;
	bool rx_silent;			/* ERL >= 1: drop the PDU unseen */
	u32 rx_seq_end;			/* end of rx_cmd's Data-Out sequence */
	struct ktgt_cmd *rx_cmd;	/* Data-Out target, referenced */

	/*
	 * tx_lock protects tx_queue, tx_backlog, closing and stopped, and
	 * is held whenever io_work is queued (ktgt_tcp_kick()), so none is
	 * queued after stop_conn; taken from any context.
	 */
	spinlock_t tx_lock;
	struct list_head tx_queue;
	u32 tx_backlog;			/* bytes of queued KTGT_TCP_TX_PDU */
	bool closing;			/* no more sends are queued */
	bool stopped;			/* stop_conn ran: io_work never again */
	bool callbacks_set;		/* socket callbacks are ours */
	struct completion started;	/* ktgt_tcp_conn_start() is done */
	struct ktgt_tcp_tx_cursor txc;	/* io_work only */
	bool closed_reported;		/* io_work only */
};

static inline struct ktgt_tcp_conn *ktgt_tcp_conn(struct ktgt_conn *conn)
{
	return container_of(conn, struct ktgt_tcp_conn, conn);
}

static inline struct ktgt_tcp_cmd *ktgt_tcp_cmd(struct ktgt_cmd *cmd)
{
	return ktgt_cmd_priv(cmd);
}

/*
 * The peer does not read what we queue: receive nothing more (so it
 * cannot make us queue more) until the backlog is sent.
 */
static inline bool ktgt_tcp_backlog_full(struct ktgt_tcp_conn *tconn)
{
	return READ_ONCE(tconn->tx_backlog) >
	       tconn->conn.params.tx_backlog_max;
}

/* tcp_listen.c */
int ktgt_tcp_add_portal(struct ktgt_np *np);
void ktgt_tcp_remove_portal(struct ktgt_np *np);

/* tcp_conn.c */
int ktgt_tcp_conn_start(struct ktgt_np *np, struct socket *sock);
void ktgt_tcp_stop_conn(struct ktgt_conn *conn);
void ktgt_tcp_release_conn(struct ktgt_conn *conn);
void ktgt_tcp_io_work(struct work_struct *work);
void ktgt_tcp_kick(struct ktgt_tcp_conn *tconn);
void ktgt_tcp_fail(struct ktgt_tcp_conn *tconn, const char *why, int err);

/* tcp_rx.c */
int ktgt_tcp_try_recv(struct ktgt_tcp_conn *tconn, int budget);

/* tcp_tx.c */
int ktgt_tcp_try_send(struct ktgt_tcp_conn *tconn, int budget);
int ktgt_tcp_queue_pdu(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
int ktgt_tcp_queue_light(struct ktgt_conn *conn, struct ktgt_light_pdu *lp);
void ktgt_tcp_abort_cmd(struct ktgt_conn *conn, struct ktgt_cmd *cmd);

/* tcp_datain.c: Data-In asked again (Data SNACK, DataACK) */
u32 ktgt_tcp_datain_offset(const struct ktgt_tcp_cmd *tcmd, u32 burst,
			   u32 datasn);
u32 ktgt_tcp_datain_count(u32 burst, u32 mdsl, u32 len);
int ktgt_tcp_reassign_cmd(struct ktgt_conn *conn, struct ktgt_cmd *cmd,
			  u32 exp_datasn);
int ktgt_tcp_data_snack(struct ktgt_conn *conn, struct ktgt_cmd *cmd,
			const struct ktgt_snack *sn);
u32 ktgt_tcp_next_ttt(void);

/* tcp_fault.c: transmit-path fault injection (debugfs ktgt_tcp/fault) */
enum ktgt_tcp_fault {
	KTGT_TCP_FAULT_NONE,
	KTGT_TCP_FAULT_DROP,
	KTGT_TCP_FAULT_HDIGEST,
	KTGT_TCP_FAULT_DDIGEST,
	KTGT_TCP_FAULT_NR,
};

enum ktgt_tcp_fault ktgt_tcp_fault_check(u8 opcode);
void ktgt_tcp_fault_init(void);
void ktgt_tcp_fault_exit(void);

/* tcp_dataseq.c: Data-Out sequences at ERL 1 and out of order */
bool ktgt_tcp_one_seq(const struct ktgt_conn_params *p);
u32 ktgt_tcp_seq_end(const struct ktgt_tcp_conn *tconn,
		     struct ktgt_cmd *cmd);
void ktgt_tcp_seq_start(struct ktgt_tcp_cmd *tcmd, u32 off, u32 len);
bool ktgt_tcp_seq_busy(const struct ktgt_tcp_conn *tconn,
		       struct ktgt_cmd *cmd);
bool ktgt_tcp_data_complete(const struct ktgt_tcp_conn *tconn,
			    struct ktgt_cmd *cmd);
void ktgt_tcp_seq_lost(struct ktgt_tcp_cmd *tcmd, u32 from);
void ktgt_tcp_seq_pdu_done(struct ktgt_tcp_conn *tconn, struct ktgt_cmd *cmd,
			   u32 off, u32 len, bool final, bool lost);
bool ktgt_tcp_recovery_r2t(struct ktgt_tcp_conn *tconn, struct ktgt_cmd *cmd,
			   u32 *sn, u32 *off, u32 *len);
int ktgt_tcp_resend_r2t(struct ktgt_conn *conn, struct ktgt_cmd *cmd,
			u32 begrun, u32 runlength);
int ktgt_tcp_recover_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
void ktgt_tcp_tx_put(struct ktgt_tcp_tx *tx);
int ktgt_tcp_put_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
int ktgt_tcp_get_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
void ktgt_tcp_queue_r2t(struct ktgt_tcp_conn *tconn, struct ktgt_cmd *cmd);

/* iSCSI CRC32C digest of @len bytes continuing @crc (start with ~0). */
u32 ktgt_tcp_crc(u32 crc, const void *buf, size_t len);

static inline void ktgt_tcp_put_digest(u32 crc, u8 *out)
{
	/* RFC 7143 B.4: the complemented CRC, least significant byte first */
	put_unaligned_le32(~crc, out);
}

#endif /* KTGT_TCP_PRIV_H */
