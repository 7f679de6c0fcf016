/* SPDX-License-Identifier: GPL-2.0 */
/* Backstore types of ktgt_core (struct ktgt_bs_ops in core/config.h). */
#ifndef KTGT_BACKSTORE_H
#define KTGT_BACKSTORE_H

#include "../core/config.h"

extern const struct ktgt_bs_ops ktgt_ram_ops;
extern const struct ktgt_bs_ops ktgt_file_ops;
extern const struct ktgt_bs_ops ktgt_block_ops;

/* Module init/exit: the workqueues of the types that defer work. */
int ktgt_file_init(void);
void ktgt_file_exit(void);
int ktgt_block_init(void);
void ktgt_block_exit(void);

/* true if [offset, offset + len) lies within @bs and is block-aligned. */
static inline bool ktgt_bs_range_ok(const struct ktgt_backstore *bs,
				    u64 offset, u32 len)
{
	return offset <= bs->size && len <= bs->size - offset &&
	       !(offset % bs->block_size) && !(len % bs->block_size);
}

#endif /* KTGT_BACKSTORE_H */
