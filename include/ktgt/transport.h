/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The transport interface between ktgt_core and its transports.
 *
 * One contract for TCP and iSER alike (nvmet_fabrics_ops is the model).
 * The core never learns how data moves: it asks the transport to send a
 * PDU, to put read data to the initiator (TCP: Data-In PDUs; iSER: RDMA
 * WRITE) and to get write data from it (TCP: R2T and Data-Out; iSER: RDMA
 * READ). R2T bookkeeping, digests and RDMA are the transport's own.
 *
 * Ownership: the core owns sessions, tasks and data buffers, so a task can
 * move to another connection (ERL 2). The transport owns its connection
 * object, which embeds struct ktgt_conn, and its portal listeners.
 */
#ifndef KTGT_TRANSPORT_H
#define KTGT_TRANSPORT_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/socket.h>

struct ktgt_conn;
struct ktgt_cmd;
struct ktgt_light_pdu;
struct ktgt_snack;

/* A network portal: one listener, shared by every TPG that names it. */
struct ktgt_np {
	struct list_head node;		/* ktgt_nps (ktgt_np_mutex) */
	struct kref kref;		/* one per ktgt_tpg_portal */
	struct sockaddr_storage addr;
	const struct ktgt_transport_ops *transport;	/* module pinned */
	void *transport_priv;		/* the listener, the transport's own */
	bool listening;			/* add_portal done, remove_portal not
					 * yet (ktgt_np_mutex); false only
					 * while, or after, a transport switch
					 * gave the address up (cfg_portal.c)
					 */
};

/**
 * struct ktgt_transport_ops - what a transport offers the core
 * @name:	short name shown in configfs ("tcp", "iser") and chosen by
 *		a portal's "transport" attribute
 * @owner:	the module; the core holds a reference while a portal or a
 *		connection uses the transport
 * @add_portal:	start listening on @np->addr; may sleep
 * @remove_portal: stop listening; returns once no new connection can
 *		arrive through @np (existing ones live on)
 * @queue_pdu:	send a task's SCSI Response, cmd->rsp (header and data
 *		built by the core), after its read data if put_data asked
 *		for it; asynchronous; the transport adds digests
 * @queue_light: send a PDU that is not a task's response (lp->pdu, built
 *		by the core: login, text, logout, TMF responses, Reject,
 *		NOP-In, Async Message); asynchronous; the transport takes
 *		a reference on @lp while it holds it
 * @put_data:	send @cmd's read data, then its status; asynchronous
 * @get_data:	fetch @cmd's outstanding write data; calls
 *		ktgt_cmd_data_ready() when the buffer is complete
 * @stop_conn:	synchronous, process context, may sleep: stop the
 *		connection. When it returns no receive callback, no
 *		receive handler and no call into the core from the
 *		transport's receive path runs for @conn any more, and
 *		later queue_pdu/put_data/get_data calls fail or drop
 *		their work (dropping the command references they took).
 *		The core calls it first when it tears a connection down
 *		(conn.c, drain order), whoever started the close.
 * @abort_cmd:	process context: @cmd is aborted before it executed (it
 *		has lost its allegiance). Drop what is queued for it (R2T,
 *		Data-In, RDMA READ not yet posted) with the references
 *		held for that, and ask for no more of its data; a
 *		transfer already on the wire may finish. Its data buffer
 *		and transport state go with its last reference: that is
 *		the command's release, nothing else is owed for it
 * @resend_r2t: optional (a transport that sends R2Ts): an R2T SNACK
 *		(ErrorRecoveryLevel >= 1) for write @cmd, from the
 *		receive path of @conn: send again, unchanged but for
 *		ExpCmdSN and MaxCmdSN, the R2Ts numbered from @begrun
 *		(@runlength of them, 0: through the last sent); 0, or
 *		-EPROTO for an R2TSN not sent or no longer outstanding
 * @data_snack: optional (a transport that sends Data-In PDUs): from the
 *		receive path of @conn at ErrorRecoveryLevel >= 1, a Data
 *		SNACK (@sn->type KTGT_SNACK_DATA_R2T: send Data-In
 *		@sn->begrun.. again, exact copies but for ExpCmdSN and
 *		MaxCmdSN), DataACK (the initiator has every Data-In before
 *		@sn->begrun) or R-Data SNACK for read @cmd, which is still
 *		executing or kept by the core until its status is
 *		acknowledged (ktgt_conn_stamp_read_status()). 0, or an
 *		error for ktgt_snack_reject_reason()
 * @recover_data: optional, process context: ErrorRecoveryLevel >= 1
 *		and @cmd's write data stopped coming (the Data-Out
 *		time-out): ask again for what is missing of the sequence
 *		in progress (TCP: a recovery R2T). -EOPNOTSUPP (or no op)
 *		and the core drops the connection, as at ERL 0
 * @reassign_cmd: optional (without it login agrees ERL 1 at most), process
 *		context, ERL 2: a TASK REASSIGN moved @cmd here from a
 *		failed connection of the same transport, whose stop_conn
 *		has run, and the TMF Response is queued on @conn. Forget
 *		the old connection's state of @cmd and continue it on
 *		@conn: a write still waiting for data asks for what did
 *		not arrive (TCP: a recovery R2T from the first byte
 *		missing); a read whose status goes in its last Data-In
 *		(cmd->status_in_data, its response built) sends its
 *		Data-In again from DataSN @exp_datasn (0: from the last
 *		DataACK), cut for @conn, the status with a new StatSN of
 *		@conn. 0 or -errno (the core then ends the task)
 * @reassign_begin: optional, process context, ERL 2, for a transport
 *		whose data transfer cannot resume where it stopped but
 *		starts again (iSER, RFC 7145: the STags of the failed
 *		connection died with it, the TASK REASSIGN advertised new
 *		ones): called first for every task a TASK REASSIGN moves to
 *		@conn, after its TMF Response is queued. @finished: its
 *		response is built and is sent again next (ktgt_conn_send),
 *		so read data must go before it again; otherwise the task
 *		continues as usual (put_data, or reassign_cmd for a write
 *		still waiting for data, from its first byte). 0 or -errno
 *		(the core then drops @conn)
 * @release_conn: the core is done with the connection: free it. Called
 *		after stop_conn, from a work item (never from the
 *		connection's own receive context), without core locks
 * @cmd_priv_size: bytes of transport state the core allocates behind
 *		each struct ktgt_cmd (ktgt_cmd_priv())
 * @light_priv_size: the same behind each struct ktgt_light_pdu
 *		(ktgt_light_priv()): what sending one PDU takes
 * @status_in_data_in: the transport sends read data as Data-In PDUs and
 *		can put the status in the last one (phase collapse): when
 *		the core sets cmd->status_in_data, put_data must do so
 *		from cmd->result (typed status and residual, never the
 *		header bytes) and no SCSI Response is queued
 *
 * Every data-plane call is asynchronous and must not sleep; it may be
 * called from softirq context (iSER completions) or from a work item.
 */
struct ktgt_transport_ops {
	const char *name;
	struct module *owner;

	int (*add_portal)(struct ktgt_np *np);
	void (*remove_portal)(struct ktgt_np *np);

	int (*queue_pdu)(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
	int (*queue_light)(struct ktgt_conn *conn, struct ktgt_light_pdu *lp);
	int (*put_data)(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
	int (*get_data)(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
	void (*abort_cmd)(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
	int (*resend_r2t)(struct ktgt_conn *conn, struct ktgt_cmd *cmd,
			  u32 begrun, u32 runlength);
	int (*data_snack)(struct ktgt_conn *conn, struct ktgt_cmd *cmd,
			  const struct ktgt_snack *sn);
	int (*recover_data)(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
	int (*reassign_cmd)(struct ktgt_conn *conn, struct ktgt_cmd *cmd,
			    u32 exp_datasn);
	int (*reassign_begin)(struct ktgt_conn *conn, struct ktgt_cmd *cmd,
			      bool finished);
	void (*stop_conn)(struct ktgt_conn *conn);
	void (*release_conn)(struct ktgt_conn *conn);
	size_t cmd_priv_size;
	size_t light_priv_size;
	bool status_in_data_in;
};

int ktgt_transport_register(const struct ktgt_transport_ops *ops);
void ktgt_transport_unregister(const struct ktgt_transport_ops *ops);

/* Looks up a registered transport by name and takes a module reference. */
const struct ktgt_transport_ops *ktgt_transport_get(const char *name);
void ktgt_transport_put(const struct ktgt_transport_ops *ops);

/* Writes the registered names, one per line; returns the length. */
ssize_t ktgt_transport_list(char *buf, size_t size);

#endif /* KTGT_TRANSPORT_H */
