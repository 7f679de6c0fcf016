// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for src/proto/cmdq.c, driven with src/proto/cmdsn.c.
 *
 * Input: two bytes of set-up (depth, first CmdSN), then operations of two
 * bytes each (an opcode and an argument): a command arrives, ABORT TASK
 * of a CmdSN (queued: marked aborted; not queued: plugged), a walk, a
 * removal, a flush. The queue is checked after every step against a
 * reference model, a plain array of the queued CmdSNs, and the drain
 * must hand commands back in exactly the order ExpCmdSN takes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ktgt/proto/cmdq.h>
#include <ktgt/proto/cmdsn.h>
#include <ktgt/proto/serial.h>

#define CHECK(c)	do { if (!(c)) abort(); } while (0)
#define MAXD		256

struct cmd {
	struct ktgt_cmdq_node node;
	bool used;
	bool aborted;
};

static struct cmd pool[MAXD + 1];
static struct ktgt_cmdq_node *slots[MAXD];

/*
 * The model: queued CmdSNs, unordered; @lost: queued although plugged
 * (a caller that skipped ktgt_cmdsn_plugged()), so ExpCmdSN steps over
 * it and the drain must hand it back as such.
 */
static struct {
	u32 sn;
	bool lost;
} model[MAXD + 1];
static u32 nmodel;

static int model_find(u32 sn)
{
	u32 i;

	for (i = 0; i < nmodel; i++)
		if (model[i].sn == sn)
			return i;
	return -1;
}

static bool model_del(u32 sn)
{
	int i = model_find(sn);
	bool lost;

	CHECK(i >= 0);
	lost = model[i].lost;
	model[i] = model[--nmodel];
	return lost;
}

static struct cmd *to_cmd(struct ktgt_cmdq_node *n)
{
	return (struct cmd *)((char *)n - offsetof(struct cmd, node));
}

static struct cmd *get_cmd(void)
{
	u32 i;

	for (i = 0; i <= MAXD; i++)
		if (!pool[i].used) {
			memset(&pool[i], 0, sizeof(pool[i]));
			pool[i].used = true;
			return &pool[i];
		}
	return NULL;
}

static void put_cmd(struct cmd *c)
{
	CHECK(!c->node.queued);
	c->used = false;
}

/* After ExpCmdSN moved: hand back what follows, in CmdSN order. */
static void drain(struct ktgt_cmdsn *s, struct ktgt_cmdq *q)
{
	struct ktgt_cmdq_node *n;

	while ((n = ktgt_cmdq_pop_ready(q, s->exp))) {
		CHECK(!n->queued);
		if (n->sn != s->exp) {
			/* Stepped over: only a plugged one queued anyway. */
			CHECK(ktgt_sn_lt(n->sn, s->exp));
			CHECK(model_del(n->sn));
		} else {
			CHECK(!model_del(n->sn));
			CHECK(ktgt_cmdsn_accept(s, false, n->sn, false) ==
			      KTGT_CMDSN_ACCEPT);
		}
		put_cmd(to_cmd(n));
	}
	/* Whatever is left waits behind a gap. */
	CHECK(model_find(s->exp) < 0);
}

static void check(const struct ktgt_cmdsn *s, const struct ktgt_cmdq *q)
{
	const struct ktgt_cmdq_node *n;
	u32 i, lowest, prev = 0, walked = 0;

	CHECK(ktgt_cmdq_count(q) == nmodel);
	for (i = 0; i < nmodel; i++) {
		n = ktgt_cmdq_find(q, model[i].sn);
		CHECK(n && n->sn == model[i].sn && n->queued);
		CHECK(ktgt_sn_in_window(n->sn, s->exp + 1, s->max));
	}
	/* The walk is the model, in serial order. */
	for (n = ktgt_cmdq_first(q); n; n = ktgt_cmdq_next(q, n)) {
		CHECK(model_find(n->sn) >= 0);
		if (walked)
			CHECK(ktgt_sn_lt(prev, n->sn));
		prev = n->sn;
		walked++;
	}
	CHECK(walked == nmodel);
	CHECK(ktgt_cmdq_lowest(q, &lowest) == (nmodel != 0));
	if (nmodel) {
		for (i = 0; i < nmodel; i++)
			CHECK(ktgt_sn_le(lowest, model[i].sn));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ktgt_cmdsn s;
	struct ktgt_cmdq q;
	struct ktgt_cmdq_node *n;
	struct cmd *c;
	u32 depth, sn, i, prev;
	int rc, want, idx;
	bool has_prev, lost;

	if (size < 2)
		return 0;
	depth = 1 + data[0] % MAXD;
	/* Start near the wrap half of the time. */
	ktgt_cmdsn_init(&s, (data[1] & 1) ? 0xffffffffu - (data[1] >> 1) :
			data[1], depth);
	CHECK(ktgt_cmdq_init(&q, slots, ktgt_cmdq_slots(depth), s.exp) == 0);
	memset(pool, 0, sizeof(pool));
	nmodel = 0;

	for (i = 2; i + 1 < size; i += 2) {
		u8 op = data[i] % 5, arg = data[i + 1];

		switch (op) {
		case 0:	/* a command arrives, maybe behind or beyond */
			sn = s.exp + arg % (depth + 3) - 1;
			c = get_cmd();
			CHECK(c);
			if (sn == s.exp) {
				CHECK(ktgt_cmdsn_accept(&s, false, sn, false) ==
				      KTGT_CMDSN_ACCEPT);
				put_cmd(c);
				drain(&s, &q);
				break;
			}
			/* The core drops a plugged one; now and then not. */
			lost = ktgt_cmdsn_plugged(&s, sn);
			if (lost && !(arg & 0x80)) {
				put_cmd(c);
				break;
			}
			if (!ktgt_sn_in_window(sn, s.exp + 1, s.max) ||
			    sn - s.exp > q.mask)
				want = -ERANGE;
			else if (model_find(sn) >= 0)
				want = -EEXIST;
			else
				want = 0;
			rc = ktgt_cmdq_insert(&q, &c->node, sn, s.exp, s.max);
			CHECK(rc == want);
			if (rc) {
				CHECK(!c->node.queued);
				put_cmd(c);
			} else {
				model[nmodel].sn = sn;
				model[nmodel++].lost = lost;
			}
			break;
		case 1:	/* ABORT TASK of CmdSN exp + arg % 70 */
			sn = s.exp + arg % 70;
			n = ktgt_cmdq_find(&q, sn);
			CHECK(!n == (model_find(sn) < 0));
			if (n) {
				/* Received: aborted in place, drained later. */
				to_cmd(n)->aborted = true;
			} else if (ktgt_cmdsn_plug(&s, sn)) {
				drain(&s, &q);
			}
			break;
		case 2:	/* walk and remove every arg-th, as a caller that plugs */
			idx = 0;
			for (n = ktgt_cmdq_first(&q); n; n = ktgt_cmdq_next(&q, n))
				idx++;
			CHECK((u32)idx == nmodel);
			if (!nmodel || arg % 3)
				break;
			sn = model[arg % nmodel].sn;
			if (model[arg % nmodel].lost)
				break;
			if (!ktgt_cmdsn_plug(&s, sn))
				break;
			n = ktgt_cmdq_find(&q, sn);
			CHECK(n);
			ktgt_cmdq_remove(&q, n);
			CHECK(!n->queued);
			ktgt_cmdq_remove(&q, n);	/* twice: harmless */
			model_del(sn);
			put_cmd(to_cmd(n));
			drain(&s, &q);
			break;
		case 3:	/* a drain that finds nothing new */
			CHECK(!ktgt_cmdq_pop_ready(&q, s.exp));
			break;
		case 4:	/* teardown, now and then */
			if (arg < 240)
				break;
			has_prev = false;
			prev = 0;
			while ((n = ktgt_cmdq_flush(&q))) {
				CHECK(!n->queued);
				if (has_prev)
					CHECK(ktgt_sn_lt(prev, n->sn));
				prev = n->sn;
				has_prev = true;
				model_del(n->sn);
				put_cmd(to_cmd(n));
			}
			CHECK(!nmodel);
			break;
		}
		check(&s, &q);
	}
	return 0;
}
