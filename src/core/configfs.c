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

CONFIGFS_ATTR_RO(ktgt_root_, version);
CONFIGFS_ATTR_RO(ktgt_root_, transports);

static struct configfs_attribute *ktgt_root_attrs[] = {
	&ktgt_root_attr_version,
	&ktgt_root_attr_transports,
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
