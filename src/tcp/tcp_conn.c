// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_tcp: connections. Socket callbacks queue io_work; io_work receives
 * and sends with budgets and re-queues itself while there is work.
 *
 * Teardown: the first error or EOF marks the connection closing (no more
 * sends are queued), io_work reports it once to the core with
 * ktgt_conn_closed(). Whoever started the close, the core's release work
 * then calls ktgt_tcp_stop_conn(): callbacks restored, io_work cancelled
 * and never queued again, socket shut down, queued sends dropped. Its
 * last reference lands in ktgt_tcp_release_conn(), from a core work item,
 * which only frees.
 *
 * Flow control: queued PDUs (not read data) count in tx_backlog; above
 * the TPG's tx_backlog_kb io_work stops receiving and sends only, so a
 * peer that does not read cannot make us queue without end.
 */
#define pr_fmt(fmt) "ktgt_tcp: " fmt

#include <linux/module.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/crc32c.h>
#include <net/sock.h>
#include <net/tcp.h>

#include <ktgt/transport.h>
#include "tcp.h"

#define KTGT_TCP_RX_BUDGET	8	/* PDUs per io_work pass */
#define KTGT_TCP_TX_BUDGET	16	/* PDUs per io_work pass */

u32 ktgt_tcp_crc(u32 crc, const void *buf, size_t len)
{
	return crc32c(crc, buf, len);
}

static struct ktgt_tcp_conn *ktgt_tcp_sk_conn(struct sock *sk)
{
	return sk->sk_user_data;
}

static void ktgt_tcp_data_ready(struct sock *sk)
{
	struct ktgt_tcp_conn *tconn;

	read_lock_bh(&sk->sk_callback_lock);
	tconn = ktgt_tcp_sk_conn(sk);
	if (tconn)
		queue_work(ktgt_tcp_wq, &tconn->io_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void ktgt_tcp_write_space(struct sock *sk)
{
	struct ktgt_tcp_conn *tconn;

	read_lock_bh(&sk->sk_callback_lock);
	tconn = ktgt_tcp_sk_conn(sk);
	if (tconn && sk_stream_is_writeable(sk)) {
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		queue_work(ktgt_tcp_wq, &tconn->io_work);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void ktgt_tcp_state_change(struct sock *sk)
{
	struct ktgt_tcp_conn *tconn;

	read_lock_bh(&sk->sk_callback_lock);
	tconn = ktgt_tcp_sk_conn(sk);
	if (tconn) {
		switch (sk->sk_state) {
		case TCP_FIN_WAIT1:
		case TCP_CLOSE_WAIT:
		case TCP_CLOSE:
			queue_work(ktgt_tcp_wq, &tconn->io_work);
			break;
		default:
			break;
		}
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

/* Queues io_work unless stop_conn ran; any context. */
void ktgt_tcp_kick(struct ktgt_tcp_conn *tconn)
{
	unsigned long flags;

	spin_lock_irqsave(&tconn->tx_lock, flags);
	if (!tconn->stopped)
		queue_work(ktgt_tcp_wq, &tconn->io_work);
	spin_unlock_irqrestore(&tconn->tx_lock, flags);
}

/* Marks the connection closing; io_work reports it to the core. */
void ktgt_tcp_fail(struct ktgt_tcp_conn *tconn, const char *why, int err)
{
	unsigned long flags;
	bool first;

	spin_lock_irqsave(&tconn->tx_lock, flags);
	first = !tconn->closing;
	tconn->closing = true;
	if (!tconn->stopped)
		queue_work(ktgt_tcp_wq, &tconn->io_work);
	spin_unlock_irqrestore(&tconn->tx_lock, flags);
	if (first && why)
		pr_info("connection %pISpc: %s (%d)\n", &tconn->conn.peer, why, err);
}

void ktgt_tcp_io_work(struct work_struct *work)
{
	struct ktgt_tcp_conn *tconn =
		container_of(work, struct ktgt_tcp_conn, io_work);
	int rx, tx;
	bool closing;

	spin_lock_irq(&tconn->tx_lock);
	closing = tconn->closing;
	spin_unlock_irq(&tconn->tx_lock);
	if (closing) {
		if (!tconn->closed_reported) {
			tconn->closed_reported = true;
			kernel_sock_shutdown(tconn->sock, SHUT_RDWR);
			ktgt_conn_closed(&tconn->conn);
		}
		return;
	}

	/* Stops early, setting rx_paused, while tx_backlog is too high. */
	rx = ktgt_tcp_try_recv(tconn, KTGT_TCP_RX_BUDGET);
	if (rx < 0) {
		ktgt_tcp_fail(tconn, rx == -ECONNRESET ? "closed by peer" :
			      "receive error", rx);
		return;
	}
	tx = ktgt_tcp_try_send(tconn, KTGT_TCP_TX_BUDGET);
	if (tx < 0) {
		ktgt_tcp_fail(tconn, "send error", tx);
		return;
	}
	/* Budget used up on either side: there may be more; come back. */
	if (rx >= KTGT_TCP_RX_BUDGET || tx >= KTGT_TCP_TX_BUDGET) {
		ktgt_tcp_kick(tconn);
	} else if (tconn->rx_paused && !ktgt_tcp_backlog_full(tconn)) {
		/* The backlog went out: what the socket holds waits for us. */
		tconn->rx_paused = false;
		ktgt_tcp_kick(tconn);
	}
}

int ktgt_tcp_conn_start(struct ktgt_np *np, struct socket *sock)
{
	const struct ktgt_transport_ops *ops;
	struct ktgt_tcp_conn *tconn;
	struct sock *sk = sock->sk;
	int ret;

	ops = ktgt_transport_get("tcp");
	if (!ops)
		return -ENODEV;

	/* No receive buffer yet: rx_buf comes with the first data segment. */
	tconn = kmem_cache_zalloc(ktgt_tcp_conn_cache, GFP_KERNEL);
	if (!tconn) {
		ret = -ENOMEM;
		goto out_put;
	}
	tconn->sock = sock;
	spin_lock_init(&tconn->tx_lock);
	INIT_LIST_HEAD(&tconn->tx_queue);
	INIT_WORK(&tconn->io_work, ktgt_tcp_io_work);
	init_completion(&tconn->started);
	tconn->rx_state = KTGT_TCP_RX_BHS;
	tconn->rx_hdr_need = KTGT_BHS_LEN;

	ret = kernel_getsockname(sock, (struct sockaddr *)&tconn->conn.local);
	if (ret >= 0)
		ret = kernel_getpeername(sock,
					 (struct sockaddr *)&tconn->conn.peer);
	if (ret < 0)
		goto out_free;
	/*
	 * From here the core owns the connection's lifetime, unless a cap
	 * on connections in login refuses it (-EBUSY): then it is ours to
	 * free, and the caller closes the socket.
	 */
	ret = ktgt_conn_init(&tconn->conn, ops, np);
	if (ret)
		goto out_free;

	tcp_sock_set_nodelay(sk);
	sk->sk_allocation = GFP_ATOMIC;
	write_lock_bh(&sk->sk_callback_lock);
	/* The core may have stopped it already (login time-out). */
	spin_lock_irq(&tconn->tx_lock);
	tconn->callbacks_set = !tconn->stopped;
	spin_unlock_irq(&tconn->tx_lock);
	if (tconn->callbacks_set) {
		sk->sk_user_data = tconn;
		tconn->saved_data_ready = sk->sk_data_ready;
		tconn->saved_write_space = sk->sk_write_space;
		tconn->saved_state_change = sk->sk_state_change;
		sk->sk_data_ready = ktgt_tcp_data_ready;
		sk->sk_write_space = ktgt_tcp_write_space;
		sk->sk_state_change = ktgt_tcp_state_change;
	}
	write_unlock_bh(&sk->sk_callback_lock);

	pr_debug("connection from %pISpc\n", &tconn->conn.peer);
	/* Data may have arrived before the callbacks were in place. */
	ktgt_tcp_kick(tconn);
	ktgt_transport_put(ops);
	/* Last touch of @tconn: stop_conn waits for this. */
	complete(&tconn->started);
	return 0;

out_free:
	kmem_cache_free(ktgt_tcp_conn_cache, tconn);
out_put:
	ktgt_transport_put(ops);
	return ret;
}

/*
 * The core's release work, first step of its drain order: after this no
 * socket callback, receive step or call into the core runs for @conn, and
 * nothing more is sent; queued sends are dropped, later ones refused.
 * Process context; never io_work itself (that would wait for itself).
 */
void ktgt_tcp_stop_conn(struct ktgt_conn *conn)
{
	struct ktgt_tcp_conn *tconn = ktgt_tcp_conn(conn);
	struct sock *sk = tconn->sock->sk;
	struct ktgt_tcp_tx *tx, *next;
	LIST_HEAD(drop);

	wait_for_completion(&tconn->started);
	write_lock_bh(&sk->sk_callback_lock);
	spin_lock_irq(&tconn->tx_lock);
	tconn->closing = true;
	tconn->stopped = true;
	spin_unlock_irq(&tconn->tx_lock);
	if (tconn->callbacks_set) {
		sk->sk_user_data = NULL;
		sk->sk_data_ready = tconn->saved_data_ready;
		sk->sk_write_space = tconn->saved_write_space;
		sk->sk_state_change = tconn->saved_state_change;
		tconn->callbacks_set = false;
	}
	write_unlock_bh(&sk->sk_callback_lock);
	/* Nothing queues it any more (ktgt_tcp_kick()): this is the last. */
	cancel_work_sync(&tconn->io_work);
	kernel_sock_shutdown(tconn->sock, SHUT_RDWR);

	spin_lock_irq(&tconn->tx_lock);
	/* Ours now: a concurrent abort_cmd must not take them too. */
	list_for_each_entry(tx, &tconn->tx_queue, node)
		tx->queued = false;
	list_splice_init(&tconn->tx_queue, &drop);
	tconn->tx_backlog = 0;
	spin_unlock_irq(&tconn->tx_lock);
	if (tconn->txc.active) {
		tconn->txc.active = false;
		ktgt_tcp_tx_put(tconn->txc.tx);
	}
	list_for_each_entry_safe(tx, next, &drop, node) {
		list_del_init(&tx->node);
		ktgt_tcp_tx_put(tx);
	}
	if (tconn->rx_cmd) {
		ktgt_cmd_put(tconn->rx_cmd);
		tconn->rx_cmd = NULL;
	}
}

/*
 * The core's last reference is gone: free. Always from a core work item,
 * after ktgt_tcp_stop_conn().
 */
void ktgt_tcp_release_conn(struct ktgt_conn *conn)
{
	struct ktgt_tcp_conn *tconn = ktgt_tcp_conn(conn);

	sock_release(tconn->sock);
	kvfree(tconn->rx_buf);
	kmem_cache_free(ktgt_tcp_conn_cache, tconn);
}
