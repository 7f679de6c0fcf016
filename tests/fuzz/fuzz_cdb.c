// SPDX-License-Identifier: GPL-2.0
/*
 * Arbitrary CDBs (and data-out) through ktgt_scsi_parse() and the
 * emulation. Buffers are heap-allocated at their exact size so ASan sees
 * any write past them.
 *
 * Input: [0] device flags, [1] CDB length, [2..17] CDB, rest data-out.
 */
#include <stdlib.h>
#include <ktgt/scsi/scsi.h>

#define CAP	70000

static void fuzz_one(const struct ktgt_scsi_dev *dev, const u8 *cdb,
		     unsigned int cdb_len, const u8 *data, size_t dlen)
{
	static const u64 luns[] = { 0, 5, 255, 256, 16383, 16384 };
	struct ktgt_scsi_lu_state lu;
	struct ktgt_scsi_ua ua = { .pending = (u32)dlen * 0x9e3779b1u };
	struct ktgt_scsi_ctx ctx = {
		.dev = dev, .lu = dev ? &lu : NULL, .ua = &ua,
		.luns = luns, .nr_luns = ARRAY_SIZE(luns),
	};
	struct ktgt_scsi_cmd cmd;
	enum ktgt_sense_reason r;
	u32 n, len, i, count, nr;
	u8 *buf, sense[KTGT_SENSE_MAX_LEN];
	bool changed;
	u64 lba;

	if (dev)
		ktgt_scsi_lu_state_init(&lu, dev);
	r = ktgt_scsi_ua_check(&ua, cdb, cdb_len);
	(void)r;
	r = ktgt_scsi_parse(dev, cdb, cdb_len, &cmd);
	if (r == KTGT_SR_OK) {
		len = cmd.data_len < CAP ? cmd.data_len : CAP;
		if (dlen < len && cmd.dir == KTGT_SCSI_DIR_OUT)
			len = (u32)dlen;
		buf = malloc(len ? len : 1);
		if (!buf)
			return;
		switch (cmd.kind) {
		case KTGT_SCSI_K_EMUL_IN:
		case KTGT_SCSI_K_NO_DATA:
			r = ktgt_scsi_emulate(&ctx, &cmd, buf, len, &n);
			if (n > len)
				abort();
			break;
		case KTGT_SCSI_K_EMUL_OUT:
			memcpy(buf, data, len);
			r = ktgt_scsi_emulate_out(&ctx, &cmd, buf, len,
						  &changed);
			break;
		case KTGT_SCSI_K_UNMAP:
			memcpy(buf, data, len);
			r = ktgt_scsi_unmap_check(dev, &cmd, buf, len, &count);
			for (i = 0; r == KTGT_SR_OK && i < count; i++) {
				ktgt_scsi_unmap_desc(buf, i, &lba, &nr);
				if (lba + nr > dev->nr_blocks)
					abort();
			}
			break;
		case KTGT_SCSI_K_COMPARE:
			memcpy(buf, data, len);
			if (cmd.bytchk == 3 && len == dev->block_size)
				r = ktgt_scsi_compare(dev, &cmd, buf, buf, 0,
						      len);
			else if (cmd.bytchk == 1)
				r = ktgt_scsi_compare(dev, &cmd, data, buf, 0,
						      len);
			break;
		case KTGT_SCSI_K_WRITE_SAME:
			/* UNMAP only where the LU can deallocate. */
			if (ktgt_scsi_ws_use_unmap(dev, &cmd) &&
			    !dev->can_unmap)
				abort();
			break;
		default:
			if (cmd.lba + cmd.nr_blocks > dev->nr_blocks)
				abort();
			break;
		}
		free(buf);
	}
	for (n = 0; n <= sizeof(sense); n += 7) {
		buf = malloc(n ? n : 1);
		if (!buf)
			return;
		ktgt_sense_build(r, &cmd.sense, n & 1, buf, n);
		free(buf);
	}
	ktgt_sense_build(r, &cmd.sense, false, sense, sizeof(sense));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct ktgt_scsi_dev dev = {
		.nr_blocks = 0x10000, .block_size = 512, .lbppbe = 3,
		.write_cache = true, .wce_changeable = true,
		.can_unmap = true, .unmap_zeroes = true, .thin = true,
		.max_xfer_blocks = 2048, .opt_xfer_blocks = 128,
		.max_unmap_blocks = 0x4000, .max_unmap_desc = 64,
		.unmap_granularity = 8, .max_ws_blocks = 0x4000,
		.vendor = "KTGT", .product = "fuzz", .revision = "0001",
		.serial = "0123456789abcdef", .naa_id = 0x0123456789abcdefULL,
		.target_name = "iqn.2024-01.org.ktgt:fuzz", .tpgt = 1,
		.rel_port_id = 1,
	};
	u8 cdb[KTGT_SCSI_MAX_CDB];
	unsigned int cdb_len;
	u8 f;

	if (size < 2)
		return 0;
	f = data[0];
	cdb_len = data[1] % (KTGT_SCSI_MAX_CDB + 1);
	data += 2;
	size -= 2;
	memset(cdb, 0, sizeof(cdb));
	if (size < cdb_len)
		cdb_len = (unsigned int)size;
	memcpy(cdb, data, cdb_len);
	data += cdb_len;
	size -= cdb_len;

	dev.read_only = f & 0x01;
	dev.can_unmap = f & 0x02;
	if (f & 0x04)
		dev.block_size = 4096;
	if (f & 0x08)
		dev.nr_blocks = 0xffffffffffffffffULL;
	if (f & 0x10)
		dev.max_xfer_blocks = 0;
	if (f & 0x20)
		dev.naa_oui = 0x001405;
	if (f & 0x40)
		dev.serial = NULL;
	fuzz_one(f & 0x80 ? NULL : &dev, cdb, cdb_len, data, size);
	return 0;
}
