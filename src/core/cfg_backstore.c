// SPDX-License-Identifier: GPL-2.0
/*
 * backstores/{ram,file,block}/<name>: the configfs side of backstores.
 *
 * Attributes can change only while the backstore is disabled (-EBUSY
 * otherwise). Enabling calls ops->enable, which opens or allocates; a
 * backstore that LUNs are bound to cannot be disabled (-EBUSY) nor removed
 * (rmdir gets -EBUSY from configfs: ktgt_bs_bind() takes a configfs
 * dependency on the item).
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/ctype.h>

#include "core.h"
#include "../backstore/backstore.h"

/* Every backstore, of every type (ktgt_cfg_mutex). */
static LIST_HEAD(ktgt_backstores);

/* The type directories backstores/ram, file, block. */
struct ktgt_bs_type_group {
	struct config_group group;
	const struct ktgt_bs_ops *ops;
	const struct config_item_type *item_type;
};

static struct ktgt_backstore *to_bs(struct config_item *item)
{
	return container_of(to_config_group(item), struct ktgt_backstore,
			    group);
}

static int ktgt_bs_busy(struct ktgt_backstore *bs, const char *what)
{
	lockdep_assert_held(&ktgt_cfg_mutex);
	if (!bs->enabled)
		return 0;
	pr_warn("%s/%s: cannot change %s while enabled; write 0 to enable first\n",
		bs->ops->type, bs->name, what);
	return -EBUSY;
}

/* ---- attributes ---------------------------------------------------- */

static ssize_t ktgt_bs_size_show(struct config_item *item, char *page)
{
	struct ktgt_backstore *bs = to_bs(item);
	ssize_t ret;

	mutex_lock(&ktgt_cfg_mutex);
	ret = sysfs_emit(page, "%llu\n", bs->size);
	mutex_unlock(&ktgt_cfg_mutex);
	return ret;
}

static ssize_t ktgt_bs_size_store(struct config_item *item, const char *page,
				  size_t count)
{
	struct ktgt_backstore *bs = to_bs(item);
	u64 v;
	int ret;

	ret = ktgt_cfg_u64("size", page, &v);
	if (ret)
		return ret;
	mutex_lock(&ktgt_cfg_mutex);
	ret = ktgt_bs_busy(bs, "size");
	if (ret)
		goto out;
	/* file: 0 means "the file's size"; ram needs a size. */
	if (!v && bs->ops != &ktgt_file_ops) {
		pr_warn("%s/%s: size must be non-zero\n", bs->ops->type,
			bs->name);
		ret = -EINVAL;
	} else if (v % bs->block_size) {
		pr_warn("%s/%s: size %llu is not a multiple of block_size %u\n",
			bs->ops->type, bs->name, v, bs->block_size);
		ret = -EINVAL;
	} else {
		bs->size = v;
	}
out:
	mutex_unlock(&ktgt_cfg_mutex);
	return ret ? ret : count;
}

static ssize_t ktgt_bs_block_size_show(struct config_item *item, char *page)
{
	struct ktgt_backstore *bs = to_bs(item);
	ssize_t ret;

	mutex_lock(&ktgt_cfg_mutex);
	ret = sysfs_emit(page, "%u\n", bs->block_size);
	mutex_unlock(&ktgt_cfg_mutex);
	return ret;
}

static ssize_t ktgt_bs_block_size_store(struct config_item *item,
					const char *page, size_t count)
{
	struct ktgt_backstore *bs = to_bs(item);
	u32 v;
	int ret;

	ret = ktgt_cfg_u32("block_size", page, 512, 4096, &v);
	if (ret)
		return ret;
	if (v != 512 && v != 4096) {
		pr_warn("block_size: want 512 or 4096\n");
		return -EINVAL;
	}
	mutex_lock(&ktgt_cfg_mutex);
	ret = ktgt_bs_busy(bs, "block_size");
	if (ret)
		goto out;
	if (bs->size % v) {
		pr_warn("%s/%s: size %llu is not a multiple of block_size %u\n",
			bs->ops->type, bs->name, bs->size, v);
		ret = -EINVAL;
	} else {
		bs->block_size = v;
	}
out:
	mutex_unlock(&ktgt_cfg_mutex);
	return ret ? ret : count;
}

static ssize_t ktgt_bs_show_bool(struct config_item *item, char *page,
				 bool *field)
{
	ssize_t ret;

	mutex_lock(&ktgt_cfg_mutex);
	ret = sysfs_emit(page, "%d\n", *field);
	mutex_unlock(&ktgt_cfg_mutex);
	return ret;
}

static ssize_t ktgt_bs_store_bool(struct config_item *item, const char *what,
				  const char *page, size_t count, bool *field)
{
	struct ktgt_backstore *bs = to_bs(item);
	bool v;
	int ret;

	ret = ktgt_cfg_bool(what, page, &v);
	if (ret)
		return ret;
	mutex_lock(&ktgt_cfg_mutex);
	ret = ktgt_bs_busy(bs, what);
	if (!ret)
		*field = v;
	mutex_unlock(&ktgt_cfg_mutex);
	return ret ? ret : count;
}

static ssize_t ktgt_bs_readonly_show(struct config_item *item, char *page)
{
	return ktgt_bs_show_bool(item, page, &to_bs(item)->readonly);
}

static ssize_t ktgt_bs_readonly_store(struct config_item *item,
				      const char *page, size_t count)
{
	return ktgt_bs_store_bool(item, "readonly", page, count,
				  &to_bs(item)->readonly);
}

static ssize_t ktgt_bs_direct_io_show(struct config_item *item, char *page)
{
	return ktgt_bs_show_bool(item, page, &to_bs(item)->direct_io);
}

static ssize_t ktgt_bs_direct_io_store(struct config_item *item,
				       const char *page, size_t count)
{
	return ktgt_bs_store_bool(item, "direct_io", page, count,
				  &to_bs(item)->direct_io);
}

static ssize_t ktgt_bs_path_show(struct config_item *item, char *page)
{
	struct ktgt_backstore *bs = to_bs(item);
	ssize_t ret;

	mutex_lock(&ktgt_cfg_mutex);
	ret = sysfs_emit(page, "%s\n", bs->path);
	mutex_unlock(&ktgt_cfg_mutex);
	return ret;
}

static ssize_t ktgt_bs_path_store(struct config_item *item, const char *page,
				  size_t count)
{
	struct ktgt_backstore *bs = to_bs(item);
	char path[KTGT_BS_PATH_MAX];
	int ret;

	ret = ktgt_cfg_str("path", page, count, path, sizeof(path));
	if (ret)
		return ret;
	if (path[0] != '/') {
		pr_warn("%s/%s: path must be absolute\n", bs->ops->type,
			bs->name);
		return -EINVAL;
	}
	mutex_lock(&ktgt_cfg_mutex);
	ret = ktgt_bs_busy(bs, "path");
	if (!ret)
		strscpy(bs->path, path, sizeof(bs->path));
	mutex_unlock(&ktgt_cfg_mutex);
	return ret ? ret : count;
}

static int ktgt_bs_enable(struct ktgt_backstore *bs)
{
	int ret;

	lockdep_assert_held(&ktgt_cfg_mutex);
	if (bs->ops == &ktgt_ram_ops && !bs->size) {
		pr_warn("%s/%s: set size first\n", bs->ops->type, bs->name);
		return -EINVAL;
	}
	if (bs->ops != &ktgt_ram_ops && !bs->path[0]) {
		pr_warn("%s/%s: set path first\n", bs->ops->type, bs->name);
		return -EINVAL;
	}
	ret = bs->ops->enable(bs);
	if (ret)
		return ret;
	if (!bs->size || bs->size % bs->block_size) {
		pr_warn("%s/%s: size %llu is not a non-zero multiple of block_size %u\n",
			bs->ops->type, bs->name, bs->size, bs->block_size);
		bs->ops->disable(bs);
		return -EINVAL;
	}
	bs->enabled = true;
	pr_info("%s/%s enabled: %llu bytes, %u-byte blocks%s\n",
		bs->ops->type, bs->name, bs->size, bs->block_size,
		bs->readonly ? ", read-only" : "");
	return 0;
}

static void ktgt_bs_disable(struct ktgt_backstore *bs)
{
	lockdep_assert_held(&ktgt_cfg_mutex);
	if (!bs->enabled)
		return;
	WARN_ON(bs->lun_users);
	bs->enabled = false;
	bs->ops->disable(bs);
	bs->can_discard = false;
	bs->discard_zeroes = false;
	pr_info("%s/%s disabled\n", bs->ops->type, bs->name);
}

static ssize_t ktgt_bs_enable_show(struct config_item *item, char *page)
{
	return ktgt_bs_show_bool(item, page, &to_bs(item)->enabled);
}

static ssize_t ktgt_bs_enable_store(struct config_item *item,
				    const char *page, size_t count)
{
	struct ktgt_backstore *bs = to_bs(item);
	bool v;
	int ret;

	ret = ktgt_cfg_bool("enable", page, &v);
	if (ret)
		return ret;
	mutex_lock(&ktgt_cfg_mutex);
	if (v == bs->enabled) {
		ret = 0;
	} else if (v) {
		ret = ktgt_bs_enable(bs);
	} else if (bs->lun_users) {
		pr_warn("%s/%s: %u LUN(s) bound; unbind them first\n",
			bs->ops->type, bs->name, bs->lun_users);
		ret = -EBUSY;
	} else {
		ktgt_bs_disable(bs);
	}
	mutex_unlock(&ktgt_cfg_mutex);
	return ret ? ret : count;
}

static ssize_t ktgt_bs_wwn_id_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%016llx\n", to_bs(item)->wwn_id);
}

static ssize_t ktgt_bs_info_show(struct config_item *item, char *page)
{
	struct ktgt_backstore *bs = to_bs(item);
	ssize_t len;

	mutex_lock(&ktgt_cfg_mutex);
	len = scnprintf(page, PAGE_SIZE,
			"type=%s enabled=%d size=%llu block_size=%u readonly=%d luns=%u discard=%d discard_zeroes=%d",
			bs->ops->type, bs->enabled, bs->size, bs->block_size,
			bs->readonly, bs->lun_users, bs->can_discard,
			bs->discard_zeroes);
	if (bs->enabled && bs->ops->info) {
		page[len++] = ' ';
		len += bs->ops->info(bs, page + len, PAGE_SIZE - len - 1);
	}
	len += scnprintf(page + len, PAGE_SIZE - len, "\n");
	mutex_unlock(&ktgt_cfg_mutex);
	return len;
}

CONFIGFS_ATTR(ktgt_bs_, size);
CONFIGFS_ATTR(ktgt_bs_, block_size);
CONFIGFS_ATTR(ktgt_bs_, readonly);
CONFIGFS_ATTR(ktgt_bs_, direct_io);
CONFIGFS_ATTR(ktgt_bs_, path);
CONFIGFS_ATTR(ktgt_bs_, enable);
CONFIGFS_ATTR_RO(ktgt_bs_, wwn_id);
CONFIGFS_ATTR_RO(ktgt_bs_, info);

static struct configfs_attribute *ktgt_ram_attrs[] = {
	&ktgt_bs_attr_size,
	&ktgt_bs_attr_block_size,
	&ktgt_bs_attr_readonly,
	&ktgt_bs_attr_enable,
	&ktgt_bs_attr_wwn_id,
	&ktgt_bs_attr_info,
	NULL,
};

static struct configfs_attribute *ktgt_file_attrs[] = {
	&ktgt_bs_attr_path,
	&ktgt_bs_attr_size,
	&ktgt_bs_attr_block_size,
	&ktgt_bs_attr_readonly,
	&ktgt_bs_attr_direct_io,
	&ktgt_bs_attr_enable,
	&ktgt_bs_attr_wwn_id,
	&ktgt_bs_attr_info,
	NULL,
};

static struct configfs_attribute *ktgt_block_attrs[] = {
	&ktgt_bs_attr_path,
	&ktgt_bs_attr_readonly,
	&ktgt_bs_attr_enable,
	&ktgt_bs_attr_wwn_id,
	&ktgt_bs_attr_info,
	NULL,
};

static void ktgt_bs_release(struct config_item *item)
{
	kfree(to_bs(item));
}

static struct configfs_item_operations ktgt_bs_item_ops = {
	.release	= ktgt_bs_release,
};

static const struct config_item_type ktgt_ram_type = {
	.ct_item_ops	= &ktgt_bs_item_ops,
	.ct_attrs	= ktgt_ram_attrs,
	.ct_owner	= THIS_MODULE,
};

static const struct config_item_type ktgt_file_type = {
	.ct_item_ops	= &ktgt_bs_item_ops,
	.ct_attrs	= ktgt_file_attrs,
	.ct_owner	= THIS_MODULE,
};

static const struct config_item_type ktgt_block_type = {
	.ct_item_ops	= &ktgt_bs_item_ops,
	.ct_attrs	= ktgt_block_attrs,
	.ct_owner	= THIS_MODULE,
};

/* ---- mkdir/rmdir --------------------------------------------------- */

static int ktgt_bs_name_valid(const char *name)
{
	size_t len = strlen(name), i;

	if (len >= KTGT_BS_NAME_MAX) {
		pr_warn("backstore name longer than %d bytes\n",
			KTGT_BS_NAME_MAX - 1);
		return -ENAMETOOLONG;
	}
	for (i = 0; i < len; i++) {
		if (!isalnum(name[i]) && name[i] != '_' && name[i] != '-' &&
		    name[i] != '.') {
			pr_warn("backstore name '%s': use letters, digits, '_', '-', '.'\n",
				name);
			return -EINVAL;
		}
	}
	return 0;
}

static struct config_group *ktgt_bs_make(struct config_group *group,
					 const char *name)
{
	struct ktgt_bs_type_group *tg =
		container_of(group, struct ktgt_bs_type_group, group);
	struct ktgt_backstore *bs;
	int ret;

	ret = ktgt_bs_name_valid(name);
	if (ret)
		return ERR_PTR(ret);
	bs = kzalloc(sizeof(*bs), GFP_KERNEL);
	if (!bs)
		return ERR_PTR(-ENOMEM);
	bs->ops = tg->ops;
	strscpy(bs->name, name, sizeof(bs->name));
	bs->block_size = 512;
	bs->wwn_id = get_random_u64();
	config_group_init_type_name(&bs->group, name, tg->item_type);

	mutex_lock(&ktgt_cfg_mutex);
	list_add_tail(&bs->node, &ktgt_backstores);
	mutex_unlock(&ktgt_cfg_mutex);
	return &bs->group;
}

static void ktgt_bs_drop(struct config_group *group, struct config_item *item)
{
	struct ktgt_backstore *bs = to_bs(item);

	mutex_lock(&ktgt_cfg_mutex);
	/* configfs refused the rmdir while a LUN depended on us. */
	WARN_ON(bs->lun_users);
	ktgt_bs_disable(bs);
	list_del(&bs->node);
	mutex_unlock(&ktgt_cfg_mutex);
	config_item_put(item);
}

static struct configfs_group_operations ktgt_bs_type_ops = {
	.make_group	= ktgt_bs_make,
	.drop_item	= ktgt_bs_drop,
};

static const struct config_item_type ktgt_bs_type_type = {
	.ct_group_ops	= &ktgt_bs_type_ops,
	.ct_owner	= THIS_MODULE,
};

static struct ktgt_bs_type_group ktgt_bs_types[] = {
	{ .ops = &ktgt_ram_ops, .item_type = &ktgt_ram_type },
	{ .ops = &ktgt_file_ops, .item_type = &ktgt_file_type },
	{ .ops = &ktgt_block_ops, .item_type = &ktgt_block_type },
};

void ktgt_backstores_init(struct config_group *parent)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ktgt_bs_types); i++) {
		struct ktgt_bs_type_group *tg = &ktgt_bs_types[i];

		config_group_init_type_name(&tg->group, tg->ops->type,
					    &ktgt_bs_type_type);
		configfs_add_default_group(&tg->group, parent);
	}
}

/* ---- binding to LUNs ----------------------------------------------- */

/* "ram/disk0" -> the backstore, or NULL. */
struct ktgt_backstore *ktgt_bs_lookup(const char *spec)
{
	struct ktgt_backstore *bs;
	const char *slash = strchr(spec, '/');
	size_t tlen;

	lockdep_assert_held(&ktgt_cfg_mutex);
	if (!slash)
		return NULL;
	tlen = slash - spec;
	list_for_each_entry(bs, &ktgt_backstores, node)
		if (strlen(bs->ops->type) == tlen &&
		    !strncmp(bs->ops->type, spec, tlen) &&
		    !strcmp(bs->name, slash + 1))
			return bs;
	return NULL;
}

/* A LUN starts using @bs: it must be enabled, and is pinned in configfs. */
int ktgt_bs_bind(struct ktgt_backstore *bs)
{
	int ret;

	lockdep_assert_held(&ktgt_cfg_mutex);
	if (!bs->enabled) {
		pr_warn("%s/%s: not enabled; write 1 to its enable first\n",
			bs->ops->type, bs->name);
		return -ENODEV;
	}
	ret = configfs_depend_item_unlocked(&ktgt_subsys, &bs->group.cg_item);
	if (ret) {
		pr_warn("%s/%s: being removed\n", bs->ops->type, bs->name);
		return ret;
	}
	bs->lun_users++;
	return 0;
}

void ktgt_bs_unbind(struct ktgt_backstore *bs)
{
	lockdep_assert_held(&ktgt_cfg_mutex);
	WARN_ON(!bs->lun_users);
	bs->lun_users--;
	configfs_undepend_item(&bs->group.cg_item);
}
