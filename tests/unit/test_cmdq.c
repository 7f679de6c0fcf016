// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the queue of commands ahead of ExpCmdSN
 * (src/proto/cmdq.c), driven the way the core drives it: through the
 * command window of src/proto/cmdsn.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ktgt/proto/cmdq.h>
#include <ktgt/proto/cmdsn.h>
#include <ktgt/proto/serial.h>

#define NSLOTS	64

struct cmd {
	struct ktgt_cmdq_node node;
	u32 cmdsn;
};

static struct ktgt_cmdq_node *slots[NSLOTS];
static struct cmd cmds[NSLOTS];

#define to_cmd(n)	((struct cmd *)((char *)(n) - offsetof(struct cmd, node)))

/* What the core does with a non-immediate command that arrives. */
static int arrive(struct ktgt_cmdsn *s, struct ktgt_cmdq *q, struct cmd *c,
		  u32 sn, u32 *done, u32 *ndone)
{
	struct ktgt_cmdq_node *n;
	int err;

	c->cmdsn = sn;
	if (sn != s->exp)
		return ktgt_cmdq_insert(q, &c->node, sn, s->exp, s->max);
	assert_int_equal(ktgt_cmdsn_accept(s, false, sn, false),
			 KTGT_CMDSN_ACCEPT);
	done[(*ndone)++] = sn;
	/* Drain: every command that follows without a gap. */
	while ((n = ktgt_cmdq_pop_ready(q, s->exp))) {
		assert_int_equal(n->sn, s->exp);
		assert_false(n->queued);
		err = ktgt_cmdsn_accept(s, false, n->sn, false);
		assert_int_equal(err, KTGT_CMDSN_ACCEPT);
		done[(*ndone)++] = to_cmd(n)->cmdsn;
	}
	return 0;
}

static void test_slots(void **state)
{
	struct ktgt_cmdq q;

	assert_int_equal(ktgt_cmdq_slots(0), 1);
	assert_int_equal(ktgt_cmdq_slots(1), 1);
	assert_int_equal(ktgt_cmdq_slots(2), 2);
	assert_int_equal(ktgt_cmdq_slots(128), 128);
	assert_int_equal(ktgt_cmdq_slots(129), 256);
	assert_int_equal(ktgt_cmdq_slots(4096), 4096);
	assert_int_equal(ktgt_cmdq_slots(0xffffffffu), KTGT_CMDQ_MAX_SLOTS);
	assert_int_equal(ktgt_cmdq_init(&q, slots, 48, 0), -EINVAL);
	assert_int_equal(ktgt_cmdq_init(&q, slots, 0, 0), -EINVAL);
	assert_int_equal(ktgt_cmdq_init(&q, NULL, 64, 0), -EINVAL);
	/* A queue that failed to initialize refuses everything. */
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[0].node, 1, 0, 5),
			 -EBUSY);
	assert_null(ktgt_cmdq_pop_ready(&q, 0));
	assert_null(ktgt_cmdq_flush(&q));
	assert_int_equal(ktgt_cmdq_init(&q, slots, NSLOTS, 7), 0);
	assert_int_equal(ktgt_cmdq_count(&q), 0);
}

/* Commands that arrive out of order are executed in CmdSN order. */
static void test_in_order_release(void **state)
{
	struct ktgt_cmdsn s;
	struct ktgt_cmdq q;
	u32 done[16], ndone = 0;

	ktgt_cmdsn_init(&s, 100, 8);
	assert_int_equal(ktgt_cmdq_init(&q, slots, 8, s.exp), 0);
	assert_int_equal(arrive(&s, &q, &cmds[3], 103, done, &ndone), 0);
	assert_int_equal(arrive(&s, &q, &cmds[1], 101, done, &ndone), 0);
	assert_int_equal(arrive(&s, &q, &cmds[2], 102, done, &ndone), 0);
	assert_int_equal(ndone, 0);
	assert_int_equal(ktgt_cmdq_count(&q), 3);
	/* Nothing is ready while 100 is missing. */
	assert_null(ktgt_cmdq_pop_ready(&q, s.exp));
	assert_int_equal(s.exp, 100);
	assert_int_equal(arrive(&s, &q, &cmds[0], 100, done, &ndone), 0);
	assert_int_equal(ndone, 4);
	assert_int_equal(done[0], 100);
	assert_int_equal(done[1], 101);
	assert_int_equal(done[2], 102);
	assert_int_equal(done[3], 103);
	assert_int_equal(s.exp, 104);
	assert_int_equal(ktgt_cmdq_count(&q), 0);
	/* A gap again: 106 waits behind 104 and 105. */
	assert_int_equal(arrive(&s, &q, &cmds[6], 106, done, &ndone), 0);
	assert_int_equal(arrive(&s, &q, &cmds[4], 104, done, &ndone), 0);
	assert_int_equal(ndone, 5);
	assert_int_equal(ktgt_cmdq_count(&q), 1);
	assert_int_equal(arrive(&s, &q, &cmds[5], 105, done, &ndone), 0);
	assert_int_equal(ndone, 7);
	assert_int_equal(done[5], 105);
	assert_int_equal(done[6], 106);
}

/* A duplicate CmdSN is refused and the first copy stays. */
static void test_duplicate(void **state)
{
	struct ktgt_cmdq q;

	assert_int_equal(ktgt_cmdq_init(&q, slots, NSLOTS, 10), 0);
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[0].node, 15, 10, 20), 0);
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[1].node, 15, 10, 20),
			 -EEXIST);
	assert_false(cmds[1].node.queued);
	assert_ptr_equal(ktgt_cmdq_find(&q, 15), &cmds[0].node);
	/* The same node twice is a misuse, refused too. */
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[0].node, 16, 10, 20),
			 -EBUSY);
	assert_int_equal(ktgt_cmdq_count(&q), 1);
	assert_int_equal(cmds[0].node.sn, 15);
	ktgt_cmdq_remove(&q, &cmds[0].node);
	assert_false(cmds[0].node.queued);
	ktgt_cmdq_remove(&q, &cmds[0].node);	/* twice: nothing */
	assert_int_equal(ktgt_cmdq_count(&q), 0);
	assert_null(ktgt_cmdq_find(&q, 15));
}

/* Only [ExpCmdSN + 1, MaxCmdSN] is queued, within the slots. */
static void test_window_bounds(void **state)
{
	struct ktgt_cmdq q;

	assert_int_equal(ktgt_cmdq_init(&q, slots, 8, 50), 0);
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[0].node, 50, 50, 57),
			 -ERANGE);	/* ExpCmdSN itself: execute it */
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[0].node, 49, 50, 57),
			 -ERANGE);	/* behind: an old duplicate */
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[0].node, 58, 50, 57),
			 -ERANGE);	/* past MaxCmdSN */
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[0].node,
					  50 + 0x80000000u, 50, 57), -ERANGE);
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[0].node, 57, 50, 57), 0);
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[1].node, 51, 50, 57), 0);
	/* A closed window (MaxCmdSN = ExpCmdSN - 1) takes nothing. */
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[2].node, 52, 50, 49),
			 -ERANGE);
	/* A window wider than the slots: only the first 4 CmdSNs fit. */
	assert_int_equal(ktgt_cmdq_init(&q, slots, 4, 50), 0);
	cmds[0].node.queued = false;
	cmds[1].node.queued = false;
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[0].node, 54, 50, 60),
			 -ERANGE);
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[0].node, 53, 50, 60), 0);
	assert_int_equal(ktgt_cmdq_count(&q), 1);
	cmds[0].node.queued = false;
}

/* CmdSN wraps at 2^32: the order is serial, not numeric. */
static void test_wraparound(void **state)
{
	static const u32 arrival[] = { 2, 0xffffffffu, 0, 1, 0xfffffffeu };
	struct ktgt_cmdsn s;
	struct ktgt_cmdq q;
	struct ktgt_cmdq_node *n;
	u32 done[16], ndone = 0, sn, i;

	ktgt_cmdsn_init(&s, 0xfffffffdu, 8);
	assert_int_equal(s.max, 4);
	assert_int_equal(ktgt_cmdq_init(&q, slots, 8, s.exp), 0);
	for (i = 0; i < ARRAY_SIZE(arrival); i++)
		assert_int_equal(arrive(&s, &q, &cmds[i], arrival[i], done,
					&ndone), 0);
	assert_true(ktgt_cmdq_lowest(&q, &sn));
	assert_int_equal(sn, 0xfffffffeu);
	/* The walk is in serial order across the wrap. */
	n = ktgt_cmdq_first(&q);
	for (i = 0; i < 5; i++) {
		assert_non_null(n);
		assert_int_equal(n->sn, 0xfffffffeu + i);
		n = ktgt_cmdq_next(&q, n);
	}
	assert_null(n);
	assert_int_equal(arrive(&s, &q, &cmds[5], 0xfffffffdu, done, &ndone),
			 0);
	assert_int_equal(ndone, 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(done[i], 0xfffffffdu + i);
	assert_int_equal(s.exp, 3);
	assert_false(ktgt_cmdq_lowest(&q, &sn));
}

/* Teardown hands back every queued command, lowest CmdSN first. */
static void test_flush(void **state)
{
	static const u32 sns[] = { 7, 3, 5, 4, 9 };
	struct ktgt_cmdq q;
	struct ktgt_cmdq_node *n;
	u32 i, prev = 0;

	assert_int_equal(ktgt_cmdq_init(&q, slots, 16, 1), 0);
	for (i = 0; i < ARRAY_SIZE(sns); i++)
		assert_int_equal(ktgt_cmdq_insert(&q, &cmds[i].node, sns[i],
						  1, 16), 0);
	for (i = 0; (n = ktgt_cmdq_flush(&q)); i++) {
		assert_false(n->queued);
		assert_true(n->sn > prev);
		prev = n->sn;
	}
	assert_int_equal(i, ARRAY_SIZE(sns));
	assert_int_equal(prev, 9);
	assert_int_equal(ktgt_cmdq_count(&q), 0);
	assert_null(ktgt_cmdq_flush(&q));
	/* Usable again afterwards. */
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[0].node, 30, 29, 40), 0);
	assert_ptr_equal(ktgt_cmdq_pop_ready(&q, 30), &cmds[0].node);
}

/*
 * ABORT TASK of a CmdSN never received (plugged): ExpCmdSN steps over it
 * and the commands queued behind it are released.
 */
static void test_plug(void **state)
{
	struct ktgt_cmdsn s;
	struct ktgt_cmdq q;
	u32 done[16], ndone = 0, sn;

	ktgt_cmdsn_init(&s, 10, 16);
	assert_int_equal(ktgt_cmdq_init(&q, slots, 16, s.exp), 0);
	assert_int_equal(arrive(&s, &q, &cmds[2], 12, done, &ndone), 0);
	assert_int_equal(arrive(&s, &q, &cmds[3], 13, done, &ndone), 0);
	assert_true(ktgt_cmdq_lowest(&q, &sn));
	assert_int_equal(sn, 12);
	/* 11 was lost: not queued, so plug it. */
	assert_null(ktgt_cmdq_find(&q, 11));
	assert_true(ktgt_cmdsn_plug(&s, 11));
	assert_true(ktgt_cmdsn_plugged(&s, 11));
	assert_false(ktgt_cmdsn_plugged(&s, 10));
	assert_false(ktgt_cmdsn_plugged(&s, 12));
	assert_false(ktgt_cmdsn_plugged(&s, 11 + 0x80000000u));
	assert_null(ktgt_cmdq_pop_ready(&q, s.exp));	/* 10 still missing */
	assert_int_equal(arrive(&s, &q, &cmds[0], 10, done, &ndone), 0);
	assert_int_equal(ndone, 3);
	assert_int_equal(done[0], 10);
	assert_int_equal(done[1], 12);
	assert_int_equal(done[2], 13);
	assert_int_equal(s.exp, 14);
	assert_false(ktgt_cmdsn_plugged(&s, 11));	/* passed */
	/* Plugging the CmdSN at ExpCmdSN releases what follows at once. */
	assert_int_equal(arrive(&s, &q, &cmds[5], 15, done, &ndone), 0);
	assert_true(ktgt_cmdsn_plug(&s, 14));
	assert_int_equal(s.exp, 15);
	assert_ptr_equal(ktgt_cmdq_pop_ready(&q, s.exp), &cmds[5].node);
}

/*
 * A command whose CmdSN ABORT TASK declared lost arrives after all: the
 * core drops it (ktgt_cmdsn_plugged()); one queued anyway is handed back
 * by the drain as stepped over, never as the next command.
 */
static void test_plugged_arrives(void **state)
{
	struct ktgt_cmdsn s;
	struct ktgt_cmdq q;
	struct ktgt_cmdq_node *n;

	ktgt_cmdsn_init(&s, 20, 8);
	assert_int_equal(ktgt_cmdq_init(&q, slots, 8, s.exp), 0);
	assert_true(ktgt_cmdsn_plug(&s, 22));
	assert_true(ktgt_cmdsn_plugged(&s, 22));
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[2].node, 22, s.exp, s.max),
			 0);
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[3].node, 23, s.exp, s.max),
			 0);
	assert_int_equal(ktgt_cmdsn_accept(&s, false, 20, false),
			 KTGT_CMDSN_ACCEPT);
	assert_null(ktgt_cmdq_pop_ready(&q, s.exp));	/* 21 missing */
	assert_int_equal(ktgt_cmdsn_accept(&s, false, 21, false),
			 KTGT_CMDSN_ACCEPT);
	assert_int_equal(s.exp, 23);			/* 22 stepped over */
	n = ktgt_cmdq_pop_ready(&q, s.exp);
	assert_ptr_equal(n, &cmds[2].node);		/* discard it */
	assert_int_not_equal(n->sn, s.exp);
	n = ktgt_cmdq_pop_ready(&q, s.exp);
	assert_ptr_equal(n, &cmds[3].node);		/* execute it */
	assert_int_equal(n->sn, s.exp);
	assert_null(ktgt_cmdq_pop_ready(&q, s.exp));
}

/*
 * ExpCmdSN moved past a queued command (a plug of a CmdSN that was in
 * fact queued): the drain hands it back with sn before ExpCmdSN, and its
 * slot blocks nothing afterwards.
 */
static void test_stepped_over(void **state)
{
	struct ktgt_cmdq q;
	struct ktgt_cmdq_node *n;

	assert_int_equal(ktgt_cmdq_init(&q, slots, 4, 10), 0);
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[0].node, 12, 10, 13), 0);
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[1].node, 13, 10, 13), 0);
	/* ExpCmdSN jumped to 14 and nobody drained: 16 collides with 12. */
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[2].node, 16, 14, 17),
			 -EBUSY);
	n = ktgt_cmdq_pop_ready(&q, 14);
	assert_ptr_equal(n, &cmds[0].node);
	assert_true(ktgt_sn_lt(n->sn, 14));
	assert_ptr_equal(ktgt_cmdq_pop_ready(&q, 14), &cmds[1].node);
	assert_null(ktgt_cmdq_pop_ready(&q, 14));
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[2].node, 16, 14, 17), 0);
	assert_int_equal(ktgt_cmdq_insert(&q, &cmds[3].node, 15, 14, 17), 0);
	assert_ptr_equal(ktgt_cmdq_first(&q), &cmds[3].node);
	assert_null(ktgt_cmdq_pop_ready(&q, 14));
	assert_ptr_equal(ktgt_cmdq_pop_ready(&q, 15), &cmds[3].node);
	assert_ptr_equal(ktgt_cmdq_pop_ready(&q, 16), &cmds[2].node);
	assert_int_equal(ktgt_cmdq_count(&q), 0);
}

/* Removing while walking: what task management does. */
static void test_walk_remove(void **state)
{
	struct ktgt_cmdq q;
	struct ktgt_cmdq_node *n, *next;
	u32 i, left = 0;

	assert_int_equal(ktgt_cmdq_init(&q, slots, 32, 100), 0);
	for (i = 0; i < 10; i++)
		assert_int_equal(ktgt_cmdq_insert(&q, &cmds[i].node,
						  101 + 2 * i, 100, 131), 0);
	/* Abort every command whose CmdSN is a multiple of 3. */
	for (n = ktgt_cmdq_first(&q); n; n = next) {
		next = ktgt_cmdq_next(&q, n);
		if (n->sn % 3 == 0)
			ktgt_cmdq_remove(&q, n);
	}
	for (n = ktgt_cmdq_first(&q); n; n = ktgt_cmdq_next(&q, n)) {
		assert_true(n->sn % 3 != 0);
		left++;
	}
	assert_int_equal(left, ktgt_cmdq_count(&q));
	assert_int_equal(left, 7);	/* 105, 111, 117 went */
}

/*
 * Windows filled in random order, across the wrap: every CmdSN is
 * executed once, in order, and the queue never holds more than the
 * window.
 */
static void test_random(void **state)
{
	static struct ktgt_cmdq_node *big[4096];
	static struct cmd c[4096];
	static u32 order[4096], done[8192];
	static struct cmd spare;
	struct ktgt_cmdsn s;
	struct ktgt_cmdq q;
	u32 seed = 42, round, i, j, t, ndone, depth, base;

	for (round = 0; round < 40; round++) {
		seed = seed * 1103515245 + 12345;
		depth = 1 + (seed >> 8) % 4096;
		base = 0xffffffffu - (seed >> 20);
		ktgt_cmdsn_init(&s, base, depth);
		assert_int_equal(ktgt_cmdq_init(&q, big,
						ktgt_cmdq_slots(depth), s.exp),
				 0);
		for (i = 0; i < depth; i++)
			order[i] = base + i;
		for (i = depth - 1; i > 0; i--) {
			seed = seed * 1103515245 + 12345;
			j = (seed >> 8) % (i + 1);
			t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		ndone = 0;
		for (i = 0; i < depth; i++) {
			assert_int_equal(arrive(&s, &q, &c[i], order[i], done,
						&ndone), 0);
			/* A duplicate of anything seen is refused. */
			if (i)
				assert_int_not_equal(arrive(&s, &q, &spare,
							    order[i - 1], done,
							    &ndone), 0);
			assert_true(ktgt_cmdq_count(&q) < depth);
		}
		assert_int_equal(ndone, depth);
		for (i = 0; i < depth; i++)
			assert_int_equal(done[i], base + i);
		assert_int_equal(ktgt_cmdq_count(&q), 0);
		assert_int_equal(s.exp, base + depth);
	}
}

static int reset(void **state)
{
	memset(cmds, 0, sizeof(cmds));
	return 0;
}

#define T(f)	cmocka_unit_test_setup(f, reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_slots),
		T(test_in_order_release),
		T(test_duplicate),
		T(test_window_bounds),
		T(test_wraparound),
		T(test_flush),
		T(test_plug),
		T(test_plugged_arrives),
		T(test_stepped_over),
		T(test_walk_remove),
		T(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
