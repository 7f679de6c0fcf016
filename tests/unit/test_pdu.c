// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the BHS/AHS codec (src/proto/pdu.c). The byte vectors are
 * written out by hand from the RFC 7143 section 11 figures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ktgt/proto/pdu.h>

#define BE32(v)	(u8)((v) >> 24), (u8)((v) >> 16), (u8)((v) >> 8), (u8)(v)
#define Z4	0, 0, 0, 0
#define Z8	Z4, Z4
#define Z16	Z8, Z8

static const u8 isid_ex[6] = { 0x80, 0x12, 0x34, 0x56, 0x78, 0x9a };
static const u8 lun0[8];
static const u8 lun1[8] = { 0x00, 0x01, 0, 0, 0, 0, 0, 0 };

/* Decode @v, expect 0; encode back, expect the same bytes. */
static void decode_ok_roundtrip(const u8 *v, struct ktgt_pdu *p)
{
	u8 enc[KTGT_BHS_LEN];
	struct ktgt_pdu again;

	assert_int_equal(ktgt_bhs_decode(v, p), 0);
	assert_int_equal(ktgt_bhs_encode(p, enc), 0);
	assert_memory_equal(enc, v, KTGT_BHS_LEN);
	assert_int_equal(ktgt_bhs_decode(enc, &again), 0);
	assert_memory_equal(&again, p, sizeof(again));
}

/* ---- initiator PDUs ------------------------------------------------- */

static const u8 v_login_req[KTGT_BHS_LEN] = {
	0x43, 0x87, 0x00, 0x00,		/* I, Login; T, CSG 1, NSG 3; ver */
	0x00, 0x00, 0x01, 0x2c,		/* AHS 0, DSL 300 */
	0x80, 0x12, 0x34, 0x56, 0x78, 0x9a,	/* ISID */
	0x00, 0x00,			/* TSIH */
	BE32(1),			/* ITT */
	0x00, 0x01, 0x00, 0x00,		/* CID 1, reserved */
	BE32(7),			/* CmdSN */
	BE32(0),			/* ExpStatSN */
	Z16,
};

static void test_login_req(void **state)
{
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_login_req, &p);
	assert_int_equal(p.opcode, KTGT_OP_LOGIN_REQ);
	assert_true(p.immediate);
	assert_false(p.final);
	assert_int_equal(p.ahs_len, 0);
	assert_int_equal(p.data_len, 300);
	assert_memory_equal(p.lun, lun0, 8);
	assert_int_equal(p.itt, 1);
	assert_true(p.login_req.transit);
	assert_false(p.login_req.cont);
	assert_int_equal(p.login_req.csg, KTGT_STAGE_OPERATIONAL);
	assert_int_equal(p.login_req.nsg, KTGT_STAGE_FULL_FEATURE);
	assert_int_equal(p.login_req.version_max, 0);
	assert_int_equal(p.login_req.version_min, 0);
	assert_memory_equal(p.login_req.isid, isid_ex, 6);
	assert_int_equal(p.login_req.tsih, 0);
	assert_int_equal(p.login_req.cid, 1);
	assert_int_equal(p.login_req.cmdsn, 7);
	assert_int_equal(p.login_req.expstatsn, 0);
	assert_string_equal(ktgt_pdu_opcode_name(p.opcode), "Login Request");
}

static void test_login_req_build(void **state)
{
	struct ktgt_pdu p;
	u8 enc[KTGT_BHS_LEN];

	ktgt_pdu_init(&p, KTGT_OP_LOGIN_REQ);
	p.data_len = 300;
	p.itt = 1;
	p.login_req.transit = true;
	p.login_req.csg = KTGT_STAGE_OPERATIONAL;
	p.login_req.nsg = KTGT_STAGE_FULL_FEATURE;
	memcpy(p.login_req.isid, isid_ex, 6);
	p.login_req.cid = 1;
	p.login_req.cmdsn = 7;
	assert_int_equal(ktgt_bhs_encode(&p, enc), 0);
	assert_memory_equal(enc, v_login_req, KTGT_BHS_LEN);
}

static void test_login_req_security(void **state)
{
	u8 v[KTGT_BHS_LEN];
	struct ktgt_pdu p;

	/* C set, CSG 0, T clear: NSG is reserved, any value decodes */
	memcpy(v, v_login_req, sizeof(v));
	v[1] = 0x40 | 0x02;
	v[14] = 0x12;
	v[15] = 0x34;
	decode_ok_roundtrip(v, &p);
	assert_false(p.login_req.transit);
	assert_true(p.login_req.cont);
	assert_int_equal(p.login_req.csg, KTGT_STAGE_SECURITY);
	assert_int_equal(p.login_req.nsg, 2);
	assert_int_equal(p.login_req.tsih, 0x1234);

	/* T, CSG 0 -> NSG 1 */
	v[1] = 0x81;
	decode_ok_roundtrip(v, &p);
	assert_int_equal(p.login_req.csg, 0);
	assert_int_equal(p.login_req.nsg, 1);

	/* The I bit is fixed to 1: a clear I is ignored, written back set */
	v[0] = 0x03;
	assert_int_equal(ktgt_bhs_decode(v, &p), 0);
	assert_true(p.immediate);
}

static void test_login_req_errors(void **state)
{
	static const struct {
		u8 flags;
		int err;
	} cases[] = {
		{ 0xc7, -EPROTO },	/* T and C */
		{ 0x8b, -EPROTO },	/* CSG 2 */
		{ 0x0c, -EPROTO },	/* CSG 3 without T */
		{ 0x8d, -EPROTO },	/* CSG 3 */
		{ 0x86, -EPROTO },	/* T, NSG 2 */
		{ 0x85, -EPROTO },	/* T, CSG 1 -> NSG 1 */
		{ 0x84, -EPROTO },	/* T, CSG 1 -> NSG 0 */
		{ 0x80, -EPROTO },	/* T, CSG 0 -> NSG 0 */
		{ 0x83, 0 },		/* T, CSG 0 -> NSG 3 */
		{ 0x87, 0 },
		{ 0x05, 0 },		/* no T: NSG ignored */
	};
	u8 v[KTGT_BHS_LEN];
	struct ktgt_pdu p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memcpy(v, v_login_req, sizeof(v));
		v[1] = cases[i].flags;
		assert_int_equal(ktgt_bhs_decode(v, &p), cases[i].err);
		/* fully decoded even on error */
		assert_int_equal(p.login_req.cmdsn, 7);
		assert_int_equal(p.data_len, 300);
	}
	assert_int_equal(ktgt_bhs_reject_reason(-EPROTO),
			 KTGT_REJECT_PROTOCOL_ERROR);

	memcpy(v, v_login_req, sizeof(v));
	memset(v + 16, 0xff, 4);
	assert_int_equal(ktgt_bhs_decode(v, &p), -EINVAL);
	assert_int_equal(ktgt_bhs_reject_reason(-EINVAL),
			 KTGT_REJECT_INVALID_PDU_FIELD);
}

/* READ(10) LBA 4096, 8 blocks of 512: EDTL 4096, LUN 1, simple. */
static const u8 v_read10[KTGT_BHS_LEN] = {
	0x01, 0xc1, 0x00, 0x00,		/* SCSI Command; F, R, ATTR simple */
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0, 0, 0, 0, 0, 0,	/* LUN 1 */
	BE32(0x2a),			/* ITT */
	BE32(4096),			/* EDTL */
	BE32(8),			/* CmdSN */
	BE32(3),			/* ExpStatSN */
	0x28, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00,
	0x08, 0x00, 0, 0, 0, 0, 0, 0,
};

static void test_scsi_cmd_read10(void **state)
{
	struct ktgt_pdu p;
	u64 lun;

	decode_ok_roundtrip(v_read10, &p);
	assert_int_equal(p.opcode, KTGT_OP_SCSI_CMD);
	assert_false(p.immediate);
	assert_true(p.final);
	assert_int_equal(p.data_len, 0);
	assert_memory_equal(p.lun, lun1, 8);
	assert_int_equal(ktgt_lun_decode(p.lun, &lun), 0);
	assert_int_equal(lun, 1);
	assert_int_equal(p.itt, 0x2a);
	assert_true(p.scsi_cmd.read);
	assert_false(p.scsi_cmd.write);
	assert_int_equal(p.scsi_cmd.attr, KTGT_ATTR_SIMPLE);
	assert_int_equal(p.scsi_cmd.edtl, 4096);
	assert_int_equal(p.scsi_cmd.cmdsn, 8);
	assert_int_equal(p.scsi_cmd.expstatsn, 3);
	assert_int_equal(p.scsi_cmd.cdb[0], 0x28);
	assert_int_equal(p.scsi_cmd.cdb[5], 0x00);
	assert_int_equal(p.scsi_cmd.cdb[4], 0x10);
	assert_int_equal(p.scsi_cmd.cdb[8], 0x08);
}

/* WRITE(10) 16 blocks, 512 bytes immediate, more unsolicited data, I. */
static const u8 v_write10[KTGT_BHS_LEN] = {
	0x41, 0x22, 0x00, 0x00,		/* I, SCSI Command; W, ordered */
	0x00, 0x00, 0x02, 0x00,		/* DSL 512 */
	0x00, 0x01, 0, 0, 0, 0, 0, 0,
	BE32(0x2b),
	BE32(8192),
	BE32(9),
	BE32(3),
	0x2a, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,
	0x10, 0x00, 0, 0, 0, 0, 0, 0,
};

static void test_scsi_cmd_write10(void **state)
{
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_write10, &p);
	assert_true(p.immediate);
	assert_false(p.final);
	assert_false(p.scsi_cmd.read);
	assert_true(p.scsi_cmd.write);
	assert_int_equal(p.scsi_cmd.attr, KTGT_ATTR_ORDERED);
	assert_int_equal(p.data_len, 512);
	assert_int_equal(p.scsi_cmd.edtl, 8192);
}

static void test_scsi_cmd_errors(void **state)
{
	u8 v[KTGT_BHS_LEN];
	struct ktgt_pdu p;

	/* EDTL without R or W */
	memcpy(v, v_read10, sizeof(v));
	v[1] = 0x81;
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
	/* ...fine with EDTL 0 */
	memset(v + 20, 0, 4);
	assert_int_equal(ktgt_bhs_decode(v, &p), 0);

	/* read without F: announces unsolicited data */
	memcpy(v, v_read10, sizeof(v));
	v[1] = 0x41;
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
	assert_int_equal(p.scsi_cmd.cmdsn, 8);

	/* immediate data on a read */
	memcpy(v, v_read10, sizeof(v));
	v[7] = 4;
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
	assert_int_equal(p.data_len, 4);

	/* more immediate data than EDTL */
	memcpy(v, v_write10, sizeof(v));
	v[5] = 0x01;	/* DSL 0x010200 */
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);

	/* reserved task attributes */
	memcpy(v, v_read10, sizeof(v));
	v[1] = 0xc4;
	assert_int_equal(ktgt_bhs_decode(v, &p), 0);
	v[1] = 0xc5;
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
	v[1] = 0xc7;
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);

	/* reserved ITT */
	memcpy(v, v_read10, sizeof(v));
	memset(v + 16, 0xff, 4);
	assert_int_equal(ktgt_bhs_decode(v, &p), -EINVAL);
	assert_int_equal(p.scsi_cmd.cmdsn, 8);
	assert_int_equal(p.itt, KTGT_RSVD_TAG);
}

static void test_reserved_bits_ignored(void **state)
{
	u8 v[KTGT_BHS_LEN];
	u8 enc[KTGT_BHS_LEN];
	struct ktgt_pdu p;

	memcpy(v, v_read10, sizeof(v));
	v[0] |= 0x80;		/* bit 7 of byte 0 */
	v[1] |= 0x18;		/* the two reserved bits */
	v[2] = 0xaa;
	v[3] = 0x55;
	assert_int_equal(ktgt_bhs_decode(v, &p), 0);
	assert_int_equal(ktgt_bhs_encode(&p, enc), 0);
	assert_memory_equal(enc, v_read10, KTGT_BHS_LEN);
}

/* NOP-Out ping: asks for a NOP-In (ITT valid), TTT reserved. */
static const u8 v_nop_out[KTGT_BHS_LEN] = {
	0x40, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x04,
	Z8,
	BE32(0x100),
	BE32(0xffffffff),
	BE32(12),
	BE32(6),
	Z16,
};

static void test_nop_out(void **state)
{
	u8 v[KTGT_BHS_LEN];
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_nop_out, &p);
	assert_int_equal(p.opcode, KTGT_OP_NOP_OUT);
	assert_true(p.immediate);
	assert_true(p.final);
	assert_int_equal(p.data_len, 4);
	assert_int_equal(p.itt, 0x100);
	assert_int_equal(p.nop_out.ttt, KTGT_RSVD_TAG);
	assert_int_equal(p.nop_out.cmdsn, 12);
	assert_int_equal(p.nop_out.expstatsn, 6);

	/* answer to a NOP-In: ITT reserved, TTT echoed, must be immediate */
	memcpy(v, v_nop_out, sizeof(v));
	memset(v + 16, 0xff, 4);
	v[20] = 0;
	v[21] = 0;
	v[22] = 0;
	v[23] = 0x77;
	decode_ok_roundtrip(v, &p);
	assert_int_equal(p.nop_out.ttt, 0x77);
	v[0] = 0x00;
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);

	/* F is fixed to 1: a clear F is not checked */
	memcpy(v, v_nop_out, sizeof(v));
	v[1] = 0;
	assert_int_equal(ktgt_bhs_decode(v, &p), 0);
	assert_true(p.final);
}

/* ABORT TASK of ITT 0x2a, immediate. */
static const u8 v_tmf_req[KTGT_BHS_LEN] = {
	0x42, 0x81, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0, 0, 0, 0, 0, 0,
	BE32(0x30),
	BE32(0x2a),			/* RTT */
	BE32(13),
	BE32(6),
	BE32(8),			/* RefCmdSN */
	BE32(0),			/* ExpDataSN */
	Z8,
};

static void test_tmf_req(void **state)
{
	u8 v[KTGT_BHS_LEN];
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_tmf_req, &p);
	assert_int_equal(p.opcode, KTGT_OP_TMF_REQ);
	assert_true(p.immediate);
	assert_true(p.final);
	assert_int_equal(p.tmf_req.function, KTGT_TMF_ABORT_TASK);
	assert_memory_equal(p.lun, lun1, 8);
	assert_int_equal(p.itt, 0x30);
	assert_int_equal(p.tmf_req.rtt, 0x2a);
	assert_int_equal(p.tmf_req.cmdsn, 13);
	assert_int_equal(p.tmf_req.expstatsn, 6);
	assert_int_equal(p.tmf_req.refcmdsn, 8);
	assert_int_equal(p.tmf_req.expdatasn, 0);

	/* unknown functions decode; the core answers "not supported" */
	memcpy(v, v_tmf_req, sizeof(v));
	v[1] = 0x80 | 0x7f;
	decode_ok_roundtrip(v, &p);
	assert_int_equal(p.tmf_req.function, 0x7f);

	/* no AHS, no data */
	memcpy(v, v_tmf_req, sizeof(v));
	v[7] = 4;
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
	memcpy(v, v_tmf_req, sizeof(v));
	v[4] = 1;
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
	memcpy(v, v_tmf_req, sizeof(v));
	memset(v + 16, 0xff, 4);
	assert_int_equal(ktgt_bhs_decode(v, &p), -EINVAL);
}

/* Text Request "SendTargets=All" (16 bytes with NUL). */
static const u8 v_text_req[KTGT_BHS_LEN] = {
	0x44, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x10,
	Z8,
	BE32(2),
	BE32(0xffffffff),
	BE32(1),
	BE32(1),
	Z16,
};

static void test_text_req(void **state)
{
	u8 v[KTGT_BHS_LEN];
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_text_req, &p);
	assert_int_equal(p.opcode, KTGT_OP_TEXT_REQ);
	assert_true(p.immediate);
	assert_true(p.final);
	assert_false(p.text_req.cont);
	assert_int_equal(p.data_len, 16);
	assert_int_equal(p.itt, 2);
	assert_int_equal(p.text_req.ttt, KTGT_RSVD_TAG);
	assert_int_equal(p.text_req.cmdsn, 1);
	assert_int_equal(p.text_req.expstatsn, 1);

	memcpy(v, v_text_req, sizeof(v));
	v[1] = 0x40;		/* C without F */
	decode_ok_roundtrip(v, &p);
	assert_true(p.text_req.cont);
	assert_false(p.final);
	v[1] = 0xc0;		/* F and C */
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
	memcpy(v, v_text_req, sizeof(v));
	memset(v + 16, 0xff, 4);
	assert_int_equal(ktgt_bhs_decode(v, &p), -EINVAL);
}

/* Second burst of the WRITE above, answering the R2T below. */
static const u8 v_data_out[KTGT_BHS_LEN] = {
	0x05, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x20, 0x00,		/* DSL 8192 */
	0x00, 0x01, 0, 0, 0, 0, 0, 0,
	BE32(0x10),
	BE32(5),			/* TTT */
	Z4,
	BE32(4),			/* ExpStatSN */
	Z4,
	BE32(0),			/* DataSN */
	BE32(0x2000),			/* Buffer Offset */
	Z4,
};

static void test_data_out(void **state)
{
	u8 v[KTGT_BHS_LEN];
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_data_out, &p);
	assert_int_equal(p.opcode, KTGT_OP_DATA_OUT);
	assert_false(p.immediate);
	assert_true(p.final);
	assert_int_equal(p.data_len, 8192);
	assert_memory_equal(p.lun, lun1, 8);
	assert_int_equal(p.itt, 0x10);
	assert_int_equal(p.data_out.ttt, 5);
	assert_int_equal(p.data_out.expstatsn, 4);
	assert_int_equal(p.data_out.datasn, 0);
	assert_int_equal(p.data_out.buffer_offset, 0x2000);

	/* the I bit is reserved in Data-Out */
	memcpy(v, v_data_out, sizeof(v));
	v[0] |= 0x40;
	v[1] = 0x00;
	assert_int_equal(ktgt_bhs_decode(v, &p), 0);
	assert_false(p.immediate);
	assert_false(p.final);
}

static const u8 v_logout_req[KTGT_BHS_LEN] = {
	0x46, 0x81, 0x00, 0x00,		/* close the connection */
	0x00, 0x00, 0x00, 0x00,
	Z8,
	BE32(0x40),
	0x00, 0x02, 0x00, 0x00,		/* CID 2 */
	BE32(14),
	BE32(7),
	Z16,
};

static void test_logout_req(void **state)
{
	u8 v[KTGT_BHS_LEN];
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_logout_req, &p);
	assert_int_equal(p.opcode, KTGT_OP_LOGOUT_REQ);
	assert_true(p.immediate);
	assert_int_equal(p.logout_req.reason, KTGT_LOGOUT_CLOSE_CONNECTION);
	assert_int_equal(p.logout_req.cid, 2);
	assert_int_equal(p.itt, 0x40);
	assert_int_equal(p.logout_req.cmdsn, 14);
	assert_int_equal(p.logout_req.expstatsn, 7);

	/* bytes 8..15 are reserved: not a LUN */
	memcpy(v, v_logout_req, sizeof(v));
	v[9] = 1;
	assert_int_equal(ktgt_bhs_decode(v, &p), 0);
	assert_memory_equal(p.lun, lun0, 8);

	memcpy(v, v_logout_req, sizeof(v));
	v[1] = 0x82;
	assert_int_equal(ktgt_bhs_decode(v, &p), 0);
	v[1] = 0x83;		/* reserved reason code */
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
	memcpy(v, v_logout_req, sizeof(v));
	v[7] = 8;
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
	memcpy(v, v_logout_req, sizeof(v));
	memset(v + 16, 0xff, 4);
	assert_int_equal(ktgt_bhs_decode(v, &p), -EINVAL);
}

/* Status SNACK for StatSN 5 and 6. */
static const u8 v_snack[KTGT_BHS_LEN] = {
	0x10, 0x81, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
	Z8,
	BE32(0xffffffff),
	BE32(0),
	Z4,
	BE32(7),
	Z8,
	BE32(5),			/* BegRun */
	BE32(2),			/* RunLength */
};

static void test_snack(void **state)
{
	u8 v[KTGT_BHS_LEN];
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_snack, &p);
	assert_int_equal(p.opcode, KTGT_OP_SNACK_REQ);
	assert_false(p.immediate);
	assert_int_equal(p.snack_req.type, KTGT_SNACK_STATUS);
	assert_int_equal(p.itt, KTGT_RSVD_TAG);
	assert_int_equal(p.snack_req.ttt, 0);
	assert_int_equal(p.snack_req.expstatsn, 7);
	assert_int_equal(p.snack_req.begrun, 5);
	assert_int_equal(p.snack_req.runlength, 2);

	memcpy(v, v_snack, sizeof(v));
	v[1] = 0x83;
	decode_ok_roundtrip(v, &p);
	assert_int_equal(p.snack_req.type, KTGT_SNACK_RDATA);
	v[1] = 0x84;
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
	v[1] = 0x8f;
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
	memcpy(v, v_snack, sizeof(v));
	v[6] = 1;
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
}

/* ---- target PDUs ---------------------------------------------------- */

static const u8 v_nop_in[KTGT_BHS_LEN] = {
	0x20, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x04,
	Z8,
	BE32(0x100),
	BE32(0xffffffff),
	BE32(6),
	BE32(13),
	BE32(44),
	Z8, Z4,
};

static void test_nop_in(void **state)
{
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_nop_in, &p);
	assert_int_equal(p.opcode, KTGT_OP_NOP_IN);
	assert_false(p.immediate);
	assert_true(p.final);
	assert_int_equal(p.data_len, 4);
	assert_int_equal(p.itt, 0x100);
	assert_int_equal(p.nop_in.ttt, KTGT_RSVD_TAG);
	assert_int_equal(p.nop_in.statsn, 6);
	assert_int_equal(p.nop_in.expcmdsn, 13);
	assert_int_equal(p.nop_in.maxcmdsn, 44);
}

/* CHECK CONDITION with 18 bytes of sense (+2 length), underflow. */
static const u8 v_scsi_rsp[KTGT_BHS_LEN] = {
	0x21, 0x82, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x14,
	Z8,
	BE32(0x2a),
	BE32(0),			/* SNACK Tag */
	BE32(3),
	BE32(9),
	BE32(40),
	BE32(1),			/* ExpDataSN */
	BE32(0),
	BE32(0x200),			/* Residual Count */
};

static void test_scsi_rsp(void **state)
{
	u8 v[KTGT_BHS_LEN];
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_scsi_rsp, &p);
	assert_int_equal(p.opcode, KTGT_OP_SCSI_RSP);
	assert_true(p.final);
	assert_false(p.scsi_rsp.bidi_overflow);
	assert_false(p.scsi_rsp.bidi_underflow);
	assert_false(p.scsi_rsp.overflow);
	assert_true(p.scsi_rsp.underflow);
	assert_int_equal(p.scsi_rsp.response, KTGT_SCSI_RSP_COMPLETED);
	assert_int_equal(p.scsi_rsp.status, 0x02);
	assert_int_equal(p.data_len, 20);
	assert_int_equal(p.itt, 0x2a);
	assert_int_equal(p.scsi_rsp.statsn, 3);
	assert_int_equal(p.scsi_rsp.expcmdsn, 9);
	assert_int_equal(p.scsi_rsp.maxcmdsn, 40);
	assert_int_equal(p.scsi_rsp.expdatasn, 1);
	assert_int_equal(p.scsi_rsp.residual, 0x200);

	memcpy(v, v_scsi_rsp, sizeof(v));
	v[1] = 0x80 | 0x10 | 0x04;
	decode_ok_roundtrip(v, &p);
	assert_true(p.scsi_rsp.bidi_overflow);
	assert_true(p.scsi_rsp.overflow);
	v[1] = 0x86;		/* O and U */
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
	v[1] = 0x98;		/* o and u */
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
}

static const u8 v_tmf_rsp[KTGT_BHS_LEN] = {
	0x22, 0x80, 0x01, 0x00,		/* task does not exist */
	0x00, 0x00, 0x00, 0x00,
	Z8,
	BE32(0x30),
	Z4,
	BE32(7),
	BE32(14),
	BE32(45),
	Z8, Z4,
};

static void test_tmf_rsp(void **state)
{
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_tmf_rsp, &p);
	assert_int_equal(p.opcode, KTGT_OP_TMF_RSP);
	assert_int_equal(p.tmf_rsp.response, KTGT_TMF_RSP_NO_TASK);
	assert_int_equal(p.itt, 0x30);
	assert_int_equal(p.tmf_rsp.statsn, 7);
	assert_int_equal(p.tmf_rsp.expcmdsn, 14);
	assert_int_equal(p.tmf_rsp.maxcmdsn, 45);
}

static const u8 v_login_rsp[KTGT_BHS_LEN] = {
	0x23, 0x87, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x40,
	0x80, 0x12, 0x34, 0x56, 0x78, 0x9a,
	0x00, 0x01,			/* TSIH 1 */
	BE32(1),
	Z4,
	BE32(0),			/* StatSN */
	BE32(8),
	BE32(39),
	0x00, 0x00,			/* Status-Class, Status-Detail */
	0, 0, Z8,
};

static void test_login_rsp(void **state)
{
	u8 v[KTGT_BHS_LEN];
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_login_rsp, &p);
	assert_int_equal(p.opcode, KTGT_OP_LOGIN_RSP);
	assert_false(p.immediate);
	assert_true(p.login_rsp.transit);
	assert_int_equal(p.login_rsp.csg, 1);
	assert_int_equal(p.login_rsp.nsg, 3);
	assert_memory_equal(p.login_rsp.isid, isid_ex, 6);
	assert_int_equal(p.login_rsp.tsih, 1);
	assert_int_equal(p.itt, 1);
	assert_int_equal(p.data_len, 64);
	assert_int_equal(p.login_rsp.statsn, 0);
	assert_int_equal(p.login_rsp.expcmdsn, 8);
	assert_int_equal(p.login_rsp.maxcmdsn, 39);
	assert_int_equal(p.login_rsp.status_class, 0);

	/* initiator error, authentication failure 0x0201 */
	memcpy(v, v_login_rsp, sizeof(v));
	v[1] = 0x00;
	v[36] = 0x02;
	v[37] = 0x01;
	decode_ok_roundtrip(v, &p);
	assert_int_equal(p.login_rsp.status_class, 2);
	assert_int_equal(p.login_rsp.status_detail, 1);
	v[1] = 0xc7;
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
}

static const u8 v_text_rsp[KTGT_BHS_LEN] = {
	0x24, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x3c,
	Z8,
	BE32(2),
	BE32(0xffffffff),
	BE32(1),
	BE32(2),
	BE32(33),
	Z8, Z4,
};

static void test_text_rsp(void **state)
{
	u8 v[KTGT_BHS_LEN];
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_text_rsp, &p);
	assert_int_equal(p.opcode, KTGT_OP_TEXT_RSP);
	assert_true(p.final);
	assert_false(p.text_rsp.cont);
	assert_int_equal(p.data_len, 60);
	assert_int_equal(p.text_rsp.ttt, KTGT_RSVD_TAG);
	assert_int_equal(p.text_rsp.statsn, 1);
	assert_int_equal(p.text_rsp.expcmdsn, 2);
	assert_int_equal(p.text_rsp.maxcmdsn, 33);

	memcpy(v, v_text_rsp, sizeof(v));
	v[1] = 0x40;
	memset(v + 20, 0, 3);	/* TTT 0x000000ff: more to come */
	decode_ok_roundtrip(v, &p);
	assert_true(p.text_rsp.cont);
	assert_int_equal(p.text_rsp.ttt, 0xff);
	v[1] = 0xc0;
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
}

/* Last Data-In of the READ(10), with status (S), underflow of 3584. */
static const u8 v_data_in[KTGT_BHS_LEN] = {
	0x25, 0x83, 0x00, 0x00,		/* F, U, S; status GOOD */
	0x00, 0x00, 0x02, 0x00,
	0x00, 0x01, 0, 0, 0, 0, 0, 0,
	BE32(0x2a),
	BE32(0xffffffff),
	BE32(3),			/* StatSN */
	BE32(9),
	BE32(40),
	BE32(0),			/* DataSN */
	BE32(0),			/* Buffer Offset */
	BE32(3584),			/* Residual Count */
};

static void test_data_in(void **state)
{
	u8 v[KTGT_BHS_LEN];
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_data_in, &p);
	assert_int_equal(p.opcode, KTGT_OP_DATA_IN);
	assert_true(p.final);
	assert_false(p.data_in.ack);
	assert_false(p.data_in.overflow);
	assert_true(p.data_in.underflow);
	assert_true(p.data_in.status_present);
	assert_int_equal(p.data_in.status, 0);
	assert_int_equal(p.data_len, 512);
	assert_memory_equal(p.lun, lun1, 8);
	assert_int_equal(p.itt, 0x2a);
	assert_int_equal(p.data_in.ttt, KTGT_RSVD_TAG);
	assert_int_equal(p.data_in.statsn, 3);
	assert_int_equal(p.data_in.expcmdsn, 9);
	assert_int_equal(p.data_in.maxcmdsn, 40);
	assert_int_equal(p.data_in.datasn, 0);
	assert_int_equal(p.data_in.buffer_offset, 0);
	assert_int_equal(p.data_in.residual, 3584);

	/* without S, Status and StatSN are reserved: decoded as 0 */
	memcpy(v, v_data_in, sizeof(v));
	v[1] = 0x00;
	v[3] = 0x02;
	assert_int_equal(ktgt_bhs_decode(v, &p), 0);
	assert_false(p.final);
	assert_false(p.data_in.status_present);
	assert_int_equal(p.data_in.status, 0);
	assert_int_equal(p.data_in.statsn, 0);

	/* A bit (DataACK requested) */
	memcpy(v, v_data_in, sizeof(v));
	v[1] = 0xc0;
	memset(v + 24, 0, 4);
	decode_ok_roundtrip(v, &p);
	assert_true(p.data_in.ack);

	memcpy(v, v_data_in, sizeof(v));
	v[1] = 0x01;		/* S without F */
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
	v[1] = 0x87;		/* O and U */
	assert_int_equal(ktgt_bhs_decode(v, &p), -EPROTO);
}

static const u8 v_logout_rsp[KTGT_BHS_LEN] = {
	0x26, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
	Z8,
	BE32(0x40),
	Z4,
	BE32(8),
	BE32(15),
	BE32(46),
	Z4,
	0x00, 0x02,			/* Time2Wait */
	0x00, 0x14,			/* Time2Retain */
	Z4,
};

static void test_logout_rsp(void **state)
{
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_logout_rsp, &p);
	assert_int_equal(p.opcode, KTGT_OP_LOGOUT_RSP);
	assert_int_equal(p.logout_rsp.response, KTGT_LOGOUT_RSP_SUCCESS);
	assert_int_equal(p.itt, 0x40);
	assert_int_equal(p.logout_rsp.statsn, 8);
	assert_int_equal(p.logout_rsp.expcmdsn, 15);
	assert_int_equal(p.logout_rsp.maxcmdsn, 46);
	assert_int_equal(p.logout_rsp.time2wait, 2);
	assert_int_equal(p.logout_rsp.time2retain, 20);
}

static const u8 v_r2t[KTGT_BHS_LEN] = {
	0x31, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0, 0, 0, 0, 0, 0,
	BE32(0x10),
	BE32(5),			/* TTT */
	BE32(4),
	BE32(10),
	BE32(41),
	BE32(0),			/* R2TSN */
	BE32(0x2000),			/* Buffer Offset */
	BE32(0x10000),			/* Desired Data Transfer Length */
};

static void test_r2t(void **state)
{
	struct ktgt_pdu p;

	decode_ok_roundtrip(v_r2t, &p);
	assert_int_equal(p.opcode, KTGT_OP_R2T);
	assert_true(p.final);
	assert_memory_equal(p.lun, lun1, 8);
	assert_int_equal(p.itt, 0x10);
	assert_int_equal(p.r2t.ttt, 5);
	assert_int_equal(p.r2t.statsn, 4);
	assert_int_equal(p.r2t.expcmdsn, 10);
	assert_int_equal(p.r2t.maxcmdsn, 41);
	assert_int_equal(p.r2t.r2tsn, 0);
	assert_int_equal(p.r2t.buffer_offset, 0x2000);
	assert_int_equal(p.r2t.desired_len, 0x10000);
	assert_string_equal(ktgt_pdu_opcode_name(p.opcode),
			    "Ready To Transfer");
}

/* Target requests a logout within 5 seconds. */
static const u8 v_async[KTGT_BHS_LEN] = {
	0x32, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
	Z8,
	BE32(0xffffffff),
	Z4,
	BE32(9),
	BE32(15),
	BE32(46),
	0x01, 0x00,			/* AsyncEvent, AsyncVCode */
	0x00, 0x00, 0x00, 0x00,		/* Parameter1, Parameter2 */
	0x00, 0x05,			/* Parameter3 */
	Z4,
};

static void test_async(void **state)
{
	struct ktgt_pdu p;
	struct ktgt_pdu q;
	u8 enc[KTGT_BHS_LEN];

	decode_ok_roundtrip(v_async, &p);
	assert_int_equal(p.opcode, KTGT_OP_ASYNC_MSG);
	assert_int_equal(p.itt, KTGT_RSVD_TAG);
	assert_int_equal(p.async_msg.async_event, KTGT_ASYNC_LOGOUT_REQUEST);
	assert_int_equal(p.async_msg.param3, 5);
	assert_int_equal(p.async_msg.statsn, 9);
	assert_int_equal(p.async_msg.expcmdsn, 15);
	assert_int_equal(p.async_msg.maxcmdsn, 46);

	ktgt_pdu_init(&q, KTGT_OP_ASYNC_MSG);
	q.async_msg.async_event = KTGT_ASYNC_LOGOUT_REQUEST;
	q.async_msg.param3 = 5;
	q.async_msg.statsn = 9;
	q.async_msg.expcmdsn = 15;
	q.async_msg.maxcmdsn = 46;
	assert_int_equal(ktgt_bhs_encode(&q, enc), 0);
	assert_memory_equal(enc, v_async, KTGT_BHS_LEN);
}

/* Reject of a 48-byte header: Invalid PDU field. */
static const u8 v_reject[KTGT_BHS_LEN] = {
	0x3f, 0x80, 0x09, 0x00,
	0x00, 0x00, 0x00, 0x30,
	Z8,
	BE32(0xffffffff),
	Z4,
	BE32(5),
	BE32(10),
	BE32(41),
	BE32(0),
	Z8,
};

static void test_reject(void **state)
{
	struct ktgt_pdu p;
	struct ktgt_pdu q;
	u8 enc[KTGT_BHS_LEN];

	decode_ok_roundtrip(v_reject, &p);
	assert_int_equal(p.opcode, KTGT_OP_REJECT);
	assert_true(p.final);
	assert_int_equal(p.reject.reason, KTGT_REJECT_INVALID_PDU_FIELD);
	assert_int_equal(p.data_len, KTGT_BHS_LEN);
	assert_int_equal(p.itt, KTGT_RSVD_TAG);
	assert_int_equal(p.reject.statsn, 5);
	assert_int_equal(p.reject.expcmdsn, 10);
	assert_int_equal(p.reject.maxcmdsn, 41);

	ktgt_pdu_init(&q, KTGT_OP_REJECT);
	q.data_len = KTGT_BHS_LEN;
	q.reject.reason = ktgt_bhs_reject_reason(-EINVAL);
	q.reject.statsn = 5;
	q.reject.expcmdsn = 10;
	q.reject.maxcmdsn = 41;
	assert_int_equal(ktgt_bhs_encode(&q, enc), 0);
	assert_memory_equal(enc, v_reject, KTGT_BHS_LEN);
}

/* ---- opcodes, errors, helpers -------------------------------------- */

static void test_unknown_opcodes(void **state)
{
	static const u8 bad[] = {
		0x07, 0x0f, 0x11, 0x1c, 0x1d, 0x1e, 0x1f,
		0x27, 0x30, 0x33, 0x3c, 0x3d, 0x3e,
	};
	u8 v[KTGT_BHS_LEN];
	struct ktgt_pdu p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(v, v_nop_out, sizeof(v));
		v[0] = 0x40 | bad[i];
		v[5] = 0x01;	/* DSL 0x010004 */
		v[4] = 3;
		assert_int_equal(ktgt_bhs_decode(v, &p), -EOPNOTSUPP);
		/* enough to skip the rest of the PDU and name it */
		assert_int_equal(p.opcode, bad[i]);
		assert_true(p.immediate);
		assert_int_equal(p.ahs_len, 3);
		assert_int_equal(p.data_len, 0x010004);
		assert_int_equal(p.itt, 0x100);
		assert_string_equal(ktgt_pdu_opcode_name(bad[i]), "unknown");
		assert_false(ktgt_opcode_is_initiator(bad[i]));
		assert_false(ktgt_opcode_is_target(bad[i]));
		/* nor can it be encoded */
		assert_int_equal(ktgt_bhs_encode(&p, v), -EINVAL);
	}
	assert_int_equal(ktgt_bhs_reject_reason(-EOPNOTSUPP),
			 KTGT_REJECT_CMD_NOT_SUPPORTED);
}

static void test_opcode_classes(void **state)
{
	unsigned int op;
	unsigned int ini = 0, tgt = 0;

	for (op = 0; op < 64; op++) {
		bool i = ktgt_opcode_is_initiator(op);
		bool t = ktgt_opcode_is_target(op);

		assert_false(i && t);
		ini += i;
		tgt += t;
		if (i)
			assert_int_equal(op & KTGT_OP_TARGET_BIT, 0);
		if (t)
			assert_int_not_equal(op & KTGT_OP_TARGET_BIT, 0);
		if (i || t)
			assert_string_not_equal(ktgt_pdu_opcode_name(op),
						"unknown");
	}
	assert_int_equal(ini, 8);
	assert_int_equal(tgt, 10);
	assert_string_equal(ktgt_pdu_opcode_name(KTGT_OP_SCSI_CMD),
			    "SCSI Command");
	assert_string_equal(ktgt_pdu_opcode_name(0xff), "unknown");
}

static void test_encode_errors(void **state)
{
	u8 enc[KTGT_BHS_LEN];
	struct ktgt_pdu p;

	ktgt_pdu_init(&p, KTGT_OP_NOP_IN);
	p.data_len = KTGT_MAX_DSL;
	assert_int_equal(ktgt_bhs_encode(&p, enc), 0);
	assert_int_equal(enc[5], 0xff);
	p.data_len = KTGT_MAX_DSL + 1;
	memset(enc, 0xee, sizeof(enc));
	assert_int_equal(ktgt_bhs_encode(&p, enc), -EINVAL);
	assert_memory_equal(enc, (u8[KTGT_BHS_LEN]){ 0 }, KTGT_BHS_LEN);

	ktgt_pdu_init(&p, KTGT_OP_LOGIN_REQ);
	p.login_req.csg = 4;
	assert_int_equal(ktgt_bhs_encode(&p, enc), -EINVAL);
	ktgt_pdu_init(&p, KTGT_OP_LOGIN_RSP);
	p.login_rsp.nsg = 4;
	assert_int_equal(ktgt_bhs_encode(&p, enc), -EINVAL);
	ktgt_pdu_init(&p, KTGT_OP_SCSI_CMD);
	p.scsi_cmd.attr = 8;
	assert_int_equal(ktgt_bhs_encode(&p, enc), -EINVAL);
	ktgt_pdu_init(&p, KTGT_OP_TMF_REQ);
	p.tmf_req.function = 0x80;
	assert_int_equal(ktgt_bhs_encode(&p, enc), -EINVAL);
	ktgt_pdu_init(&p, KTGT_OP_LOGOUT_REQ);
	p.logout_req.reason = 0x80;
	assert_int_equal(ktgt_bhs_encode(&p, enc), -EINVAL);
	ktgt_pdu_init(&p, KTGT_OP_SNACK_REQ);
	p.snack_req.type = 16;
	assert_int_equal(ktgt_bhs_encode(&p, enc), -EINVAL);
	p.opcode = 0x40;	/* I bit folded into the opcode */
	assert_int_equal(ktgt_bhs_encode(&p, enc), -EINVAL);

	/* protocol rules are not enforced on encode: T and C both set */
	ktgt_pdu_init(&p, KTGT_OP_LOGIN_REQ);
	p.login_req.transit = true;
	p.login_req.cont = true;
	assert_int_equal(ktgt_bhs_encode(&p, enc), 0);
	assert_int_equal(enc[0], 0x43);
	assert_int_equal(enc[1], 0xc0);
	assert_int_equal(ktgt_bhs_decode(enc, &p), -EPROTO);
}

static void test_pdu_init(void **state)
{
	struct ktgt_pdu p;

	ktgt_pdu_init(&p, KTGT_OP_SCSI_CMD);
	assert_false(p.final);
	assert_false(p.immediate);
	assert_int_equal(p.itt, 0);
	ktgt_pdu_init(&p, KTGT_OP_NOP_IN);
	assert_true(p.final);
	ktgt_pdu_init(&p, KTGT_OP_LOGIN_REQ);
	assert_true(p.immediate);
	assert_false(p.final);
	ktgt_pdu_init(&p, KTGT_OP_REJECT);
	assert_int_equal(p.itt, KTGT_RSVD_TAG);
	assert_true(p.final);
}

static void test_lengths(void **state)
{
	struct ktgt_pdu p;

	assert_int_equal(ktgt_pad4(0), 0);
	assert_int_equal(ktgt_pad4(1), 4);
	assert_int_equal(ktgt_pad4(4), 4);
	assert_int_equal(ktgt_pad4(5), 8);
	assert_int_equal(ktgt_pad4(KTGT_MAX_DSL), 0x1000000);

	ktgt_pdu_init(&p, KTGT_OP_SCSI_CMD);
	assert_int_equal(ktgt_pdu_wire_len(&p, false, false), 48);
	assert_int_equal(ktgt_pdu_wire_len(&p, true, true), 52);
	p.ahs_len = 2;
	p.data_len = 5;
	assert_int_equal(ktgt_pdu_wire_len(&p, false, false), 48 + 8 + 8);
	assert_int_equal(ktgt_pdu_wire_len(&p, true, false), 48 + 8 + 4 + 8);
	assert_int_equal(ktgt_pdu_wire_len(&p, true, true),
			 48 + 8 + 4 + 8 + 4);
	p.ahs_len = 255;
	p.data_len = KTGT_MAX_DSL;
	assert_int_equal(ktgt_pdu_wire_len(&p, true, true),
			 48 + 1020 + 4 + 0x1000000 + 4);
}

/* Every byte-0 value over pseudo-random headers: decode, re-encode. */
static void test_roundtrip_sweep(void **state)
{
	u32 seed = 0x12345678;
	unsigned int op, n, ok = 0;
	u8 v[KTGT_BHS_LEN], enc[KTGT_BHS_LEN], enc2[KTGT_BHS_LEN];
	struct ktgt_pdu a, b;
	size_t i;

	for (op = 0; op < 256; op++) {
		for (n = 0; n < 200; n++) {
			for (i = 0; i < sizeof(v); i++) {
				seed = seed * 1103515245 + 12345;
				v[i] = seed >> 16;
			}
			v[0] = op;
			if (n & 1) {	/* bias towards valid headers */
				v[1] &= 0x83;
				v[4] = 0;
				v[5] = v[6] = v[7] = 0;
				memset(v + 20, 0, 4);
			}
			if (ktgt_bhs_decode(v, &a))
				continue;
			ok++;
			assert_int_equal(ktgt_bhs_encode(&a, enc), 0);
			assert_int_equal(ktgt_bhs_decode(enc, &b), 0);
			assert_memory_equal(&a, &b, sizeof(a));
			assert_int_equal(ktgt_bhs_encode(&b, enc2), 0);
			assert_memory_equal(enc, enc2, KTGT_BHS_LEN);
		}
	}
	assert_true(ok > 1000);
}

/* ---- AHS ------------------------------------------------------------ */

static void test_ahs_ext_cdb_and_bidi(void **state)
{
	/* 32-byte CDB: Extended CDB AHS (16 more bytes), then bidi 8192 */
	static const u8 ahs[] = {
		0x00, 0x11, 0x01, 0x00,
		0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
		0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
		0x00, 0x05, 0x02, 0x00,
		0x00, 0x00, 0x20, 0x00,
	};
	u8 cdb16[KTGT_CDB_LEN], cdb[KTGT_MAX_CDB_LEN], buf[64];
	struct ktgt_ahs_info info, again;
	size_t i;

	assert_int_equal(ktgt_ahs_parse(ahs, sizeof(ahs), &info), 0);
	assert_ptr_equal(info.ext_cdb, ahs + 4);
	assert_int_equal(info.ext_cdb_len, 16);
	assert_true(info.has_bidi_read_len);
	assert_int_equal(info.bidi_read_len, 8192);

	for (i = 0; i < KTGT_CDB_LEN; i++)
		cdb16[i] = i;
	assert_int_equal(ktgt_cdb_assemble(cdb16, &info, cdb, sizeof(cdb)),
			 32);
	for (i = 0; i < 32; i++)
		assert_int_equal(cdb[i], i);
	assert_int_equal(ktgt_cdb_assemble(cdb16, &info, cdb, 31), -ENOSPC);
	assert_int_equal(ktgt_cdb_assemble(cdb16, NULL, cdb, 16), 16);

	assert_int_equal(ktgt_ahs_build(&info, buf, sizeof(buf)), sizeof(ahs));
	assert_memory_equal(buf, ahs, sizeof(ahs));
	assert_int_equal(ktgt_ahs_build(&info, buf, sizeof(ahs) - 1),
			 -ENOSPC);

	/* reserved top bits of AHSType are ignored */
	memcpy(buf, ahs, sizeof(ahs));
	buf[2] |= 0xc0;
	assert_int_equal(ktgt_ahs_parse(buf, sizeof(ahs), &again), 0);
	assert_int_equal(again.ext_cdb_len, 16);

	assert_int_equal(ktgt_ahs_parse(ahs, 0, &info), 0);
	assert_null(info.ext_cdb);
	assert_false(info.has_bidi_read_len);
}

static void test_ahs_padding(void **state)
{
	/* 17-byte CDB: AHSLength 2, padded to 8 bytes, then a type 60 AHS */
	static const u8 ahs[] = {
		0x00, 0x02, 0x01, 0x00, 0xaa, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x3c, 0x00,
	};
	struct ktgt_ahs_info info = { 0 }, got;
	u8 buf[16], ext = 0xaa;

	assert_int_equal(ktgt_ahs_parse(ahs, sizeof(ahs), &got), 0);
	assert_int_equal(got.ext_cdb_len, 1);
	assert_int_equal(got.ext_cdb[0], 0xaa);
	assert_false(got.has_bidi_read_len);

	info.ext_cdb = &ext;
	info.ext_cdb_len = 1;
	assert_int_equal(ktgt_ahs_build(&info, buf, sizeof(buf)), 8);
	assert_memory_equal(buf, ahs, 8);
}

static void test_ahs_errors(void **state)
{
	u8 a[KTGT_MAX_AHS_BYTES + 4];
	struct ktgt_ahs_info info = { 0 };
	u8 ext[KTGT_MAX_CDB_LEN];

	memset(a, 0, sizeof(a));
	/* length not a multiple of 4 */
	a[1] = 5;
	a[2] = 2;
	assert_int_equal(ktgt_ahs_parse(a, 7, &info), -EPROTO);
	assert_int_equal(ktgt_ahs_parse(a, 8, &info), 0);
	/* truncated */
	assert_int_equal(ktgt_ahs_parse(a, 4, &info), -EPROTO);
	/* overlong */
	assert_int_equal(ktgt_ahs_parse(a, KTGT_MAX_AHS_BYTES + 4, &info),
			 -EPROTO);
	/* bidi with AHSLength 4 or 6 */
	a[1] = 4;
	assert_int_equal(ktgt_ahs_parse(a, 8, &info), -EPROTO);
	a[1] = 6;
	assert_int_equal(ktgt_ahs_parse(a, 12, &info), -EPROTO);
	/* bidi twice */
	memset(a, 0, sizeof(a));
	a[1] = 5;
	a[2] = 2;
	a[9] = 5;
	a[10] = 2;
	assert_int_equal(ktgt_ahs_parse(a, 16, &info), -EPROTO);
	/* reserved types 0, 3, 59; 60..63 are skipped */
	memset(a, 0, sizeof(a));
	assert_int_equal(ktgt_ahs_parse(a, 4, &info), -EPROTO);
	a[2] = 3;
	assert_int_equal(ktgt_ahs_parse(a, 4, &info), -EPROTO);
	a[2] = 59;
	assert_int_equal(ktgt_ahs_parse(a, 4, &info), -EPROTO);
	a[2] = 63;
	assert_int_equal(ktgt_ahs_parse(a, 4, &info), 0);
	/* Extended CDB without CDB bytes, or twice */
	a[1] = 1;
	a[2] = 1;
	assert_int_equal(ktgt_ahs_parse(a, 4, &info), -EPROTO);
	a[1] = 2;
	a[9] = 2;
	a[10] = 1;
	assert_int_equal(ktgt_ahs_parse(a, 8, &info), 0);
	assert_int_equal(ktgt_ahs_parse(a, 16, &info), -EPROTO);
	/* Extended CDB up to a 260-byte CDB, not beyond */
	memset(a, 0, sizeof(a));
	a[1] = 245;		/* 244 extra bytes */
	a[2] = 1;
	assert_int_equal(ktgt_ahs_parse(a, 248, &info), 0);
	assert_int_equal(info.ext_cdb_len, 244);
	a[1] = 246;
	assert_int_equal(ktgt_ahs_parse(a, 252, &info), -EPROTO);
	/* huge AHSLength must not wrap */
	a[0] = 0xff;
	a[1] = 0xff;
	assert_int_equal(ktgt_ahs_parse(a, KTGT_MAX_AHS_BYTES, &info),
			 -EPROTO);

	/* build */
	memset(&info, 0, sizeof(info));
	info.ext_cdb = ext;
	info.ext_cdb_len = 245;
	assert_int_equal(ktgt_ahs_build(&info, a, sizeof(a)), -EINVAL);
	info.ext_cdb = NULL;
	info.ext_cdb_len = 4;
	assert_int_equal(ktgt_ahs_build(&info, a, sizeof(a)), -EINVAL);
	info.ext_cdb_len = 0;
	assert_int_equal(ktgt_ahs_build(&info, a, 0), 0);
}

/* ---- LUN ------------------------------------------------------------ */

static void test_lun(void **state)
{
	static const struct {
		u8 b[8];
		int err;
		u64 lun;
	} dec[] = {
		{ { 0x00, 0x00 }, 0, 0 },
		{ { 0x00, 0x05 }, 0, 5 },
		{ { 0x00, 0xff }, 0, 255 },
		{ { 0x40, 0x05 }, 0, 5 },
		{ { 0x41, 0x00 }, 0, 256 },
		{ { 0x7f, 0xff }, 0, 16383 },
		{ { 0x01, 0x00 }, -EINVAL, 0 },	/* bus 1 */
		{ { 0x80, 0x01 }, -EINVAL, 0 },	/* logical unit addressing */
		{ { 0xc0, 0x01 }, -EINVAL, 0 },	/* extended */
		{ { 0x00, 0x01, 0x00, 0x02 }, -EINVAL, 0 },	/* 2nd level */
		{ { 0x00, 0x01, 0, 0, 0, 0, 0, 1 }, -EINVAL, 0 },
	};
	u8 b[8];
	u64 lun, n;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dec); i++) {
		lun = 12345;
		assert_int_equal(ktgt_lun_decode(dec[i].b, &lun), dec[i].err);
		if (!dec[i].err)
			assert_int_equal(lun, dec[i].lun);
	}

	assert_int_equal(ktgt_lun_encode(0, b), 0);
	assert_memory_equal(b, lun0, 8);
	assert_int_equal(ktgt_lun_encode(1, b), 0);
	assert_memory_equal(b, lun1, 8);
	assert_int_equal(ktgt_lun_encode(256, b), 0);
	assert_memory_equal(b, ((u8[8]){ 0x41, 0x00 }), 8);
	assert_int_equal(ktgt_lun_encode(16383, b), 0);
	assert_memory_equal(b, ((u8[8]){ 0x7f, 0xff }), 8);
	assert_int_equal(ktgt_lun_encode(16384, b), -ERANGE);
	assert_int_equal(ktgt_lun_encode(~0ull, b), -ERANGE);

	for (n = 0; n <= KTGT_MAX_LUN; n++) {
		assert_int_equal(ktgt_lun_encode(n, b), 0);
		assert_int_equal(ktgt_lun_decode(b, &lun), 0);
		assert_int_equal(lun, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_req),
		cmocka_unit_test(test_login_req_build),
		cmocka_unit_test(test_login_req_security),
		cmocka_unit_test(test_login_req_errors),
		cmocka_unit_test(test_scsi_cmd_read10),
		cmocka_unit_test(test_scsi_cmd_write10),
		cmocka_unit_test(test_scsi_cmd_errors),
		cmocka_unit_test(test_reserved_bits_ignored),
		cmocka_unit_test(test_nop_out),
		cmocka_unit_test(test_tmf_req),
		cmocka_unit_test(test_text_req),
		cmocka_unit_test(test_data_out),
		cmocka_unit_test(test_logout_req),
		cmocka_unit_test(test_snack),
		cmocka_unit_test(test_nop_in),
		cmocka_unit_test(test_scsi_rsp),
		cmocka_unit_test(test_tmf_rsp),
		cmocka_unit_test(test_login_rsp),
		cmocka_unit_test(test_text_rsp),
		cmocka_unit_test(test_data_in),
		cmocka_unit_test(test_logout_rsp),
		cmocka_unit_test(test_r2t),
		cmocka_unit_test(test_async),
		cmocka_unit_test(test_reject),
		cmocka_unit_test(test_unknown_opcodes),
		cmocka_unit_test(test_opcode_classes),
		cmocka_unit_test(test_encode_errors),
		cmocka_unit_test(test_pdu_init),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_roundtrip_sweep),
		cmocka_unit_test(test_ahs_ext_cdb_and_bidi),
		cmocka_unit_test(test_ahs_padding),
		cmocka_unit_test(test_ahs_errors),
		cmocka_unit_test(test_lun),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
