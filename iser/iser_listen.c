// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_iser: portal listeners, an rdma_cm id listening on the portal's
 * address. A connection request gets its own id (the child), whose event
 * handler iser_conn.c takes over.
 */
#define pr_fmt(fmt) "ktgt_iser: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include <ktgt/transport.h>
#include "iser.h"

#define KTGT_ISER_BACKLOG	128

static int ktgt_iser_listen_handler(struct rdma_cm_id *id,
				    struct rdma_cm_event *ev)
{
	struct ktgt_iser_listener *l = id->context;
	int ret = 0;

	switch (ev->event) {
	case RDMA_CM_EVENT_CONNECT_REQUEST:
		/* @id is the new connection's; non-zero makes the CM reject it. */
		return ktgt_iser_connect(l, id, ev);
	case RDMA_CM_EVENT_DEVICE_REMOVAL:
		/*
		 * The device our address was on is going away: let the CM
		 * destroy the listener (return 1), unless remove_portal is
		 * destroying it already.
		 */
		spin_lock(&l->lock);
		if (l->id == id) {
			pr_warn("portal %pISpc: device removed, not listening any more\n",
				&l->np->addr);
			l->id = NULL;
			ret = 1;
		}
		/* Last touch of @l: remove_portal may free it from here on. */
		spin_unlock(&l->lock);
		return ret;
	default:
		pr_debug("portal %pISpc: %s\n", &l->np->addr,
			 rdma_event_msg(ev->event));
		return 0;
	}
}

int ktgt_iser_add_portal(struct ktgt_np *np)
{
	struct ktgt_iser_listener *l;
	struct rdma_cm_id *id;
	int ret;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	l->np = np;
	spin_lock_init(&l->lock);

	id = rdma_create_id(&init_net, ktgt_iser_listen_handler, l,
			    RDMA_PS_TCP, IB_QPT_RC);
	if (IS_ERR(id)) {
		ret = PTR_ERR(id);
		goto out_free;
	}
	ret = rdma_set_reuseaddr(id, 1);
	if (ret)
		goto out_id;
	if (np->addr.ss_family == AF_INET6) {
		ret = rdma_set_afonly(id, 1);
		if (ret)
			goto out_id;
	}
	ret = rdma_bind_addr(id, (struct sockaddr *)&np->addr);
	if (ret) {
		pr_warn("cannot bind portal %pISpc: %d (no RDMA device there?)\n",
			&np->addr, ret);
		goto out_id;
	}
	ret = rdma_listen(id, KTGT_ISER_BACKLOG);
	if (ret) {
		pr_warn("cannot listen on %pISpc: %d\n", &np->addr, ret);
		goto out_id;
	}
	l->id = id;
	np->transport_priv = l;
	pr_info("listening on %pISpc\n", &np->addr);
	return 0;

out_id:
	rdma_destroy_id(id);
out_free:
	kfree(l);
	return ret;
}

void ktgt_iser_remove_portal(struct ktgt_np *np)
{
	struct ktgt_iser_listener *l = np->transport_priv;
	struct rdma_cm_id *id;

	spin_lock(&l->lock);
	id = l->id;
	l->id = NULL;
	spin_unlock(&l->lock);
	/* Waits for a running handler; none is called after it. */
	if (id)
		rdma_destroy_id(id);
	np->transport_priv = NULL;
	pr_info("stopped listening on %pISpc\n", &np->addr);
	kfree(l);
}
