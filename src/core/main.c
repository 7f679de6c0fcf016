// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_core: the iSCSI target core. Module entry and exit.
 *
 * Load order: the core first, then its transports (they register with
 * it). Unload order is the reverse; module references held by portals and
 * connections make rmmod of a busy transport fail with -EBUSY.
 */
#include <linux/module.h>

#include "core.h"

static int __init ktgt_core_init(void)
{
	int ret;

	ret = ktgt_configfs_init();
	if (ret)
		return ret;
	pr_info("ktgt core %s loaded\n", KTGT_VERSION);
	return 0;
}

static void __exit ktgt_core_exit(void)
{
	ktgt_configfs_exit();
	pr_info("ktgt core unloaded\n");
}

module_init(ktgt_core_init);
module_exit(ktgt_core_exit);

MODULE_DESCRIPTION("ktgt iSCSI target core");
MODULE_LICENSE("GPL");
MODULE_VERSION(KTGT_VERSION);
