/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The retained-status queue of a connection: a bounded ring of opaque
 * entries keyed by StatSN, oldest first (RFC 7143 4.2.2.2, 11.16: a
 * target keeps a response until ExpStatSN acknowledges it, so that a
 * Status SNACK can have it sent again).
 *
 * The ring only orders and bounds: it never allocates or frees. Its user
 * owns the slot array and the entries, and serializes every call (the
 * core: a spinlock, src/core/respq.c).
 *
 *  - push appends an entry whose StatSN follows the newest one in serial
 *    order; when the ring is full the oldest entry is evicted (handed
 *    back to the caller) to make room;
 *  - ack hands back, one per call, the oldest entry if its StatSN
 *    precedes ExpStatSN; an ExpStatSN that follows what was pushed (an
 *    acknowledgment of a status never sent) is ignored.
 */
#ifndef KTGT_PROTO_STATQ_H
#define KTGT_PROTO_STATQ_H

#include <ktgt/proto/platform.h>

struct ktgt_statq_slot {
	u32 sn;
	void *obj;
};

struct ktgt_statq {
	struct ktgt_statq_slot *slots;	/* @cap of them, the caller's */
	u32 cap;
	u32 head;			/* index of the oldest entry */
	u32 count;
	u32 next_sn;			/* one past the newest pushed */
	bool pushed;			/* @next_sn is meaningful */
	u64 evicted;			/* entries dropped unacknowledged */
};

void ktgt_statq_init(struct ktgt_statq *q, struct ktgt_statq_slot *slots,
		     u32 cap);

/*
 * Appends @obj with StatSN @sn. Returns 0, and in *@evicted the oldest
 * entry's object if the ring was full (NULL otherwise), or -EINVAL if
 * @sn does not follow the newest entry (or the ring has no slots): the
 * caller keeps @obj.
 */
int ktgt_statq_push(struct ktgt_statq *q, u32 sn, void *obj, void **evicted);

/*
 * ExpStatSN @exp acknowledges every entry before it: returns the oldest
 * such entry's object, removed, or NULL when none is left. Call until
 * NULL. Ignored (NULL) when @exp follows the newest StatSN pushed + 1.
 */
void *ktgt_statq_ack(struct ktgt_statq *q, u32 exp);

/* Removes and returns the oldest entry's object, or NULL if empty. */
void *ktgt_statq_pop(struct ktgt_statq *q);

/* The object retained for StatSN @sn, left in place, or NULL. */
void *ktgt_statq_find(const struct ktgt_statq *q, u32 sn);

static inline u32 ktgt_statq_count(const struct ktgt_statq *q)
{
	return q->count;
}

#endif /* KTGT_PROTO_STATQ_H */
