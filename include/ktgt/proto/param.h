/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iSCSI text keys (RFC 7143 sections 6, 12, 13; RFC 7144; RFC 7145 section
 * 6) as one table, and target-side negotiation of them.
 *
 * A struct ktgt_param_neg holds one login's (or one Text exchange's)
 * negotiation. Each complete request data segment goes through
 * ktgt_param_parse() (syntax, direction, stage, duplicates; records
 * declarations and the authentication keys for the login code), then
 * ktgt_param_respond() (computes results, writes the answers). The target's
 * own declarations and offers come from ktgt_param_declare() and
 * ktgt_param_offer(). Results are plain host values in struct
 * ktgt_negotiated.
 */
#ifndef KTGT_PROTO_PARAM_H
#define KTGT_PROTO_PARAM_H

#include <ktgt/proto/platform.h>
#include <ktgt/proto/text.h>
#include <ktgt/proto/pdu.h>

#define KTGT_NAME_MAX		223	/* iSCSI name, RFC 7143 4.2.7.1 */
#define KTGT_ALIAS_MAX		255
#define KTGT_ADDRESS_MAX	255

enum ktgt_key {
	KTGT_KEY_HEADER_DIGEST,
	KTGT_KEY_DATA_DIGEST,
	KTGT_KEY_MAX_CONNECTIONS,
	KTGT_KEY_SEND_TARGETS,
	KTGT_KEY_TARGET_NAME,
	KTGT_KEY_INITIATOR_NAME,
	KTGT_KEY_TARGET_ALIAS,
	KTGT_KEY_INITIATOR_ALIAS,
	KTGT_KEY_TARGET_ADDRESS,
	KTGT_KEY_TPGT,
	KTGT_KEY_INITIAL_R2T,
	KTGT_KEY_IMMEDIATE_DATA,
	KTGT_KEY_MAX_RECV_DSL,
	KTGT_KEY_MAX_BURST,
	KTGT_KEY_FIRST_BURST,
	KTGT_KEY_TIME2WAIT,
	KTGT_KEY_TIME2RETAIN,
	KTGT_KEY_MAX_OUTSTANDING_R2T,
	KTGT_KEY_DATA_PDU_IN_ORDER,
	KTGT_KEY_DATA_SEQ_IN_ORDER,
	KTGT_KEY_ERL,
	KTGT_KEY_SESSION_TYPE,
	KTGT_KEY_AUTH_METHOD,
	KTGT_KEY_CHAP_A,
	KTGT_KEY_CHAP_I,
	KTGT_KEY_CHAP_C,
	KTGT_KEY_CHAP_N,
	KTGT_KEY_CHAP_R,
	KTGT_KEY_TASK_REPORTING,
	KTGT_KEY_PROTOCOL_LEVEL,
	KTGT_KEY_OF_MARKER,
	KTGT_KEY_IF_MARKER,
	KTGT_KEY_OF_MARK_INT,
	KTGT_KEY_IF_MARK_INT,
	KTGT_KEY_RDMA_EXTENSIONS,
	KTGT_KEY_TARGET_RDSL,
	KTGT_KEY_INITIATOR_RDSL,
	KTGT_KEY_MAX_OUT_UNEXP_PDUS,
	KTGT_KEY_COUNT
};

/* How the result of a key is formed. */
enum ktgt_key_type {
	KTGT_KT_MIN,		/* numerical, result is the minimum */
	KTGT_KT_MAX,		/* numerical, result is the maximum */
	KTGT_KT_AND,		/* boolean, result is AND */
	KTGT_KT_OR,		/* boolean, result is OR */
	KTGT_KT_LIST,		/* list, first offered value we support */
	KTGT_KT_DECL_NUM,	/* declarative, numerical */
	KTGT_KT_DECL_STR,	/* declarative, string */
	KTGT_KT_AUTH,		/* AuthMethod, CHAP_*: the login code */
	KTGT_KT_MARKER,		/* obsolete markers (RFC 7143 13.26) */
	KTGT_KT_FFP,		/* SendTargets: the core, in Text */
};

/* struct ktgt_key_def.flags */
#define KTGT_KF_LO		0x0001	/* leading connection only */
#define KTGT_KF_CONN		0x0002	/* connection scope (else session) */
#define KTGT_KF_SEC		0x0004	/* allowed in the security stage */
#define KTGT_KF_OPER		0x0008	/* allowed in the operational stage */
#define KTGT_KF_FFP		0x0010	/* allowed in full feature Text */
#define KTGT_KF_FROM_I		0x0020	/* initiator may send it */
#define KTGT_KF_FROM_T		0x0040	/* target may send it */
#define KTGT_KF_IRR_DISC	0x0080	/* Irrelevant in discovery sessions */
#define KTGT_KF_ISER		0x0100	/* Irrelevant when RDMAExtensions=No */
#define KTGT_KF_NOT_ISER	0x0200	/* not used when RDMAExtensions=Yes */
#define KTGT_KF_ZERO_UNLIM	0x0400	/* numerical 0 means "no limit" */

struct ktgt_key_def {
	const char *name;
	u8 type;		/* enum ktgt_key_type */
	u16 flags;		/* KTGT_KF_* */
	u32 min;		/* numerical range; 0/1 for booleans */
	u32 max;
	u32 def;		/* numerical/boolean default (1 = Yes) */
	const char *def_str;	/* default as sent on the wire, or NULL */
};

/* Table entry of @k, or NULL if out of range. */
const struct ktgt_key_def *ktgt_key_def(enum ktgt_key k);

/* Key id of @name (@len bytes, not NUL-terminated), or -ENOENT. */
int ktgt_key_lookup(const char *name, u32 len);

/* Digest bits (HeaderDigest/DataDigest), in ktgt_param_limits. */
#define KTGT_DIGEST_NONE	0x1
#define KTGT_DIGEST_CRC32C	0x2

/* TaskReporting values (RFC 7143 13.23). */
enum ktgt_task_reporting {
	KTGT_TR_RFC3720 = 0,
	KTGT_TR_RESPONSE_FENCE = 1,
	KTGT_TR_FAST_ABORT = 2,
};

#define KTGT_TR_BIT(v)		(1u << (v))

enum ktgt_session_type {
	KTGT_SESSION_NORMAL = 0,
	KTGT_SESSION_DISCOVERY = 1,
};

/*
 * What the administrator configured for a target portal group: the values
 * the target prefers and the limits it enforces. For "min" keys the value
 * is our maximum, for "max" keys (DefaultTime2Wait) our minimum.
 */
struct ktgt_param_limits {
	u32 max_recv_dsl;		/* our MaxRecvDataSegmentLength */
	u32 max_xmit_dsl;		/* cap on what we send; 0: none */
	u32 max_burst;
	u32 first_burst;
	u32 default_time2wait;
	u32 default_time2retain;
	u32 max_connections;
	u32 max_outstanding_r2t;
	u8 erl;				/* highest ErrorRecoveryLevel */
	bool initial_r2t;		/* Yes: we insist on InitialR2T */
	bool immediate_data;		/* No: we refuse immediate data */
	bool data_pdu_in_order;		/* Yes: we need in-order Data PDUs */
	bool data_seq_in_order;
	u8 header_digests;		/* KTGT_DIGEST_* allowed */
	u8 data_digests;
	u8 protocol_level;		/* highest iSCSIProtocolLevel */
	u8 task_reporting;		/* KTGT_TR_BIT() set; RFC3720 implied */
	bool iser;			/* login arrived on the iSER transport */
	u32 target_recv_dsl;		/* iSER: what we can receive */
	u32 initiator_recv_dsl;		/* iSER: cap on what we send */
	u32 max_outstanding_unexpected_pdus;	/* iSER; 0: unlimited */
	u16 tpgt;
	char alias[KTGT_ALIAS_MAX + 1];	/* TargetAlias; "" for none */
};

/* RFC defaults, CRC32C and None allowed, no alias, TPGT 1. */
void ktgt_param_limits_default(struct ktgt_param_limits *l);

/* Negotiated values for the core, host order. */
struct ktgt_negotiated {
	bool header_digest;		/* CRC32C */
	bool data_digest;
	u32 max_recv_dsl;		/* what we receive (our declaration) */
	u32 max_xmit_dsl;		/* what we send (the initiator's) */
	u32 max_burst;
	u32 first_burst;
	bool initial_r2t;
	bool immediate_data;
	u32 max_outstanding_r2t;
	bool data_pdu_in_order;
	bool data_seq_in_order;
	u32 default_time2wait;
	u32 default_time2retain;
	u8 erl;
	u32 max_connections;
	u8 session_type;		/* enum ktgt_session_type */
	u8 iscsi_protocol_level;
	u8 task_reporting;		/* enum ktgt_task_reporting */
	bool rdma_extensions;
	u32 target_recv_dsl;
	u32 initiator_recv_dsl;
	u32 max_outstanding_unexpected_pdus;
	char initiator_name[KTGT_NAME_MAX + 1];
	char initiator_alias[KTGT_ALIAS_MAX + 1];
	char target_name[KTGT_NAME_MAX + 1];
};

/* RFC 7143 defaults (MaxRecvDataSegmentLength 8192 both ways, ...). */
void ktgt_negotiated_default(struct ktgt_negotiated *v);

/* Stages, as in the CSG/NSG fields (enum ktgt_login_stage in pdu.h). */
#define KTGT_STAGE_FFP		KTGT_STAGE_FULL_FEATURE

/* Per-key state of one negotiation. */
enum ktgt_key_rsp {
	KTGT_RSP_NONE = 0,	/* nothing to send */
	KTGT_RSP_VALUE,		/* send the result value */
	KTGT_RSP_REJECT,
	KTGT_RSP_IRRELEVANT,
	KTGT_RSP_NOT_UNDERSTOOD,
};

struct ktgt_param_neg {
	const struct ktgt_param_limits *lim;	/* NULL until known */
	struct ktgt_negotiated val;
	bool leading;			/* TSIH 0: session-wide keys apply */
	bool text;			/* full feature Text, not login */
	u64 seen;			/* keys the initiator sent */
	u64 offered;			/* keys we offered, not yet answered */
	u64 sent;			/* keys we sent (offers, declarations) */
	bool mrdsl_declared;		/* we declared MaxRecvDataSegmentLength */
	/* set by ktgt_param_parse() for the current request only */
	const u8 *data;
	u32 len;
	u8 stage;
	u64 cur;			/* keys in this request */
	u64 answers;			/* of them: answers to our offers */
	const char *value[KTGT_KEY_COUNT];	/* values in this request */
	u16 value_len[KTGT_KEY_COUNT];
	u8 rsp[KTGT_KEY_COUNT];		/* enum ktgt_key_rsp */
	u16 status;			/* login status when an error is returned */
};

/*
 * Start a negotiation. @lim may be NULL and set later (the login learns
 * the target, hence the limits, from the first request). @leading: TSIH 0.
 */
void ktgt_param_init(struct ktgt_param_neg *n,
		     const struct ktgt_param_limits *lim, bool leading);

/*
 * Start a full feature phase Text negotiation on a connection whose login
 * produced @cur. Only keys usable in full feature phase are accepted
 * (MaxRecvDataSegmentLength, SendTargets, X- keys...); others get Reject.
 */
void ktgt_param_init_text(struct ktgt_param_neg *n,
			  const struct ktgt_param_limits *lim,
			  const struct ktgt_negotiated *cur);

/*
 * Pass 1 over one complete request data segment of @stage. Checks syntax,
 * direction, stage and duplicates, records declarations (names,
 * SessionType) and the values of this request (n->value[], pointers into
 * @data, which must stay valid until ktgt_param_respond()). Returns 0 or
 * -EPROTO with n->status set to a login status (0x0200 initiator error,
 * ...).
 */
int ktgt_param_parse(struct ktgt_param_neg *n, u8 stage,
		     const u8 *data, u32 len);

/*
 * Pass 2: negotiate the keys of the request parsed last, in dependency
 * order, and append the answers (values, Reject, Irrelevant,
 * NotUnderstood) to @out, in the order the keys came. Authentication keys
 * are left to the caller. Returns 0, -EPROTO with n->status set, or
 * -ENOSPC if @out is full.
 */
int ktgt_param_respond(struct ktgt_param_neg *n, struct ktgt_text_buf *out);

/*
 * Append the target's declarations for @stage not sent yet: TargetAlias
 * and TargetPortalGroupTag (@first_rsp, normal sessions), and in the
 * operational stage MaxRecvDataSegmentLength (unless RDMAExtensions=Yes).
 * 0 or -ENOSPC.
 */
int ktgt_param_declare(struct ktgt_param_neg *n, u8 stage, bool first_rsp,
		       struct ktgt_text_buf *out);

/*
 * Append offers for keys the initiator did not negotiate whose default
 * our limits do not allow (e.g. MaxBurstLength below 262144, digests
 * required, ImmediateData=No). Returns the number of offers made (the
 * login must not transit until they are answered) or -ENOSPC.
 */
int ktgt_param_offer(struct ktgt_param_neg *n, struct ktgt_text_buf *out);

/* True while offers of ours wait for an answer. */
static inline bool ktgt_param_offers_pending(const struct ktgt_param_neg *n)
{
	return n->offered != 0;
}

/*
 * Should the target refuse a direct security -> full feature transit and
 * steer the login through the operational stage (NSG=1)? True if a
 * default our limits refuse would otherwise stand (it must offer keys).
 */
bool ktgt_param_wants_operational(const struct ktgt_param_neg *n);

/*
 * End of the login: derive max_recv_dsl/max_xmit_dsl, check results
 * against our limits. Returns 0 or -EPROTO with n->status set.
 */
int ktgt_param_finish(struct ktgt_param_neg *n);

#endif /* KTGT_PROTO_PARAM_H */
