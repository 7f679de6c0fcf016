// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_core: the iSCSI target core. Module entry and exit.
 *
 * Load order: the core first, then its transports (they register with
 * it). Unload order is the reverse; module references held by portals and
 * connections make rmmod of a busy transport fail ("in use": the
 * kernel's delete_module() returns -EAGAIN; tcp-reset-load checks it), and
 * configfs holds a reference on the core for every object that exists.
 *
 * Init order: the backstore and execution workqueues, then configfs (which makes the
 * backstores reachable). Exit in reverse: configfs is empty by then, so no
 * backstore is enabled and no I/O is queued.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>

#include "core.h"
#include "../backstore/backstore.h"
#include "session.h"

static int __init ktgt_core_init(void)
{
	int ret;

	ret = ktgt_file_init();
	if (ret)
		return ret;
	ret = ktgt_block_init();
	if (ret)
		goto file_exit;
	ret = ktgt_exec_init();
	if (ret)
		goto block_exit;
	ret = ktgt_configfs_init();
	if (ret)
		goto exec_exit;
	ktgt_respq_debugfs_init();
	pr_info("ktgt core %s loaded\n", KTGT_VERSION);
	return 0;

exec_exit:
	ktgt_exec_exit();
block_exit:
	ktgt_block_exit();
file_exit:
	ktgt_file_exit();
	return ret;
}

static void __exit ktgt_core_exit(void)
{
	ktgt_respq_debugfs_exit();
	ktgt_configfs_exit();
	/*
	 * Portals are gone with configfs, so are their connections; the
	 * exec workqueue's last timers run (and drop their sessions) as it
	 * is destroyed, before the check that no session is left.
	 */
	ktgt_exec_exit();
	ktgt_sessions_shutdown();
	ktgt_block_exit();
	ktgt_file_exit();
	pr_info("ktgt core unloaded\n");
}

module_init(ktgt_core_init);
module_exit(ktgt_core_exit);

MODULE_DESCRIPTION("ktgt iSCSI target core");
MODULE_LICENSE("GPL");
MODULE_VERSION(KTGT_VERSION);
