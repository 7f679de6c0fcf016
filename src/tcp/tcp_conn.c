// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_tcp: listeners and connections.
 *
 * Not yet able to carry a session: portals are refused with -EOPNOTSUPP
 * until the receive state machine lands (issue 3).
 */
#include <linux/errno.h>

#include <ktgt/transport.h>
#include "tcp.h"

int ktgt_tcp_add_portal(struct ktgt_portal *portal)
{
	return -EOPNOTSUPP;
}

void ktgt_tcp_remove_portal(struct ktgt_portal *portal)
{
}

int ktgt_tcp_queue_pdu(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	return -EOPNOTSUPP;
}

int ktgt_tcp_put_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	return -EOPNOTSUPP;
}

int ktgt_tcp_get_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	return -EOPNOTSUPP;
}

void ktgt_tcp_release_conn(struct ktgt_conn *conn)
{
}
