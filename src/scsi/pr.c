// SPDX-License-Identifier: GPL-2.0
/*
 * Persistent reservations (SPC-4 5.13): registrations, the reservation
 * and the PERSISTENT RESERVE OUT service actions. PERSISTENT RESERVE IN
 * and the conflict table are in pr_in.c.
 *
 * Every service action is written as "check everything, then change":
 * the first write to the state comes after the last return of an error,
 * so a failed command leaves the state as it was (SPC-4 5.13.1: a PR
 * OUT command that is not performed changes nothing).
 */
#include <ktgt/scsi/pr.h>
#include <ktgt/scsi/internal.h>

#define BIT64(i)	(1ULL << (i))

static enum ktgt_sense_reason bad(enum ktgt_sense_reason r,
				  struct ktgt_sense_info *si,
				  unsigned int byte, int bit)
{
	if (si)
		ktgt_sense_field(si, byte, bit);
	return r;
}

static bool type_valid(u8 type)
{
	switch (type) {
	case KTGT_PR_TYPE_WE:
	case KTGT_PR_TYPE_EA:
	case KTGT_PR_TYPE_WE_RO:
	case KTGT_PR_TYPE_EA_RO:
	case KTGT_PR_TYPE_WE_AR:
	case KTGT_PR_TYPE_EA_AR:
		return true;
	default:
		return false;
	}
}

void ktgt_pr_init(struct ktgt_pr_state *st, bool ptpl_capable)
{
	memset(st, 0, sizeof(*st));
	st->ptpl_capable = ptpl_capable;
}

unsigned int ktgt_pr_iscsi_tid(const char *name, u64 isid,
			       u8 out[KTGT_PR_TID_MAX])
{
	static const char hex[] = "0123456789abcdef";
	unsigned int n, len, i;

	memset(out, 0, KTGT_PR_TID_MAX);
	n = name ? strnlen(name, 224) : 0;
	if (!n || n > 223)
		return 0;
	out[0] = 0x40 | 0x05;		/* format 01b, iSCSI */
	memcpy(&out[4], name, n);
	memcpy(&out[4 + n], ",i,0x", 5);
	for (i = 0; i < 12; i++)
		out[4 + n + 5 + i] = hex[(isid >> (44 - 4 * i)) & 0xf];
	/* the NUL is already there; pad to a multiple of four */
	len = (n + 5 + 12 + 1 + 3) & ~3u;
	put_unaligned_be16((u16)len, &out[2]);
	return 4 + len;
}

static bool nexus_eq(const struct ktgt_pr_nexus *a,
		     const struct ktgt_pr_nexus *b)
{
	return a->rtpi == b->rtpi && a->tid_len == b->tid_len &&
	       !memcmp(a->tid, b->tid, a->tid_len);
}

static bool nexus_valid(const struct ktgt_pr_nexus *nx)
{
	return nx->tid_len && nx->tid_len <= KTGT_PR_TID_MAX;
}

int ktgt_pr_find(const struct ktgt_pr_state *st,
		 const struct ktgt_pr_nexus *nx)
{
	int i;

	if (!nexus_valid(nx))
		return -1;
	for (i = 0; i < KTGT_PR_MAX_REG; i++)
		if (st->reg[i].used && nexus_eq(&st->reg[i].nexus, nx))
			return i;
	return -1;
}

static bool slot_holds(const struct ktgt_pr_state *st, int slot)
{
	if (slot < 0 || st->type == KTGT_PR_TYPE_NONE)
		return false;
	return ktgt_pr_type_all_reg(st->type) || st->holder == slot;
}

bool ktgt_pr_is_holder(const struct ktgt_pr_state *st,
		       const struct ktgt_pr_nexus *nx)
{
	return slot_holds(st, ktgt_pr_find(st, nx));
}

static u64 used_mask(const struct ktgt_pr_state *st)
{
	u64 m = 0;
	int i;

	for (i = 0; i < KTGT_PR_MAX_REG; i++)
		if (st->reg[i].used)
			m |= BIT64(i);
	return m;
}

static u64 key_mask(const struct ktgt_pr_state *st, u64 key)
{
	u64 m = 0;
	int i;

	for (i = 0; i < KTGT_PR_MAX_REG; i++)
		if (st->reg[i].used && st->reg[i].key == key)
			m |= BIT64(i);
	return m;
}

/* Drop the registrations in @m; their nexus stays for the core. */
static void drop_regs(struct ktgt_pr_state *st, u64 m,
		      struct ktgt_pr_result *res)
{
	int i;

	for (i = 0; i < KTGT_PR_MAX_REG; i++) {
		if (!(m & BIT64(i)) || !st->reg[i].used)
			continue;
		st->reg[i].used = false;
		st->nr_reg--;
		res->removed |= BIT64(i);
	}
}

/* PERSISTENT RESERVE OUT CDB (SPC-4 6.16.1) */

enum ktgt_sense_reason ktgt_pr_out_cdb(const u8 *cdb, unsigned int len,
				       struct ktgt_pr_out *po,
				       struct ktgt_sense_info *si)
{
	const enum ktgt_sense_reason r = KTGT_SR_INVALID_FIELD_IN_CDB;

	memset(po, 0, sizeof(*po));
	if (len < KTGT_PR_OUT_CDB_LEN)
		return KTGT_SR_CDB_TOO_SHORT;
	if (cdb[1] & 0xe0)
		return bad(r, si, 1, ktgt_scsi_high_bit(cdb[1] & 0xe0));
	po->sa = cdb[1] & 0x1f;
	if (po->sa > KTGT_PRO_REGISTER_AND_MOVE)
		return bad(r, si, 1, 4);
	if (cdb[3])
		return bad(r, si, 3, ktgt_scsi_high_bit(cdb[3]));
	if (cdb[4])
		return bad(r, si, 4, ktgt_scsi_high_bit(cdb[4]));
	/* CONTROL: NACA unsupported, reserved and obsolete bits */
	if (cdb[9] & 0x3f)
		return bad(r, si, 9, ktgt_scsi_high_bit(cdb[9] & 0x3f));
	po->scope = cdb[2] >> 4;
	po->type = cdb[2] & 0x0f;
	po->param_len = get_unaligned_be32(&cdb[5]);

	/* REGISTER*, CLEAR: SCOPE and TYPE are ignored (6.16.2) */
	switch (po->sa) {
	case KTGT_PRO_RESERVE:
	case KTGT_PRO_RELEASE:
	case KTGT_PRO_PREEMPT:
	case KTGT_PRO_PREEMPT_AND_ABORT:
	case KTGT_PRO_REGISTER_AND_MOVE:
		if (po->scope != KTGT_PR_SCOPE_LU)
			return bad(r, si, 2, 7);
		if (!type_valid(po->type))
			return bad(r, si, 2, 3);
		break;
	default:
		break;
	}
	return KTGT_SR_OK;
}

/* REGISTER AND MOVE parameter list (SPC-4 6.16.4) */
static enum ktgt_sense_reason out_param_move(struct ktgt_pr_out *po,
					     const u8 *buf, u32 len,
					     bool ptpl_capable,
					     struct ktgt_sense_info *si)
{
	const enum ktgt_sense_reason r = KTGT_SR_INVALID_FIELD_IN_PARAM_LIST;

	if (len < KTGT_PR_OUT_PARAM_LEN)
		return KTGT_SR_PARAM_LIST_LENGTH_ERROR;
	po->key = get_unaligned_be64(&buf[0]);
	po->sa_key = get_unaligned_be64(&buf[8]);
	if (buf[16])
		return bad(r, si, 16, ktgt_scsi_high_bit(buf[16]));
	if (buf[17] & 0xfc)
		return bad(r, si, 17, ktgt_scsi_high_bit(buf[17] & 0xfc));
	po->unreg = buf[17] & 0x02;
	po->aptpl = buf[17] & 0x01;
	po->move_rtpi = get_unaligned_be16(&buf[18]);
	po->move_tid_len = get_unaligned_be32(&buf[20]);
	/* the TransportID must fill the rest of the list exactly */
	if (po->move_tid_len != len - KTGT_PR_OUT_PARAM_LEN)
		return KTGT_SR_PARAM_LIST_LENGTH_ERROR;
	if (po->aptpl && !ptpl_capable)
		return bad(r, si, 17, 0);
	return KTGT_SR_OK;
}

enum ktgt_sense_reason ktgt_pr_out_param(struct ktgt_pr_out *po,
					 const u8 *buf, u32 len,
					 bool ptpl_capable,
					 struct ktgt_sense_info *si)
{
	const enum ktgt_sense_reason r = KTGT_SR_INVALID_FIELD_IN_PARAM_LIST;
	bool reg;

	if (len != po->param_len)
		return KTGT_SR_PARAM_LIST_LENGTH_ERROR;
	if (po->sa == KTGT_PRO_REGISTER_AND_MOVE)
		return out_param_move(po, buf, len, ptpl_capable, si);
	if (len < KTGT_PR_OUT_PARAM_LEN)
		return KTGT_SR_PARAM_LIST_LENGTH_ERROR;
	po->key = get_unaligned_be64(&buf[0]);
	po->sa_key = get_unaligned_be64(&buf[8]);
	/* bytes 16..19 and 22..23 are obsolete: ignored */
	if (buf[20] & 0xf2)
		return bad(r, si, 20, ktgt_scsi_high_bit(buf[20] & 0xf2));
	if (buf[21])
		return bad(r, si, 21, ktgt_scsi_high_bit(buf[21]));
	po->spec_i_pt = buf[20] & 0x08;
	po->all_tg_pt = buf[20] & 0x04;
	po->aptpl = buf[20] & 0x01;
	reg = po->sa == KTGT_PRO_REGISTER ||
	      po->sa == KTGT_PRO_REGISTER_IGNORE;
	/*
	 * SIP_C and ATP_C are 0 in REPORT CAPABILITIES: a registration is
	 * for the nexus it came on only. SPEC_I_PT is refused for every
	 * service action (only REGISTER could use it), ALL_TG_PT only where
	 * it means something; APTPL likewise, and only without PTPL_C.
	 */
	if (po->spec_i_pt)
		return bad(r, si, 20, 3);
	if (len != KTGT_PR_OUT_PARAM_LEN)
		return KTGT_SR_PARAM_LIST_LENGTH_ERROR;
	if (reg && po->all_tg_pt)
		return bad(r, si, 20, 2);
	if (reg && po->aptpl && !ptpl_capable)
		return bad(r, si, 20, 0);
	return KTGT_SR_OK;
}

/* Service actions (SPC-4 5.13.7 .. 5.13.11) */

/*
 * @slot's registration goes. Unregistering the holder releases a
 * reservation that is not for all registrants (the RESERVATIONS RELEASED
 * UA for the registrants-only types, as for RELEASE); the last registrant
 * going releases an all-registrants one.
 */
static void unregister(struct ktgt_pr_state *st, int slot,
		       struct ktgt_pr_result *res)
{
	bool held = slot_holds(st, slot);

	drop_regs(st, BIT64(slot), res);
	if (!held)
		return;
	if (ktgt_pr_type_all_reg(st->type)) {
		if (!st->nr_reg)
			st->type = KTGT_PR_TYPE_NONE;
		return;
	}
	if (ktgt_pr_type_for_reg(st->type))
		res->ua_resv_released |= used_mask(st);
	st->type = KTGT_PR_TYPE_NONE;
}

static int free_slot(const struct ktgt_pr_state *st)
{
	int i;

	for (i = 0; i < KTGT_PR_MAX_REG; i++)
		if (!st->reg[i].used)
			return i;
	return -1;
}

/* REGISTER and REGISTER AND IGNORE EXISTING KEY (SPC-4 table 40) */
static enum ktgt_sense_reason pr_register(struct ktgt_pr_state *st,
					  const struct ktgt_pr_nexus *nx,
					  int slot,
					  const struct ktgt_pr_out *po,
					  struct ktgt_pr_result *res)
{
	bool ignore = po->sa == KTGT_PRO_REGISTER_IGNORE;
	struct ktgt_pr_reg *reg;

	if (slot < 0) {
		if (!ignore && po->key)
			return KTGT_SR_RESERVATION_CONFLICT;
		/* unregistered, key 0: nothing to do, nothing counted */
		if (!po->sa_key)
			return KTGT_SR_OK;
		if (!nexus_valid(nx))
			return KTGT_SR_INTERNAL_ERROR;
		slot = free_slot(st);
		if (slot < 0)
			return KTGT_SR_INSUFFICIENT_REG_RESOURCES;
		reg = &st->reg[slot];
		memset(reg, 0, sizeof(*reg));
		reg->nexus.rtpi = nx->rtpi;
		reg->nexus.tid_len = nx->tid_len;
		memcpy(reg->nexus.tid, nx->tid, nx->tid_len);
		reg->key = po->sa_key;
		reg->aptpl = po->aptpl;
		reg->used = true;
		st->nr_reg++;
	} else {
		if (!ignore && po->key != st->reg[slot].key)
			return KTGT_SR_RESERVATION_CONFLICT;
		if (po->sa_key) {
			st->reg[slot].key = po->sa_key;
			st->reg[slot].aptpl = po->aptpl;
		} else {
			unregister(st, slot, res);
		}
	}
	/* the last REGISTER's APTPL governs the whole LU (5.13.5) */
	st->aptpl = po->aptpl;
	st->generation++;
	res->changed = true;
	return KTGT_SR_OK;
}

static enum ktgt_sense_reason pr_reserve(struct ktgt_pr_state *st, int slot,
					 const struct ktgt_pr_out *po,
					 struct ktgt_pr_result *res)
{
	if (st->type == KTGT_PR_TYPE_NONE) {
		st->type = po->type;
		st->holder = (u8)slot;
		res->changed = true;
		return KTGT_SR_OK;
	}
	/* the holder asking again for the same type: nothing to do */
	if (slot_holds(st, slot) && st->type == po->type)
		return KTGT_SR_OK;
	return KTGT_SR_RESERVATION_CONFLICT;
}

static enum ktgt_sense_reason pr_release(struct ktgt_pr_state *st, int slot,
					 const struct ktgt_pr_out *po,
					 struct ktgt_pr_result *res)
{
	/* no reservation, or not ours: GOOD, nothing done (5.13.11.2) */
	if (!slot_holds(st, slot))
		return KTGT_SR_OK;
	if (po->type != st->type)
		return KTGT_SR_INVALID_RELEASE_OF_PR;
	if (ktgt_pr_type_for_reg(st->type))
		res->ua_resv_released |= used_mask(st) & ~BIT64(slot);
	st->type = KTGT_PR_TYPE_NONE;
	res->changed = true;
	return KTGT_SR_OK;
}

static enum ktgt_sense_reason pr_clear(struct ktgt_pr_state *st, int slot,
				       struct ktgt_pr_result *res)
{
	res->ua_resv_preempted = used_mask(st) & ~BIT64(slot);
	drop_regs(st, used_mask(st), res);
	st->type = KTGT_PR_TYPE_NONE;
	st->generation++;
	res->changed = true;
	return KTGT_SR_OK;
}

/*
 * PREEMPT and PREEMPT AND ABORT (SPC-4 5.13.11.4). The issuer's own
 * registration is never removed, even when it has the preempted key.
 */
static enum ktgt_sense_reason pr_preempt(struct ktgt_pr_state *st, int slot,
					 const struct ktgt_pr_out *po,
					 struct ktgt_pr_result *res,
					 struct ktgt_sense_info *si)
{
	const u64 self = BIT64(slot);
	bool take = false;	/* the issuer gets the reservation */
	u8 old_type = st->type;
	u64 m;

	if (st->type != KTGT_PR_TYPE_NONE && ktgt_pr_type_all_reg(st->type) &&
	    !po->sa_key) {
		/* all registrants, key 0: everyone else goes */
		m = used_mask(st) & ~self;
		take = true;
	} else {
		/* keys are never 0, so 0 can only mean "all" (above) */
		if (!po->sa_key)
			return bad(KTGT_SR_INVALID_FIELD_IN_PARAM_LIST, si,
				   8, -1);
		m = key_mask(st, po->sa_key) & ~self;
		if (st->type != KTGT_PR_TYPE_NONE &&
		    !ktgt_pr_type_all_reg(st->type) &&
		    st->reg[st->holder].key == po->sa_key)
			take = true;
		else if (!m)
			return KTGT_SR_RESERVATION_CONFLICT;
	}

	drop_regs(st, m, res);
	res->ua_regs_preempted = m;
	if (po->sa == KTGT_PRO_PREEMPT_AND_ABORT)
		res->abort = m;
	if (take) {
		st->type = po->type;
		st->holder = (u8)slot;
		/* the others who stay registered see the change of type */
		if (old_type != po->type)
			res->ua_resv_released |= used_mask(st) & ~self;
	}
	st->generation++;
	res->changed = true;
	return KTGT_SR_OK;
}

enum ktgt_sense_reason ktgt_pr_out_run(struct ktgt_pr_state *st,
				       const struct ktgt_pr_nexus *nx,
				       const struct ktgt_pr_out *po,
				       struct ktgt_pr_result *res,
				       struct ktgt_sense_info *si)
{
	int slot = ktgt_pr_find(st, nx);

	memset(res, 0, sizeof(*res));
	switch (po->sa) {
	case KTGT_PRO_REGISTER:
	case KTGT_PRO_REGISTER_IGNORE:
		return pr_register(st, nx, slot, po, res);
	case KTGT_PRO_REGISTER_AND_MOVE:
		/* decoded, not implemented: needs TransportID matching */
		return bad(KTGT_SR_INVALID_FIELD_IN_CDB, si, 1, 4);
	default:
		break;
	}
	/* ktgt_pr_out_cdb() checked TYPE where it is used; callers may not */
	if ((po->sa == KTGT_PRO_RESERVE || po->sa == KTGT_PRO_RELEASE ||
	     po->sa == KTGT_PRO_PREEMPT ||
	     po->sa == KTGT_PRO_PREEMPT_AND_ABORT) && !type_valid(po->type))
		return bad(KTGT_SR_INVALID_FIELD_IN_CDB, si, 2, 3);
	/* Everything else needs the issuer registered, with its key. */
	if (slot < 0 || st->reg[slot].key != po->key)
		return KTGT_SR_RESERVATION_CONFLICT;
	switch (po->sa) {
	case KTGT_PRO_RESERVE:
		return pr_reserve(st, slot, po, res);
	case KTGT_PRO_RELEASE:
		return pr_release(st, slot, po, res);
	case KTGT_PRO_CLEAR:
		return pr_clear(st, slot, res);
	case KTGT_PRO_PREEMPT:
	case KTGT_PRO_PREEMPT_AND_ABORT:
		return pr_preempt(st, slot, po, res, si);
	default:
		return bad(KTGT_SR_INVALID_FIELD_IN_CDB, si, 1, 4);
	}
}
