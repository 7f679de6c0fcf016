// SPDX-License-Identifier: GPL-2.0
/*
 * SBC-3 emulation: READ CAPACITY, UNMAP parameter lists, VERIFY compare,
 * WRITE SAME unmap decision.
 */
#include <ktgt/scsi/scsi.h>
#include <ktgt/scsi/internal.h>

#define UNMAP_HDR	8
#define UNMAP_DESC	16

u32 ktgt_scsi_emul_read_capacity(const struct ktgt_scsi_dev *dev,
				 const struct ktgt_scsi_cmd *cmd,
				 struct ktgt_wbuf *w)
{
	u64 last = dev->nr_blocks ? dev->nr_blocks - 1 : 0;
	u8 b14 = 0;

	if (cmd->opcode == KTGT_SCSI_OP_READ_CAPACITY_10) {
		ktgt_wb_be32(w, 0, last > 0xfffffffeULL ? 0xffffffff :
			     (u32)last);
		ktgt_wb_be32(w, 4, dev->block_size);
		return 8;
	}
	ktgt_wb_be64(w, 0, last);
	ktgt_wb_be32(w, 8, dev->block_size);
	ktgt_wb_u8(w, 13, dev->lbppbe & 0x0f);
	if (dev->can_unmap) {
		b14 = 0x80;				/* LBPME */
		if (dev->unmap_zeroes)
			b14 |= 0x40;			/* LBPRZ */
	}
	ktgt_wb_u8(w, 14, b14);
	return 32;
}

enum ktgt_sense_reason ktgt_scsi_unmap_check(const struct ktgt_scsi_dev *dev,
					     struct ktgt_scsi_cmd *cmd,
					     const u8 *buf, u32 len,
					     u32 *count)
{
	u32 bdl, n, i, nr, off;
	u64 lba;

	*count = 0;
	if (len > cmd->data_len)
		len = cmd->data_len;
	if (!len)
		return KTGT_SR_OK;
	if (len < UNMAP_HDR)
		return KTGT_SR_PARAM_LIST_LENGTH_ERROR;
	/*
	 * The UNMAP DATA LENGTH and BLOCK DESCRIPTOR DATA LENGTH fields may
	 * claim more than was sent: use what is there, whole descriptors.
	 */
	bdl = get_unaligned_be16(&buf[2]);
	if (bdl > len - UNMAP_HDR)
		bdl = len - UNMAP_HDR;
	n = bdl / UNMAP_DESC;
	if (dev->max_unmap_desc && n > dev->max_unmap_desc) {
		ktgt_sense_field(&cmd->sense, 2, -1);
		return KTGT_SR_INVALID_FIELD_IN_PARAM_LIST;
	}
	for (i = 0; i < n; i++) {
		off = UNMAP_HDR + i * UNMAP_DESC;
		lba = get_unaligned_be64(&buf[off]);
		nr = get_unaligned_be32(&buf[off + 8]);
		if (dev->max_unmap_blocks && nr > dev->max_unmap_blocks) {
			ktgt_sense_field(&cmd->sense, off + 8, -1);
			return KTGT_SR_INVALID_FIELD_IN_PARAM_LIST;
		}
		if (lba > dev->nr_blocks || nr > dev->nr_blocks - lba) {
			cmd->sense.info = lba;
			cmd->sense.flags = KTGT_SI_INFO;
			return KTGT_SR_LBA_OUT_OF_RANGE;
		}
	}
	*count = n;
	return KTGT_SR_OK;
}

void ktgt_scsi_unmap_desc(const u8 *buf, u32 i, u64 *lba, u32 *nr_blocks)
{
	const u8 *d = buf + UNMAP_HDR + i * UNMAP_DESC;

	*lba = get_unaligned_be64(d);
	*nr_blocks = get_unaligned_be32(d + 8);
}

enum ktgt_sense_reason ktgt_scsi_compare(const struct ktgt_scsi_dev *dev,
					 struct ktgt_scsi_cmd *cmd,
					 const u8 *media, const u8 *dataout,
					 u32 offset, u32 len)
{
	u32 bs = dev->block_size, i, j;

	if (cmd->bytchk == 3) {
		if (!bs || offset % bs || len % bs)
			return KTGT_SR_INTERNAL_ERROR;
		for (i = 0; i < len; i += bs) {
			if (!memcmp(media + i, dataout, bs))
				continue;
			for (j = 0; j < bs && media[i + j] == dataout[j]; j++)
				;
			cmd->sense.info = (u64)offset + i + j;
			cmd->sense.flags = KTGT_SI_INFO;
			return KTGT_SR_MISCOMPARE;
		}
		return KTGT_SR_OK;
	}
	if (!memcmp(media, dataout, len))
		return KTGT_SR_OK;
	for (i = 0; i < len && media[i] == dataout[i]; i++)
		;
	cmd->sense.info = (u64)offset + i;
	cmd->sense.flags = KTGT_SI_INFO;
	return KTGT_SR_MISCOMPARE;
}

bool ktgt_scsi_ws_use_unmap(const struct ktgt_scsi_dev *dev,
			    const struct ktgt_scsi_cmd *cmd)
{
	/* the UNMAP bit is refused by the usage data without can_unmap */
	return cmd->unmap && dev->can_unmap && dev->thin;
}
