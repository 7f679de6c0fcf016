// SPDX-License-Identifier: GPL-2.0
/*
 * The configfs root: /sys/kernel/config/ktgt/ (layout in docs/configfs.md).
 *
 * The root carries read-only facts (version, registered transports) and
 * the default groups under which admins create objects with mkdir:
 * backstores/{ram,file,block} (cfg_backstore.c), targets (cfg_target.c)
 * and discovery_auth (cfg_auth.c).
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>
#include <linux/configfs.h>

#include <ktgt/transport.h>
#include "core.h"
#include "session.h"

/* The shape of the configuration tree and its attributes (config.h). */
DEFINE_MUTEX(ktgt_cfg_mutex);

static ssize_t ktgt_root_version_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n", KTGT_VERSION);
}

static ssize_t ktgt_root_transports_show(struct config_item *item,
					 char *page)
{
	return ktgt_transport_list(page, PAGE_SIZE);
}

/*
 * Admission limits before login (admit.c): global, since a connection in
 * login belongs to no TPG yet. Applied to connections accepted after the
 * write; the login timer of one already running keeps its value.
 */
static ssize_t ktgt_root_u32_store(const char *what, u32 *field,
				   const char *page, size_t count, u32 min,
				   u32 max)
{
	u32 v;
	int ret;

	ret = ktgt_cfg_u32(what, page, min, max, &v);
	if (ret)
		return ret;
	mutex_lock(&ktgt_cfg_mutex);
	WRITE_ONCE(*field, v);
	mutex_unlock(&ktgt_cfg_mutex);
	return count;
}

#define KTGT_ROOT_U32(_name, _var, _min, _max)				\
static u32 * const ktgt_root_var_##_name = &(_var);			\
static ssize_t ktgt_root_##_name##_show(struct config_item *item,	\
					char *page)			\
{									\
	return sysfs_emit(page, "%u\n",				\
			  READ_ONCE(*ktgt_root_var_##_name));		\
}									\
static ssize_t ktgt_root_##_name##_store(struct config_item *item,	\
					 const char *page, size_t count)\
{									\
	return ktgt_root_u32_store(#_name, ktgt_root_var_##_name, page,	\
				   count, _min, _max);			\
}									\
CONFIGFS_ATTR(ktgt_root_, _name)

KTGT_ROOT_U32(login_timeout, ktgt_login_timeout, 1, 3600);
KTGT_ROOT_U32(prelogin_max_per_portal, ktgt_prelogin_max_per_portal, 1,
	      65535);
KTGT_ROOT_U32(prelogin_max_per_source, ktgt_prelogin_max_per_source, 1,
	      65535);

CONFIGFS_ATTR_RO(ktgt_root_, version);
CONFIGFS_ATTR_RO(ktgt_root_, transports);

static struct configfs_attribute *ktgt_root_attrs[] = {
	&ktgt_root_attr_version,
	&ktgt_root_attr_transports,
	&ktgt_root_attr_login_timeout,
	&ktgt_root_attr_prelogin_max_per_portal,
	&ktgt_root_attr_prelogin_max_per_source,
	NULL,
};

static const struct config_item_type ktgt_root_type = {
	.ct_attrs	= ktgt_root_attrs,
	.ct_owner	= THIS_MODULE,
};

/* Plain containers; the object groups below them come with their files. */
static const struct config_item_type ktgt_container_type = {
	.ct_owner	= THIS_MODULE,
};

struct configfs_subsystem ktgt_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf	= "ktgt",
			.ci_type	= &ktgt_root_type,
		},
	},
};

static struct config_group ktgt_backstores_group;
static struct config_group ktgt_targets_group;

int ktgt_configfs_init(void)
{
	struct config_group *root = &ktgt_subsys.su_group;
	int ret;

	config_group_init(root);
	mutex_init(&ktgt_subsys.su_mutex);

	config_group_init_type_name(&ktgt_backstores_group, "backstores",
				    &ktgt_container_type);
	configfs_add_default_group(&ktgt_backstores_group, root);
	ktgt_backstores_init(&ktgt_backstores_group);
	config_group_init_type_name(&ktgt_targets_group, "targets",
				    &ktgt_targets_type);
	configfs_add_default_group(&ktgt_targets_group, root);
	ktgt_discovery_auth_init(root);

	ret = configfs_register_subsystem(&ktgt_subsys);
	if (ret)
		pr_err("cannot register configfs subsystem: %d\n", ret);
	return ret;
}

void ktgt_configfs_exit(void)
{
	configfs_unregister_subsystem(&ktgt_subsys);
}
