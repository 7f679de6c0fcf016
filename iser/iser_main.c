// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_iser: the iSCSI iSER datamover (RFC 7145). Module entry and the ops table.
 */
#define pr_fmt(fmt) "ktgt_iser: " fmt

#include <linux/module.h>
#include <linux/workqueue.h>

#include <ktgt/transport.h>
#include "iser.h"

/* Runs every connection's tx_work and teardown_work. */
struct workqueue_struct *ktgt_iser_wq;

static const struct ktgt_transport_ops ktgt_iser_ops = {
	.name		= "iser",
	.owner		= THIS_MODULE,
	.add_portal	= ktgt_iser_add_portal,
	.remove_portal	= ktgt_iser_remove_portal,
	.queue_pdu	= ktgt_iser_queue_pdu,
	.queue_light	= ktgt_iser_queue_light,
	.put_data	= ktgt_iser_put_data,
	.get_data	= ktgt_iser_get_data,
	.abort_cmd	= ktgt_iser_abort_cmd,
	.reassign_cmd	= ktgt_iser_reassign_cmd,
	.reassign_begin	= ktgt_iser_reassign_begin,
	.stop_conn	= ktgt_iser_stop_conn,
	.release_conn	= ktgt_iser_release_conn,
	.cmd_priv_size	= sizeof(struct ktgt_iser_cmd),
	.light_priv_size = sizeof(struct ktgt_iser_send),
};

static int __init ktgt_iser_init(void)
{
	int ret;

	BUILD_BUG_ON(sizeof(struct iser_ctrl) != KTGT_ISER_HDR_LEN);
	ktgt_iser_wq = alloc_workqueue("ktgt_iser",
				       WQ_MEM_RECLAIM | WQ_HIGHPRI, 0);
	if (!ktgt_iser_wq)
		return -ENOMEM;
	ret = ktgt_transport_register(&ktgt_iser_ops);
	if (ret)
		destroy_workqueue(ktgt_iser_wq);
	return ret;
}

static void __exit ktgt_iser_exit(void)
{
	/* Portals and connections pin this module: none is left here. */
	ktgt_transport_unregister(&ktgt_iser_ops);
	destroy_workqueue(ktgt_iser_wq);
}

module_init(ktgt_iser_init);
module_exit(ktgt_iser_exit);

MODULE_DESCRIPTION("ktgt iSCSI target: iSER datamover (RFC 7145)");
MODULE_LICENSE("GPL");
