// SPDX-License-Identifier: GPL-2.0
/*
 * targets/<iSCSI name>: a target is a name and its TPGs (tpgt_N, made in
 * cfg_tpg.c). mkdir validates the name (RFC 7143 section 4.2.7, lower
 * case); rmdir is refused by configfs while TPGs exist.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "core.h"

/* Every target (ktgt_cfg_mutex). */
LIST_HEAD(ktgt_targets);

static struct ktgt_target *to_target(struct config_item *item)
{
	return container_of(to_config_group(item), struct ktgt_target, group);
}

static struct config_group *ktgt_target_make_tpg(struct config_group *group,
						 const char *name)
{
	return ktgt_tpg_make(to_target(&group->cg_item), name);
}

static void ktgt_target_drop_tpg(struct config_group *group,
				 struct config_item *item)
{
	ktgt_tpg_drop(container_of(to_config_group(item), struct ktgt_tpg,
				   group));
}

static void ktgt_target_release(struct config_item *item)
{
	kfree(to_target(item));
}

static struct configfs_item_operations ktgt_target_item_ops = {
	.release	= ktgt_target_release,
};

static struct configfs_group_operations ktgt_target_group_ops = {
	.make_group	= ktgt_target_make_tpg,
	.drop_item	= ktgt_target_drop_tpg,
};

static const struct config_item_type ktgt_target_type = {
	.ct_item_ops	= &ktgt_target_item_ops,
	.ct_group_ops	= &ktgt_target_group_ops,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *ktgt_targets_make(struct config_group *group,
					      const char *name)
{
	struct ktgt_target *t;
	int ret;

	ret = ktgt_cfg_iscsi_name(name);
	if (ret)
		return ERR_PTR(ret);
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return ERR_PTR(-ENOMEM);
	strscpy(t->name, name, sizeof(t->name));
	INIT_LIST_HEAD(&t->tpgs);
	config_group_init_type_name(&t->group, name, &ktgt_target_type);

	mutex_lock(&ktgt_cfg_mutex);
	list_add_tail(&t->node, &ktgt_targets);
	mutex_unlock(&ktgt_cfg_mutex);
	pr_info("target %s created\n", name);
	return &t->group;
}

static void ktgt_targets_drop(struct config_group *group,
			      struct config_item *item)
{
	struct ktgt_target *t = to_target(item);

	mutex_lock(&ktgt_cfg_mutex);
	WARN_ON(!list_empty(&t->tpgs));
	list_del(&t->node);
	mutex_unlock(&ktgt_cfg_mutex);
	pr_info("target %s removed\n", t->name);
	config_item_put(item);
}

static struct configfs_group_operations ktgt_targets_group_ops = {
	.make_group	= ktgt_targets_make,
	.drop_item	= ktgt_targets_drop,
};

const struct config_item_type ktgt_targets_type = {
	.ct_group_ops	= &ktgt_targets_group_ops,
	.ct_owner	= THIS_MODULE,
};
