/* SPDX-License-Identifier: GPL-2.0 */
/* Private declarations of ktgt_iser.ko. */
#ifndef KTGT_ISER_PRIV_H
#define KTGT_ISER_PRIV_H

struct ktgt_np;
struct ktgt_conn;
struct ktgt_cmd;

int ktgt_iser_add_portal(struct ktgt_np *np);
void ktgt_iser_remove_portal(struct ktgt_np *np);
int ktgt_iser_queue_pdu(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
int ktgt_iser_put_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
int ktgt_iser_get_data(struct ktgt_conn *conn, struct ktgt_cmd *cmd);
void ktgt_iser_release_conn(struct ktgt_conn *conn);

#endif /* KTGT_ISER_PRIV_H */
