// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 1982 serial number arithmetic, SERIAL_BITS = 32.
 */
#include <ktgt/proto/serial.h>

#define KTGT_SN_HALF	0x80000000u	/* 2^(SERIAL_BITS - 1) */

bool ktgt_sn_lt(u32 a, u32 b)
{
	if (a < b)
		return b - a < KTGT_SN_HALF;
	if (a > b)
		return a - b > KTGT_SN_HALF;
	return false;
}
EXPORT_SYMBOL_GPL(ktgt_sn_lt);

bool ktgt_sn_le(u32 a, u32 b)
{
	return a == b || ktgt_sn_lt(a, b);
}
EXPORT_SYMBOL_GPL(ktgt_sn_le);

bool ktgt_sn_gt(u32 a, u32 b)
{
	return ktgt_sn_lt(b, a);
}
EXPORT_SYMBOL_GPL(ktgt_sn_gt);

bool ktgt_sn_ge(u32 a, u32 b)
{
	return a == b || ktgt_sn_lt(b, a);
}
EXPORT_SYMBOL_GPL(ktgt_sn_ge);

bool ktgt_sn_in_window(u32 sn, u32 lo, u32 hi)
{
	return ktgt_sn_ge(sn, lo) && ktgt_sn_le(sn, hi);
}
EXPORT_SYMBOL_GPL(ktgt_sn_in_window);
