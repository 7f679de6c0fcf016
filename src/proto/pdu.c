// SPDX-License-Identifier: GPL-2.0
/*
 * iSCSI BHS/AHS codec, RFC 7143 section 11. See include/ktgt/proto/pdu.h.
 *
 * Every decoder reads the fields of its opcode from the wire struct, then
 * validates; a validation failure still leaves the PDU decoded so the
 * caller can build its Reject (and advance CmdSN for a rejected command).
 * Every encoder writes the same fields, so decode(encode(decode(bhs)))
 * equals decode(bhs) for any valid @bhs (tests/fuzz/fuzz_bhs.c checks it).
 */
#include <ktgt/proto/pdu.h>

static inline void ktgt_bhs_check_sizes(void)
{
	BUILD_BUG_ON(sizeof(struct ktgt_bhs) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_nop_out) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_scsi_cmd) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_tmf_req) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_login_req) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_text_req) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_data_out) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_logout_req) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_snack_req) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_nop_in) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_scsi_rsp) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_tmf_rsp) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_login_rsp) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_text_rsp) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_data_in) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_logout_rsp) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_r2t) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_async_msg) != KTGT_BHS_LEN);
	BUILD_BUG_ON(sizeof(struct ktgt_bhs_reject) != KTGT_BHS_LEN);
}

const char *ktgt_pdu_opcode_name(u8 opcode)
{
	switch (opcode) {
	case KTGT_OP_NOP_OUT:		return "NOP-Out";
	case KTGT_OP_SCSI_CMD:		return "SCSI Command";
	case KTGT_OP_TMF_REQ:		return "Task Management Function Request";
	case KTGT_OP_LOGIN_REQ:		return "Login Request";
	case KTGT_OP_TEXT_REQ:		return "Text Request";
	case KTGT_OP_DATA_OUT:		return "SCSI Data-Out";
	case KTGT_OP_LOGOUT_REQ:	return "Logout Request";
	case KTGT_OP_SNACK_REQ:		return "SNACK Request";
	case KTGT_OP_NOP_IN:		return "NOP-In";
	case KTGT_OP_SCSI_RSP:		return "SCSI Response";
	case KTGT_OP_TMF_RSP:		return "Task Management Function Response";
	case KTGT_OP_LOGIN_RSP:		return "Login Response";
	case KTGT_OP_TEXT_RSP:		return "Text Response";
	case KTGT_OP_DATA_IN:		return "SCSI Data-In";
	case KTGT_OP_LOGOUT_RSP:	return "Logout Response";
	case KTGT_OP_R2T:		return "Ready To Transfer";
	case KTGT_OP_ASYNC_MSG:		return "Asynchronous Message";
	case KTGT_OP_REJECT:		return "Reject";
	default:			return "unknown";
	}
}
EXPORT_SYMBOL_GPL(ktgt_pdu_opcode_name);

bool ktgt_opcode_is_initiator(u8 opcode)
{
	switch (opcode) {
	case KTGT_OP_NOP_OUT:
	case KTGT_OP_SCSI_CMD:
	case KTGT_OP_TMF_REQ:
	case KTGT_OP_LOGIN_REQ:
	case KTGT_OP_TEXT_REQ:
	case KTGT_OP_DATA_OUT:
	case KTGT_OP_LOGOUT_REQ:
	case KTGT_OP_SNACK_REQ:
		return true;
	default:
		return false;
	}
}

bool ktgt_opcode_is_target(u8 opcode)
{
	switch (opcode) {
	case KTGT_OP_NOP_IN:
	case KTGT_OP_SCSI_RSP:
	case KTGT_OP_TMF_RSP:
	case KTGT_OP_LOGIN_RSP:
	case KTGT_OP_TEXT_RSP:
	case KTGT_OP_DATA_IN:
	case KTGT_OP_LOGOUT_RSP:
	case KTGT_OP_R2T:
	case KTGT_OP_ASYNC_MSG:
	case KTGT_OP_REJECT:
		return true;
	default:
		return false;
	}
}

/* Opcodes whose byte 0 carries an I bit (RFC 7143 11.2.1.1). */
static bool ktgt_opcode_has_i(u8 opcode)
{
	return ktgt_opcode_is_initiator(opcode) &&
	       opcode != KTGT_OP_DATA_OUT && opcode != KTGT_OP_SNACK_REQ;
}

/* Opcodes whose byte 1 bit 7 is an F bit that can be 0. */
static bool ktgt_opcode_has_variable_f(u8 opcode)
{
	switch (opcode) {
	case KTGT_OP_SCSI_CMD:
	case KTGT_OP_TEXT_REQ:
	case KTGT_OP_DATA_OUT:
	case KTGT_OP_TEXT_RSP:
	case KTGT_OP_DATA_IN:
		return true;
	default:
		return false;
	}
}

/* Opcodes that carry a LUN in bytes 8..15. */
static bool ktgt_opcode_has_lun(u8 opcode)
{
	switch (opcode) {
	case KTGT_OP_NOP_OUT:
	case KTGT_OP_SCSI_CMD:
	case KTGT_OP_TMF_REQ:
	case KTGT_OP_TEXT_REQ:
	case KTGT_OP_DATA_OUT:
	case KTGT_OP_SNACK_REQ:
	case KTGT_OP_NOP_IN:
	case KTGT_OP_TEXT_RSP:
	case KTGT_OP_DATA_IN:
	case KTGT_OP_R2T:
	case KTGT_OP_ASYNC_MSG:
		return true;
	default:
		return false;
	}
}

void ktgt_pdu_init(struct ktgt_pdu *pdu, enum ktgt_opcode opcode)
{
	memset(pdu, 0, sizeof(*pdu));
	pdu->opcode = opcode;
	if (opcode == KTGT_OP_LOGIN_REQ)
		pdu->immediate = true;
	if (opcode != KTGT_OP_LOGIN_REQ && opcode != KTGT_OP_LOGIN_RSP &&
	    !ktgt_opcode_has_variable_f(opcode))
		pdu->final = true;
	if (opcode == KTGT_OP_REJECT || opcode == KTGT_OP_ASYNC_MSG)
		pdu->itt = KTGT_RSVD_TAG;
}

enum ktgt_reject_reason ktgt_bhs_reject_reason(int err)
{
	switch (err) {
	case -EOPNOTSUPP:
		return KTGT_REJECT_CMD_NOT_SUPPORTED;
	case -EINVAL:
		return KTGT_REJECT_INVALID_PDU_FIELD;
	default:
		return KTGT_REJECT_PROTOCOL_ERROR;
	}
}

u32 ktgt_pdu_wire_len(const struct ktgt_pdu *pdu, bool header_digest,
		      bool data_digest)
{
	u32 len = KTGT_BHS_LEN + pdu->ahs_len * 4;

	if (header_digest)
		len += KTGT_DIGEST_LEN;
	if (pdu->data_len) {
		len += ktgt_pad4(pdu->data_len & KTGT_MAX_DSL);
		if (data_digest)
			len += KTGT_DIGEST_LEN;
	}
	return len;
}

/* ---- decoders ---------------------------------------------------------- */

static int ktgt_dec_nop_out(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_nop_out *h = (const void *)b;

	p->nop_out.ttt = be32_to_cpu(h->ttt);
	p->nop_out.cmdsn = be32_to_cpu(h->cmdsn);
	p->nop_out.expstatsn = be32_to_cpu(h->expstatsn);
	/* 11.18.1: a NOP-Out that wants no NOP-In back is immediate. */
	if (p->itt == KTGT_RSVD_TAG && !p->immediate)
		return -EPROTO;
	return 0;
}

static int ktgt_dec_scsi_cmd(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_scsi_cmd *h = (const void *)b;

	p->scsi_cmd.read = h->flags & KTGT_CMD_R;
	p->scsi_cmd.write = h->flags & KTGT_CMD_W;
	p->scsi_cmd.attr = h->flags & KTGT_CMD_ATTR_MASK;
	p->scsi_cmd.edtl = be32_to_cpu(h->edtl);
	p->scsi_cmd.cmdsn = be32_to_cpu(h->cmdsn);
	p->scsi_cmd.expstatsn = be32_to_cpu(h->expstatsn);
	memcpy(p->scsi_cmd.cdb, h->cdb, KTGT_CDB_LEN);

	if (p->scsi_cmd.attr > KTGT_ATTR_ACA)
		return -EPROTO;
	/* 11.3.1: a non-zero EDTL needs R and/or W. */
	if (p->scsi_cmd.edtl && !p->scsi_cmd.read && !p->scsi_cmd.write)
		return -EPROTO;
	/* Only a write may carry immediate data or announce Data-Out. */
	if (!p->scsi_cmd.write && (!p->final || p->data_len))
		return -EPROTO;
	if (p->data_len > p->scsi_cmd.edtl)
		return -EPROTO;
	if (p->itt == KTGT_RSVD_TAG)
		return -EINVAL;
	return 0;
}

static int ktgt_dec_tmf_req(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_tmf_req *h = (const void *)b;

	/* Unknown functions are answered with "not supported" (11.6.1). */
	p->tmf_req.function = h->flags & KTGT_TMF_FUNC_MASK;
	p->tmf_req.rtt = be32_to_cpu(h->rtt);
	p->tmf_req.cmdsn = be32_to_cpu(h->cmdsn);
	p->tmf_req.expstatsn = be32_to_cpu(h->expstatsn);
	p->tmf_req.refcmdsn = be32_to_cpu(h->refcmdsn);
	p->tmf_req.expdatasn = be32_to_cpu(h->expdatasn);
	if (p->ahs_len || p->data_len)
		return -EPROTO;
	if (p->itt == KTGT_RSVD_TAG)
		return -EINVAL;
	return 0;
}

static int ktgt_dec_login_req(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_login_req *h = (const void *)b;

	p->immediate = true;
	p->login_req.transit = h->flags & KTGT_LOGIN_T;
	p->login_req.cont = h->flags & KTGT_LOGIN_C;
	p->login_req.csg = (h->flags & KTGT_LOGIN_CSG_MASK) >>
			   KTGT_LOGIN_CSG_SHIFT;
	p->login_req.nsg = h->flags & KTGT_LOGIN_NSG_MASK;
	p->login_req.version_max = h->version_max;
	p->login_req.version_min = h->version_min;
	memcpy(p->login_req.isid, h->isid, sizeof(h->isid));
	p->login_req.tsih = be16_to_cpu(h->tsih);
	p->login_req.cid = be16_to_cpu(h->cid);
	p->login_req.cmdsn = be32_to_cpu(h->cmdsn);
	p->login_req.expstatsn = be32_to_cpu(h->expstatsn);

	/* 11.12.2: T and C are exclusive. */
	if (p->login_req.transit && p->login_req.cont)
		return -EPROTO;
	/* A login is in the security or operational stage. */
	if (p->login_req.csg != KTGT_STAGE_SECURITY &&
	    p->login_req.csg != KTGT_STAGE_OPERATIONAL)
		return -EPROTO;
	/* 11.12.3: NSG is valid with T only, and moves forward. */
	if (p->login_req.transit &&
	    (p->login_req.nsg == 2 || p->login_req.nsg <= p->login_req.csg))
		return -EPROTO;
	if (p->itt == KTGT_RSVD_TAG)
		return -EINVAL;
	return 0;
}

static int ktgt_dec_text_req(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_text_req *h = (const void *)b;

	p->text_req.cont = h->flags & KTGT_TEXT_C;
	p->text_req.ttt = be32_to_cpu(h->ttt);
	p->text_req.cmdsn = be32_to_cpu(h->cmdsn);
	p->text_req.expstatsn = be32_to_cpu(h->expstatsn);
	/* 11.10.2: C set requires F clear. */
	if (p->final && p->text_req.cont)
		return -EPROTO;
	if (p->itt == KTGT_RSVD_TAG)
		return -EINVAL;
	return 0;
}

static int ktgt_dec_data_out(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_data_out *h = (const void *)b;

	p->data_out.ttt = be32_to_cpu(h->ttt);
	p->data_out.expstatsn = be32_to_cpu(h->expstatsn);
	p->data_out.datasn = be32_to_cpu(h->datasn);
	p->data_out.buffer_offset = be32_to_cpu(h->buffer_offset);
	return 0;
}

static int ktgt_dec_logout_req(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_logout_req *h = (const void *)b;

	p->logout_req.reason = h->flags & KTGT_LOGOUT_REASON_MASK;
	p->logout_req.cid = be16_to_cpu(h->cid);
	p->logout_req.cmdsn = be32_to_cpu(h->cmdsn);
	p->logout_req.expstatsn = be32_to_cpu(h->expstatsn);
	if (p->logout_req.reason > KTGT_LOGOUT_REMOVE_FOR_RECOVERY)
		return -EPROTO;
	if (p->ahs_len || p->data_len)
		return -EPROTO;
	if (p->itt == KTGT_RSVD_TAG)
		return -EINVAL;
	return 0;
}

static int ktgt_dec_snack_req(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_snack_req *h = (const void *)b;

	p->snack_req.type = h->flags & KTGT_SNACK_TYPE_MASK;
	p->snack_req.ttt = be32_to_cpu(h->ttt);
	p->snack_req.expstatsn = be32_to_cpu(h->expstatsn);
	p->snack_req.begrun = be32_to_cpu(h->begrun);
	p->snack_req.runlength = be32_to_cpu(h->runlength);
	if (p->snack_req.type > KTGT_SNACK_RDATA)
		return -EPROTO;
	if (p->ahs_len || p->data_len)
		return -EPROTO;
	return 0;
}

static int ktgt_dec_nop_in(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_nop_in *h = (const void *)b;

	p->nop_in.ttt = be32_to_cpu(h->ttt);
	p->nop_in.statsn = be32_to_cpu(h->statsn);
	p->nop_in.expcmdsn = be32_to_cpu(h->expcmdsn);
	p->nop_in.maxcmdsn = be32_to_cpu(h->maxcmdsn);
	return 0;
}

static int ktgt_dec_scsi_rsp(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_scsi_rsp *h = (const void *)b;

	p->scsi_rsp.bidi_overflow = h->flags & KTGT_RSP_BIDI_OVERFLOW;
	p->scsi_rsp.bidi_underflow = h->flags & KTGT_RSP_BIDI_UNDERFLOW;
	p->scsi_rsp.overflow = h->flags & KTGT_RSP_OVERFLOW;
	p->scsi_rsp.underflow = h->flags & KTGT_RSP_UNDERFLOW;
	p->scsi_rsp.response = h->response;
	p->scsi_rsp.status = h->status;
	p->scsi_rsp.snack_tag = be32_to_cpu(h->snack_tag);
	p->scsi_rsp.statsn = be32_to_cpu(h->statsn);
	p->scsi_rsp.expcmdsn = be32_to_cpu(h->expcmdsn);
	p->scsi_rsp.maxcmdsn = be32_to_cpu(h->maxcmdsn);
	p->scsi_rsp.expdatasn = be32_to_cpu(h->expdatasn);
	p->scsi_rsp.bidi_residual = be32_to_cpu(h->bidi_residual);
	p->scsi_rsp.residual = be32_to_cpu(h->residual);
	/* 11.4.1: o/u and O/U are mutually exclusive. */
	if ((p->scsi_rsp.bidi_overflow && p->scsi_rsp.bidi_underflow) ||
	    (p->scsi_rsp.overflow && p->scsi_rsp.underflow))
		return -EPROTO;
	return 0;
}

static int ktgt_dec_tmf_rsp(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_tmf_rsp *h = (const void *)b;

	p->tmf_rsp.response = h->response;
	p->tmf_rsp.statsn = be32_to_cpu(h->statsn);
	p->tmf_rsp.expcmdsn = be32_to_cpu(h->expcmdsn);
	p->tmf_rsp.maxcmdsn = be32_to_cpu(h->maxcmdsn);
	return 0;
}

static int ktgt_dec_login_rsp(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_login_rsp *h = (const void *)b;

	p->login_rsp.transit = h->flags & KTGT_LOGIN_T;
	p->login_rsp.cont = h->flags & KTGT_LOGIN_C;
	p->login_rsp.csg = (h->flags & KTGT_LOGIN_CSG_MASK) >>
			   KTGT_LOGIN_CSG_SHIFT;
	p->login_rsp.nsg = h->flags & KTGT_LOGIN_NSG_MASK;
	p->login_rsp.version_max = h->version_max;
	p->login_rsp.version_active = h->version_active;
	memcpy(p->login_rsp.isid, h->isid, sizeof(h->isid));
	p->login_rsp.tsih = be16_to_cpu(h->tsih);
	p->login_rsp.statsn = be32_to_cpu(h->statsn);
	p->login_rsp.expcmdsn = be32_to_cpu(h->expcmdsn);
	p->login_rsp.maxcmdsn = be32_to_cpu(h->maxcmdsn);
	p->login_rsp.status_class = h->status_class;
	p->login_rsp.status_detail = h->status_detail;
	if (p->login_rsp.transit && p->login_rsp.cont)
		return -EPROTO;
	return 0;
}

static int ktgt_dec_text_rsp(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_text_rsp *h = (const void *)b;

	p->text_rsp.cont = h->flags & KTGT_TEXT_C;
	p->text_rsp.ttt = be32_to_cpu(h->ttt);
	p->text_rsp.statsn = be32_to_cpu(h->statsn);
	p->text_rsp.expcmdsn = be32_to_cpu(h->expcmdsn);
	p->text_rsp.maxcmdsn = be32_to_cpu(h->maxcmdsn);
	if (p->final && p->text_rsp.cont)
		return -EPROTO;
	return 0;
}

static int ktgt_dec_data_in(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_data_in *h = (const void *)b;

	p->data_in.ack = h->flags & KTGT_DATAIN_A;
	p->data_in.overflow = h->flags & KTGT_DATAIN_O;
	p->data_in.underflow = h->flags & KTGT_DATAIN_U;
	p->data_in.status_present = h->flags & KTGT_DATAIN_S;
	if (p->data_in.status_present) {
		p->data_in.status = h->status;
		p->data_in.statsn = be32_to_cpu(h->statsn);
	}
	p->data_in.ttt = be32_to_cpu(h->ttt);
	p->data_in.expcmdsn = be32_to_cpu(h->expcmdsn);
	p->data_in.maxcmdsn = be32_to_cpu(h->maxcmdsn);
	p->data_in.datasn = be32_to_cpu(h->datasn);
	p->data_in.buffer_offset = be32_to_cpu(h->buffer_offset);
	p->data_in.residual = be32_to_cpu(h->residual);
	/* 11.7.3: S requires F. */
	if (p->data_in.status_present && !p->final)
		return -EPROTO;
	if (p->data_in.overflow && p->data_in.underflow)
		return -EPROTO;
	return 0;
}

static int ktgt_dec_logout_rsp(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_logout_rsp *h = (const void *)b;

	p->logout_rsp.response = h->response;
	p->logout_rsp.statsn = be32_to_cpu(h->statsn);
	p->logout_rsp.expcmdsn = be32_to_cpu(h->expcmdsn);
	p->logout_rsp.maxcmdsn = be32_to_cpu(h->maxcmdsn);
	p->logout_rsp.time2wait = be16_to_cpu(h->time2wait);
	p->logout_rsp.time2retain = be16_to_cpu(h->time2retain);
	return 0;
}

static int ktgt_dec_r2t(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_r2t *h = (const void *)b;

	p->r2t.ttt = be32_to_cpu(h->ttt);
	p->r2t.statsn = be32_to_cpu(h->statsn);
	p->r2t.expcmdsn = be32_to_cpu(h->expcmdsn);
	p->r2t.maxcmdsn = be32_to_cpu(h->maxcmdsn);
	p->r2t.r2tsn = be32_to_cpu(h->r2tsn);
	p->r2t.buffer_offset = be32_to_cpu(h->buffer_offset);
	p->r2t.desired_len = be32_to_cpu(h->desired_len);
	return 0;
}

static int ktgt_dec_async_msg(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_async_msg *h = (const void *)b;

	p->async_msg.async_event = h->async_event;
	p->async_msg.async_vcode = h->async_vcode;
	p->async_msg.param1 = be16_to_cpu(h->param1);
	p->async_msg.param2 = be16_to_cpu(h->param2);
	p->async_msg.param3 = be16_to_cpu(h->param3);
	p->async_msg.statsn = be32_to_cpu(h->statsn);
	p->async_msg.expcmdsn = be32_to_cpu(h->expcmdsn);
	p->async_msg.maxcmdsn = be32_to_cpu(h->maxcmdsn);
	return 0;
}

static int ktgt_dec_reject(const u8 *b, struct ktgt_pdu *p)
{
	const struct ktgt_bhs_reject *h = (const void *)b;

	p->reject.reason = h->reason;
	p->reject.statsn = be32_to_cpu(h->statsn);
	p->reject.expcmdsn = be32_to_cpu(h->expcmdsn);
	p->reject.maxcmdsn = be32_to_cpu(h->maxcmdsn);
	p->reject.datasn_r2tsn = be32_to_cpu(h->datasn_r2tsn);
	return 0;
}

int ktgt_bhs_decode(const u8 bhs[KTGT_BHS_LEN], struct ktgt_pdu *out)
{
	const struct ktgt_bhs *h = (const void *)bhs;
	u8 op = h->opcode & KTGT_OPCODE_MASK;

	ktgt_bhs_check_sizes();
	memset(out, 0, sizeof(*out));
	out->opcode = op;
	out->ahs_len = h->total_ahs_len;
	out->data_len = get_unaligned_be24(h->data_seg_len);
	out->itt = be32_to_cpu(h->itt);

	if (!ktgt_opcode_is_initiator(op) && !ktgt_opcode_is_target(op)) {
		out->immediate = h->opcode & KTGT_BHS_I;
		out->final = h->flags & KTGT_BHS_F;
		memcpy(out->lun, h->lun, sizeof(out->lun));
		return -EOPNOTSUPP;
	}

	if (ktgt_opcode_has_i(op))
		out->immediate = h->opcode & KTGT_BHS_I;
	if (ktgt_opcode_has_variable_f(op))
		out->final = h->flags & KTGT_BHS_F;
	else if (op != KTGT_OP_LOGIN_REQ && op != KTGT_OP_LOGIN_RSP)
		out->final = true;
	if (ktgt_opcode_has_lun(op))
		memcpy(out->lun, h->lun, sizeof(out->lun));

	switch (op) {
	case KTGT_OP_NOP_OUT:
		return ktgt_dec_nop_out(bhs, out);
	case KTGT_OP_SCSI_CMD:
		return ktgt_dec_scsi_cmd(bhs, out);
	case KTGT_OP_TMF_REQ:
		return ktgt_dec_tmf_req(bhs, out);
	case KTGT_OP_LOGIN_REQ:
		return ktgt_dec_login_req(bhs, out);
	case KTGT_OP_TEXT_REQ:
		return ktgt_dec_text_req(bhs, out);
	case KTGT_OP_DATA_OUT:
		return ktgt_dec_data_out(bhs, out);
	case KTGT_OP_LOGOUT_REQ:
		return ktgt_dec_logout_req(bhs, out);
	case KTGT_OP_SNACK_REQ:
		return ktgt_dec_snack_req(bhs, out);
	case KTGT_OP_NOP_IN:
		return ktgt_dec_nop_in(bhs, out);
	case KTGT_OP_SCSI_RSP:
		return ktgt_dec_scsi_rsp(bhs, out);
	case KTGT_OP_TMF_RSP:
		return ktgt_dec_tmf_rsp(bhs, out);
	case KTGT_OP_LOGIN_RSP:
		return ktgt_dec_login_rsp(bhs, out);
	case KTGT_OP_TEXT_RSP:
		return ktgt_dec_text_rsp(bhs, out);
	case KTGT_OP_DATA_IN:
		return ktgt_dec_data_in(bhs, out);
	case KTGT_OP_LOGOUT_RSP:
		return ktgt_dec_logout_rsp(bhs, out);
	case KTGT_OP_R2T:
		return ktgt_dec_r2t(bhs, out);
	case KTGT_OP_ASYNC_MSG:
		return ktgt_dec_async_msg(bhs, out);
	case KTGT_OP_REJECT:
		return ktgt_dec_reject(bhs, out);
	default:
		return -EOPNOTSUPP;	/* not reached */
	}
}
EXPORT_SYMBOL_GPL(ktgt_bhs_decode);

/* ---- encoders ---------------------------------------------------------- */

static void ktgt_enc_nop_out(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_nop_out *h = (void *)b;

	h->ttt = cpu_to_be32(p->nop_out.ttt);
	h->cmdsn = cpu_to_be32(p->nop_out.cmdsn);
	h->expstatsn = cpu_to_be32(p->nop_out.expstatsn);
}

static int ktgt_enc_scsi_cmd(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_scsi_cmd *h = (void *)b;

	if (p->scsi_cmd.attr > KTGT_CMD_ATTR_MASK)
		return -EINVAL;
	if (p->scsi_cmd.read)
		h->flags |= KTGT_CMD_R;
	if (p->scsi_cmd.write)
		h->flags |= KTGT_CMD_W;
	h->flags |= p->scsi_cmd.attr;
	h->edtl = cpu_to_be32(p->scsi_cmd.edtl);
	h->cmdsn = cpu_to_be32(p->scsi_cmd.cmdsn);
	h->expstatsn = cpu_to_be32(p->scsi_cmd.expstatsn);
	memcpy(h->cdb, p->scsi_cmd.cdb, KTGT_CDB_LEN);
	return 0;
}

static int ktgt_enc_tmf_req(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_tmf_req *h = (void *)b;

	if (p->tmf_req.function > KTGT_TMF_FUNC_MASK)
		return -EINVAL;
	h->flags |= p->tmf_req.function;
	h->rtt = cpu_to_be32(p->tmf_req.rtt);
	h->cmdsn = cpu_to_be32(p->tmf_req.cmdsn);
	h->expstatsn = cpu_to_be32(p->tmf_req.expstatsn);
	h->refcmdsn = cpu_to_be32(p->tmf_req.refcmdsn);
	h->expdatasn = cpu_to_be32(p->tmf_req.expdatasn);
	return 0;
}

static int ktgt_enc_login_flags(bool transit, bool cont, u8 csg, u8 nsg,
				u8 *flags)
{
	if (csg > 3 || nsg > 3)
		return -EINVAL;
	*flags = csg << KTGT_LOGIN_CSG_SHIFT | nsg;
	if (transit)
		*flags |= KTGT_LOGIN_T;
	if (cont)
		*flags |= KTGT_LOGIN_C;
	return 0;
}

static int ktgt_enc_login_req(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_login_req *h = (void *)b;

	h->opcode |= KTGT_BHS_I;
	h->version_max = p->login_req.version_max;
	h->version_min = p->login_req.version_min;
	memcpy(h->isid, p->login_req.isid, sizeof(h->isid));
	h->tsih = cpu_to_be16(p->login_req.tsih);
	h->cid = cpu_to_be16(p->login_req.cid);
	h->cmdsn = cpu_to_be32(p->login_req.cmdsn);
	h->expstatsn = cpu_to_be32(p->login_req.expstatsn);
	return ktgt_enc_login_flags(p->login_req.transit, p->login_req.cont,
				    p->login_req.csg, p->login_req.nsg,
				    &h->flags);
}

static void ktgt_enc_text_req(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_text_req *h = (void *)b;

	if (p->text_req.cont)
		h->flags |= KTGT_TEXT_C;
	h->ttt = cpu_to_be32(p->text_req.ttt);
	h->cmdsn = cpu_to_be32(p->text_req.cmdsn);
	h->expstatsn = cpu_to_be32(p->text_req.expstatsn);
}

static void ktgt_enc_data_out(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_data_out *h = (void *)b;

	h->ttt = cpu_to_be32(p->data_out.ttt);
	h->expstatsn = cpu_to_be32(p->data_out.expstatsn);
	h->datasn = cpu_to_be32(p->data_out.datasn);
	h->buffer_offset = cpu_to_be32(p->data_out.buffer_offset);
}

static int ktgt_enc_logout_req(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_logout_req *h = (void *)b;

	if (p->logout_req.reason > KTGT_LOGOUT_REASON_MASK)
		return -EINVAL;
	h->flags |= p->logout_req.reason;
	h->cid = cpu_to_be16(p->logout_req.cid);
	h->cmdsn = cpu_to_be32(p->logout_req.cmdsn);
	h->expstatsn = cpu_to_be32(p->logout_req.expstatsn);
	return 0;
}

static int ktgt_enc_snack_req(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_snack_req *h = (void *)b;

	if (p->snack_req.type > KTGT_SNACK_TYPE_MASK)
		return -EINVAL;
	h->flags |= p->snack_req.type;
	h->ttt = cpu_to_be32(p->snack_req.ttt);
	h->expstatsn = cpu_to_be32(p->snack_req.expstatsn);
	h->begrun = cpu_to_be32(p->snack_req.begrun);
	h->runlength = cpu_to_be32(p->snack_req.runlength);
	return 0;
}

static void ktgt_enc_nop_in(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_nop_in *h = (void *)b;

	h->ttt = cpu_to_be32(p->nop_in.ttt);
	h->statsn = cpu_to_be32(p->nop_in.statsn);
	h->expcmdsn = cpu_to_be32(p->nop_in.expcmdsn);
	h->maxcmdsn = cpu_to_be32(p->nop_in.maxcmdsn);
}

static void ktgt_enc_scsi_rsp(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_scsi_rsp *h = (void *)b;

	if (p->scsi_rsp.bidi_overflow)
		h->flags |= KTGT_RSP_BIDI_OVERFLOW;
	if (p->scsi_rsp.bidi_underflow)
		h->flags |= KTGT_RSP_BIDI_UNDERFLOW;
	if (p->scsi_rsp.overflow)
		h->flags |= KTGT_RSP_OVERFLOW;
	if (p->scsi_rsp.underflow)
		h->flags |= KTGT_RSP_UNDERFLOW;
	h->response = p->scsi_rsp.response;
	h->status = p->scsi_rsp.status;
	h->snack_tag = cpu_to_be32(p->scsi_rsp.snack_tag);
	h->statsn = cpu_to_be32(p->scsi_rsp.statsn);
	h->expcmdsn = cpu_to_be32(p->scsi_rsp.expcmdsn);
	h->maxcmdsn = cpu_to_be32(p->scsi_rsp.maxcmdsn);
	h->expdatasn = cpu_to_be32(p->scsi_rsp.expdatasn);
	h->bidi_residual = cpu_to_be32(p->scsi_rsp.bidi_residual);
	h->residual = cpu_to_be32(p->scsi_rsp.residual);
}

static void ktgt_enc_tmf_rsp(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_tmf_rsp *h = (void *)b;

	h->response = p->tmf_rsp.response;
	h->statsn = cpu_to_be32(p->tmf_rsp.statsn);
	h->expcmdsn = cpu_to_be32(p->tmf_rsp.expcmdsn);
	h->maxcmdsn = cpu_to_be32(p->tmf_rsp.maxcmdsn);
}

static int ktgt_enc_login_rsp(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_login_rsp *h = (void *)b;

	h->version_max = p->login_rsp.version_max;
	h->version_active = p->login_rsp.version_active;
	memcpy(h->isid, p->login_rsp.isid, sizeof(h->isid));
	h->tsih = cpu_to_be16(p->login_rsp.tsih);
	h->statsn = cpu_to_be32(p->login_rsp.statsn);
	h->expcmdsn = cpu_to_be32(p->login_rsp.expcmdsn);
	h->maxcmdsn = cpu_to_be32(p->login_rsp.maxcmdsn);
	h->status_class = p->login_rsp.status_class;
	h->status_detail = p->login_rsp.status_detail;
	return ktgt_enc_login_flags(p->login_rsp.transit, p->login_rsp.cont,
				    p->login_rsp.csg, p->login_rsp.nsg,
				    &h->flags);
}

static void ktgt_enc_text_rsp(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_text_rsp *h = (void *)b;

	if (p->text_rsp.cont)
		h->flags |= KTGT_TEXT_C;
	h->ttt = cpu_to_be32(p->text_rsp.ttt);
	h->statsn = cpu_to_be32(p->text_rsp.statsn);
	h->expcmdsn = cpu_to_be32(p->text_rsp.expcmdsn);
	h->maxcmdsn = cpu_to_be32(p->text_rsp.maxcmdsn);
}

static void ktgt_enc_data_in(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_data_in *h = (void *)b;

	if (p->data_in.ack)
		h->flags |= KTGT_DATAIN_A;
	if (p->data_in.overflow)
		h->flags |= KTGT_DATAIN_O;
	if (p->data_in.underflow)
		h->flags |= KTGT_DATAIN_U;
	if (p->data_in.status_present) {
		h->flags |= KTGT_DATAIN_S;
		h->status = p->data_in.status;
		h->statsn = cpu_to_be32(p->data_in.statsn);
	}
	h->ttt = cpu_to_be32(p->data_in.ttt);
	h->expcmdsn = cpu_to_be32(p->data_in.expcmdsn);
	h->maxcmdsn = cpu_to_be32(p->data_in.maxcmdsn);
	h->datasn = cpu_to_be32(p->data_in.datasn);
	h->buffer_offset = cpu_to_be32(p->data_in.buffer_offset);
	h->residual = cpu_to_be32(p->data_in.residual);
}

static void ktgt_enc_logout_rsp(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_logout_rsp *h = (void *)b;

	h->response = p->logout_rsp.response;
	h->statsn = cpu_to_be32(p->logout_rsp.statsn);
	h->expcmdsn = cpu_to_be32(p->logout_rsp.expcmdsn);
	h->maxcmdsn = cpu_to_be32(p->logout_rsp.maxcmdsn);
	h->time2wait = cpu_to_be16(p->logout_rsp.time2wait);
	h->time2retain = cpu_to_be16(p->logout_rsp.time2retain);
}

static void ktgt_enc_r2t(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_r2t *h = (void *)b;

	h->ttt = cpu_to_be32(p->r2t.ttt);
	h->statsn = cpu_to_be32(p->r2t.statsn);
	h->expcmdsn = cpu_to_be32(p->r2t.expcmdsn);
	h->maxcmdsn = cpu_to_be32(p->r2t.maxcmdsn);
	h->r2tsn = cpu_to_be32(p->r2t.r2tsn);
	h->buffer_offset = cpu_to_be32(p->r2t.buffer_offset);
	h->desired_len = cpu_to_be32(p->r2t.desired_len);
}

static void ktgt_enc_async_msg(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_async_msg *h = (void *)b;

	h->async_event = p->async_msg.async_event;
	h->async_vcode = p->async_msg.async_vcode;
	h->param1 = cpu_to_be16(p->async_msg.param1);
	h->param2 = cpu_to_be16(p->async_msg.param2);
	h->param3 = cpu_to_be16(p->async_msg.param3);
	h->statsn = cpu_to_be32(p->async_msg.statsn);
	h->expcmdsn = cpu_to_be32(p->async_msg.expcmdsn);
	h->maxcmdsn = cpu_to_be32(p->async_msg.maxcmdsn);
}

static void ktgt_enc_reject(const struct ktgt_pdu *p, u8 *b)
{
	struct ktgt_bhs_reject *h = (void *)b;

	h->reason = p->reject.reason;
	h->statsn = cpu_to_be32(p->reject.statsn);
	h->expcmdsn = cpu_to_be32(p->reject.expcmdsn);
	h->maxcmdsn = cpu_to_be32(p->reject.maxcmdsn);
	h->datasn_r2tsn = cpu_to_be32(p->reject.datasn_r2tsn);
}

static int ktgt_enc_body(const struct ktgt_pdu *in, u8 *bhs)
{
	switch (in->opcode) {
	case KTGT_OP_NOP_OUT:
		ktgt_enc_nop_out(in, bhs);
		return 0;
	case KTGT_OP_SCSI_CMD:
		return ktgt_enc_scsi_cmd(in, bhs);
	case KTGT_OP_TMF_REQ:
		return ktgt_enc_tmf_req(in, bhs);
	case KTGT_OP_LOGIN_REQ:
		return ktgt_enc_login_req(in, bhs);
	case KTGT_OP_TEXT_REQ:
		ktgt_enc_text_req(in, bhs);
		return 0;
	case KTGT_OP_DATA_OUT:
		ktgt_enc_data_out(in, bhs);
		return 0;
	case KTGT_OP_LOGOUT_REQ:
		return ktgt_enc_logout_req(in, bhs);
	case KTGT_OP_SNACK_REQ:
		return ktgt_enc_snack_req(in, bhs);
	case KTGT_OP_NOP_IN:
		ktgt_enc_nop_in(in, bhs);
		return 0;
	case KTGT_OP_SCSI_RSP:
		ktgt_enc_scsi_rsp(in, bhs);
		return 0;
	case KTGT_OP_TMF_RSP:
		ktgt_enc_tmf_rsp(in, bhs);
		return 0;
	case KTGT_OP_LOGIN_RSP:
		return ktgt_enc_login_rsp(in, bhs);
	case KTGT_OP_TEXT_RSP:
		ktgt_enc_text_rsp(in, bhs);
		return 0;
	case KTGT_OP_DATA_IN:
		ktgt_enc_data_in(in, bhs);
		return 0;
	case KTGT_OP_LOGOUT_RSP:
		ktgt_enc_logout_rsp(in, bhs);
		return 0;
	case KTGT_OP_R2T:
		ktgt_enc_r2t(in, bhs);
		return 0;
	case KTGT_OP_ASYNC_MSG:
		ktgt_enc_async_msg(in, bhs);
		return 0;
	case KTGT_OP_REJECT:
		ktgt_enc_reject(in, bhs);
		return 0;
	default:
		return -EINVAL;
	}
}

int ktgt_bhs_encode(const struct ktgt_pdu *in, u8 bhs[KTGT_BHS_LEN])
{
	struct ktgt_bhs *h = (void *)bhs;
	u8 op = in->opcode;
	int ret;

	memset(bhs, 0, KTGT_BHS_LEN);
	if (!ktgt_opcode_is_initiator(op) && !ktgt_opcode_is_target(op))
		return -EINVAL;
	if (in->data_len > KTGT_MAX_DSL)
		return -EINVAL;

	h->opcode = op;
	if (in->immediate && ktgt_opcode_has_i(op))
		h->opcode |= KTGT_BHS_I;
	if (ktgt_opcode_has_variable_f(op)) {
		if (in->final)
			h->flags = KTGT_BHS_F;
	} else if (op != KTGT_OP_LOGIN_REQ && op != KTGT_OP_LOGIN_RSP) {
		h->flags = KTGT_BHS_F;
	}
	h->total_ahs_len = in->ahs_len;
	put_unaligned_be24(in->data_len, h->data_seg_len);
	if (ktgt_opcode_has_lun(op))
		memcpy(h->lun, in->lun, sizeof(h->lun));
	h->itt = cpu_to_be32(in->itt);

	ret = ktgt_enc_body(in, bhs);
	if (ret)
		memset(bhs, 0, KTGT_BHS_LEN);
	return ret;
}
EXPORT_SYMBOL_GPL(ktgt_bhs_encode);

/* ---- AHS --------------------------------------------------------------- */

#define KTGT_AHS_HDR_LEN	3	/* AHSLength, AHSType */
#define KTGT_AHS_NONISCSI_FIRST	60
#define KTGT_AHS_NONISCSI_LAST	63
#define KTGT_AHS_BIDI_LEN	5	/* reserved byte + 4-byte length */
#define KTGT_MAX_EXT_CDB	(KTGT_MAX_CDB_LEN - KTGT_CDB_LEN)

int ktgt_ahs_parse(const u8 *ahs, size_t len, struct ktgt_ahs_info *out)
{
	size_t off = 0;

	memset(out, 0, sizeof(*out));
	if (len % 4 || len > KTGT_MAX_AHS_BYTES)
		return -EPROTO;

	while (off < len) {
		const u8 *a = ahs + off;
		size_t rem = len - off;	/* >= 4: len and off are 4-aligned */
		u16 alen = get_unaligned_be16(a);
		u8 type = a[2] & KTGT_AHS_TYPE_CODE_MASK;
		size_t total = ktgt_pad4(KTGT_AHS_HDR_LEN + (u32)alen);

		if (total > rem)
			return -EPROTO;

		switch (type) {
		case KTGT_AHS_EXTENDED_CDB:
			/* a reserved byte, then at least one CDB byte */
			if (out->ext_cdb || alen < 2 ||
			    alen - 1 > KTGT_MAX_EXT_CDB)
				return -EPROTO;
			out->ext_cdb = a + 4;
			out->ext_cdb_len = alen - 1;
			break;
		case KTGT_AHS_BIDI_READ_LEN:
			if (out->has_bidi_read_len || alen != KTGT_AHS_BIDI_LEN)
				return -EPROTO;
			out->has_bidi_read_len = true;
			out->bidi_read_len = get_unaligned_be32(a + 4);
			break;
		default:
			if (type < KTGT_AHS_NONISCSI_FIRST ||
			    type > KTGT_AHS_NONISCSI_LAST)
				return -EPROTO;
			break;
		}
		off += total;
	}
	return 0;
}

int ktgt_ahs_build(const struct ktgt_ahs_info *info, u8 *buf, size_t size)
{
	size_t need = 0;
	size_t ext_total = 0;

	if (info->ext_cdb_len) {
		if (!info->ext_cdb || info->ext_cdb_len > KTGT_MAX_EXT_CDB)
			return -EINVAL;
		ext_total = ktgt_pad4(4 + info->ext_cdb_len);
		need += ext_total;
	}
	if (info->has_bidi_read_len)
		need += 8;
	if (need > size)
		return -ENOSPC;

	memset(buf, 0, need);
	if (ext_total) {
		put_unaligned_be16(info->ext_cdb_len + 1, buf);
		buf[2] = KTGT_AHS_EXTENDED_CDB;
		memcpy(buf + 4, info->ext_cdb, info->ext_cdb_len);
	}
	if (info->has_bidi_read_len) {
		u8 *a = buf + ext_total;

		put_unaligned_be16(KTGT_AHS_BIDI_LEN, a);
		a[2] = KTGT_AHS_BIDI_READ_LEN;
		put_unaligned_be32(info->bidi_read_len, a + 4);
	}
	return (int)need;
}

int ktgt_cdb_assemble(const u8 cdb16[KTGT_CDB_LEN],
		      const struct ktgt_ahs_info *ahs, u8 *buf, size_t size)
{
	size_t ext = (ahs && ahs->ext_cdb) ? ahs->ext_cdb_len : 0;

	if (KTGT_CDB_LEN + ext > size)
		return -ENOSPC;
	memcpy(buf, cdb16, KTGT_CDB_LEN);
	if (ext)
		memcpy(buf + KTGT_CDB_LEN, ahs->ext_cdb, ext);
	return (int)(KTGT_CDB_LEN + ext);
}

/* ---- LUN --------------------------------------------------------------- */

#define KTGT_LUN_METHOD_PERIPHERAL	0x00
#define KTGT_LUN_METHOD_FLAT		0x40
#define KTGT_LUN_METHOD_MASK		0xc0

int ktgt_lun_decode(const u8 lun[8], u64 *out)
{
	unsigned int i;

	for (i = 2; i < 8; i++)
		if (lun[i])
			return -EINVAL;

	switch (lun[0] & KTGT_LUN_METHOD_MASK) {
	case KTGT_LUN_METHOD_PERIPHERAL:
		if (lun[0] & ~KTGT_LUN_METHOD_MASK)	/* bus identifier */
			return -EINVAL;
		*out = lun[1];
		return 0;
	case KTGT_LUN_METHOD_FLAT:
		*out = (u64)(lun[0] & ~KTGT_LUN_METHOD_MASK) << 8 | lun[1];
		return 0;
	default:
		return -EINVAL;
	}
}

int ktgt_lun_encode(u64 lun, u8 out[8])
{
	if (lun > KTGT_MAX_LUN)
		return -ERANGE;
	memset(out, 0, 8);
	if (lun > 0xff)
		out[0] = KTGT_LUN_METHOD_FLAT | (u8)(lun >> 8);
	out[1] = (u8)lun;
	return 0;
}
