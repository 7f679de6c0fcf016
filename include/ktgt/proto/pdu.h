/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iSCSI PDU basic header segment (BHS) and additional header segment (AHS)
 * codec, RFC 7143 section 11. Pure: no allocation, no kernel services.
 *
 * Three layers:
 *  - wire structs: one packed 48-byte struct per opcode, fields named as in
 *    the RFC, multi-byte fields big-endian;
 *  - struct ktgt_pdu: the host-order decoded header, common fields plus a
 *    union of per-opcode fields;
 *  - ktgt_bhs_decode() / ktgt_bhs_encode() between the two, and
 *    ktgt_ahs_parse() / ktgt_ahs_build() for the AHS chain.
 *
 * Reserved bits and reserved fields are written as 0 and ignored on
 * receipt; reserved code values in defined fields are protocol errors
 * (RFC 7143 section 11, introduction). Bits the RFC draws as a fixed 1
 * (the F bit of NOP-Out, Task Management Request, Logout Request, SNACK
 * and of most target PDUs, the I bit of Login Request) are always written
 * as 1 and not checked on receipt.
 */
#ifndef KTGT_PROTO_PDU_H
#define KTGT_PROTO_PDU_H

#include <ktgt/proto/platform.h>

#define KTGT_BHS_LEN		48
#define KTGT_DIGEST_LEN		4	/* CRC32C header or data digest */
#define KTGT_RSVD_TAG		0xffffffffu	/* reserved ITT / TTT value */
#define KTGT_MAX_DSL		0xffffffu	/* 24-bit DataSegmentLength */
#define KTGT_MAX_AHS_BYTES	(255 * 4)	/* TotalAHSLength is 8 bits */
#define KTGT_CDB_LEN		16		/* CDB bytes in the BHS */
#define KTGT_MAX_CDB_LEN	260		/* SPC-4 variable-length CDB */

/* Opcodes, RFC 7143 11.2.1.2 (byte 0, low six bits). */
enum ktgt_opcode {
	/* initiator opcodes */
	KTGT_OP_NOP_OUT		= 0x00,
	KTGT_OP_SCSI_CMD	= 0x01,
	KTGT_OP_TMF_REQ		= 0x02,
	KTGT_OP_LOGIN_REQ	= 0x03,
	KTGT_OP_TEXT_REQ	= 0x04,
	KTGT_OP_DATA_OUT	= 0x05,
	KTGT_OP_LOGOUT_REQ	= 0x06,
	KTGT_OP_SNACK_REQ	= 0x10,
	/* target opcodes */
	KTGT_OP_NOP_IN		= 0x20,
	KTGT_OP_SCSI_RSP	= 0x21,
	KTGT_OP_TMF_RSP		= 0x22,
	KTGT_OP_LOGIN_RSP	= 0x23,
	KTGT_OP_TEXT_RSP	= 0x24,
	KTGT_OP_DATA_IN		= 0x25,
	KTGT_OP_LOGOUT_RSP	= 0x26,
	KTGT_OP_R2T		= 0x31,
	KTGT_OP_ASYNC_MSG	= 0x32,
	KTGT_OP_REJECT		= 0x3f,
};

#define KTGT_OPCODE_MASK	0x3f
#define KTGT_OP_TARGET_BIT	0x20	/* set in every target opcode */

/* Byte 0 */
#define KTGT_BHS_I		0x40	/* immediate delivery */

/* Byte 1: the F (final) bit of most PDUs */
#define KTGT_BHS_F		0x80

/* Byte 1 of SCSI Command */
#define KTGT_CMD_R		0x40
#define KTGT_CMD_W		0x20
#define KTGT_CMD_ATTR_MASK	0x07

/* Byte 1 of SCSI Response */
#define KTGT_RSP_BIDI_OVERFLOW	0x10	/* o */
#define KTGT_RSP_BIDI_UNDERFLOW	0x08	/* u */
#define KTGT_RSP_OVERFLOW	0x04	/* O */
#define KTGT_RSP_UNDERFLOW	0x02	/* U */

/* Byte 1 of SCSI Data-In */
#define KTGT_DATAIN_A		0x40
#define KTGT_DATAIN_O		0x04
#define KTGT_DATAIN_U		0x02
#define KTGT_DATAIN_S		0x01

/* Byte 1 of Text Request/Response and Login Request/Response */
#define KTGT_TEXT_C		0x40
#define KTGT_LOGIN_T		0x80
#define KTGT_LOGIN_C		0x40
#define KTGT_LOGIN_CSG_SHIFT	2
#define KTGT_LOGIN_CSG_MASK	0x0c
#define KTGT_LOGIN_NSG_MASK	0x03

/* Byte 1 of Task Management Request, Logout Request, SNACK */
#define KTGT_TMF_FUNC_MASK	0x7f
#define KTGT_LOGOUT_REASON_MASK	0x7f
#define KTGT_SNACK_TYPE_MASK	0x0f

/* ATTR of SCSI Command, RFC 7143 11.3.1; 5..7 are reserved. */
enum ktgt_task_attr {
	KTGT_ATTR_UNTAGGED	= 0,
	KTGT_ATTR_SIMPLE	= 1,
	KTGT_ATTR_ORDERED	= 2,
	KTGT_ATTR_HEAD_OF_QUEUE	= 3,
	KTGT_ATTR_ACA		= 4,
};

/* Response of SCSI Response, RFC 7143 11.4.3. */
enum ktgt_scsi_response {
	KTGT_SCSI_RSP_COMPLETED		= 0x00,
	KTGT_SCSI_RSP_TARGET_FAILURE	= 0x01,
};

/* Function of Task Management Request, RFC 7143 11.5.1. */
enum ktgt_tmf_function {
	KTGT_TMF_ABORT_TASK		= 1,
	KTGT_TMF_ABORT_TASK_SET		= 2,
	KTGT_TMF_CLEAR_ACA		= 3,
	KTGT_TMF_CLEAR_TASK_SET		= 4,
	KTGT_TMF_LOGICAL_UNIT_RESET	= 5,
	KTGT_TMF_TARGET_WARM_RESET	= 6,
	KTGT_TMF_TARGET_COLD_RESET	= 7,
	KTGT_TMF_TASK_REASSIGN		= 8,
};

/* Response of Task Management Response, RFC 7143 11.6.1. */
enum ktgt_tmf_response {
	KTGT_TMF_RSP_COMPLETE		= 0,
	KTGT_TMF_RSP_NO_TASK		= 1,
	KTGT_TMF_RSP_NO_LUN		= 2,
	KTGT_TMF_RSP_TASK_ALLEGIANT	= 3,
	KTGT_TMF_RSP_NO_REASSIGN	= 4,
	KTGT_TMF_RSP_NOT_SUPPORTED	= 5,
	KTGT_TMF_RSP_AUTH_FAILED	= 6,
	KTGT_TMF_RSP_REJECTED		= 255,
};

/* Login stages (CSG, NSG), RFC 7143 11.12.3; 2 is reserved. */
enum ktgt_login_stage {
	KTGT_STAGE_SECURITY	= 0,
	KTGT_STAGE_OPERATIONAL	= 1,
	KTGT_STAGE_FULL_FEATURE	= 3,
};

/* Reason Code of Logout Request, RFC 7143 11.14.1; others reserved. */
enum ktgt_logout_reason {
	KTGT_LOGOUT_CLOSE_SESSION	= 0,
	KTGT_LOGOUT_CLOSE_CONNECTION	= 1,
	KTGT_LOGOUT_REMOVE_FOR_RECOVERY	= 2,
};

/* Response of Logout Response, RFC 7143 11.15.1. */
enum ktgt_logout_response {
	KTGT_LOGOUT_RSP_SUCCESS		= 0,
	KTGT_LOGOUT_RSP_CID_NOT_FOUND	= 1,
	KTGT_LOGOUT_RSP_NO_RECOVERY	= 2,
	KTGT_LOGOUT_RSP_CLEANUP_FAILED	= 3,
};

/* Type of SNACK Request, RFC 7143 11.16.1; 4..15 are reserved. */
enum ktgt_snack_type {
	KTGT_SNACK_DATA_R2T	= 0,
	KTGT_SNACK_STATUS	= 1,
	KTGT_SNACK_DATA_ACK	= 2,
	KTGT_SNACK_RDATA	= 3,
};

/* AsyncEvent of Asynchronous Message, RFC 7143 11.9.1. */
enum ktgt_async_event {
	KTGT_ASYNC_SCSI_EVENT		= 0,
	KTGT_ASYNC_LOGOUT_REQUEST	= 1,
	KTGT_ASYNC_DROP_CONNECTION	= 2,
	KTGT_ASYNC_DROP_ALL_CONNECTIONS	= 3,
	KTGT_ASYNC_RENEGOTIATE		= 4,
	KTGT_ASYNC_VENDOR		= 255,
};

/* Reason of Reject, RFC 7143 11.17.1. */
enum ktgt_reject_reason {
	KTGT_REJECT_DATA_DIGEST		= 0x02,
	KTGT_REJECT_SNACK		= 0x03,
	KTGT_REJECT_PROTOCOL_ERROR	= 0x04,
	KTGT_REJECT_CMD_NOT_SUPPORTED	= 0x05,
	KTGT_REJECT_IMM_CMD		= 0x06,	/* too many immediate commands */
	KTGT_REJECT_TASK_IN_PROGRESS	= 0x07,
	KTGT_REJECT_INVALID_DATA_ACK	= 0x08,
	KTGT_REJECT_INVALID_PDU_FIELD	= 0x09,
	KTGT_REJECT_OUT_OF_RESOURCES	= 0x0a,	/* long op: cannot make TTT */
	KTGT_REJECT_DEPRECATED		= 0x0b,
	KTGT_REJECT_WAITING_FOR_LOGOUT	= 0x0c,
};

/*
 * Wire formats. Each is exactly KTGT_BHS_LEN bytes; the names follow the
 * RFC figures, rsvdN is a reserved field at byte offset N.
 */

/* Fields common to every BHS, RFC 7143 11.2.1. */
struct ktgt_bhs {
	u8 opcode;			/* .|I|opcode */
	u8 flags;
	u8 opspec2[2];
	u8 total_ahs_len;		/* in 4-byte words */
	u8 data_seg_len[3];
	u8 lun[8];			/* or opcode-specific */
	__be32 itt;
	u8 opspec20[28];
} __packed;

/* NOP-Out, 0x00, RFC 7143 11.18 */
struct ktgt_bhs_nop_out {
	u8 opcode;
	u8 flags;
	u8 rsvd2[2];
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 lun[8];
	__be32 itt;
	__be32 ttt;
	__be32 cmdsn;
	__be32 expstatsn;
	u8 rsvd32[16];
} __packed;

/* SCSI Command, 0x01, RFC 7143 11.3 */
struct ktgt_bhs_scsi_cmd {
	u8 opcode;
	u8 flags;			/* F|R|W|.|.|ATTR */
	u8 rsvd2[2];
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 lun[8];
	__be32 itt;
	__be32 edtl;			/* Expected Data Transfer Length */
	__be32 cmdsn;
	__be32 expstatsn;
	u8 cdb[KTGT_CDB_LEN];
} __packed;

/* Task Management Function Request, 0x02, RFC 7143 11.5 */
struct ktgt_bhs_tmf_req {
	u8 opcode;
	u8 flags;			/* 1|Function */
	u8 rsvd2[2];
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 lun[8];
	__be32 itt;
	__be32 rtt;			/* Referenced Task Tag */
	__be32 cmdsn;
	__be32 expstatsn;
	__be32 refcmdsn;
	__be32 expdatasn;
	u8 rsvd40[8];
} __packed;

/* Login Request, 0x03, RFC 7143 11.12 */
struct ktgt_bhs_login_req {
	u8 opcode;			/* .|1|0x03 */
	u8 flags;			/* T|C|.|.|CSG|NSG */
	u8 version_max;
	u8 version_min;
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 isid[6];
	__be16 tsih;
	__be32 itt;
	__be16 cid;
	u8 rsvd22[2];
	__be32 cmdsn;
	__be32 expstatsn;
	u8 rsvd32[16];
} __packed;

/* Text Request, 0x04, RFC 7143 11.10 */
struct ktgt_bhs_text_req {
	u8 opcode;
	u8 flags;			/* F|C */
	u8 rsvd2[2];
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 lun[8];
	__be32 itt;
	__be32 ttt;
	__be32 cmdsn;
	__be32 expstatsn;
	u8 rsvd32[16];
} __packed;

/* SCSI Data-Out, 0x05, RFC 7143 11.7 */
struct ktgt_bhs_data_out {
	u8 opcode;
	u8 flags;			/* F */
	u8 rsvd2[2];
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 lun[8];
	__be32 itt;
	__be32 ttt;
	u8 rsvd24[4];
	__be32 expstatsn;
	u8 rsvd32[4];
	__be32 datasn;
	__be32 buffer_offset;
	u8 rsvd44[4];
} __packed;

/* Logout Request, 0x06, RFC 7143 11.14 */
struct ktgt_bhs_logout_req {
	u8 opcode;
	u8 flags;			/* 1|Reason Code */
	u8 rsvd2[2];
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 rsvd8[8];
	__be32 itt;
	__be16 cid;
	u8 rsvd22[2];
	__be32 cmdsn;
	__be32 expstatsn;
	u8 rsvd32[16];
} __packed;

/* SNACK Request, 0x10, RFC 7143 11.16 */
struct ktgt_bhs_snack_req {
	u8 opcode;
	u8 flags;			/* 1|.|.|.|Type */
	u8 rsvd2[2];
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 lun[8];
	__be32 itt;
	__be32 ttt;			/* or SNACK Tag */
	u8 rsvd24[4];
	__be32 expstatsn;
	u8 rsvd32[8];
	__be32 begrun;
	__be32 runlength;
} __packed;

/* NOP-In, 0x20, RFC 7143 11.19 */
struct ktgt_bhs_nop_in {
	u8 opcode;
	u8 flags;
	u8 rsvd2[2];
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 lun[8];
	__be32 itt;
	__be32 ttt;
	__be32 statsn;
	__be32 expcmdsn;
	__be32 maxcmdsn;
	u8 rsvd36[12];
} __packed;

/* SCSI Response, 0x21, RFC 7143 11.4 */
struct ktgt_bhs_scsi_rsp {
	u8 opcode;
	u8 flags;			/* 1|.|.|o|u|O|U|. */
	u8 response;
	u8 status;
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 rsvd8[8];
	__be32 itt;
	__be32 snack_tag;
	__be32 statsn;
	__be32 expcmdsn;
	__be32 maxcmdsn;
	__be32 expdatasn;
	__be32 bidi_residual;		/* Bidirectional Read Residual Count */
	__be32 residual;		/* Residual Count */
} __packed;

/* Task Management Function Response, 0x22, RFC 7143 11.6 */
struct ktgt_bhs_tmf_rsp {
	u8 opcode;
	u8 flags;
	u8 response;
	u8 rsvd3;
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 rsvd8[8];
	__be32 itt;
	u8 rsvd20[4];
	__be32 statsn;
	__be32 expcmdsn;
	__be32 maxcmdsn;
	u8 rsvd36[12];
} __packed;

/* Login Response, 0x23, RFC 7143 11.13 */
struct ktgt_bhs_login_rsp {
	u8 opcode;
	u8 flags;			/* T|C|.|.|CSG|NSG */
	u8 version_max;
	u8 version_active;
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 isid[6];
	__be16 tsih;
	__be32 itt;
	u8 rsvd20[4];
	__be32 statsn;
	__be32 expcmdsn;
	__be32 maxcmdsn;
	u8 status_class;
	u8 status_detail;
	u8 rsvd38[10];
} __packed;

/* Text Response, 0x24, RFC 7143 11.11 */
struct ktgt_bhs_text_rsp {
	u8 opcode;
	u8 flags;			/* F|C */
	u8 rsvd2[2];
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 lun[8];
	__be32 itt;
	__be32 ttt;
	__be32 statsn;
	__be32 expcmdsn;
	__be32 maxcmdsn;
	u8 rsvd36[12];
} __packed;

/* SCSI Data-In, 0x25, RFC 7143 11.7 */
struct ktgt_bhs_data_in {
	u8 opcode;
	u8 flags;			/* F|A|0|0|0|O|U|S */
	u8 rsvd2;
	u8 status;
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 lun[8];
	__be32 itt;
	__be32 ttt;
	__be32 statsn;
	__be32 expcmdsn;
	__be32 maxcmdsn;
	__be32 datasn;
	__be32 buffer_offset;
	__be32 residual;
} __packed;

/* Logout Response, 0x26, RFC 7143 11.15 */
struct ktgt_bhs_logout_rsp {
	u8 opcode;
	u8 flags;
	u8 response;
	u8 rsvd3;
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 rsvd8[8];
	__be32 itt;
	u8 rsvd20[4];
	__be32 statsn;
	__be32 expcmdsn;
	__be32 maxcmdsn;
	u8 rsvd36[4];
	__be16 time2wait;
	__be16 time2retain;
	u8 rsvd44[4];
} __packed;

/* Ready To Transfer, 0x31, RFC 7143 11.8 */
struct ktgt_bhs_r2t {
	u8 opcode;
	u8 flags;
	u8 rsvd2[2];
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 lun[8];
	__be32 itt;
	__be32 ttt;
	__be32 statsn;
	__be32 expcmdsn;
	__be32 maxcmdsn;
	__be32 r2tsn;
	__be32 buffer_offset;
	__be32 desired_len;		/* Desired Data Transfer Length */
} __packed;

/* Asynchronous Message, 0x32, RFC 7143 11.9 */
struct ktgt_bhs_async_msg {
	u8 opcode;
	u8 flags;
	u8 rsvd2[2];
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 lun[8];
	__be32 itt;			/* 0xffffffff */
	u8 rsvd20[4];
	__be32 statsn;
	__be32 expcmdsn;
	__be32 maxcmdsn;
	u8 async_event;
	u8 async_vcode;
	__be16 param1;
	__be16 param2;
	__be16 param3;
	u8 rsvd44[4];
} __packed;

/* Reject, 0x3f, RFC 7143 11.17 */
struct ktgt_bhs_reject {
	u8 opcode;
	u8 flags;
	u8 reason;
	u8 rsvd3;
	u8 total_ahs_len;
	u8 data_seg_len[3];
	u8 rsvd8[8];
	__be32 itt;			/* 0xffffffff */
	u8 rsvd20[4];
	__be32 statsn;
	__be32 expcmdsn;
	__be32 maxcmdsn;
	__be32 datasn_r2tsn;		/* DataSN/R2TSN or reserved */
	u8 rsvd40[8];
} __packed;

/*
 * Decoded header, host byte order.
 *
 * Common fields: @opcode (enum ktgt_opcode), @immediate (the I bit; always
 * false for opcodes where it is reserved, always true for Login Request),
 * @final (the F bit where it is meaningful: SCSI Command, Text Request and
 * Response, Data-Out, Data-In; always true where the RFC fixes it to 1;
 * false for Login, whose bit 7 is T), @ahs_len (TotalAHSLength in 4-byte
 * words), @data_len (DataSegmentLength in bytes, without padding), @lun
 * (bytes 8..15 as sent, for the opcodes that carry a LUN there, else all
 * zero), @itt (bytes 16..19: the Initiator Task Tag, 0xffffffff in Reject
 * and Asynchronous Message).
 *
 * The union member named after the opcode holds the rest. Fields the RFC
 * calls "X or reserved" are decoded as on the wire, except Data-In's
 * Status and StatSN, which are 0 unless @data_in.status_present (S).
 */
struct ktgt_pdu {
	u8 opcode;
	bool immediate;
	bool final;
	u8 ahs_len;
	u32 data_len;
	u8 lun[8];
	u32 itt;
	union {
		struct {
			u32 ttt;
			u32 cmdsn;
			u32 expstatsn;
		} nop_out;
		struct {
			bool read;
			bool write;
			u8 attr;		/* enum ktgt_task_attr */
			u32 edtl;
			u32 cmdsn;
			u32 expstatsn;
			u8 cdb[KTGT_CDB_LEN];
		} scsi_cmd;
		struct {
			u8 function;		/* enum ktgt_tmf_function */
			u32 rtt;
			u32 cmdsn;
			u32 expstatsn;
			u32 refcmdsn;
			u32 expdatasn;
		} tmf_req;
		struct {
			bool transit;		/* T */
			bool cont;		/* C */
			u8 csg;
			u8 nsg;
			u8 version_max;
			u8 version_min;
			u8 isid[6];
			u16 tsih;
			u16 cid;
			u32 cmdsn;
			u32 expstatsn;
		} login_req;
		struct {
			bool cont;		/* C */
			u32 ttt;
			u32 cmdsn;
			u32 expstatsn;
		} text_req;
		struct {
			u32 ttt;
			u32 expstatsn;
			u32 datasn;
			u32 buffer_offset;
		} data_out;
		struct {
			u8 reason;		/* enum ktgt_logout_reason */
			u16 cid;
			u32 cmdsn;
			u32 expstatsn;
		} logout_req;
		struct {
			u8 type;		/* enum ktgt_snack_type */
			u32 ttt;		/* TTT or SNACK Tag */
			u32 expstatsn;
			u32 begrun;
			u32 runlength;
		} snack_req;
		struct {
			u32 ttt;
			u32 statsn;
			u32 expcmdsn;
			u32 maxcmdsn;
		} nop_in;
		struct {
			bool bidi_overflow;	/* o */
			bool bidi_underflow;	/* u */
			bool overflow;		/* O */
			bool underflow;		/* U */
			u8 response;		/* enum ktgt_scsi_response */
			u8 status;		/* SAM status */
			u32 snack_tag;
			u32 statsn;
			u32 expcmdsn;
			u32 maxcmdsn;
			u32 expdatasn;
			u32 bidi_residual;
			u32 residual;
		} scsi_rsp;
		struct {
			u8 response;		/* enum ktgt_tmf_response */
			u32 statsn;
			u32 expcmdsn;
			u32 maxcmdsn;
		} tmf_rsp;
		struct {
			bool transit;		/* T */
			bool cont;		/* C */
			u8 csg;
			u8 nsg;
			u8 version_max;
			u8 version_active;
			u8 isid[6];
			u16 tsih;
			u8 status_class;
			u8 status_detail;
			u32 statsn;
			u32 expcmdsn;
			u32 maxcmdsn;
		} login_rsp;
		struct {
			bool cont;		/* C */
			u32 ttt;
			u32 statsn;
			u32 expcmdsn;
			u32 maxcmdsn;
		} text_rsp;
		struct {
			bool ack;		/* A */
			bool overflow;		/* O */
			bool underflow;		/* U */
			bool status_present;	/* S */
			u8 status;
			u32 ttt;
			u32 statsn;
			u32 expcmdsn;
			u32 maxcmdsn;
			u32 datasn;
			u32 buffer_offset;
			u32 residual;
		} data_in;
		struct {
			u8 response;		/* enum ktgt_logout_response */
			u16 time2wait;
			u16 time2retain;
			u32 statsn;
			u32 expcmdsn;
			u32 maxcmdsn;
		} logout_rsp;
		struct {
			u32 ttt;
			u32 statsn;
			u32 expcmdsn;
			u32 maxcmdsn;
			u32 r2tsn;
			u32 buffer_offset;
			u32 desired_len;
		} r2t;
		struct {
			u8 async_event;		/* enum ktgt_async_event */
			u8 async_vcode;
			u16 param1;
			u16 param2;
			u16 param3;
			u32 statsn;
			u32 expcmdsn;
			u32 maxcmdsn;
		} async_msg;
		struct {
			u8 reason;		/* enum ktgt_reject_reason */
			u32 statsn;
			u32 expcmdsn;
			u32 maxcmdsn;
			u32 datasn_r2tsn;
		} reject;
	};
};

/*
 * Zero @pdu and set @opcode, @final where the RFC fixes F to 1, @immediate
 * for Login Request, and @itt = KTGT_RSVD_TAG for Reject and Asynchronous
 * Message. A starting point for building a PDU to encode.
 */
void ktgt_pdu_init(struct ktgt_pdu *pdu, enum ktgt_opcode opcode);

/*
 * Decode and validate a 48-byte BHS. Returns:
 *   0            valid;
 *   -EOPNOTSUPP  opcode not defined by RFC 7143 (including the vendor
 *                opcodes 0x1c-0x1e and 0x3c-0x3e): Reject, reason
 *                Command not supported (0x05);
 *   -EPROTO      a reserved code value or a combination the RFC forbids:
 *                Reject, reason Protocol Error (0x04);
 *   -EINVAL      a field that describes a task is invalid (the reserved
 *                tag 0xffffffff as ITT of a task-creating request):
 *                Reject, reason Invalid PDU field (0x09).
 * ktgt_bhs_reject_reason() maps these. On every return @out->opcode,
 * @immediate, @ahs_len, @data_len and @itt are filled in, so the caller can
 * skip the AHS and data segment of a rejected PDU; on -EPROTO and -EINVAL
 * the whole of @out is decoded (e.g. for the CmdSN of a rejected command).
 *
 * Both directions are decoded; a target must refuse target opcodes on its
 * own (see ktgt_opcode_is_initiator()). Checks needing session state (the
 * command window, negotiated lengths, login stage order across PDUs,
 * Version-min) are the caller's.
 */
int ktgt_bhs_decode(const u8 bhs[KTGT_BHS_LEN], struct ktgt_pdu *out);

/*
 * Encode @in into a 48-byte BHS, reserved fields zero. Only checks that
 * every field fits its wire width (DataSegmentLength <= 0xffffff, CSG and
 * NSG <= 3, ATTR <= 7, Function and Reason Code <= 0x7f, SNACK Type <= 15)
 * and that the opcode is known: returns 0 or -EINVAL. Protocol rules are
 * not enforced, so test clients can build invalid PDUs on purpose.
 */
int ktgt_bhs_encode(const struct ktgt_pdu *in, u8 bhs[KTGT_BHS_LEN]);

/* Reject reason for an error of ktgt_bhs_decode() or ktgt_ahs_parse(). */
enum ktgt_reject_reason ktgt_bhs_reject_reason(int err);

/* The RFC name of @opcode ("SCSI Command", ...), "unknown" if undefined. */
const char *ktgt_pdu_opcode_name(u8 opcode);

/* @opcode is an initiator opcode that RFC 7143 defines. */
bool ktgt_opcode_is_initiator(u8 opcode);

/* @opcode is a target opcode that RFC 7143 defines. */
bool ktgt_opcode_is_target(u8 opcode);

/* A length rounded up to the 4-byte PDU alignment; @len <= 0xfffffffc. */
static inline u32 ktgt_pad4(u32 len)
{
	return (len + 3) & ~3u;
}

/*
 * Bytes on the wire of the whole PDU: BHS, AHS, header digest, padded data
 * segment and, if the data segment is not empty, data digest.
 */
u32 ktgt_pdu_wire_len(const struct ktgt_pdu *pdu, bool header_digest,
		      bool data_digest);

/*
 * AHS chain, RFC 7143 11.2.2. Each AHS is AHSLength (2 bytes),
 * AHSType (1 byte), AHSLength bytes of AHS-specific data, then padding to
 * a multiple of 4 bytes.
 */
enum ktgt_ahs_type {
	KTGT_AHS_EXTENDED_CDB	= 1,
	KTGT_AHS_BIDI_READ_LEN	= 2,	/* Expected Bidi Read Data Length */
};

#define KTGT_AHS_TYPE_CODE_MASK	0x3f	/* bits 0..1 of AHSType reserved */

struct ktgt_ahs_info {
	/* Extended CDB: the CDB bytes after the first 16; points into the
	 * buffer given to ktgt_ahs_parse(). NULL and 0 if absent.
	 */
	const u8 *ext_cdb;
	u16 ext_cdb_len;
	bool has_bidi_read_len;
	u32 bidi_read_len;	/* Bidirectional Read Expected Data Length */
};

/*
 * Parse @len bytes of AHS (TotalAHSLength * 4). Returns 0, or -EPROTO for
 * a truncated or overlong AHS, a reserved AHS type, a repeated type, an
 * Extended CDB AHS without CDB bytes or making the CDB longer than
 * KTGT_MAX_CDB_LEN, a Bidirectional Read AHS whose AHSLength is not 5, or
 * @len not a multiple of 4. AHS types 60..63 (non-iSCSI extensions) are
 * skipped. @out points into @ahs.
 */
int ktgt_ahs_parse(const u8 *ahs, size_t len, struct ktgt_ahs_info *out);

/*
 * Build the AHS chain for @info (Extended CDB first) into @buf. Returns the
 * bytes written (a multiple of 4; TotalAHSLength is that / 4), -EINVAL if
 * @info->ext_cdb_len makes the CDB longer than KTGT_MAX_CDB_LEN, or
 * -ENOSPC if @size is too small.
 */
int ktgt_ahs_build(const struct ktgt_ahs_info *info, u8 *buf, size_t size);

/*
 * Assemble the whole CDB from the BHS bytes @cdb16 and the Extended CDB of
 * @ahs (may be NULL) into @buf. Returns the CDB length or -ENOSPC.
 */
int ktgt_cdb_assemble(const u8 cdb16[KTGT_CDB_LEN],
		      const struct ktgt_ahs_info *ahs, u8 *buf, size_t size);

/*
 * LUN encoding, SAM-5 4.7 single-level: peripheral device addressing with
 * bus 0 (LUN 0..255) and flat space addressing (LUN 0..16383).
 * ktgt_lun_decode() returns 0 and the LUN number, or -EINVAL for other
 * methods, a non-zero bus, or non-zero second..fourth levels.
 * ktgt_lun_encode() uses peripheral addressing below 256, flat above (as
 * Linux and LIO do), and returns 0 or -ERANGE above 16383.
 */
#define KTGT_MAX_LUN	0x3fff

int ktgt_lun_decode(const u8 lun[8], u64 *out);
int ktgt_lun_encode(u64 lun, u8 out[8]);

#endif /* KTGT_PROTO_PDU_H */
