/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Target-side iSCSI login state machine (RFC 7143 sections 6.3, 11.12,
 * 11.13, 12), pure logic.
 *
 * One struct ktgt_login per connection in login. The core decodes each
 * Login Request into a struct ktgt_login_req and calls ktgt_login_rx(),
 * which fills a struct ktgt_login_rsp and the response data segment. The
 * core adds StatSN/ExpCmdSN/MaxCmdSN, encodes and sends the PDU, and acts
 * on the return value:
 *   KTGT_LOGIN_CONTINUE - send the response, wait for the next request;
 *   KTGT_LOGIN_DONE     - send the response (T=1, NSG=3), the connection
 *                         is in full feature phase; ktgt_login_done()
 *                         gives the negotiated values;
 *   KTGT_LOGIN_FAILED   - send the response (status class/detail set),
 *                         then close the connection.
 * The state machine knows no sockets or kernel objects: target lookup,
 * ACLs, random bytes, hashing and session creation go through
 * struct ktgt_login_ops.
 */
#ifndef KTGT_PROTO_LOGIN_H
#define KTGT_PROTO_LOGIN_H

#include <ktgt/proto/platform.h>
#include <ktgt/proto/text.h>
#include <ktgt/proto/param.h>
#include <ktgt/proto/chap.h>

/* Login status, class << 8 | detail (RFC 7143 11.13.5). */
#define KTGT_LOGIN_STATUS(cls, det)	((u16)((cls) << 8 | (det)))
#define KTGT_LS_SUCCESS			0x0000
#define KTGT_LS_REDIRECT_TEMP		0x0101
#define KTGT_LS_REDIRECT_PERM		0x0102
#define KTGT_LS_INITIATOR_ERROR		0x0200
#define KTGT_LS_AUTH_FAILED		0x0201
#define KTGT_LS_AUTHZ_FAILED		0x0202
#define KTGT_LS_NOT_FOUND		0x0203
#define KTGT_LS_TARGET_REMOVED		0x0204
#define KTGT_LS_UNSUPPORTED_VERSION	0x0205
#define KTGT_LS_TOO_MANY_CONNECTIONS	0x0206
#define KTGT_LS_MISSING_PARAMETER	0x0207
#define KTGT_LS_NO_SESSION_SPANNING	0x0208
#define KTGT_LS_SESSION_TYPE_UNSUPP	0x0209
#define KTGT_LS_SESSION_NOT_FOUND	0x020a
#define KTGT_LS_INVALID_DURING_LOGIN	0x020b
#define KTGT_LS_TARGET_ERROR		0x0300
#define KTGT_LS_SERVICE_UNAVAILABLE	0x0301
#define KTGT_LS_OUT_OF_RESOURCES	0x0302

/* Largest data segment we put in one Login Response (default MRDSL). */
#define KTGT_LOGIN_MAX_DATA		8192
/* Capacity for one request spread over PDUs with the C bit. */
#define KTGT_LOGIN_RX_MAX		16384
/* Capacity for one response before it is split into PDUs. */
#define KTGT_LOGIN_TX_MAX		16384
/* Login Requests accepted on one connection before giving up. */
#define KTGT_LOGIN_MAX_PDUS		64

/* Decoded Login Request header fields, host order. */
struct ktgt_login_req {
	u8 isid[6];
	u16 tsih;
	u16 cid;
	u32 itt;
	u32 cmdsn;
	u32 exp_statsn;
	u8 csg;
	u8 nsg;
	bool transit;
	bool cont;
	u8 version_max;
	u8 version_min;
};

/* Login Response header fields; StatSN and the CmdSN window: the core. */
struct ktgt_login_rsp {
	bool transit;
	bool cont;
	u8 csg;
	u8 nsg;
	u8 version_max;
	u8 version_active;
	u8 status_class;
	u8 status_detail;
	u8 isid[6];
	u16 tsih;
	u32 itt;
};

/* Authentication policy of a target (or of discovery) for an initiator. */
struct ktgt_auth_policy {
	bool none_ok;			/* AuthMethod=None acceptable */
	bool chap;			/* CHAP acceptable (needs user/secret) */
	bool mutual_required;		/* initiator must authenticate us */
	u32 chap_algs;			/* KTGT_CHAP_ALG_BIT() mask; 0: all */
	char user[KTGT_CHAP_MAX_NAME + 1];	/* expected CHAP_N */
	u8 secret[KTGT_CHAP_MAX_SECRET];
	u32 secret_len;
	char mutual_user[KTGT_CHAP_MAX_NAME + 1];	/* our CHAP_N */
	u8 mutual_secret[KTGT_CHAP_MAX_SECRET];
	u32 mutual_secret_len;		/* 0: no mutual CHAP */
};

/* What lookup() gives back. */
struct ktgt_login_target {
	struct ktgt_param_limits limits;
	struct ktgt_auth_policy auth;
};

enum ktgt_login_lookup {
	KTGT_LOOKUP_OK = 0,
	KTGT_LOOKUP_NOT_FOUND,		/* 0x0203 */
	KTGT_LOOKUP_NOT_ALLOWED,	/* ACL: 0x0202 */
	KTGT_LOOKUP_REMOVED,		/* 0x0204 */
	KTGT_LOOKUP_UNAVAILABLE,	/* 0x0301 */
};

struct ktgt_login_session_info {
	const u8 *isid;			/* 6 bytes */
	u16 tsih;			/* from the request; 0: new session */
	u16 cid;
	u8 session_type;		/* enum ktgt_session_type */
	const char *initiator_name;
	const char *target_name;	/* "" for discovery */
};

struct ktgt_login_ops {
	/*
	 * Find the target (@target_name NULL for a discovery session) and
	 * check @initiator_name against its ACL. On KTGT_LOOKUP_OK fill @t
	 * with the portal group's limits and the auth policy (discovery:
	 * the discovery policy). Returns enum ktgt_login_lookup. Called
	 * once, on the first complete request.
	 */
	int (*lookup)(void *ctx, const char *initiator_name,
		      const char *target_name, struct ktgt_login_target *t);
	/* Fill @buf with @len random bytes. 0 or -errno. */
	int (*random)(void *ctx, u8 *buf, u32 len);
	/*
	 * Called once, after authentication and negotiation, when the target
	 * is about to agree to full feature phase. TSIH 0: create the session
	 * (reinstating one with the same initiator name and ISID) and set
	 * *@tsih (nonzero). TSIH nonzero: add the connection (check the
	 * session exists, MaxConnections, CID reinstatement). Returns 0 or a
	 * login status (KTGT_LS_*). Optional: NULL gives TSIH 1 to new
	 * sessions and accepts every added connection.
	 */
	u16 (*session)(void *ctx, const struct ktgt_login_session_info *info,
		       const struct ktgt_negotiated *neg, u16 *tsih);
	const struct ktgt_chap_hash_ops *hash;
	void *ctx;
};

enum ktgt_login_result {
	KTGT_LOGIN_CONTINUE = 0,
	KTGT_LOGIN_DONE = 1,
	KTGT_LOGIN_FAILED = 2,
};

enum ktgt_login_auth_state {
	KTGT_AUTH_START = 0,		/* waiting for AuthMethod */
	KTGT_AUTH_CHAP_A,		/* CHAP chosen, waiting for CHAP_A */
	KTGT_AUTH_CHAP_NR,		/* challenge sent, waiting for N/R */
	KTGT_AUTH_DONE,
};

/*
 * About 50 KiB: allocate it (kzalloc/kvzalloc), do not put it on the
 * stack. No pointers into caller memory are kept between calls except
 * @ops.
 */
struct ktgt_login {
	const struct ktgt_login_ops *ops;
	struct ktgt_login_target tgt;
	struct ktgt_param_neg neg;
	struct ktgt_chap_target chap;
	struct ktgt_login_req first;	/* ISID, TSIH, CID, versions */
	u8 stage;			/* current stage (CSG expected) */
	u8 auth;			/* enum ktgt_login_auth_state */
	bool started;			/* a request was seen */
	bool have_target;		/* first complete request done */
	bool done;
	bool failed;
	u16 tsih;			/* TSIH given in the final response */
	u32 npdus;
	/* response being sent in several PDUs (C bit) */
	bool tx_transit;
	u8 tx_nsg;
	struct ktgt_text_accum rx;
	struct ktgt_text_buf tx;
	u8 rxbuf[KTGT_LOGIN_RX_MAX];
	u8 txbuf[KTGT_LOGIN_TX_MAX];
};

/* Prepare @l for a new connection. @ops must outlive @l. */
void ktgt_login_init(struct ktgt_login *l, const struct ktgt_login_ops *ops);

/*
 * Feed one Login Request (@data: its data segment, @len bytes). Fills
 * @rsp and up to @out_cap bytes of response data at @out (*out_len).
 * @out_cap should be at least KTGT_LOGIN_MAX_DATA; smaller values only
 * mean more continuation PDUs. Returns enum ktgt_login_result; after
 * DONE or FAILED further calls fail with 0x0200.
 */
int ktgt_login_rx(struct ktgt_login *l, const struct ktgt_login_req *req,
		  const u8 *data, u32 len, struct ktgt_login_rsp *rsp,
		  u8 *out, u32 out_cap, u32 *out_len);

/* Negotiated values once ktgt_login_rx() returned DONE, else NULL. */
const struct ktgt_negotiated *ktgt_login_done(const struct ktgt_login *l);

/* Forget secrets; call when the connection leaves login either way. */
void ktgt_login_release(struct ktgt_login *l);

#endif /* KTGT_PROTO_LOGIN_H */
