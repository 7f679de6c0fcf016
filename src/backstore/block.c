// SPDX-License-Identifier: GPL-2.0
/*
 * block backstore: a block device opened exclusively at enable (size and
 * block size are the device's). READ/WRITE build bios from the
 * scatterlist, chained so that the last one completes after all others
 * (bio_chain), whose end_io calls done(). FLUSH is an empty REQ_PREFLUSH
 * bio, FUA sets REQ_FUA on the write bios, DISCARD runs
 * blkdev_issue_discard() in a work item because it sleeps. Discarded
 * blocks do not necessarily read back as zeroes (discard_zeroes false).
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/blkdev.h>
#include <linux/bio.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "backstore.h"

/* Runs discards (blkdev_issue_discard sleeps); may reclaim. */
static struct workqueue_struct *ktgt_block_wq;

struct ktgt_block {
	struct block_device *bdev;
	fmode_t mode;
};

static int ktgt_block_enable(struct ktgt_backstore *bs)
{
	struct ktgt_block *b;
	int ret;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->mode = FMODE_READ | FMODE_EXCL | (bs->readonly ? 0 : FMODE_WRITE);
	b->bdev = blkdev_get_by_path(bs->path, b->mode, bs);
	if (IS_ERR(b->bdev)) {
		ret = PTR_ERR(b->bdev);
		pr_warn("block/%s: cannot open %s%s: %d\n", bs->name, bs->path,
			ret == -EBUSY ? " (in use: mounted or claimed)" : "",
			ret);
		kfree(b);
		return ret;
	}
	bs->size = bdev_nr_bytes(b->bdev);
	bs->block_size = bdev_logical_block_size(b->bdev);
	bs->can_discard = !bs->readonly &&
			  bdev_max_discard_sectors(b->bdev) > 0;
	bs->discard_zeroes = false;
	bs->priv = b;
	return 0;
}

static void ktgt_block_disable(struct ktgt_backstore *bs)
{
	struct ktgt_block *b = bs->priv;

	blkdev_put(b->bdev, b->mode);
	kfree(b);
	bs->priv = NULL;
}

static void ktgt_block_end_io(struct bio *bio)
{
	struct ktgt_bs_io *io = bio->bi_private;
	int err = blk_status_to_errno(bio->bi_status);

	bio_put(bio);
	io->done(io, err);
}

static void ktgt_block_rw(struct ktgt_bs_io *io, struct block_device *bdev,
			  bool write)
{
	blk_opf_t opf = write ? REQ_OP_WRITE | (io->fua ? REQ_FUA : 0) :
				REQ_OP_READ;
	struct scatterlist *sg;
	struct bio *bio, *next;
	unsigned int i, left = io->len;
	size_t total = 0;

	for_each_sg(io->sgl, sg, io->nents, i)
		total += sg->length;
	if (total < io->len || !io->len) {
		io->done(io, -EINVAL);
		return;
	}

	bio = bio_alloc(bdev, bio_max_segs(io->nents), opf, GFP_NOIO);
	bio->bi_iter.bi_sector = io->offset >> SECTOR_SHIFT;
	for_each_sg(io->sgl, sg, io->nents, i) {
		unsigned int len = min(sg->length, left);

		if (!len)
			break;
		while (bio_add_page(bio, sg_page(sg), len, sg->offset) != len) {
			/* Full: chain to a new bio that completes last. */
			next = bio_alloc(bdev, bio_max_segs(io->nents - i), opf,
					 GFP_NOIO);
			next->bi_iter.bi_sector = bio_end_sector(bio);
			bio_chain(bio, next);
			submit_bio(bio);
			bio = next;
		}
		left -= len;
	}
	bio->bi_private = io;
	bio->bi_end_io = ktgt_block_end_io;
	submit_bio(bio);
}

static void ktgt_block_flush(struct ktgt_bs_io *io, struct block_device *bdev)
{
	struct bio *bio;

	bio = bio_alloc(bdev, 0, REQ_OP_WRITE | REQ_PREFLUSH, GFP_NOIO);
	bio->bi_private = io;
	bio->bi_end_io = ktgt_block_end_io;
	submit_bio(bio);
}

static void ktgt_block_discard_work(struct work_struct *work)
{
	struct ktgt_bs_io *io = container_of(work, struct ktgt_bs_io, work);
	struct ktgt_block *b = io->bs->priv;
	int err;

	err = blkdev_issue_discard(b->bdev, io->offset >> SECTOR_SHIFT,
				   io->len >> SECTOR_SHIFT, GFP_NOIO);
	io->done(io, err);
}

static void ktgt_block_submit(struct ktgt_bs_io *io)
{
	struct ktgt_backstore *bs = io->bs;
	struct ktgt_block *b = bs->priv;

	if (io->op != KTGT_BS_FLUSH &&
	    !ktgt_bs_range_ok(bs, io->offset, io->len)) {
		io->done(io, -EINVAL);
		return;
	}
	if (bs->readonly &&
	    (io->op == KTGT_BS_WRITE || io->op == KTGT_BS_DISCARD)) {
		io->done(io, -EROFS);
		return;
	}
	switch (io->op) {
	case KTGT_BS_READ:
		ktgt_block_rw(io, b->bdev, false);
		break;
	case KTGT_BS_WRITE:
		ktgt_block_rw(io, b->bdev, true);
		break;
	case KTGT_BS_FLUSH:
		ktgt_block_flush(io, b->bdev);
		break;
	case KTGT_BS_DISCARD:
		if (!bs->can_discard) {
			io->done(io, -EOPNOTSUPP);
			break;
		}
		INIT_WORK(&io->work, ktgt_block_discard_work);
		queue_work(ktgt_block_wq, &io->work);
		break;
	default:
		io->done(io, -EOPNOTSUPP);
	}
}

static int ktgt_block_info(struct ktgt_backstore *bs, char *buf, size_t size)
{
	struct ktgt_block *b = bs->priv;

	return scnprintf(buf, size, "device=%pg", b->bdev);
}

const struct ktgt_bs_ops ktgt_block_ops = {
	.type		= "block",
	.enable		= ktgt_block_enable,
	.disable	= ktgt_block_disable,
	.submit		= ktgt_block_submit,
	.info		= ktgt_block_info,
};

int ktgt_block_init(void)
{
	ktgt_block_wq = alloc_workqueue("ktgt_block",
					WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	return ktgt_block_wq ? 0 : -ENOMEM;
}

void ktgt_block_exit(void)
{
	destroy_workqueue(ktgt_block_wq);
}
