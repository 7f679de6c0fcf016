// SPDX-License-Identifier: GPL-2.0
/*
 * SPC-4 emulation: INQUIRY and VPD pages, REPORT LUNS, MODE SENSE and
 * MODE SELECT, REQUEST SENSE, and the dispatcher for emulated commands.
 */
#include <ktgt/scsi/scsi.h>
#include <ktgt/scsi/internal.h>

/* Version descriptors (SPC-4 table 144) */
#define VD_SAM5		0x00a0
#define VD_ISCSI	0x0960
#define VD_SPC4		0x0460
#define VD_SBC3		0x04c0

#define STD_INQ_LEN	74	/* through the version descriptors */
#define ISCSI_NAME_MAX	223

void ktgt_wb_str(struct ktgt_wbuf *w, u32 off, const char *s, u32 width)
{
	u32 i;
	char c;

	for (i = 0; i < width; i++) {
		c = s ? s[0] : 0;
		if (c)
			s++;
		else
			c = ' ';
		if (c < 0x20 || c > 0x7e)
			c = '?';
		ktgt_wb_u8(w, off + i, (u8)c);
	}
}

void ktgt_scsi_lu_state_init(struct ktgt_scsi_lu_state *lu,
			     const struct ktgt_scsi_dev *dev)
{
	memset(lu, 0, sizeof(*lu));
	lu->wce = dev->write_cache;
}

int ktgt_scsi_lun_encode(u64 lun, u8 out[8])
{
	memset(out, 0, 8);
	if (lun > KTGT_SCSI_MAX_LUN)
		return -EINVAL;
	if (lun < 256) {
		out[1] = (u8)lun;		/* peripheral, bus 0 */
	} else {
		out[0] = 0x40 | (u8)(lun >> 8);	/* flat space */
		out[1] = (u8)lun;
	}
	return 0;
}

int ktgt_scsi_lun_decode(const u8 in[8], u64 *lun)
{
	unsigned int i;

	for (i = 2; i < 8; i++)
		if (in[i])
			return -EINVAL;
	switch (in[0] >> 6) {
	case 0:			/* peripheral device: bus must be 0 */
		if (in[0] & 0x3f)
			return -EINVAL;
		*lun = in[1];
		return 0;
	case 1:			/* flat space */
		*lun = (u64)(in[0] & 0x3f) << 8 | in[1];
		return 0;
	default:
		return -EINVAL;
	}
}

/* INQUIRY */

static u32 inq_standard(const struct ktgt_scsi_dev *dev, struct ktgt_wbuf *w)
{
	if (!dev) {
		/* SPC-4 6.6.2: no LU here; PQ 011b, type 1fh */
		ktgt_wb_u8(w, 0, 0x7f);
	} else if (dev->removable) {
		ktgt_wb_u8(w, 1, 0x80);	/* RMB */
	}
	ktgt_wb_u8(w, 2, 0x06);		/* SPC-4 */
	ktgt_wb_u8(w, 3, 0x12);		/* HISUP, RESPONSE DATA FMT 2 */
	ktgt_wb_u8(w, 4, STD_INQ_LEN - 5);
	ktgt_wb_u8(w, 7, 0x02);		/* CMDQUE */
	ktgt_wb_str(w, 8, dev ? dev->vendor : "KTGT", 8);
	ktgt_wb_str(w, 16, dev ? dev->product : NULL, 16);
	ktgt_wb_str(w, 32, dev ? dev->revision : NULL, 4);
	ktgt_wb_be16(w, 58, VD_SAM5);
	ktgt_wb_be16(w, 60, VD_ISCSI);
	ktgt_wb_be16(w, 62, VD_SPC4);
	ktgt_wb_be16(w, 64, VD_SBC3);
	return STD_INQ_LEN;
}

static const u8 vpd_pages[] = { 0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2 };

static bool vpd_supported(const struct ktgt_scsi_dev *dev, u8 page)
{
	unsigned int i;

	if (page == 0x80 && (!dev->serial || !dev->serial[0]))
		return false;
	for (i = 0; i < ARRAY_SIZE(vpd_pages); i++)
		if (vpd_pages[i] == page)
			return true;
	return false;
}

/* Designator header (SPC-4 7.8.6.1) at @off; returns bytes written. */
static u32 desig(struct ktgt_wbuf *w, u32 off, u8 proto_cs, u8 piv_assoc_type,
		 u8 len)
{
	ktgt_wb_u8(w, off, proto_cs);
	ktgt_wb_u8(w, off + 1, piv_assoc_type);
	ktgt_wb_u8(w, off + 3, len);
	return 4;
}

/* SCSI name string, NUL terminated and padded to a multiple of 4. */
static u32 name_desig(struct ktgt_wbuf *w, u32 off, u8 assoc,
		      const char *name, u16 tpgt, bool port)
{
	static const char hex[] = "0123456789abcdef";
	u32 n = strnlen(name, ISCSI_NAME_MAX), len, i;
	u8 t[9];

	len = n + (port ? 9 : 0) + 1;
	len = (len + 3) & ~3u;
	desig(w, off, 0x53, 0x80 | assoc | 0x08, (u8)len);
	ktgt_wb_mem(w, off + 4, name, n);
	if (port) {
		memcpy(t, ",t,0x", 5);
		for (i = 0; i < 4; i++)
			t[5 + i] = hex[(tpgt >> (12 - 4 * i)) & 0xf];
		ktgt_wb_mem(w, off + 4 + n, t, 9);
	}
	return 4 + len;
}

static u32 vpd_devid(const struct ktgt_scsi_dev *dev, struct ktgt_wbuf *w)
{
	u32 off = 4, n;
	u64 hi;

	/* NAA, logical unit */
	if (dev->naa_oui) {
		off += desig(w, off, 0x01, 0x03, 16);
		hi = 6ULL << 60 | (u64)(dev->naa_oui & 0xffffff) << 36 |
		     dev->naa_id >> 28;
		ktgt_wb_be64(w, off, hi);
		ktgt_wb_be64(w, off + 8, dev->naa_id);
		off += 16;
	} else {
		off += desig(w, off, 0x01, 0x03, 8);
		ktgt_wb_be64(w, off, 3ULL << 60 |
			     (dev->naa_id & 0x0fffffffffffffffULL));
		off += 8;
	}
	/* T10 vendor ID: vendor + serial */
	n = dev->serial ? strnlen(dev->serial, 200) : 0;
	off += desig(w, off, 0x02, 0x01, (u8)(8 + n));
	ktgt_wb_str(w, off, dev->vendor, 8);
	ktgt_wb_str(w, off + 8, dev->serial, n);
	off += 8 + n;
	/* relative target port, target port group (iSCSI, PIV) */
	off += desig(w, off, 0x51, 0x94, 4);
	ktgt_wb_be16(w, off + 2, dev->rel_port_id);
	off += 4;
	off += desig(w, off, 0x51, 0x95, 4);
	ktgt_wb_be16(w, off + 2, dev->port_group_id);
	off += 4;
	if (dev->target_name && dev->target_name[0]) {
		off += name_desig(w, off, 0x10, dev->target_name, dev->tpgt,
				  true);
		off += name_desig(w, off, 0x20, dev->target_name, 0, false);
	}
	ktgt_wb_be16(w, 2, (u16)(off - 4));
	return off;
}

static u32 vpd_block_limits(const struct ktgt_scsi_dev *dev,
			    struct ktgt_wbuf *w)
{
	ktgt_wb_be16(w, 2, 0x3c);
	ktgt_wb_u8(w, 4, 0x00);		/* WSNZ 0: 0 blocks = to the end */
	ktgt_wb_be16(w, 6, (u16)(1u << (dev->lbppbe & 15)));
	ktgt_wb_be32(w, 8, dev->max_xfer_blocks);
	ktgt_wb_be32(w, 12, dev->opt_xfer_blocks);
	if (dev->can_unmap) {
		ktgt_wb_be32(w, 20, dev->max_unmap_blocks);
		ktgt_wb_be32(w, 24, dev->max_unmap_desc);
		ktgt_wb_be32(w, 28, dev->unmap_granularity);
		ktgt_wb_be32(w, 32, 0x80000000u |
			     (dev->unmap_alignment & 0x7fffffff));
	}
	ktgt_wb_be64(w, 36, dev->max_ws_blocks);
	return 64;
}

static u32 vpd_bdc(struct ktgt_wbuf *w)
{
	ktgt_wb_be16(w, 2, 0x3c);
	ktgt_wb_be16(w, 4, 0x0001);			/* non-rotating */
	return 64;
}

static u32 vpd_lbp(const struct ktgt_scsi_dev *dev, struct ktgt_wbuf *w)
{
	ktgt_wb_be16(w, 2, 4);
	if (dev->can_unmap) {
		/* LBPU LBPWS LBPWS10 (LBPRZ) */
		ktgt_wb_u8(w, 5, 0xe0 | (dev->unmap_zeroes ? 0x04 : 0));
		ktgt_wb_u8(w, 6, dev->thin ? 0x02 : 0x00);
	}
	return 8;
}

static enum ktgt_sense_reason emul_inquiry(const struct ktgt_scsi_ctx *ctx,
					   struct ktgt_scsi_cmd *cmd,
					   struct ktgt_wbuf *w, u32 *total)
{
	const struct ktgt_scsi_dev *dev = ctx->dev;
	u8 page = cmd->cdb[2];
	unsigned int i, n;

	if (!(cmd->cdb[1] & 0x01)) {
		*total = inq_standard(dev, w);
		return KTGT_SR_OK;
	}
	if (!dev)
		return KTGT_SR_LUN_NOT_SUPPORTED;
	if (!vpd_supported(dev, page)) {
		ktgt_sense_field(&cmd->sense, 2, -1);
		return KTGT_SR_INVALID_FIELD_IN_CDB;
	}
	ktgt_wb_u8(w, 1, page);		/* byte 0: PQ 0, direct access */
	switch (page) {
	case 0x00:
		for (i = 0, n = 0; i < ARRAY_SIZE(vpd_pages); i++)
			if (vpd_supported(dev, vpd_pages[i]))
				ktgt_wb_u8(w, 4 + n++, vpd_pages[i]);
		ktgt_wb_be16(w, 2, (u16)n);
		*total = 4 + n;
		break;
	case 0x80:
		n = strnlen(dev->serial, 250);
		ktgt_wb_be16(w, 2, (u16)n);
		ktgt_wb_str(w, 4, dev->serial, n);
		*total = 4 + n;
		break;
	case 0x83:
		*total = vpd_devid(dev, w);
		break;
	case 0xb0:
		*total = vpd_block_limits(dev, w);
		break;
	case 0xb1:
		*total = vpd_bdc(w);
		break;
	default:
		*total = vpd_lbp(dev, w);
		break;
	}
	return KTGT_SR_OK;
}

/* REPORT LUNS */

static u32 emul_report_luns(const struct ktgt_scsi_ctx *ctx,
			    struct ktgt_scsi_cmd *cmd, struct ktgt_wbuf *w)
{
	u32 off = 8;
	unsigned int i;
	u8 l[8];

	if (cmd->cdb[2] != 1) {	/* 1: well known LUs only: none */
		for (i = 0; i < ctx->nr_luns; i++) {
			if (ktgt_scsi_lun_encode(ctx->luns[i], l))
				continue;
			ktgt_wb_mem(w, off, l, 8);
			off += 8;
		}
		if (off == 8)		/* always report at least LUN 0 */
			off += 8;
	}
	ktgt_wb_be32(w, 0, off - 8);
	if (ctx->ua)
		ktgt_scsi_ua_clear(ctx->ua, KTGT_SR_UA_REPORTED_LUNS_CHANGED);
	return off;
}

/* Mode pages (SPC-4 7.5, SBC-3 6.4) */

#define MP_RW_ERR	0x01
#define MP_CACHING	0x08
#define MP_CONTROL	0x0a
#define MP_ALL		0x3f

#define PC_CURRENT	0
#define PC_CHANGEABLE	1
#define PC_DEFAULT	2

static const u8 mode_pages[] = { MP_RW_ERR, MP_CACHING, MP_CONTROL };

static bool mode_page_known(u8 page)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mode_pages); i++)
		if (mode_pages[i] == page)
			return true;
	return false;
}

/* Writes page @page for @pc at @off; returns its length, 0 if unknown. */
static u32 mode_page(const struct ktgt_scsi_ctx *ctx, u8 page, u8 pc,
		     struct ktgt_wbuf *w, u32 off)
{
	const struct ktgt_scsi_dev *dev = ctx->dev;
	bool v;

	switch (page) {
	case MP_RW_ERR:
		ktgt_wb_u8(w, off, MP_RW_ERR);
		ktgt_wb_u8(w, off + 1, 0x0a);
		return 12;
	case MP_CACHING:
		ktgt_wb_u8(w, off, MP_CACHING);
		ktgt_wb_u8(w, off + 1, 0x12);
		if (pc == PC_CHANGEABLE)
			v = dev->wce_changeable;
		else if (pc == PC_DEFAULT)
			v = dev->write_cache;
		else
			v = ctx->lu->wce;
		ktgt_wb_u8(w, off + 2, v ? 0x04 : 0);		/* WCE */
		return 20;
	case MP_CONTROL:
		ktgt_wb_u8(w, off, MP_CONTROL);
		ktgt_wb_u8(w, off + 1, 0x0a);
		if (pc == PC_CHANGEABLE) {
			ktgt_wb_u8(w, off + 2, 0x04);	/* D_SENSE */
		} else {
			v = pc == PC_CURRENT && ctx->lu->d_sense;
			/* TST 001b: a task set per I_T nexus (taskset.c) */
			ktgt_wb_u8(w, off + 2, 0x20 | (v ? 0x04 : 0));
			ktgt_wb_u8(w, off + 3, 0x10);	/* QAM 1 */
		}
		return 12;
	default:
		return 0;
	}
}

static enum ktgt_sense_reason emul_mode_sense(const struct ktgt_scsi_ctx *ctx,
					      struct ktgt_scsi_cmd *cmd,
					      struct ktgt_wbuf *w, u32 *total)
{
	const struct ktgt_scsi_dev *dev = ctx->dev;
	const u8 *cdb = cmd->cdb;
	bool ten = cmd->opcode == KTGT_SCSI_OP_MODE_SENSE_10;
	bool dbd = cdb[1] & 0x08, llbaa = ten && (cdb[1] & 0x10);
	u8 pc = cdb[2] >> 6, page = cdb[2] & 0x3f, sub = cdb[3];
	u32 hdr = ten ? 8 : 4, bdl = 0, off, i;
	u64 nb = dev->nr_blocks;

	if (sub != 0 && sub != 0xff) {
		ktgt_sense_field(&cmd->sense, 3, -1);
		return KTGT_SR_INVALID_FIELD_IN_CDB;
	}
	if (page != MP_ALL && !mode_page_known(page)) {
		ktgt_sense_field(&cmd->sense, 2, 5);
		return KTGT_SR_INVALID_FIELD_IN_CDB;
	}
	/* block descriptor */
	if (!dbd) {
		if (llbaa) {
			bdl = 16;
			ktgt_wb_be64(w, hdr, nb);
			ktgt_wb_be32(w, hdr + 12, dev->block_size);
		} else {
			bdl = 8;
			ktgt_wb_be32(w, hdr, nb > 0xffffffffULL ?
				     0xffffffff : (u32)nb);
			ktgt_wb_be32(w, hdr + 4, dev->block_size & 0xffffff);
		}
	}
	off = hdr + bdl;
	if (page == MP_ALL) {
		for (i = 0; i < ARRAY_SIZE(mode_pages); i++)
			off += mode_page(ctx, mode_pages[i], pc, w, off);
	} else {
		off += mode_page(ctx, page, pc, w, off);
	}
	/* header: WP, DPOFUA in the device-specific parameter */
	if (ten) {
		ktgt_wb_be16(w, 0, (u16)(off - 2));
		ktgt_wb_u8(w, 3, (dev->read_only ? 0x80 : 0) | 0x10);
		ktgt_wb_u8(w, 4, llbaa && !dbd ? 0x01 : 0);
		ktgt_wb_be16(w, 6, (u16)bdl);
	} else {
		ktgt_wb_u8(w, 0, (u8)(off - 1));
		ktgt_wb_u8(w, 2, (dev->read_only ? 0x80 : 0) | 0x10);
		ktgt_wb_u8(w, 3, (u8)bdl);
	}
	*total = off;
	return KTGT_SR_OK;
}

static enum ktgt_sense_reason param_field(struct ktgt_scsi_cmd *cmd,
					  u32 byte, int bit)
{
	ktgt_sense_field(&cmd->sense, byte, bit);
	return KTGT_SR_INVALID_FIELD_IN_PARAM_LIST;
}

enum ktgt_sense_reason ktgt_scsi_emulate_out(const struct ktgt_scsi_ctx *ctx,
					     struct ktgt_scsi_cmd *cmd,
					     const u8 *buf, u32 len,
					     bool *changed)
{
	const struct ktgt_scsi_dev *dev = ctx->dev;
	struct ktgt_scsi_lu_state next;
	bool ten = cmd->opcode == KTGT_SCSI_OP_MODE_SELECT_10;
	u32 hdr = ten ? 8 : 4, bdl, off, plen, i, n;
	u8 cur[20], chg[20], diff, page;
	struct ktgt_wbuf wc = { cur, sizeof(cur) }, wm = { chg, sizeof(chg) };
	u64 nb;

	*changed = false;
	if (cmd->kind != KTGT_SCSI_K_EMUL_OUT || !dev || !ctx->lu)
		return KTGT_SR_INTERNAL_ERROR;
	if (len > cmd->data_len)
		len = cmd->data_len;
	if (!len)
		return KTGT_SR_OK;
	if (len < hdr)
		return KTGT_SR_PARAM_LIST_LENGTH_ERROR;
	if (buf[ten ? 2 : 1])			/* MEDIUM TYPE */
		return param_field(cmd, ten ? 2 : 1, -1);
	bdl = ten ? get_unaligned_be16(&buf[6]) : buf[3];
	if (bdl && bdl != (ten && (buf[4] & 0x01) ? 16U : 8U))
		return param_field(cmd, ten ? 6 : 3, -1);
	if (bdl > len - hdr)
		return KTGT_SR_PARAM_LIST_LENGTH_ERROR;
	if (bdl == 8) {
		nb = get_unaligned_be32(&buf[hdr]);
		if (nb && nb != dev->nr_blocks &&
		    !(nb == 0xffffffff && dev->nr_blocks > nb))
			return param_field(cmd, hdr, -1);
		if ((get_unaligned_be32(&buf[hdr + 4]) & 0xffffff) !=
		    dev->block_size)
			return param_field(cmd, hdr + 5, -1);
	} else if (bdl == 16) {
		nb = get_unaligned_be64(&buf[hdr]);
		if (nb && nb != dev->nr_blocks)
			return param_field(cmd, hdr, -1);
		if (get_unaligned_be32(&buf[hdr + 12]) != dev->block_size)
			return param_field(cmd, hdr + 12, -1);
	}

	next = *ctx->lu;
	for (off = hdr + bdl; off < len; off += 2 + plen) {
		if (len - off < 2)
			return KTGT_SR_PARAM_LIST_LENGTH_ERROR;
		if (buf[off] & 0x40)		/* SPF: no subpages */
			return param_field(cmd, off, 6);
		page = buf[off] & 0x3f;
		plen = buf[off + 1];
		if (plen > len - off - 2)
			return KTGT_SR_PARAM_LIST_LENGTH_ERROR;
		memset(cur, 0, sizeof(cur));
		memset(chg, 0, sizeof(chg));
		n = page == MP_ALL ? 0 : mode_page(ctx, page, PC_CURRENT,
						   &wc, 0);
		if (!n)
			return param_field(cmd, off, 5);
		mode_page(ctx, page, PC_CHANGEABLE, &wm, 0);
		if (plen + 2 != n)
			return param_field(cmd, off + 1, -1);
		for (i = 2; i < n; i++) {
			diff = (buf[off + i] ^ cur[i]) & ~chg[i];
			if (diff)
				return param_field(cmd, off + i,
						   ktgt_scsi_high_bit(diff));
		}
		if (page == MP_CACHING)
			next.wce = buf[off + 2] & 0x04;
		else if (page == MP_CONTROL)
			next.d_sense = buf[off + 2] & 0x04;
	}
	if (next.wce != ctx->lu->wce || next.d_sense != ctx->lu->d_sense)
		*changed = true;
	*ctx->lu = next;
	return KTGT_SR_OK;
}

/* REQUEST SENSE */

static u32 emul_request_sense(const struct ktgt_scsi_ctx *ctx,
			      struct ktgt_scsi_cmd *cmd, struct ktgt_wbuf *w)
{
	enum ktgt_sense_reason r;
	u8 tmp[KTGT_SENSE_MAX_LEN];
	u32 n;

	if (!ctx->dev)
		r = KTGT_SR_LUN_NOT_SUPPORTED;
	else
		r = ktgt_scsi_ua_pop(ctx->ua);
	if (r == KTGT_SR_OK)
		r = KTGT_SR_NO_SENSE;
	n = ktgt_sense_build(r, NULL, cmd->cdb[1] & 0x01, tmp, sizeof(tmp));
	ktgt_wb_mem(w, 0, tmp, n);
	return n;
}

enum ktgt_sense_reason ktgt_scsi_emulate(const struct ktgt_scsi_ctx *ctx,
					 struct ktgt_scsi_cmd *cmd,
					 u8 *buf, u32 len, u32 *out_len)
{
	enum ktgt_sense_reason r = KTGT_SR_OK;
	struct ktgt_wbuf w;
	u32 total = 0;

	*out_len = 0;
	if (cmd->kind == KTGT_SCSI_K_NO_DATA)
		return ctx->dev ? KTGT_SR_OK : KTGT_SR_LUN_NOT_SUPPORTED;
	if (cmd->kind != KTGT_SCSI_K_EMUL_IN)
		return KTGT_SR_INTERNAL_ERROR;
	if (!buf)
		len = 0;
	if (len > cmd->data_len)
		len = cmd->data_len;
	w.buf = buf;
	w.cap = len;
	if (len)
		memset(buf, 0, len);

	if (!ctx->dev && cmd->opcode != KTGT_SCSI_OP_INQUIRY &&
	    cmd->opcode != KTGT_SCSI_OP_REPORT_LUNS &&
	    cmd->opcode != KTGT_SCSI_OP_REQUEST_SENSE)
		return KTGT_SR_LUN_NOT_SUPPORTED;

	switch (cmd->opcode) {
	case KTGT_SCSI_OP_INQUIRY:
		r = emul_inquiry(ctx, cmd, &w, &total);
		break;
	case KTGT_SCSI_OP_REQUEST_SENSE:
		total = emul_request_sense(ctx, cmd, &w);
		break;
	case KTGT_SCSI_OP_REPORT_LUNS:
		total = emul_report_luns(ctx, cmd, &w);
		break;
	case KTGT_SCSI_OP_MODE_SENSE_6:
	case KTGT_SCSI_OP_MODE_SENSE_10:
		r = emul_mode_sense(ctx, cmd, &w, &total);
		break;
	case KTGT_SCSI_OP_READ_CAPACITY_10:
	case KTGT_SCSI_OP_SERVICE_ACTION_IN_16:
		total = ktgt_scsi_emul_read_capacity(ctx->dev, cmd, &w);
		break;
	case KTGT_SCSI_OP_MAINTENANCE_IN:
		total = ktgt_scsi_emul_rsoc(ctx->dev, cmd, &w);
		break;
	default:
		return KTGT_SR_INTERNAL_ERROR;
	}
	if (r != KTGT_SR_OK) {
		if (len)
			memset(buf, 0, len);
		return r;
	}
	*out_len = min_t(u32, total, len);
	return KTGT_SR_OK;
}
