/* SPDX-License-Identifier: GPL-2.0 */
/* Private declarations shared by the files of ktgt_core.ko. */
#ifndef KTGT_CORE_PRIV_H
#define KTGT_CORE_PRIV_H

#include <linux/configfs.h>

#define KTGT_VERSION	"0.1"

int ktgt_configfs_init(void);
void ktgt_configfs_exit(void);

#endif /* KTGT_CORE_PRIV_H */
