// SPDX-License-Identifier: GPL-2.0
/*
 * Persistent reservations, the read side: PERSISTENT RESERVE IN (SPC-4
 * 6.15) and which commands a reservation lets through (SPC-4 table 63,
 * SBC-3 table 13).
 */
#include <ktgt/scsi/pr.h>
#include <ktgt/scsi/internal.h>

/* REPORT CAPABILITIES (SPC-4 6.15.4) */
#define CAP_LEN			8
#define CAP_PTPL_C		0x01
#define CAP_TMV			0x80
/*
 * ALLOW COMMANDS 011b: TEST UNIT READY gets through every type, and
 * MODE SENSE, READ BUFFER, RECEIVE DIAGNOSTIC RESULTS, REPORT SUPPORTED
 * OPERATION CODES and the like through the write exclusive ones: they
 * are in the read class of the table below.
 */
#define CAP_ALLOW_CMDS		(0x3 << 4)
#define CAP_PTPL_A		0x01
#define CAP_TYPES		0xea01	/* WE, EA, WE-RO, EA-RO, WE-AR, EA-AR */

#define FULL_DESC_LEN		24	/* READ FULL STATUS descriptor header */

static u8 scope_type(const struct ktgt_pr_state *st)
{
	return KTGT_PR_SCOPE_LU << 4 | st->type;
}

static u32 read_keys(const struct ktgt_pr_state *st, struct ktgt_wbuf *w)
{
	u32 off = 8;
	int i;

	ktgt_wb_be32(w, 0, st->generation);
	for (i = 0; i < KTGT_PR_MAX_REG; i++) {
		if (!st->reg[i].used)
			continue;
		ktgt_wb_be64(w, off, st->reg[i].key);
		off += 8;
	}
	ktgt_wb_be32(w, 4, off - 8);
	return off;
}

static u32 read_resv(const struct ktgt_pr_state *st, struct ktgt_wbuf *w)
{
	ktgt_wb_be32(w, 0, st->generation);
	if (st->type == KTGT_PR_TYPE_NONE)
		return 8;
	ktgt_wb_be32(w, 4, 16);
	/* all registrants: no one key holds it, the key reads 0 (6.15.3) */
	if (!ktgt_pr_type_all_reg(st->type))
		ktgt_wb_be64(w, 8, st->reg[st->holder].key);
	ktgt_wb_u8(w, 21, scope_type(st));
	return 24;
}

static u32 report_caps(const struct ktgt_pr_state *st, struct ktgt_wbuf *w)
{
	ktgt_wb_be16(w, 0, CAP_LEN);
	ktgt_wb_u8(w, 2, st->ptpl_capable ? CAP_PTPL_C : 0);
	ktgt_wb_u8(w, 3, CAP_TMV | CAP_ALLOW_CMDS |
		   (st->aptpl ? CAP_PTPL_A : 0));
	ktgt_wb_be16(w, 4, CAP_TYPES);
	return CAP_LEN;
}

static u32 full_status(const struct ktgt_pr_state *st, struct ktgt_wbuf *w)
{
	const struct ktgt_pr_reg *reg;
	u32 off = 8;
	bool holder;
	int i;

	ktgt_wb_be32(w, 0, st->generation);
	for (i = 0; i < KTGT_PR_MAX_REG; i++) {
		reg = &st->reg[i];
		if (!reg->used)
			continue;
		holder = st->type != KTGT_PR_TYPE_NONE &&
			 (ktgt_pr_type_all_reg(st->type) || st->holder == i);
		ktgt_wb_be64(w, off, reg->key);
		/* ALL_TG_PT (bit 1) stays 0: ATP_C is 0 */
		if (holder) {
			ktgt_wb_u8(w, off + 12, 0x01);	/* R_HOLDER */
			ktgt_wb_u8(w, off + 13, scope_type(st));
		}
		ktgt_wb_be16(w, off + 18, reg->nexus.rtpi);
		ktgt_wb_be32(w, off + 20, reg->nexus.tid_len);
		ktgt_wb_mem(w, off + FULL_DESC_LEN, reg->nexus.tid,
			    reg->nexus.tid_len);
		off += FULL_DESC_LEN + reg->nexus.tid_len;
	}
	ktgt_wb_be32(w, 4, off - 8);
	return off;
}

enum ktgt_sense_reason ktgt_pr_in(const struct ktgt_pr_state *st,
				  const u8 *cdb, unsigned int len,
				  u8 *buf, u32 cap, u32 *out_len,
				  struct ktgt_sense_info *si)
{
	struct ktgt_wbuf w;
	unsigned int i;
	u32 n;
	u8 bits;

	*out_len = 0;
	if (len < KTGT_PR_IN_CDB_LEN)
		return KTGT_SR_CDB_TOO_SHORT;
	for (i = 1; i < KTGT_PR_IN_CDB_LEN; i++) {
		switch (i) {
		case 1:
			bits = cdb[1] & 0xe0;
			break;
		case 7:
		case 8:
			bits = 0;	/* ALLOCATION LENGTH */
			break;
		case 9:
			bits = cdb[9] & 0x3f;	/* NACA, reserved */
			break;
		default:
			bits = cdb[i];
			break;
		}
		if (bits) {
			if (si)
				ktgt_sense_field(si, i, ktgt_scsi_high_bit(bits));
			return KTGT_SR_INVALID_FIELD_IN_CDB;
		}
	}
	cap = min_t(u32, cap, get_unaligned_be16(&cdb[7]));
	if (cap)
		memset(buf, 0, cap);
	w.buf = buf;
	w.cap = cap;
	switch (cdb[1] & 0x1f) {
	case KTGT_PRI_READ_KEYS:
		n = read_keys(st, &w);
		break;
	case KTGT_PRI_READ_RESERVATION:
		n = read_resv(st, &w);
		break;
	case KTGT_PRI_REPORT_CAPABILITIES:
		n = report_caps(st, &w);
		break;
	case KTGT_PRI_READ_FULL_STATUS:
		n = full_status(st, &w);
		break;
	default:
		if (si)
			ktgt_sense_field(si, 1, 4);
		return KTGT_SR_INVALID_FIELD_IN_CDB;
	}
	*out_len = min_t(u32, n, cap);
	return KTGT_SR_OK;
}

/*
 * The conflict table. A command belongs to one class; what each class
 * meets under a reservation held by another I_T nexus:
 *
 *   class    WE, EA           RO/AR types,       RO/AR types,
 *                             registered nexus   not registered
 *   ALLOW    allowed          allowed            allowed
 *   READ     WE: allowed      allowed            WE-*: allowed
 *            EA: conflict                        EA-*: conflict
 *   WRITE    conflict         allowed            conflict
 *
 * START STOP UNIT and PREVENT ALLOW MEDIUM REMOVAL are ALLOW or WRITE by
 * their CDB. Anything not listed is WRITE: an unknown command is assumed
 * to change the medium or the LU.
 */
enum pr_class {
	PRC_WRITE = 0,
	PRC_READ,
	PRC_ALLOW,
	PRC_START,		/* START=1 POWER CONDITION=0: allowed */
	PRC_PREVENT,		/* PREVENT=0: allowed */
};

#define SA_ANY	0xff

struct pr_op_class {
	u8 opcode;
	u8 sa;			/* byte 1 bits 4:0, or SA_ANY */
	u8 cls;
};

static const struct pr_op_class pr_ops[] = {
	{ 0x00, SA_ANY, PRC_ALLOW },	/* TEST UNIT READY */
	{ 0x03, SA_ANY, PRC_ALLOW },	/* REQUEST SENSE */
	{ 0x08, SA_ANY, PRC_READ },	/* READ(6) */
	{ 0x12, SA_ANY, PRC_ALLOW },	/* INQUIRY */
	{ 0x1a, SA_ANY, PRC_READ },	/* MODE SENSE(6) */
	{ 0x1b, SA_ANY, PRC_START },	/* START STOP UNIT */
	{ 0x1c, SA_ANY, PRC_READ },	/* RECEIVE DIAGNOSTIC RESULTS */
	{ 0x1e, SA_ANY, PRC_PREVENT },	/* PREVENT ALLOW MEDIUM REMOVAL */
	{ 0x25, SA_ANY, PRC_ALLOW },	/* READ CAPACITY(10) */
	{ 0x28, SA_ANY, PRC_READ },	/* READ(10) */
	{ 0x2f, SA_ANY, PRC_READ },	/* VERIFY(10) */
	{ 0x34, SA_ANY, PRC_READ },	/* PRE-FETCH(10) */
	{ 0x37, SA_ANY, PRC_READ },	/* READ DEFECT DATA(10) */
	{ 0x3c, SA_ANY, PRC_READ },	/* READ BUFFER */
	{ 0x4d, SA_ANY, PRC_ALLOW },	/* LOG SENSE */
	{ 0x5a, SA_ANY, PRC_READ },	/* MODE SENSE(10) */
	{ 0x5e, SA_ANY, PRC_ALLOW },	/* PERSISTENT RESERVE IN */
	{ 0x5f, SA_ANY, PRC_ALLOW },	/* PR OUT: its own rules */
	{ 0x84, SA_ANY, PRC_READ },	/* RECEIVE COPY RESULTS */
	{ 0x88, SA_ANY, PRC_READ },	/* READ(16) */
	{ 0x8c, SA_ANY, PRC_READ },	/* READ ATTRIBUTE */
	{ 0x8f, SA_ANY, PRC_READ },	/* VERIFY(16) */
	{ 0x90, SA_ANY, PRC_READ },	/* PRE-FETCH(16) */
	{ 0x9e, 0x10, PRC_ALLOW },	/* READ CAPACITY(16) */
	{ 0x9e, 0x12, PRC_READ },	/* GET LBA STATUS */
	{ 0xa0, SA_ANY, PRC_ALLOW },	/* REPORT LUNS */
	{ 0xa3, 0x05, PRC_ALLOW },	/* REPORT IDENTIFYING INFORMATION */
	{ 0xa3, 0x0a, PRC_ALLOW },	/* REPORT TARGET PORT GROUPS */
	{ 0xa3, 0x0b, PRC_ALLOW },	/* REPORT ALIASES */
	{ 0xa3, 0x0c, PRC_READ },	/* REPORT SUPPORTED OPCODES */
	{ 0xa3, 0x0d, PRC_READ },	/* REPORT SUPPORTED TMFS */
	{ 0xa3, 0x0e, PRC_ALLOW },	/* REPORT PRIORITY */
	{ 0xa3, 0x0f, PRC_ALLOW },	/* REPORT TIMESTAMP */
	{ 0xa8, SA_ANY, PRC_READ },	/* READ(12) */
	{ 0xab, 0x01, PRC_ALLOW },	/* READ MEDIA SERIAL NUMBER */
	{ 0xaf, SA_ANY, PRC_READ },	/* VERIFY(12) */
	{ 0xb7, SA_ANY, PRC_READ },	/* READ DEFECT DATA(12) */
};

static u8 op_class(const u8 *cdb, unsigned int len)
{
	u8 sa = len > 1 ? cdb[1] & 0x1f : 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pr_ops); i++) {
		if (pr_ops[i].opcode != cdb[0])
			continue;
		if (pr_ops[i].sa != SA_ANY && pr_ops[i].sa != sa)
			continue;
		switch (pr_ops[i].cls) {
		case PRC_START:
			/* a short CDB is refused later; count it as WRITE */
			if (len > 4 && (cdb[4] & 0x01) && !(cdb[4] & 0xf0))
				return PRC_ALLOW;
			return PRC_WRITE;
		case PRC_PREVENT:
			if (len > 4 && !(cdb[4] & 0x03))
				return PRC_ALLOW;
			return PRC_WRITE;
		default:
			return pr_ops[i].cls;
		}
	}
	return PRC_WRITE;
}

static bool type_write_exclusive(u8 type)
{
	return type == KTGT_PR_TYPE_WE || type == KTGT_PR_TYPE_WE_RO ||
	       type == KTGT_PR_TYPE_WE_AR;
}

bool ktgt_pr_conflict(const struct ktgt_pr_state *st,
		      const struct ktgt_pr_nexus *nx,
		      const u8 *cdb, unsigned int len)
{
	int slot;
	u8 cls;

	if (st->type == KTGT_PR_TYPE_NONE || !len)
		return false;
	slot = ktgt_pr_find(st, nx);
	if (slot >= 0 && (ktgt_pr_type_all_reg(st->type) ||
			  st->holder == slot))
		return false;
	if (slot >= 0 && ktgt_pr_type_for_reg(st->type))
		return false;
	cls = op_class(cdb, len);
	if (cls == PRC_ALLOW)
		return false;
	if (cls == PRC_READ && type_write_exclusive(st->type))
		return false;
	return true;
}
