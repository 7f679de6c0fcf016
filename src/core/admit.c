// SPDX-License-Identifier: GPL-2.0
/*
 * Admission of connections before login: nobody can hold the portal by
 * connecting and not logging in.
 *
 *  - A connection still in login counts against two caps: connections in
 *    login on the same local address and port (the portal as the peer
 *    reached it) and from the same source address, whatever its port.
 *    Past either cap a new connection is refused at accept, so a flood
 *    from one host costs at most the cap times one connection's memory,
 *    and logins from other hosts still go through at once.
 *  - Each connection must reach full feature phase within login_timeout
 *    seconds of its accept or it is dropped (LIO: 15 s too).
 *
 * The three values are root attributes (/sys/kernel/config/ktgt/
 * login_timeout, prelogin_max_per_portal, prelogin_max_per_source): a
 * connection in login belongs to no TPG yet, since it names its target
 * only in its first Login Request, so the caps cannot be a TPG's.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <net/ipv6.h>
#include <linux/spinlock.h>

#include "session.h"
#include "config.h"

/* Protects ktgt_prelogin and the conns' prelogin_node. */
static DEFINE_SPINLOCK(ktgt_prelogin_lock);
static LIST_HEAD(ktgt_prelogin);

/* Root attributes; written under ktgt_cfg_mutex, read with READ_ONCE. */
u32 ktgt_login_timeout = 15;
u32 ktgt_prelogin_max_per_portal = 64;
u32 ktgt_prelogin_max_per_source = 16;

static bool ktgt_same_host(const struct sockaddr_storage *a,
			   const struct sockaddr_storage *b)
{
	const struct sockaddr_in *a4 = (const void *)a, *b4 = (const void *)b;
	const struct sockaddr_in6 *a6 = (const void *)a, *b6 = (const void *)b;

	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return ipv6_addr_equal(&a6->sin6_addr, &b6->sin6_addr);
	return false;
}

static bool ktgt_same_port(const struct sockaddr_storage *a,
			   const struct sockaddr_storage *b)
{
	const struct sockaddr_in *a4 = (const void *)a, *b4 = (const void *)b;
	const struct sockaddr_in6 *a6 = (const void *)a, *b6 = (const void *)b;

	if (!ktgt_same_host(a, b))
		return false;
	if (a->ss_family == AF_INET)
		return a4->sin_port == b4->sin_port;
	return a6->sin6_port == b6->sin6_port;
}

static void ktgt_login_timeout_work(struct work_struct *work)
{
	struct ktgt_conn *conn = container_of(to_delayed_work(work),
					      struct ktgt_conn, login_work);

	if (READ_ONCE(conn->state) != KTGT_CONN_LOGIN)
		return;
	pr_info("%pISpc: no login within %u s, dropping\n", &conn->peer,
		READ_ONCE(ktgt_login_timeout));
	ktgt_conn_drop(conn);
}

/* Counts @conn in, or refuses it (-EBUSY) past a cap. */
int ktgt_admit(struct ktgt_conn *conn)
{
	u32 max_portal = READ_ONCE(ktgt_prelogin_max_per_portal);
	u32 max_source = READ_ONCE(ktgt_prelogin_max_per_source);
	unsigned int portal = 0, source = 0;
	struct ktgt_conn *c;
	int ret = 0;

	INIT_DELAYED_WORK(&conn->login_work, ktgt_login_timeout_work);
	spin_lock_bh(&ktgt_prelogin_lock);
	/* The list holds only connections in login: at most the caps. */
	list_for_each_entry(c, &ktgt_prelogin, prelogin_node) {
		portal += ktgt_same_port(&c->local, &conn->local);
		source += ktgt_same_host(&c->peer, &conn->peer);
	}
	if (portal >= max_portal || source >= max_source)
		ret = -EBUSY;
	else
		list_add_tail(&conn->prelogin_node, &ktgt_prelogin);
	spin_unlock_bh(&ktgt_prelogin_lock);
	if (ret) {
		pr_info_ratelimited("%pISpc: refused, %u connections in login on %pISpc and %u from its address (caps %u, %u)\n",
				    &conn->peer, portal, &conn->local, source,
				    max_portal, max_source);
		return ret;
	}
	return 0;
}

/* The login timer starts once the core owns the connection. */
void ktgt_admit_start(struct ktgt_conn *conn)
{
	schedule_delayed_work(&conn->login_work,
			      READ_ONCE(ktgt_login_timeout) * HZ);
}

/* Full feature phase, or teardown: no longer counted, no timer. */
void ktgt_admit_done(struct ktgt_conn *conn, bool sync)
{
	spin_lock_bh(&ktgt_prelogin_lock);
	list_del_init(&conn->prelogin_node);
	spin_unlock_bh(&ktgt_prelogin_lock);
	if (sync)
		cancel_delayed_work_sync(&conn->login_work);
	else
		cancel_delayed_work(&conn->login_work);
}
