/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The iSER Hello exchange (RFC 7145 5.1.3; message formats 9.3 and 9.4),
 * pure: decode a Hello, decide the answer, encode the HelloReply.
 *
 * An iSER initiator on iWARP may open the connection with a Hello
 * message before its Login Request, giving the iSER versions it speaks
 * and its iSER-IRD (how many RDMA READs it lets us have outstanding); the
 * target answers with a HelloReply (RejectFlag, its highest version, the
 * version chosen, its iSER-ORD), then login proceeds as usual. On
 * InfiniBand and RoCE the iSER CM private data replaces it, and Linux's
 * ib_iser never sends one.
 *
 * Layout (first byte: iSER opcode in the high nibble):
 *	Hello:      opcode 0x2 | rsvd, MaxVer:4 | MinVer:4, iSER-IRD (be16),
 *	            reserved
 *	HelloReply: opcode 0x3 | rsvd:3 | RejectFlag:1, MaxVer:4 | CurVer:4,
 *	            iSER-ORD (be16), reserved
 */
#ifndef KTGT_PROTO_ISER_H
#define KTGT_PROTO_ISER_H

#include <ktgt/proto/platform.h>

#define KTGT_ISER_OP_MASK	0xf0	/* opcode nibble of the first byte */
#define KTGT_ISER_OP_CTRL	0x10	/* iSCSI control-type PDU follows */
#define KTGT_ISER_OP_HELLO	0x20
#define KTGT_ISER_OP_HELLOREPLY	0x30
#define KTGT_ISER_HELLO_REJECT	0x01	/* RejectFlag, HelloReply byte 0 */

/*
 * The iSER version of RFC 7145 (RFC 5046 was version 1; 7145 changed the
 * header's STag offsets to virtual addresses, hence a new number). The
 * only one we speak.
 */
#define KTGT_ISER_VERSION	10

/*
 * The Hello is 12 bytes in RFC 5046 and padded to the iSER header size
 * in some implementations: accept any length from 12 on. We send the
 * HelloReply as a full 28-byte iSER header, reserved bytes zero, which a
 * receiver of either length takes.
 */
#define KTGT_ISER_HELLO_MIN_LEN		12
#define KTGT_ISER_HELLOREPLY_LEN	28

struct ktgt_iser_hello {
	u8 max_ver;
	u8 min_ver;
	u16 ird;		/* the initiator's iSER-IRD */
};

struct ktgt_iser_hello_reply {
	bool reject;
	u8 max_ver;		/* the highest version we speak */
	u8 cur_ver;		/* the version of this connection */
	u16 ord;		/* RDMA READs we will have outstanding */
};

/*
 * Decodes a received message that starts with a Hello: 0, or -EPROTO if
 * it is shorter than a Hello or is not one.
 */
int ktgt_iser_hello_decode(const u8 *buf, u32 len, struct ktgt_iser_hello *h);

/*
 * The answer to @h for a target that speaks KTGT_ISER_VERSION and would
 * have at most @ord RDMA READs outstanding: accept if that version is in
 * [MinVer, MaxVer] (an empty range rejects) with iSER-ORD at most the
 * initiator's iSER-IRD, else reject. A rejected initiator closes the
 * connection; MaxVer tells it which version we would have taken.
 */
void ktgt_iser_hello_answer(const struct ktgt_iser_hello *h, u16 ord,
			    struct ktgt_iser_hello_reply *r);

/* Writes the KTGT_ISER_HELLOREPLY_LEN bytes of the HelloReply @r. */
void ktgt_iser_helloreply_encode(const struct ktgt_iser_hello_reply *r,
				 u8 *buf);

#endif /* KTGT_PROTO_ISER_H */
