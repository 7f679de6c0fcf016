/* SPDX-License-Identifier: GPL-2.0 */
/* Private declarations shared by the files of ktgt_core.ko. */
#ifndef KTGT_CORE_PRIV_H
#define KTGT_CORE_PRIV_H

#include <linux/configfs.h>

#include "config.h"

#define KTGT_VERSION	"0.1"

int ktgt_configfs_init(void);
void ktgt_configfs_exit(void);

/* configfs.c: the subsystem, for configfs_depend_item_unlocked(). */
extern struct configfs_subsystem ktgt_subsys;

/*
 * cfg_util.c: attribute parsing shared by the cfg_*.c files. Each takes
 * the attribute name @what, pr_warn()s why it refuses, and returns 0 or
 * -errno: -EINVAL (format), -ERANGE (range), -ENAMETOOLONG (length).
 */
int ktgt_cfg_str(const char *what, const char *page, size_t count,
		 char *out, size_t size);
int ktgt_cfg_bool(const char *what, const char *page, bool *out);
int ktgt_cfg_u32(const char *what, const char *page, u32 min, u32 max,
		 u32 *out);
int ktgt_cfg_u64(const char *what, const char *page, u64 *out);
int ktgt_cfg_index(const char *name, const char *prefix, u32 min, u32 max,
		   u32 *out);
int ktgt_cfg_iscsi_name(const char *name);
int ktgt_cfg_addr_str(const struct sockaddr_storage *ss, char *buf,
		      size_t size);

/* cfg_backstore.c */
void ktgt_backstores_init(struct config_group *parent);
struct ktgt_backstore *ktgt_bs_lookup(const char *spec);
int ktgt_bs_bind(struct ktgt_backstore *bs);
void ktgt_bs_unbind(struct ktgt_backstore *bs);

/* cfg_target.c */
extern const struct config_item_type ktgt_targets_type;
extern struct list_head ktgt_targets;

/* cfg_tpg.c */
struct config_group *ktgt_tpg_make(struct ktgt_target *target,
				   const char *name);
void ktgt_tpg_drop(struct ktgt_tpg *tpg);

/* cfg_param.c */
void ktgt_tpg_params_init(struct ktgt_tpg *tpg);
extern const struct config_item_type ktgt_tpg_param_type;

/* cfg_auth.c */
void ktgt_auth_init_group(struct ktgt_auth *auth, struct config_group *parent);
void ktgt_discovery_auth_init(struct config_group *parent);

/* cfg_portal.c */
extern const struct config_item_type ktgt_portals_type;
bool ktgt_portal_matches(const struct ktgt_tpg_portal *portal,
			 const struct sockaddr_storage *local);
void ktgt_portal_address(const struct ktgt_tpg_portal *portal,
			 const struct sockaddr_storage *local, char *buf,
			 size_t size);

/* cfg_lun.c */
extern const struct config_item_type ktgt_luns_type;
struct ktgt_lun *ktgt_tpg_lun_find(struct ktgt_tpg *tpg, u64 lun);

/* cfg_acl.c */
extern const struct config_item_type ktgt_acls_type;

#endif /* KTGT_CORE_PRIV_H */
