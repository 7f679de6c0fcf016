/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which bytes of one Data-Out sequence have arrived (RFC 7143 13.18,
 * DataPDUInOrder; 7.8, within-command recovery).
 *
 * A sequence is the unsolicited burst or the data one R2T asked for, a
 * byte range [start, end) of the command's buffer. With
 * DataPDUInOrder=No its PDUs may come in any order, and at ERL 1 some may
 * be lost or damaged, so the target keeps the set of byte ranges it has
 * placed: every byte must be placed exactly once (an overlap is a
 * protocol error, or at ERL 1 an old copy of a range asked again), and
 * the sequence is complete when no hole is left.
 *
 * The set is a sorted array of disjoint, non-adjacent extents (adjacent
 * ones merge, so PDUs in order keep one extent). It holds at most
 * KTGT_DPLACE_MAX extents: a peer that scatters more holes than that gets
 * -ENOSPC, which the caller treats as a protocol error. Nothing here
 * allocates, sleeps or locks; the caller serializes calls on one set.
 */
#ifndef KTGT_PROTO_DATAPLACE_H
#define KTGT_PROTO_DATAPLACE_H

#include <ktgt/proto/platform.h>

#define KTGT_DPLACE_MAX		8

struct ktgt_dplace_ext {
	u32 off;
	u32 end;		/* exclusive */
};

struct ktgt_dplace {
	u32 start;		/* the sequence, [start, end) */
	u32 end;
	u32 bytes;		/* placed so far */
	u32 n;			/* extents in @ext */
	struct ktgt_dplace_ext ext[KTGT_DPLACE_MAX];
};

/* An empty sequence [@start, @end); @end < @start is taken as empty. */
void ktgt_dplace_init(struct ktgt_dplace *d, u32 start, u32 end);

/*
 * Records @len bytes placed at @off. Returns 0; -EINVAL for @len 0;
 * -ERANGE if any byte is outside the sequence; -EEXIST if any byte was
 * already placed; -ENOSPC if the set would need more than
 * KTGT_DPLACE_MAX extents. On error nothing is recorded.
 */
int ktgt_dplace_add(struct ktgt_dplace *d, u32 off, u32 len);

/* What ktgt_dplace_add() would return, recording nothing. */
int ktgt_dplace_check(const struct ktgt_dplace *d, u32 off, u32 len);

/* Every byte of the sequence is placed. */
bool ktgt_dplace_complete(const struct ktgt_dplace *d);

/*
 * The first hole: 0 and [*@off, *@off + *@len), or -ENOENT when the
 * sequence is complete.
 */
int ktgt_dplace_hole(const struct ktgt_dplace *d, u32 *off, u32 *len);

#endif /* KTGT_PROTO_DATAPLACE_H */
