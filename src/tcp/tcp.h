/* SPDX-License-Identifier: GPL-2.0 */
/* Private declarations of ktgt_tcp.ko. */
#ifndef KTGT_TCP_PRIV_H
#define KTGT_TCP_PRIV_H

struct ktgt_portal;
struct ktgt_conn;
struct ktgt_cmd;

int ktgt_tcp_add_portal(struct ktgt_portal *portal);
void ktgt_tcp_remove_portal(struct ktgt_portal *portal);
int ktgt_tcp_queue_pdu(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
int ktgt_tcp_put_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
int ktgt_tcp_get_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
void ktgt_tcp_release_conn(struct ktgt_conn *conn);

#endif /* KTGT_TCP_PRIV_H */
