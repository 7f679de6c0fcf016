/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Core objects a transport sees: the connection it embeds and the command
 * (task) it moves data for, and the calls it makes into the core.
 *
 * Lifetimes:
 *  - struct ktgt_conn is embedded in the transport's connection. The core
 *    holds conn->kref for as long as the connection is in a session or in
 *    login; when the last reference goes, the core calls the transport's
 *    release_conn, which frees the whole object.
 *  - struct ktgt_cmd is allocated by the core with the transport's
 *    cmd_priv_size bytes behind it (ktgt_cmd_priv()). Its kref is
 *    held by the core while the command runs and by the transport for
 *    every queued send; the last put frees data pages and the command.
 *  - struct ktgt_light_pdu, every PDU that is not a task's response, is
 *    the same with light_priv_size bytes behind it and only a header and
 *    a data segment in front: no task, no data buffer.
 *
 * Drain order when a connection ends, whoever starts the close: the
 * transport's stop_conn (synchronous: no receive handler runs after it),
 * timers cancelled, the session failed, the connection's tasks aborted
 * and drained, commands forgotten, the connection leaves its session,
 * its retained responses (response queue) freed, release_conn from a
 * work item. Written out step by step, with the reasons, at the top of
 * src/core/conn.c.
 *
 * Transport calls into the core (ktgt_conn_rx_pdu() and friends) and the
 * core's calls of queue_pdu/put_data/get_data are made without core
 * locks held (sess->lock, conn->lock): a transport may take its own
 * connection lock inside them.
 */
#ifndef KTGT_CORE_H
#define KTGT_CORE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/scatterlist.h>
#include <linux/socket.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <ktgt/proto/pdu.h>

struct ktgt_session;
struct ktgt_np;
struct ktgt_login_state;
struct ktgt_text_state;
struct ktgt_transport_ops;
struct ktgt_task;
struct ktgt_respq;

enum ktgt_conn_state {
	KTGT_CONN_LOGIN,		/* login phase */
	KTGT_CONN_FULL_FEATURE,
	KTGT_CONN_LOGGED_OUT,		/* logout response queued */
	KTGT_CONN_CLOSED,		/* transport reported the end */
};

/* What the end of a connection means for its session and tasks. */
enum ktgt_conn_end {
	KTGT_END_FAIL,		/* unexpected: at ERL 2 its tasks wait for
				 * reassignment (erl2.c), below it the
				 * session fails
				 */
	KTGT_END_LEAVE,		/* Logout reason 1: it alone, tasks end */
	KTGT_END_SESSION,	/* Logout reason 0: the session ends */
	KTGT_END_RECOVERY,	/* Logout reason 2 or connection
				 * reinstatement while it lived: its tasks
				 * may be reassigned at once (ERL 2)
				 */
};

/* ERL 2: a connection gone whose tasks the session keeps (erl2.c). */
enum ktgt_conn_rec {
	KTGT_REC_NONE,		/* not retained */
	KTGT_REC_HELD,		/* failed: tasks kept, not yet logged out */
	KTGT_REC_FREE,		/* logged out for recovery: TASK REASSIGN
				 * may move its tasks
				 */
};

/* Negotiated values the transport uses; fixed once in full feature. */
struct ktgt_conn_params {
	bool header_digest;
	bool data_digest;
	u32 max_recv_dsl;		/* largest data segment we accept */
	u32 max_xmit_dsl;		/* largest data segment we may send */
	u32 max_burst;
	u32 first_burst;
	bool initial_r2t;
	bool immediate_data;
	u32 max_outstanding_r2t;
	u8 erl;				/* ErrorRecoveryLevel */
	bool data_pdu_in_order;
	bool data_seq_in_order;
	/* iSER (RFC 7145 6): meaningful when rdma_extensions is set */
	bool rdma_extensions;
	u32 target_recv_dsl;		/* largest data segment we accept */
	u32 initiator_recv_dsl;		/* largest data segment we may send */
	u32 max_outstanding_unexpected_pdus;	/* 0: no limit */
	/*
	 * Bytes of queued PDUs from queue_pdu (headers and rsp_data, not
	 * read data, which the session's data budget bounds) above which
	 * the transport stops receiving until the backlog drains: a peer
	 * that does not read cannot make the target queue without end.
	 */
	u32 tx_backlog_max;
};

/**
 * struct ktgt_conn - one iSCSI connection, embedded in the transport's
 * @lock:	protects @cmds, @reads, @stat_sn, @state, @end and @rec
 * @params:	written by the core while in login (only the rx context
 *		runs then), read by the transport; stable in full feature
 *		phase but max_xmit_dsl, which a Text Request may change
 *		(text.c, from the receive context; READ_ONCE elsewhere)
 */
struct ktgt_conn {
	const struct ktgt_transport_ops *transport;
	struct kref kref;
	struct ktgt_np *np;
	struct sockaddr_storage local;
	struct sockaddr_storage peer;

	spinlock_t lock;		/* see the kernel-doc above */
	enum ktgt_conn_state state;
	enum ktgt_conn_end end;
	enum ktgt_conn_rec rec;
	struct list_head cmds;		/* commands with allegiance here */
	struct list_head reads;		/* responses queued, not stamped yet,
					 * kept for recovery: reads with
					 * status in data at ERL > 0 (Data
					 * SNACK, snack.c), every task at
					 * ERL 2 (TASK REASSIGN, erl2.c)
					 */
	u32 stat_sn;			/* next StatSN to assign */
	u32 exp_stat_sn;		/* last ExpStatSN from the initiator */
	/*
	 * Responses kept until ExpStatSN acknowledges them (src/core/
	 * respq.c, its own lock); set once by login, freed at release.
	 */
	struct ktgt_respq *respq;

	struct ktgt_conn_params params;
	struct ktgt_session *sess;	/* set when login binds it */
	struct list_head sess_node;	/* sess->conns (sess->lock) */
	atomic_t inflight;		/* commands in the backstore */
	wait_queue_head_t drain_wq;	/* woken when inflight drops to 0 */
	u16 cid;
	u32 login_cmdsn;		/* CmdSN of the last Login Request */
	struct ktgt_login_state *login;	/* during login only (rx context) */
	struct ktgt_text_state *text;	/* long Text response (rx context) */
	struct work_struct release_work;
	struct work_struct free_work;	/* the last put: release_conn */

	/*
	 * Until full feature phase (admit.c): on the list of connections
	 * in login, which the pre-login caps count, and timed by
	 * login_work (root attribute login_timeout).
	 */
	struct list_head prelogin_node;	/* ktgt_prelogin (its lock) */
	struct delayed_work login_work;

	/*
	 * Keepalive (tpg attrib nopin_interval/nopin_timeout): a NOP-In
	 * ping every interval; no answer within the timeout drops the
	 * connection. The fields are owned by nopin_work, except
	 * nopin_answered, which the receive path sets.
	 */
	struct delayed_work nopin_work;
	u32 nopin_interval;		/* seconds, 0: off */
	u32 nopin_timeout;		/* seconds */
	u32 nopin_ttt;			/* TTT of the ping in flight, or ~0 */
	unsigned long nopin_deadline;	/* jiffies */
	bool nopin_answered;

	/*
	 * Data-Out time-out (tpg attrib dataout_timeout, seconds): a write
	 * whose data makes no progress that long drops the connection
	 * (ERL 0). dataout_work scans conn->cmds; dataout.c.
	 */
	struct delayed_work dataout_work;
	u32 dataout_timeout;

	/*
	 * ERL 2 (src/core/erl2.c): a failed connection stays in its session
	 * for DefaultTime2Wait + DefaultTime2Retain with its tasks; then
	 * retain_work ends them as if aborted and lets it go.
	 */
	struct delayed_work retain_work;
};

enum ktgt_data_dir {
	KTGT_DIR_NONE,
	KTGT_DIR_READ,			/* target to initiator */
	KTGT_DIR_WRITE,			/* initiator to target */
};

#define KTGT_SENSE_MAX		96

/*
 * How the transport stamps StatSN, ExpCmdSN and MaxCmdSN into a header
 * when it goes to the wire (ktgt_conn_stamp_bhs()), so that StatSN
 * follows the order of transmission on the connection.
 */
enum ktgt_stamp {
	KTGT_STAMP_ADVANCE,	/* a response: assign the next StatSN */
	KTGT_STAMP_PEEK,	/* StatSN shown, not assigned (NOP-In ping,
				 * R2T)
				 */
	KTGT_STAMP_NONE,	/* no StatSN (Data-In without status) */
	KTGT_STAMP_KEEP,	/* a response sent again (Status SNACK): its
				 * StatSN stays, ExpCmdSN and MaxCmdSN are
				 * current, nothing is retained again
				 */
};

/**
 * struct ktgt_pdu_out - a PDU built by the core, sent as is by a transport
 * @bhs:	the header; the transport sets DataSegmentLength and stamps
 *		StatSN, ExpCmdSN and MaxCmdSN as @stamp says when it goes
 *		to the wire (ktgt_conn_stamp_pdu())
 * @data:	the data segment (sense, text, login or ping data), or NULL
 * @data_len:	its length
 * @data_kvfree: @data was allocated for this PDU (kvfree with it)
 * @close_conn:	close the connection once it is sent (failed login,
 *		logout)
 * @stamp:	enum ktgt_stamp
 */
struct ktgt_pdu_out {
	u8 bhs[KTGT_BHS_LEN];
	void *data;
	u32 data_len;
	bool data_kvfree;
	bool close_conn;
	u8 stamp;
};

/**
 * struct ktgt_light_pdu - a PDU that is not a task's response
 *
 * Login, Text, Logout and TMF responses, Rejects, NOP-Ins and Async
 * Messages: a header and a data segment, nothing of a task. The core
 * allocates it with the transport's light_priv_size bytes behind it
 * (ktgt_light_priv()) and hands it to queue_light, which takes its own
 * reference while it is queued. It does not reference @conn: it is
 * queued only while the connection lives, and a transport drops what it
 * holds in stop_conn.
 */
struct ktgt_light_pdu {
	struct kref kref;
	struct ktgt_conn *conn;
	struct ktgt_pdu_out pdu;
	/* Transport-private area follows; see ktgt_light_priv(). */
	unsigned long priv[] __aligned(sizeof(u64));
};

static inline void *ktgt_light_priv(struct ktgt_light_pdu *lp)
{
	return lp->priv;
}

/**
 * struct ktgt_cmd - a SCSI task, as the transport moves it
 *
 * For queue_pdu the transport sends the SCSI Response @rsp, with the read
 * data first if put_data asked for it (iSER: the RDMA WRITE chained
 * before the Send). For put_data it sends @xfer_len bytes of @sgl. For
 * get_data it collects write data: bytes [0, @imm_len) came as immediate
 * data; the initiator sends [@imm_len, @unsol_len) unasked (unsolicited
 * Data-Out); the transport asks for the rest up to @xfer_len. Data past
 * @xfer_len (up to @edtl) is received and dropped; past @edtl it is a
 * protocol error. The transport calls ktgt_cmd_data_ready() once it has
 * it all.
 */
struct ktgt_cmd {
	struct kref kref;
	struct ktgt_conn *conn;
	struct list_head conn_node;	/* conn->cmds (conn->lock) */

	/* From the request. */
	u8 opcode;
	u32 itt;
	u32 cmdsn;
	u8 lun[8];
	u32 edtl;			/* initiator's expected length */

	/* Data buffer, owned by the core. */
	enum ktgt_data_dir dir;
	struct scatterlist *sgl;
	unsigned int nents;
	u32 buf_len;			/* bytes allocated in sgl */
	u32 xfer_len;			/* bytes to move: min(edtl, needed) */
	u32 imm_len;			/* immediate data bytes in the command */
	u32 unsol_len;			/* bytes the initiator sends unasked */
	u32 exp_datasn;			/* set by the transport: R2T+Data-In count */
	u32 ttt;			/* set by the transport: the TTT of a
					 * read's A-bit Data-In, by which a
					 * DataACK names it (ERL > 0)
					 */

	/* The SCSI Response, built by the core. */
	struct ktgt_pdu_out rsp;
	bool status_in_data;		/* put_data sends the status in the
					 * last Data-In (from @result); no
					 * separate SCSI Response
					 */
	u8 sense[2 + KTGT_SENSE_MAX];	/* SenseLength + sense data */

	/*
	 * The outcome of a SCSI command, typed, set by the core together
	 * with rsp_bhs when it builds the SCSI Response. A transport that
	 * frames the status itself (TCP: in the last Data-In; iSER: Send
	 * with Invalidate of a command's STag) reads it here, never from
	 * the header bytes.
	 */
	struct ktgt_cmd_result {
		bool scsi_rsp;		/* rsp_bhs is this SCSI Response */
		u8 status;		/* SAM status */
		bool overflow;		/* residual: more was asked than sent */
		bool underflow;		/* residual: less */
		u32 residual;
	} result;

	struct ktgt_task *task;		/* the core's SCSI state, or NULL */

	/* Transport-private area follows; see ktgt_cmd_priv(). */
	unsigned long priv[] __aligned(sizeof(u64));
};

static inline void *ktgt_cmd_priv(struct ktgt_cmd *cmd)
{
	return cmd->priv;
}

/* ---- calls from a transport into the core ---- */

/*
 * A new connection arrived on @np; @conn is zeroed transport memory with
 * @conn->peer and @conn->local already set. Returns 0 (the core owns the
 * connection's lifetime from here, the login timer runs) or -EBUSY when
 * the portal's or the source address's cap on connections still in
 * login is reached: the transport then closes and frees it, and must
 * not call anything else of the core for it.
 */
int ktgt_conn_init(struct ktgt_conn *conn,
		   const struct ktgt_transport_ops *transport,
		   struct ktgt_np *np);

/* A received PDU as the transport hands it to the core. */
struct ktgt_rx {
	const struct ktgt_pdu *pdu;	/* decoded header */
	const u8 *bhs;			/* the raw 48 bytes (for Reject) */
	const u8 *ahs;
	u32 ahs_len;
	const u8 *data;			/* data segment, valid during the call */
	int hdr_err;			/* ktgt_bhs_decode() error, or 0 */
	bool data_digest_bad;
};

/*
 * A whole PDU arrived with a good header digest. Data-Out PDUs the
 * transport could place itself are not passed here; those it could not
 * (unknown ITT, bad offset) are, and the core rejects them. Returns 0, or
 * -errno if the connection must be dropped.
 */
int ktgt_conn_rx_pdu(struct ktgt_conn *conn, const struct ktgt_rx *rx);

/* Looks up a write command by ITT for Data-Out; takes a reference. */
struct ktgt_cmd *ktgt_conn_find_cmd(struct ktgt_conn *conn, u32 itt);

/* All of @cmd's write data is in its buffer (or @err): execute it. */
void ktgt_cmd_data_ready(struct ktgt_cmd *cmd, int err);

/* The connection ended (peer closed, error, or after logout). */
void ktgt_conn_closed(struct ktgt_conn *conn);

/*
 * Stamps StatSN (bytes 24-27, per @how), ExpCmdSN (28-31) and MaxCmdSN
 * (32-35) into a target PDU header. Transports call it when the header
 * is committed to the wire, in the order PDUs are transmitted on the
 * connection (TCP: when the PDU leaves the send queue; iSER: under the
 * lock that orders posted sends), never concurrently for one connection.
 * Any context, may not sleep.
 *
 * With KTGT_STAMP_ADVANCE the core also keeps a copy of the stamped
 * header and of its data segment @data/@data_len (at most 256 bytes of
 * it; a larger one is not kept) until the initiator's ExpStatSN
 * acknowledges it: pass the PDU's own data (struct ktgt_pdu_out), never
 * read data. The transport needs to know nothing of it.
 */
void ktgt_conn_stamp_pdu(struct ktgt_conn *conn, u8 *bhs,
			 enum ktgt_stamp how, const void *data, u32 data_len);

/*
 * The last Data-In of read @cmd, carrying its status (KTGT_STAMP_ADVANCE).
 * At ErrorRecoveryLevel > 0 the core keeps @cmd, and so its data, until
 * ExpStatSN acknowledges the status: a Data SNACK may still ask for any
 * of its Data-In (RFC 7143 11.16.1), through the transport's data_snack.
 */
void ktgt_conn_stamp_read_status(struct ktgt_conn *conn, u8 *bhs,
				 struct ktgt_cmd *cmd);

/*
 * The SCSI Response of @cmd (cmd->rsp, KTGT_STAMP_ADVANCE), with its data
 * segment @data/@data_len. At ErrorRecoveryLevel 2 the core keeps @cmd
 * until ExpStatSN acknowledges it: a TASK REASSIGN may still ask for it
 * again on another connection (RFC 7143 7.2.2).
 */
void ktgt_conn_stamp_rsp(struct ktgt_conn *conn, u8 *bhs,
			 struct ktgt_cmd *cmd, const void *data, u32 data_len);

/*
 * An R-Data SNACK (RFC 7143 11.16.3) for read @cmd: its SCSI Response
 * (cmd->rsp, built when the status went in the last Data-In) is sent
 * after the resegmented Data-In, with the SNACK's @snack_tag, StatSN
 * @statsn (the one the status had: KTGT_STAMP_KEEP) and @expdatasn, the
 * Data-In count of the new segmentation. The transport then queues it.
 */
void ktgt_cmd_rdata_rsp(struct ktgt_cmd *cmd, u32 snack_tag, u32 statsn,
			u32 expdatasn);

/* ktgt_conn_stamp_pdu() of a header whose data is not a response's own. */
static inline void ktgt_conn_stamp_bhs(struct ktgt_conn *conn, u8 *bhs,
				       enum ktgt_stamp how)
{
	ktgt_conn_stamp_pdu(conn, bhs, how, NULL, 0);
}

/* Session-wide sequence numbers for headers the transport builds. */
void ktgt_conn_fill_sn(struct ktgt_conn *conn, u32 *statsn_next,
		       u32 *expcmdsn, u32 *maxcmdsn);

void ktgt_cmd_get(struct ktgt_cmd *cmd);
void ktgt_cmd_put(struct ktgt_cmd *cmd);
void ktgt_light_get(struct ktgt_light_pdu *lp);
void ktgt_light_put(struct ktgt_light_pdu *lp);
void ktgt_conn_put(struct ktgt_conn *conn);

#endif /* KTGT_CORE_H */
