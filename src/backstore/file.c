// SPDX-License-Identifier: GPL-2.0
/*
 * file backstore: a regular file (or a block device node) opened at
 * enable. submit() queues the io's work on the "ktgt_file" workqueue,
 * where it reads or writes with vfs_iter_read/vfs_iter_write over a
 * bio_vec array built from the scatterlist.
 *
 * FLUSH = fsync of the whole file; FUA = write, then fdatasync of the
 * range; DISCARD = punch a hole (FALLOC_FL_PUNCH_HOLE|KEEP_SIZE), or
 * write zeroes where the file system cannot, so discarded blocks always
 * read back as zeroes.
 *
 * size 0 means "the file's size" (rounded down to block_size); a larger
 * size than the file's makes a sparse file that grows as it is written
 * (reads past its end return zeroes).
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/fs.h>
#include <linux/falloc.h>
#include <linux/bvec.h>
#include <linux/uio.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/sched.h>

#include "backstore.h"

/* Runs every file I/O; may reclaim (WQ_MEM_RECLAIM). */
static struct workqueue_struct *ktgt_file_wq;

struct ktgt_file {
	struct file *filp;
	bool size_from_file;	/* bs->size was 0: restore it at disable */
	bool is_bdev;
};

static int ktgt_file_enable(struct ktgt_backstore *bs)
{
	int flags = O_LARGEFILE | (bs->readonly ? O_RDONLY : O_RDWR);
	struct ktgt_file *f;
	struct inode *inode;
	loff_t isize;
	int ret;

	if (bs->direct_io)
		flags |= O_DIRECT;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->filp = filp_open(bs->path, flags, 0);
	if (IS_ERR(f->filp)) {
		ret = PTR_ERR(f->filp);
		pr_warn("file/%s: cannot open %s%s: %d\n", bs->name, bs->path,
			bs->direct_io ? " with O_DIRECT" : "", ret);
		goto free;
	}
	inode = file_inode(f->filp);
	if (!S_ISREG(inode->i_mode) && !S_ISBLK(inode->i_mode)) {
		pr_warn("file/%s: %s is not a regular file or a block device\n",
			bs->name, bs->path);
		ret = -EINVAL;
		goto close;
	}
	f->is_bdev = S_ISBLK(inode->i_mode);
	isize = i_size_read(f->filp->f_mapping->host);
	if (!bs->size) {
		bs->size = round_down(isize, bs->block_size);
		f->size_from_file = true;
		if (!bs->size) {
			pr_warn("file/%s: %s is smaller than a block; set size\n",
				bs->name, bs->path);
			ret = -EINVAL;
			goto close;
		}
	} else if (f->is_bdev && bs->size > isize) {
		pr_warn("file/%s: size %llu exceeds the device's %lld bytes\n",
			bs->name, bs->size, isize);
		ret = -EINVAL;
		goto close;
	}
	bs->can_discard = !bs->readonly;
	bs->discard_zeroes = true;
	bs->priv = f;
	return 0;

close:
	if (f->size_from_file)
		bs->size = 0;
	filp_close(f->filp, NULL);
free:
	kfree(f);
	return ret;
}

static void ktgt_file_disable(struct ktgt_backstore *bs)
{
	struct ktgt_file *f = bs->priv;

	filp_close(f->filp, NULL);
	if (f->size_from_file)
		bs->size = 0;
	kfree(f);
	bs->priv = NULL;
}

static int ktgt_file_rw(struct ktgt_bs_io *io, struct file *filp, bool write)
{
	struct scatterlist *sg;
	struct bio_vec *bv;
	struct iov_iter iter;
	loff_t pos = io->offset;
	size_t total = 0;
	ssize_t ret = 0;
	unsigned int i;

	bv = kmalloc_array(io->nents, sizeof(*bv), GFP_NOIO);
	if (!bv)
		return -ENOMEM;
	for_each_sg(io->sgl, sg, io->nents, i) {
		bv[i].bv_page = sg_page(sg);
		bv[i].bv_offset = sg->offset;
		bv[i].bv_len = sg->length;
		total += sg->length;
	}
	if (total < io->len) {
		ret = -EINVAL;
		goto out;
	}
	iov_iter_bvec(&iter, write ? ITER_SOURCE : ITER_DEST, bv, io->nents,
		      io->len);
	while (iov_iter_count(&iter)) {
		if (write)
			ret = vfs_iter_write(filp, &iter, &pos, 0);
		else
			ret = vfs_iter_read(filp, &iter, &pos, 0);
		if (ret < 0)
			break;
		if (!ret) {
			if (write) {
				ret = -EIO;
				break;
			}
			/* Past the end of a sparse, growing file. */
			iov_iter_zero(iov_iter_count(&iter), &iter);
		}
	}
	if (ret >= 0)
		ret = 0;
out:
	kfree(bv);
	return ret;
}

/* Write zeroes over [off, off + len) where holes cannot be punched. */
static int ktgt_file_write_zeroes(struct file *filp, loff_t off, u64 len)
{
	struct bio_vec bv[16];
	struct iov_iter iter;
	ssize_t ret;
	int i;

	for (i = 0; i < ARRAY_SIZE(bv); i++) {
		bv[i].bv_page = ZERO_PAGE(0);
		bv[i].bv_offset = 0;
		bv[i].bv_len = PAGE_SIZE;
	}
	while (len) {
		size_t n = min_t(u64, len, ARRAY_SIZE(bv) * PAGE_SIZE);

		iov_iter_bvec(&iter, ITER_SOURCE, bv,
			      DIV_ROUND_UP(n, PAGE_SIZE), n);
		ret = vfs_iter_write(filp, &iter, &off, 0);
		if (ret < 0)
			return ret;
		if (!ret)
			return -EIO;
		len -= ret;
		cond_resched();
	}
	return 0;
}

static int ktgt_file_discard(struct ktgt_bs_io *io, struct file *filp)
{
	int ret;

	ret = vfs_fallocate(filp, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			    io->offset, io->len);
	if (ret == -EOPNOTSUPP)
		ret = ktgt_file_write_zeroes(filp, io->offset, io->len);
	return ret;
}

static void ktgt_file_work(struct work_struct *work)
{
	struct ktgt_bs_io *io = container_of(work, struct ktgt_bs_io, work);
	struct ktgt_backstore *bs = io->bs;
	struct ktgt_file *f = bs->priv;
	int err;

	switch (io->op) {
	case KTGT_BS_READ:
		err = ktgt_file_rw(io, f->filp, false);
		break;
	case KTGT_BS_WRITE:
		err = ktgt_file_rw(io, f->filp, true);
		if (!err && io->fua)
			err = vfs_fsync_range(f->filp, io->offset,
					      io->offset + io->len - 1, 1);
		break;
	case KTGT_BS_FLUSH:
		err = vfs_fsync_range(f->filp, 0, LLONG_MAX, 0);
		break;
	case KTGT_BS_DISCARD:
		err = ktgt_file_discard(io, f->filp);
		break;
	default:
		err = -EOPNOTSUPP;
	}
	io->done(io, err);
}

static void ktgt_file_submit(struct ktgt_bs_io *io)
{
	struct ktgt_backstore *bs = io->bs;

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
	INIT_WORK(&io->work, ktgt_file_work);
	queue_work(ktgt_file_wq, &io->work);
}

static int ktgt_file_info(struct ktgt_backstore *bs, char *buf, size_t size)
{
	struct ktgt_file *f = bs->priv;

	return scnprintf(buf, size, "kind=%s direct_io=%d size_from_file=%d",
			 f->is_bdev ? "blockdev" : "regular", bs->direct_io,
			 f->size_from_file);
}

const struct ktgt_bs_ops ktgt_file_ops = {
	.type		= "file",
	.enable		= ktgt_file_enable,
	.disable	= ktgt_file_disable,
	.submit		= ktgt_file_submit,
	.info		= ktgt_file_info,
};

int ktgt_file_init(void)
{
	ktgt_file_wq = alloc_workqueue("ktgt_file", WQ_MEM_RECLAIM | WQ_UNBOUND,
				       0);
	return ktgt_file_wq ? 0 : -ENOMEM;
}

void ktgt_file_exit(void)
{
	destroy_workqueue(ktgt_file_wq);
}
