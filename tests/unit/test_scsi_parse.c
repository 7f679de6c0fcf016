// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_scsi_parse(): CDB decoding, reserved bits, ranges, sense codes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ktgt/scsi/scsi.h>

static struct ktgt_scsi_dev dev;

static int setup(void **state)
{
	memset(&dev, 0, sizeof(dev));
	dev.nr_blocks = 0x10000;
	dev.block_size = 512;
	dev.lbppbe = 3;
	dev.write_cache = true;
	dev.wce_changeable = true;
	dev.can_unmap = true;
	dev.unmap_zeroes = true;
	dev.thin = true;
	dev.max_xfer_blocks = 2048;
	dev.opt_xfer_blocks = 128;
	dev.max_unmap_blocks = 0x4000;
	dev.max_unmap_desc = 64;
	dev.unmap_granularity = 8;
	dev.max_ws_blocks = 0x4000;
	dev.vendor = "KTGT";
	dev.product = "ktgt disk";
	dev.revision = "0001";
	dev.serial = "0123456789abcdef";
	dev.naa_id = 0x0123456789abcdefULL;
	dev.target_name = "iqn.2024-01.org.ktgt:t1";
	dev.tpgt = 1;
	dev.rel_port_id = 1;
	return 0;
}

static struct ktgt_scsi_cmd cmd;

static enum ktgt_sense_reason p16(const u8 *cdb)
{
	return ktgt_scsi_parse(&dev, cdb, 16, &cmd);
}

/* INVALID FIELD IN CDB with the field pointer at @byte/@bit (-1: none) */
static void expect_field(enum ktgt_sense_reason r, unsigned int byte, int bit)
{
	assert_int_equal(r, KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_true(cmd.sense.flags & KTGT_SI_FIELD);
	assert_int_equal(cmd.sense.field, byte);
	if (bit < 0) {
		assert_false(cmd.sense.flags & KTGT_SI_BIT);
	} else {
		assert_true(cmd.sense.flags & KTGT_SI_BIT);
		assert_int_equal(cmd.sense.bit, bit);
	}
}

static void test_tur(void **state)
{
	u8 cdb[16] = { 0x00 };

	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.kind, KTGT_SCSI_K_NO_DATA);
	assert_int_equal(cmd.dir, KTGT_SCSI_DIR_NONE);
	assert_int_equal(cmd.data_len, 0);
	assert_int_equal(cmd.cdb_len, 6);
	cdb[3] = 0x01;				/* reserved byte */
	expect_field(p16(cdb), 3, 0);
}

static void test_invalid_opcode(void **state)
{
	u8 cdb[16] = { 0x02 };
	u8 cdb7[16] = { 0x7f };			/* variable length group */
	u8 cdb_cw[16] = { 0x89 };		/* COMPARE AND WRITE */

	assert_int_equal(p16(cdb), KTGT_SR_INVALID_OPCODE);
	assert_int_equal(p16(cdb7), KTGT_SR_INVALID_OPCODE);
	assert_int_equal(p16(cdb_cw), KTGT_SR_INVALID_OPCODE);
	assert_int_equal(ktgt_scsi_parse(&dev, cdb, 0, &cmd),
			 KTGT_SR_CDB_TOO_SHORT);
}

static void test_read10(void **state)
{
	u8 cdb[16] = { 0x28, 0x18, 0x00, 0x00, 0x10, 0x00, 0, 0x00, 0x08, 0 };

	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.kind, KTGT_SCSI_K_READ);
	assert_int_equal(cmd.dir, KTGT_SCSI_DIR_IN);
	assert_int_equal(cmd.lba, 0x1000);
	assert_int_equal(cmd.nr_blocks, 8);
	assert_int_equal(cmd.data_len, 4096);
	assert_true(cmd.fua);
	assert_true(cmd.dpo);
	assert_int_equal(cmd.cdb_len, 10);
	/* RDPROTECT 1..7 without protection: invalid field */
	cdb[1] = 0x20;
	expect_field(p16(cdb), 1, 5);
	cdb[1] = 0xe0;
	expect_field(p16(cdb), 1, 7);
	/* FUA_NV (bit 1) and the obsolete bit 0 */
	cdb[1] = 0x02;
	expect_field(p16(cdb), 1, 1);
	/* GROUP NUMBER */
	cdb[1] = 0;
	cdb[6] = 0x01;
	expect_field(p16(cdb), 6, 0);
	cdb[6] = 0;
	/* NACA in CONTROL */
	cdb[9] = 0x04;
	expect_field(p16(cdb), 9, 2);
	/* vendor specific control bits are ignored */
	cdb[9] = 0xc0;
	assert_int_equal(p16(cdb), KTGT_SR_OK);
}

static void test_read10_ranges(void **state)
{
	u8 cdb[16] = { 0x28 };

	/* last block */
	put_unaligned_be32(0xffff, &cdb[2]);
	put_unaligned_be16(1, &cdb[7]);
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	/* one past */
	put_unaligned_be16(2, &cdb[7]);
	assert_int_equal(p16(cdb), KTGT_SR_LBA_OUT_OF_RANGE);
	/* zero blocks at end-of-LUN is fine, one further is not */
	put_unaligned_be32(0x10000, &cdb[2]);
	put_unaligned_be16(0, &cdb[7]);
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.data_len, 0);
	assert_int_equal(cmd.dir, KTGT_SCSI_DIR_NONE);
	put_unaligned_be32(0x10001, &cdb[2]);
	assert_int_equal(p16(cdb), KTGT_SR_LBA_OUT_OF_RANGE);
	put_unaligned_be32(0x80000000, &cdb[2]);
	assert_int_equal(p16(cdb), KTGT_SR_LBA_OUT_OF_RANGE);
	put_unaligned_be32(0xffffffff, &cdb[2]);
	put_unaligned_be16(1, &cdb[7]);
	assert_int_equal(p16(cdb), KTGT_SR_LBA_OUT_OF_RANGE);
	/* maximum transfer length */
	put_unaligned_be32(0, &cdb[2]);
	put_unaligned_be16(2048, &cdb[7]);
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	put_unaligned_be16(2049, &cdb[7]);
	expect_field(p16(cdb), 7, -1);
}

static void test_read16_wrap(void **state)
{
	u8 cdb[16] = { 0x88 };

	put_unaligned_be64(0xffffffffffffffffULL, &cdb[2]);
	put_unaligned_be32(1, &cdb[10]);
	assert_int_equal(p16(cdb), KTGT_SR_LBA_OUT_OF_RANGE);
	put_unaligned_be64(0xfff0, &cdb[2]);
	put_unaligned_be32(16, &cdb[10]);
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.lba, 0xfff0);
	assert_int_equal(cmd.data_len, 8192);
	assert_int_equal(cmd.cdb_len, 16);
	/* a 16-byte CDB passed as 10 bytes */
	assert_int_equal(ktgt_scsi_parse(&dev, cdb, 10, &cmd),
			 KTGT_SR_CDB_TOO_SHORT);
}

static void test_read12_write12(void **state)
{
	u8 cdb[16] = { 0xa8, 0, 0, 0, 0, 0x10, 0, 0, 0, 0x04, 0, 0 };

	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.lba, 0x10);
	assert_int_equal(cmd.nr_blocks, 4);
	cdb[0] = 0xaa;
	cdb[1] = 0x08;
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.kind, KTGT_SCSI_K_WRITE);
	assert_int_equal(cmd.dir, KTGT_SCSI_DIR_OUT);
	assert_true(cmd.fua);
	cdb[10] = 0x1f;				/* group number */
	expect_field(p16(cdb), 10, 4);
}

static void test_read6(void **state)
{
	u8 cdb[16] = { 0x08, 0x01, 0x02, 0x03, 0x00, 0 };

	dev.nr_blocks = 0x200000;
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.lba, 0x010203);
	assert_int_equal(cmd.nr_blocks, 256);	/* 0 means 256 */
	assert_int_equal(cmd.data_len, 256 * 512);
	assert_false(cmd.fua);
	cdb[1] = 0x21;				/* LBA is 21 bits */
	expect_field(p16(cdb), 1, 5);
	dev.nr_blocks = 0x10000;
	cdb[1] = 0x01;
	assert_int_equal(p16(cdb), KTGT_SR_LBA_OUT_OF_RANGE);
	cdb[0] = 0x0a;
	cdb[1] = 0;
	cdb[2] = 0;
	cdb[4] = 1;
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.kind, KTGT_SCSI_K_WRITE);
	assert_int_equal(cmd.data_len, 512);
}

static void test_write_protect(void **state)
{
	u8 cdb[16] = { 0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	u8 ws[16] = { 0x41, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	u8 un[16] = { 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0 };
	u8 rd[16] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 };

	assert_int_equal(p16(cdb), KTGT_SR_OK);
	cdb[1] = 0x20;				/* WRPROTECT */
	expect_field(p16(cdb), 1, 5);
	cdb[1] = 0;
	dev.read_only = true;
	assert_int_equal(p16(cdb), KTGT_SR_WRITE_PROTECTED);
	assert_int_equal(p16(ws), KTGT_SR_WRITE_PROTECTED);
	assert_int_equal(p16(un), KTGT_SR_WRITE_PROTECTED);
	assert_int_equal(p16(rd), KTGT_SR_OK);
	cdb[0] = 0x2e;
	assert_int_equal(p16(cdb), KTGT_SR_WRITE_PROTECTED);
	dev.read_only = false;
}

static void test_verify(void **state)
{
	u8 cdb[16] = { 0x2f, 0x00, 0, 0, 0, 0x20, 0, 0, 4, 0 };

	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.kind, KTGT_SCSI_K_VERIFY);
	assert_int_equal(cmd.dir, KTGT_SCSI_DIR_NONE);
	assert_int_equal(cmd.data_len, 0);
	cdb[1] = 0x02;				/* BYTCHK 01b */
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.kind, KTGT_SCSI_K_COMPARE);
	assert_int_equal(cmd.bytchk, 1);
	assert_int_equal(cmd.dir, KTGT_SCSI_DIR_OUT);
	assert_int_equal(cmd.data_len, 2048);
	cdb[1] = 0x04;				/* BYTCHK 10b reserved */
	expect_field(p16(cdb), 1, 2);
	cdb[1] = 0x16;				/* DPO, BYTCHK 11b */
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.bytchk, 3);
	assert_int_equal(cmd.data_len, 512);
	assert_true(cmd.dpo);
	cdb[1] = 0x08;				/* FUA is not in VERIFY */
	expect_field(p16(cdb), 1, 3);
	cdb[1] = 0x20;				/* VRPROTECT */
	expect_field(p16(cdb), 1, 5);
	/* 0 blocks beyond the end */
	cdb[1] = 0x02;
	put_unaligned_be32(0x10001, &cdb[2]);
	put_unaligned_be16(0, &cdb[7]);
	assert_int_equal(p16(cdb), KTGT_SR_LBA_OUT_OF_RANGE);
	put_unaligned_be32(0xffffffff, &cdb[2]);
	assert_int_equal(p16(cdb), KTGT_SR_LBA_OUT_OF_RANGE);
	/* VERIFY(16) and (12) */
	memset(cdb, 0, 16);
	cdb[0] = 0x8f;
	cdb[1] = 0x02;
	put_unaligned_be32(2, &cdb[10]);
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.data_len, 1024);
	memset(cdb, 0, 16);
	cdb[0] = 0xaf;
	put_unaligned_be32(2, &cdb[6]);
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.kind, KTGT_SCSI_K_VERIFY);
}

static void test_write_verify(void **state)
{
	u8 cdb[16] = { 0x2e, 0x12, 0, 0, 0, 0, 0, 0, 2, 0 };

	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.kind, KTGT_SCSI_K_WRITE_VERIFY);
	assert_int_equal(cmd.dir, KTGT_SCSI_DIR_OUT);
	assert_int_equal(cmd.data_len, 1024);
	assert_int_equal(cmd.bytchk, 1);
	cdb[1] = 0x08;				/* no FUA in WRITE AND VERIFY */
	expect_field(p16(cdb), 1, 3);
	cdb[1] = 0x04;
	expect_field(p16(cdb), 1, 2);
}

static void test_sync_cache(void **state)
{
	u8 cdb[16] = { 0x35, 0x02, 0, 0, 0, 0, 0, 0, 0, 0 };

	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.kind, KTGT_SCSI_K_SYNC_CACHE);
	assert_int_equal(cmd.dir, KTGT_SCSI_DIR_NONE);
	assert_true(cmd.immed);
	assert_int_equal(cmd.nr_blocks, 0);
	put_unaligned_be32(0xffff, &cdb[2]);
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	put_unaligned_be32(0x10000, &cdb[2]);
	assert_int_equal(p16(cdb), KTGT_SR_LBA_OUT_OF_RANGE);
	put_unaligned_be32(0xfff0, &cdb[2]);
	put_unaligned_be16(0x11, &cdb[7]);
	assert_int_equal(p16(cdb), KTGT_SR_LBA_OUT_OF_RANGE);
	cdb[1] = 0x04;				/* SYNC_NV, obsolete */
	put_unaligned_be16(0, &cdb[7]);
	expect_field(p16(cdb), 1, 2);
	memset(cdb, 0, 16);
	cdb[0] = 0x91;
	put_unaligned_be64(10, &cdb[2]);
	put_unaligned_be32(5, &cdb[10]);
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.lba, 10);
	assert_int_equal(cmd.nr_blocks, 5);
	assert_false(cmd.immed);
}

static void test_write_same(void **state)
{
	u8 cdb[16] = { 0x41, 0x08, 0, 0, 0, 0, 0, 0, 8, 0 };

	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.kind, KTGT_SCSI_K_WRITE_SAME);
	assert_int_equal(cmd.dir, KTGT_SCSI_DIR_OUT);
	assert_int_equal(cmd.data_len, 512);
	assert_int_equal(cmd.nr_blocks, 8);
	assert_true(cmd.unmap);
	/* no unmap support: UNMAP is an invalid field (LBPWS 0) */
	dev.can_unmap = false;
	expect_field(p16(cdb), 1, 3);
	cdb[1] = 0;
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_false(cmd.unmap);
	dev.can_unmap = true;
	/* ANCHOR */
	cdb[1] = 0x18;
	expect_field(p16(cdb), 1, 4);
	/* PBDATA, LBDATA obsolete */
	cdb[1] = 0x04;
	expect_field(p16(cdb), 1, 2);
	cdb[1] = 0x02;
	expect_field(p16(cdb), 1, 1);
	/* WSNZ 0: 0 blocks is "to the end", within the same limit */
	cdb[1] = 0;
	put_unaligned_be16(0, &cdb[7]);
	expect_field(p16(cdb), 7, -1);		/* 0x10000 > 0x4000 */
	put_unaligned_be32(0x10000 - 0x4000, &cdb[2]);
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.lba, 0xc000);
	assert_int_equal(cmd.nr_blocks, 0x4000);
	put_unaligned_be32(0x10000 - 0x4001, &cdb[2]);
	expect_field(p16(cdb), 7, -1);
	put_unaligned_be32(0xffff, &cdb[2]);
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.nr_blocks, 1);
	put_unaligned_be32(0x10000, &cdb[2]);
	assert_int_equal(p16(cdb), KTGT_SR_LBA_OUT_OF_RANGE);
	put_unaligned_be32(0xffffffff, &cdb[2]);
	assert_int_equal(p16(cdb), KTGT_SR_LBA_OUT_OF_RANGE);
	put_unaligned_be32(0, &cdb[2]);
	/* past MAXIMUM WRITE SAME LENGTH */
	put_unaligned_be16(0x4001, &cdb[7]);
	expect_field(p16(cdb), 7, -1);
	put_unaligned_be16(0x4000, &cdb[7]);
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	/* beyond EOL */
	put_unaligned_be32(0xffff, &cdb[2]);
	put_unaligned_be16(2, &cdb[7]);
	assert_int_equal(p16(cdb), KTGT_SR_LBA_OUT_OF_RANGE);
	/* WRITE SAME(16) with NDOB */
	memset(cdb, 0, 16);
	cdb[0] = 0x93;
	cdb[1] = 0x09;
	put_unaligned_be64(0x100, &cdb[2]);
	put_unaligned_be32(0x20, &cdb[10]);
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_true(cmd.ndob);
	assert_true(cmd.unmap);
	assert_int_equal(cmd.data_len, 0);
	assert_int_equal(cmd.dir, KTGT_SCSI_DIR_NONE);
	assert_int_equal(cmd.lba, 0x100);
	put_unaligned_be32(0, &cdb[10]);
	expect_field(p16(cdb), 10, -1);
}

static void test_unmap(void **state)
{
	u8 cdb[16] = { 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0 };

	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.kind, KTGT_SCSI_K_UNMAP);
	assert_int_equal(cmd.dir, KTGT_SCSI_DIR_OUT);
	assert_int_equal(cmd.data_len, 24);
	cdb[1] = 0x01;				/* ANCHOR */
	expect_field(p16(cdb), 1, 0);
	cdb[1] = 0;
	cdb[8] = 4;
	assert_int_equal(p16(cdb), KTGT_SR_PARAM_LIST_LENGTH_ERROR);
	cdb[8] = 0;
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.dir, KTGT_SCSI_DIR_NONE);
	dev.can_unmap = false;
	assert_int_equal(p16(cdb), KTGT_SR_INVALID_OPCODE);
	dev.can_unmap = true;
}

static void test_service_actions(void **state)
{
	u8 rc16[16] = { 0x9e, 0x10 };
	u8 mi[12] = { 0xa3, 0x0a };

	put_unaligned_be32(32, &rc16[10]);
	assert_int_equal(p16(rc16), KTGT_SR_OK);
	assert_int_equal(cmd.kind, KTGT_SCSI_K_EMUL_IN);
	assert_int_equal(cmd.sa, 0x10);
	assert_int_equal(cmd.data_len, 32);
	rc16[1] = 0x11;
	expect_field(p16(rc16), 1, 4);
	rc16[1] = 0x30;				/* bit 5 above the SA */
	expect_field(p16(rc16), 1, 5);
	/* PMI 0 with LBA set */
	rc16[1] = 0x10;
	rc16[9] = 1;
	expect_field(p16(rc16), 2, -1);
	rc16[14] = 1;
	assert_int_equal(p16(rc16), KTGT_SR_OK);
	/* REPORT TARGET PORT GROUPS: not supported (TPGS 0) */
	assert_int_equal(ktgt_scsi_parse(&dev, mi, 12, &cmd),
			 KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_int_equal(cmd.sense.field, 1);
}

static void test_no_lun(void **state)
{
	u8 inq[16] = { 0x12, 0, 0, 0, 36, 0 };
	u8 rl[16] = { 0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 };
	u8 rs[16] = { 0x03, 0, 0, 0, 18, 0 };
	u8 rd[16] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	u8 bad[16] = { 0x02 };

	assert_int_equal(ktgt_scsi_parse(NULL, inq, 16, &cmd), KTGT_SR_OK);
	assert_int_equal(cmd.data_len, 36);
	assert_int_equal(ktgt_scsi_parse(NULL, rl, 16, &cmd), KTGT_SR_OK);
	assert_int_equal(ktgt_scsi_parse(NULL, rs, 16, &cmd), KTGT_SR_OK);
	assert_int_equal(ktgt_scsi_parse(NULL, rd, 16, &cmd),
			 KTGT_SR_LUN_NOT_SUPPORTED);
	assert_int_equal(ktgt_scsi_parse(NULL, bad, 16, &cmd),
			 KTGT_SR_LUN_NOT_SUPPORTED);
}

static void test_inquiry_cdb(void **state)
{
	u8 cdb[16] = { 0x12, 0x00, 0x00, 0x01, 0x04, 0 };

	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.data_len, 0x104);	/* 16-bit allocation length */
	cdb[2] = 0x80;				/* page code without EVPD */
	expect_field(p16(cdb), 2, -1);
	cdb[1] = 0x01;
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	cdb[1] = 0x02;				/* CMDDT */
	expect_field(p16(cdb), 1, 1);
}

static void test_misc_cdbs(void **state)
{
	u8 ms[16] = { 0x1a, 0, 0xff, 0, 0xff, 0 };
	u8 rl[16] = { 0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 15, 0, 0 };
	u8 rc10[16] = { 0x25, 0, 0, 0, 0, 1, 0, 0, 0, 0 };
	u8 pa[16] = { 0x1e, 0, 0, 0, 1, 0 };
	u8 ssu[16] = { 0x1b, 0x01, 0, 0x0f, 0xf7, 0 };
	u8 msel[16] = { 0x55, 0x10, 0, 0, 0, 0, 0, 0, 28, 0 };

	assert_int_equal(p16(ms), KTGT_SR_SAVING_PARAMS_UNSUP);
	ms[2] = 0x3f;
	assert_int_equal(p16(ms), KTGT_SR_OK);
	assert_int_equal(cmd.data_len, 255);
	assert_int_equal(p16(rl), KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_int_equal(cmd.sense.field, 6);
	rl[9] = 16;
	assert_int_equal(p16(rl), KTGT_SR_OK);
	rl[2] = 3;
	expect_field(p16(rl), 2, -1);
	expect_field(p16(rc10), 2, -1);
	rc10[8] = 1;				/* PMI */
	assert_int_equal(p16(rc10), KTGT_SR_OK);
	assert_int_equal(cmd.data_len, 8);
	assert_int_equal(p16(pa), KTGT_SR_OK);
	assert_int_equal(cmd.kind, KTGT_SCSI_K_NO_DATA);
	pa[4] = 2;
	expect_field(p16(pa), 4, 1);
	assert_int_equal(p16(ssu), KTGT_SR_OK);
	assert_true(cmd.immed);
	ssu[4] = 0x08;
	expect_field(p16(ssu), 4, 3);
	assert_int_equal(p16(msel), KTGT_SR_OK);
	assert_int_equal(cmd.kind, KTGT_SCSI_K_EMUL_OUT);
	assert_int_equal(cmd.data_len, 28);
	msel[1] = 0x11;				/* SP: saving unsupported */
	expect_field(p16(msel), 1, 0);
}

static void test_big_blocks(void **state)
{
	u8 cdb[16] = { 0x8a };

	dev.block_size = 4096;
	dev.max_xfer_blocks = 0;
	dev.nr_blocks = 0x1000000000ULL;
	put_unaligned_be32(0x100000, &cdb[10]);	/* exactly 4 GiB */
	expect_field(p16(cdb), 10, -1);
	put_unaligned_be32(0xfffff, &cdb[10]);
	assert_int_equal(p16(cdb), KTGT_SR_OK);
	assert_int_equal(cmd.data_len, 0xfffff000u);
	dev.block_size = 520;
	assert_int_equal(p16(cdb), KTGT_SR_INTERNAL_ERROR);
	setup(NULL);
}

/* START STOP UNIT and PREVENT ALLOW, fixed and removable media. */
static void test_removable(void **state)
{
	u8 ssu[16] = { 0x1b, 0, 0, 0, 0x02, 0 };	/* LOEJ, eject */
	u8 pa[16] = { 0x1e, 0, 0, 0, 0x01, 0 };		/* PREVENT */
	u8 rd[16] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	u8 tur[16] = { 0 };
	u8 inq[16] = { 0x12, 0, 0, 0, 36, 0 };
	u8 msense[16] = { 0x1a, 0, 0x3f, 0, 255, 0 };

	/* a fixed disk: LOEJ has nothing to move */
	assert_int_equal(p16(ssu), KTGT_SR_OK);
	assert_int_equal(cmd.kind, KTGT_SCSI_K_NO_DATA);
	assert_false(cmd.load_eject);
	dev.removable = true;
	assert_int_equal(p16(ssu), KTGT_SR_OK);
	assert_true(cmd.load_eject);
	assert_false(cmd.start);
	ssu[4] = 0x03;					/* load */
	assert_int_equal(p16(ssu), KTGT_SR_OK);
	assert_true(cmd.load_eject && cmd.start);
	ssu[4] = 0x01;					/* START, no LOEJ */
	assert_int_equal(p16(ssu), KTGT_SR_OK);
	assert_false(cmd.load_eject);
	ssu[4] = 0x12;			/* POWER CONDITION 1: LOEJ ignored */
	assert_int_equal(p16(ssu), KTGT_SR_OK);
	assert_false(cmd.load_eject);
	ssu[4] = 0x08;					/* reserved bit */
	expect_field(p16(ssu), 4, 3);

	assert_int_equal(p16(pa), KTGT_SR_OK);
	assert_true(cmd.prevent);
	pa[4] = 0;
	assert_int_equal(p16(pa), KTGT_SR_OK);
	assert_false(cmd.prevent);
	pa[4] = 0x02;				/* medium changer values */
	expect_field(p16(pa), 4, 1);
	pa[4] = 0;

	/* medium out: only commands that do not touch it run */
	dev.no_medium = true;
	assert_int_equal(p16(rd), KTGT_SR_NOT_READY_NO_MEDIUM);
	assert_int_equal(p16(tur), KTGT_SR_NOT_READY_NO_MEDIUM);
	assert_int_equal(p16(inq), KTGT_SR_OK);
	assert_int_equal(p16(msense), KTGT_SR_OK);
	assert_int_equal(p16(pa), KTGT_SR_OK);
	ssu[4] = 0x03;
	assert_int_equal(p16(ssu), KTGT_SR_OK);
	/* an invalid CDB is still reported as such */
	rd[1] = 0x01;
	expect_field(p16(rd), 1, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_tur, setup),
		cmocka_unit_test_setup(test_invalid_opcode, setup),
		cmocka_unit_test_setup(test_read10, setup),
		cmocka_unit_test_setup(test_read10_ranges, setup),
		cmocka_unit_test_setup(test_read16_wrap, setup),
		cmocka_unit_test_setup(test_read12_write12, setup),
		cmocka_unit_test_setup(test_read6, setup),
		cmocka_unit_test_setup(test_write_protect, setup),
		cmocka_unit_test_setup(test_verify, setup),
		cmocka_unit_test_setup(test_write_verify, setup),
		cmocka_unit_test_setup(test_sync_cache, setup),
		cmocka_unit_test_setup(test_write_same, setup),
		cmocka_unit_test_setup(test_unmap, setup),
		cmocka_unit_test_setup(test_service_actions, setup),
		cmocka_unit_test_setup(test_no_lun, setup),
		cmocka_unit_test_setup(test_inquiry_cdb, setup),
		cmocka_unit_test_setup(test_misc_cdbs, setup),
		cmocka_unit_test_setup(test_big_blocks, setup),
		cmocka_unit_test_setup(test_removable, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
