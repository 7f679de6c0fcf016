// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the retained-status queue (src/proto/statq.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ktgt/proto/statq.h>

#define CAP	4

static struct ktgt_statq_slot slots[CAP];
static int objs[64];

static void push_ok(struct ktgt_statq *q, u32 sn, int i, void *want_evicted)
{
	void *ev = (void *)1;

	assert_int_equal(ktgt_statq_push(q, sn, &objs[i], &ev), 0);
	assert_ptr_equal(ev, want_evicted);
}

static void test_empty(void **state)
{
	struct ktgt_statq q;
	void *ev;

	ktgt_statq_init(&q, slots, CAP);
	assert_int_equal(ktgt_statq_count(&q), 0);
	assert_null(ktgt_statq_ack(&q, 5));
	assert_null(ktgt_statq_pop(&q));
	assert_null(ktgt_statq_find(&q, 0));
	/* No slots: nothing is retained. */
	ktgt_statq_init(&q, NULL, CAP);
	assert_int_equal(ktgt_statq_push(&q, 1, &objs[0], &ev), -EINVAL);
	assert_null(ev);
}

static void test_ack_in_order(void **state)
{
	struct ktgt_statq q;
	int i;

	ktgt_statq_init(&q, slots, CAP);
	for (i = 0; i < 3; i++)
		push_ok(&q, 10 + i, i, NULL);
	assert_ptr_equal(ktgt_statq_find(&q, 11), &objs[1]);
	assert_null(ktgt_statq_find(&q, 13));
	/* ExpStatSN 10 acknowledges nothing, 12 acknowledges 10 and 11. */
	assert_null(ktgt_statq_ack(&q, 10));
	assert_ptr_equal(ktgt_statq_ack(&q, 12), &objs[0]);
	assert_ptr_equal(ktgt_statq_ack(&q, 12), &objs[1]);
	assert_null(ktgt_statq_ack(&q, 12));
	assert_int_equal(ktgt_statq_count(&q), 1);
	/* An old ExpStatSN again changes nothing. */
	assert_null(ktgt_statq_ack(&q, 11));
	assert_ptr_equal(ktgt_statq_ack(&q, 13), &objs[2]);
	assert_int_equal(ktgt_statq_count(&q), 0);
	assert_int_equal(q.evicted, 0);
}

static void test_ack_outside_window(void **state)
{
	struct ktgt_statq q;

	ktgt_statq_init(&q, slots, CAP);
	push_ok(&q, 100, 0, NULL);
	push_ok(&q, 101, 1, NULL);
	/* 103 follows the newest + 1 (102): never sent, ignored. */
	assert_null(ktgt_statq_ack(&q, 103));
	assert_null(ktgt_statq_ack(&q, 0x80000000u));
	/* Far behind (more than 2^31 away) is not "after" either. */
	assert_null(ktgt_statq_ack(&q, 100 + 0x80000000u));
	assert_int_equal(ktgt_statq_count(&q), 2);
	/* Exactly newest + 1 acknowledges everything. */
	assert_ptr_equal(ktgt_statq_ack(&q, 102), &objs[0]);
	assert_ptr_equal(ktgt_statq_ack(&q, 102), &objs[1]);
	assert_null(ktgt_statq_ack(&q, 102));
}

static void test_wrap(void **state)
{
	struct ktgt_statq q;
	int i;

	ktgt_statq_init(&q, slots, CAP);
	/* 0xfffffffe, 0xffffffff, 0, 1 */
	for (i = 0; i < 4; i++)
		push_ok(&q, 0xfffffffeu + i, i, NULL);
	assert_ptr_equal(ktgt_statq_find(&q, 0), &objs[2]);
	/* ExpStatSN 0 acknowledges the two before the wrap. */
	assert_ptr_equal(ktgt_statq_ack(&q, 0), &objs[0]);
	assert_ptr_equal(ktgt_statq_ack(&q, 0), &objs[1]);
	assert_null(ktgt_statq_ack(&q, 0));
	assert_int_equal(ktgt_statq_count(&q), 2);
	push_ok(&q, 2, 4, NULL);
	assert_ptr_equal(ktgt_statq_ack(&q, 2), &objs[2]);
	assert_ptr_equal(ktgt_statq_ack(&q, 2), &objs[3]);
	assert_null(ktgt_statq_ack(&q, 2));
	assert_ptr_equal(ktgt_statq_pop(&q), &objs[4]);
	assert_null(ktgt_statq_pop(&q));
}

static void test_evict_when_full(void **state)
{
	struct ktgt_statq q;
	int i;

	ktgt_statq_init(&q, slots, CAP);
	for (i = 0; i < CAP; i++)
		push_ok(&q, 0xfffffffdu + i, i, NULL);
	/* Full: each push drops the oldest, counted. */
	for (i = CAP; i < 40; i++)
		push_ok(&q, 0xfffffffdu + i, i, &objs[i - CAP]);
	assert_int_equal(ktgt_statq_count(&q), CAP);
	assert_int_equal(q.evicted, 40 - CAP);
	assert_null(ktgt_statq_find(&q, 0xfffffffdu + 40 - CAP - 1));
	assert_ptr_equal(ktgt_statq_find(&q, 0xfffffffdu + 40 - CAP),
			 &objs[40 - CAP]);
	/* An ExpStatSN older than the oldest kept acknowledges nothing. */
	assert_null(ktgt_statq_ack(&q, 0xfffffffdu + 2));
	for (i = 40 - CAP; i < 40; i++)
		assert_ptr_equal(ktgt_statq_ack(&q, 0xfffffffdu + 40),
				 &objs[i]);
	assert_int_equal(ktgt_statq_count(&q), 0);
}

static void test_push_order(void **state)
{
	struct ktgt_statq q;
	void *ev;

	ktgt_statq_init(&q, slots, CAP);
	push_ok(&q, 7, 0, NULL);
	/* The same StatSN again, or an older one: refused. */
	assert_int_equal(ktgt_statq_push(&q, 7, &objs[1], &ev), -EINVAL);
	assert_int_equal(ktgt_statq_push(&q, 6, &objs[1], &ev), -EINVAL);
	/* A gap (a response not retained) is fine. */
	push_ok(&q, 9, 1, NULL);
	assert_int_equal(ktgt_statq_count(&q), 2);
	/* Emptied by acknowledgment, the order still holds. */
	assert_ptr_equal(ktgt_statq_ack(&q, 10), &objs[0]);
	assert_ptr_equal(ktgt_statq_ack(&q, 10), &objs[1]);
	assert_int_equal(ktgt_statq_push(&q, 9, &objs[2], &ev), -EINVAL);
	push_ok(&q, 10, 2, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_ack_in_order),
		cmocka_unit_test(test_ack_outside_window),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_evict_when_full),
		cmocka_unit_test(test_push_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
