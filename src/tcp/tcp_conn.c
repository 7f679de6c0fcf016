// SPDX-License-Identifier: GPL-2.0
/*
 * ktgt_tcp: connections. Socket callbacks queue io_work; io_work receives
 * and sends with budgets and re-queues itself while there is work.
 *
 * Teardown: the first error or EOF marks the connection closing (no more
 * sends are queued), io_work reports it once to the core with
 * ktgt_conn_closed(); the core drains its commands and drops its last
 * reference, which lands in ktgt_tcp_release_conn(): callbacks restored,
 * io_work cancelled, queued sends dropped, socket released.
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

/* Marks the connection closing; io_work reports it to the core. */
void ktgt_tcp_fail(struct ktgt_tcp_conn *tconn, const char *why, int err)
{
	unsigned long flags;
	bool first;

	spin_lock_irqsave(&tconn->tx_lock, flags);
	first = !tconn->closing;
	tconn->closing = true;
	spin_unlock_irqrestore(&tconn->tx_lock, flags);
	if (first && why)
		pr_info("connection %pISpc: %s (%d)\n", &tconn->conn.peer, why, err);
	queue_work(ktgt_tcp_wq, &tconn->io_work);
}

void ktgt_tcp_queue_tx(struct ktgt_tcp_conn *tconn, struct ktgt_tcp_tx *tx)
{
	list_add_tail(&tx->node, &tconn->tx_queue);
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
	if (rx >= KTGT_TCP_RX_BUDGET || tx >= KTGT_TCP_TX_BUDGET)
		queue_work(ktgt_tcp_wq, &tconn->io_work);
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

	tconn = kzalloc(sizeof(*tconn), GFP_KERNEL);
	if (!tconn) {
		ret = -ENOMEM;
		goto out_put;
	}
	tconn->rx_buf = kvmalloc(KTGT_TCP_RX_BUF, GFP_KERNEL);
	if (!tconn->rx_buf) {
		ret = -ENOMEM;
		goto out_free;
	}
	tconn->sock = sock;
	spin_lock_init(&tconn->tx_lock);
	INIT_LIST_HEAD(&tconn->tx_queue);
	INIT_WORK(&tconn->io_work, ktgt_tcp_io_work);
	tconn->rx_state = KTGT_TCP_RX_BHS;
	tconn->rx_hdr_need = KTGT_BHS_LEN;

	ret = kernel_getsockname(sock, (struct sockaddr *)&tconn->conn.local);
	if (ret >= 0)
		ret = kernel_getpeername(sock,
					 (struct sockaddr *)&tconn->conn.peer);
	if (ret < 0)
		goto out_buf;
	/* From here the core owns the connection's lifetime. */
	ktgt_conn_init(&tconn->conn, ops, np);

	tcp_sock_set_nodelay(sk);
	sk->sk_allocation = GFP_ATOMIC;
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = tconn;
	tconn->saved_data_ready = sk->sk_data_ready;
	tconn->saved_write_space = sk->sk_write_space;
	tconn->saved_state_change = sk->sk_state_change;
	sk->sk_data_ready = ktgt_tcp_data_ready;
	sk->sk_write_space = ktgt_tcp_write_space;
	sk->sk_state_change = ktgt_tcp_state_change;
	write_unlock_bh(&sk->sk_callback_lock);

	pr_debug("connection from %pISpc\n", &tconn->conn.peer);
	/* Data may have arrived before the callbacks were in place. */
	queue_work(ktgt_tcp_wq, &tconn->io_work);
	ktgt_transport_put(ops);
	return 0;

out_buf:
	kvfree(tconn->rx_buf);
out_free:
	kfree(tconn);
out_put:
	ktgt_transport_put(ops);
	return ret;
}

/*
 * The core's last reference is gone. Runs in process context (the core's
 * release work), never from io_work, so cancel_work_sync() is safe.
 */
void ktgt_tcp_release_conn(struct ktgt_conn *conn)
{
	struct ktgt_tcp_conn *tconn = ktgt_tcp_conn(conn);
	struct sock *sk = tconn->sock->sk;
	struct ktgt_tcp_tx *tx, *next;
	LIST_HEAD(drop);

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = tconn->saved_data_ready;
	sk->sk_write_space = tconn->saved_write_space;
	sk->sk_state_change = tconn->saved_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
	cancel_work_sync(&tconn->io_work);

	spin_lock_irq(&tconn->tx_lock);
	tconn->closing = true;
	list_splice_init(&tconn->tx_queue, &drop);
	spin_unlock_irq(&tconn->tx_lock);
	if (tconn->txc.active)
		ktgt_cmd_put(tconn->txc.tx->cmd);
	list_for_each_entry_safe(tx, next, &drop, node)
		ktgt_cmd_put(tx->cmd);
	if (tconn->rx_cmd)
		ktgt_cmd_put(tconn->rx_cmd);

	kernel_sock_shutdown(tconn->sock, SHUT_RDWR);
	sock_release(tconn->sock);
	kvfree(tconn->rx_buf);
	kfree(tconn);
}
