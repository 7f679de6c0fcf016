/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Serial number arithmetic (RFC 1982, SERIAL_BITS = 32) for the iSCSI
 * sequence numbers CmdSN, ExpCmdSN, MaxCmdSN, StatSN, DataSN and R2TSN
 * (RFC 7143 section 4.2.2.1).
 *
 * Two numbers exactly 2^31 apart are incomparable (RFC 1982 section 3.2):
 * ktgt_sn_lt() and ktgt_sn_gt() are both false for them, and so are
 * ktgt_sn_le() and ktgt_sn_ge() since they are not equal.
 */
#ifndef KTGT_PROTO_SERIAL_H
#define KTGT_PROTO_SERIAL_H

#include <ktgt/proto/platform.h>

/* @a precedes @b. */
bool ktgt_sn_lt(u32 a, u32 b);
/* @a equals or precedes @b. */
bool ktgt_sn_le(u32 a, u32 b);
/* @a follows @b. */
bool ktgt_sn_gt(u32 a, u32 b);
/* @a equals or follows @b. */
bool ktgt_sn_ge(u32 a, u32 b);

/*
 * @sn lies in the window [@lo, @hi], both ends included, in serial order.
 * Used for the command window: a non-immediate CmdSN is acceptable iff
 * ktgt_sn_in_window(cmdsn, exp_cmdsn, max_cmdsn). A window with @hi equal
 * to @lo - 1 (MaxCmdSN = ExpCmdSN - 1, RFC 7143 4.2.2.1) is empty and
 * contains nothing.
 */
bool ktgt_sn_in_window(u32 sn, u32 lo, u32 hi);

#endif /* KTGT_PROTO_SERIAL_H */
