// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_tcp: the iSCSI TCP transport. Module entry and the ops table.
 */
#define pr_fmt(fmt) "ktgt_tcp: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <ktgt/transport.h>
#include "tcp.h"

/* Runs every connection's io_work and the listeners' accept work. */
struct workqueue_struct *ktgt_tcp_wq;
struct kmem_cache *ktgt_tcp_conn_cache;

static const struct ktgt_transport_ops ktgt_tcp_ops = {
	.name		= "tcp",
	.owner		= THIS_MODULE,
	.add_portal	= ktgt_tcp_add_portal,
	.remove_portal	= ktgt_tcp_remove_portal,
	.queue_pdu	= ktgt_tcp_queue_pdu,
	.queue_light	= ktgt_tcp_queue_light,
	.put_data	= ktgt_tcp_put_data,
	.get_data	= ktgt_tcp_get_data,
	.abort_cmd	= ktgt_tcp_abort_cmd,
	.resend_r2t	= ktgt_tcp_resend_r2t,
	.data_snack	= ktgt_tcp_data_snack,
	.recover_data	= ktgt_tcp_recover_data,
	.reassign_cmd	= ktgt_tcp_reassign_cmd,
	.stop_conn	= ktgt_tcp_stop_conn,
	.release_conn	= ktgt_tcp_release_conn,
	.cmd_priv_size	= sizeof(struct ktgt_tcp_cmd),
	.light_priv_size = sizeof(struct ktgt_tcp_tx),
	.status_in_data_in = true,
};

static int __init ktgt_tcp_init(void)
{
	int ret;

	ktgt_tcp_conn_cache = KMEM_CACHE(ktgt_tcp_conn, 0);
	if (!ktgt_tcp_conn_cache)
		return -ENOMEM;
	ktgt_tcp_wq = alloc_workqueue("ktgt_tcp", WQ_MEM_RECLAIM | WQ_HIGHPRI, 0);
	if (!ktgt_tcp_wq) {
		kmem_cache_destroy(ktgt_tcp_conn_cache);
		return -ENOMEM;
	}
	ktgt_tcp_fault_init();
	ret = ktgt_transport_register(&ktgt_tcp_ops);
	if (ret) {
		ktgt_tcp_fault_exit();
		destroy_workqueue(ktgt_tcp_wq);
		kmem_cache_destroy(ktgt_tcp_conn_cache);
	}
	return ret;
}

static void __exit ktgt_tcp_exit(void)
{
	/* Portals and connections pin this module: none is left here. */
	ktgt_transport_unregister(&ktgt_tcp_ops);
	ktgt_tcp_fault_exit();
	destroy_workqueue(ktgt_tcp_wq);
	kmem_cache_destroy(ktgt_tcp_conn_cache);
}

module_init(ktgt_tcp_init);
module_exit(ktgt_tcp_exit);

MODULE_DESCRIPTION("ktgt iSCSI target: TCP transport");
MODULE_LICENSE("GPL");
MODULE_SOFTDEP("pre: crc32c");
