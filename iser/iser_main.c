// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_iser: the iSCSI iSER datamover (RFC 7145). Module entry and the ops table.
 */
#include <linux/module.h>

#include <ktgt/transport.h>
#include "iser.h"

static const struct ktgt_transport_ops ktgt_iser_ops = {
	.name		= "iser",
	.owner		= THIS_MODULE,
	.add_portal	= ktgt_iser_add_portal,
	.remove_portal	= ktgt_iser_remove_portal,
	.queue_pdu	= ktgt_iser_queue_pdu,
	.put_data	= ktgt_iser_put_data,
	.get_data	= ktgt_iser_get_data,
	.release_conn	= ktgt_iser_release_conn,
};

static int __init ktgt_iser_init(void)
{
	return ktgt_transport_register(&ktgt_iser_ops);
}

static void __exit ktgt_iser_exit(void)
{
	ktgt_transport_unregister(&ktgt_iser_ops);
}

module_init(ktgt_iser_init);
module_exit(ktgt_iser_exit);

MODULE_DESCRIPTION("ktgt iSCSI target: iSER datamover (RFC 7145)");
MODULE_LICENSE("GPL");
