// SPDX-License-Identifier: GPL-2.0
/*
 * Data-Out placement: the set of byte ranges of a sequence that have
 * arrived (include/ktgt/proto/dataplace.h).
 */
#include <ktgt/proto/dataplace.h>

void ktgt_dplace_init(struct ktgt_dplace *d, u32 start, u32 end)
{
	memset(d, 0, sizeof(*d));
	d->start = start;
	d->end = end < start ? start : end;
}
EXPORT_SYMBOL_GPL(ktgt_dplace_init);

/*
 * Where [@off, @off + @len) goes: 0 with *@i the extent it merges into or
 * is inserted before, *@left and *@right whether it touches ext[*@i] on the
 * left or the next one on the right; or the error ktgt_dplace_add()
 * gives.
 */
static int ktgt_dplace_find(const struct ktgt_dplace *d, u32 off, u32 len,
			    u32 *i, bool *left, bool *right)
{
	u32 end, j;

	if (!len)
		return -EINVAL;
	/* Also refuses an @off + @len that wraps. */
	if (off < d->start || off > d->end || len > d->end - off)
		return -ERANGE;
	end = off + len;

	/* The first extent that ends at or after @off. */
	for (*i = 0; *i < d->n && d->ext[*i].end < off; (*i)++)
		;
	/* Any overlap is with ext[*i] or, if it ends at @off, the next. */
	if (*i < d->n && d->ext[*i].off < end && off < d->ext[*i].end)
		return -EEXIST;
	*left = *i < d->n && d->ext[*i].end == off;
	j = *left ? *i + 1 : *i;
	*right = j < d->n && d->ext[j].off == end;
	if (j < d->n && !*right && d->ext[j].off < end)
		return -EEXIST;
	if (!*left && !*right && d->n == KTGT_DPLACE_MAX)
		return -ENOSPC;
	return 0;
}

int ktgt_dplace_check(const struct ktgt_dplace *d, u32 off, u32 len)
{
	bool left, right;
	u32 i;

	return ktgt_dplace_find(d, off, len, &i, &left, &right);
}
EXPORT_SYMBOL_GPL(ktgt_dplace_check);

int ktgt_dplace_add(struct ktgt_dplace *d, u32 off, u32 len)
{
	bool left, right;
	u32 i, j;
	int ret;

	ret = ktgt_dplace_find(d, off, len, &i, &left, &right);
	if (ret)
		return ret;
	j = left ? i + 1 : i;
	if (left && right) {
		d->ext[i].end = d->ext[j].end;
		memmove(&d->ext[j], &d->ext[j + 1],
			(d->n - j - 1) * sizeof(d->ext[0]));
		d->n--;
	} else if (left) {
		d->ext[i].end = off + len;
	} else if (right) {
		d->ext[j].off = off;
	} else {
		memmove(&d->ext[i + 1], &d->ext[i],
			(d->n - i) * sizeof(d->ext[0]));
		d->ext[i].off = off;
		d->ext[i].end = off + len;
		d->n++;
	}
	d->bytes += len;
	return 0;
}
EXPORT_SYMBOL_GPL(ktgt_dplace_add);

bool ktgt_dplace_complete(const struct ktgt_dplace *d)
{
	return d->bytes == d->end - d->start;
}
EXPORT_SYMBOL_GPL(ktgt_dplace_complete);

int ktgt_dplace_hole(const struct ktgt_dplace *d, u32 *off, u32 *len)
{
	u32 from = d->start, i;

	if (ktgt_dplace_complete(d))
		return -ENOENT;
	/* Extents are sorted: the first gap before one, or after the last. */
	for (i = 0; i < d->n && d->ext[i].off == from; i++)
		from = d->ext[i].end;
	*off = from;
	*len = (i < d->n ? d->ext[i].off : d->end) - from;
	return 0;
}
EXPORT_SYMBOL_GPL(ktgt_dplace_hole);
