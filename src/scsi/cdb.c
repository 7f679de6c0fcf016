// SPDX-License-Identifier: GPL-2.0
/*
 * CDB decoding. One table, ktgt_scsi_ops[], lists every supported command
 * with its CDB usage data; the usage data both drives the reserved-bit
 * checks in ktgt_scsi_parse() and is what REPORT SUPPORTED OPERATION
 * CODES returns, so the two cannot drift apart.
 */
#include <ktgt/scsi/scsi.h>
#include <ktgt/scsi/internal.h>

#define U32_LIMIT	0xffffffffULL

unsigned int ktgt_scsi_block_shift(u32 block_size)
{
	unsigned int s;

	for (s = 9; s <= 16; s++)
		if (block_size == 1u << s)
			return s;
	return 0;
}

static enum ktgt_sense_reason bad_field(struct ktgt_scsi_cmd *cmd,
					unsigned int byte, int bit)
{
	ktgt_sense_field(&cmd->sense, byte, bit);
	return KTGT_SR_INVALID_FIELD_IN_CDB;
}

/* lba + nr must not pass the end of the medium (nor wrap). */
static bool lba_ok(const struct ktgt_scsi_dev *dev, u64 lba, u64 nr)
{
	return lba <= dev->nr_blocks && nr <= dev->nr_blocks - lba;
}

/* Where the LBA and the length live, by CDB size. */
static void decode_lba_len(const u8 *cdb, unsigned int len, u64 *lba,
			   u32 *nr, unsigned int *nr_off)
{
	switch (len) {
	case 6:
		*lba = get_unaligned_be24(&cdb[1]) & 0x1fffff;
		*nr = cdb[4];
		*nr_off = 4;
		break;
	case 10:
		*lba = get_unaligned_be32(&cdb[2]);
		*nr = get_unaligned_be16(&cdb[7]);
		*nr_off = 7;
		break;
	case 12:
		*lba = get_unaligned_be32(&cdb[2]);
		*nr = get_unaligned_be32(&cdb[6]);
		*nr_off = 6;
		break;
	default:
		*lba = get_unaligned_be64(&cdb[2]);
		*nr = get_unaligned_be32(&cdb[10]);
		*nr_off = 10;
		break;
	}
}

static void set_data(struct ktgt_scsi_cmd *cmd, u8 kind, u8 dir, u32 len)
{
	cmd->kind = kind;
	cmd->dir = len ? dir : KTGT_SCSI_DIR_NONE;
	cmd->data_len = len;
}

/* READ, WRITE, WRITE AND VERIFY, VERIFY (all sizes). */
static enum ktgt_sense_reason parse_rw(const struct ktgt_scsi_dev *dev,
				       const struct ktgt_scsi_opdesc *op,
				       struct ktgt_scsi_cmd *cmd)
{
	const u8 *cdb = cmd->cdb;
	unsigned int shift = ktgt_scsi_block_shift(dev->block_size);
	unsigned int nr_off;
	u64 lba, bytes;
	u32 nr;
	u8 kind, dir = KTGT_SCSI_DIR_OUT;
	bool write = false;

	decode_lba_len(cdb, op->cdb_len, &lba, &nr, &nr_off);
	if (op->cdb_len == 6 && nr == 0)
		nr = 256;
	if (op->cdb_len != 6) {
		cmd->dpo = !!(cdb[1] & 0x10);
		cmd->fua = !!(cdb[1] & 0x08);
	}
	switch (op->opcode) {
	case KTGT_SCSI_OP_READ_6:
	case KTGT_SCSI_OP_READ_10:
	case KTGT_SCSI_OP_READ_12:
	case KTGT_SCSI_OP_READ_16:
		kind = KTGT_SCSI_K_READ;
		dir = KTGT_SCSI_DIR_IN;
		break;
	case KTGT_SCSI_OP_WRITE_6:
	case KTGT_SCSI_OP_WRITE_10:
	case KTGT_SCSI_OP_WRITE_12:
	case KTGT_SCSI_OP_WRITE_16:
		kind = KTGT_SCSI_K_WRITE;
		write = true;
		break;
	case KTGT_SCSI_OP_WRITE_VERIFY_10:
	case KTGT_SCSI_OP_WRITE_VERIFY_12:
	case KTGT_SCSI_OP_WRITE_VERIFY_16:
		kind = KTGT_SCSI_K_WRITE_VERIFY;
		cmd->bytchk = (cdb[1] >> 1) & 1;
		write = true;
		break;
	default: /* VERIFY */
		cmd->bytchk = (cdb[1] >> 1) & 3;
		if (cmd->bytchk == 2)
			return bad_field(cmd, 1, 2);
		kind = cmd->bytchk ? KTGT_SCSI_K_COMPARE : KTGT_SCSI_K_VERIFY;
		break;
	}
	if (dev->max_xfer_blocks && nr > dev->max_xfer_blocks &&
	    kind != KTGT_SCSI_K_VERIFY)
		return bad_field(cmd, nr_off, -1);
	bytes = (u64)nr << shift;
	if (cmd->bytchk == 3)
		bytes = nr ? dev->block_size : 0;
	else if (kind == KTGT_SCSI_K_VERIFY)
		bytes = 0;
	if (bytes > U32_LIMIT)
		return bad_field(cmd, nr_off, -1);
	if (write && dev->read_only)
		return KTGT_SR_WRITE_PROTECTED;
	if (!lba_ok(dev, lba, nr))
		return KTGT_SR_LBA_OUT_OF_RANGE;
	cmd->lba = lba;
	cmd->nr_blocks = nr;
	set_data(cmd, kind, dir, (u32)bytes);
	return KTGT_SR_OK;
}

static enum ktgt_sense_reason parse_sync(const struct ktgt_scsi_dev *dev,
					 const struct ktgt_scsi_opdesc *op,
					 struct ktgt_scsi_cmd *cmd)
{
	unsigned int nr_off;
	u64 lba;
	u32 nr;

	decode_lba_len(cmd->cdb, op->cdb_len, &lba, &nr, &nr_off);
	cmd->immed = !!(cmd->cdb[1] & 0x02);
	/* NUMBER OF LOGICAL BLOCKS 0: from lba to the end */
	if (!lba_ok(dev, lba, nr) || (!nr && lba >= dev->nr_blocks))
		return KTGT_SR_LBA_OUT_OF_RANGE;
	cmd->lba = lba;
	cmd->nr_blocks = nr;
	set_data(cmd, KTGT_SCSI_K_SYNC_CACHE, KTGT_SCSI_DIR_NONE, 0);
	return KTGT_SR_OK;
}

static enum ktgt_sense_reason parse_ws(const struct ktgt_scsi_dev *dev,
				       const struct ktgt_scsi_opdesc *op,
				       struct ktgt_scsi_cmd *cmd)
{
	unsigned int nr_off;
	u64 lba;
	u32 nr;

	decode_lba_len(cmd->cdb, op->cdb_len, &lba, &nr, &nr_off);
	cmd->ndob = op->cdb_len == 16 && (cmd->cdb[1] & 0x01);
	/*
	 * WSNZ=0 in the Block Limits page: 0 blocks means from the LBA to
	 * the end of the medium (SBC-3 5.42), within the same limits as
	 * an explicit count.
	 */
	if (!nr) {
		if (lba >= dev->nr_blocks)
			return KTGT_SR_LBA_OUT_OF_RANGE;
		if (dev->nr_blocks - lba > U32_LIMIT)
			return bad_field(cmd, nr_off, -1);
		nr = dev->nr_blocks - lba;
	}
	if (dev->max_ws_blocks && nr > dev->max_ws_blocks)
		return bad_field(cmd, nr_off, -1);
	if (dev->read_only)
		return KTGT_SR_WRITE_PROTECTED;
	if (!lba_ok(dev, lba, nr))
		return KTGT_SR_LBA_OUT_OF_RANGE;
	/* UNMAP without can_unmap was refused by the usage data */
	cmd->unmap = cmd->cdb[1] & 0x08;
	cmd->lba = lba;
	cmd->nr_blocks = nr;
	set_data(cmd, KTGT_SCSI_K_WRITE_SAME, KTGT_SCSI_DIR_OUT,
		 cmd->ndob ? 0 : dev->block_size);
	return KTGT_SR_OK;
}

static enum ktgt_sense_reason parse_unmap(const struct ktgt_scsi_dev *dev,
					  const struct ktgt_scsi_opdesc *op,
					  struct ktgt_scsi_cmd *cmd)
{
	u16 len = get_unaligned_be16(&cmd->cdb[7]);

	if (dev->read_only)
		return KTGT_SR_WRITE_PROTECTED;
	/* a parameter list shorter than its 8-byte header */
	if (len && len < 8)
		return KTGT_SR_PARAM_LIST_LENGTH_ERROR;
	set_data(cmd, KTGT_SCSI_K_UNMAP, KTGT_SCSI_DIR_OUT, len);
	return KTGT_SR_OK;
}

static enum ktgt_sense_reason parse_nodata(const struct ktgt_scsi_dev *dev,
					   const struct ktgt_scsi_opdesc *op,
					   struct ktgt_scsi_cmd *cmd)
{
	const u8 *cdb = cmd->cdb;

	switch (op->opcode) {
	case KTGT_SCSI_OP_PREVENT_ALLOW:
		/* 10b and 11b are for medium changers */
		if (cdb[4] & 0x02)
			return bad_field(cmd, 4, 1);
		cmd->prevent = cdb[4] & 0x01;
		break;
	case KTGT_SCSI_OP_START_STOP_UNIT:
		cmd->immed = cdb[1] & 0x01;
		/*
		 * SBC-3 5.25: a POWER CONDITION other than 0 makes LOEJ and
		 * START ignored. Only a removable medium moves; on a fixed
		 * disk LOEJ has nothing to do.
		 */
		cmd->start = cdb[4] & 0x01;
		cmd->load_eject = dev->removable && !(cdb[4] >> 4) &&
				  (cdb[4] & 0x02);
		break;
	}
	set_data(cmd, KTGT_SCSI_K_NO_DATA, KTGT_SCSI_DIR_NONE, 0);
	return KTGT_SR_OK;
}

/* Commands answered from emulated data: take the allocation length. */
static enum ktgt_sense_reason parse_in(const struct ktgt_scsi_dev *dev,
				       const struct ktgt_scsi_opdesc *op,
				       struct ktgt_scsi_cmd *cmd)
{
	const u8 *cdb = cmd->cdb;
	u32 alloc;

	switch (op->opcode) {
	case KTGT_SCSI_OP_INQUIRY:
		if (!(cdb[1] & 0x01) && cdb[2])
			return bad_field(cmd, 2, -1);
		alloc = get_unaligned_be16(&cdb[3]);
		break;
	case KTGT_SCSI_OP_REQUEST_SENSE:
		alloc = cdb[4];
		break;
	case KTGT_SCSI_OP_MODE_SENSE_6:
	case KTGT_SCSI_OP_MODE_SENSE_10:
		if ((cdb[2] >> 6) == 3)
			return KTGT_SR_SAVING_PARAMS_UNSUP;
		alloc = op->cdb_len == 6 ? cdb[4] :
			get_unaligned_be16(&cdb[7]);
		break;
	case KTGT_SCSI_OP_READ_CAPACITY_10:
		if (!(cdb[8] & 0x01) && get_unaligned_be32(&cdb[2]))
			return bad_field(cmd, 2, -1);
		alloc = 8;
		break;
	case KTGT_SCSI_OP_SERVICE_ACTION_IN_16:	/* READ CAPACITY(16) */
		if (!(cdb[14] & 0x01) && get_unaligned_be64(&cdb[2]))
			return bad_field(cmd, 2, -1);
		alloc = get_unaligned_be32(&cdb[10]);
		break;
	case KTGT_SCSI_OP_REPORT_LUNS:
		if (cdb[2] > 2)
			return bad_field(cmd, 2, -1);
		alloc = get_unaligned_be32(&cdb[6]);
		if (alloc < 16)
			return bad_field(cmd, 6, -1);
		break;
	default:	/* REPORT SUPPORTED OPERATION CODES */
		alloc = get_unaligned_be32(&cdb[6]);
		break;
	}
	set_data(cmd, KTGT_SCSI_K_EMUL_IN, KTGT_SCSI_DIR_IN, alloc);
	return KTGT_SR_OK;
}

static enum ktgt_sense_reason
parse_mode_select(const struct ktgt_scsi_dev *dev,
		  const struct ktgt_scsi_opdesc *op, struct ktgt_scsi_cmd *cmd)
{
	u32 len = op->cdb_len == 6 ? cmd->cdb[4] :
		  get_unaligned_be16(&cmd->cdb[7]);

	set_data(cmd, KTGT_SCSI_K_EMUL_OUT, KTGT_SCSI_DIR_OUT, len);
	return KTGT_SR_OK;
}

static enum ktgt_sense_reason parse_rsoc(const struct ktgt_scsi_dev *dev,
					 const struct ktgt_scsi_opdesc *op,
					 struct ktgt_scsi_cmd *cmd);

#define RW_FLAGS	0x18	/* DPO FUA; no xPROTECT, no FUA_NV */
#define VRF_FLAGS	0x16	/* DPO BYTCHK */
#define WV_FLAGS	0x12	/* DPO BYTCHK */
#define FF		0xff
#define NM		KTGT_OPF_NO_MEDIUM
#define NOLUN_NM	(KTGT_OPF_NOLUN | KTGT_OPF_NO_MEDIUM)

#define OP(code, sa_, len, fl, to, fn, ...)			\
	{ .opcode = (code), .sa = (sa_), .cdb_len = (len),	\
	  .flags = (fl), .timeout = (to), .parse = (fn),	\
	  .usage = { 0, __VA_ARGS__ } }

static const struct ktgt_scsi_opdesc ktgt_scsi_ops[] = {
	OP(KTGT_SCSI_OP_TEST_UNIT_READY, 0, 6, 0, 5, parse_nodata,
	   0, 0, 0, 0, 0),
	OP(KTGT_SCSI_OP_REQUEST_SENSE, 0, 6, NOLUN_NM, 5, parse_in,
	   0x01, 0, 0, 0xff, 0),
	OP(KTGT_SCSI_OP_READ_6, 0, 6, 0, 30, parse_rw, 0x1f, FF, FF, FF, 0),
	OP(KTGT_SCSI_OP_WRITE_6, 0, 6, 0, 30, parse_rw, 0x1f, FF, FF, FF, 0),
	OP(KTGT_SCSI_OP_INQUIRY, 0, 6, NOLUN_NM, 5, parse_in,
	   0x01, 0xff, 0xff, 0xff, 0),
	OP(KTGT_SCSI_OP_MODE_SELECT_6, 0, 6, NM, 5, parse_mode_select,
	   0x10, 0, 0, 0xff, 0),
	OP(KTGT_SCSI_OP_MODE_SENSE_6, 0, 6, NM, 5, parse_in,
	   0x08, 0xff, 0xff, 0xff, 0),
	OP(KTGT_SCSI_OP_START_STOP_UNIT, 0, 6, NM, 30, parse_nodata,
	   0x01, 0, 0x0f, 0xf7, 0),
	OP(KTGT_SCSI_OP_PREVENT_ALLOW, 0, 6, NM, 5, parse_nodata,
	   0, 0, 0, 0x03, 0),
	OP(KTGT_SCSI_OP_READ_CAPACITY_10, 0, 10, 0, 5, parse_in,
	   0, FF, FF, FF, FF, 0, 0, 0x01, 0),
	OP(KTGT_SCSI_OP_READ_10, 0, 10, 0, 30, parse_rw,
	   RW_FLAGS, FF, FF, FF, FF, 0, 0xff, 0xff, 0),
	OP(KTGT_SCSI_OP_WRITE_10, 0, 10, 0, 30, parse_rw,
	   RW_FLAGS, FF, FF, FF, FF, 0, 0xff, 0xff, 0),
	OP(KTGT_SCSI_OP_WRITE_VERIFY_10, 0, 10, 0, 30, parse_rw,
	   WV_FLAGS, FF, FF, FF, FF, 0, 0xff, 0xff, 0),
	OP(KTGT_SCSI_OP_VERIFY_10, 0, 10, 0, 30, parse_rw,
	   VRF_FLAGS, FF, FF, FF, FF, 0, 0xff, 0xff, 0),
	OP(KTGT_SCSI_OP_SYNC_CACHE_10, 0, 10, 0, 60, parse_sync,
	   0x02, FF, FF, FF, FF, 0, 0xff, 0xff, 0),
	OP(KTGT_SCSI_OP_WRITE_SAME_10, 0, 10, KTGT_OPF_UNMAP_BIT, 60, parse_ws,
	   0x08, FF, FF, FF, FF, 0, 0xff, 0xff, 0),
	OP(KTGT_SCSI_OP_UNMAP, 0, 10, KTGT_OPF_UNMAP, 60, parse_unmap,
	   0, 0, 0, 0, 0, 0, 0xff, 0xff, 0),
	OP(KTGT_SCSI_OP_MODE_SELECT_10, 0, 10, NM, 5, parse_mode_select,
	   0x10, 0, 0, 0, 0, 0, 0xff, 0xff, 0),
	OP(KTGT_SCSI_OP_MODE_SENSE_10, 0, 10, NM, 5, parse_in,
	   0x18, 0xff, 0xff, 0, 0, 0, 0xff, 0xff, 0),
	OP(KTGT_SCSI_OP_READ_16, 0, 16, 0, 30, parse_rw,
	   RW_FLAGS, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),
	OP(KTGT_SCSI_OP_WRITE_16, 0, 16, 0, 30, parse_rw,
	   RW_FLAGS, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),
	OP(KTGT_SCSI_OP_WRITE_VERIFY_16, 0, 16, 0, 30, parse_rw,
	   WV_FLAGS, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),
	OP(KTGT_SCSI_OP_VERIFY_16, 0, 16, 0, 30, parse_rw,
	   VRF_FLAGS, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),
	OP(KTGT_SCSI_OP_SYNC_CACHE_16, 0, 16, 0, 60, parse_sync,
	   0x02, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),
	OP(KTGT_SCSI_OP_WRITE_SAME_16, 0, 16, KTGT_OPF_UNMAP_BIT, 60, parse_ws,
	   0x09, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),
	OP(KTGT_SCSI_OP_SERVICE_ACTION_IN_16, KTGT_SAI_READ_CAPACITY_16, 16,
	   KTGT_OPF_SA, 5, parse_in,
	   KTGT_SAI_READ_CAPACITY_16, FF, FF, FF, FF, FF, FF, FF, FF,
	   FF, FF, FF, FF, 0x01, 0),
	OP(KTGT_SCSI_OP_REPORT_LUNS, 0, 12, NOLUN_NM, 5, parse_in,
	   0, 0xff, 0, 0, 0, FF, FF, FF, FF, 0, 0),
	OP(KTGT_SCSI_OP_MAINTENANCE_IN, KTGT_MI_REPORT_SUPPORTED_OPCODES, 12,
	   KTGT_OPF_SA | NM, 5, parse_rsoc,
	   KTGT_MI_REPORT_SUPPORTED_OPCODES, 0x87, FF, FF, FF,
	   FF, FF, FF, FF,
	   0, 0),
	OP(KTGT_SCSI_OP_READ_12, 0, 12, 0, 30, parse_rw,
	   RW_FLAGS, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),
	OP(KTGT_SCSI_OP_WRITE_12, 0, 12, 0, 30, parse_rw,
	   RW_FLAGS, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),
	OP(KTGT_SCSI_OP_WRITE_VERIFY_12, 0, 12, 0, 30, parse_rw,
	   WV_FLAGS, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),
	OP(KTGT_SCSI_OP_VERIFY_12, 0, 12, 0, 30, parse_rw,
	   VRF_FLAGS, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0),
};

/* CDB usage byte @i of @op for @dev */
static u8 op_usage(const struct ktgt_scsi_dev *dev,
		   const struct ktgt_scsi_opdesc *op, unsigned int i)
{
	u8 u = op->usage[i];

	if (i == 0)
		return op->opcode;
	/* WRITE SAME UNMAP bit: only with LBPWS */
	if (i == 1 && (op->flags & KTGT_OPF_UNMAP_BIT) &&
	    (!dev || !dev->can_unmap))
		u &= ~0x08;
	return u;
}

static bool op_visible(const struct ktgt_scsi_dev *dev,
		       const struct ktgt_scsi_opdesc *op)
{
	if (!dev)
		return op->flags & KTGT_OPF_NOLUN;
	if ((op->flags & KTGT_OPF_UNMAP) && !dev->can_unmap)
		return false;
	return true;
}

/*
 * Look @opcode/@sa up. Returns the entry, or NULL with *@has_sa telling
 * whether the opcode exists with other service actions.
 */
static const struct ktgt_scsi_opdesc *op_find(const struct ktgt_scsi_dev *dev,
					      u8 opcode, u8 sa, bool *has_sa)
{
	unsigned int i;

	*has_sa = false;
	for (i = 0; i < ARRAY_SIZE(ktgt_scsi_ops); i++) {
		const struct ktgt_scsi_opdesc *op = &ktgt_scsi_ops[i];

		if (op->opcode != opcode || !op_visible(dev, op))
			continue;
		if (!(op->flags & KTGT_OPF_SA))
			return op;
		*has_sa = true;
		if (op->sa == sa)
			return op;
	}
	return NULL;
}

static bool opcode_has_sa(u8 opcode)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ktgt_scsi_ops); i++)
		if (ktgt_scsi_ops[i].opcode == opcode)
			return ktgt_scsi_ops[i].flags & KTGT_OPF_SA;
	return false;
}

static unsigned int cdb_group_len(u8 opcode)
{
	switch (opcode >> 5) {
	case 0:
		return 6;
	case 1:
	case 2:
		return 10;
	case 4:
		return 16;
	case 5:
		return 12;
	default:
		return 0;
	}
}

enum ktgt_sense_reason ktgt_scsi_parse(const struct ktgt_scsi_dev *dev,
				       const u8 *cdb, unsigned int cdb_len,
				       struct ktgt_scsi_cmd *out)
{
	const struct ktgt_scsi_opdesc *op;
	unsigned int i, n;
	bool has_sa;
	u8 mask, bad;

	memset(out, 0, sizeof(*out));
	if (!cdb_len)
		return KTGT_SR_CDB_TOO_SHORT;
	n = min_t(unsigned int, cdb_len, KTGT_SCSI_MAX_CDB);
	memcpy(out->cdb, cdb, n);
	out->opcode = cdb[0];
	out->cdb_len = cdb_group_len(cdb[0]);
	if (dev && (!ktgt_scsi_block_shift(dev->block_size)))
		return KTGT_SR_INTERNAL_ERROR;

	op = op_find(dev, cdb[0], n > 1 ? cdb[1] & 0x1f : 0, &has_sa);
	if (!op) {
		if (!dev)
			return KTGT_SR_LUN_NOT_SUPPORTED;
		if (has_sa)
			return bad_field(out, 1, 4);
		return KTGT_SR_INVALID_OPCODE;
	}
	out->cdb_len = op->cdb_len;
	if (cdb_len < op->cdb_len)
		return KTGT_SR_CDB_TOO_SHORT;
	if (op->flags & KTGT_OPF_SA)
		out->sa = op->sa;

	/* reserved and unsupported bits, control byte last */
	for (i = 1; i < op->cdb_len - 1U; i++) {
		mask = op_usage(dev, op, i);
		if (i == 1 && (op->flags & KTGT_OPF_SA))
			mask |= 0x1f;
		bad = cdb[i] & ~mask;
		if (bad)
			return bad_field(out, i, ktgt_scsi_high_bit(bad));
	}
	/* CONTROL: reserved, NACA unsupported, obsolete; vendor ignored */
	bad = cdb[op->cdb_len - 1] & 0x3f;
	if (bad)
		return bad_field(out, op->cdb_len - 1, ktgt_scsi_high_bit(bad));
	/* With the medium out only what does not touch it runs. */
	if (dev && dev->no_medium && !(op->flags & KTGT_OPF_NO_MEDIUM))
		return KTGT_SR_NOT_READY_NO_MEDIUM;

	return op->parse(dev, op, out);
}

/* REPORT SUPPORTED OPERATION CODES (SPC-4 6.35) */

static enum ktgt_sense_reason parse_rsoc(const struct ktgt_scsi_dev *dev,
					 const struct ktgt_scsi_opdesc *op,
					 struct ktgt_scsi_cmd *cmd)
{
	u8 rep = cmd->cdb[2] & 0x07;
	bool has_sa;

	switch (rep) {
	case 0:
	case 3:
		break;
	case 1:		/* opcode only: not for one with SAs */
		if (opcode_has_sa(cmd->cdb[3]))
			return bad_field(cmd, 3, -1);
		break;
	case 2:		/* opcode + SA: not for a plain one */
		if (!opcode_has_sa(cmd->cdb[3]) &&
		    op_find(dev, cmd->cdb[3], 0, &has_sa))
			return bad_field(cmd, 3, -1);
		break;
	default:
		return bad_field(cmd, 2, 2);
	}
	set_data(cmd, KTGT_SCSI_K_EMUL_IN, KTGT_SCSI_DIR_IN,
		 get_unaligned_be32(&cmd->cdb[6]));
	return KTGT_SR_OK;
}

static void rsoc_timeouts(struct ktgt_wbuf *w, u32 off,
			  const struct ktgt_scsi_opdesc *op)
{
	ktgt_wb_be16(w, off, 0x0a);
	/* nominal: unspecified (0); recommended timeout */
	ktgt_wb_be32(w, off + 8, op->timeout);
}

u32 ktgt_scsi_emul_rsoc(const struct ktgt_scsi_dev *dev,
			const struct ktgt_scsi_cmd *cmd, struct ktgt_wbuf *w)
{
	const struct ktgt_scsi_opdesc *op;
	bool rctd = cmd->cdb[2] & 0x80;
	u8 rep = cmd->cdb[2] & 0x07;
	u16 sa = get_unaligned_be16(&cmd->cdb[4]);
	bool has_sa;
	unsigned int i;
	u32 off;

	if (rep == 0) {
		off = 4;
		for (i = 0; i < ARRAY_SIZE(ktgt_scsi_ops); i++) {
			op = &ktgt_scsi_ops[i];
			if (!op_visible(dev, op))
				continue;
			ktgt_wb_u8(w, off, op->opcode);
			if (op->flags & KTGT_OPF_SA)
				ktgt_wb_be16(w, off + 2, op->sa);
			ktgt_wb_u8(w, off + 5, (rctd ? 0x02 : 0) |
				   (op->flags & KTGT_OPF_SA ? 0x01 : 0));
			ktgt_wb_be16(w, off + 6, op->cdb_len);
			off += 8;
			if (rctd) {
				rsoc_timeouts(w, off, op);
				off += 12;
			}
		}
		ktgt_wb_be32(w, 0, off - 4);
		return off;
	}

	/* SAs are 5 bits: 0xff matches none; plain opcodes ignore it */
	op = op_find(dev, cmd->cdb[3], sa <= 0x1f ? (u8)sa : 0xff, &has_sa);
	if (op && rep == 2 && !(op->flags & KTGT_OPF_SA))
		op = NULL;
	if (!op) {
		ktgt_wb_u8(w, 1, 0x01);	/* SUPPORT: not supported */
		return 4;
	}
	ktgt_wb_u8(w, 1, (rctd ? 0x80 : 0) | 0x03);	/* per standard */
	ktgt_wb_be16(w, 2, op->cdb_len);
	for (i = 0; i < op->cdb_len; i++)
		ktgt_wb_u8(w, 4 + i, op_usage(dev, op, i));
	off = 4 + op->cdb_len;
	if (rctd) {
		rsoc_timeouts(w, off, op);
		off += 12;
	}
	return off;
}
