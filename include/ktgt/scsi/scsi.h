/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPC-4 / SBC-3 emulation for one direct-access logical unit, pure logic.
 *
 * How the core drives a command (see docs in the comments below):
 *
 *   r = ktgt_scsi_ua_check(&itl->ua, cdb, len);      CHECK CONDITION if != 0
 *   r = ktgt_scsi_parse(dev, cdb, len, &cmd);        CHECK CONDITION if != 0
 *   residual = compare cmd.data_len (what the CDB asks) with the EDTL
 *   switch (cmd.kind):
 *   EMUL_IN     buf = min(cmd.data_len, cap); ktgt_scsi_emulate(ctx, &cmd,
 *               buf, buflen, &n); send min(n, EDTL) bytes of data-in
 *   NO_DATA     ktgt_scsi_emulate(ctx, &cmd, NULL, 0, &n)
 *   EMUL_OUT    receive cmd.data_len bytes, ktgt_scsi_emulate_out()
 *   READ/WRITE  backstore I/O of cmd.nr_blocks at cmd.lba (bytes =
 *   WRITE_VERIFY cmd.data_len); honour cmd.fua (and !lu->wce: write through)
 *   VERIFY      nothing to transfer; GOOD (range already checked)
 *   COMPARE     receive cmd.data_len, read the media, ktgt_scsi_compare()
 *   SYNC_CACHE  flush (cmd.lba, cmd.nr_blocks; nr_blocks 0 = to the end)
 *   NO_DATA     START STOP UNIT with cmd.load_eject: load or eject the
 *               removable medium (unless prevented); PREVENT ALLOW:
 *               record cmd.prevent for this I_T nexus
 *   UNMAP       receive cmd.data_len, ktgt_scsi_unmap_check(), then
 *               ktgt_scsi_unmap_desc() for i < count: discard each range
 *   WRITE_SAME  receive cmd.data_len (one block, 0 if cmd.ndob);
 *               discard if ktgt_scsi_ws_use_unmap(), else write the
 *               block (zeros for NDOB) nr_blocks times
 *   on failure: ktgt_sense_build(r, &cmd.sense, lu->d_sense, ...)
 */
#ifndef KTGT_SCSI_SCSI_H
#define KTGT_SCSI_SCSI_H

#include <ktgt/proto/platform.h>
#include <ktgt/scsi/sense.h>

/* Operation codes handled here. */
#define KTGT_SCSI_OP_TEST_UNIT_READY		0x00
#define KTGT_SCSI_OP_REQUEST_SENSE		0x03
#define KTGT_SCSI_OP_READ_6			0x08
#define KTGT_SCSI_OP_WRITE_6			0x0a
#define KTGT_SCSI_OP_INQUIRY			0x12
#define KTGT_SCSI_OP_MODE_SELECT_6		0x15
#define KTGT_SCSI_OP_MODE_SENSE_6		0x1a
#define KTGT_SCSI_OP_START_STOP_UNIT		0x1b
#define KTGT_SCSI_OP_PREVENT_ALLOW		0x1e
#define KTGT_SCSI_OP_READ_CAPACITY_10	0x25
#define KTGT_SCSI_OP_READ_10			0x28
#define KTGT_SCSI_OP_WRITE_10		0x2a
#define KTGT_SCSI_OP_WRITE_VERIFY_10		0x2e
#define KTGT_SCSI_OP_VERIFY_10		0x2f
#define KTGT_SCSI_OP_SYNC_CACHE_10		0x35
#define KTGT_SCSI_OP_WRITE_SAME_10		0x41
#define KTGT_SCSI_OP_UNMAP			0x42
#define KTGT_SCSI_OP_MODE_SELECT_10		0x55
#define KTGT_SCSI_OP_MODE_SENSE_10		0x5a
#define KTGT_SCSI_OP_READ_16			0x88
#define KTGT_SCSI_OP_WRITE_16		0x8a
#define KTGT_SCSI_OP_WRITE_VERIFY_16		0x8e
#define KTGT_SCSI_OP_VERIFY_16		0x8f
#define KTGT_SCSI_OP_SYNC_CACHE_16		0x91
#define KTGT_SCSI_OP_WRITE_SAME_16		0x93
#define KTGT_SCSI_OP_SERVICE_ACTION_IN_16	0x9e
#define KTGT_SCSI_OP_REPORT_LUNS		0xa0
#define KTGT_SCSI_OP_MAINTENANCE_IN		0xa3
#define KTGT_SCSI_OP_READ_12			0xa8
#define KTGT_SCSI_OP_WRITE_12		0xaa
#define KTGT_SCSI_OP_WRITE_VERIFY_12		0xae
#define KTGT_SCSI_OP_VERIFY_12		0xaf

#define KTGT_SAI_READ_CAPACITY_16	0x10
#define KTGT_MI_REPORT_SUPPORTED_OPCODES 0x0c

#define KTGT_SCSI_MAX_CDB	16	/* longest CDB we decode */

/*
 * One logical unit as seen through one target port, in host order. Filled
 * by the core; read-only to this layer. Strings are NUL-terminated.
 */
struct ktgt_scsi_dev {
	u64 nr_blocks;			/* capacity in logical blocks */
	u32 block_size;			/* power of two, 512..65536 */
	u8 lbppbe;			/* log2(physical / logical block) */
	bool read_only;
	bool write_cache;		/* WCE at power on */
	bool wce_changeable;		/* MODE SELECT may flip WCE */
	bool can_unmap;			/* backstore can discard */
	bool unmap_zeroes;		/* unmapped blocks read zero: LBPRZ */
	bool thin;			/* provisioning type: thin */
	bool removable;			/* RMB: the medium can be ejected */
	bool no_medium;			/* removable medium is ejected now */
	u32 max_xfer_blocks;		/* MAX TRANSFER LENGTH, 0 none */
	u32 opt_xfer_blocks;		/* B0 OPTIMAL TRANSFER LENGTH */
	u32 max_unmap_blocks;		/* MAXIMUM UNMAP LBA COUNT */
	u32 max_unmap_desc;		/* MAXIMUM UNMAP BLOCK DESCR COUNT */
	u32 unmap_granularity;		/* OPTIMAL UNMAP GRANULARITY */
	u32 unmap_alignment;		/* UNMAP GRANULARITY ALIGNMENT */
	u64 max_ws_blocks;		/* MAX WRITE SAME LENGTH, 0 none */
	/* identification */
	const char *vendor;		/* <= 8 chars, "KTGT" */
	const char *product;		/* <= 16 chars */
	const char *revision;		/* <= 4 chars */
	const char *serial;		/* unit serial number, VPD 80h */
	/*
	 * VPD 83h NAA designator from @naa_id: NAA 3 (locally assigned,
	 * 8 bytes) when @naa_oui is 0, else NAA 6 (IEEE registered
	 * extended, 16 bytes) under that OUI.
	 */
	u64 naa_id;
	u32 naa_oui;
	/* target port the command arrived through */
	const char *target_name;	/* iSCSI target name */
	u16 tpgt;			/* target portal group tag */
	u16 rel_port_id;		/* relative target port identifier */
	u16 port_group_id;		/* target port group */
	u64 lun;			/* LUN number (not encoded) */
};

/* Mutable per-LU state shared by all I_T nexuses; the core locks it. */
struct ktgt_scsi_lu_state {
	bool wce;		/* caching page WCE, current value */
	bool d_sense;		/* control page D_SENSE: descriptor fmt */
};

void ktgt_scsi_lu_state_init(struct ktgt_scsi_lu_state *lu,
			     const struct ktgt_scsi_dev *dev);

enum ktgt_scsi_kind {
	KTGT_SCSI_K_NO_DATA = 1,	/* emulated, no data (TUR, ...) */
	KTGT_SCSI_K_EMUL_IN,		/* emulated, data-in */
	KTGT_SCSI_K_EMUL_OUT,		/* data-out, then emulated */
	KTGT_SCSI_K_READ,
	KTGT_SCSI_K_WRITE,
	KTGT_SCSI_K_WRITE_VERIFY,	/* write through to the media */
	KTGT_SCSI_K_VERIFY,		/* BYTCHK 0: medium check only */
	KTGT_SCSI_K_COMPARE,		/* VERIFY BYTCHK 1/3: compare */
	KTGT_SCSI_K_SYNC_CACHE,
	KTGT_SCSI_K_UNMAP,
	KTGT_SCSI_K_WRITE_SAME,
};

enum ktgt_scsi_dir {
	KTGT_SCSI_DIR_NONE = 0,
	KTGT_SCSI_DIR_IN,		/* data-in (target to initiator) */
	KTGT_SCSI_DIR_OUT,		/* data-out */
};

/* A decoded command. */
struct ktgt_scsi_cmd {
	u8 cdb[KTGT_SCSI_MAX_CDB];	/* copy, zero padded */
	u8 cdb_len;			/* length of the command's CDB */
	u8 opcode;
	u8 sa;				/* service action, if any */
	u8 kind;			/* enum ktgt_scsi_kind */
	u8 dir;				/* enum ktgt_scsi_dir */
	u32 data_len;			/* bytes the CDB asks to move */
	u64 lba;
	u32 nr_blocks;
	bool fua;
	bool dpo;
	bool immed;			/* SYNC CACHE IMMED */
	bool unmap;			/* WRITE SAME: UNMAP (LBPWS) */
	bool ndob;			/* WRITE SAME(16): no data-out */
	u8 bytchk;			/* VERIFY: 1 = all, 3 = one block */
	/*
	 * START STOP UNIT on removable media: load (START=1) or eject
	 * (START=0) requested (LOEJ=1, POWER CONDITION 0); the core
	 * applies it, checking the prevention state.
	 */
	bool load_eject;
	bool start;
	bool prevent;			/* PREVENT ALLOW: PREVENT bit 0 */
	struct ktgt_sense_info sense;	/* details when a call fails */
};

/*
 * Decode @cdb (@cdb_len bytes, at least the command's CDB length). @dev may
 * be NULL when no LU is mapped at this LUN: then only INQUIRY, REPORT LUNS
 * and REQUEST SENSE are accepted (others fail LUN_NOT_SUPPORTED). Checks
 * every reserved/unsupported bit (INVALID FIELD IN CDB with field pointer),
 * write protection and LBA ranges. Returns KTGT_SR_OK or a reason with
 * details in @out->sense.
 */
enum ktgt_sense_reason ktgt_scsi_parse(const struct ktgt_scsi_dev *dev,
				       const u8 *cdb, unsigned int cdb_len,
				       struct ktgt_scsi_cmd *out);

/* What the emulation needs besides the command. */
struct ktgt_scsi_ctx {
	const struct ktgt_scsi_dev *dev;	/* NULL: LUN not mapped */
	struct ktgt_scsi_lu_state *lu;		/* NULL iff dev is NULL */
	struct ktgt_scsi_ua *ua;		/* this I_T_L's UAs, or NULL */
	const u64 *luns;			/* REPORT LUNS: LUNs visible */
	unsigned int nr_luns;			/* to this I_T nexus */
};

/*
 * Run an EMUL_IN or NO_DATA command. Writes at most @len bytes of data-in
 * into @buf (already truncated to the allocation length) and sets *@out_len
 * to the number of valid bytes. Returns KTGT_SR_OK or a reason (details in
 * @cmd->sense). REQUEST SENSE pops the pending UA from @ctx->ua.
 */
enum ktgt_sense_reason ktgt_scsi_emulate(const struct ktgt_scsi_ctx *ctx,
					 struct ktgt_scsi_cmd *cmd,
					 u8 *buf, u32 len, u32 *out_len);

/*
 * Run an EMUL_OUT command (MODE SELECT) with its @len bytes of data-out.
 * All-or-nothing. *@changed is set when a mode parameter changed (the core
 * then raises MODE PARAMETERS CHANGED for the other I_T nexuses).
 */
enum ktgt_sense_reason ktgt_scsi_emulate_out(const struct ktgt_scsi_ctx *ctx,
					     struct ktgt_scsi_cmd *cmd,
					     const u8 *buf, u32 len,
					     bool *changed);

/*
 * UNMAP parameter list. Validates the header and every descriptor (count,
 * per-descriptor length limit, LBA range) before anything is unmapped.
 * Returns KTGT_SR_OK and the number of descriptors in *@count.
 */
enum ktgt_sense_reason ktgt_scsi_unmap_check(const struct ktgt_scsi_dev *dev,
					     struct ktgt_scsi_cmd *cmd,
					     const u8 *buf, u32 len,
					     u32 *count);
/* Descriptor @i (< count from the check) of a checked list. */
void ktgt_scsi_unmap_desc(const u8 *buf, u32 i, u64 *lba, u32 *nr_blocks);

/*
 * VERIFY with BYTCHK 1 or 3: compare @len bytes of media read at byte
 * @offset of the verified range with the data-out. For BYTCHK 1 @dataout
 * points at the same @offset of the data-out buffer; for BYTCHK 3 it is
 * the single data-out block (offset must be block aligned, len a multiple
 * of the block size). Returns KTGT_SR_MISCOMPARE with the byte offset of
 * the first difference in the INFORMATION field.
 */
enum ktgt_sense_reason ktgt_scsi_compare(const struct ktgt_scsi_dev *dev,
					 struct ktgt_scsi_cmd *cmd,
					 const u8 *media, const u8 *dataout,
					 u32 offset, u32 len);

/*
 * WRITE SAME: is the range deallocated instead of written? True when the
 * UNMAP bit was set on a thin provisioned LU (SBC-4 WRITE SAME, UNMAP 1
 * ANCHOR 0: "should deallocate each LBA"), whatever the data block
 * holds; reads then return what an unmapped block reads (LBPRZ).
 */
bool ktgt_scsi_ws_use_unmap(const struct ktgt_scsi_dev *dev,
			    const struct ktgt_scsi_cmd *cmd);

/*
 * LUN encoding (SAM-5 4.6): peripheral addressing for LUN < 256, flat
 * space for < 16384. encode returns -EINVAL for larger; decode accepts
 * both methods (bus 0) with zero second level, else -EINVAL.
 */
#define KTGT_SCSI_MAX_LUN	16383
int ktgt_scsi_lun_encode(u64 lun, u8 out[8]);
int ktgt_scsi_lun_decode(const u8 in[8], u64 *lun);

/* SBC helpers the core may reuse. */
unsigned int ktgt_scsi_block_shift(u32 block_size);	/* 0 if invalid */

#endif /* KTGT_SCSI_SCSI_H */
