// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_tcp: the iSCSI TCP transport. Module entry and the ops table.
 */
#include <linux/module.h>

#include <ktgt/transport.h>
#include "tcp.h"

static const struct ktgt_transport_ops ktgt_tcp_ops = {
	.name		= "tcp",
	.owner		= THIS_MODULE,
	.add_portal	= ktgt_tcp_add_portal,
	.remove_portal	= ktgt_tcp_remove_portal,
	.queue_pdu	= ktgt_tcp_queue_pdu,
	.put_data	= ktgt_tcp_put_data,
	.get_data	= ktgt_tcp_get_data,
	.release_conn	= ktgt_tcp_release_conn,
};

static int __init ktgt_tcp_init(void)
{
	return ktgt_transport_register(&ktgt_tcp_ops);
}

static void __exit ktgt_tcp_exit(void)
{
	ktgt_transport_unregister(&ktgt_tcp_ops);
}

module_init(ktgt_tcp_init);
module_exit(ktgt_tcp_exit);

MODULE_DESCRIPTION("ktgt iSCSI target: TCP transport");
MODULE_LICENSE("GPL");
