// SPDX-License-Identifier: GPL-2.0
/*
 * Symbols of the pure protocol layer that the transport modules use. The
 * pure files are also built into userspace tests, so their exports live
 * here rather than beside the definitions.
 */
#include <linux/module.h>

#include <ktgt/proto/pdu.h>

EXPORT_SYMBOL_GPL(ktgt_bhs_decode);
EXPORT_SYMBOL_GPL(ktgt_bhs_encode);
EXPORT_SYMBOL_GPL(ktgt_pdu_opcode_name);
