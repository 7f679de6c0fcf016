// SPDX-License-Identifier: GPL-2.0
/*
 * Persistent reservations: every PR OUT service action, the conflict
 * table for each type, PRgeneration, errors leaving the state alone, and
 * the PR IN encodings byte by byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <ktgt/scsi/pr.h>

static struct ktgt_pr_state st;
static struct ktgt_pr_nexus na, nb, nc, na2;
static struct ktgt_pr_result res;
static struct ktgt_sense_info si;
static u8 buf[20000];

#define KA	0x1122334455667788ULL
#define KB	0x00000000000000b0ULL
#define KC	0x00000000000000c0ULL

static void mk_nexus(struct ktgt_pr_nexus *nx, const char *name, u64 isid,
		     u16 rtpi)
{
	memset(nx, 0, sizeof(*nx));
	nx->tid_len = (u16)ktgt_pr_iscsi_tid(name, isid, nx->tid);
	nx->rtpi = rtpi;
	assert_true(nx->tid_len > 0);
}

static int setup(void **state)
{
	ktgt_pr_init(&st, false);
	mk_nexus(&na, "iqn.2024-01.org.ktgt:a", 0x023d00000001ULL, 1);
	mk_nexus(&nb, "iqn.2024-01.org.ktgt:b", 0x023d00000001ULL, 1);
	mk_nexus(&nc, "iqn.2024-01.org.ktgt:c", 0x023d00000002ULL, 1);
	/* same initiator port as a, other target port: another nexus */
	mk_nexus(&na2, "iqn.2024-01.org.ktgt:a", 0x023d00000001ULL, 2);
	memset(&si, 0, sizeof(si));
	return 0;
}

static void mk_cdb(u8 cdb[10], u8 sa, u8 type, u32 plen)
{
	memset(cdb, 0, 10);
	cdb[0] = KTGT_SCSI_OP_PR_OUT;
	cdb[1] = sa;
	cdb[2] = type;
	put_unaligned_be32(plen, &cdb[5]);
}

static void mk_param(u8 p[24], u64 key, u64 sakey, u8 b20)
{
	memset(p, 0, 24);
	put_unaligned_be64(key, &p[0]);
	put_unaligned_be64(sakey, &p[8]);
	p[20] = b20;
}

/* The whole PR OUT path as the core runs it. */
static enum ktgt_sense_reason pro_raw(const struct ktgt_pr_nexus *nx,
				      const u8 cdb[10], const u8 *p, u32 len)
{
	struct ktgt_pr_out po;
	enum ktgt_sense_reason r;

	memset(&si, 0, sizeof(si));
	memset(&res, 0xee, sizeof(res));
	r = ktgt_pr_out_cdb(cdb, 10, &po, &si);
	if (r)
		return r;
	r = ktgt_pr_out_param(&po, p, len, st.ptpl_capable, &si);
	if (r)
		return r;
	return ktgt_pr_out_run(&st, nx, &po, &res, &si);
}

static enum ktgt_sense_reason pro(const struct ktgt_pr_nexus *nx, u8 sa,
				  u8 type, u64 key, u64 sakey)
{
	u8 cdb[10], p[24];

	mk_cdb(cdb, sa, type, 24);
	mk_param(p, key, sakey, 0);
	return pro_raw(nx, cdb, p, 24);
}

static u64 bit(const struct ktgt_pr_nexus *nx)
{
	int i = ktgt_pr_find(&st, nx);

	assert_true(i >= 0);
	return 1ULL << i;
}

static void reg3(void)
{
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER, 0, 0, KA), KTGT_SR_OK);
	assert_int_equal(pro(&nb, KTGT_PRO_REGISTER, 0, 0, KB), KTGT_SR_OK);
	assert_int_equal(pro(&nc, KTGT_PRO_REGISTER, 0, 0, KC), KTGT_SR_OK);
	assert_int_equal(st.generation, 3);
	assert_int_equal(st.nr_reg, 3);
}

static void assert_field(u16 byte, int b)
{
	assert_true(si.flags & KTGT_SI_FIELD);
	assert_int_equal(si.field, byte);
	if (b < 0) {
		assert_false(si.flags & KTGT_SI_BIT);
	} else {
		assert_true(si.flags & KTGT_SI_BIT);
		assert_int_equal(si.bit, b);
	}
}

static void test_iscsi_tid(void **state)
{
	static const char exp_name[] = "iqn.x,i,0x023d00000001";
	u8 t[KTGT_PR_TID_MAX];
	char longname[240];
	unsigned int n;

	n = ktgt_pr_iscsi_tid("iqn.x", 0x023d00000001ULL, t);
	/* 5 + 5 + 12 + NUL = 23, padded to 24, + 4 header */
	assert_int_equal(n, 28);
	assert_int_equal(t[0], 0x45);
	assert_int_equal(t[1], 0);
	assert_int_equal(get_unaligned_be16(&t[2]), 24);
	assert_memory_equal(&t[4], exp_name, sizeof(exp_name));
	assert_int_equal(t[27], 0);
	assert_int_equal(ktgt_pr_iscsi_tid("", 1, t), 0);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	assert_int_equal(ktgt_pr_iscsi_tid(longname, 1, t), 0);
	longname[223] = 0;
	assert_int_equal(ktgt_pr_iscsi_tid(longname, 1, t), 248);
}

static void test_register(void **state)
{
	/* unregistered with a nonzero key: conflict, nothing counted */
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER, 0, 5, KA),
			 KTGT_SR_RESERVATION_CONFLICT);
	assert_int_equal(st.generation, 0);
	/* unregistered, both keys 0: GOOD, no action, no generation */
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER, 0, 0, 0), KTGT_SR_OK);
	assert_int_equal(st.generation, 0);
	assert_int_equal(st.nr_reg, 0);
	assert_false(res.changed);

	assert_int_equal(pro(&na, KTGT_PRO_REGISTER, 0, 0, KA), KTGT_SR_OK);
	assert_int_equal(st.generation, 1);
	assert_int_equal(st.nr_reg, 1);
	assert_true(res.changed);
	assert_int_equal(st.reg[ktgt_pr_find(&st, &na)].key, KA);
	/* other target port: another nexus, not registered */
	assert_int_equal(ktgt_pr_find(&st, &na2), -1);

	/* registered, wrong key */
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER, 0, KB, KC),
			 KTGT_SR_RESERVATION_CONFLICT);
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER, 0, 0, KC),
			 KTGT_SR_RESERVATION_CONFLICT);
	assert_int_equal(st.generation, 1);
	/* change the key */
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER, 0, KA, KC), KTGT_SR_OK);
	assert_int_equal(st.generation, 2);
	assert_int_equal(st.reg[ktgt_pr_find(&st, &na)].key, KC);
	/* same key again still counts */
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER, 0, KC, KC), KTGT_SR_OK);
	assert_int_equal(st.generation, 3);
	/* unregister */
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER, 0, KC, 0), KTGT_SR_OK);
	assert_int_equal(st.generation, 4);
	assert_int_equal(st.nr_reg, 0);
	assert_int_equal(res.removed, 1);
	assert_int_equal(ktgt_pr_find(&st, &na), -1);
	/* the removed slot still names the nexus for the core */
	assert_memory_equal(st.reg[0].nexus.tid, na.tid, na.tid_len);
}

static void test_register_ignore(void **state)
{
	/* unregistered: the key field is ignored */
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER_IGNORE, 0, 77, KA),
			 KTGT_SR_OK);
	assert_int_equal(st.generation, 1);
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER_IGNORE, 0, 77, KB),
			 KTGT_SR_OK);
	assert_int_equal(st.reg[ktgt_pr_find(&st, &na)].key, KB);
	assert_int_equal(st.generation, 2);
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER_IGNORE, 0, 1, 0),
			 KTGT_SR_OK);
	assert_int_equal(st.nr_reg, 0);
	assert_int_equal(st.generation, 3);
	/* unregistered with SA key 0: no action */
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER_IGNORE, 0, 1, 0),
			 KTGT_SR_OK);
	assert_int_equal(st.generation, 3);
}

static void test_reserve_release(void **state)
{
	u8 g;

	assert_int_equal(pro(&na, KTGT_PRO_RESERVE, KTGT_PR_TYPE_WE, KA, 0),
			 KTGT_SR_RESERVATION_CONFLICT);
	reg3();
	g = (u8)st.generation;
	/* wrong key */
	assert_int_equal(pro(&na, KTGT_PRO_RESERVE, KTGT_PR_TYPE_WE, KB, 0),
			 KTGT_SR_RESERVATION_CONFLICT);
	assert_int_equal(pro(&na, KTGT_PRO_RESERVE, KTGT_PR_TYPE_WE, KA, 0),
			 KTGT_SR_OK);
	assert_int_equal(st.type, KTGT_PR_TYPE_WE);
	assert_true(ktgt_pr_is_holder(&st, &na));
	assert_false(ktgt_pr_is_holder(&st, &nb));
	/* RESERVE and RELEASE do not count */
	assert_int_equal(st.generation, g);
	/* again, same type: GOOD; other type: conflict */
	assert_int_equal(pro(&na, KTGT_PRO_RESERVE, KTGT_PR_TYPE_WE, KA, 0),
			 KTGT_SR_OK);
	assert_int_equal(pro(&na, KTGT_PRO_RESERVE, KTGT_PR_TYPE_EA, KA, 0),
			 KTGT_SR_RESERVATION_CONFLICT);
	assert_int_equal(pro(&nb, KTGT_PRO_RESERVE, KTGT_PR_TYPE_WE, KB, 0),
			 KTGT_SR_RESERVATION_CONFLICT);
	/* release by a registered non-holder: GOOD, nothing happens */
	assert_int_equal(pro(&nb, KTGT_PRO_RELEASE, KTGT_PR_TYPE_EA, KB, 0),
			 KTGT_SR_OK);
	assert_int_equal(st.type, KTGT_PR_TYPE_WE);
	/* unregistered, or wrong key: conflict */
	assert_int_equal(pro(&na2, KTGT_PRO_RELEASE, KTGT_PR_TYPE_WE, KA, 0),
			 KTGT_SR_RESERVATION_CONFLICT);
	assert_int_equal(pro(&na, KTGT_PRO_RELEASE, KTGT_PR_TYPE_WE, KB, 0),
			 KTGT_SR_RESERVATION_CONFLICT);
	/* the holder with the wrong type */
	assert_int_equal(pro(&na, KTGT_PRO_RELEASE, KTGT_PR_TYPE_EA, KA, 0),
			 KTGT_SR_INVALID_RELEASE_OF_PR);
	assert_int_equal(st.type, KTGT_PR_TYPE_WE);
	assert_int_equal(pro(&na, KTGT_PRO_RELEASE, KTGT_PR_TYPE_WE, KA, 0),
			 KTGT_SR_OK);
	assert_int_equal(st.type, KTGT_PR_TYPE_NONE);
	/* WE: no unit attention on release */
	assert_int_equal(res.ua_resv_released, 0);
	assert_int_equal(st.generation, g);
	/* nothing reserved: GOOD */
	assert_int_equal(pro(&na, KTGT_PRO_RELEASE, KTGT_PR_TYPE_WE, KA, 0),
			 KTGT_SR_OK);
	assert_int_equal(st.nr_reg, 3);
}

static void test_release_ua(void **state)
{
	reg3();
	assert_int_equal(pro(&na, KTGT_PRO_RESERVE, KTGT_PR_TYPE_WE_RO, KA,
			     0), KTGT_SR_OK);
	assert_int_equal(pro(&na, KTGT_PRO_RELEASE, KTGT_PR_TYPE_WE_RO, KA,
			     0), KTGT_SR_OK);
	assert_int_equal(res.ua_resv_released, bit(&nb) | bit(&nc));
	/* all registrants: any registrant releases it */
	assert_int_equal(pro(&na, KTGT_PRO_RESERVE, KTGT_PR_TYPE_EA_AR, KA,
			     0), KTGT_SR_OK);
	assert_true(ktgt_pr_is_holder(&st, &nb));
	assert_int_equal(pro(&nb, KTGT_PRO_RESERVE, KTGT_PR_TYPE_EA_AR, KB,
			     0), KTGT_SR_OK);
	assert_int_equal(pro(&nc, KTGT_PRO_RELEASE, KTGT_PR_TYPE_EA_AR, KC,
			     0), KTGT_SR_OK);
	assert_int_equal(st.type, KTGT_PR_TYPE_NONE);
	assert_int_equal(res.ua_resv_released, bit(&na) | bit(&nb));
}

static void test_unregister_holder(void **state)
{
	reg3();
	assert_int_equal(pro(&na, KTGT_PRO_RESERVE, KTGT_PR_TYPE_EA_RO, KA,
			     0), KTGT_SR_OK);
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER, 0, KA, 0), KTGT_SR_OK);
	assert_int_equal(st.type, KTGT_PR_TYPE_NONE);
	assert_int_equal(res.ua_resv_released, bit(&nb) | bit(&nc));
	assert_int_equal(st.generation, 4);

	/* all registrants: held until the last registrant goes */
	assert_int_equal(pro(&nb, KTGT_PRO_RESERVE, KTGT_PR_TYPE_WE_AR, KB,
			     0), KTGT_SR_OK);
	assert_int_equal(pro(&nb, KTGT_PRO_REGISTER, 0, KB, 0), KTGT_SR_OK);
	assert_int_equal(st.type, KTGT_PR_TYPE_WE_AR);
	assert_int_equal(res.ua_resv_released, 0);
	assert_int_equal(pro(&nc, KTGT_PRO_REGISTER_IGNORE, 0, 0, 0),
			 KTGT_SR_OK);
	assert_int_equal(st.type, KTGT_PR_TYPE_NONE);
	assert_int_equal(st.nr_reg, 0);
}

static void test_clear(void **state)
{
	u64 all;

	assert_int_equal(pro(&na, KTGT_PRO_CLEAR, 0, KA, 0),
			 KTGT_SR_RESERVATION_CONFLICT);
	reg3();
	all = bit(&na) | bit(&nb) | bit(&nc);
	assert_int_equal(pro(&na, KTGT_PRO_RESERVE, KTGT_PR_TYPE_EA, KA, 0),
			 KTGT_SR_OK);
	assert_int_equal(pro(&nb, KTGT_PRO_CLEAR, 0, KA, 0),
			 KTGT_SR_RESERVATION_CONFLICT);
	assert_int_equal(st.nr_reg, 3);
	/* any registrant may clear; TYPE is ignored */
	assert_int_equal(pro(&nb, KTGT_PRO_CLEAR, 0xf, KB, 0), KTGT_SR_OK);
	assert_int_equal(st.nr_reg, 0);
	assert_int_equal(st.type, KTGT_PR_TYPE_NONE);
	assert_int_equal(st.generation, 4);
	assert_int_equal(res.removed, all);
	assert_int_equal(res.ua_resv_preempted, all & ~(1ULL << 1));
	assert_int_equal(res.abort, 0);
}

static void test_preempt_no_reservation(void **state)
{
	u64 c;

	reg3();
	c = bit(&nc);
	/* SA key 0 without an all-registrants reservation */
	assert_int_equal(pro(&na, KTGT_PRO_PREEMPT, KTGT_PR_TYPE_WE, KA, 0),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_field(8, -1);
	/* no registration with that key */
	assert_int_equal(pro(&na, KTGT_PRO_PREEMPT, KTGT_PR_TYPE_WE, KA, 9),
			 KTGT_SR_RESERVATION_CONFLICT);
	/* the issuer's own key alone matches nothing else */
	assert_int_equal(pro(&na, KTGT_PRO_PREEMPT, KTGT_PR_TYPE_WE, KA, KA),
			 KTGT_SR_RESERVATION_CONFLICT);
	assert_int_equal(st.generation, 3);
	assert_int_equal(pro(&na, KTGT_PRO_PREEMPT, KTGT_PR_TYPE_WE, KA, KC),
			 KTGT_SR_OK);
	assert_int_equal(st.nr_reg, 2);
	assert_int_equal(st.type, KTGT_PR_TYPE_NONE);
	assert_int_equal(res.removed, c);
	assert_int_equal(res.ua_regs_preempted, c);
	assert_int_equal(res.abort, 0);
	assert_int_equal(st.generation, 4);
}

static void test_preempt_holder(void **state)
{
	u64 a, c;

	reg3();
	a = bit(&na);
	c = bit(&nc);
	assert_int_equal(pro(&na, KTGT_PRO_RESERVE, KTGT_PR_TYPE_EA, KA, 0),
			 KTGT_SR_OK);
	/* b takes the reservation from a, with another type */
	assert_int_equal(pro(&nb, KTGT_PRO_PREEMPT_AND_ABORT,
			     KTGT_PR_TYPE_WE_RO, KB, KA), KTGT_SR_OK);
	assert_int_equal(st.type, KTGT_PR_TYPE_WE_RO);
	assert_true(ktgt_pr_is_holder(&st, &nb));
	assert_int_equal(ktgt_pr_find(&st, &na), -1);
	assert_int_equal(res.removed, a);
	assert_int_equal(res.abort, a);
	assert_int_equal(res.ua_regs_preempted, a);
	/* c stays registered and sees the type change */
	assert_int_equal(res.ua_resv_released, c);
	assert_int_equal(st.generation, 4);

	/* the holder preempts itself: a change of type, nothing removed */
	assert_int_equal(pro(&nb, KTGT_PRO_PREEMPT, KTGT_PR_TYPE_EA_RO, KB,
			     KB), KTGT_SR_OK);
	assert_int_equal(st.type, KTGT_PR_TYPE_EA_RO);
	assert_int_equal(res.removed, 0);
	assert_int_equal(res.abort, 0);
	assert_int_equal(res.ua_resv_released, c);
	assert_int_equal(st.generation, 5);

	/* preempting a registrant only: the reservation stays */
	assert_int_equal(pro(&nb, KTGT_PRO_PREEMPT, KTGT_PR_TYPE_WE, KB, KC),
			 KTGT_SR_OK);
	assert_int_equal(st.type, KTGT_PR_TYPE_EA_RO);
	assert_true(ktgt_pr_is_holder(&st, &nb));
	assert_int_equal(res.removed, c);
	assert_int_equal(res.ua_resv_released, 0);
	assert_int_equal(st.nr_reg, 1);
}

static void test_preempt_same_key(void **state)
{
	/* a and a2 share key KA; b holds; c preempts KA */
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER, 0, 0, KA), KTGT_SR_OK);
	assert_int_equal(pro(&na2, KTGT_PRO_REGISTER, 0, 0, KA), KTGT_SR_OK);
	assert_int_equal(pro(&nc, KTGT_PRO_REGISTER, 0, 0, KC), KTGT_SR_OK);
	assert_int_equal(pro(&na, KTGT_PRO_RESERVE, KTGT_PR_TYPE_WE, KA, 0),
			 KTGT_SR_OK);
	assert_int_equal(pro(&nc, KTGT_PRO_PREEMPT, KTGT_PR_TYPE_WE, KC, KA),
			 KTGT_SR_OK);
	assert_int_equal(res.removed, 3);	/* slots 0 and 1 */
	assert_int_equal(st.nr_reg, 1);
	assert_true(ktgt_pr_is_holder(&st, &nc));
	/* same type: no RESERVATIONS RELEASED */
	assert_int_equal(res.ua_resv_released, 0);
}

static void test_preempt_all_registrants(void **state)
{
	u64 a, b, c;

	reg3();
	a = bit(&na);
	b = bit(&nb);
	c = bit(&nc);
	assert_int_equal(pro(&na, KTGT_PRO_RESERVE, KTGT_PR_TYPE_WE_AR, KA,
			     0), KTGT_SR_OK);
	/* a key: that registrant goes, the reservation stays */
	assert_int_equal(pro(&nb, KTGT_PRO_PREEMPT, KTGT_PR_TYPE_EA, KB, KC),
			 KTGT_SR_OK);
	assert_int_equal(res.removed, c);
	assert_int_equal(st.type, KTGT_PR_TYPE_WE_AR);
	/* no registration has that key */
	assert_int_equal(pro(&nb, KTGT_PRO_PREEMPT, KTGT_PR_TYPE_EA, KB, KC),
			 KTGT_SR_RESERVATION_CONFLICT);
	/* key 0: everyone else goes, b holds with the CDB's type */
	assert_int_equal(pro(&nb, KTGT_PRO_PREEMPT_AND_ABORT, KTGT_PR_TYPE_EA,
			     KB, 0), KTGT_SR_OK);
	assert_int_equal(res.removed, a);
	assert_int_equal(res.abort, a);
	assert_int_equal(res.ua_regs_preempted, a);
	assert_int_equal(st.type, KTGT_PR_TYPE_EA);
	assert_int_equal(st.holder, ktgt_pr_find(&st, &nb));
	assert_int_equal(st.nr_reg, 1);
	assert_int_equal(st.generation, 5);
	(void)b;
}

/* [type][who: holder a, registrant b, other c][read, write]: conflict? */
static const struct {
	u8 type;
	bool c[3][2];
} matrix[] = {
	{ KTGT_PR_TYPE_WE,    { { 0, 0 }, { 0, 1 }, { 0, 1 } } },
	{ KTGT_PR_TYPE_EA,    { { 0, 0 }, { 1, 1 }, { 1, 1 } } },
	{ KTGT_PR_TYPE_WE_RO, { { 0, 0 }, { 0, 0 }, { 0, 1 } } },
	{ KTGT_PR_TYPE_EA_RO, { { 0, 0 }, { 0, 0 }, { 1, 1 } } },
	{ KTGT_PR_TYPE_WE_AR, { { 0, 0 }, { 0, 0 }, { 0, 1 } } },
	{ KTGT_PR_TYPE_EA_AR, { { 0, 0 }, { 0, 0 }, { 1, 1 } } },
};

static void test_conflict_matrix(void **state)
{
	static const u8 rd10[10] = { 0x28 }, wr10[10] = { 0x2a };
	static const u8 rd16[16] = { 0x88 }, wr6[6] = { 0x0a };
	static const u8 tur[6] = { 0x00 }, inq[6] = { 0x12, 0, 0, 0, 36 };
	static const u8 sync[10] = { 0x35 }, msense[6] = { 0x1a };
	static const u8 rc16[16] = { 0x9e, 0x10 }, lba16[16] = { 0x9e, 0x12 };
	static const u8 start[6] = { 0x1b, 0, 0, 0, 0x01 };
	static const u8 stop[6] = { 0x1b, 0, 0, 0, 0x00 };
	static const u8 allow[6] = { 0x1e }, prevent[6] = { 0x1e, 0, 0, 0, 1 };
	static const u8 pri[10] = { 0x5e }, pro10[10] = { 0x5f };
	const struct ktgt_pr_nexus *who[3] = { &na, &nb, &nc };
	unsigned int t, w;

	assert_int_equal(pro(&na, KTGT_PRO_REGISTER, 0, 0, KA), KTGT_SR_OK);
	assert_int_equal(pro(&nb, KTGT_PRO_REGISTER, 0, 0, KB), KTGT_SR_OK);
	/* no reservation: nothing conflicts, registered or not */
	assert_false(ktgt_pr_conflict(&st, &nc, wr10, 10));
	assert_false(ktgt_pr_conflict(&st, &nb, wr10, 10));

	for (t = 0; t < ARRAY_SIZE(matrix); t++) {
		assert_int_equal(pro(&na, KTGT_PRO_RESERVE, matrix[t].type,
				     KA, 0), KTGT_SR_OK);
		for (w = 0; w < 3; w++) {
			bool rc = matrix[t].c[w][0], wc = matrix[t].c[w][1];

			assert_int_equal(ktgt_pr_conflict(&st, who[w], rd10,
							  10), rc);
			assert_int_equal(ktgt_pr_conflict(&st, who[w], rd16,
							  16), rc);
			assert_int_equal(ktgt_pr_conflict(&st, who[w], wr10,
							  10), wc);
			assert_int_equal(ktgt_pr_conflict(&st, who[w], wr6,
							  6), wc);
			assert_int_equal(ktgt_pr_conflict(&st, who[w], sync,
							  10), wc);
			/* MODE SENSE is in the read class */
			assert_int_equal(ktgt_pr_conflict(&st, who[w], msense,
							  6), rc);
			assert_int_equal(ktgt_pr_conflict(&st, who[w], lba16,
							  16), rc);
			assert_int_equal(ktgt_pr_conflict(&st, who[w], stop,
							  6), wc);
			assert_int_equal(ktgt_pr_conflict(&st, who[w],
							  prevent, 6), wc);
			/* always allowed */
			assert_false(ktgt_pr_conflict(&st, who[w], tur, 6));
			assert_false(ktgt_pr_conflict(&st, who[w], inq, 6));
			assert_false(ktgt_pr_conflict(&st, who[w], rc16, 16));
			assert_false(ktgt_pr_conflict(&st, who[w], start, 6));
			assert_false(ktgt_pr_conflict(&st, who[w], allow, 6));
			assert_false(ktgt_pr_conflict(&st, who[w], pri, 10));
			assert_false(ktgt_pr_conflict(&st, who[w], pro10, 10));
		}
		assert_int_equal(pro(&na, KTGT_PRO_RELEASE, matrix[t].type,
				     KA, 0), KTGT_SR_OK);
	}
}

static void test_cdb_errors(void **state)
{
	struct ktgt_pr_out po;
	u8 cdb[10];

	mk_cdb(cdb, KTGT_PRO_REGISTER, 0, 24);
	assert_int_equal(ktgt_pr_out_cdb(cdb, 9, &po, &si),
			 KTGT_SR_CDB_TOO_SHORT);
	cdb[1] = 0x20;
	assert_int_equal(ktgt_pr_out_cdb(cdb, 10, &po, &si),
			 KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_field(1, 5);
	cdb[1] = 0x08;
	assert_int_equal(ktgt_pr_out_cdb(cdb, 10, &po, &si),
			 KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_field(1, 4);
	mk_cdb(cdb, KTGT_PRO_REGISTER, 0, 24);
	cdb[4] = 0x03;
	assert_int_equal(ktgt_pr_out_cdb(cdb, 10, &po, &si),
			 KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_field(4, 1);
	mk_cdb(cdb, KTGT_PRO_REGISTER, 0, 24);
	cdb[9] = 0x04;			/* NACA */
	assert_int_equal(ktgt_pr_out_cdb(cdb, 10, &po, &si),
			 KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_field(9, 2);
	/* REGISTER ignores SCOPE and TYPE */
	mk_cdb(cdb, KTGT_PRO_REGISTER, 0x2f, 0x12345678);
	assert_int_equal(ktgt_pr_out_cdb(cdb, 10, &po, &si), KTGT_SR_OK);
	assert_int_equal(po.param_len, 0x12345678);
	assert_int_equal(po.scope, 2);
	assert_int_equal(po.type, 0xf);
	/* RESERVE checks them */
	mk_cdb(cdb, KTGT_PRO_RESERVE, 0x11, 24);
	assert_int_equal(ktgt_pr_out_cdb(cdb, 10, &po, &si),
			 KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_field(2, 7);
	mk_cdb(cdb, KTGT_PRO_PREEMPT, 0x02, 24);
	assert_int_equal(ktgt_pr_out_cdb(cdb, 10, &po, &si),
			 KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_field(2, 3);
	mk_cdb(cdb, KTGT_PRO_RELEASE, KTGT_PR_TYPE_EA_AR, 24);
	assert_int_equal(ktgt_pr_out_cdb(cdb, 10, &po, &si), KTGT_SR_OK);
	assert_int_equal(po.sa, KTGT_PRO_RELEASE);
	assert_int_equal(po.type, KTGT_PR_TYPE_EA_AR);
}

static void test_param_errors(void **state)
{
	struct ktgt_pr_state before;
	u8 cdb[10], p[32], b[4];

	reg3();
	memcpy(&before, &st, sizeof(st));
	mk_param(p, 0, KA, 0);
	/* lengths: 23, 25, and a list shorter than the CDB says */
	mk_cdb(cdb, KTGT_PRO_REGISTER, 0, 23);
	assert_int_equal(pro_raw(&na2, cdb, p, 23),
			 KTGT_SR_PARAM_LIST_LENGTH_ERROR);
	mk_cdb(cdb, KTGT_PRO_REGISTER, 0, 25);
	assert_int_equal(pro_raw(&na2, cdb, p, 25),
			 KTGT_SR_PARAM_LIST_LENGTH_ERROR);
	mk_cdb(cdb, KTGT_PRO_REGISTER, 0, 0);
	assert_int_equal(pro_raw(&na2, cdb, p, 0),
			 KTGT_SR_PARAM_LIST_LENGTH_ERROR);
	mk_cdb(cdb, KTGT_PRO_REGISTER, 0, 24);
	assert_int_equal(pro_raw(&na2, cdb, p, 20),
			 KTGT_SR_PARAM_LIST_LENGTH_ERROR);
	/* reserved bits */
	memcpy(b, (u8[]){ 0x02, 0x10, 0x00, 0x00 }, 4);
	p[20] = b[0];
	assert_int_equal(pro_raw(&na2, cdb, p, 24),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_field(20, 1);
	p[20] = 0x80;
	assert_int_equal(pro_raw(&na2, cdb, p, 24),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_field(20, 7);
	p[20] = 0;
	p[21] = b[1];
	assert_int_equal(pro_raw(&na2, cdb, p, 24),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_field(21, 4);
	p[21] = 0;
	/* obsolete bytes are ignored */
	p[16] = 0xff;
	p[23] = 0xff;
	/* SPEC_I_PT, ALL_TG_PT, APTPL: unsupported here */
	p[20] = 0x08;
	assert_int_equal(pro_raw(&na2, cdb, p, 24),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_field(20, 3);
	mk_cdb(cdb, KTGT_PRO_REGISTER, 0, 28);
	assert_int_equal(pro_raw(&na2, cdb, p, 28),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	mk_cdb(cdb, KTGT_PRO_REGISTER, 0, 24);
	p[20] = 0x04;
	assert_int_equal(pro_raw(&na2, cdb, p, 24),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_field(20, 2);
	p[20] = 0x01;
	assert_int_equal(pro_raw(&na2, cdb, p, 24),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_field(20, 0);
	assert_memory_equal(&before, &st, sizeof(st));

	/* ALL_TG_PT and APTPL mean nothing to RESERVE: ignored */
	mk_cdb(cdb, KTGT_PRO_RESERVE, KTGT_PR_TYPE_WE, 24);
	mk_param(p, KA, 0, 0x05);
	assert_int_equal(pro_raw(&na, cdb, p, 24), KTGT_SR_OK);
	assert_false(st.aptpl);

	/* with PTPL_C, APTPL is taken and reported */
	st.ptpl_capable = true;
	mk_cdb(cdb, KTGT_PRO_REGISTER, 0, 24);
	mk_param(p, 0, 0x99, 0x01);
	assert_int_equal(pro_raw(&na2, cdb, p, 24), KTGT_SR_OK);
	assert_true(st.aptpl);
	assert_true(st.reg[ktgt_pr_find(&st, &na2)].aptpl);
}

static void test_register_and_move(void **state)
{
	struct ktgt_pr_out po;
	u8 cdb[10], p[40];

	memset(p, 0, sizeof(p));
	put_unaligned_be64(KA, &p[0]);
	put_unaligned_be64(KB, &p[8]);
	p[17] = 0x02;			/* UNREG */
	put_unaligned_be16(7, &p[18]);
	put_unaligned_be32(16, &p[20]);
	mk_cdb(cdb, KTGT_PRO_REGISTER_AND_MOVE, KTGT_PR_TYPE_WE, 40);
	assert_int_equal(ktgt_pr_out_cdb(cdb, 10, &po, &si), KTGT_SR_OK);
	assert_int_equal(ktgt_pr_out_param(&po, p, 40, false, &si),
			 KTGT_SR_OK);
	assert_int_equal(po.key, KA);
	assert_int_equal(po.sa_key, KB);
	assert_true(po.unreg);
	assert_false(po.aptpl);
	assert_int_equal(po.move_rtpi, 7);
	assert_int_equal(po.move_tid_len, 16);
	/* the TransportID length must fill the list */
	put_unaligned_be32(12, &p[20]);
	assert_int_equal(ktgt_pr_out_param(&po, p, 40, false, &si),
			 KTGT_SR_PARAM_LIST_LENGTH_ERROR);
	put_unaligned_be32(16, &p[20]);
	p[17] = 0x04;
	assert_int_equal(ktgt_pr_out_param(&po, p, 40, false, &si),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_field(17, 2);
	p[17] = 0x01;
	assert_int_equal(ktgt_pr_out_param(&po, p, 40, false, &si),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_field(17, 0);
	/* decoded, not performed */
	assert_int_equal(ktgt_pr_out_param(&po, p, 40, true, &si),
			 KTGT_SR_OK);
	assert_int_equal(ktgt_pr_out_run(&st, &na, &po, &res, &si),
			 KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_field(1, 4);
}

static void test_errors_leave_state(void **state)
{
	struct ktgt_pr_state before;
	struct ktgt_pr_nexus bad = { .rtpi = 1 };

	reg3();
	assert_int_equal(pro(&na, KTGT_PRO_RESERVE, KTGT_PR_TYPE_WE_RO, KA,
			     0), KTGT_SR_OK);
	memcpy(&before, &st, sizeof(st));
	assert_int_equal(pro(&nb, KTGT_PRO_RESERVE, KTGT_PR_TYPE_EA, KB, 0),
			 KTGT_SR_RESERVATION_CONFLICT);
	assert_int_equal(pro(&na, KTGT_PRO_RELEASE, KTGT_PR_TYPE_EA, KA, 0),
			 KTGT_SR_INVALID_RELEASE_OF_PR);
	assert_int_equal(pro(&na2, KTGT_PRO_PREEMPT, KTGT_PR_TYPE_EA, KA, KB),
			 KTGT_SR_RESERVATION_CONFLICT);
	assert_int_equal(pro(&nb, KTGT_PRO_PREEMPT, KTGT_PR_TYPE_EA, KB, 0),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_int_equal(pro(&nb, KTGT_PRO_PREEMPT, KTGT_PR_TYPE_EA, KB, 42),
			 KTGT_SR_RESERVATION_CONFLICT);
	assert_int_equal(pro(&nb, KTGT_PRO_CLEAR, 0, KA, 0),
			 KTGT_SR_RESERVATION_CONFLICT);
	assert_int_equal(pro(&nb, KTGT_PRO_REGISTER, 0, KC, 0),
			 KTGT_SR_RESERVATION_CONFLICT);
	/* a nexus without an identity cannot register */
	assert_int_equal(pro(&bad, KTGT_PRO_REGISTER, 0, 0, 5),
			 KTGT_SR_INTERNAL_ERROR);
	assert_memory_equal(&before, &st, sizeof(st));
}

static void test_resources(void **state)
{
	struct ktgt_pr_state before;
	struct ktgt_pr_nexus nx;
	char name[64];
	int i;

	for (i = 0; i < KTGT_PR_MAX_REG; i++) {
		snprintf(name, sizeof(name), "iqn.2024-01.org.ktgt:i%d", i);
		mk_nexus(&nx, name, 1, 1);
		assert_int_equal(pro(&nx, KTGT_PRO_REGISTER, 0, 0, i + 1),
				 KTGT_SR_OK);
	}
	assert_int_equal(st.nr_reg, KTGT_PR_MAX_REG);
	memcpy(&before, &st, sizeof(st));
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER, 0, 0, KA),
			 KTGT_SR_INSUFFICIENT_REG_RESOURCES);
	assert_memory_equal(&before, &st, sizeof(st));
	/* a registered one can still change its key */
	assert_int_equal(pro(&nx, KTGT_PRO_REGISTER, 0, 64, 99), KTGT_SR_OK);
	/* CLEAR reports all 64 */
	assert_int_equal(pro(&nx, KTGT_PRO_CLEAR, 0, 99, 0), KTGT_SR_OK);
	assert_int_equal(res.removed, ~0ULL);
	assert_int_equal(res.ua_resv_preempted, ~(1ULL << 63));
}

/* PR IN with allocation length @alloc into a buffer of @cap bytes */
static enum ktgt_sense_reason pri(u8 sa, u16 alloc, u32 cap, u32 *n)
{
	u8 cdb[10] = { KTGT_SCSI_OP_PR_IN, sa };

	put_unaligned_be16(alloc, &cdb[7]);
	memset(buf, 0xa5, sizeof(buf));
	memset(&si, 0, sizeof(si));
	return ktgt_pr_in(&st, cdb, 10, buf, cap, n, &si);
}

static void test_read_keys(void **state)
{
	static const u8 exp[] = {
		0, 0, 0, 3, 0, 0, 0, 24,
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
		0, 0, 0, 0, 0, 0, 0, 0xb0,
		0, 0, 0, 0, 0, 0, 0, 0xc0,
	};
	static const u8 empty[] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	u32 n;

	assert_int_equal(pri(KTGT_PRI_READ_KEYS, 100, 100, &n), KTGT_SR_OK);
	assert_int_equal(n, 8);
	assert_memory_equal(buf, empty, 8);
	reg3();
	assert_int_equal(pri(KTGT_PRI_READ_KEYS, 100, 100, &n), KTGT_SR_OK);
	assert_int_equal(n, sizeof(exp));
	assert_memory_equal(buf, exp, sizeof(exp));
	/* truncated by the allocation length, the length still full */
	assert_int_equal(pri(KTGT_PRI_READ_KEYS, 12, 100, &n), KTGT_SR_OK);
	assert_int_equal(n, 12);
	assert_memory_equal(buf, exp, 12);
	assert_int_equal(buf[12], 0xa5);
	/* ... and by the buffer */
	assert_int_equal(pri(KTGT_PRI_READ_KEYS, 100, 5, &n), KTGT_SR_OK);
	assert_int_equal(n, 5);
	assert_memory_equal(buf, exp, 5);
	assert_int_equal(buf[5], 0xa5);
	assert_int_equal(pri(KTGT_PRI_READ_KEYS, 0, 100, &n), KTGT_SR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(buf[0], 0xa5);
}

static void test_read_reservation(void **state)
{
	static const u8 none[] = { 0, 0, 0, 3, 0, 0, 0, 0 };
	static const u8 exp[24] = {
		0, 0, 0, 3, 0, 0, 0, 16,
		0, 0, 0, 0, 0, 0, 0, 0xb0,
		0, 0, 0, 0, 0, 0x05, 0, 0,
	};
	u8 ar[24];
	u32 n;

	reg3();
	assert_int_equal(pri(KTGT_PRI_READ_RESERVATION, 100, 100, &n),
			 KTGT_SR_OK);
	assert_int_equal(n, 8);
	assert_memory_equal(buf, none, 8);
	assert_int_equal(pro(&nb, KTGT_PRO_RESERVE, KTGT_PR_TYPE_WE_RO, KB,
			     0), KTGT_SR_OK);
	assert_int_equal(pri(KTGT_PRI_READ_RESERVATION, 100, 100, &n),
			 KTGT_SR_OK);
	assert_int_equal(n, 24);
	assert_memory_equal(buf, exp, 24);
	assert_int_equal(pri(KTGT_PRI_READ_RESERVATION, 10, 100, &n),
			 KTGT_SR_OK);
	assert_int_equal(n, 10);
	assert_memory_equal(buf, exp, 10);
	/* all registrants: the key reads 0 */
	assert_int_equal(pro(&nb, KTGT_PRO_RELEASE, KTGT_PR_TYPE_WE_RO, KB,
			     0), KTGT_SR_OK);
	assert_int_equal(pro(&nb, KTGT_PRO_RESERVE, KTGT_PR_TYPE_EA_AR, KB,
			     0), KTGT_SR_OK);
	memcpy(ar, exp, 24);
	memset(&ar[8], 0, 8);
	ar[21] = 0x08;
	assert_int_equal(pri(KTGT_PRI_READ_RESERVATION, 100, 100, &n),
			 KTGT_SR_OK);
	assert_memory_equal(buf, ar, 24);
}

static void test_report_capabilities(void **state)
{
	static const u8 exp[8] = { 0, 8, 0x00, 0xb0, 0xea, 0x01, 0, 0 };
	static const u8 exp_ptpl[8] = { 0, 8, 0x01, 0xb1, 0xea, 0x01, 0, 0 };
	u32 n;

	assert_int_equal(pri(KTGT_PRI_REPORT_CAPABILITIES, 100, 100, &n),
			 KTGT_SR_OK);
	assert_int_equal(n, 8);
	assert_memory_equal(buf, exp, 8);
	ktgt_pr_init(&st, true);
	assert_int_equal(pro(&na, KTGT_PRO_REGISTER, 0, 0, KA), KTGT_SR_OK);
	assert_false(st.aptpl);
	{
		u8 cdb[10], p[24];

		mk_cdb(cdb, KTGT_PRO_REGISTER, 0, 24);
		mk_param(p, KA, KA, 0x01);
		assert_int_equal(pro_raw(&na, cdb, p, 24), KTGT_SR_OK);
	}
	assert_int_equal(pri(KTGT_PRI_REPORT_CAPABILITIES, 4, 100, &n),
			 KTGT_SR_OK);
	assert_int_equal(n, 4);
	assert_memory_equal(buf, exp_ptpl, 4);
	assert_int_equal(pri(KTGT_PRI_REPORT_CAPABILITIES, 8, 100, &n),
			 KTGT_SR_OK);
	assert_memory_equal(buf, exp_ptpl, 8);
}

static void test_read_full_status(void **state)
{
	u8 exp[200];
	u32 n, off, total;

	assert_int_equal(pro(&na, KTGT_PRO_REGISTER, 0, 0, KA), KTGT_SR_OK);
	assert_int_equal(pro(&nb, KTGT_PRO_REGISTER, 0, 0, KB), KTGT_SR_OK);
	assert_int_equal(pro(&nb, KTGT_PRO_RESERVE, KTGT_PR_TYPE_EA, KB, 0),
			 KTGT_SR_OK);
	assert_int_equal(na.tid_len, 44);	/* 4 + 22 + 18 */
	total = 8 + 2 * 24 + na.tid_len + nb.tid_len;

	memset(exp, 0, sizeof(exp));
	put_unaligned_be32(2, &exp[0]);
	put_unaligned_be32(total - 8, &exp[4]);
	off = 8;
	put_unaligned_be64(KA, &exp[off]);
	put_unaligned_be16(1, &exp[off + 18]);
	put_unaligned_be32(na.tid_len, &exp[off + 20]);
	memcpy(&exp[off + 24], na.tid, na.tid_len);
	off += 24 + na.tid_len;
	put_unaligned_be64(KB, &exp[off]);
	exp[off + 12] = 0x01;			/* R_HOLDER */
	exp[off + 13] = KTGT_PR_TYPE_EA;
	put_unaligned_be16(1, &exp[off + 18]);
	put_unaligned_be32(nb.tid_len, &exp[off + 20]);
	memcpy(&exp[off + 24], nb.tid, nb.tid_len);

	assert_int_equal(pri(KTGT_PRI_READ_FULL_STATUS, 1000, 1000, &n),
			 KTGT_SR_OK);
	assert_int_equal(n, total);
	assert_memory_equal(buf, exp, total);
	assert_int_equal(pri(KTGT_PRI_READ_FULL_STATUS, 30, 1000, &n),
			 KTGT_SR_OK);
	assert_int_equal(n, 30);
	assert_memory_equal(buf, exp, 30);
	assert_int_equal(buf[30], 0xa5);
}

static void test_pr_in_errors(void **state)
{
	u8 cdb[10] = { KTGT_SCSI_OP_PR_IN, 0x04, 0, 0, 0, 0, 0, 0, 8, 0 };
	u32 n = 77;

	assert_int_equal(ktgt_pr_in(&st, cdb, 10, buf, 8, &n, &si),
			 KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_field(1, 4);
	assert_int_equal(n, 0);
	cdb[1] = 0x40;
	assert_int_equal(ktgt_pr_in(&st, cdb, 10, buf, 8, &n, &si),
			 KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_field(1, 6);
	cdb[1] = 0;
	cdb[5] = 0x01;
	assert_int_equal(ktgt_pr_in(&st, cdb, 10, buf, 8, &n, &si),
			 KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_field(5, 0);
	cdb[5] = 0;
	cdb[9] = 0x01;
	assert_int_equal(ktgt_pr_in(&st, cdb, 10, buf, 8, &n, &si),
			 KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_field(9, 0);
	cdb[9] = 0xc0;			/* vendor bits: ignored */
	assert_int_equal(ktgt_pr_in(&st, cdb, 10, buf, 8, &n, &si),
			 KTGT_SR_OK);
	assert_int_equal(ktgt_pr_in(&st, cdb, 9, buf, 8, &n, &si),
			 KTGT_SR_CDB_TOO_SHORT);
}

static void test_sense(void **state)
{
	const struct ktgt_sense_entry *e;
	u8 s[KTGT_SENSE_MAX_LEN];

	assert_int_equal(ktgt_sense_status(KTGT_SR_RESERVATION_CONFLICT),
			 KTGT_SAM_STAT_RESERVATION_CONFLICT);
	assert_int_equal(ktgt_sense_build(KTGT_SR_RESERVATION_CONFLICT, NULL,
					  false, s, sizeof(s)), 0);
	assert_int_equal(ktgt_sense_status(KTGT_SR_INVALID_RELEASE_OF_PR),
			 KTGT_SAM_STAT_CHECK_CONDITION);
	assert_int_equal(ktgt_sense_status(KTGT_SR_OK), KTGT_SAM_STAT_GOOD);
	e = ktgt_sense_lookup(KTGT_SR_INVALID_RELEASE_OF_PR);
	assert_int_equal(e->key, KTGT_SK_ILLEGAL_REQUEST);
	assert_int_equal(e->asc, 0x26);
	assert_int_equal(e->ascq, 0x04);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_iscsi_tid, setup),
		cmocka_unit_test_setup(test_register, setup),
		cmocka_unit_test_setup(test_register_ignore, setup),
		cmocka_unit_test_setup(test_reserve_release, setup),
		cmocka_unit_test_setup(test_release_ua, setup),
		cmocka_unit_test_setup(test_unregister_holder, setup),
		cmocka_unit_test_setup(test_clear, setup),
		cmocka_unit_test_setup(test_preempt_no_reservation, setup),
		cmocka_unit_test_setup(test_preempt_holder, setup),
		cmocka_unit_test_setup(test_preempt_same_key, setup),
		cmocka_unit_test_setup(test_preempt_all_registrants, setup),
		cmocka_unit_test_setup(test_conflict_matrix, setup),
		cmocka_unit_test_setup(test_cdb_errors, setup),
		cmocka_unit_test_setup(test_param_errors, setup),
		cmocka_unit_test_setup(test_register_and_move, setup),
		cmocka_unit_test_setup(test_errors_leave_state, setup),
		cmocka_unit_test_setup(test_resources, setup),
		cmocka_unit_test_setup(test_read_keys, setup),
		cmocka_unit_test_setup(test_read_reservation, setup),
		cmocka_unit_test_setup(test_report_capabilities, setup),
		cmocka_unit_test_setup(test_read_full_status, setup),
		cmocka_unit_test_setup(test_pr_in_errors, setup),
		cmocka_unit_test_setup(test_sense, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
