/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sessions, connections and commands inside ktgt_core.
 *
 * Locking, outermost first:
 *  - ktgt_sess_mutex: the session list (reinstatement, TSIH look-ups)
 *  - sess->lock (spinlock, irq-safe): CmdSN window, sess->conns
 *  - conn->lock (spinlock, irq-safe): conn->cmds, StatSN, conn->state
 *  - respq->lock (spinlock, irq-safe, a leaf; respq.c): a connection's
 *    retained responses; never held with conn->lock, taken under
 *    sess->lock by the debugfs walk and under transport locks by stamps
 * Completions from the backstore may run in hard irq context, so both
 * spinlocks are taken with irqsave.
 *
 * Lifetimes: a session is referenced by each of its connections and freed
 * with the last (ktgt_sess_put). Sequencing (CmdSN) is per session and
 * task allegiance (conn->cmds) is separate from the data buffers, which
 * belong to the command, so tasks can later move between connections.
 */
#ifndef KTGT_CORE_SESSION_H
#define KTGT_CORE_SESSION_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include <ktgt/core.h>
#include <ktgt/proto/param.h>
#include <ktgt/proto/login.h>
#include <ktgt/proto/cmdsn.h>
#include <ktgt/proto/cmdq.h>
#include <ktgt/scsi/scsi.h>
#include "config.h"

struct ktgt_tpg;
struct ktgt_acl;

/* Tasks a session may have by default (tpg attrib cmdsn_depth). */
#define KTGT_CMDSN_DEPTH_DEFAULT	128
#define KTGT_CMDSN_DEPTH_MAX		4096
/* Default tpg attrib tx_backlog_kb, in bytes. */
#define KTGT_TX_BACKLOG_DEFAULT		(1024 * 1024)
/* Mapped LUNs with per-nexus state (unit attentions, mode pages). */
#define KTGT_SESS_LUNS		256
/*
 * Most connections in a session: the TPG's MaxConnections is offered up
 * to this at login (configfs takes up to 65535, the RFC's range).
 */
#define KTGT_MAX_CONNECTIONS		16
/* Largest data buffer one command may ask for. */
#define KTGT_MAX_XFER		(16u << 20)

/*
 * Per I_T_L state: unit attentions and mode state, per mapped LUN; @hold
 * is this nexus's PREVENT on a removable medium (under the LUN's medium
 * lock, not sess->lock).
 */
struct ktgt_sess_lun {
	struct ktgt_scsi_ua ua;
	struct ktgt_scsi_lu_state lu;
	bool lu_init;
	struct ktgt_medium_hold hold;
	/* The nexus' task set (taskset.c), under sess->lock. */
	struct list_head tset;		/* tasks by CmdSN (task->tset_node) */
	u32 tset_ordered;		/* ORDERED tasks in it */
	u32 tset_blocked;		/* tasks in it waiting for their turn */
};

/*
 * A request waiting in sess->cmdq because its CmdSN is ahead of ExpCmdSN
 * (MC/S: the initiator spreads one CmdSN sequence over its connections).
 * Embedded in a task (@cmd set: executed in its turn), or allocated for
 * another request, which was processed at once and only holds its number
 * (@cmd NULL). Fields under sess->lock but @next, the drain's own list.
 */
struct ktgt_sess_held {
	struct ktgt_cmdq_node node;
	struct ktgt_cmd *cmd;		/* referenced while queued */
	struct ktgt_sess_held *next;
	bool stepped;			/* ExpCmdSN went past it: never run */
	bool run;			/* its data was ready: execute it */
};

/**
 * struct ktgt_session - an iSCSI session (I_T nexus)
 * @lock:	protects @sn, @cmdq, @data_bytes, @conns, @nconns, @failed
 *		and @luns' contents
 * @drained:	completed when the last connection has left, after its
 *		tasks drained (a reinstatement waits for it)
 */
struct ktgt_session {
	struct kref kref;
	struct list_head node;		/* ktgt_sessions (ktgt_sess_mutex) */
	u8 isid[6];
	u16 tsih;
	bool discovery;
	char initiator[KTGT_NAME_MAX + 1];
	struct ktgt_negotiated neg;
	struct ktgt_tpg *tpg;		/* pinned; NULL for discovery */
	struct ktgt_acl *acl;		/* pinned; NULL: demo mode/discovery */
	/*
	 * The leading connection's: every connection of the session has
	 * it (task reassignment moves transport state, erl2.c).
	 */
	const struct ktgt_transport_ops *transport;

	spinlock_t lock;		/* see the kernel-doc above */
	struct ktgt_cmdsn sn;		/* the one CmdSN sequencing point */
	struct ktgt_cmdq cmdq;		/* requests ahead of ExpCmdSN */
	struct ktgt_cmdq_node **cmdq_slots;
	struct xarray tasks;		/* ITT -> live task (its own lock,
					 * irq-safe; cmd.c)
					 */
	u64 data_bytes;			/* data buffers of live tasks */
	u64 data_max;			/* tpg attrib session_data_mb */
	struct list_head conns;
	unsigned int nconns;
	bool failed;
	struct completion drained;
	struct work_struct free_work;	/* the last put, in process context */
	/* Ends the session if it ignores an Async logout request. */
	struct delayed_work logout_work;
	bool dropping;			/* AsyncEvent 3 sent (logout_work's) */
	struct ktgt_sess_lun luns[KTGT_SESS_LUNS];
};

/**
 * struct ktgt_task - the core's state of one SCSI command
 * Lives in the command's allocation; touched by one context at a time:
 * the receive path until the command runs, then the backstore completion.
 */
struct ktgt_task {
	struct ktgt_scsi_cmd scmd;
	struct ktgt_scsi_dev dev;	/* snapshot of the LU for this command */
	char serial[24];
	struct ktgt_lun *lun;		/* pinned while the command lives */
	u64 mapped_lun;
	bool read_only;
	/*
	 * @aborted and @executing change under conn->lock: a TMF marks a
	 * task aborted, and exec marks it executing only if it was not,
	 * so a TMF knows whether it must wait for the task (@done).
	 */
	bool aborted;			/* by a TMF: no response */
	bool executing;			/* past data transfer, in exec */
	bool done;			/* finished executing (ktgt_task_wq) */
	/*
	 * The connection whose inflight count the execution holds: the
	 * task's allegiance (cmd->conn) may move meanwhile (ERL 2).
	 */
	struct ktgt_conn *exec_conn;
	bool counted;			/* holds a CmdSN slot (sess->sn) */
	/*
	 * MC/S, under sess->lock: @held while its CmdSN waits in sess->cmdq
	 * for the gap before it; @parked if its data became ready then
	 * (ktgt_sess_deliver() executes it when its turn comes).
	 */
	struct ktgt_sess_held seq;
	bool held;
	bool parked;
	bool busy;			/* TASK SET FULL: no data, no exec */
	/* Task attribute and task set (taskset.c), under sess->lock. */
	u8 attr;			/* enum ktgt_task_attr */
	bool blocked;			/* ready, waits for an older task */
	struct list_head tset_node;	/* tset_sl->tset; empty: in none */
	struct ktgt_sess_lun *tset_sl;	/* the set it entered, or NULL */
	struct ktgt_task *run_next;	/* ktgt_taskset_leave()'s own list */
	struct work_struct start_work;	/* starts it once unblocked */
	bool want_data;			/* waiting for write data */
	unsigned long data_seen;	/* jiffies of the last Data-Out */
	u8 dataout_recoveries;		/* time-outs recovered (dataout.c's
					 * work only)
					 */
	u32 budget;			/* bytes charged to sess->data_bytes */
	bool pdu_read;			/* R bit */
	bool pdu_write;			/* W bit */
	bool pdu_final;			/* F bit */
	enum ktgt_sense_reason reason;
	struct ktgt_sense_info sense;
	u8 status;
	u32 spdtl;			/* bytes the CDB transfers */
	u32 allowed;			/* EDTL if the direction bit is set */
	bool overflow;
	u32 residual;
	struct ktgt_bs_io io;
	struct work_struct work;	/* multi-step commands */
	u32 step;			/* UNMAP descriptor, WRITE SAME chunk */
	u32 nsteps;
	void *lin;			/* linear copy of data-out, if needed */
	struct scatterlist *media_sgl;	/* VERIFY media / WRITE SAME chunk */
	unsigned int media_nents;
	u32 media_len;
	void *media;			/* linear copy of the media read */
	bool compared;
	struct ktgt_cmd *cmd;		/* back pointer */
	struct ktgt_session *sess;	/* referenced while the task lives */
};

extern struct mutex ktgt_sess_mutex;

/* session.c */
void ktgt_sess_get(struct ktgt_session *sess);
void ktgt_sess_put(struct ktgt_session *sess);
u16 ktgt_sess_login(struct ktgt_conn *conn,
		    const struct ktgt_login_session_info *info,
		    const struct ktgt_negotiated *neg, struct ktgt_tpg *tpg,
		    struct ktgt_acl *acl, u16 *tsih);
void ktgt_sess_fail(struct ktgt_session *sess);
void ktgt_sess_walk(void (*fn)(struct ktgt_session *sess, void *arg),
		    void *arg);
void ktgt_sess_window(struct ktgt_session *sess, u32 *exp, u32 *max);
enum ktgt_cmdsn_verdict ktgt_sess_cmdsn_task(struct ktgt_session *sess,
					     bool immediate, u32 cmdsn,
					     struct ktgt_cmd *cmd);

/* sequence.c */
int ktgt_sess_cmdq_init(struct ktgt_session *sess, u32 first, u32 depth);
void ktgt_sess_cmdq_free(struct ktgt_session *sess);
void ktgt_sess_cmdq_flush(struct ktgt_session *sess);
bool ktgt_sess_park(struct ktgt_session *sess, struct ktgt_task *t);
void ktgt_sess_deliver(struct ktgt_session *sess);
unsigned int ktgt_sess_conns(struct ktgt_session *sess,
			     struct ktgt_conn **conns);
void ktgt_sess_task_done(struct ktgt_session *sess, bool counted,
			 u32 budget);
bool ktgt_sess_charge(struct ktgt_session *sess, u32 bytes);
void ktgt_sessions_shutdown(void);
void ktgt_sess_tpg_disabled(struct ktgt_tpg *tpg);
void ktgt_async_send(struct ktgt_conn *conn, u8 event, u16 cid);

/* conn.c */
void ktgt_conn_get(struct ktgt_conn *conn);
void ktgt_conn_finish(struct ktgt_conn *conn);
int ktgt_conn_send(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
int ktgt_conn_reject(struct ktgt_conn *conn, const u8 *bhs, u8 reason);
void ktgt_conn_drop(struct ktgt_conn *conn);

/* pdu_light.c */
struct ktgt_light_pdu *ktgt_light_alloc(struct ktgt_conn *conn, gfp_t gfp);
int ktgt_light_data(struct ktgt_light_pdu *lp, const void *src, u32 len);
int ktgt_light_send(struct ktgt_light_pdu *lp);

/* cmd.c */
struct ktgt_cmd *ktgt_cmd_alloc_task(struct ktgt_conn *conn, gfp_t gfp);
int ktgt_cmd_alloc_buf(struct ktgt_cmd *cmd, u32 len);
int ktgt_cmd_track(struct ktgt_cmd *cmd);
void ktgt_cmd_untrack(struct ktgt_cmd *cmd);
void ktgt_cmd_forget(struct ktgt_cmd *cmd);
struct ktgt_cmd *ktgt_sess_find_task(struct ktgt_session *sess,
				     struct ktgt_conn *conn, u32 itt);
void ktgt_cmd_copy_to_buf(struct ktgt_cmd *cmd, u32 off, const void *src,
			  u32 len);

/* login.c */
int ktgt_login_rx_pdu(struct ktgt_conn *conn, const struct ktgt_pdu *pdu,
		      const u8 *data);
void ktgt_login_free(struct ktgt_conn *conn);

/* scsi_exec.c */
int ktgt_scsi_rx_cmd(struct ktgt_conn *conn, const struct ktgt_rx *rx);
void ktgt_scsi_data_ready(struct ktgt_cmd *cmd, int err);
void ktgt_task_deliver(struct ktgt_cmd *cmd);
void ktgt_task_step_work(struct work_struct *work);
void ktgt_task_start_work(struct work_struct *work);

/* taskset.c: task attributes, the order tasks of a nexus start in */
void ktgt_taskset_enter(struct ktgt_session *sess, struct ktgt_cmd *cmd,
			bool immediate);
bool ktgt_taskset_may_start(struct ktgt_cmd *cmd);
void ktgt_taskset_leave(struct ktgt_cmd *cmd);
extern struct workqueue_struct *ktgt_exec_wq;
extern struct workqueue_struct *ktgt_free_wq;
int ktgt_exec_init(void);
void ktgt_exec_exit(void);

/* text.c, tmf.c, logout.c, nop.c */
int ktgt_text_rx(struct ktgt_conn *conn, const struct ktgt_pdu *pdu,
		 const u8 *data, const u8 *bhs);
void ktgt_text_free(struct ktgt_conn *conn);
int ktgt_tmf_rx(struct ktgt_conn *conn, const struct ktgt_pdu *pdu);
int ktgt_logout_rx(struct ktgt_conn *conn, const struct ktgt_pdu *pdu);
int ktgt_nop_rx(struct ktgt_conn *conn, const struct ktgt_pdu *pdu,
		const u8 *data, const u8 *bhs);
void ktgt_nopin_init(struct ktgt_conn *conn);
void ktgt_nopin_start(struct ktgt_conn *conn);
void ktgt_nopin_stop(struct ktgt_conn *conn);

/*
 * cmdsn.c: the one CmdSN sequencing point every request goes through.
 * @task: the request becomes a SCSI task that holds a slot until
 * ktgt_sess_task_done().
 */
enum ktgt_cmdsn_verdict ktgt_sess_cmdsn(struct ktgt_session *sess,
					bool immediate, u32 cmdsn, bool task);
/* ABORT TASK of a command never received: its CmdSN counts as received. */
void ktgt_sess_cmdsn_plug(struct ktgt_session *sess, u32 cmdsn);

/* admit.c: pre-login caps and the login timer */
extern u32 ktgt_login_timeout;
extern u32 ktgt_prelogin_max_per_portal;
extern u32 ktgt_prelogin_max_per_source;
int ktgt_admit(struct ktgt_conn *conn);
void ktgt_admit_start(struct ktgt_conn *conn);
void ktgt_admit_done(struct ktgt_conn *conn, bool sync);

/* snack.c: a SNACK Request (RFC 7143 11.16) and the reads kept for it */
int ktgt_snack_rx(struct ktgt_conn *conn, const struct ktgt_rx *rx);
void ktgt_read_keep(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
bool ktgt_read_unkeep(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
void ktgt_reads_forget(struct ktgt_conn *conn);

/* erl2.c: connection recovery (ErrorRecoveryLevel 2) */
bool ktgt_conn_retain(struct ktgt_conn *conn, enum ktgt_conn_end end);
void ktgt_conn_retain_work(struct work_struct *work);
void ktgt_conn_retain_end(struct ktgt_conn *conn);
int ktgt_conn_recovery_logout(struct ktgt_conn *conn);
void ktgt_conn_drop_announced(struct ktgt_conn *conn);
struct ktgt_conn *ktgt_sess_conn_by_cid(struct ktgt_session *sess, u16 cid);
/* A TASK REASSIGN granted: what continues after the TMF Response. */
struct ktgt_reassign {
	struct ktgt_cmd *cmd;		/* referenced; NULL: nothing */
	bool finished;			/* executed, its response kept */
	u32 exp_datasn;			/* from the request */
};

u8 ktgt_tmf_reassign(struct ktgt_conn *conn, const struct ktgt_pdu *pdu,
		     struct ktgt_reassign *ra);
void ktgt_reassign_resume(struct ktgt_conn *conn, struct ktgt_reassign *ra);

/* dataout.c: the Data-Out time-out */
void ktgt_dataout_init(struct ktgt_conn *conn);
void ktgt_dataout_arm(struct ktgt_conn *conn);

/* tmf.c: aborts (and waits for) every task with allegiance to @conn */
void ktgt_conn_abort_tasks(struct ktgt_conn *conn);

/*
 * respq.c: responses kept until acknowledged. A data segment larger than
 * KTGT_RESPQ_DATA_MAX is not kept (the header is).
 */
#define KTGT_RESPQ_DATA_MAX		256
#define KTGT_STATUS_RETAIN_DEFAULT	256
#define KTGT_STATUS_RETAIN_MAX		16384
int ktgt_respq_setup(struct ktgt_conn *conn, u32 max);
void ktgt_respq_free(struct ktgt_conn *conn);
void ktgt_respq_retain(struct ktgt_conn *conn, u32 sn, const u8 *bhs,
		       const void *data, u32 data_len, struct ktgt_cmd *read);
struct ktgt_cmd *ktgt_respq_find_read(struct ktgt_conn *conn, bool by_ttt,
				      u32 tag);
void ktgt_respq_ack(struct ktgt_conn *conn, u32 exp);
struct ktgt_cmd *ktgt_respq_take(struct ktgt_conn *conn, u32 itt);
bool ktgt_respq_keeps_tasks(struct ktgt_conn *conn);
int ktgt_respq_snack(struct ktgt_conn *conn, u32 begrun, u32 runlength,
		     u32 *first, u32 *count);
int ktgt_respq_copy(struct ktgt_conn *conn, u32 sn, u8 *bhs, void *data);
void ktgt_respq_debugfs_init(void);
void ktgt_respq_debugfs_exit(void);
void ktgt_lun_abort_tasks(struct ktgt_lun *lun);
/* scsi_exec.c: waits until aborted tasks that were executing are done */
extern struct wait_queue_head ktgt_task_wq;

#endif /* KTGT_CORE_SESSION_H */
