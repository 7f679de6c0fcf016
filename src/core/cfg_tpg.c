// SPDX-License-Identifier: GPL-2.0
/*
 * targets/<name>/tpgt_<N>: target portal groups, their enable and attrib/
 * attributes, and the login path's look-ups: ktgt_tpg_find() and the
 * SendTargets iterator ktgt_visible_targets().
 *
 * A TPG's default groups: attrib/, param/ (cfg_param.c), auth/
 * (cfg_auth.c), portals/ (cfg_portal.c), luns/ (cfg_lun.c) and acls/
 * (cfg_acl.c). configfs refuses rmdir while any of them has children.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "core.h"
#include "session.h"

#define KTGT_NOPIN_MAX	3600	/* seconds */

static struct ktgt_tpg *to_tpg(struct config_item *item)
{
	return container_of(to_config_group(item), struct ktgt_tpg, group);
}

void ktgt_tpg_get(struct ktgt_tpg *tpg)
{
	config_item_get(&tpg->group.cg_item);
}

void ktgt_tpg_put(struct ktgt_tpg *tpg)
{
	config_item_put(&tpg->group.cg_item);
}

/* ---- tpgt_N/enable ------------------------------------------------- */

static ssize_t ktgt_tpg_enable_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_tpg(item)->enabled));
}

static ssize_t ktgt_tpg_enable_store(struct config_item *item,
				     const char *page, size_t count)
{
	struct ktgt_tpg *tpg = to_tpg(item);
	bool v, disabled;
	int ret;

	ret = ktgt_cfg_bool("enable", page, &v);
	if (ret)
		return ret;
	mutex_lock(&ktgt_cfg_mutex);
	disabled = tpg->enabled && !v;
	if (tpg->enabled != v)
		pr_info("%s tpgt %u %s\n", tpg->target->name, tpg->tpgt,
			v ? "enabled" : "disabled");
	WRITE_ONCE(tpg->enabled, v);
	mutex_unlock(&ktgt_cfg_mutex);
	/* Not under ktgt_cfg_mutex: ktgt_sess_mutex is never taken inside it. */
	if (disabled)
		ktgt_sess_tpg_disabled(tpg);
	return count;
}

CONFIGFS_ATTR(ktgt_tpg_, enable);

static struct configfs_attribute *ktgt_tpg_attrs[] = {
	&ktgt_tpg_attr_enable,
	NULL,
};

static void ktgt_tpg_release(struct config_item *item)
{
	struct ktgt_tpg *tpg = to_tpg(item);

	WARN_ON(!xa_empty(&tpg->luns));
	xa_destroy(&tpg->luns);
	kfree(tpg);
}

static struct configfs_item_operations ktgt_tpg_item_ops = {
	.release	= ktgt_tpg_release,
};

static const struct config_item_type ktgt_tpg_type = {
	.ct_item_ops	= &ktgt_tpg_item_ops,
	.ct_attrs	= ktgt_tpg_attrs,
	.ct_owner	= THIS_MODULE,
};

/* ---- attrib/ ------------------------------------------------------- */

static struct ktgt_tpg *attrib_to_tpg(struct config_item *item)
{
	return container_of(to_config_group(item), struct ktgt_tpg,
			    attrib_group);
}

static ssize_t ktgt_attrib_show(struct config_item *item, char *page,
				size_t off, bool is_bool)
{
	void *field = (char *)&attrib_to_tpg(item)->attrib + off;

	if (is_bool)
		return sysfs_emit(page, "%d\n", READ_ONCE(*(bool *)field));
	return sysfs_emit(page, "%u\n", READ_ONCE(*(u32 *)field));
}

static ssize_t ktgt_attrib_store(struct config_item *item, const char *what,
				 const char *page, size_t count, size_t off,
				 bool is_bool, u32 min, u32 max)
{
	void *field = (char *)&attrib_to_tpg(item)->attrib + off;
	bool b = false;
	u32 v = 0;
	int ret;

	if (is_bool)
		ret = ktgt_cfg_bool(what, page, &b);
	else
		ret = ktgt_cfg_u32(what, page, min, max, &v);
	if (ret)
		return ret;
	mutex_lock(&ktgt_cfg_mutex);
	if (is_bool)
		WRITE_ONCE(*(bool *)field, b);
	else
		WRITE_ONCE(*(u32 *)field, v);
	mutex_unlock(&ktgt_cfg_mutex);
	return count;
}

/* _bool: the field is a bool (else u32 in _min.._max). */
#define KTGT_ATTRIB(_name, _bool, _min, _max)				\
static const size_t ktgt_attrib_off_##_name =				\
	offsetof(struct ktgt_tpg_attrib, _name);			\
static const bool ktgt_attrib_bool_##_name = _bool;			\
static ssize_t ktgt_attrib_##_name##_show(struct config_item *item,	\
					  char *page)			\
{									\
	return ktgt_attrib_show(item, page, ktgt_attrib_off_##_name,	\
				ktgt_attrib_bool_##_name);		\
}									\
static ssize_t ktgt_attrib_##_name##_store(struct config_item *item,	\
					   const char *page, size_t count) \
{									\
	return ktgt_attrib_store(item, #_name, page, count,		\
				 ktgt_attrib_off_##_name,		\
				 ktgt_attrib_bool_##_name, _min, _max);	\
}									\
static struct configfs_attribute ktgt_attrib_attr_##_name = {		\
	.ca_name	= #_name,					\
	.ca_mode	= 0644,						\
	.ca_owner	= THIS_MODULE,					\
	.show		= ktgt_attrib_##_name##_show,			\
	.store		= ktgt_attrib_##_name##_store,			\
}

KTGT_ATTRIB(authentication, true, 0, 1);
KTGT_ATTRIB(generate_node_acls, true, 0, 1);
KTGT_ATTRIB(demo_mode_write_protect, true, 0, 1);
KTGT_ATTRIB(nopin_interval, false, 0, KTGT_NOPIN_MAX);
KTGT_ATTRIB(nopin_timeout, false, 1, KTGT_NOPIN_MAX);
KTGT_ATTRIB(tmr_cold_reset, true, 0, 1);
KTGT_ATTRIB(cmdsn_depth, false, 1, KTGT_CMDSN_DEPTH_MAX);
KTGT_ATTRIB(session_data_mb, false, 1, 65536);
KTGT_ATTRIB(dataout_timeout, false, 1, 3600);
KTGT_ATTRIB(tx_backlog_kb, false, 64, 1024 * 1024);
KTGT_ATTRIB(status_retain_max, false, 1, KTGT_STATUS_RETAIN_MAX);

static struct configfs_attribute *ktgt_attrib_attrs[] = {
	&ktgt_attrib_attr_authentication,
	&ktgt_attrib_attr_generate_node_acls,
	&ktgt_attrib_attr_demo_mode_write_protect,
	&ktgt_attrib_attr_nopin_interval,
	&ktgt_attrib_attr_nopin_timeout,
	&ktgt_attrib_attr_tmr_cold_reset,
	&ktgt_attrib_attr_cmdsn_depth,
	&ktgt_attrib_attr_session_data_mb,
	&ktgt_attrib_attr_dataout_timeout,
	&ktgt_attrib_attr_tx_backlog_kb,
	&ktgt_attrib_attr_status_retain_max,
	NULL,
};

static const struct config_item_type ktgt_attrib_type = {
	.ct_attrs	= ktgt_attrib_attrs,
	.ct_owner	= THIS_MODULE,
};

/* ---- mkdir/rmdir of tpgt_N ------------------------------------------ */

struct config_group *ktgt_tpg_make(struct ktgt_target *target,
				   const char *name)
{
	struct ktgt_tpg *tpg;
	u32 tpgt;
	int ret;

	ret = ktgt_cfg_index(name, "tpgt_", 1, 65535, &tpgt);
	if (ret)
		return ERR_PTR(ret);
	tpg = kzalloc(sizeof(*tpg), GFP_KERNEL);
	if (!tpg)
		return ERR_PTR(-ENOMEM);
	tpg->target = target;
	tpg->tpgt = tpgt;
	INIT_LIST_HEAD(&tpg->portals);
	INIT_LIST_HEAD(&tpg->acls);
	INIT_LIST_HEAD(&tpg->lun_objs);
	xa_init(&tpg->luns);
	tpg->attrib.demo_mode_write_protect = true;
	tpg->attrib.nopin_interval = 5;
	tpg->attrib.nopin_timeout = 30;
	tpg->attrib.cmdsn_depth = KTGT_CMDSN_DEPTH_DEFAULT;
	tpg->attrib.session_data_mb = 256;
	tpg->attrib.dataout_timeout = 20;
	tpg->attrib.tx_backlog_kb = KTGT_TX_BACKLOG_DEFAULT / 1024;
	tpg->attrib.status_retain_max = KTGT_STATUS_RETAIN_DEFAULT;
	ktgt_tpg_params_init(tpg);

	config_group_init_type_name(&tpg->group, name, &ktgt_tpg_type);
	config_group_init_type_name(&tpg->attrib_group, "attrib",
				    &ktgt_attrib_type);
	configfs_add_default_group(&tpg->attrib_group, &tpg->group);
	config_group_init_type_name(&tpg->param_group, "param",
				    &ktgt_tpg_param_type);
	configfs_add_default_group(&tpg->param_group, &tpg->group);
	ktgt_auth_init_group(&tpg->auth, &tpg->group);
	config_group_init_type_name(&tpg->portals_group, "portals",
				    &ktgt_portals_type);
	configfs_add_default_group(&tpg->portals_group, &tpg->group);
	config_group_init_type_name(&tpg->luns_group, "luns", &ktgt_luns_type);
	configfs_add_default_group(&tpg->luns_group, &tpg->group);
	config_group_init_type_name(&tpg->acls_group, "acls", &ktgt_acls_type);
	configfs_add_default_group(&tpg->acls_group, &tpg->group);

	mutex_lock(&ktgt_cfg_mutex);
	list_add_tail(&tpg->node, &target->tpgs);
	mutex_unlock(&ktgt_cfg_mutex);
	return &tpg->group;
}

void ktgt_tpg_drop(struct ktgt_tpg *tpg)
{
	mutex_lock(&ktgt_cfg_mutex);
	/* configfs refused the rmdir while portals, LUNs or ACLs existed. */
	WARN_ON(!list_empty(&tpg->portals) || !list_empty(&tpg->acls) ||
		!list_empty(&tpg->lun_objs));
	WRITE_ONCE(tpg->enabled, false);
	list_del(&tpg->node);
	mutex_unlock(&ktgt_cfg_mutex);
	config_item_put(&tpg->group.cg_item);
}

/* ---- look-ups for the login path ------------------------------------ */

struct ktgt_tpg *ktgt_tpg_find(const char *target_name,
			       const struct sockaddr_storage *local, u16 *tpgt)
{
	struct ktgt_tpg_portal *portal;
	struct ktgt_target *t;
	struct ktgt_tpg *tpg;

	lockdep_assert_held(&ktgt_cfg_mutex);
	list_for_each_entry(t, &ktgt_targets, node) {
		if (strcmp(t->name, target_name))
			continue;
		list_for_each_entry(tpg, &t->tpgs, node) {
			if (!tpg->enabled)
				continue;
			list_for_each_entry(portal, &tpg->portals, node) {
				if (ktgt_portal_matches(portal, local)) {
					*tpgt = tpg->tpgt;
					return tpg;
				}
			}
		}
		return NULL;
	}
	return NULL;
}

/* May @initiator log in to @tpg at all (ACL or demo mode)? */
static bool ktgt_tpg_visible(struct ktgt_tpg *tpg, const char *initiator)
{
	return tpg->enabled && !list_empty(&tpg->portals) &&
	       (tpg->attrib.generate_node_acls ||
		ktgt_acl_find(tpg, initiator));
}

int ktgt_visible_targets(const char *initiator,
			 const struct sockaddr_storage *local,
			 ktgt_emit_fn emit, void *arg)
{
	struct ktgt_tpg_portal *portal;
	struct ktgt_target *t;
	struct ktgt_tpg *tpg;
	char addr[64];
	size_t len;
	int ret;

	lockdep_assert_held(&ktgt_cfg_mutex);
	list_for_each_entry(t, &ktgt_targets, node) {
		bool named = false;

		list_for_each_entry(tpg, &t->tpgs, node) {
			if (!ktgt_tpg_visible(tpg, initiator))
				continue;
			if (!named) {
				ret = emit(arg, "TargetName", t->name);
				if (ret)
					return ret;
				named = true;
			}
			list_for_each_entry(portal, &tpg->portals, node) {
				ktgt_portal_address(portal, local, addr,
						    sizeof(addr));
				len = strlen(addr);
				scnprintf(addr + len, sizeof(addr) - len,
					  ",%u", tpg->tpgt);
				ret = emit(arg, "TargetAddress", addr);
				if (ret)
					return ret;
			}
		}
	}
	return 0;
}
