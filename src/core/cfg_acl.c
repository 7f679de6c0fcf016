// SPDX-License-Identifier: GPL-2.0
/*
 * tpgt_N/acls/<initiator name>: which initiators may log in to a TPG
 * (unless generate_node_acls), their CHAP credentials (auth/) and the
 * LUNs they see (luns/lun_<M>: mapped LUN M shows TPG LUN "tpg_lun").
 *
 * acl->luns is read by the data path under RCU (ktgt_lun_get) and
 * changed under ktgt_cfg_mutex; a mapping is freed after a grace period.
 * A new mapping lun_M points at TPG LUN M until tpg_lun is written. A
 * mapping whose TPG LUN is missing or unbound is not visible.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "core.h"

static struct ktgt_acl *to_acl(struct config_item *item)
{
	return container_of(to_config_group(item), struct ktgt_acl, group);
}

static struct ktgt_acl_lun *to_acl_lun(struct config_item *item)
{
	return container_of(to_config_group(item), struct ktgt_acl_lun,
			    group);
}

void ktgt_acl_get(struct ktgt_acl *acl)
{
	config_item_get(&acl->group.cg_item);
}

void ktgt_acl_put(struct ktgt_acl *acl)
{
	config_item_put(&acl->group.cg_item);
}

struct ktgt_acl *ktgt_acl_find(struct ktgt_tpg *tpg, const char *initiator)
{
	struct ktgt_acl *acl;

	lockdep_assert_held(&ktgt_cfg_mutex);
	list_for_each_entry(acl, &tpg->acls, node)
		if (!strcmp(acl->initiator, initiator))
			return acl;
	return NULL;
}

/* ---- acls/<name>/luns/lun_M ---------------------------------------- */

static ssize_t ktgt_acl_lun_tpg_lun_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%llu\n", READ_ONCE(to_acl_lun(item)->tpg_lun));
}

static ssize_t ktgt_acl_lun_tpg_lun_store(struct config_item *item,
					  const char *page, size_t count)
{
	struct ktgt_acl_lun *alun = to_acl_lun(item);
	u32 v;
	int ret;

	ret = ktgt_cfg_u32("tpg_lun", page, 0, KTGT_MAX_LUNS - 1, &v);
	if (ret)
		return ret;
	mutex_lock(&ktgt_cfg_mutex);
	if (!ktgt_tpg_lun_find(alun->acl->tpg, v)) {
		pr_warn("tpg_lun: %s tpgt %u has no lun_%u\n",
			alun->acl->tpg->target->name, alun->acl->tpg->tpgt, v);
		ret = -ENOENT;
	} else {
		WRITE_ONCE(alun->tpg_lun, v);
	}
	mutex_unlock(&ktgt_cfg_mutex);
	return ret ? ret : count;
}

static ssize_t ktgt_acl_lun_readonly_show(struct config_item *item,
					  char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_acl_lun(item)->readonly));
}

static ssize_t ktgt_acl_lun_readonly_store(struct config_item *item,
					   const char *page, size_t count)
{
	bool v;
	int ret;

	ret = ktgt_cfg_bool("readonly", page, &v);
	if (ret)
		return ret;
	mutex_lock(&ktgt_cfg_mutex);
	WRITE_ONCE(to_acl_lun(item)->readonly, v);
	mutex_unlock(&ktgt_cfg_mutex);
	return count;
}

CONFIGFS_ATTR(ktgt_acl_lun_, tpg_lun);
CONFIGFS_ATTR(ktgt_acl_lun_, readonly);

static struct configfs_attribute *ktgt_acl_lun_attrs[] = {
	&ktgt_acl_lun_attr_tpg_lun,
	&ktgt_acl_lun_attr_readonly,
	NULL,
};

static void ktgt_acl_lun_release(struct config_item *item)
{
	struct ktgt_acl_lun *alun = to_acl_lun(item);

	/* The data path may still hold it from acl->luns. */
	kfree_rcu(alun, rcu);
}

static struct configfs_item_operations ktgt_acl_lun_item_ops = {
	.release	= ktgt_acl_lun_release,
};

static const struct config_item_type ktgt_acl_lun_type = {
	.ct_item_ops	= &ktgt_acl_lun_item_ops,
	.ct_attrs	= ktgt_acl_lun_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *ktgt_acl_lun_make(struct config_group *group,
					      const char *name)
{
	struct ktgt_acl *acl = container_of(group, struct ktgt_acl,
					    luns_group);
	struct ktgt_acl_lun *alun;
	u32 n;
	int ret;

	ret = ktgt_cfg_index(name, "lun_", 0, KTGT_MAX_LUNS - 1, &n);
	if (ret)
		return ERR_PTR(ret);
	alun = kzalloc(sizeof(*alun), GFP_KERNEL);
	if (!alun)
		return ERR_PTR(-ENOMEM);
	alun->acl = acl;
	alun->mapped_lun = n;
	alun->tpg_lun = n;

	mutex_lock(&ktgt_cfg_mutex);
	ret = xa_insert(&acl->luns, n, alun, GFP_KERNEL);
	mutex_unlock(&ktgt_cfg_mutex);
	if (ret) {
		kfree(alun);
		return ERR_PTR(ret);
	}
	config_group_init_type_name(&alun->group, name, &ktgt_acl_lun_type);
	return &alun->group;
}

static void ktgt_acl_lun_drop(struct config_group *group,
			      struct config_item *item)
{
	struct ktgt_acl_lun *alun = to_acl_lun(item);

	mutex_lock(&ktgt_cfg_mutex);
	xa_erase(&alun->acl->luns, alun->mapped_lun);
	mutex_unlock(&ktgt_cfg_mutex);
	config_item_put(item);
}

static struct configfs_group_operations ktgt_acl_luns_group_ops = {
	.make_group	= ktgt_acl_lun_make,
	.drop_item	= ktgt_acl_lun_drop,
};

static const struct config_item_type ktgt_acl_luns_type = {
	.ct_group_ops	= &ktgt_acl_luns_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* ---- acls/<name> ---------------------------------------------------- */

static void ktgt_acl_release(struct config_item *item)
{
	struct ktgt_acl *acl = to_acl(item);

	WARN_ON(!xa_empty(&acl->luns));
	xa_destroy(&acl->luns);
	kfree_sensitive(acl);	/* CHAP secrets */
}

static struct configfs_item_operations ktgt_acl_item_ops = {
	.release	= ktgt_acl_release,
};

static const struct config_item_type ktgt_acl_type = {
	.ct_item_ops	= &ktgt_acl_item_ops,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *ktgt_acl_make(struct config_group *group,
					  const char *name)
{
	struct ktgt_tpg *tpg = container_of(group, struct ktgt_tpg,
					    acls_group);
	struct ktgt_acl *acl;
	int ret;

	ret = ktgt_cfg_iscsi_name(name);
	if (ret)
		return ERR_PTR(ret);
	acl = kzalloc(sizeof(*acl), GFP_KERNEL);
	if (!acl)
		return ERR_PTR(-ENOMEM);
	acl->tpg = tpg;
	strscpy(acl->initiator, name, sizeof(acl->initiator));
	xa_init(&acl->luns);
	config_group_init_type_name(&acl->group, name, &ktgt_acl_type);
	ktgt_auth_init_group(&acl->auth, &acl->group);
	config_group_init_type_name(&acl->luns_group, "luns",
				    &ktgt_acl_luns_type);
	configfs_add_default_group(&acl->luns_group, &acl->group);

	mutex_lock(&ktgt_cfg_mutex);
	list_add_tail(&acl->node, &tpg->acls);
	mutex_unlock(&ktgt_cfg_mutex);
	return &acl->group;
}

static void ktgt_acl_drop(struct config_group *group, struct config_item *item)
{
	struct ktgt_acl *acl = to_acl(item);

	mutex_lock(&ktgt_cfg_mutex);
	list_del(&acl->node);
	mutex_unlock(&ktgt_cfg_mutex);
	config_item_put(item);
}

static struct configfs_group_operations ktgt_acls_group_ops = {
	.make_group	= ktgt_acl_make,
	.drop_item	= ktgt_acl_drop,
};

const struct config_item_type ktgt_acls_type = {
	.ct_group_ops	= &ktgt_acls_group_ops,
	.ct_owner	= THIS_MODULE,
};
