// SPDX-License-Identifier: GPL-2.0
/*
 * Sense table, sense data builder and unit attention bookkeeping.
 */
#include <ktgt/scsi/sense.h>
#include <ktgt/scsi/scsi.h>

#define E(k, a, q, f)	\
	{ .key = KTGT_##k, .asc = (a), .ascq = (q), .flags = (f) }
#define SKS_CDB		KTGT_SENSE_F_SKS_CDB
#define SKS_PARAM	KTGT_SENSE_F_SKS_PARAM
#define INFO		KTGT_SENSE_F_INFO

const struct ktgt_sense_entry ktgt_sense_table[KTGT_SR__COUNT] = {
	[KTGT_SR_OK] = E(SK_NO_SENSE, 0, 0, 0),
	[KTGT_SR_NO_SENSE] = E(SK_NO_SENSE, 0, 0, 0),
	[KTGT_SR_INVALID_OPCODE] = E(SK_ILLEGAL_REQUEST, 0x20, 0, 0),
	[KTGT_SR_INVALID_FIELD_IN_CDB] =
		E(SK_ILLEGAL_REQUEST, 0x24, 0, SKS_CDB),
	[KTGT_SR_INVALID_FIELD_IN_PARAM_LIST] =
		E(SK_ILLEGAL_REQUEST, 0x26, 0, SKS_PARAM),
	[KTGT_SR_PARAM_LIST_LENGTH_ERROR] = E(SK_ILLEGAL_REQUEST, 0x1a, 0, 0),
	[KTGT_SR_INVALID_FIELD_IN_IU] = E(SK_ILLEGAL_REQUEST, 0x0e, 0x03, 0),
	[KTGT_SR_LBA_OUT_OF_RANGE] = E(SK_ILLEGAL_REQUEST, 0x21, 0, 0),
	[KTGT_SR_LUN_NOT_SUPPORTED] = E(SK_ILLEGAL_REQUEST, 0x25, 0, 0),
	[KTGT_SR_MEDIUM_REMOVAL_PREVENTED] =
		E(SK_ILLEGAL_REQUEST, 0x53, 0x02, 0),
	[KTGT_SR_SAVING_PARAMS_UNSUP] = E(SK_ILLEGAL_REQUEST, 0x39, 0, 0),
	[KTGT_SR_CDB_TOO_SHORT] = E(SK_ILLEGAL_REQUEST, 0x20, 0, 0),
	[KTGT_SR_INSUFFICIENT_REG_RESOURCES] =
		E(SK_ILLEGAL_REQUEST, 0x55, 0x04, 0),
	[KTGT_SR_WRITE_PROTECTED] = E(SK_DATA_PROTECT, 0x27, 0, 0),
	[KTGT_SR_SPACE_ALLOC_FAILED] = E(SK_DATA_PROTECT, 0x27, 0x07, 0),
	[KTGT_SR_MEDIUM_ERROR_READ] = E(SK_MEDIUM_ERROR, 0x11, 0, INFO),
	[KTGT_SR_MEDIUM_ERROR_WRITE] = E(SK_MEDIUM_ERROR, 0x0c, 0, INFO),
	[KTGT_SR_MISCOMPARE] = E(SK_MISCOMPARE, 0x1d, 0, INFO),
	[KTGT_SR_NOT_READY_BECOMING_READY] = E(SK_NOT_READY, 0x04, 0x01, 0),
	[KTGT_SR_NOT_READY_INIT_REQUIRED] = E(SK_NOT_READY, 0x04, 0x02, 0),
	[KTGT_SR_NOT_READY_MANUAL_INTERVENTION] =
		E(SK_NOT_READY, 0x04, 0x03, 0),
	[KTGT_SR_NOT_READY_NO_MEDIUM] = E(SK_NOT_READY, 0x3a, 0, 0),
	[KTGT_SR_ABORTED_COMMAND] = E(SK_ABORTED_COMMAND, 0, 0, 0),
	[KTGT_SR_ABORTED_UNEXPECTED_UNSOL_DATA] =
		E(SK_ABORTED_COMMAND, 0x0c, 0x0c, 0),
	[KTGT_SR_ABORTED_NOT_ENOUGH_UNSOL_DATA] =
		E(SK_ABORTED_COMMAND, 0x0c, 0x0d, 0),
	[KTGT_SR_ABORTED_CRC_ERROR] = E(SK_ABORTED_COMMAND, 0x47, 0x05, 0),
	[KTGT_SR_ABORTED_SNACK_REJECTED] = E(SK_ABORTED_COMMAND, 0x11, 0x13, 0),
	[KTGT_SR_ABORTED_INVALID_MESSAGE] = E(SK_ABORTED_COMMAND, 0x49, 0, 0),
	[KTGT_SR_INTERNAL_ERROR] = E(SK_HARDWARE_ERROR, 0x44, 0, 0),
	[KTGT_SR_INVALID_RELEASE_OF_PR] = E(SK_ILLEGAL_REQUEST, 0x26, 0x04, 0),
	/* SAM-5 5.3.1: RESERVATION CONFLICT status comes without sense */
	[KTGT_SR_RESERVATION_CONFLICT] =
		E(SK_NO_SENSE, 0, 0, KTGT_SENSE_F_STATUS),
	[KTGT_SR_UA_POWER_ON_RESET] = E(SK_UNIT_ATTENTION, 0x29, 0, 0),
	[KTGT_SR_UA_POWER_ON] = E(SK_UNIT_ATTENTION, 0x29, 0x01, 0),
	[KTGT_SR_UA_BUS_RESET] = E(SK_UNIT_ATTENTION, 0x29, 0x02, 0),
	[KTGT_SR_UA_DEVICE_RESET] = E(SK_UNIT_ATTENTION, 0x29, 0x03, 0),
	[KTGT_SR_UA_NEXUS_LOSS] = E(SK_UNIT_ATTENTION, 0x29, 0x07, 0),
	[KTGT_SR_UA_COMMANDS_CLEARED] = E(SK_UNIT_ATTENTION, 0x2f, 0, 0),
	[KTGT_SR_UA_MODE_PARAMS_CHANGED] = E(SK_UNIT_ATTENTION, 0x2a, 0x01, 0),
	[KTGT_SR_UA_RESERVATIONS_PREEMPTED] =
		E(SK_UNIT_ATTENTION, 0x2a, 0x03, 0),
	[KTGT_SR_UA_RESERVATIONS_RELEASED] =
		E(SK_UNIT_ATTENTION, 0x2a, 0x04, 0),
	[KTGT_SR_UA_REGISTRATIONS_PREEMPTED] =
		E(SK_UNIT_ATTENTION, 0x2a, 0x05, 0),
	[KTGT_SR_UA_ALUA_STATE_CHANGED] = E(SK_UNIT_ATTENTION, 0x2a, 0x06, 0),
	[KTGT_SR_UA_CAPACITY_CHANGED] = E(SK_UNIT_ATTENTION, 0x2a, 0x09, 0),
	[KTGT_SR_UA_INQUIRY_DATA_CHANGED] = E(SK_UNIT_ATTENTION, 0x3f, 0x03, 0),
	[KTGT_SR_UA_REPORTED_LUNS_CHANGED] =
		E(SK_UNIT_ATTENTION, 0x3f, 0x0e, 0),
};

const struct ktgt_sense_entry *ktgt_sense_lookup(enum ktgt_sense_reason r)
{
	if ((unsigned int)r >= KTGT_SR__COUNT)
		return &ktgt_sense_table[KTGT_SR_OK];
	return &ktgt_sense_table[r];
}

u8 ktgt_sense_status(enum ktgt_sense_reason r)
{
	if (r == KTGT_SR_OK)
		return KTGT_SAM_STAT_GOOD;
	if (ktgt_sense_lookup(r)->flags & KTGT_SENSE_F_STATUS)
		return KTGT_SAM_STAT_RESERVATION_CONFLICT;
	return KTGT_SAM_STAT_CHECK_CONDITION;
}

/* Sense-key specific bytes (SPC-4 4.5.2.4.2) for a field pointer. */
static bool sense_sks(const struct ktgt_sense_entry *e,
		      const struct ktgt_sense_info *si, u8 sks[3])
{
	if (!si || !(si->flags & KTGT_SI_FIELD) ||
	    !(e->flags & (KTGT_SENSE_F_SKS_CDB | KTGT_SENSE_F_SKS_PARAM)))
		return false;
	sks[0] = 0x80;				/* SKSV */
	if (e->flags & KTGT_SENSE_F_SKS_CDB)
		sks[0] |= 0x40;			/* C/D */
	if (si->flags & KTGT_SI_BIT)
		sks[0] |= 0x08 | (si->bit & 7);	/* BPV, bit pointer */
	put_unaligned_be16(si->field, &sks[1]);
	return true;
}

unsigned int ktgt_sense_build(enum ktgt_sense_reason reason,
			      const struct ktgt_sense_info *si, bool desc,
			      u8 *buf, unsigned int size)
{
	const struct ktgt_sense_entry *e;
	u8 tmp[KTGT_SENSE_MAX_LEN];
	u8 sks[3];
	bool info, has_sks;
	unsigned int n;

	if (reason == KTGT_SR_OK || (unsigned int)reason >= KTGT_SR__COUNT)
		return 0;
	e = &ktgt_sense_table[reason];
	if (e->flags & KTGT_SENSE_F_STATUS)
		return 0;
	info = si && (si->flags & KTGT_SI_INFO) &&
	       (e->flags & KTGT_SENSE_F_INFO);
	has_sks = sense_sks(e, si, sks);
	memset(tmp, 0, sizeof(tmp));

	if (desc) {
		tmp[0] = 0x72;
		tmp[1] = e->key;
		tmp[2] = e->asc;
		tmp[3] = e->ascq;
		n = 8;
		if (info) {
			tmp[n] = 0x00;	/* information descriptor */
			tmp[n + 1] = 0x0a;
			tmp[n + 2] = 0x80;	/* VALID */
			put_unaligned_be64(si->info, &tmp[n + 4]);
			n += 12;
		}
		if (has_sks) {
			tmp[n] = 0x02;		/* sense key specific */
			tmp[n + 1] = 0x06;
			memcpy(&tmp[n + 4], sks, 3);
			n += 8;
		}
		tmp[7] = n - 8;
	} else {
		tmp[0] = 0x70;
		tmp[2] = e->key;
		/* the 4-byte INFORMATION field: VALID only if it fits */
		if (info && si->info <= 0xffffffffULL) {
			tmp[0] |= 0x80;
			put_unaligned_be32((u32)si->info, &tmp[3]);
		}
		tmp[7] = KTGT_SENSE_FIXED_LEN - 8;
		tmp[12] = e->asc;
		tmp[13] = e->ascq;
		if (has_sks)
			memcpy(&tmp[15], sks, 3);
		n = KTGT_SENSE_FIXED_LEN;
	}
	if (n > size)
		n = size;
	memcpy(buf, tmp, n);
	return n;
}

static bool sr_is_ua(enum ktgt_sense_reason r)
{
	return r >= KTGT_SR_UA_FIRST && r <= KTGT_SR_UA_LAST;
}

void ktgt_scsi_ua_set(struct ktgt_scsi_ua *ua, enum ktgt_sense_reason r)
{
	BUILD_BUG_ON(KTGT_SR_UA_LAST - KTGT_SR_UA_FIRST >= 32);
	if (sr_is_ua(r))
		ua->pending |= 1u << (r - KTGT_SR_UA_FIRST);
}

void ktgt_scsi_ua_clear(struct ktgt_scsi_ua *ua, enum ktgt_sense_reason r)
{
	if (sr_is_ua(r))
		ua->pending &= ~(1u << (r - KTGT_SR_UA_FIRST));
}

enum ktgt_sense_reason ktgt_scsi_ua_pop(struct ktgt_scsi_ua *ua)
{
	unsigned int i;

	if (!ua || !ua->pending)
		return KTGT_SR_OK;
	for (i = 0; i <= KTGT_SR_UA_LAST - KTGT_SR_UA_FIRST; i++) {
		if (ua->pending & (1u << i)) {
			ua->pending &= ~(1u << i);
			return (enum ktgt_sense_reason)(KTGT_SR_UA_FIRST + i);
		}
	}
	ua->pending = 0;
	return KTGT_SR_OK;
}

enum ktgt_sense_reason ktgt_scsi_ua_check(struct ktgt_scsi_ua *ua,
					  const u8 *cdb, unsigned int cdb_len)
{
	if (!ua || !ua->pending || !cdb_len)
		return KTGT_SR_OK;
	switch (cdb[0]) {
	case KTGT_SCSI_OP_INQUIRY:
	case KTGT_SCSI_OP_REPORT_LUNS:
	case KTGT_SCSI_OP_REQUEST_SENSE:
		return KTGT_SR_OK;
	default:
		return ktgt_scsi_ua_pop(ua);
	}
}
