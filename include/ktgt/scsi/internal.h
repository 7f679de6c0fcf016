/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the emulation sources in src/scsi only; not for the core.
 */
#ifndef KTGT_SCSI_INTERNAL_H
#define KTGT_SCSI_INTERNAL_H

#include <ktgt/scsi/scsi.h>

/*
 * Response writer: emulation lays out the full response at absolute
 * offsets; bytes past @cap are dropped, so truncation to the allocation
 * length is automatic. The caller zeroes the buffer first.
 */
struct ktgt_wbuf {
	u8 *buf;
	u32 cap;
};

/* The highest bit set in @v (0 if none): a sense field pointer's bit. */
static inline int ktgt_scsi_high_bit(u8 v)
{
	int b;

	for (b = 7; b > 0; b--)
		if (v & (1u << b))
			break;
	return b;
}

static inline void ktgt_wb_u8(struct ktgt_wbuf *w, u32 off, u8 v)
{
	if (off < w->cap)
		w->buf[off] = v;
}

static inline void ktgt_wb_be16(struct ktgt_wbuf *w, u32 off, u16 v)
{
	ktgt_wb_u8(w, off, v >> 8);
	ktgt_wb_u8(w, off + 1, v & 0xff);
}

static inline void ktgt_wb_be32(struct ktgt_wbuf *w, u32 off, u32 v)
{
	ktgt_wb_be16(w, off, v >> 16);
	ktgt_wb_be16(w, off + 2, v & 0xffff);
}

static inline void ktgt_wb_be64(struct ktgt_wbuf *w, u32 off, u64 v)
{
	ktgt_wb_be32(w, off, v >> 32);
	ktgt_wb_be32(w, off + 4, (u32)v);
}

static inline void ktgt_wb_mem(struct ktgt_wbuf *w, u32 off, const void *src,
			       u32 len)
{
	const u8 *s = src;
	u32 i;

	for (i = 0; i < len && off + i < w->cap; i++)
		w->buf[off + i] = s[i];
}

/* Opcode table entry flags */
#define KTGT_OPF_SA	0x01	/* service action in byte 1 bits 4:0 */
#define KTGT_OPF_UNMAP	0x02	/* only when dev->can_unmap */
#define KTGT_OPF_NOLUN	0x04	/* valid without a logical unit */
#define KTGT_OPF_UNMAP_BIT 0x08	/* byte 1 bit 3 UNMAP needs can_unmap */
#define KTGT_OPF_NO_MEDIUM 0x10	/* runs with the removable medium out */

struct ktgt_scsi_opdesc {
	u8 opcode;
	u8 sa;
	u8 cdb_len;
	u8 flags;
	u16 timeout;		/* recommended timeout, seconds */
	/* CDB usage data (SPC-4 6.35); [0] unused, it is the opcode */
	u8 usage[KTGT_SCSI_MAX_CDB];
	enum ktgt_sense_reason (*parse)(const struct ktgt_scsi_dev *dev,
					const struct ktgt_scsi_opdesc *op,
					struct ktgt_scsi_cmd *cmd);
};

u32 ktgt_scsi_emul_read_capacity(const struct ktgt_scsi_dev *dev,
				 const struct ktgt_scsi_cmd *cmd,
				 struct ktgt_wbuf *w);
u32 ktgt_scsi_emul_rsoc(const struct ktgt_scsi_dev *dev,
			const struct ktgt_scsi_cmd *cmd, struct ktgt_wbuf *w);

/* Space-padded ASCII copy of @s into @width bytes at @off. */
void ktgt_wb_str(struct ktgt_wbuf *w, u32 off, const char *s, u32 width);

#endif /* KTGT_SCSI_INTERNAL_H */
