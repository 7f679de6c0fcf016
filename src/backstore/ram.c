// SPDX-License-Identifier: GPL-2.0
/*
 * ram backstore: zeroed pages allocated at enable, one per PAGE_SIZE of
 * the configured size. I/O copies between the caller's scatterlist and the
 * pages and completes inline (done() runs before submit returns).
 * DISCARD zeroes the range in place, so discarded blocks read back as
 * zeroes (LBPRZ) and no allocation ever happens on the data path.
 *
 * No lock: the page array is fixed between enable and disable, and the
 * core guarantees no I/O is in flight across them. Overlapping concurrent
 * commands may see torn data, as on any disk.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/scatterlist.h>

#include "backstore.h"

struct ktgt_ram {
	struct page **pages;
	unsigned long nr_pages;
};

static void ktgt_ram_free(struct ktgt_ram *ram)
{
	unsigned long i;

	for (i = 0; i < ram->nr_pages; i++) {
		if (ram->pages[i])
			__free_page(ram->pages[i]);
		if (!(i % 4096))
			cond_resched();
	}
	kvfree(ram->pages);
	kfree(ram);
}

static int ktgt_ram_enable(struct ktgt_backstore *bs)
{
	unsigned long nr = DIV_ROUND_UP_ULL(bs->size, PAGE_SIZE), i;
	struct ktgt_ram *ram;

	if (nr > totalram_pages()) {
		pr_warn("ram/%s: %llu bytes is more than the memory of this machine\n",
			bs->name, bs->size);
		return -ENOMEM;
	}
	ram = kzalloc(sizeof(*ram), GFP_KERNEL);
	if (!ram)
		return -ENOMEM;
	ram->pages = kvcalloc(nr, sizeof(*ram->pages), GFP_KERNEL);
	if (!ram->pages) {
		kfree(ram);
		return -ENOMEM;
	}
	ram->nr_pages = nr;
	for (i = 0; i < nr; i++) {
		ram->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO |
					   __GFP_NOWARN);
		if (!ram->pages[i]) {
			pr_warn("ram/%s: out of memory after %lu of %lu pages\n",
				bs->name, i, nr);
			ktgt_ram_free(ram);
			return -ENOMEM;
		}
		if (fatal_signal_pending(current)) {
			ktgt_ram_free(ram);
			return -EINTR;
		}
		if (!(i % 4096))
			cond_resched();
	}
	bs->priv = ram;
	bs->can_discard = true;
	bs->discard_zeroes = true;
	return 0;
}

static void ktgt_ram_disable(struct ktgt_backstore *bs)
{
	ktgt_ram_free(bs->priv);
	bs->priv = NULL;
}

enum ktgt_ram_dir { KTGT_RAM_TO_BUF, KTGT_RAM_FROM_BUF, KTGT_RAM_ZERO };

/* Copy @n bytes at byte @pos of the store to/from @buf, or zero them. */
static void ktgt_ram_copy(struct ktgt_ram *ram, u64 pos, void *buf, size_t n,
			  enum ktgt_ram_dir dir)
{
	while (n) {
		struct page *page = ram->pages[pos >> PAGE_SHIFT];
		size_t off = offset_in_page(pos);
		size_t c = min_t(size_t, n, PAGE_SIZE - off);

		if (dir == KTGT_RAM_TO_BUF)
			memcpy_from_page(buf, page, off, c);
		else if (dir == KTGT_RAM_FROM_BUF)
			memcpy_to_page(page, off, buf, c);
		else
			memzero_page(page, off, c);
		pos += c;
		n -= c;
		if (buf)
			buf += c;
	}
}

static int ktgt_ram_rw(struct ktgt_bs_io *io, struct ktgt_ram *ram, bool write)
{
	struct sg_mapping_iter miter;
	u64 pos = io->offset;
	u32 left = io->len;

	sg_miter_start(&miter, io->sgl, io->nents, SG_MITER_ATOMIC |
		       (write ? SG_MITER_FROM_SG : SG_MITER_TO_SG));
	while (left && sg_miter_next(&miter)) {
		size_t n = min_t(size_t, miter.length, left);

		ktgt_ram_copy(ram, pos, miter.addr, n,
			      write ? KTGT_RAM_FROM_BUF : KTGT_RAM_TO_BUF);
		miter.consumed = n;
		pos += n;
		left -= n;
	}
	sg_miter_stop(&miter);
	return left ? -EINVAL : 0;	/* scatterlist shorter than len */
}

static void ktgt_ram_submit(struct ktgt_bs_io *io)
{
	struct ktgt_backstore *bs = io->bs;
	struct ktgt_ram *ram = bs->priv;
	int err = 0;

	if (io->op != KTGT_BS_FLUSH &&
	    !ktgt_bs_range_ok(bs, io->offset, io->len)) {
		io->done(io, -EINVAL);
		return;
	}
	switch (io->op) {
	case KTGT_BS_READ:
		err = ktgt_ram_rw(io, ram, false);
		break;
	case KTGT_BS_WRITE:
		err = bs->readonly ? -EROFS : ktgt_ram_rw(io, ram, true);
		break;
	case KTGT_BS_FLUSH:
		break;
	case KTGT_BS_DISCARD:
		if (bs->readonly)
			err = -EROFS;
		else
			ktgt_ram_copy(ram, io->offset, NULL, io->len,
				      KTGT_RAM_ZERO);
		break;
	default:
		err = -EOPNOTSUPP;
	}
	io->done(io, err);
}

static int ktgt_ram_info(struct ktgt_backstore *bs, char *buf, size_t size)
{
	struct ktgt_ram *ram = bs->priv;

	return scnprintf(buf, size, "pages=%lu", ram->nr_pages);
}

const struct ktgt_bs_ops ktgt_ram_ops = {
	.type		= "ram",
	.enable		= ktgt_ram_enable,
	.disable	= ktgt_ram_disable,
	.submit		= ktgt_ram_submit,
	.info		= ktgt_ram_info,
};
