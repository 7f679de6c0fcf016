// SPDX-License-Identifier: GPL-2.0
/*
 * Registry of transports (TCP, iSER). A transport registers its ops at
 * module load; portals look it up by name and pin its module while they
 * use it, so a transport cannot unload under a live portal.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <ktgt/transport.h>
#include "core.h"

struct ktgt_transport_entry {
	struct list_head node;
	const struct ktgt_transport_ops *ops;
};

/* Protects ktgt_transports; held only for registration and look-ups. */
static DEFINE_MUTEX(ktgt_transport_mutex);
static LIST_HEAD(ktgt_transports);

static struct ktgt_transport_entry *ktgt_transport_find(const char *name)
{
	struct ktgt_transport_entry *e;

	lockdep_assert_held(&ktgt_transport_mutex);
	list_for_each_entry(e, &ktgt_transports, node)
		if (!strcmp(e->ops->name, name))
			return e;
	return NULL;
}

int ktgt_transport_register(const struct ktgt_transport_ops *ops)
{
	struct ktgt_transport_entry *e;
	int ret = 0;

	if (!ops->name || !ops->add_portal || !ops->remove_portal ||
	    !ops->queue_pdu || !ops->queue_light || !ops->put_data ||
	    !ops->get_data || !ops->abort_cmd || !ops->stop_conn ||
	    !ops->release_conn)
		return -EINVAL;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->ops = ops;

	mutex_lock(&ktgt_transport_mutex);
	if (ktgt_transport_find(ops->name)) {
		ret = -EEXIST;
		kfree(e);
	} else {
		list_add_tail(&e->node, &ktgt_transports);
	}
	mutex_unlock(&ktgt_transport_mutex);

	if (!ret)
		pr_info("transport %s registered\n", ops->name);
	return ret;
}
EXPORT_SYMBOL_GPL(ktgt_transport_register);

void ktgt_transport_unregister(const struct ktgt_transport_ops *ops)
{
	struct ktgt_transport_entry *e;

	mutex_lock(&ktgt_transport_mutex);
	e = ktgt_transport_find(ops->name);
	if (e)
		list_del(&e->node);
	mutex_unlock(&ktgt_transport_mutex);

	kfree(e);
	pr_info("transport %s unregistered\n", ops->name);
}
EXPORT_SYMBOL_GPL(ktgt_transport_unregister);

const struct ktgt_transport_ops *ktgt_transport_get(const char *name)
{
	const struct ktgt_transport_ops *ops = NULL;
	struct ktgt_transport_entry *e;

	mutex_lock(&ktgt_transport_mutex);
	e = ktgt_transport_find(name);
	if (e && try_module_get(e->ops->owner))
		ops = e->ops;
	mutex_unlock(&ktgt_transport_mutex);
	return ops;
}
EXPORT_SYMBOL_GPL(ktgt_transport_get);

void ktgt_transport_put(const struct ktgt_transport_ops *ops)
{
	module_put(ops->owner);
}
EXPORT_SYMBOL_GPL(ktgt_transport_put);

ssize_t ktgt_transport_list(char *buf, size_t size)
{
	struct ktgt_transport_entry *e;
	ssize_t len = 0;

	mutex_lock(&ktgt_transport_mutex);
	list_for_each_entry(e, &ktgt_transports, node)
		len += scnprintf(buf + len, size - len, "%s\n", e->ops->name);
	mutex_unlock(&ktgt_transport_mutex);
	return len;
}
