/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The session-wide queue of non-immediate commands whose CmdSN is ahead
 * of ExpCmdSN (RFC 7143 4.2.2.1, 3.2.2.1).
 *
 * With several connections in a session (MC/S) the initiator numbers its
 * commands in one sequence but sends them on different connections, so
 * CmdSN N+1 may arrive before CmdSN N. The target delivers non-immediate
 * commands for execution in CmdSN order (4.2.2.1), so a command in the
 * window but not equal to ExpCmdSN waits here until the gap before it
 * fills. A waiting command is not accepted yet: it takes its slot of the
 * task budget (ktgt_cmdsn_accept()) when it leaves the queue; the window
 * bounds how many wait (fewer than the depth).
 *
 * Pure and allocation-free. The caller embeds a struct ktgt_cmdq_node in
 * its own command object and owns an array of slot pointers, allocated
 * with the session (ktgt_cmdq_slots() of them) and freed with it.
 *
 * Why slots and not a sorted list: every queued CmdSN lies in
 * [ExpCmdSN + 1, MaxCmdSN], a window no larger than the session's task
 * budget (attrib/cmdsn_depth, at most 4096). Two queued commands 2^k
 * apart cannot both be in a window narrower than 2^k, so with 2^k slots
 * indexed by the low k bits of CmdSN there are no collisions: insertion,
 * the duplicate test, lookup and "pop ready" are O(1), whatever order a
 * peer chooses. A sorted list costs O(window) per insertion, O(window^2)
 * for a window filled in reverse order, all under the session spinlock.
 * The price is one pointer per CmdSN of the window (32 KiB for a depth of
 * 4096, 1 KiB for the default 128). Walks in CmdSN order (lowest, flush,
 * iteration) scan the slots from ExpCmdSN; they are for rare events.
 *
 * Locking: none inside. In the core every call is made under sess->lock
 * (a spinlock): nothing here sleeps or allocates.
 *
 * Who calls what (the core, for a non-immediate command with CmdSN @sn,
 * the window being the struct ktgt_cmdsn @s of <ktgt/proto/cmdsn.h>):
 *
 *  - @sn == s->exp: ktgt_cmdsn_accept() and execute it; then drain.
 *  - @sn in [s->exp + 1, s->max]: if ktgt_cmdsn_plugged(s, sn), ABORT
 *    TASK already declared it lost and answered for it: drop it.
 *    Otherwise ktgt_cmdq_insert(q, node, sn, s->exp, s->max). -EEXIST: a
 *    duplicate of a queued command, -ERANGE: outside the window; both
 *    are dropped silently (4.2.2.1, duplicates and out-of-window
 *    commands are ignored).
 *  - "Drain", after anything that moves ExpCmdSN (an accepted command,
 *    ktgt_cmdsn_plug() of the CmdSN at ExpCmdSN): call
 *    ktgt_cmdq_pop_ready(q, s->exp) until it returns NULL. A node whose
 *    sn equals s->exp is the next command: ktgt_cmdsn_accept() it (that
 *    advances ExpCmdSN, stepping over plugged numbers) and execute it. A
 *    node whose sn precedes s->exp is one ExpCmdSN was moved past while
 *    it waited (a plug of a CmdSN that was in fact queued): it counts as
 *    aborted, it must not be executed.
 *  - ABORT TASK naming a CmdSN (11.5.1): ktgt_cmdq_find() first. A queued
 *    command has been received: mark it aborted in the caller's object
 *    and leave it queued; the drain hands it back in its turn, when it
 *    consumes its CmdSN and is completed as aborted instead of executed.
 *    Only a CmdSN that is not queued is plugged as never received.
 *    (Removing a queued command would need a plug to let ExpCmdSN pass
 *    its number, and a plug reaches only KTGT_CMDSN_PLUG_SPAN past
 *    ExpCmdSN while the queue spans the whole window.)
 *  - Other task management and LUN removal walk the queue with
 *    ktgt_cmdq_first() / ktgt_cmdq_next() and mark what they abort, the
 *    same way. ktgt_cmdq_remove() is for a caller that also plugs the
 *    number, or that is tearing the session down.
 *  - Session teardown: ktgt_cmdq_flush() until NULL. (A connection that
 *    fails below ERL 2 fails its session; at ERL 2 queued commands stay,
 *    they belong to the session.)
 *
 * Plugged numbers need nothing from the queue: ktgt_cmdsn steps ExpCmdSN
 * over them when it reaches them, and the drain above then finds what
 * follows. ktgt_cmdq_lowest() gives the lowest queued CmdSN: the gap the
 * queue waits on is [ExpCmdSN, lowest) (for a time-out on a gap, or for
 * debugfs).
 */
#ifndef KTGT_PROTO_CMDQ_H
#define KTGT_PROTO_CMDQ_H

#include <ktgt/proto/platform.h>

/* Most slots a queue may have: covers any cmdsn_depth up to 65536. */
#define KTGT_CMDQ_MAX_SLOTS	65536u

struct ktgt_cmdq_node {
	u32 sn;			/* CmdSN, set by ktgt_cmdq_insert() */
	bool queued;		/* in a queue */
};

struct ktgt_cmdq {
	struct ktgt_cmdq_node **slots;	/* the caller's, mask + 1 of them */
	u32 mask;
	u32 count;
	u32 low;	/* no queued CmdSN precedes it (last ExpCmdSN seen) */
};

/* Slots for a session whose window holds at most @depth CmdSNs. */
u32 ktgt_cmdq_slots(u32 depth);

/*
 * @nslots slot pointers at @slots, zeroed here; @nslots is a power of two
 * (ktgt_cmdq_slots()) no larger than KTGT_CMDQ_MAX_SLOTS. @exp is the
 * session's ExpCmdSN. Returns 0 or -EINVAL.
 */
int ktgt_cmdq_init(struct ktgt_cmdq *q, struct ktgt_cmdq_node **slots,
		   u32 nslots, u32 exp);

/*
 * Queues @node with CmdSN @sn, the window being [@exp, @max]. Returns 0;
 * -ERANGE if @sn is not in [@exp + 1, @max] or is too far from @exp for
 * the slots; -EEXIST if @sn is queued already (a duplicate); -EBUSY if its
 * slot holds a command ExpCmdSN was moved past that was not drained yet,
 * or @node is queued already (both misuses). The caller keeps @node on
 * any error.
 */
int ktgt_cmdq_insert(struct ktgt_cmdq *q, struct ktgt_cmdq_node *node,
		     u32 sn, u32 exp, u32 max);

/*
 * The next queued command given ExpCmdSN @exp, removed: first any whose
 * sn precedes @exp (moved past: abort them), then the one whose sn is
 * @exp. NULL when there is none.
 */
struct ktgt_cmdq_node *ktgt_cmdq_pop_ready(struct ktgt_cmdq *q, u32 exp);

/* The queued command with CmdSN @sn, left in place, or NULL. */
struct ktgt_cmdq_node *ktgt_cmdq_find(const struct ktgt_cmdq *q, u32 sn);

/* Takes @node out of the queue; nothing if it is not queued. */
void ktgt_cmdq_remove(struct ktgt_cmdq *q, struct ktgt_cmdq_node *node);

/* The lowest queued CmdSN in *@sn; false if the queue is empty. */
bool ktgt_cmdq_lowest(const struct ktgt_cmdq *q, u32 *sn);

/*
 * Walk in CmdSN order: the lowest node, then the one after @node, or
 * NULL. @node stays valid for ktgt_cmdq_next() only while it is queued:
 * to remove while walking, take the next node first.
 */
struct ktgt_cmdq_node *ktgt_cmdq_first(const struct ktgt_cmdq *q);
struct ktgt_cmdq_node *ktgt_cmdq_next(const struct ktgt_cmdq *q,
				      const struct ktgt_cmdq_node *node);

/*
 * Removes and returns a queued node, lowest CmdSN first, or NULL when the
 * queue is empty. Call until NULL at teardown: the whole flush scans the
 * slots once.
 */
struct ktgt_cmdq_node *ktgt_cmdq_flush(struct ktgt_cmdq *q);

static inline u32 ktgt_cmdq_count(const struct ktgt_cmdq *q)
{
	return q->count;
}

#endif /* KTGT_PROTO_CMDQ_H */
