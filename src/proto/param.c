// SPDX-License-Identifier: GPL-2.0
/*
 * iSCSI key table and target-side negotiation (RFC 7143 sections 6, 13;
 * RFC 7145 section 6).
 */
#include <ktgt/proto/param.h>

#define KTGT_KBIT(k)	((u64)1 << (k))

#define KF_NEG_LO	(KTGT_KF_LO | KTGT_KF_OPER | KTGT_KF_FROM_I | KTGT_KF_FROM_T)
#define KF_NEG_SESS	(KF_NEG_LO | KTGT_KF_IRR_DISC)
#define KF_NEG_CONN	(KTGT_KF_CONN | KTGT_KF_OPER | KTGT_KF_FROM_I | \
			 KTGT_KF_FROM_T)
#define KF_AUTH		(KTGT_KF_CONN | KTGT_KF_SEC | KTGT_KF_FROM_I | \
			 KTGT_KF_FROM_T)
#define KF_ANY_STAGE	(KTGT_KF_SEC | KTGT_KF_OPER)

static const struct ktgt_key_def ktgt_keys[KTGT_KEY_COUNT] = {
	[KTGT_KEY_HEADER_DIGEST] = { "HeaderDigest", KTGT_KT_LIST,
		KF_NEG_CONN, 0, 0, 0, "None" },
	[KTGT_KEY_DATA_DIGEST] = { "DataDigest", KTGT_KT_LIST,
		KF_NEG_CONN, 0, 0, 0, "None" },
	[KTGT_KEY_MAX_CONNECTIONS] = { "MaxConnections", KTGT_KT_MIN,
		KF_NEG_SESS, 1, 65535, 1, NULL },
	[KTGT_KEY_SEND_TARGETS] = { "SendTargets", KTGT_KT_FFP,
		KTGT_KF_FFP | KTGT_KF_FROM_I, 0, 0, 0, NULL },
	[KTGT_KEY_TARGET_NAME] = { "TargetName", KTGT_KT_DECL_STR,
		KF_ANY_STAGE | KTGT_KF_FROM_I, 0, 0, 0, NULL },
	[KTGT_KEY_INITIATOR_NAME] = { "InitiatorName", KTGT_KT_DECL_STR,
		KF_ANY_STAGE | KTGT_KF_FROM_I, 0, 0, 0, NULL },
	[KTGT_KEY_TARGET_ALIAS] = { "TargetAlias", KTGT_KT_DECL_STR,
		KF_ANY_STAGE | KTGT_KF_FFP | KTGT_KF_FROM_T, 0, 0, 0, NULL },
	[KTGT_KEY_INITIATOR_ALIAS] = { "InitiatorAlias", KTGT_KT_DECL_STR,
		KF_ANY_STAGE | KTGT_KF_FFP | KTGT_KF_FROM_I, 0, 0, 0, NULL },
	[KTGT_KEY_TARGET_ADDRESS] = { "TargetAddress", KTGT_KT_DECL_STR,
		KF_ANY_STAGE | KTGT_KF_FFP | KTGT_KF_FROM_T, 0, 0, 0, NULL },
	[KTGT_KEY_TPGT] = { "TargetPortalGroupTag", KTGT_KT_DECL_NUM,
		KF_ANY_STAGE | KTGT_KF_FROM_T, 0, 65535, 1, NULL },
	[KTGT_KEY_INITIAL_R2T] = { "InitialR2T", KTGT_KT_OR,
		KF_NEG_SESS, 0, 1, 1, "Yes" },
	[KTGT_KEY_IMMEDIATE_DATA] = { "ImmediateData", KTGT_KT_AND,
		KF_NEG_SESS, 0, 1, 1, "Yes" },
	[KTGT_KEY_MAX_RECV_DSL] = { "MaxRecvDataSegmentLength",
		KTGT_KT_DECL_NUM, KTGT_KF_CONN | KTGT_KF_OPER | KTGT_KF_FFP |
		KTGT_KF_FROM_I | KTGT_KF_FROM_T | KTGT_KF_NOT_ISER,
		512, KTGT_MAX_DSL, 8192, NULL },
	[KTGT_KEY_MAX_BURST] = { "MaxBurstLength", KTGT_KT_MIN,
		KF_NEG_SESS, 512, KTGT_MAX_DSL, 262144, NULL },
	[KTGT_KEY_FIRST_BURST] = { "FirstBurstLength", KTGT_KT_MIN,
		KF_NEG_SESS, 512, KTGT_MAX_DSL, 65536, NULL },
	[KTGT_KEY_TIME2WAIT] = { "DefaultTime2Wait", KTGT_KT_MAX,
		KF_NEG_LO, 0, 3600, 2, NULL },
	[KTGT_KEY_TIME2RETAIN] = { "DefaultTime2Retain", KTGT_KT_MIN,
		KF_NEG_LO, 0, 3600, 20, NULL },
	[KTGT_KEY_MAX_OUTSTANDING_R2T] = { "MaxOutstandingR2T", KTGT_KT_MIN,
		KF_NEG_SESS, 1, 65535, 1, NULL },
	[KTGT_KEY_DATA_PDU_IN_ORDER] = { "DataPDUInOrder", KTGT_KT_OR,
		KF_NEG_SESS, 0, 1, 1, "Yes" },
	[KTGT_KEY_DATA_SEQ_IN_ORDER] = { "DataSequenceInOrder", KTGT_KT_OR,
		KF_NEG_SESS, 0, 1, 1, "Yes" },
	[KTGT_KEY_ERL] = { "ErrorRecoveryLevel", KTGT_KT_MIN,
		KF_NEG_LO, 0, 2, 0, NULL },
	[KTGT_KEY_SESSION_TYPE] = { "SessionType", KTGT_KT_DECL_STR,
		KTGT_KF_LO | KF_ANY_STAGE | KTGT_KF_FROM_I, 0, 0, 0, "Normal" },
	[KTGT_KEY_AUTH_METHOD] = { "AuthMethod", KTGT_KT_AUTH,
		KF_AUTH, 0, 0, 0, NULL },
	[KTGT_KEY_CHAP_A] = { "CHAP_A", KTGT_KT_AUTH, KF_AUTH, 0, 0, 0, NULL },
	[KTGT_KEY_CHAP_I] = { "CHAP_I", KTGT_KT_AUTH, KF_AUTH, 0, 0, 0, NULL },
	[KTGT_KEY_CHAP_C] = { "CHAP_C", KTGT_KT_AUTH, KF_AUTH, 0, 0, 0, NULL },
	[KTGT_KEY_CHAP_N] = { "CHAP_N", KTGT_KT_AUTH, KF_AUTH, 0, 0, 0, NULL },
	[KTGT_KEY_CHAP_R] = { "CHAP_R", KTGT_KT_AUTH, KF_AUTH, 0, 0, 0, NULL },
	[KTGT_KEY_TASK_REPORTING] = { "TaskReporting", KTGT_KT_LIST,
		KF_NEG_SESS, 0, 0, 0, "RFC3720" },
	[KTGT_KEY_PROTOCOL_LEVEL] = { "iSCSIProtocolLevel", KTGT_KT_MIN,
		KF_NEG_LO, 0, 31, 1, NULL },
	[KTGT_KEY_OF_MARKER] = { "OFMarker", KTGT_KT_MARKER,
		KF_NEG_CONN, 0, 0, 0, NULL },
	[KTGT_KEY_IF_MARKER] = { "IFMarker", KTGT_KT_MARKER,
		KF_NEG_CONN, 0, 0, 0, NULL },
	[KTGT_KEY_OF_MARK_INT] = { "OFMarkInt", KTGT_KT_MARKER,
		KF_NEG_CONN, 0, 0, 0, NULL },
	[KTGT_KEY_IF_MARK_INT] = { "IFMarkInt", KTGT_KT_MARKER,
		KF_NEG_CONN, 0, 0, 0, NULL },
	[KTGT_KEY_RDMA_EXTENSIONS] = { "RDMAExtensions", KTGT_KT_AND,
		KF_NEG_LO, 0, 1, 0, "No" },
	[KTGT_KEY_TARGET_RDSL] = { "TargetRecvDataSegmentLength", KTGT_KT_MIN,
		KF_NEG_CONN | KTGT_KF_ISER, 512, KTGT_MAX_DSL, 8192, NULL },
	[KTGT_KEY_INITIATOR_RDSL] = { "InitiatorRecvDataSegmentLength",
		KTGT_KT_MIN, KF_NEG_CONN | KTGT_KF_ISER,
		512, KTGT_MAX_DSL, 8192, NULL },
	[KTGT_KEY_MAX_OUT_UNEXP_PDUS] = { "MaxOutstandingUnexpectedPDUs",
		KTGT_KT_MIN, KF_NEG_LO | KTGT_KF_ISER | KTGT_KF_ZERO_UNLIM,
		0, 0xffffffffu, 0, NULL },
};

static const char * const ktgt_tr_names[] = {
	[KTGT_TR_RFC3720] = "RFC3720",
	[KTGT_TR_RESPONSE_FENCE] = "ResponseFence",
	[KTGT_TR_FAST_ABORT] = "FastAbort",
};

const struct ktgt_key_def *ktgt_key_def(enum ktgt_key k)
{
	if ((unsigned int)k >= KTGT_KEY_COUNT)
		return NULL;
	return &ktgt_keys[k];
}

int ktgt_key_lookup(const char *name, u32 len)
{
	int k;

	for (k = 0; k < KTGT_KEY_COUNT; k++)
		if (strlen(ktgt_keys[k].name) == len &&
		    !memcmp(ktgt_keys[k].name, name, len))
			return k;
	return -ENOENT;
}

void ktgt_param_limits_default(struct ktgt_param_limits *l)
{
	memset(l, 0, sizeof(*l));
	l->max_recv_dsl = 8192;
	l->max_burst = 262144;
	l->first_burst = 65536;
	l->default_time2wait = 2;
	l->default_time2retain = 20;
	l->max_connections = 1;
	l->max_outstanding_r2t = 1;
	l->erl = 0;
	l->initial_r2t = false;
	l->immediate_data = true;
	l->data_pdu_in_order = true;
	l->data_seq_in_order = true;
	l->header_digests = KTGT_DIGEST_NONE | KTGT_DIGEST_CRC32C;
	l->data_digests = KTGT_DIGEST_NONE | KTGT_DIGEST_CRC32C;
	l->protocol_level = 1;
	l->task_reporting = KTGT_TR_BIT(KTGT_TR_RFC3720);
	l->target_recv_dsl = 8192;
	l->initiator_recv_dsl = 8192;
	l->tpgt = 1;
}

void ktgt_negotiated_default(struct ktgt_negotiated *v)
{
	/* ktgt_fields[] sizes */
	BUILD_BUG_ON(sizeof(v->header_digest) != 1);
	BUILD_BUG_ON(sizeof(v->erl) != 1);
	BUILD_BUG_ON(sizeof(v->max_burst) != 4);
	memset(v, 0, sizeof(*v));
	v->max_recv_dsl = 8192;
	v->max_xmit_dsl = 8192;
	v->max_burst = 262144;
	v->first_burst = 65536;
	v->initial_r2t = true;
	v->immediate_data = true;
	v->max_outstanding_r2t = 1;
	v->data_pdu_in_order = true;
	v->data_seq_in_order = true;
	v->default_time2wait = 2;
	v->default_time2retain = 20;
	v->max_connections = 1;
	v->iscsi_protocol_level = 1;
	v->target_recv_dsl = 8192;
	v->initiator_recv_dsl = 8192;
}

void ktgt_param_init(struct ktgt_param_neg *n,
		     const struct ktgt_param_limits *lim, bool leading)
{
	memset(n, 0, sizeof(*n));
	n->lim = lim;
	n->leading = leading;
	ktgt_negotiated_default(&n->val);
}

void ktgt_param_init_text(struct ktgt_param_neg *n,
			  const struct ktgt_param_limits *lim,
			  const struct ktgt_negotiated *cur)
{
	memset(n, 0, sizeof(*n));
	n->lim = lim;
	n->text = true;
	n->val = *cur;
	n->mrdsl_declared = true;
}

/* Where each negotiated key's result lives in struct ktgt_negotiated. */
struct ktgt_field {
	u16 off;
	u8 size;		/* 0: no field */
};

#define KTGT_F8(f)	{ offsetof(struct ktgt_negotiated, f), 1 }
#define KTGT_F32(f)	{ offsetof(struct ktgt_negotiated, f), 4 }

static const struct ktgt_field ktgt_fields[KTGT_KEY_COUNT] = {
	[KTGT_KEY_HEADER_DIGEST] = KTGT_F8(header_digest),
	[KTGT_KEY_DATA_DIGEST] = KTGT_F8(data_digest),
	[KTGT_KEY_MAX_CONNECTIONS] = KTGT_F32(max_connections),
	[KTGT_KEY_INITIAL_R2T] = KTGT_F8(initial_r2t),
	[KTGT_KEY_IMMEDIATE_DATA] = KTGT_F8(immediate_data),
	[KTGT_KEY_MAX_BURST] = KTGT_F32(max_burst),
	[KTGT_KEY_FIRST_BURST] = KTGT_F32(first_burst),
	[KTGT_KEY_TIME2WAIT] = KTGT_F32(default_time2wait),
	[KTGT_KEY_TIME2RETAIN] = KTGT_F32(default_time2retain),
	[KTGT_KEY_MAX_OUTSTANDING_R2T] = KTGT_F32(max_outstanding_r2t),
	[KTGT_KEY_DATA_PDU_IN_ORDER] = KTGT_F8(data_pdu_in_order),
	[KTGT_KEY_DATA_SEQ_IN_ORDER] = KTGT_F8(data_seq_in_order),
	[KTGT_KEY_ERL] = KTGT_F8(erl),
	[KTGT_KEY_TASK_REPORTING] = KTGT_F8(task_reporting),
	[KTGT_KEY_PROTOCOL_LEVEL] = KTGT_F8(iscsi_protocol_level),
	[KTGT_KEY_RDMA_EXTENSIONS] = KTGT_F8(rdma_extensions),
	[KTGT_KEY_TARGET_RDSL] = KTGT_F32(target_recv_dsl),
	[KTGT_KEY_INITIATOR_RDSL] = KTGT_F32(initiator_recv_dsl),
	[KTGT_KEY_MAX_OUT_UNEXP_PDUS] =
		KTGT_F32(max_outstanding_unexpected_pdus),
};

/* Current value of a numerical, boolean or list key. */
static u32 ktgt_param_get(const struct ktgt_negotiated *v, int k)
{
	const u8 *p = (const u8 *)v + ktgt_fields[k].off;
	u32 x;

	switch (ktgt_fields[k].size) {
	case 1:
		return *p;
	case 4:
		memcpy(&x, p, sizeof(x));
		return x;
	default:
		return 0;
	}
}

static void ktgt_param_set(struct ktgt_negotiated *v, int k, u32 x)
{
	u8 *p = (u8 *)v + ktgt_fields[k].off;
	bool b = x != 0;

	switch (ktgt_fields[k].size) {
	case 1:
		if (ktgt_keys[k].type == KTGT_KT_AND ||
		    ktgt_keys[k].type == KTGT_KT_OR ||
		    k == KTGT_KEY_HEADER_DIGEST || k == KTGT_KEY_DATA_DIGEST)
			memcpy(p, &b, sizeof(b));
		else
			*p = (u8)x;
		break;
	case 4:
		memcpy(p, &x, sizeof(x));
		break;
	default:
		break;
	}
}

static u32 ktgt_clamp(u32 x, const struct ktgt_key_def *d)
{
	if (x < d->min)
		return d->min;
	if (x > d->max)
		return d->max;
	return x;
}

/* Our side of a numerical or boolean key, from the limits. */
static u32 ktgt_param_ours(const struct ktgt_param_neg *n, int k)
{
	const struct ktgt_param_limits *l = n->lim;
	const struct ktgt_key_def *d = &ktgt_keys[k];
	u32 x;

	if (!l)
		return d->def;
	switch (k) {
	case KTGT_KEY_MAX_CONNECTIONS:
		x = l->max_connections;
		break;
	case KTGT_KEY_INITIAL_R2T:
		x = l->initial_r2t;
		break;
	case KTGT_KEY_IMMEDIATE_DATA:
		x = l->immediate_data;
		break;
	case KTGT_KEY_MAX_BURST:
		x = l->max_burst;
		break;
	case KTGT_KEY_FIRST_BURST:
		x = min_t(u32, l->first_burst, n->val.max_burst);
		break;
	case KTGT_KEY_TIME2WAIT:
		x = l->default_time2wait;
		break;
	case KTGT_KEY_TIME2RETAIN:
		x = l->default_time2retain;
		break;
	case KTGT_KEY_MAX_OUTSTANDING_R2T:
		x = l->max_outstanding_r2t;
		break;
	case KTGT_KEY_DATA_PDU_IN_ORDER:
		x = l->data_pdu_in_order;
		break;
	case KTGT_KEY_DATA_SEQ_IN_ORDER:
		x = l->data_seq_in_order;
		break;
	case KTGT_KEY_ERL:
		x = l->erl;
		break;
	case KTGT_KEY_PROTOCOL_LEVEL:
		x = l->protocol_level;
		break;
	case KTGT_KEY_RDMA_EXTENSIONS:
		x = l->iser;
		break;
	case KTGT_KEY_TARGET_RDSL:
		x = l->target_recv_dsl;
		break;
	case KTGT_KEY_INITIATOR_RDSL:
		x = l->initiator_recv_dsl;
		break;
	case KTGT_KEY_MAX_OUT_UNEXP_PDUS:
		x = l->max_outstanding_unexpected_pdus;
		if (x == 1)
			x = 2;
		return x;
	default:
		return d->def;
	}
	return ktgt_clamp(x, d);
}

/* Digests we accept for @k, as KTGT_DIGEST_* bits. */
static u32 ktgt_param_list_allowed(const struct ktgt_param_neg *n, int k)
{
	u32 m;

	if (k == KTGT_KEY_TASK_REPORTING)
		return (n->lim ? n->lim->task_reporting : 0) |
			KTGT_TR_BIT(KTGT_TR_RFC3720);
	if (!n->lim)
		return KTGT_DIGEST_NONE;
	m = k == KTGT_KEY_HEADER_DIGEST ? n->lim->header_digests :
					  n->lim->data_digests;
	m &= KTGT_DIGEST_NONE | KTGT_DIGEST_CRC32C;
	if (!m || n->val.rdma_extensions)
		m = KTGT_DIGEST_NONE;	/* iSER: no iSCSI digests */
	return m;
}

/* List item @s (@len bytes) of key @k as a bit index, or -1 if unknown. */
static int ktgt_param_list_item(int k, const char *s, u32 len)
{
	unsigned int i;

	if (k == KTGT_KEY_TASK_REPORTING) {
		for (i = 0; i < ARRAY_SIZE(ktgt_tr_names); i++)
			if (strlen(ktgt_tr_names[i]) == len &&
			    !memcmp(ktgt_tr_names[i], s, len))
				return (int)i;
		return -1;
	}
	if (len == 4 && !memcmp(s, "None", 4))
		return 0;
	if (len == 6 && !memcmp(s, "CRC32C", 6))
		return 1;
	return -1;
}

/* Wire value of list key @k with result @x. */
static const char *ktgt_param_list_str(int k, u32 x)
{
	if (k == KTGT_KEY_TASK_REPORTING)
		return x < ARRAY_SIZE(ktgt_tr_names) ? ktgt_tr_names[x] :
						       "RFC3720";
	return x ? "CRC32C" : "None";
}

/*
 * Select from an offered list: the first item we allow. Returns the
 * value (bit index), -ENOENT if none, -EINVAL if malformed.
 */
static int ktgt_param_list_select(int k, const char *v, u32 len, u32 allowed)
{
	u32 start = 0, i;
	int item, best = -ENOENT;

	if (len == 0)
		return -EINVAL;
	for (i = 0; i <= len; i++) {
		if (i < len && v[i] != ',')
			continue;
		if (i == start || i - start > KTGT_TEXT_SIMPLE_MAX)
			return -EINVAL;
		item = ktgt_param_list_item(k, v + start, i - start);
		if (best < 0 && item >= 0 && (allowed & (1u << item)))
			best = item;
		start = i + 1;
	}
	return best;
}

static bool ktgt_has_comma(const char *v, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (v[i] == ',')
			return true;
	return false;
}

static bool ktgt_is_const(const char *v, u32 len)
{
	return (len == 6 && !memcmp(v, "Reject", 6)) ||
	       (len == 10 && !memcmp(v, "Irrelevant", 10)) ||
	       (len == 13 && !memcmp(v, "NotUnderstood", 13));
}

/* Parse a numerical value in the key's range: 0, -EINVAL, -ERANGE. */
static int ktgt_param_num(int k, const char *v, u32 len, u32 *out)
{
	const struct ktgt_key_def *d = &ktgt_keys[k];
	u64 x;
	int rc;

	if (len > KTGT_TEXT_SIMPLE_MAX)
		return -EINVAL;
	rc = ktgt_text_parse_num(v, len, &x);
	if (rc)
		return rc;
	if (x < d->min || x > d->max)
		return -ERANGE;
	if ((d->flags & KTGT_KF_ZERO_UNLIM) && x == 1)
		return -ERANGE;
	*out = (u32)x;
	return 0;
}

static int ktgt_param_bool(const char *v, u32 len, u32 *out)
{
	if (len == 3 && !memcmp(v, "Yes", 3)) {
		*out = 1;
		return 0;
	}
	if (len == 2 && !memcmp(v, "No", 2)) {
		*out = 0;
		return 0;
	}
	return -EINVAL;
}

static int ktgt_param_fail(struct ktgt_param_neg *n, u16 status)
{
	n->status = status;
	return -EPROTO;
}

/* Copy a declared string; 0, or -EINVAL if empty, too long or not text. */
static int ktgt_param_copy_str(char *dst, u32 cap, const char *v, u32 len)
{
	u32 i;

	if (len == 0 || len >= cap)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if ((u8)v[i] < 0x20 || v[i] == 0x7f)
			return -EINVAL;
	memcpy(dst, v, len);
	dst[len] = 0;
	return 0;
}

static int ktgt_param_declared(struct ktgt_param_neg *n, int k,
			       const char *v, u32 len)
{
	struct ktgt_negotiated *val = &n->val;
	u32 x;

	switch (k) {
	case KTGT_KEY_INITIATOR_NAME:
		if (ktgt_param_copy_str(val->initiator_name,
					sizeof(val->initiator_name), v, len))
			return ktgt_param_fail(n, 0x0200);
		break;
	case KTGT_KEY_TARGET_NAME:
		if (ktgt_param_copy_str(val->target_name,
					sizeof(val->target_name), v, len))
			return ktgt_param_fail(n, 0x0200);
		break;
	case KTGT_KEY_INITIATOR_ALIAS:
		if (len && ktgt_param_copy_str(val->initiator_alias,
					       sizeof(val->initiator_alias),
					       v, len))
			return ktgt_param_fail(n, 0x0200);
		break;
	case KTGT_KEY_SESSION_TYPE:
		if (len == 6 && !memcmp(v, "Normal", 6))
			val->session_type = KTGT_SESSION_NORMAL;
		else if (len == 9 && !memcmp(v, "Discovery", 9))
			val->session_type = KTGT_SESSION_DISCOVERY;
		else
			return ktgt_param_fail(n, 0x0209);
		break;
	case KTGT_KEY_MAX_RECV_DSL:
		if (ktgt_param_num(k, v, len, &x))
			return ktgt_param_fail(n, 0x0200);
		val->max_xmit_dsl = x;
		break;
	default:
		break;
	}
	return 0;
}

static u16 ktgt_stage_flag(u8 stage)
{
	switch (stage) {
	case KTGT_STAGE_SECURITY:	return KTGT_KF_SEC;
	case KTGT_STAGE_OPERATIONAL:	return KTGT_KF_OPER;
	case KTGT_STAGE_FFP:		return KTGT_KF_FFP;
	default:			return 0;
	}
}

int ktgt_param_parse(struct ktgt_param_neg *n, u8 stage,
		     const u8 *data, u32 len)
{
	const struct ktgt_key_def *d;
	struct ktgt_text_iter it;
	struct ktgt_kv kv;
	u64 bit;
	int rc, k;

	n->data = data;
	n->len = len;
	n->stage = stage;
	n->cur = 0;
	n->answers = 0;
	n->status = 0;
	memset(n->value, 0, sizeof(n->value));
	memset(n->value_len, 0, sizeof(n->value_len));
	memset(n->rsp, 0, sizeof(n->rsp));

	ktgt_text_iter_init(&it, data, len);
	while ((rc = ktgt_text_next(&it, &kv)) > 0) {
		k = ktgt_key_lookup(kv.key, kv.key_len);
		if (k < 0)
			continue;	/* NotUnderstood, in respond() */
		d = &ktgt_keys[k];
		bit = KTGT_KBIT(k);
		if (n->cur & bit)
			return ktgt_param_fail(n, 0x0200);	/* duplicate */
		n->cur |= bit;
		n->value[k] = kv.val;
		n->value_len[k] = (u16)kv.val_len;

		if (n->offered & bit) {
			/* an answer to our offer */
			n->answers |= bit;
			continue;
		}
		if (n->seen & bit)
			return ktgt_param_fail(n, 0x0200); /* renegotiation */
		n->seen |= bit;

		if (!(d->flags & ktgt_stage_flag(stage))) {
			if (n->text) {
				n->rsp[k] = KTGT_RSP_REJECT;
				continue;
			}
			return ktgt_param_fail(n, 0x0200);
		}
		if (!(d->flags & KTGT_KF_FROM_I))
			return ktgt_param_fail(n, 0x0200);
		if (ktgt_is_const(kv.val, kv.val_len) &&
		    d->type != KTGT_KT_AUTH)
			return ktgt_param_fail(n, 0x0200);
		if (d->type == KTGT_KT_DECL_STR || d->type == KTGT_KT_DECL_NUM) {
			if (d->type == KTGT_KT_DECL_STR &&
			    kv.val_len > KTGT_TEXT_SIMPLE_MAX)
				return ktgt_param_fail(n, 0x0200);
			rc = ktgt_param_declared(n, k, kv.val, kv.val_len);
			if (rc)
				return rc;
		}
	}
	if (rc < 0)
		return ktgt_param_fail(n, 0x0200);
	return 0;
}

/* Validate the initiator's answer to our offer of @k. */
static int ktgt_param_answer(struct ktgt_param_neg *n, int k)
{
	const struct ktgt_key_def *d = &ktgt_keys[k];
	const char *v = n->value[k];
	u32 len = n->value_len[k];
	u32 ours = ktgt_param_ours(n, k), x;
	int item;

	n->offered &= ~KTGT_KBIT(k);
	n->seen |= KTGT_KBIT(k);
	if (ktgt_is_const(v, len))
		return 0;	/* default stays; finish() judges it */
	switch (d->type) {
	case KTGT_KT_MIN:
		if (ktgt_param_num(k, v, len, &x))
			return ktgt_param_fail(n, 0x0200);
		if ((d->flags & KTGT_KF_ZERO_UNLIM) && ours == 0)
			break;
		if (x > ours || ((d->flags & KTGT_KF_ZERO_UNLIM) && x == 0))
			return ktgt_param_fail(n, 0x0200);
		break;
	case KTGT_KT_MAX:
		if (ktgt_param_num(k, v, len, &x) || x < ours)
			return ktgt_param_fail(n, 0x0200);
		break;
	case KTGT_KT_AND:
	case KTGT_KT_OR:
		if (ktgt_param_bool(v, len, &x))
			return ktgt_param_fail(n, 0x0200);
		if (d->type == KTGT_KT_AND ? (x && !ours) : (!x && ours))
			return ktgt_param_fail(n, 0x0200);
		break;
	case KTGT_KT_LIST:
		item = ktgt_param_list_select(k, v, len,
					      ktgt_param_list_allowed(n, k));
		if (item < 0 || ktgt_has_comma(v, len))
			return ktgt_param_fail(n, 0x0200);
		x = (u32)item;
		break;
	default:
		return 0;
	}
	ktgt_param_set(&n->val, k, x);
	return 0;
}

static bool ktgt_param_irrelevant(const struct ktgt_param_neg *n, int k)
{
	const struct ktgt_key_def *d = &ktgt_keys[k];

	if ((d->flags & KTGT_KF_LO) && !n->leading)
		return true;
	if ((d->flags & KTGT_KF_IRR_DISC) &&
	    n->val.session_type == KTGT_SESSION_DISCOVERY)
		return true;
	if ((d->flags & KTGT_KF_ISER) && !n->val.rdma_extensions)
		return true;
	if (k == KTGT_KEY_FIRST_BURST && n->val.initial_r2t &&
	    !n->val.immediate_data)
		return true;
	return false;
}

/* Negotiate key @k offered by the initiator. */
static void ktgt_param_negotiate(struct ktgt_param_neg *n, int k)
{
	const struct ktgt_key_def *d = &ktgt_keys[k];
	const char *v = n->value[k];
	u32 len = n->value_len[k];
	u32 ours, x;
	int item;

	if (n->rsp[k])
		return;		/* already decided (Reject in Text) */
	if (d->type == KTGT_KT_MARKER) {
		/* RFC 7143 13.26: Reject, never NotUnderstood */
		n->rsp[k] = KTGT_RSP_REJECT;
		return;
	}
	if (d->type != KTGT_KT_MIN && d->type != KTGT_KT_MAX &&
	    d->type != KTGT_KT_AND && d->type != KTGT_KT_OR &&
	    d->type != KTGT_KT_LIST)
		return;
	if (ktgt_param_irrelevant(n, k)) {
		n->rsp[k] = KTGT_RSP_IRRELEVANT;
		return;
	}
	n->rsp[k] = KTGT_RSP_REJECT;
	ours = ktgt_param_ours(n, k);
	switch (d->type) {
	case KTGT_KT_MIN:
		if (ktgt_param_num(k, v, len, &x))
			return;
		if (!(d->flags & KTGT_KF_ZERO_UNLIM) || (x && ours))
			x = min_t(u32, x, ours);
		else if (!x)
			x = ours;
		break;
	case KTGT_KT_MAX:
		if (ktgt_param_num(k, v, len, &x))
			return;
		x = max_t(u32, x, ours);
		break;
	case KTGT_KT_AND:
		if (ktgt_param_bool(v, len, &x))
			return;
		x = x && ours;
		break;
	case KTGT_KT_OR:
		if (ktgt_param_bool(v, len, &x))
			return;
		x = x || ours;
		break;
	default:	/* KTGT_KT_LIST */
		item = ktgt_param_list_select(k, v, len,
					      ktgt_param_list_allowed(n, k));
		if (item < 0)
			return;
		x = (u32)item;
		break;
	}
	ktgt_param_set(&n->val, k, x);
	n->rsp[k] = KTGT_RSP_VALUE;
}

/* Keys whose result others depend on come first. */
static const u8 ktgt_param_order[] = {
	KTGT_KEY_RDMA_EXTENSIONS,
	KTGT_KEY_INITIAL_R2T,
	KTGT_KEY_IMMEDIATE_DATA,
	KTGT_KEY_MAX_BURST,
};

static int ktgt_param_emit(struct ktgt_param_neg *n, int k,
			   struct ktgt_text_buf *out)
{
	const struct ktgt_key_def *d = &ktgt_keys[k];
	u32 x;

	switch (n->rsp[k]) {
	case KTGT_RSP_REJECT:
		return ktgt_text_add(out, d->name, "Reject");
	case KTGT_RSP_IRRELEVANT:
		return ktgt_text_add(out, d->name, "Irrelevant");
	case KTGT_RSP_VALUE:
		x = ktgt_param_get(&n->val, k);
		if (d->type == KTGT_KT_AND || d->type == KTGT_KT_OR)
			return ktgt_text_add(out, d->name, x ? "Yes" : "No");
		if (d->type == KTGT_KT_LIST)
			return ktgt_text_add(out, d->name,
					     ktgt_param_list_str(k, x));
		return ktgt_text_add_u32(out, d->name, x);
	default:
		return 0;
	}
}

int ktgt_param_respond(struct ktgt_param_neg *n, struct ktgt_text_buf *out)
{
	struct ktgt_text_iter it;
	struct ktgt_kv kv;
	unsigned int i;
	int k, rc;

	for (k = 0; k < KTGT_KEY_COUNT; k++) {
		if (!(n->answers & KTGT_KBIT(k)))
			continue;
		rc = ktgt_param_answer(n, k);
		if (rc)
			return rc;
	}
	for (i = 0; i < ARRAY_SIZE(ktgt_param_order); i++) {
		k = ktgt_param_order[i];
		if ((n->cur & ~n->answers) & KTGT_KBIT(k))
			ktgt_param_negotiate(n, k);
	}
	for (k = 0; k < KTGT_KEY_COUNT; k++)
		if ((n->cur & ~n->answers) & KTGT_KBIT(k) &&
		    k != KTGT_KEY_FIRST_BURST)
			ktgt_param_negotiate(n, k);
	if ((n->cur & ~n->answers) & KTGT_KBIT(KTGT_KEY_FIRST_BURST))
		ktgt_param_negotiate(n, KTGT_KEY_FIRST_BURST);

	ktgt_text_iter_init(&it, n->data, n->len);
	while (ktgt_text_next(&it, &kv) > 0) {
		k = ktgt_key_lookup(kv.key, kv.key_len);
		if (k < 0)
			rc = ktgt_text_add_n(out, kv.key, kv.key_len,
					     "NotUnderstood");
		else if (n->answers & KTGT_KBIT(k))
			rc = 0;
		else
			rc = ktgt_param_emit(n, k, out);
		if (rc)
			return rc;
	}
	return 0;
}

int ktgt_param_declare(struct ktgt_param_neg *n, u8 stage, bool first_rsp,
		       struct ktgt_text_buf *out)
{
	const struct ktgt_param_limits *l = n->lim;
	u32 x;
	int rc;

	if (!l)
		return 0;
	if (first_rsp && n->val.target_name[0] &&
	    !(n->sent & KTGT_KBIT(KTGT_KEY_TPGT))) {
		if (l->alias[0]) {
			rc = ktgt_text_add(out, "TargetAlias", l->alias);
			if (rc)
				return rc;
			n->sent |= KTGT_KBIT(KTGT_KEY_TARGET_ALIAS);
		}
		rc = ktgt_text_add_u32(out, "TargetPortalGroupTag", l->tpgt);
		if (rc)
			return rc;
		n->sent |= KTGT_KBIT(KTGT_KEY_TPGT);
	}
	if (stage == KTGT_STAGE_OPERATIONAL && !n->mrdsl_declared &&
	    !n->val.rdma_extensions) {
		x = ktgt_clamp(l->max_recv_dsl,
			       &ktgt_keys[KTGT_KEY_MAX_RECV_DSL]);
		rc = ktgt_text_add_u32(out, "MaxRecvDataSegmentLength", x);
		if (rc)
			return rc;
		n->mrdsl_declared = true;
		n->sent |= KTGT_KBIT(KTGT_KEY_MAX_RECV_DSL);
	}
	return 0;
}

/*
 * Does the current value of @k break our limits? If so, *offer is the
 * value the target offers instead.
 */
static bool ktgt_param_violates(const struct ktgt_param_neg *n, int k,
				u32 *offer)
{
	const struct ktgt_key_def *d = &ktgt_keys[k];
	u32 ours, cur;

	if (ktgt_param_irrelevant(n, k))
		return false;
	cur = ktgt_param_get(&n->val, k);
	switch (d->type) {
	case KTGT_KT_MIN:
		ours = ktgt_param_ours(n, k);
		if (d->flags & KTGT_KF_ZERO_UNLIM) {
			if (!ours || (cur && cur <= ours))
				return false;
		} else if (cur <= ours) {
			return false;
		}
		*offer = ours;
		return true;
	case KTGT_KT_MAX:
		ours = ktgt_param_ours(n, k);
		if (cur >= ours)
			return false;
		*offer = ours;
		return true;
	case KTGT_KT_AND:
		ours = ktgt_param_ours(n, k);
		if (!cur || ours)
			return false;
		*offer = 0;
		return true;
	case KTGT_KT_OR:
		ours = ktgt_param_ours(n, k);
		if (cur || !ours)
			return false;
		*offer = 1;
		return true;
	case KTGT_KT_LIST:
		if (ktgt_param_list_allowed(n, k) & (1u << cur))
			return false;
		*offer = k == KTGT_KEY_TASK_REPORTING ? KTGT_TR_RFC3720 : 1;
		return true;
	default:
		return false;
	}
}

int ktgt_param_offer(struct ktgt_param_neg *n, struct ktgt_text_buf *out)
{
	const struct ktgt_key_def *d;
	int k, rc, count = 0;
	u32 x;

	if (!n->lim || n->text)
		return 0;
	for (k = 0; k < KTGT_KEY_COUNT; k++) {
		d = &ktgt_keys[k];
		if (!(d->flags & KTGT_KF_OPER) || !(d->flags & KTGT_KF_FROM_T))
			continue;
		if (n->seen & KTGT_KBIT(k) || n->sent & KTGT_KBIT(k) ||
		    !ktgt_param_violates(n, k, &x))
			continue;
		if (d->type == KTGT_KT_AND || d->type == KTGT_KT_OR)
			rc = ktgt_text_add(out, d->name, x ? "Yes" : "No");
		else if (d->type == KTGT_KT_LIST)
			rc = ktgt_text_add(out, d->name,
					   ktgt_param_list_str(k, x));
		else
			rc = ktgt_text_add_u32(out, d->name, x);
		if (rc)
			return rc;
		n->offered |= KTGT_KBIT(k);
		n->sent |= KTGT_KBIT(k);
		count++;
	}
	return count;
}

bool ktgt_param_wants_operational(const struct ktgt_param_neg *n)
{
	const struct ktgt_key_def *d;
	u32 x;
	int k;

	if (!n->lim || n->text)
		return false;
	for (k = 0; k < KTGT_KEY_COUNT; k++) {
		d = &ktgt_keys[k];
		if ((d->flags & KTGT_KF_OPER) && (d->flags & KTGT_KF_FROM_T) &&
		    ktgt_param_violates(n, k, &x))
			return true;
	}
	return false;
}

int ktgt_param_finish(struct ktgt_param_neg *n)
{
	struct ktgt_negotiated *v = &n->val;
	const struct ktgt_param_limits *l = n->lim;
	int k;
	u32 dummy;

	if (!l)
		return ktgt_param_fail(n, 0x0300);
	v->max_recv_dsl = n->mrdsl_declared ?
		ktgt_clamp(l->max_recv_dsl, &ktgt_keys[KTGT_KEY_MAX_RECV_DSL]) :
		8192;
	if (l->max_xmit_dsl && v->max_xmit_dsl > l->max_xmit_dsl)
		v->max_xmit_dsl = max_t(u32, l->max_xmit_dsl, 512);
	if (n->text)
		return 0;
	/*
	 * A Reject (ours or the initiator's) leaves a default; refuse it if
	 * our limits do not allow it.
	 */
	for (k = 0; k < KTGT_KEY_COUNT; k++) {
		if (!(ktgt_keys[k].flags & KTGT_KF_OPER))
			continue;
		if (ktgt_param_violates(n, k, &dummy))
			return ktgt_param_fail(n, 0x0200);
	}
	if (n->leading && v->session_type == KTGT_SESSION_NORMAL &&
	    !(v->initial_r2t && !v->immediate_data) &&
	    v->first_burst > v->max_burst)
		return ktgt_param_fail(n, 0x0200);
	return 0;
}
