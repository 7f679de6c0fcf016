// SPDX-License-Identifier: GPL-2.0
/*
 * The queue of commands ahead of ExpCmdSN: CmdSN-indexed slots; see
 * <ktgt/proto/cmdq.h> for the design and the calling rules.
 *
 * Invariant, when the caller keeps the rules: every queued node's sn lies
 * in [low, low + nslots) and sits in slot (sn & mask); once drained
 * (ktgt_cmdq_pop_ready() returned NULL for ExpCmdSN), low == ExpCmdSN.
 * Even when the rules are broken nothing is lost: a node whose slot is
 * wanted by another CmdSN makes that insertion fail, and a flush visits
 * every slot.
 */
#include <ktgt/proto/cmdq.h>
#include <ktgt/proto/serial.h>

u32 ktgt_cmdq_slots(u32 depth)
{
	u32 n = 1;

	while (n < depth && n < KTGT_CMDQ_MAX_SLOTS)
		n <<= 1;
	return n;
}

int ktgt_cmdq_init(struct ktgt_cmdq *q, struct ktgt_cmdq_node **slots,
		   u32 nslots, u32 exp)
{
	memset(q, 0, sizeof(*q));
	if (!slots || !nslots || nslots > KTGT_CMDQ_MAX_SLOTS ||
	    (nslots & (nslots - 1)))
		return -EINVAL;
	memset(slots, 0, nslots * sizeof(*slots));
	q->slots = slots;
	q->mask = nslots - 1;
	q->low = exp;
	return 0;
}

static struct ktgt_cmdq_node **ktgt_cmdq_slot(const struct ktgt_cmdq *q,
					      u32 sn)
{
	return &q->slots[sn & q->mask];
}

static void ktgt_cmdq_unlink(struct ktgt_cmdq *q, struct ktgt_cmdq_node *node)
{
	struct ktgt_cmdq_node **slot = ktgt_cmdq_slot(q, node->sn);

	if (*slot == node)
		*slot = NULL;
	node->queued = false;
	q->count--;
}

int ktgt_cmdq_insert(struct ktgt_cmdq *q, struct ktgt_cmdq_node *node,
		     u32 sn, u32 exp, u32 max)
{
	struct ktgt_cmdq_node **slot;

	if (!q->slots || node->queued)
		return -EBUSY;
	/* Nothing queued, nothing to drain: the walks start at ExpCmdSN. */
	if (!q->count)
		q->low = exp;
	/* sn == exp is executed at once, never queued. */
	if (sn == exp || !ktgt_sn_in_window(sn, exp, max))
		return -ERANGE;
	/* A window wider than the slots: the caller sized them wrong. */
	if (sn - exp > q->mask)
		return -ERANGE;
	slot = ktgt_cmdq_slot(q, sn);
	if (*slot)
		return (*slot)->sn == sn ? -EEXIST : -EBUSY;
	node->sn = sn;
	node->queued = true;
	*slot = node;
	q->count++;
	return 0;
}

struct ktgt_cmdq_node *ktgt_cmdq_pop_ready(struct ktgt_cmdq *q, u32 exp)
{
	struct ktgt_cmdq_node *n;

	if (!q->count) {
		q->low = exp;
		return NULL;
	}
	/*
	 * ExpCmdSN moved from @low to @exp: a node left in between was
	 * stepped over. Each CmdSN is looked at once as @low advances, and
	 * never more than every slot once per call.
	 */
	if (ktgt_sn_lt(q->low, exp)) {
		if (exp - q->low > q->mask + 1)
			q->low = exp - (q->mask + 1);
		while (q->low != exp) {
			n = *ktgt_cmdq_slot(q, q->low);
			if (n && ktgt_sn_lt(n->sn, exp)) {
				ktgt_cmdq_unlink(q, n);
				return n;
			}
			q->low++;
		}
	}
	n = *ktgt_cmdq_slot(q, exp);
	if (!n || n->sn != exp)
		return NULL;
	ktgt_cmdq_unlink(q, n);
	return n;
}

struct ktgt_cmdq_node *ktgt_cmdq_find(const struct ktgt_cmdq *q, u32 sn)
{
	struct ktgt_cmdq_node *n;

	if (!q->count)
		return NULL;
	n = *ktgt_cmdq_slot(q, sn);
	return n && n->sn == sn ? n : NULL;
}

void ktgt_cmdq_remove(struct ktgt_cmdq *q, struct ktgt_cmdq_node *node)
{
	if (node->queued && q->count)
		ktgt_cmdq_unlink(q, node);
}

/* The first node at or after CmdSN @from, scanning up to @low + nslots. */
static struct ktgt_cmdq_node *ktgt_cmdq_scan(const struct ktgt_cmdq *q,
					     u32 from)
{
	struct ktgt_cmdq_node *n;
	u32 sn;

	if (!q->count)
		return NULL;
	for (sn = from; sn - q->low <= q->mask; sn++) {
		n = *ktgt_cmdq_slot(q, sn);
		if (n && n->sn == sn)
			return n;
	}
	return NULL;
}

struct ktgt_cmdq_node *ktgt_cmdq_first(const struct ktgt_cmdq *q)
{
	return ktgt_cmdq_scan(q, q->low);
}

struct ktgt_cmdq_node *ktgt_cmdq_next(const struct ktgt_cmdq *q,
				      const struct ktgt_cmdq_node *node)
{
	/* A node outside [low, low + nslots) has no "next" in this walk. */
	if (node->sn - q->low > q->mask)
		return NULL;
	return ktgt_cmdq_scan(q, node->sn + 1);
}

bool ktgt_cmdq_lowest(const struct ktgt_cmdq *q, u32 *sn)
{
	const struct ktgt_cmdq_node *n = ktgt_cmdq_first(q);

	if (!n)
		return false;
	*sn = n->sn;
	return true;
}

struct ktgt_cmdq_node *ktgt_cmdq_flush(struct ktgt_cmdq *q)
{
	struct ktgt_cmdq_node *n;
	u32 i;

	/*
	 * Every slot, from @low on: in CmdSN order when drained, and
	 * complete in any case. @low is the cursor, so the whole flush
	 * scans the slots once.
	 */
	for (i = 0; q->count && i <= q->mask; i++) {
		n = *ktgt_cmdq_slot(q, q->low + i);
		if (n) {
			q->low += i;
			ktgt_cmdq_unlink(q, n);
			return n;
		}
	}
	return NULL;
}
