// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_iser: rdma_cm listeners and connections.
 *
 * Not yet able to carry a session: portals are refused with -EOPNOTSUPP
 * until the RDMA datamover lands (issue 4).
 */
#include <linux/errno.h>

#include <ktgt/transport.h>
#include "iser.h"

int ktgt_iser_add_portal(struct ktgt_np *np)
{
	return -EOPNOTSUPP;
}

void ktgt_iser_remove_portal(struct ktgt_np *np)
{
}

int ktgt_iser_queue_pdu(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	return -EOPNOTSUPP;
}

int ktgt_iser_put_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	return -EOPNOTSUPP;
}

int ktgt_iser_get_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd)
{
	return -EOPNOTSUPP;
}

void ktgt_iser_release_conn(struct ktgt_conn *conn)
{
}
