// SPDX-License-Identifier: GPL-2.0
/*
 * SPC/SBC emulation: data-in byte vectors, MODE SELECT, REQUEST SENSE and
 * unit attentions, REPORT SUPPORTED OPERATION CODES vs. the parser.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ktgt/scsi/scsi.h>

static struct ktgt_scsi_dev dev;
static struct ktgt_scsi_lu_state lu;
static struct ktgt_scsi_ua ua;
static const u64 luns[] = { 0, 1, 300 };
static struct ktgt_scsi_ctx ctx;
static struct ktgt_scsi_cmd cmd;
static u8 buf[70000];
static u32 n;

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
	ktgt_scsi_lu_state_init(&lu, &dev);
	ua.pending = 0;
	ctx.dev = &dev;
	ctx.lu = &lu;
	ctx.ua = &ua;
	ctx.luns = luns;
	ctx.nr_luns = 3;
	memset(buf, 0xa5, sizeof(buf));
	return 0;
}

/* parse + emulate a data-in command with a buffer of @cap bytes */
static enum ktgt_sense_reason run_in(const u8 *cdb, u32 cap)
{
	enum ktgt_sense_reason r;

	n = 0xdead;
	r = ktgt_scsi_parse(ctx.dev, cdb, 16, &cmd);
	if (r)
		return r;
	assert_true(cmd.kind == KTGT_SCSI_K_EMUL_IN ||
		    cmd.kind == KTGT_SCSI_K_NO_DATA);
	if (cap > cmd.data_len)
		cap = cmd.data_len;
	return ktgt_scsi_emulate(&ctx, &cmd, buf, cap, &n);
}

static void test_inquiry_standard(void **state)
{
	static const u8 exp[74] = {
		0x00, 0x00, 0x06, 0x12, 0x45, 0x00, 0x00, 0x02,
		'K', 'T', 'G', 'T', ' ', ' ', ' ', ' ',
		'k', 't', 'g', 't', ' ', 'd', 'i', 's',
		'k', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
		'0', '0', '0', '1',
		[58] = 0x00, 0xa0, 0x09, 0x60, 0x04, 0x60, 0x04, 0xc0,
	};
	u8 cdb[16] = { 0x12, 0, 0, 0x01, 0x04, 0 };

	assert_int_equal(run_in(cdb, 4096), KTGT_SR_OK);
	assert_int_equal(n, 74);
	assert_memory_equal(buf, exp, 74);
	/* allocation length truncates; the additional length stays */
	memset(buf, 0xa5, 100);
	cdb[3] = 0;
	cdb[4] = 36;
	assert_int_equal(run_in(cdb, 4096), KTGT_SR_OK);
	assert_int_equal(n, 36);
	assert_memory_equal(buf, exp, 36);
	assert_int_equal(buf[36], 0xa5);
	cdb[4] = 5;
	assert_int_equal(run_in(cdb, 4096), KTGT_SR_OK);
	assert_int_equal(n, 5);
	assert_int_equal(buf[4], 0x45);
	cdb[4] = 0;
	assert_int_equal(run_in(cdb, 4096), KTGT_SR_OK);
	assert_int_equal(n, 0);
	/* a buffer smaller than the allocation length */
	cdb[4] = 255;
	assert_int_equal(run_in(cdb, 10), KTGT_SR_OK);
	assert_int_equal(n, 10);
	assert_int_equal(buf[1], 0x00);
	/* removable medium: RMB, also while the medium is out */
	dev.removable = true;
	dev.no_medium = true;
	assert_int_equal(run_in(cdb, 10), KTGT_SR_OK);
	assert_int_equal(buf[1], 0x80);
	dev.removable = false;
	dev.no_medium = false;
}

static void test_inquiry_no_lun(void **state)
{
	u8 cdb[16] = { 0x12, 0, 0, 0, 96, 0 };
	u8 vpd[16] = { 0x12, 1, 0, 0, 96, 0 };

	ctx.dev = NULL;
	ctx.lu = NULL;
	assert_int_equal(run_in(cdb, 96), KTGT_SR_OK);
	assert_int_equal(n, 74);
	assert_int_equal(buf[0], 0x7f);
	assert_int_equal(buf[2], 0x06);
	assert_int_equal(run_in(vpd, 96), KTGT_SR_LUN_NOT_SUPPORTED);
}

static void test_vpd_supported(void **state)
{
	static const u8 exp[] = {
		0x00, 0x00, 0x00, 0x06, 0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2
	};
	u8 cdb[16] = { 0x12, 1, 0x00, 0, 255, 0 };

	assert_int_equal(run_in(cdb, 255), KTGT_SR_OK);
	assert_int_equal(n, sizeof(exp));
	assert_memory_equal(buf, exp, sizeof(exp));
	/* no serial number: no page 80h */
	dev.serial = NULL;
	assert_int_equal(run_in(cdb, 255), KTGT_SR_OK);
	assert_int_equal(n, 9);
	assert_int_equal(buf[3], 5);
	assert_int_equal(buf[5], 0x83);
	cdb[2] = 0x80;
	assert_int_equal(run_in(cdb, 255), KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_int_equal(cmd.sense.field, 2);
}

static void test_vpd_serial(void **state)
{
	u8 cdb[16] = { 0x12, 1, 0x80, 0, 255, 0 };

	assert_int_equal(run_in(cdb, 255), KTGT_SR_OK);
	assert_int_equal(n, 20);
	assert_memory_equal(buf, "\x00\x80\x00\x10", 4);
	assert_memory_equal(&buf[4], "0123456789abcdef", 16);
	cdb[2] = 0x81;
	assert_int_equal(run_in(cdb, 255), KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_int_equal(cmd.sense.field, 2);
	assert_false(cmd.sense.flags & KTGT_SI_BIT);
}

static void test_vpd_devid(void **state)
{
	static const u8 exp[128] = {
		0x00, 0x83, 0x00, 0x7c,
		/* NAA 3, locally assigned */
		0x01, 0x03, 0x00, 0x08,
		0x31, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		/* T10 vendor id */
		0x02, 0x01, 0x00, 0x18,
		'K', 'T', 'G', 'T', ' ', ' ', ' ', ' ',
		'0', '1', '2', '3', '4', '5', '6', '7',
		'8', '9', 'a', 'b', 'c', 'd', 'e', 'f',
		/* relative target port */
		0x51, 0x94, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01,
		/* target port group */
		0x51, 0x95, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00,
		/* SCSI name string, target port */
		0x53, 0x98, 0x00, 0x24,
		'i', 'q', 'n', '.', '2', '0', '2', '4',
		'-', '0', '1', '.', 'o', 'r', 'g', '.',
		'k', 't', 'g', 't', ':', 't', '1', ',',
		't', ',', '0', 'x', '0', '0', '0', '1',
		0, 0, 0, 0,
		/* SCSI name string, target device */
		0x53, 0xa8, 0x00, 0x18,
		'i', 'q', 'n', '.', '2', '0', '2', '4',
		'-', '0', '1', '.', 'o', 'r', 'g', '.',
		'k', 't', 'g', 't', ':', 't', '1', 0,
	};
	u8 cdb[16] = { 0x12, 1, 0x83, 0x01, 0x00, 0 };

	assert_int_equal(run_in(cdb, 256), KTGT_SR_OK);
	assert_int_equal(n, 128);
	assert_memory_equal(buf, exp, 128);
	/* NAA 6 with an OUI */
	dev.naa_oui = 0x001405;
	dev.tpgt = 0xabc;
	assert_int_equal(run_in(cdb, 256), KTGT_SR_OK);
	assert_int_equal(n, 136);
	assert_memory_equal(&buf[4], "\x01\x03\x00\x10"
			    "\x60\x01\x40\x50\x12\x34\x56\x78"
			    "\x01\x23\x45\x67\x89\xab\xcd\xef", 20);
	assert_memory_equal(&buf[8 + 16 + 28 + 16 + 4 + 23], ",t,0x0abc", 9);
}

static void test_vpd_block_limits(void **state)
{
	static const u8 exp[64] = {
		0x00, 0xb0, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x08,
		0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x80,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00,
		0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x08,
		0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x40, 0x00,
	};
	u8 cdb[16] = { 0x12, 1, 0xb0, 0, 255, 0 };

	assert_int_equal(run_in(cdb, 255), KTGT_SR_OK);
	assert_int_equal(n, 64);
	assert_memory_equal(buf, exp, 64);
	/* no unmap: the unmap limits are zero */
	dev.can_unmap = false;
	assert_int_equal(run_in(cdb, 255), KTGT_SR_OK);
	assert_memory_equal(&buf[20], "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
}

static void test_vpd_bdc_lbp(void **state)
{
	static const u8 b1[8] = { 0x00, 0xb1, 0x00, 0x3c, 0x00, 0x01, 0, 0 };
	static const u8 b2[8] = { 0x00, 0xb2, 0x00, 0x04, 0x00, 0xe4, 0x02, 0 };
	static const u8 b2n[8] = { 0x00, 0xb2, 0x00, 0x04, 0, 0, 0, 0 };
	u8 cdb[16] = { 0x12, 1, 0xb1, 0, 255, 0 };
	unsigned int i;

	assert_int_equal(run_in(cdb, 255), KTGT_SR_OK);
	assert_int_equal(n, 64);
	assert_memory_equal(buf, b1, 8);
	for (i = 8; i < 64; i++)
		assert_int_equal(buf[i], 0);
	cdb[2] = 0xb2;
	assert_int_equal(run_in(cdb, 255), KTGT_SR_OK);
	assert_int_equal(n, 8);
	assert_memory_equal(buf, b2, 8);
	dev.can_unmap = false;
	assert_int_equal(run_in(cdb, 255), KTGT_SR_OK);
	assert_memory_equal(buf, b2n, 8);
}

static void test_read_capacity(void **state)
{
	static const u8 rc10[8] = { 0, 0, 0xff, 0xff, 0, 0, 0x02, 0 };
	static const u8 rc16[32] = {
		0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0x02, 0x00,
		0x00, 0x03, 0xc0, 0x00,
	};
	u8 c10[16] = { 0x25 };
	u8 c16[16] = { 0x9e, 0x10 };

	assert_int_equal(run_in(c10, 8), KTGT_SR_OK);
	assert_int_equal(n, 8);
	assert_memory_equal(buf, rc10, 8);
	put_unaligned_be32(32, &c16[10]);
	assert_int_equal(run_in(c16, 32), KTGT_SR_OK);
	assert_int_equal(n, 32);
	assert_memory_equal(buf, rc16, 32);
	/* allocation length 0..15 are all fine */
	put_unaligned_be32(12, &c16[10]);
	assert_int_equal(run_in(c16, 4096), KTGT_SR_OK);
	assert_int_equal(n, 12);
	put_unaligned_be32(0, &c16[10]);
	assert_int_equal(run_in(c16, 4096), KTGT_SR_OK);
	assert_int_equal(n, 0);
	/* larger than 2^32 blocks: RC10 says ffffffffh */
	dev.nr_blocks = 0x200000000ULL;
	dev.block_size = 4096;
	dev.can_unmap = false;
	dev.lbppbe = 0;
	assert_int_equal(run_in(c10, 8), KTGT_SR_OK);
	assert_memory_equal(buf, "\xff\xff\xff\xff\x00\x00\x10\x00", 8);
	put_unaligned_be32(32, &c16[10]);
	assert_int_equal(run_in(c16, 32), KTGT_SR_OK);
	assert_memory_equal(buf, "\x00\x00\x00\x01\xff\xff\xff\xff"
			    "\x00\x00\x10\x00\x00\x00\x00\x00", 16);
	/* exactly 2^32 blocks: last LBA fffffffeh... no, ffffffffh */
	dev.nr_blocks = 0x100000000ULL;
	assert_int_equal(run_in(c10, 8), KTGT_SR_OK);
	assert_memory_equal(buf, "\xff\xff\xff\xff", 4);
	dev.nr_blocks = 0xffffffffULL;
	assert_int_equal(run_in(c10, 8), KTGT_SR_OK);
	assert_memory_equal(buf, "\xff\xff\xff\xfe", 4);
}

static void test_report_luns(void **state)
{
	static const u8 exp[32] = {
		0, 0, 0, 0x18, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 1, 0, 0, 0, 0, 0, 0,
		0x41, 0x2c, 0, 0, 0, 0, 0, 0,
	};
	u8 cdb[16] = { 0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 };

	ktgt_scsi_ua_set(&ua, KTGT_SR_UA_REPORTED_LUNS_CHANGED);
	ktgt_scsi_ua_set(&ua, KTGT_SR_UA_POWER_ON_RESET);
	assert_int_equal(ktgt_scsi_ua_check(&ua, cdb, 12), KTGT_SR_OK);
	assert_int_equal(run_in(cdb, 4096), KTGT_SR_OK);
	assert_int_equal(n, 32);
	assert_memory_equal(buf, exp, 32);
	/* REPORT LUNS cleared its own UA only */
	assert_int_equal(ktgt_scsi_ua_pop(&ua), KTGT_SR_UA_POWER_ON_RESET);
	assert_int_equal(ktgt_scsi_ua_pop(&ua), KTGT_SR_OK);
	/* truncated: the list length still covers everything */
	cdb[8] = 0;
	cdb[9] = 16;
	assert_int_equal(run_in(cdb, 4096), KTGT_SR_OK);
	assert_int_equal(n, 16);
	assert_memory_equal(buf, exp, 16);
	/* well known LUs only: none */
	cdb[2] = 1;
	cdb[9] = 64;
	assert_int_equal(run_in(cdb, 4096), KTGT_SR_OK);
	assert_int_equal(n, 8);
	assert_memory_equal(buf, "\0\0\0\0\0\0\0\0", 8);
	/* nothing visible: LUN 0 anyway */
	cdb[2] = 2;
	ctx.nr_luns = 0;
	assert_int_equal(run_in(cdb, 4096), KTGT_SR_OK);
	assert_int_equal(n, 16);
	assert_memory_equal(buf, "\0\0\0\x08\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	/* without a LU at this LUN */
	ctx.nr_luns = 3;
	ctx.dev = NULL;
	ctx.lu = NULL;
	assert_int_equal(run_in(cdb, 4096), KTGT_SR_OK);
	assert_int_equal(n, 32);
}

static void test_lun_codec(void **state)
{
	u8 l[8];
	u64 v;

	assert_int_equal(ktgt_scsi_lun_encode(5, l), 0);
	assert_memory_equal(l, "\0\x05\0\0\0\0\0\0", 8);
	assert_int_equal(ktgt_scsi_lun_encode(16383, l), 0);
	assert_memory_equal(l, "\x7f\xff\0\0\0\0\0\0", 8);
	assert_int_equal(ktgt_scsi_lun_decode(l, &v), 0);
	assert_int_equal(v, 16383);
	assert_int_equal(ktgt_scsi_lun_encode(16384, l), -EINVAL);
	memcpy(l, "\x01\x00\0\0\0\0\0\0", 8);	/* peripheral, bus 1 */
	assert_int_equal(ktgt_scsi_lun_decode(l, &v), -EINVAL);
	memcpy(l, "\x00\x07\0\0\0\0\0\x01", 8);
	assert_int_equal(ktgt_scsi_lun_decode(l, &v), -EINVAL);
	memcpy(l, "\x00\x07\0\0\0\0\0\0", 8);
	assert_int_equal(ktgt_scsi_lun_decode(l, &v), 0);
	assert_int_equal(v, 7);
	memcpy(l, "\xc0\x07\0\0\0\0\0\0", 8);
	assert_int_equal(ktgt_scsi_lun_decode(l, &v), -EINVAL);
}

static const u8 ms_all[56] = {
	0x37, 0x00, 0x10, 0x08,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00,
	0x01, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x08, 0x12, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x0a, 0x0a, 0x20, 0x10, 0, 0, 0, 0, 0, 0, 0, 0,
};

static void test_mode_sense6(void **state)
{
	u8 cdb[16] = { 0x1a, 0, 0x3f, 0, 255, 0 };

	assert_int_equal(run_in(cdb, 255), KTGT_SR_OK);
	assert_int_equal(n, 56);
	assert_memory_equal(buf, ms_all, 56);
	/* all pages and subpages: the same, we have no subpages */
	cdb[3] = 0xff;
	assert_int_equal(run_in(cdb, 255), KTGT_SR_OK);
	assert_memory_equal(buf, ms_all, 56);
	/* allocation length 4: the header only, no residual overflow */
	cdb[3] = 0;
	cdb[4] = 4;
	assert_int_equal(run_in(cdb, 255), KTGT_SR_OK);
	assert_int_equal(n, 4);
	assert_memory_equal(buf, ms_all, 4);
	/* DBD, caching page, read-only LU */
	dev.read_only = true;
	cdb[1] = 0x08;
	cdb[2] = 0x08;
	cdb[4] = 255;
	assert_int_equal(run_in(cdb, 255), KTGT_SR_OK);
	assert_int_equal(n, 24);
	assert_memory_equal(buf, "\x17\x00\x90\x00\x08\x12\x04\x00", 8);
	/* changeable values of the control page */
	cdb[2] = 0x4a;
	assert_int_equal(run_in(cdb, 255), KTGT_SR_OK);
	assert_int_equal(n, 16);
	assert_memory_equal(buf, "\x0f\x00\x90\x00\x0a\x0a\x04\x00"
			    "\0\0\0\0\0\0\0\0", 16);
	/* default values of the caching page with WCE off by default */
	dev.write_cache = false;
	cdb[2] = 0x88;
	assert_int_equal(run_in(cdb, 255), KTGT_SR_OK);
	assert_int_equal(buf[6], 0x00);
	cdb[2] = 0x08;				/* current is still on */
	assert_int_equal(run_in(cdb, 255), KTGT_SR_OK);
	assert_int_equal(buf[6], 0x04);
	/* unsupported page, subpage */
	cdb[2] = 0x1c;
	assert_int_equal(run_in(cdb, 255), KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_int_equal(cmd.sense.field, 2);
	assert_int_equal(cmd.sense.bit, 5);
	cdb[2] = 0x08;
	cdb[3] = 0x01;
	assert_int_equal(run_in(cdb, 255), KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_int_equal(cmd.sense.field, 3);
	/* saved values */
	cdb[2] = 0xc8;
	cdb[3] = 0;
	assert_int_equal(run_in(cdb, 255), KTGT_SR_SAVING_PARAMS_UNSUP);
}

static void test_mode_sense10(void **state)
{
	static const u8 exp[36] = {
		0x00, 0x22, 0x00, 0x10, 0x01, 0x00, 0x00, 0x10,
		0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00,
		0x0a, 0x0a, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	u8 cdb[16] = { 0x5a, 0x10, 0x4a, 0, 0, 0, 0, 0x10, 0x00, 0 };

	assert_int_equal(run_in(cdb, 4096), KTGT_SR_OK);
	assert_int_equal(n, 36);
	assert_memory_equal(buf, exp, 36);
	/* no LLBAA: short descriptor */
	cdb[1] = 0;
	cdb[2] = 0x3f;
	assert_int_equal(run_in(cdb, 4096), KTGT_SR_OK);
	assert_int_equal(n, 60);
	assert_memory_equal(buf, "\x00\x3a\x00\x10\x00\x00\x00\x08", 8);
	assert_memory_equal(&buf[8], &ms_all[4], 52);
}

static enum ktgt_sense_reason msel(const u8 *cdb, const u8 *p, u32 len,
				   bool *changed)
{
	enum ktgt_sense_reason r = ktgt_scsi_parse(&dev, cdb, 16, &cmd);

	if (r)
		return r;
	assert_int_equal(cmd.kind, KTGT_SCSI_K_EMUL_OUT);
	return ktgt_scsi_emulate_out(&ctx, &cmd, p, len, changed);
}

static void test_mode_select(void **state)
{
	u8 p[4 + 8 + 20] = {
		0x00, 0x00, 0x00, 0x08,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00,
		0x08, 0x12, 0x00,
	};
	u8 cdb[16] = { 0x15, 0x10, 0, 0, sizeof(p), 0 };
	u8 ctl[4 + 12] = { 0, 0, 0, 0, 0x0a, 0x0a, 0x24, 0x10 };
	u8 cdbc[16] = { 0x15, 0x10, 0, 0, sizeof(ctl), 0 };
	bool ch;

	/* WCE off */
	assert_int_equal(msel(cdb, p, sizeof(p), &ch), KTGT_SR_OK);
	assert_true(ch);
	assert_false(lu.wce);
	assert_int_equal(msel(cdb, p, sizeof(p), &ch), KTGT_SR_OK);
	assert_false(ch);
	/* RCD is not changeable */
	p[14] = 0x05;
	assert_int_equal(msel(cdb, p, sizeof(p), &ch),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_int_equal(cmd.sense.field, 14);
	assert_int_equal(cmd.sense.bit, 0);
	assert_false(lu.wce);
	p[14] = 0x04;
	/* wrong page length */
	p[13] = 0x11;
	assert_int_equal(msel(cdb, p, sizeof(p), &ch),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_int_equal(cmd.sense.field, 13);
	p[13] = 0x12;
	/* page truncated by the parameter list length */
	cdb[4] = sizeof(p) - 1;
	assert_int_equal(msel(cdb, p, sizeof(p), &ch),
			 KTGT_SR_PARAM_LIST_LENGTH_ERROR);
	cdb[4] = sizeof(p);
	/* block descriptor with another block size */
	p[10] = 0x10;
	assert_int_equal(msel(cdb, p, sizeof(p), &ch),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_int_equal(cmd.sense.field, 9);
	p[10] = 0x02;
	assert_int_equal(msel(cdb, p, sizeof(p), &ch), KTGT_SR_OK);
	assert_true(lu.wce);
	/* WCE not changeable */
	dev.wce_changeable = false;
	p[14] = 0;
	assert_int_equal(msel(cdb, p, sizeof(p), &ch),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_int_equal(cmd.sense.field, 14);
	assert_int_equal(cmd.sense.bit, 2);
	/* SPF, unknown page */
	p[12] = 0x48;
	assert_int_equal(msel(cdb, p, sizeof(p), &ch),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_int_equal(cmd.sense.field, 12);
	assert_int_equal(cmd.sense.bit, 6);
	p[12] = 0x1c;
	assert_int_equal(msel(cdb, p, sizeof(p), &ch),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	/* medium type */
	p[12] = 0x08;
	p[1] = 1;
	assert_int_equal(msel(cdb, p, sizeof(p), &ch),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_int_equal(cmd.sense.field, 1);
	/* header only, zero length */
	cdb[4] = 4;
	p[1] = 0;
	p[3] = 0;
	assert_int_equal(msel(cdb, p, 4, &ch), KTGT_SR_OK);
	cdb[4] = 0;
	assert_int_equal(msel(cdb, p, 0, &ch), KTGT_SR_OK);
	cdb[4] = 3;
	assert_int_equal(msel(cdb, p, 3, &ch),
			 KTGT_SR_PARAM_LIST_LENGTH_ERROR);
	/* D_SENSE on, QAM must stay */
	assert_int_equal(msel(cdbc, ctl, sizeof(ctl), &ch), KTGT_SR_OK);
	assert_true(lu.d_sense);
	ctl[7] = 0;
	assert_int_equal(msel(cdbc, ctl, sizeof(ctl), &ch),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_int_equal(cmd.sense.field, 7);
	assert_int_equal(cmd.sense.bit, 4);
}

static void test_mode_select10(void **state)
{
	u8 p[8 + 16 + 12] = {
		0, 0, 0, 0, 0x01, 0, 0, 0x10,
		0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00,
		0x0a, 0x0a, 0x24, 0x10,
	};
	u8 cdb[16] = { 0x55, 0x10, 0, 0, 0, 0, 0, 0, sizeof(p), 0 };
	bool ch;

	assert_int_equal(msel(cdb, p, sizeof(p), &ch), KTGT_SR_OK);
	assert_true(ch);
	assert_true(lu.d_sense);
	/* a 16-byte descriptor needs LONGLBA */
	p[4] = 0;
	assert_int_equal(msel(cdb, p, sizeof(p), &ch),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_int_equal(cmd.sense.field, 6);
	p[4] = 1;
	p[13] = 2;				/* capacity can't change */
	assert_int_equal(msel(cdb, p, sizeof(p), &ch),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_int_equal(cmd.sense.field, 8);
}

static void test_request_sense_ua(void **state)
{
	u8 cdb[16] = { 0x03, 0, 0, 0, 252, 0 };
	u8 tur[16] = { 0x00 };
	u8 inq[16] = { 0x12, 0, 0, 0, 36, 0 };

	assert_int_equal(run_in(cdb, 252), KTGT_SR_OK);
	assert_int_equal(n, 18);
	assert_memory_equal(buf, "\x70\x00\x00\x00\x00\x00\x00\x0a"
			    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 18);
	ktgt_scsi_ua_set(&ua, KTGT_SR_UA_CAPACITY_CHANGED);
	ktgt_scsi_ua_set(&ua, KTGT_SR_UA_POWER_ON_RESET);
	ktgt_scsi_ua_set(&ua, KTGT_SR_UA_MODE_PARAMS_CHANGED);
	/* INQUIRY neither reports nor clears */
	assert_int_equal(ktgt_scsi_ua_check(&ua, inq, 6), KTGT_SR_OK);
	assert_int_equal(ktgt_scsi_ua_check(&ua, cdb, 6), KTGT_SR_OK);
	/* REQUEST SENSE returns the highest priority one */
	assert_int_equal(run_in(cdb, 252), KTGT_SR_OK);
	assert_int_equal(n, 18);
	assert_memory_equal(buf, "\x70\x00\x06\x00\x00\x00\x00\x0a"
			    "\x00\x00\x00\x00\x29\x00\x00\x00\x00\x00", 18);
	/* TUR reports the next and clears it */
	assert_int_equal(ktgt_scsi_ua_check(&ua, tur, 6),
			 KTGT_SR_UA_MODE_PARAMS_CHANGED);
	/* descriptor format by the DESC bit */
	cdb[1] = 1;
	assert_int_equal(run_in(cdb, 252), KTGT_SR_OK);
	assert_int_equal(n, 8);
	assert_memory_equal(buf, "\x72\x06\x2a\x09\x00\x00\x00\x00", 8);
	assert_int_equal(ktgt_scsi_ua_check(&ua, tur, 6), KTGT_SR_OK);
	/* truncated */
	cdb[1] = 0;
	cdb[4] = 3;
	assert_int_equal(run_in(cdb, 252), KTGT_SR_OK);
	assert_int_equal(n, 3);
	/* no LU: LOGICAL UNIT NOT SUPPORTED as data, GOOD status */
	ctx.dev = NULL;
	ctx.lu = NULL;
	cdb[4] = 18;
	assert_int_equal(run_in(cdb, 252), KTGT_SR_OK);
	assert_int_equal(buf[2], 0x05);
	assert_int_equal(buf[12], 0x25);
}

static void test_no_data(void **state)
{
	u8 tur[16] = { 0x00 };
	u8 pa[16] = { 0x1e, 0, 0, 0, 1, 0 };
	u8 ssu[16] = { 0x1b, 1, 0, 0, 0x02, 0 };

	assert_int_equal(run_in(tur, 0), KTGT_SR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(run_in(pa, 0), KTGT_SR_OK);
	assert_int_equal(run_in(ssu, 0), KTGT_SR_OK);
}

static void test_rsoc_all_vs_parse(void **state);

static enum ktgt_sense_reason rsoc(u8 opts, u8 op, u16 sa, u32 alloc)
{
	u8 cdb[16] = { 0xa3, 0x0c, opts, op };

	put_unaligned_be16(sa, &cdb[4]);
	put_unaligned_be32(alloc, &cdb[6]);
	return run_in(cdb, sizeof(buf));
}

static void test_rsoc_one(void **state)
{
	static const u8 r10[14] = {
		0x00, 0x03, 0x00, 0x0a,
		0x28, 0x18, 0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0x00,
	};
	static const u8 to[12] = { 0, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 30 };

	assert_int_equal(rsoc(1, 0x28, 0, 512), KTGT_SR_OK);
	assert_int_equal(n, 14);
	assert_memory_equal(buf, r10, 14);
	assert_int_equal(rsoc(0x81, 0x28, 0, 512), KTGT_SR_OK);
	assert_int_equal(n, 26);
	assert_int_equal(buf[1], 0x83);
	assert_memory_equal(&buf[4], &r10[4], 10);
	assert_memory_equal(&buf[14], to, 12);
	/* unsupported opcode: SUPPORT 001b */
	assert_int_equal(rsoc(1, 0x89, 0, 512), KTGT_SR_OK);
	assert_int_equal(n, 4);
	assert_memory_equal(buf, "\x00\x01\x00\x00", 4);
	/* opcode with service actions needs option 2 */
	assert_int_equal(rsoc(1, 0x9e, 0x10, 512),
			 KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_int_equal(cmd.sense.field, 3);
	assert_int_equal(rsoc(2, 0x9e, 0x10, 512), KTGT_SR_OK);
	assert_int_equal(n, 20);
	assert_memory_equal(buf, "\x00\x03\x00\x10\x9e\x10\xff\xff", 8);
	assert_int_equal(rsoc(2, 0x9e, 0x12, 512), KTGT_SR_OK);
	assert_int_equal(buf[1], 0x01);
	assert_int_equal(rsoc(2, 0x28, 0, 512), KTGT_SR_INVALID_FIELD_IN_CDB);
	/* option 3: SA only where one exists */
	assert_int_equal(rsoc(3, 0x28, 0x55, 512), KTGT_SR_OK);
	assert_int_equal(buf[1], 0x03);
	assert_int_equal(rsoc(4, 0x28, 0, 512), KTGT_SR_INVALID_FIELD_IN_CDB);
	assert_int_equal(cmd.sense.field, 2);
	/* UNMAP disappears with can_unmap */
	assert_int_equal(rsoc(1, 0x42, 0, 512), KTGT_SR_OK);
	assert_int_equal(buf[1], 0x03);
	dev.can_unmap = false;
	assert_int_equal(rsoc(1, 0x42, 0, 512), KTGT_SR_OK);
	assert_int_equal(buf[1], 0x01);
	/* and so does the UNMAP bit of WRITE SAME */
	assert_int_equal(rsoc(1, 0x41, 0, 512), KTGT_SR_OK);
	assert_int_equal(buf[5], 0x00);
	dev.can_unmap = true;
	assert_int_equal(rsoc(1, 0x93, 0, 512), KTGT_SR_OK);
	assert_int_equal(buf[5], 0x09);
}

/* the usage/parse agreement holds without unmap support too */
static void test_rsoc_all_vs_parse_nounmap(void **state)
{
	dev.can_unmap = false;
	test_rsoc_all_vs_parse(state);
}

/*
 * The all-commands list, each command's usage data, and the parser agree:
 * every reported bit is accepted, every other bit is rejected with a field
 * pointer at exactly that bit.
 */
static void test_rsoc_all_vs_parse(void **state)
{
	static u8 all[4096];
	u8 one[64], cdb[16];
	u32 len, off, nall, cl, i, b;
	enum ktgt_sense_reason r;
	u8 op, sa, fl;

	assert_int_equal(rsoc(0, 0, 0, 4096), KTGT_SR_OK);
	nall = n;
	memcpy(all, buf, nall);
	len = get_unaligned_be32(all);
	assert_int_equal(len + 4, nall);
	assert_int_equal(len % 8, 0);
	assert_true(len / 8 >= 30);
	for (off = 4; off < nall; off += 8) {
		op = all[off];
		sa = (u8)get_unaligned_be16(&all[off + 2]);
		fl = all[off + 5];
		cl = get_unaligned_be16(&all[off + 6]);
		assert_false(fl & 0x02);		/* no CTDP */
		assert_true(fl & 0x01 || !sa);
		assert_int_equal(rsoc(fl & 1 ? 2 : 1, op, sa, 64), KTGT_SR_OK);
		assert_int_equal(buf[1], 0x03);
		assert_int_equal(get_unaligned_be16(&buf[2]), cl);
		assert_int_equal(buf[4], op);
		memcpy(one, buf, n);
		for (i = 1; i < cl; i++) {
			for (b = 0; b < 8; b++) {
				if (i == cl - 1 && b >= 6)
					continue;	/* vendor specific */
				if ((fl & 1) && i == 1 && b < 5)
					continue;	/* the SA itself */
				memset(cdb, 0, sizeof(cdb));
				cdb[0] = op;
				if (fl & 1)
					cdb[1] = sa;
				cdb[i] |= 1u << b;
				r = ktgt_scsi_parse(&dev, cdb, 16, &cmd);
				if (one[4 + i] & (1u << b))
					continue;
				assert_int_equal(r,
						 KTGT_SR_INVALID_FIELD_IN_CDB);
				assert_int_equal(cmd.sense.field, i);
				assert_int_equal(cmd.sense.bit, b);
			}
		}
	}
	/* RCTD: 20-byte descriptors with CTDP */
	assert_int_equal(rsoc(0x80, 0, 0, 4096), KTGT_SR_OK);
	assert_int_equal(n - 4, (nall - 4) / 8 * 20);
	for (off = 4; off < n; off += 20) {
		assert_int_equal(buf[off + 5] & 0x02, 0x02);
		assert_int_equal(get_unaligned_be16(&buf[off + 8]), 0x0a);
	}
	/* truncation keeps the full COMMAND DATA LENGTH */
	assert_int_equal(rsoc(0, 0, 0, 10), KTGT_SR_OK);
	assert_int_equal(n, 10);
	assert_int_equal(get_unaligned_be32(buf), len);
}

static void test_unmap_list(void **state)
{
	u8 p[8 + 3 * 16] = { 0x00, 0x36, 0x00, 0x30 };
	u8 cdb[16] = { 0x42, 0, 0, 0, 0, 0, 0, 0, sizeof(p), 0 };
	u32 count, nr;
	u64 lba;

	put_unaligned_be64(0x10, &p[8]);
	put_unaligned_be32(0x20, &p[16]);
	put_unaligned_be64(0xfff0, &p[24]);
	put_unaligned_be32(0x10, &p[32]);
	put_unaligned_be64(0x10000, &p[40]);	/* 0 blocks at the end */
	assert_int_equal(ktgt_scsi_parse(&dev, cdb, 16, &cmd), KTGT_SR_OK);
	assert_int_equal(ktgt_scsi_unmap_check(&dev, &cmd, p, sizeof(p),
					       &count), KTGT_SR_OK);
	assert_int_equal(count, 3);
	ktgt_scsi_unmap_desc(p, 1, &lba, &nr);
	assert_int_equal(lba, 0xfff0);
	assert_int_equal(nr, 0x10);
	/* block descriptor data length larger than what was sent */
	p[3] = 0x40;
	assert_int_equal(ktgt_scsi_unmap_check(&dev, &cmd, p, sizeof(p),
					       &count), KTGT_SR_OK);
	assert_int_equal(count, 3);
	/* partial descriptor ignored */
	p[3] = 0x28;
	assert_int_equal(ktgt_scsi_unmap_check(&dev, &cmd, p, sizeof(p),
					       &count), KTGT_SR_OK);
	assert_int_equal(count, 2);
	p[3] = 0x30;
	/* beyond the end */
	put_unaligned_be32(0x11, &p[32]);
	assert_int_equal(ktgt_scsi_unmap_check(&dev, &cmd, p, sizeof(p),
					       &count),
			 KTGT_SR_LBA_OUT_OF_RANGE);
	assert_int_equal(count, 0);
	put_unaligned_be64(0xffffffffffffffffULL, &p[24]);
	assert_int_equal(ktgt_scsi_unmap_check(&dev, &cmd, p, sizeof(p),
					       &count),
			 KTGT_SR_LBA_OUT_OF_RANGE);
	put_unaligned_be64(0xfff0, &p[24]);
	/* more than MAXIMUM UNMAP LBA COUNT in one descriptor */
	put_unaligned_be32(0x4001, &p[32]);
	assert_int_equal(ktgt_scsi_unmap_check(&dev, &cmd, p, sizeof(p),
					       &count),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_int_equal(cmd.sense.field, 32);
	put_unaligned_be32(0x10, &p[32]);
	/* more descriptors than allowed */
	dev.max_unmap_desc = 2;
	assert_int_equal(ktgt_scsi_unmap_check(&dev, &cmd, p, sizeof(p),
					       &count),
			 KTGT_SR_INVALID_FIELD_IN_PARAM_LIST);
	assert_int_equal(cmd.sense.field, 2);
	/* short list, empty list */
	assert_int_equal(ktgt_scsi_unmap_check(&dev, &cmd, p, 7, &count),
			 KTGT_SR_PARAM_LIST_LENGTH_ERROR);
	assert_int_equal(ktgt_scsi_unmap_check(&dev, &cmd, p, 8, &count),
			 KTGT_SR_OK);
	assert_int_equal(count, 0);
	assert_int_equal(ktgt_scsi_unmap_check(&dev, &cmd, p, 0, &count),
			 KTGT_SR_OK);
}

static void test_compare(void **state)
{
	static u8 media[2048], out[2048];
	u8 cdb[16] = { 0x2f, 0x02, 0, 0, 0, 0, 0, 0, 4, 0 };

	memset(media, 0x11, sizeof(media));
	memset(out, 0x11, sizeof(out));
	assert_int_equal(ktgt_scsi_parse(&dev, cdb, 16, &cmd), KTGT_SR_OK);
	assert_int_equal(ktgt_scsi_compare(&dev, &cmd, media, out, 0, 2048),
			 KTGT_SR_OK);
	out[1500] ^= 'X';
	assert_int_equal(ktgt_scsi_compare(&dev, &cmd, media, out, 0, 2048),
			 KTGT_SR_MISCOMPARE);
	assert_int_equal(cmd.sense.info, 1500);
	assert_true(cmd.sense.flags & KTGT_SI_INFO);
	/* chunked: offset of the chunk is added */
	assert_int_equal(ktgt_scsi_compare(&dev, &cmd, media + 1024,
					   out + 1024, 1024, 1024),
			 KTGT_SR_MISCOMPARE);
	assert_int_equal(cmd.sense.info, 1500);
	/* BYTCHK 11b: one block against each */
	cdb[1] = 0x06;
	assert_int_equal(ktgt_scsi_parse(&dev, cdb, 16, &cmd), KTGT_SR_OK);
	memset(out, 0x11, 512);
	media[1030] = 0;
	assert_int_equal(ktgt_scsi_compare(&dev, &cmd, media, out, 0, 2048),
			 KTGT_SR_MISCOMPARE);
	assert_int_equal(cmd.sense.info, 1030);
	assert_int_equal(ktgt_scsi_compare(&dev, &cmd, media, out, 0, 1024),
			 KTGT_SR_OK);
	assert_int_equal(ktgt_scsi_compare(&dev, &cmd, media, out, 1, 512),
			 KTGT_SR_INTERNAL_ERROR);
}

static void test_ws_unmap(void **state)
{
	u8 cdb[16] = { 0x41, 0x08, 0, 0, 0, 0, 0, 0, 8, 0 };

	assert_int_equal(ktgt_scsi_parse(&dev, cdb, 16, &cmd), KTGT_SR_OK);
	assert_true(ktgt_scsi_ws_use_unmap(&dev, &cmd));
	/* thin: UNMAP deallocates, whatever the data block holds */
	dev.unmap_zeroes = false;
	assert_true(ktgt_scsi_ws_use_unmap(&dev, &cmd));
	dev.thin = false;		/* resource provisioned: written */
	assert_false(ktgt_scsi_ws_use_unmap(&dev, &cmd));
	dev.thin = true;
	cdb[1] = 0;
	assert_int_equal(ktgt_scsi_parse(&dev, cdb, 16, &cmd), KTGT_SR_OK);
	assert_false(ktgt_scsi_ws_use_unmap(&dev, &cmd));
}

static void test_emulate_misuse(void **state)
{
	u8 rd[16] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	bool ch;

	assert_int_equal(ktgt_scsi_parse(&dev, rd, 16, &cmd), KTGT_SR_OK);
	assert_int_equal(ktgt_scsi_emulate(&ctx, &cmd, buf, 512, &n),
			 KTGT_SR_INTERNAL_ERROR);
	assert_int_equal(ktgt_scsi_emulate_out(&ctx, &cmd, buf, 512, &ch),
			 KTGT_SR_INTERNAL_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_inquiry_standard, setup),
		cmocka_unit_test_setup(test_inquiry_no_lun, setup),
		cmocka_unit_test_setup(test_vpd_supported, setup),
		cmocka_unit_test_setup(test_vpd_serial, setup),
		cmocka_unit_test_setup(test_vpd_devid, setup),
		cmocka_unit_test_setup(test_vpd_block_limits, setup),
		cmocka_unit_test_setup(test_vpd_bdc_lbp, setup),
		cmocka_unit_test_setup(test_read_capacity, setup),
		cmocka_unit_test_setup(test_report_luns, setup),
		cmocka_unit_test_setup(test_lun_codec, setup),
		cmocka_unit_test_setup(test_mode_sense6, setup),
		cmocka_unit_test_setup(test_mode_sense10, setup),
		cmocka_unit_test_setup(test_mode_select, setup),
		cmocka_unit_test_setup(test_mode_select10, setup),
		cmocka_unit_test_setup(test_request_sense_ua, setup),
		cmocka_unit_test_setup(test_no_data, setup),
		cmocka_unit_test_setup(test_rsoc_one, setup),
		cmocka_unit_test_setup(test_rsoc_all_vs_parse, setup),
		cmocka_unit_test_setup(test_rsoc_all_vs_parse_nounmap, setup),
		cmocka_unit_test_setup(test_unmap_list, setup),
		cmocka_unit_test_setup(test_compare, setup),
		cmocka_unit_test_setup(test_ws_unmap, setup),
		cmocka_unit_test_setup(test_emulate_misuse, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
