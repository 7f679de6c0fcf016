/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command window of a session (RFC 7143 3.2.2.1, 4.2.2.1): ExpCmdSN,
 * MaxCmdSN and the task budget they are derived from. Pure: the caller
 * provides the locking (sess->lock in the core).
 *
 * MaxCmdSN = ExpCmdSN + (depth - outstanding) - 1: the initiator may
 * have at most @depth tasks at the target. Since an initiator ignores a
 * MaxCmdSN that goes back (4.2.2.1), the advertised value never
 * decreases; a window already granted is honoured.
 *
 * A non-immediate request must carry ExpCmdSN; one elsewhere in the
 * window is dropped (no reordering across connections yet, so a gap
 * cannot fill). A CmdSN that ABORT TASK declared lost (11.5.1) is
 * "plugged": ExpCmdSN steps over it when it is reached. Immediate
 * requests do not advance ExpCmdSN; an immediate task beyond the budget
 * gets TASK SET FULL, since nothing else limits how many a peer sends.
 */
#ifndef KTGT_PROTO_CMDSN_H
#define KTGT_PROTO_CMDSN_H

#include <ktgt/proto/platform.h>

/* How far past ExpCmdSN a lost CmdSN can be plugged. */
#define KTGT_CMDSN_PLUG_SPAN	64

struct ktgt_cmdsn {
	u32 exp;		/* ExpCmdSN */
	u32 max;		/* MaxCmdSN as last advertised */
	u32 depth;		/* tasks allowed */
	u32 outstanding;	/* tasks holding a slot */
	u64 plugged;		/* bit i: CmdSN exp + i declared lost */
};

enum ktgt_cmdsn_verdict {
	KTGT_CMDSN_ACCEPT,	/* process it */
	KTGT_CMDSN_DROP,	/* outside the window: ignore silently */
	KTGT_CMDSN_FULL,	/* immediate task over budget: TASK SET FULL */
	KTGT_CMDSN_AHEAD,	/* never from ktgt_cmdsn_accept(): the core's
				 * verdict for a task held until the gap
				 * before its CmdSN fills (ktgt_cmdsn_hold())
				 */
};

/* The window opens at the leading login's CmdSN. */
void ktgt_cmdsn_init(struct ktgt_cmdsn *s, u32 first, u32 depth);

/*
 * A request with CmdSN @sn arrived. @task: it becomes a task that holds
 * a slot until ktgt_cmdsn_task_done() (only when accepted).
 */
enum ktgt_cmdsn_verdict ktgt_cmdsn_accept(struct ktgt_cmdsn *s,
					  bool immediate, u32 sn, bool task);

/* A task that held a slot is gone: the window may open. */
void ktgt_cmdsn_task_done(struct ktgt_cmdsn *s);

/*
 * ABORT TASK for a task never received whose CmdSN @sn is in the window:
 * count it as received. Returns false if @sn is not in the window (or
 * too far ahead to remember).
 */
bool ktgt_cmdsn_plug(struct ktgt_cmdsn *s, u32 sn);

/*
 * @sn was plugged and ExpCmdSN has not reached it yet: a command with
 * that CmdSN arriving now is one ABORT TASK already answered for, a
 * duplicate to drop (the command queue of <ktgt/proto/cmdq.h> must not
 * take it).
 */
bool ktgt_cmdsn_plugged(const struct ktgt_cmdsn *s, u32 sn);

/*
 * MC/S: a non-immediate request with CmdSN @sn that ktgt_cmdsn_accept()
 * dropped may wait in the command queue (<ktgt/proto/cmdq.h>) if @sn is
 * ahead of ExpCmdSN in the window and not plugged. Returns true if so,
 * and then, for a @task, takes its slot now (MaxCmdSN reflects what the
 * target can still queue). ExpCmdSN does not move.
 */
bool ktgt_cmdsn_hold(struct ktgt_cmdsn *s, u32 sn, bool task);

/*
 * A held request whose CmdSN is ExpCmdSN left the queue: ExpCmdSN moves
 * past it (and past plugged numbers after it). Its slot was taken by
 * ktgt_cmdsn_hold().
 */
void ktgt_cmdsn_take(struct ktgt_cmdsn *s);

#endif /* KTGT_PROTO_CMDSN_H */
