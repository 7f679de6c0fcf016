// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_tcp: portal listeners. A listening socket's data_ready callback
 * queues the accept work, which takes every pending connection and hands
 * it to tcp_conn.c.
 */
#define pr_fmt(fmt) "ktgt_tcp: " fmt

#include <linux/module.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <net/sock.h>
#include <net/tcp.h>

#include <ktgt/transport.h>
#include "tcp.h"

/*
 * Accepted sockets inherit this callback and the listener in
 * sk_user_data until tcp_conn.c installs its own; TCP may call the old
 * callback while that happens (it reads sk_data_ready without
 * sk_callback_lock), and by the time we hold the lock sk_user_data is
 * the connection's. Only a listening socket has a listener there; a new
 * connection's early data is picked up by ktgt_tcp_conn_start()'s kick.
 */
static void ktgt_tcp_listen_data_ready(struct sock *sk)
{
	struct ktgt_tcp_listener *l;

	read_lock_bh(&sk->sk_callback_lock);
	l = sk->sk_user_data;
	if (l && sk->sk_state == TCP_LISTEN)
		queue_delayed_work(ktgt_tcp_wq, &l->accept_work, 0);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void ktgt_tcp_accept_work(struct work_struct *work)
{
	struct ktgt_tcp_listener *l =
		container_of(to_delayed_work(work), struct ktgt_tcp_listener,
			     accept_work);
	struct socket *sock;
	int ret;

	for (;;) {
		ret = kernel_accept(l->sock, &sock, O_NONBLOCK);
		if (ret == -EAGAIN)
			return;
		if (ret) {
			/*
			 * Out of memory, say: the connections still in the
			 * backlog raise no new data_ready, so come back for
			 * them rather than strand them.
			 */
			pr_warn_ratelimited("accept failed: %d, retrying\n",
					    ret);
			queue_delayed_work(ktgt_tcp_wq, &l->accept_work,
					   HZ / 10);
			return;
		}
		ret = ktgt_tcp_conn_start(l->np, sock);
		if (ret) {
			/* -EBUSY: a pre-login cap refused it (the core says). */
			if (ret != -EBUSY)
				pr_warn_ratelimited("cannot start connection: %d\n",
						    ret);
			sock_release(sock);
		}
	}
}

int ktgt_tcp_add_portal(struct ktgt_np *np)
{
	struct ktgt_tcp_listener *l;
	struct sock *sk;
	int ret;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	l->np = np;
	INIT_DELAYED_WORK(&l->accept_work, ktgt_tcp_accept_work);

	ret = sock_create_kern(&init_net, np->addr.ss_family, SOCK_STREAM,
			       IPPROTO_TCP, &l->sock);
	if (ret)
		goto out_free;
	sk = l->sock->sk;
	sock_set_reuseaddr(sk);
	tcp_sock_set_nodelay(sk);
	if (np->addr.ss_family == AF_INET6)
		ip6_sock_set_v6only(sk);

	ret = kernel_bind(l->sock, (struct sockaddr *)&np->addr,
			  np->addr.ss_family == AF_INET6 ?
			  sizeof(struct sockaddr_in6) :
			  sizeof(struct sockaddr_in));
	if (ret) {
		pr_warn("cannot bind portal %pISpc: %d\n", &np->addr, ret);
		goto out_sock;
	}

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = l;
	l->saved_data_ready = sk->sk_data_ready;
	sk->sk_data_ready = ktgt_tcp_listen_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);

	ret = kernel_listen(l->sock, 128);
	if (ret) {
		pr_warn("cannot listen on %pISpc: %d\n", &np->addr, ret);
		goto out_restore;
	}
	np->transport_priv = l;
	pr_info("listening on %pISpc\n", &np->addr);
	return 0;

out_restore:
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = l->saved_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
out_sock:
	sock_release(l->sock);
out_free:
	kfree(l);
	return ret;
}

void ktgt_tcp_remove_portal(struct ktgt_np *np)
{
	struct ktgt_tcp_listener *l = np->transport_priv;
	struct sock *sk = l->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = l->saved_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	/* No new accept work can be queued now; wait for a running one. */
	cancel_delayed_work_sync(&l->accept_work);
	kernel_sock_shutdown(l->sock, SHUT_RDWR);
	sock_release(l->sock);
	np->transport_priv = NULL;
	pr_info("stopped listening on %pISpc\n", &np->addr);
	kfree(l);
}
