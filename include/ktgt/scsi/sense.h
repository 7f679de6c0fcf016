/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SCSI status codes, sense reasons and sense data (SPC-4 4.5), pure logic.
 *
 * Everything in the emulation layer reports failure as one internal
 * reason (enum ktgt_sense_reason) plus optional details (struct
 * ktgt_sense_info: field pointer, INFORMATION field). ktgt_sense_table[]
 * maps a reason to sense key / ASC / ASCQ and ktgt_sense_build() turns it
 * into fixed (70h) or descriptor (72h) format sense data.
 *
 * Unit attentions live here too: struct ktgt_scsi_ua is the pending-UA set
 * of one I_T_L nexus.
 */
#ifndef KTGT_SCSI_SENSE_H
#define KTGT_SCSI_SENSE_H

#include <ktgt/proto/platform.h>

/* SAM-5 status codes. */
#define KTGT_SAM_STAT_GOOD			0x00
#define KTGT_SAM_STAT_CHECK_CONDITION		0x02
#define KTGT_SAM_STAT_CONDITION_MET		0x04
#define KTGT_SAM_STAT_BUSY			0x08
#define KTGT_SAM_STAT_RESERVATION_CONFLICT	0x18
#define KTGT_SAM_STAT_TASK_SET_FULL		0x28
#define KTGT_SAM_STAT_ACA_ACTIVE		0x30
#define KTGT_SAM_STAT_TASK_ABORTED		0x40

/* Sense keys (SPC-4 table 49). */
#define KTGT_SK_NO_SENSE		0x0
#define KTGT_SK_RECOVERED_ERROR		0x1
#define KTGT_SK_NOT_READY		0x2
#define KTGT_SK_MEDIUM_ERROR		0x3
#define KTGT_SK_HARDWARE_ERROR		0x4
#define KTGT_SK_ILLEGAL_REQUEST		0x5
#define KTGT_SK_UNIT_ATTENTION		0x6
#define KTGT_SK_DATA_PROTECT		0x7
#define KTGT_SK_ABORTED_COMMAND		0xb
#define KTGT_SK_MISCOMPARE		0xe

/*
 * Internal reasons. KTGT_SR_OK (0) means success. The unit attention
 * reasons form one contiguous block, in reporting priority order (highest
 * first); see struct ktgt_scsi_ua.
 */
enum ktgt_sense_reason {
	KTGT_SR_OK = 0,
	KTGT_SR_NO_SENSE,			/* 0/00/00, REQUEST SENSE */
	KTGT_SR_INVALID_OPCODE,			/* 5/20/00 */
	KTGT_SR_INVALID_FIELD_IN_CDB,		/* 5/24/00 + SKS C/D=1 */
	KTGT_SR_INVALID_FIELD_IN_PARAM_LIST,	/* 5/26/00 + SKS C/D=0 */
	KTGT_SR_PARAM_LIST_LENGTH_ERROR,	/* 5/1a/00 */
	KTGT_SR_INVALID_FIELD_IN_IU,		/* 5/0e/03 EDTL < SPDTL */
	KTGT_SR_LBA_OUT_OF_RANGE,		/* 5/21/00 */
	KTGT_SR_LUN_NOT_SUPPORTED,		/* 5/25/00 */
	KTGT_SR_MEDIUM_REMOVAL_PREVENTED,	/* 5/53/02 */
	KTGT_SR_SAVING_PARAMS_UNSUP,		/* 5/39/00 */
	KTGT_SR_CDB_TOO_SHORT,			/* 5/20/00, no SKS */
	KTGT_SR_INSUFFICIENT_REG_RESOURCES,	/* 5/55/04 */
	KTGT_SR_WRITE_PROTECTED,		/* 7/27/00 */
	KTGT_SR_SPACE_ALLOC_FAILED,		/* 7/27/07 */
	KTGT_SR_MEDIUM_ERROR_READ,		/* 3/11/00 + INFO = LBA */
	KTGT_SR_MEDIUM_ERROR_WRITE,		/* 3/0c/00 + INFO = LBA */
	KTGT_SR_MISCOMPARE,			/* e/1d/00 + INFO = offset */
	KTGT_SR_NOT_READY_BECOMING_READY,	/* 2/04/01 */
	KTGT_SR_NOT_READY_INIT_REQUIRED,	/* 2/04/02 */
	KTGT_SR_NOT_READY_MANUAL_INTERVENTION,	/* 2/04/03 */
	KTGT_SR_NOT_READY_NO_MEDIUM,		/* 2/3a/00 */
	KTGT_SR_ABORTED_COMMAND,		/* b/00/00 */
	KTGT_SR_ABORTED_UNEXPECTED_UNSOL_DATA,	/* b/0c/0c */
	KTGT_SR_ABORTED_NOT_ENOUGH_UNSOL_DATA,	/* b/0c/0d */
	KTGT_SR_ABORTED_CRC_ERROR,		/* b/47/05 CRC error */
	KTGT_SR_ABORTED_SNACK_REJECTED,		/* b/11/13 */
	KTGT_SR_ABORTED_INVALID_MESSAGE,	/* b/49/00 */
	KTGT_SR_INTERNAL_ERROR,			/* 4/44/00 */
	KTGT_SR_INVALID_RELEASE_OF_PR,		/* 5/26/04 */
	KTGT_SR_RESERVATION_CONFLICT,		/* status 18h, no sense */
	/* unit attentions, highest priority first */
	KTGT_SR_UA_POWER_ON_RESET,		/* 6/29/00 */
	KTGT_SR_UA_POWER_ON,			/* 6/29/01 */
	KTGT_SR_UA_BUS_RESET,			/* 6/29/02 */
	KTGT_SR_UA_DEVICE_RESET,		/* 6/29/03 LU reset */
	KTGT_SR_UA_NEXUS_LOSS,			/* 6/29/07 I_T nexus */
	KTGT_SR_UA_COMMANDS_CLEARED,		/* 6/2f/00 by another I_T */
	KTGT_SR_UA_MODE_PARAMS_CHANGED,		/* 6/2a/01 */
	KTGT_SR_UA_RESERVATIONS_PREEMPTED,	/* 6/2a/03 */
	KTGT_SR_UA_RESERVATIONS_RELEASED,	/* 6/2a/04 */
	KTGT_SR_UA_REGISTRATIONS_PREEMPTED,	/* 6/2a/05 */
	KTGT_SR_UA_ALUA_STATE_CHANGED,		/* 6/2a/06 */
	KTGT_SR_UA_CAPACITY_CHANGED,		/* 6/2a/09 */
	KTGT_SR_UA_INQUIRY_DATA_CHANGED,	/* 6/3f/03 */
	KTGT_SR_UA_REPORTED_LUNS_CHANGED,	/* 6/3f/0e */
	KTGT_SR__COUNT
};

#define KTGT_SR_UA_FIRST	KTGT_SR_UA_POWER_ON_RESET
#define KTGT_SR_UA_LAST		KTGT_SR_UA_REPORTED_LUNS_CHANGED

/* ktgt_sense_table[] flags */
#define KTGT_SENSE_F_SKS_CDB	0x01	/* field pointer into the CDB */
#define KTGT_SENSE_F_SKS_PARAM	0x02	/* field pointer, data-out */
#define KTGT_SENSE_F_INFO	0x04	/* INFORMATION field meaningful */
#define KTGT_SENSE_F_STATUS	0x08	/* a status of its own, no sense */

struct ktgt_sense_entry {
	u8 key;
	u8 asc;
	u8 ascq;
	u8 flags;
};

/* Indexed by enum ktgt_sense_reason; [KTGT_SR_OK] is all zero. */
extern const struct ktgt_sense_entry ktgt_sense_table[KTGT_SR__COUNT];

/* ktgt_sense_info.flags */
#define KTGT_SI_FIELD		0x01	/* byte pointer valid: SKSV */
#define KTGT_SI_BIT		0x02	/* bit pointer valid: BPV */
#define KTGT_SI_INFO		0x04	/* INFORMATION valid: VALID */

/* Details of a failure, filled by whoever detected it. */
struct ktgt_sense_info {
	u64 info;	/* INFORMATION: LBA or byte offset */
	u16 field;	/* byte of the CDB or parameter list */
	u8 bit;		/* bit 0..7 within that byte */
	u8 flags;	/* KTGT_SI_* */
};

/* Fixed format is 18 bytes; descriptor format at most 8 + 12 + 8. */
#define KTGT_SENSE_FIXED_LEN	18
#define KTGT_SENSE_MAX_LEN	32

/*
 * Build sense data for @reason into @buf (at most @size bytes; the rest is
 * truncated). @si may be NULL. @desc selects descriptor format (D_SENSE).
 * Returns the number of bytes written, 0 for KTGT_SR_OK, a bad reason or
 * one that is a status of its own (KTGT_SENSE_F_STATUS).
 */
unsigned int ktgt_sense_build(enum ktgt_sense_reason reason,
			      const struct ktgt_sense_info *si, bool desc,
			      u8 *buf, unsigned int size);

/*
 * SAM status for a failure: CHECK CONDITION, or RESERVATION CONFLICT
 * (which carries no sense data: ktgt_sense_build() returns 0 for it).
 */
u8 ktgt_sense_status(enum ktgt_sense_reason r);

/* Key/ASC/ASCQ of @reason (0/0/0 if out of range). */
const struct ktgt_sense_entry *ktgt_sense_lookup(enum ktgt_sense_reason r);

static inline void ktgt_sense_field(struct ktgt_sense_info *si,
				    unsigned int byte, int bit)
{
	si->field = (u16)byte;
	si->flags = KTGT_SI_FIELD;
	if (bit >= 0) {
		si->bit = (u8)bit;
		si->flags |= KTGT_SI_BIT;
	}
}

/*
 * Pending unit attentions of one I_T_L nexus: one bit per UA reason. The
 * core serialises access (the nexus lock). ktgt_scsi_ua_check() is called
 * for every command before ktgt_scsi_parse().
 */
struct ktgt_scsi_ua {
	u32 pending;
};

void ktgt_scsi_ua_set(struct ktgt_scsi_ua *ua, enum ktgt_sense_reason r);
void ktgt_scsi_ua_clear(struct ktgt_scsi_ua *ua, enum ktgt_sense_reason r);
/* Highest-priority pending UA, removed from the set; KTGT_SR_OK if none. */
enum ktgt_sense_reason ktgt_scsi_ua_pop(struct ktgt_scsi_ua *ua);

/*
 * SAM-5 5.14 / SPC-4 with UA_INTLCK_CTRL=0: INQUIRY and REPORT LUNS run
 * without reporting a UA, REQUEST SENSE reports it as its data (see the
 * emulation); any other command is terminated with CHECK CONDITION and
 * the UA returned here (and cleared). Returns KTGT_SR_OK to go on.
 */
enum ktgt_sense_reason ktgt_scsi_ua_check(struct ktgt_scsi_ua *ua,
					  const u8 *cdb, unsigned int cdb_len);

#endif /* KTGT_SCSI_SENSE_H */
