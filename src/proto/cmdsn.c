// SPDX-License-Identifier: GPL-2.0
/* The command window of a session; see <ktgt/proto/cmdsn.h>. */
#include <ktgt/proto/cmdsn.h>
#include <ktgt/proto/serial.h>

/* MaxCmdSN from the budget, never moved back. */
static void ktgt_cmdsn_update_max(struct ktgt_cmdsn *s)
{
	u32 avail = s->depth > s->outstanding ? s->depth - s->outstanding : 0;
	u32 max = s->exp + avail - 1;

	if (ktgt_sn_gt(max, s->max))
		s->max = max;
}

void ktgt_cmdsn_init(struct ktgt_cmdsn *s, u32 first, u32 depth)
{
	s->exp = first;
	s->depth = depth ? depth : 1;
	s->outstanding = 0;
	s->plugged = 0;
	s->max = first + s->depth - 1;
}

/* ExpCmdSN moves past @sn == exp, and past any plugged CmdSN after it. */
static void ktgt_cmdsn_advance(struct ktgt_cmdsn *s)
{
	do {
		s->exp++;
		s->plugged >>= 1;
	} while (s->plugged & 1);
}

enum ktgt_cmdsn_verdict ktgt_cmdsn_accept(struct ktgt_cmdsn *s,
					  bool immediate, u32 sn, bool task)
{
	if (immediate) {
		/* It carries the next CmdSN, or one in the window. */
		if (sn != s->exp && !ktgt_sn_in_window(sn, s->exp, s->max))
			return KTGT_CMDSN_DROP;
		if (task && s->outstanding >= s->depth)
			return KTGT_CMDSN_FULL;
	} else {
		if (sn != s->exp || !ktgt_sn_in_window(sn, s->exp, s->max))
			return KTGT_CMDSN_DROP;
		ktgt_cmdsn_advance(s);
	}
	if (task)
		s->outstanding++;
	ktgt_cmdsn_update_max(s);
	return KTGT_CMDSN_ACCEPT;
}

void ktgt_cmdsn_task_done(struct ktgt_cmdsn *s)
{
	if (s->outstanding)
		s->outstanding--;
	ktgt_cmdsn_update_max(s);
}

bool ktgt_cmdsn_plug(struct ktgt_cmdsn *s, u32 sn)
{
	u32 d = sn - s->exp;

	if (!ktgt_sn_in_window(sn, s->exp, s->max) ||
	    d >= KTGT_CMDSN_PLUG_SPAN)
		return false;
	if (!d) {
		ktgt_cmdsn_advance(s);
		ktgt_cmdsn_update_max(s);
	} else {
		s->plugged |= 1ull << d;
	}
	return true;
}

bool ktgt_cmdsn_hold(struct ktgt_cmdsn *s, u32 sn, bool task)
{
	if (sn == s->exp || !ktgt_sn_in_window(sn, s->exp, s->max) ||
	    ktgt_cmdsn_plugged(s, sn))
		return false;
	if (task) {
		s->outstanding++;
		ktgt_cmdsn_update_max(s);
	}
	return true;
}

void ktgt_cmdsn_take(struct ktgt_cmdsn *s)
{
	ktgt_cmdsn_advance(s);
	ktgt_cmdsn_update_max(s);
}

bool ktgt_cmdsn_plugged(const struct ktgt_cmdsn *s, u32 sn)
{
	u32 d = sn - s->exp;

	/* Bit 0 is never set: a plug at ExpCmdSN advances at once. */
	return d && d < KTGT_CMDSN_PLUG_SPAN && (s->plugged >> d) & 1;
}
