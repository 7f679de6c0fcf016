// SPDX-License-Identifier: GPL-2.0
/*
 * tpgt_N/portals/<ip>:<port> ("[v6]:port" for IPv6): the addresses a TPG
 * is reached on, and the network portals (struct ktgt_np) behind them.
 *
 * An np is one listener of one transport on one address, shared by every
 * portal that names that address and transport (kref, one per portal).
 * Creating an np pins the transport module and calls its add_portal;
 * dropping the last reference calls remove_portal and unpins it.
 *
 * ktgt_np_mutex protects ktgt_nps and serialises add_portal and
 * remove_portal, which are therefore never called under ktgt_cfg_mutex
 * (a transport may take ktgt_cfg_mutex in them, or wait for a login that
 * does). Lock order: ktgt_np_mutex, then ktgt_cfg_mutex. portal->np is
 * changed with both held, so either one is enough to read it.
 *
 * An np normally listens from creation to release. The exception is a
 * transport switch (ktgt_portal_transport_store()): iWARP listens on the
 * real TCP port, so the TCP listener must be gone before the RDMA one can
 * bind; the old np stops listening first and listens again if the switch
 * fails. If even that fails the np stays, not listening, and the next
 * ktgt_np_get() of it or write of the same transport retries.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/inet.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <net/ipv6.h>

#include <ktgt/transport.h>
#include "core.h"

#define KTGT_DEFAULT_TRANSPORT	"tcp"
#define KTGT_TRANSPORT_NAME_MAX	16

static DEFINE_MUTEX(ktgt_np_mutex);
static LIST_HEAD(ktgt_nps);		/* every np (ktgt_np_mutex) */

static struct ktgt_tpg_portal *to_portal(struct config_item *item)
{
	return container_of(to_config_group(item), struct ktgt_tpg_portal,
			    group);
}

/* ---- addresses ----------------------------------------------------- */

/* "192.0.2.1:3260" or "[2001:db8::1]:3260" -> @ss. */
static int ktgt_portal_parse(const char *name, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	const char *colon, *end;
	u16 port;

	memset(ss, 0, sizeof(*ss));
	if (name[0] == '[') {
		colon = strstr(name, "]:");
		if (!colon || !in6_pton(name + 1, colon - name - 1,
					sin6->sin6_addr.s6_addr, -1, &end) ||
		    end != colon) {
			pr_warn("portal '%s': want [IPv6 address]:port\n", name);
			return -EINVAL;
		}
		colon++;
		sin6->sin6_family = AF_INET6;
	} else {
		colon = strrchr(name, ':');
		if (!colon || !in4_pton(name, colon - name,
					(u8 *)&sin->sin_addr.s_addr, -1, &end) ||
		    end != colon) {
			pr_warn("portal '%s': want IPv4 address:port, or [IPv6 address]:port\n",
				name);
			return -EINVAL;
		}
		sin->sin_family = AF_INET;
	}
	if (kstrtou16(colon + 1, 10, &port) || !port) {
		pr_warn("portal '%s': port must be 1..65535\n", name);
		return -EINVAL;
	}
	if (ss->ss_family == AF_INET6)
		sin6->sin6_port = htons(port);
	else
		sin->sin_port = htons(port);
	return 0;
}

static bool ktgt_addr_equal(const struct sockaddr_storage *a,
			    const struct sockaddr_storage *b)
{
	const struct sockaddr_in6 *a6 = (const void *)a, *b6 = (const void *)b;
	const struct sockaddr_in *a4 = (const void *)a, *b4 = (const void *)b;

	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return a4->sin_port == b4->sin_port &&
		       a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	return a6->sin6_port == b6->sin6_port &&
	       ipv6_addr_equal(&a6->sin6_addr, &b6->sin6_addr);
}

static bool ktgt_addr_is_any(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_addr.s_addr ==
		       htonl(INADDR_ANY);
	return ipv6_addr_any(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

/* A v4-mapped IPv6 address (dual-stack listener) as plain IPv4. */
static void ktgt_addr_normalise(const struct sockaddr_storage *in,
				struct sockaddr_storage *out)
{
	const struct sockaddr_in6 *sin6 = (const void *)in;
	struct sockaddr_in *sin = (void *)out;

	*out = *in;
	if (in->ss_family == AF_INET6 &&
	    ipv6_addr_v4mapped(&sin6->sin6_addr)) {
		memset(out, 0, sizeof(*out));
		sin->sin_family = AF_INET;
		sin->sin_port = sin6->sin6_port;
		sin->sin_addr.s_addr = sin6->sin6_addr.s6_addr32[3];
	}
}

static __be16 ktgt_addr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_port;
	return ((const struct sockaddr_in6 *)ss)->sin6_port;
}

/*
 * Did a connection to @local arrive through @portal? Exact address and
 * port, or a wildcard portal on the same port and family: 0.0.0.0
 * matches IPv4, [::] matches IPv6 (listeners are IPV6_V6ONLY; a
 * v4-mapped local address is compared as IPv4).
 */
bool ktgt_portal_matches(const struct ktgt_tpg_portal *portal,
			 const struct sockaddr_storage *local)
{
	const struct sockaddr_storage *pa = &portal->addr;
	struct sockaddr_storage l;

	ktgt_addr_normalise(local, &l);
	if (ktgt_addr_port(pa) != ktgt_addr_port(&l))
		return false;
	if (pa->ss_family != l.ss_family)
		return false;
	if (ktgt_addr_is_any(pa))
		return true;
	return ktgt_addr_equal(pa, &l);
}

/* The address to advertise for @portal: a wildcard shows @local's. */
void ktgt_portal_address(const struct ktgt_tpg_portal *portal,
			 const struct sockaddr_storage *local, char *buf,
			 size_t size)
{
	struct sockaddr_storage a;

	if (local && ktgt_addr_is_any(&portal->addr)) {
		ktgt_addr_normalise(local, &a);
		if (a.ss_family == AF_INET)
			((struct sockaddr_in *)&a)->sin_port =
				ktgt_addr_port(&portal->addr);
		else
			((struct sockaddr_in6 *)&a)->sin6_port =
				ktgt_addr_port(&portal->addr);
	} else {
		a = portal->addr;
	}
	ktgt_cfg_addr_str(&a, buf, size);
}

/* ---- network portals ----------------------------------------------- */

static int ktgt_np_listen(struct ktgt_np *np)
{
	int ret;

	lockdep_assert_held(&ktgt_np_mutex);
	ret = np->transport->add_portal(np);
	if (!ret)
		np->listening = true;
	return ret;
}

static void ktgt_np_unlisten(struct ktgt_np *np)
{
	lockdep_assert_held(&ktgt_np_mutex);
	if (!np->listening)
		return;
	np->transport->remove_portal(np);
	np->listening = false;
}

static struct ktgt_np *ktgt_np_get(const struct sockaddr_storage *addr,
				   const char *transport)
{
	const struct ktgt_transport_ops *ops;
	struct ktgt_np *np;
	char a[64];
	int ret;

	lockdep_assert_held(&ktgt_np_mutex);
	list_for_each_entry(np, &ktgt_nps, node) {
		if (ktgt_addr_equal(&np->addr, addr) &&
		    !strcmp(np->transport->name, transport)) {
			/* Left without a listener by a failed switch. */
			if (!np->listening) {
				ret = ktgt_np_listen(np);
				if (ret)
					return ERR_PTR(ret);
			}
			kref_get(&np->kref);
			return np;
		}
	}

	ktgt_cfg_addr_str(addr, a, sizeof(a));
	ops = ktgt_transport_get(transport);
	if (!ops) {
		pr_warn("portal %s: transport %s is not loaded: load ktgt_%s first\n",
			a, transport, transport);
		return ERR_PTR(-ENODEV);
	}
	np = kzalloc(sizeof(*np), GFP_KERNEL);
	if (!np) {
		ktgt_transport_put(ops);
		return ERR_PTR(-ENOMEM);
	}
	kref_init(&np->kref);
	np->addr = *addr;
	np->transport = ops;
	ret = ktgt_np_listen(np);
	if (ret) {
		pr_warn("portal %s: %s cannot listen there: %d\n", a,
			transport, ret);
		ktgt_transport_put(ops);
		kfree(np);
		return ERR_PTR(ret);
	}
	list_add_tail(&np->node, &ktgt_nps);
	return np;
}

static void ktgt_np_release(struct kref *kref)
{
	struct ktgt_np *np = container_of(kref, struct ktgt_np, kref);
	const struct ktgt_transport_ops *ops = np->transport;

	lockdep_assert_held(&ktgt_np_mutex);
	list_del(&np->node);
	ktgt_np_unlisten(np);
	kfree(np);
	ktgt_transport_put(ops);
}

static void ktgt_np_put(struct ktgt_np *np)
{
	lockdep_assert_held(&ktgt_np_mutex);
	kref_put(&np->kref, ktgt_np_release);
}

/* ---- portals/<addr>/transport --------------------------------------- */

static ssize_t ktgt_portal_transport_show(struct config_item *item,
					  char *page)
{
	struct ktgt_tpg_portal *portal = to_portal(item);
	ssize_t ret;

	mutex_lock(&ktgt_cfg_mutex);
	ret = sysfs_emit(page, "%s\n", portal->np->transport->name);
	mutex_unlock(&ktgt_cfg_mutex);
	return ret;
}

/*
 * Move the portal to the np of the other transport on the same address.
 *
 * iWARP devices (siw, and iWARP hardware) listen on the real TCP port of
 * the address, so switching tcp -> iser fails with EADDRINUSE while the
 * TCP listener is still there. So when this portal is the only user of
 * the old listener, that listener is stopped first, and started again if
 * the new transport cannot listen. A listener another TPG's portal
 * shares stays; on iWARP the switch then fails, and the log says why.
 */
static ssize_t ktgt_portal_transport_store(struct config_item *item,
					   const char *page, size_t count)
{
	struct ktgt_tpg_portal *portal = to_portal(item);
	char name[KTGT_TRANSPORT_NAME_MAX];
	struct ktgt_np *np, *old;
	char a[64];
	bool alone;
	int ret, err;

	ret = ktgt_cfg_str("transport", page, count, name, sizeof(name));
	if (ret)
		return ret;
	if (!name[0]) {
		pr_warn("transport: want a transport name (tcp, iser)\n");
		return -EINVAL;
	}
	ktgt_cfg_addr_str(&portal->addr, a, sizeof(a));
	mutex_lock(&ktgt_np_mutex);
	old = portal->np;
	if (!strcmp(old->transport->name, name)) {
		/* Writing the current transport retries a lost listener. */
		if (!old->listening) {
			ret = ktgt_np_listen(old);
			if (!ret)
				pr_info("portal %s: listening on %s again\n",
					a, name);
		}
		goto out;
	}
	alone = kref_read(&old->kref) == 1 && old->listening;
	if (alone)
		ktgt_np_unlisten(old);
	np = ktgt_np_get(&portal->addr, name);
	if (IS_ERR(np)) {
		ret = PTR_ERR(np);
		if (!alone) {
			if (ret == -EADDRINUSE)
				pr_warn("portal %s: another portal keeps the %s listener on this address (iWARP needs the TCP port to itself)\n",
					a, old->transport->name);
			goto out;
		}
		err = ktgt_np_listen(old);
		if (err)
			pr_err("portal %s: switch to %s failed (%d) and %s cannot listen again (%d): no listener until a transport is written again\n",
			       a, name, ret, old->transport->name, err);
		else
			pr_warn("portal %s: switch to %s failed (%d), listening on %s again\n",
				a, name, ret, old->transport->name);
		goto out;
	}
	mutex_lock(&ktgt_cfg_mutex);
	portal->np = np;
	mutex_unlock(&ktgt_cfg_mutex);
	ktgt_np_put(old);
	pr_info("portal %s: transport %s\n", a, name);
out:
	mutex_unlock(&ktgt_np_mutex);
	return ret ? ret : count;
}

CONFIGFS_ATTR(ktgt_portal_, transport);

static struct configfs_attribute *ktgt_portal_attrs[] = {
	&ktgt_portal_attr_transport,
	NULL,
};

static void ktgt_portal_release(struct config_item *item)
{
	kfree(to_portal(item));
}

static struct configfs_item_operations ktgt_portal_item_ops = {
	.release	= ktgt_portal_release,
};

static const struct config_item_type ktgt_portal_type = {
	.ct_item_ops	= &ktgt_portal_item_ops,
	.ct_attrs	= ktgt_portal_attrs,
	.ct_owner	= THIS_MODULE,
};

/* ---- mkdir/rmdir ----------------------------------------------------- */

static struct config_group *ktgt_portal_make(struct config_group *group,
					     const char *name)
{
	struct ktgt_tpg *tpg = container_of(group, struct ktgt_tpg,
					    portals_group);
	struct ktgt_tpg_portal *portal, *p;
	struct sockaddr_storage addr;
	struct ktgt_np *np;
	int ret;

	ret = ktgt_portal_parse(name, &addr);
	if (ret)
		return ERR_PTR(ret);
	portal = kzalloc(sizeof(*portal), GFP_KERNEL);
	if (!portal)
		return ERR_PTR(-ENOMEM);
	portal->tpg = tpg;
	portal->addr = addr;

	/* ktgt_np_mutex serialises portal mkdirs: the check stays true. */
	mutex_lock(&ktgt_np_mutex);
	mutex_lock(&ktgt_cfg_mutex);
	list_for_each_entry(p, &tpg->portals, node) {
		if (ktgt_addr_equal(&p->addr, &addr)) {
			pr_warn("portal '%s': %s tpgt %u already has this address\n",
				name, tpg->target->name, tpg->tpgt);
			ret = -EEXIST;
			break;
		}
	}
	mutex_unlock(&ktgt_cfg_mutex);
	if (ret)
		goto fail;

	np = ktgt_np_get(&addr, KTGT_DEFAULT_TRANSPORT);
	if (IS_ERR(np)) {
		ret = PTR_ERR(np);
		goto fail;
	}
	config_group_init_type_name(&portal->group, name, &ktgt_portal_type);
	mutex_lock(&ktgt_cfg_mutex);
	portal->np = np;
	list_add_tail(&portal->node, &tpg->portals);
	mutex_unlock(&ktgt_cfg_mutex);
	mutex_unlock(&ktgt_np_mutex);
	return &portal->group;

fail:
	mutex_unlock(&ktgt_np_mutex);
	kfree(portal);
	return ERR_PTR(ret);
}

static void ktgt_portal_drop(struct config_group *group,
			     struct config_item *item)
{
	struct ktgt_tpg_portal *portal = to_portal(item);
	struct ktgt_np *np;

	mutex_lock(&ktgt_np_mutex);
	mutex_lock(&ktgt_cfg_mutex);
	list_del(&portal->node);
	np = portal->np;
	portal->np = NULL;
	mutex_unlock(&ktgt_cfg_mutex);
	ktgt_np_put(np);
	mutex_unlock(&ktgt_np_mutex);
	config_item_put(item);
}

static struct configfs_group_operations ktgt_portals_group_ops = {
	.make_group	= ktgt_portal_make,
	.drop_item	= ktgt_portal_drop,
};

const struct config_item_type ktgt_portals_type = {
	.ct_group_ops	= &ktgt_portals_group_ops,
	.ct_owner	= THIS_MODULE,
};
