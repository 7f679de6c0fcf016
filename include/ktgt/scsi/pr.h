/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPC-4 persistent reservations (5.13, 6.15, 6.16), pure logic.
 *
 * struct ktgt_pr_state is the whole PR state of one logical unit: the
 * registrations, the reservation, PRgeneration and APTPL. Nothing here
 * locks, allocates or persists: the core serialises calls (one lock per
 * LU), establishes the unit attentions and aborts the tasks that a
 * service action reports in struct ktgt_pr_result, and writes the state
 * to stable storage when APTPL is in effect.
 *
 * How the core drives a command:
 *
 *   every command      if (ktgt_pr_conflict(st, &nexus, cdb, len))
 *                          status RESERVATION CONFLICT, no sense data
 *   PR OUT (5Fh)       r = ktgt_pr_out_cdb(cdb, len, &po, &si);
 *                      receive po.param_len bytes of data-out;
 *                      r = ktgt_pr_out_param(&po, buf, n, &si);
 *                      r = ktgt_pr_out_run(st, &nexus, &po, &res, &si);
 *                      then UAs and aborts from res
 *   PR IN (5Eh)        r = ktgt_pr_in(st, cdb, len, buf, cap, &n, &si);
 *
 * A service action that fails changes nothing: every check is made
 * before the first write to the state.
 */
#ifndef KTGT_SCSI_PR_H
#define KTGT_SCSI_PR_H

#include <ktgt/proto/platform.h>
#include <ktgt/scsi/sense.h>

#define KTGT_SCSI_OP_PR_IN		0x5e
#define KTGT_SCSI_OP_PR_OUT		0x5f

/* PERSISTENT RESERVE IN service actions (SPC-4 6.15.1) */
#define KTGT_PRI_READ_KEYS		0x00
#define KTGT_PRI_READ_RESERVATION	0x01
#define KTGT_PRI_REPORT_CAPABILITIES	0x02
#define KTGT_PRI_READ_FULL_STATUS	0x03

/* PERSISTENT RESERVE OUT service actions (SPC-4 6.16.2) */
#define KTGT_PRO_REGISTER		0x00
#define KTGT_PRO_RESERVE		0x01
#define KTGT_PRO_RELEASE		0x02
#define KTGT_PRO_CLEAR			0x03
#define KTGT_PRO_PREEMPT		0x04
#define KTGT_PRO_PREEMPT_AND_ABORT	0x05
#define KTGT_PRO_REGISTER_IGNORE	0x06
#define KTGT_PRO_REGISTER_AND_MOVE	0x07

/* Reservation types (SPC-4 table 168); 0 means no reservation. */
#define KTGT_PR_TYPE_NONE		0x0
#define KTGT_PR_TYPE_WE			0x1	/* write exclusive */
#define KTGT_PR_TYPE_EA			0x3	/* exclusive access */
#define KTGT_PR_TYPE_WE_RO		0x5	/* ... registrants only */
#define KTGT_PR_TYPE_EA_RO		0x6
#define KTGT_PR_TYPE_WE_AR		0x7	/* ... all registrants */
#define KTGT_PR_TYPE_EA_AR		0x8

#define KTGT_PR_SCOPE_LU		0x0	/* the only scope left */

#define KTGT_PR_OUT_CDB_LEN		10
#define KTGT_PR_IN_CDB_LEN		10
#define KTGT_PR_OUT_PARAM_LEN		24	/* basic parameter list */

/*
 * Registrations per LU. 64 so that a set of slots fits one u64 in
 * struct ktgt_pr_result; a REGISTER beyond it fails with INSUFFICIENT
 * REGISTRATION RESOURCES.
 */
#define KTGT_PR_MAX_REG			64

/*
 * Longest initiator port TransportID kept: iSCSI format 01b (SPC-4
 * 7.6.4.6) is 4 header bytes, a 223-byte name, ",i,0x", 12 ISID digits
 * and a NUL, padded to a multiple of four: 248.
 */
#define KTGT_PR_TID_MAX			248

/*
 * One I_T nexus as PR sees it: the initiator port's TransportID, exactly
 * as READ FULL STATUS reports it, and the relative target port
 * identifier. Two nexuses are the same when both are equal byte for byte;
 * the core builds @tid with ktgt_pr_iscsi_tid() so that equality is name
 * and ISID equality.
 */
struct ktgt_pr_nexus {
	u16 rtpi;			/* relative target port identifier */
	u16 tid_len;			/* bytes of @tid, multiple of 4 */
	u8 tid[KTGT_PR_TID_MAX];
};

struct ktgt_pr_reg {
	struct ktgt_pr_nexus nexus;
	u64 key;			/* never 0 while @used */
	bool used;
	bool aptpl;			/* APTPL of the REGISTER that made it */
};

/*
 * Per-LU PR state. The core serialises all calls on one state. A slot
 * removed by a service action keeps its nexus (only @used is cleared)
 * until a later REGISTER reuses it, so the core can still read who was
 * removed from struct ktgt_pr_result.
 */
struct ktgt_pr_state {
	struct ktgt_pr_reg reg[KTGT_PR_MAX_REG];
	u32 generation;			/* PRgeneration */
	u8 nr_reg;			/* slots in use */
	u8 type;			/* KTGT_PR_TYPE_*, NONE: no reservation */
	u8 holder;			/* holder's slot; unused for *_AR */
	bool aptpl;			/* APTPL in effect: PTPL_A */
	bool ptpl_capable;		/* the core can persist: PTPL_C */
};

/* All registrants types: every registrant is a holder. */
static inline bool ktgt_pr_type_all_reg(u8 type)
{
	return type == KTGT_PR_TYPE_WE_AR || type == KTGT_PR_TYPE_EA_AR;
}

/* Registrants only and all registrants: any registrant gets through. */
static inline bool ktgt_pr_type_for_reg(u8 type)
{
	return type >= KTGT_PR_TYPE_WE_RO && type <= KTGT_PR_TYPE_EA_AR;
}

/* Empty state; @ptpl_capable: whether APTPL=1 may be accepted. */
void ktgt_pr_init(struct ktgt_pr_state *st, bool ptpl_capable);

/*
 * iSCSI initiator port TransportID, format 01b: "@name,i,0x<isid>",
 * NUL terminated and padded. Returns its length, 0 if @name is empty or
 * too long (the nexus then cannot register).
 */
unsigned int ktgt_pr_iscsi_tid(const char *name, u64 isid,
			       u8 out[KTGT_PR_TID_MAX]);

/* A decoded PERSISTENT RESERVE OUT command and parameter list. */
struct ktgt_pr_out {
	u8 sa;				/* KTGT_PRO_* */
	u8 scope;
	u8 type;
	u32 param_len;			/* PARAMETER LIST LENGTH */
	u64 key;			/* RESERVATION KEY */
	u64 sa_key;			/* SERVICE ACTION RESERVATION KEY */
	bool spec_i_pt;
	bool all_tg_pt;
	bool aptpl;
	/* REGISTER AND MOVE only */
	bool unreg;
	u16 move_rtpi;			/* RELATIVE TARGET PORT IDENTIFIER */
	u32 move_tid_len;		/* TRANSPORTID PARAMETER DATA LENGTH */
};

/*
 * What a successful service action did beyond the state, as sets of
 * slots (bit i = st->reg[i]); the core turns them into unit attentions
 * (SPC-4 5.13.11, 5.13.12) and task aborts. Slots in @removed are no
 * longer registered but keep their nexus for the core to read.
 */
struct ktgt_pr_result {
	u64 removed;			/* registrations removed */
	u64 abort;			/* PREEMPT AND ABORT: abort their tasks */
	u64 ua_regs_preempted;		/* REGISTRATIONS PREEMPTED */
	u64 ua_resv_preempted;		/* RESERVATIONS PREEMPTED */
	u64 ua_resv_released;		/* RESERVATIONS RELEASED */
	bool changed;			/* state to persist (if APTPL) */
};

/*
 * Decode a PERSISTENT RESERVE OUT CDB (@len >= 10). Reserved bits,
 * unknown service actions and, where the service action uses them, a
 * bad SCOPE or TYPE fail INVALID FIELD IN CDB with a field pointer in
 * @si.
 */
enum ktgt_sense_reason ktgt_pr_out_cdb(const u8 *cdb, unsigned int len,
				       struct ktgt_pr_out *po,
				       struct ktgt_sense_info *si);

/*
 * Decode the @len received bytes of parameter list into @po (decoded by
 * ktgt_pr_out_cdb()). @len must equal po->param_len, and the length
 * must fit the service action: PARAMETER LIST LENGTH ERROR otherwise.
 * Reserved bits and unsupported options (SPEC_I_PT, ALL_TG_PT, APTPL
 * without PTPL_C per @ptpl_capable) fail INVALID FIELD IN PARAMETER LIST.
 */
enum ktgt_sense_reason ktgt_pr_out_param(struct ktgt_pr_out *po,
					 const u8 *buf, u32 len,
					 bool ptpl_capable,
					 struct ktgt_sense_info *si);

/*
 * Run the decoded service action for @nx. Returns KTGT_SR_OK with @res
 * filled, or a reason (KTGT_SR_RESERVATION_CONFLICT among them) with
 * @st untouched.
 */
enum ktgt_sense_reason ktgt_pr_out_run(struct ktgt_pr_state *st,
				       const struct ktgt_pr_nexus *nx,
				       const struct ktgt_pr_out *po,
				       struct ktgt_pr_result *res,
				       struct ktgt_sense_info *si);

/*
 * PERSISTENT RESERVE IN: decode @cdb and write the response into @buf
 * (@cap bytes, at most the ALLOCATION LENGTH). *@out_len gets the bytes
 * written; the ADDITIONAL LENGTH field always counts the full response.
 */
enum ktgt_sense_reason ktgt_pr_in(const struct ktgt_pr_state *st,
				  const u8 *cdb, unsigned int len,
				  u8 *buf, u32 cap, u32 *out_len,
				  struct ktgt_sense_info *si);

/*
 * Does @cdb from @nx meet RESERVATION CONFLICT under the reservation in
 * @st (SPC-4 table 63, SBC-3 table 13)? PERSISTENT RESERVE OUT is never
 * refused here: its own rules apply in ktgt_pr_out_run().
 */
bool ktgt_pr_conflict(const struct ktgt_pr_state *st,
		      const struct ktgt_pr_nexus *nx,
		      const u8 *cdb, unsigned int len);

/* Slot of @nx's registration, or -1. */
int ktgt_pr_find(const struct ktgt_pr_state *st,
		 const struct ktgt_pr_nexus *nx);

/* Is @nx a reservation holder (every registrant for the *_AR types)? */
bool ktgt_pr_is_holder(const struct ktgt_pr_state *st,
		       const struct ktgt_pr_nexus *nx);

#endif /* KTGT_SCSI_PR_H */
