// SPDX-License-Identifier: GPL-2.0
/*
 * The retained-status queue: a ring of entries keyed by StatSN, in serial
 * number order (include/ktgt/proto/statq.h).
 */
#include <ktgt/proto/statq.h>
#include <ktgt/proto/serial.h>

void ktgt_statq_init(struct ktgt_statq *q, struct ktgt_statq_slot *slots,
		     u32 cap)
{
	memset(q, 0, sizeof(*q));
	q->slots = slots;
	q->cap = slots ? cap : 0;
}

static struct ktgt_statq_slot *ktgt_statq_at(const struct ktgt_statq *q,
					     u32 i)
{
	return &q->slots[(q->head + i) % q->cap];
}

void *ktgt_statq_pop(struct ktgt_statq *q)
{
	void *obj;

	if (!q->count)
		return NULL;
	obj = q->slots[q->head].obj;
	q->slots[q->head].obj = NULL;
	q->head = (q->head + 1) % q->cap;
	q->count--;
	return obj;
}

int ktgt_statq_push(struct ktgt_statq *q, u32 sn, void *obj, void **evicted)
{
	struct ktgt_statq_slot *slot;

	*evicted = NULL;
	if (!q->cap)
		return -EINVAL;
	/* In serial order, after the newest (StatSN never goes back). */
	if (q->pushed && !ktgt_sn_ge(sn, q->next_sn))
		return -EINVAL;
	if (q->count == q->cap) {
		*evicted = ktgt_statq_pop(q);
		q->evicted++;
	}
	slot = ktgt_statq_at(q, q->count);
	slot->sn = sn;
	slot->obj = obj;
	q->count++;
	q->next_sn = sn + 1;
	q->pushed = true;
	return 0;
}

void *ktgt_statq_ack(struct ktgt_statq *q, u32 exp)
{
	if (!q->count)
		return NULL;
	/* Acknowledges a StatSN not sent yet: a broken or hostile peer. */
	if (ktgt_sn_gt(exp, q->next_sn))
		return NULL;
	if (!ktgt_sn_lt(ktgt_statq_at(q, 0)->sn, exp))
		return NULL;
	return ktgt_statq_pop(q);
}

void *ktgt_statq_find(const struct ktgt_statq *q, u32 sn)
{
	u32 i;

	for (i = 0; i < q->count; i++) {
		const struct ktgt_statq_slot *slot = ktgt_statq_at(q, i);

		if (slot->sn == sn)
			return slot->obj;
	}
	return NULL;
}
