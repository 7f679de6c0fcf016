/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Platform shim for the pure protocol layer.
 *
 * Everything under src/proto/ and src/scsi/ is built twice: into the kernel
 * modules and into userspace unit tests and fuzzers. Those files include
 * only this header for types, byte order and string helpers, never libc or
 * kernel headers directly, so the same source compiles in both worlds.
 */
#ifndef KTGT_PROTO_PLATFORM_H
#define KTGT_PROTO_PLATFORM_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/build_bug.h>
#include <asm/unaligned.h>
#include <linux/export.h>

#else

#include <ktgt/proto/platform_user.h>

#endif /* __KERNEL__ */

#endif /* KTGT_PROTO_PLATFORM_H */
