// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the command window and task budget (src/proto/cmdsn.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ktgt/proto/cmdsn.h>
#include <ktgt/proto/serial.h>

static void test_init(void **state)
{
	struct ktgt_cmdsn s;

	ktgt_cmdsn_init(&s, 100, 4);
	assert_int_equal(s.exp, 100);
	assert_int_equal(s.max, 103);
	ktgt_cmdsn_init(&s, 0xfffffffe, 4);
	assert_int_equal(s.max, 1);	/* wraps */
	ktgt_cmdsn_init(&s, 7, 0);	/* a zero depth still admits one */
	assert_int_equal(s.max, 7);
}

/* Tasks close the window; their completion opens it again. */
static void test_budget(void **state)
{
	struct ktgt_cmdsn s;
	u32 i;

	ktgt_cmdsn_init(&s, 10, 3);
	for (i = 10; i < 13; i++)
		assert_int_equal(ktgt_cmdsn_accept(&s, false, i, true),
				 KTGT_CMDSN_ACCEPT);
	assert_int_equal(s.exp, 13);
	assert_int_equal(s.max, 12);	/* closed: MaxCmdSN = ExpCmdSN - 1 */
	assert_int_equal(ktgt_cmdsn_accept(&s, false, 13, true),
			 KTGT_CMDSN_DROP);
	ktgt_cmdsn_task_done(&s);
	assert_int_equal(s.max, 13);
	assert_int_equal(ktgt_cmdsn_accept(&s, false, 13, true),
			 KTGT_CMDSN_ACCEPT);
	assert_int_equal(s.outstanding, 3);
	assert_int_equal(s.max, 13);
}

/* Requests that are not tasks move the window without using it. */
static void test_non_task(void **state)
{
	struct ktgt_cmdsn s;
	u32 i;

	ktgt_cmdsn_init(&s, 0, 2);
	for (i = 0; i < 1000; i++)
		assert_int_equal(ktgt_cmdsn_accept(&s, false, i, false),
				 KTGT_CMDSN_ACCEPT);
	assert_int_equal(s.exp, 1000);
	assert_int_equal(s.max, 1001);
	assert_int_equal(s.outstanding, 0);
}

/* MaxCmdSN never goes back, even when immediate tasks fill the budget. */
static void test_monotonic(void **state)
{
	struct ktgt_cmdsn s;
	u32 max;

	ktgt_cmdsn_init(&s, 50, 4);
	max = s.max;
	assert_int_equal(ktgt_cmdsn_accept(&s, true, 50, true),
			 KTGT_CMDSN_ACCEPT);
	assert_int_equal(ktgt_cmdsn_accept(&s, true, 50, true),
			 KTGT_CMDSN_ACCEPT);
	assert_int_equal(s.max, max);
	assert_int_equal(s.exp, 50);	/* immediate: ExpCmdSN stays */
	/* The window granted before is honoured. */
	assert_int_equal(ktgt_cmdsn_accept(&s, false, 50, true),
			 KTGT_CMDSN_ACCEPT);
	assert_int_equal(ktgt_cmdsn_accept(&s, false, 51, true),
			 KTGT_CMDSN_ACCEPT);
	assert_true(ktgt_sn_ge(s.max, max));
	/* Budget full: more immediate tasks are refused, not dropped. */
	assert_int_equal(ktgt_cmdsn_accept(&s, true, 52, true),
			 KTGT_CMDSN_FULL);
	/* An immediate request that is not a task still goes through. */
	assert_int_equal(ktgt_cmdsn_accept(&s, true, 52, false),
			 KTGT_CMDSN_ACCEPT);
}

static void test_drop(void **state)
{
	struct ktgt_cmdsn s;

	ktgt_cmdsn_init(&s, 1000, 8);
	/* Ahead of ExpCmdSN (a gap), behind it (a duplicate), outside. */
	assert_int_equal(ktgt_cmdsn_accept(&s, false, 1001, true),
			 KTGT_CMDSN_DROP);
	assert_int_equal(ktgt_cmdsn_accept(&s, false, 999, true),
			 KTGT_CMDSN_DROP);
	assert_int_equal(ktgt_cmdsn_accept(&s, false, 5000, false),
			 KTGT_CMDSN_DROP);
	assert_int_equal(ktgt_cmdsn_accept(&s, true, 5000, true),
			 KTGT_CMDSN_DROP);
	assert_int_equal(s.exp, 1000);
	assert_int_equal(s.outstanding, 0);
}

/* ABORT TASK of lost commands lets ExpCmdSN step over them. */
static void test_plug(void **state)
{
	struct ktgt_cmdsn s;

	ktgt_cmdsn_init(&s, 0xfffffffe, 16);
	/* 0xfffffffe was lost: plugging it advances at once. */
	assert_true(ktgt_cmdsn_plug(&s, 0xfffffffe));
	assert_int_equal(s.exp, 0xffffffff);
	/* 0xffffffff arrives, 0 and 1 were lost, 2 comes later. */
	assert_true(ktgt_cmdsn_plug(&s, 0));
	assert_true(ktgt_cmdsn_plug(&s, 1));
	assert_int_equal(s.exp, 0xffffffff);
	assert_int_equal(ktgt_cmdsn_accept(&s, false, 0xffffffff, true),
			 KTGT_CMDSN_ACCEPT);
	assert_int_equal(s.exp, 2);
	assert_int_equal(ktgt_cmdsn_accept(&s, false, 2, true),
			 KTGT_CMDSN_ACCEPT);
	assert_int_equal(s.exp, 3);
	/* Outside the window, or behind it: refused. */
	assert_false(ktgt_cmdsn_plug(&s, 2));
	assert_false(ktgt_cmdsn_plug(&s, 3 + 100));
}

/* Invariant under a pseudo-random mix: outstanding never exceeds depth
 * for non-immediate tasks, and MaxCmdSN never moves back. */
static void test_random(void **state)
{
	struct ktgt_cmdsn s;
	u32 seed = 12345, prev_max, i, live = 0;

	ktgt_cmdsn_init(&s, 0x7ffffff0, 8);
	prev_max = s.max;
	for (i = 0; i < 100000; i++) {
		seed = seed * 1103515245 + 12345;
		if ((seed >> 16) % 3 == 0 && live) {
			ktgt_cmdsn_task_done(&s);
			live--;
		} else if (ktgt_cmdsn_accept(&s, false, s.exp, true) ==
			   KTGT_CMDSN_ACCEPT) {
			live++;
		}
		assert_true(live <= 8);
		assert_int_equal(live, s.outstanding);
		assert_true(ktgt_sn_ge(s.max, prev_max));
		prev_max = s.max;
	}
}

/* MC/S: a request ahead of ExpCmdSN is held, then taken in its turn. */
static void test_hold_take(void **state)
{
	struct ktgt_cmdsn s;

	ktgt_cmdsn_init(&s, 20, 4);
	assert_false(ktgt_cmdsn_hold(&s, 20, true));	/* that is ExpCmdSN */
	assert_false(ktgt_cmdsn_hold(&s, 24, true));	/* past MaxCmdSN 23 */
	assert_false(ktgt_cmdsn_hold(&s, 19, true));	/* behind */
	assert_true(ktgt_cmdsn_hold(&s, 22, true));
	assert_int_equal(s.exp, 20);
	assert_int_equal(s.outstanding, 1);
	assert_int_equal(s.max, 23);	/* never moves back */
	/* 20 arrives and runs; 21 is plugged (ABORT TASK of a lost one). */
	assert_int_equal(ktgt_cmdsn_accept(&s, false, 20, true),
			 KTGT_CMDSN_ACCEPT);
	assert_true(ktgt_cmdsn_plug(&s, 21));
	assert_false(ktgt_cmdsn_hold(&s, 21, true));	/* plugged: a late one */
	assert_int_equal(s.exp, 22);
	ktgt_cmdsn_take(&s);				/* 22 leaves the queue */
	assert_int_equal(s.exp, 23);
	assert_int_equal(s.outstanding, 2);
	/* A non-task hold takes no slot. */
	assert_true(ktgt_cmdsn_hold(&s, 24, false));
	assert_int_equal(s.outstanding, 2);
	/* Slots come back and MaxCmdSN opens past the held one. */
	ktgt_cmdsn_task_done(&s);
	ktgt_cmdsn_task_done(&s);
	assert_int_equal(s.max, 26);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_non_task),
		cmocka_unit_test(test_monotonic),
		cmocka_unit_test(test_drop),
		cmocka_unit_test(test_plug),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_hold_take),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
