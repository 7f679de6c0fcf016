// SPDX-License-Identifier: GPL-2.0
/*
 * Persistent reservations: a sequence of PR OUT, PR IN and conflict
 * checks from up to 72 nexuses against one state, with the invariants
 * checked after every step: a failed command changes nothing,
 * PRgeneration moves by at most one, the counts and the reservation stay
 * consistent, the result sets name only slots that were registered, and
 * PR IN never writes past its buffer (heap-allocated at its exact size).
 *
 * Input: [0] flags (bit 0: PTPL_C), then steps of
 *   [nexus] [mode] [CDB, 10 bytes] then either
 *   mode bit 0 set ("compact"): [key] [sa key] [byte 20], a 24-byte list
 *       of small keys, with the CDB's reserved bits cleared, so that
 *       sequences reach deep states;
 *   else: [len] [len % 48 bytes of parameter list, raw].
 *   mode bits 7:6: 0, 1 PR OUT; 2 PR IN; 3 ktgt_pr_conflict().
 */
#include <stdio.h>
#include <stdlib.h>
#include <ktgt/scsi/pr.h>

#define NR_NEXUS	72	/* more than KTGT_PR_MAX_REG */

static struct ktgt_pr_nexus nexus[NR_NEXUS + 1];	/* last: invalid */

static void init_nexus(void)
{
	char name[64];
	int i;

	if (nexus[0].tid_len)
		return;
	for (i = 0; i < NR_NEXUS; i++) {
		snprintf(name, sizeof(name), "iqn.2024-01.org.ktgt:i%d",
			 i % 36);
		nexus[i].tid_len = (u16)ktgt_pr_iscsi_tid(name, 0x23d000001ULL,
							  nexus[i].tid);
		nexus[i].rtpi = (u16)(1 + i / 36);
	}
}

static void check_state(const struct ktgt_pr_state *st)
{
	unsigned int n = 0;
	int i, j;

	for (i = 0; i < KTGT_PR_MAX_REG; i++) {
		if (!st->reg[i].used)
			continue;
		n++;
		if (!st->reg[i].key || !st->reg[i].nexus.tid_len)
			abort();
		for (j = i + 1; j < KTGT_PR_MAX_REG; j++)
			if (st->reg[j].used &&
			    st->reg[j].nexus.rtpi == st->reg[i].nexus.rtpi &&
			    st->reg[j].nexus.tid_len ==
			    st->reg[i].nexus.tid_len &&
			    !memcmp(st->reg[j].nexus.tid, st->reg[i].nexus.tid,
				    st->reg[i].nexus.tid_len))
				abort();
	}
	if (n != st->nr_reg || n > KTGT_PR_MAX_REG)
		abort();
	switch (st->type) {
	case KTGT_PR_TYPE_NONE:
		break;
	case KTGT_PR_TYPE_WE_AR:
	case KTGT_PR_TYPE_EA_AR:
		if (!n)
			abort();
		break;
	case KTGT_PR_TYPE_WE:
	case KTGT_PR_TYPE_EA:
	case KTGT_PR_TYPE_WE_RO:
	case KTGT_PR_TYPE_EA_RO:
		if (st->holder >= KTGT_PR_MAX_REG || !st->reg[st->holder].used)
			abort();
		break;
	default:
		abort();
	}
}

static u64 used_mask(const struct ktgt_pr_state *st)
{
	u64 m = 0;
	int i;

	for (i = 0; i < KTGT_PR_MAX_REG; i++)
		if (st->reg[i].used)
			m |= 1ULL << i;
	return m;
}

static void step_out(struct ktgt_pr_state *st,
		     const struct ktgt_pr_nexus *nx, const u8 *cdb,
		     const u8 *p, u32 len)
{
	static struct ktgt_pr_state before;
	struct ktgt_sense_info si = { 0 };
	struct ktgt_pr_result res;
	enum ktgt_sense_reason r;
	struct ktgt_pr_out po;
	u64 was;

	memcpy(&before, st, sizeof(before));
	was = used_mask(st);
	r = ktgt_pr_out_cdb(cdb, 10, &po, &si);
	if (!r)
		r = ktgt_pr_out_param(&po, p, len, st->ptpl_capable, &si);
	if (r)
		return;
	r = ktgt_pr_out_run(st, nx, &po, &res, &si);
	if (r) {
		if (memcmp(&before, st, sizeof(before)))
			abort();
		return;
	}
	if (st->generation != before.generation &&
	    st->generation != before.generation + 1)
		abort();
	/* RESERVE and RELEASE never count */
	if ((po.sa == KTGT_PRO_RESERVE || po.sa == KTGT_PRO_RELEASE) &&
	    st->generation != before.generation)
		abort();
	if ((res.removed & ~was) || (res.abort & ~res.removed) ||
	    (res.ua_regs_preempted & ~was) || (res.ua_resv_preempted & ~was) ||
	    (res.ua_resv_released & ~was) || (res.removed & used_mask(st)))
		abort();
	if (!res.changed && memcmp(&before, st, sizeof(before)))
		abort();
	if (po.sa == KTGT_PRO_RESERVE && !ktgt_pr_is_holder(st, nx))
		abort();
}

static void step_in(const struct ktgt_pr_state *st, const u8 *cdb, u32 cap)
{
	struct ktgt_sense_info si = { 0 };
	u32 n = 0, alloc = get_unaligned_be16(&cdb[7]), want;
	u8 *buf = malloc(cap ? cap : 1);

	if (!buf)
		return;
	if (ktgt_pr_in(st, cdb, 10, buf, cap, &n, &si) == KTGT_SR_OK) {
		if (n > cap || n > alloc)
			abort();
		if ((cdb[1] & 0x1f) == KTGT_PRI_READ_KEYS) {
			want = 8 + 8 * st->nr_reg;
			want = want < alloc ? want : alloc;
			want = want < cap ? want : cap;
			if (n != want)
				abort();
		}
		if (n >= 4 && (cdb[1] & 0x1f) != KTGT_PRI_REPORT_CAPABILITIES &&
		    get_unaligned_be32(buf) != st->generation)
			abort();
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct ktgt_pr_state st;
	const struct ktgt_pr_nexus *nx;
	u8 cdb[10], p[48];
	u32 len;
	u8 mode;

	init_nexus();
	if (size < 1)
		return 0;
	ktgt_pr_init(&st, data[0] & 1);
	data++;
	size--;
	while (size >= 12) {
		nx = &nexus[data[0] % (NR_NEXUS + 1)];
		mode = data[1];
		memcpy(cdb, &data[2], 10);
		data += 12;
		size -= 12;
		if (mode & 1) {
			if (size < 3)
				break;
			memset(p, 0, 24);
			p[7] = data[0] % 5;
			p[15] = data[1] % 5;
			p[20] = data[2];
			len = 24;
			data += 3;
			size -= 3;
			cdb[1] &= 0x07;
			cdb[2] &= 0x0f;
			cdb[3] = 0;
			cdb[4] = 0;
			cdb[9] = 0;
			put_unaligned_be32(24, &cdb[5]);
		} else {
			if (size < 1)
				break;
			len = data[0] % 48;
			data++;
			size--;
			if (len > size)
				len = (u32)size;
			memcpy(p, data, len);
			data += len;
			size -= len;
		}
		switch (mode >> 6) {
		case 2:
			step_in(&st, cdb, (mode >> 1) & 1 ? len * 64 : 20000);
			break;
		case 3:
			/* a holder is never in conflict */
			if (ktgt_pr_conflict(&st, nx, cdb, 1 + len % 10) &&
			    ktgt_pr_is_holder(&st, nx))
				abort();
			break;
		default:
			step_out(&st, nx, cdb, p, len);
			break;
		}
		check_state(&st);
	}
	return 0;
}
