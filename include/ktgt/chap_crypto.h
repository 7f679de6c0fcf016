/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CHAP hash provider for the kernel: struct ktgt_chap_hash_ops on top of
 * the crypto API (shash "md5", "sha1", "sha256", "sha3-256").
 *
 * A transform is allocated per digest() call, which is fine for logins and
 * keeps no state: ctx is unused. Every function here may sleep (the crypto
 * API can load a module), so call them from process context only.
 */
#ifndef KTGT_CHAP_CRYPTO_H
#define KTGT_CHAP_CRYPTO_H

#include <ktgt/proto/chap.h>

/*
 * The digest() of ktgt_chap_kernel_hash: hashes the n parts with @alg into
 * @out (ktgt_chap_digest_len(@alg) bytes). 0, -EINVAL for an unknown @alg
 * or bad parts, -EOPNOTSUPP if the kernel lacks @alg, -ENOMEM, or another
 * -errno from the crypto API.
 */
int ktgt_chap_crypto_digest(void *ctx, enum ktgt_chap_alg alg,
			    const struct ktgt_chap_part *parts, unsigned int n,
			    u8 *out);

/* Whether the running kernel can hash with @alg. */
bool ktgt_chap_crypto_has(enum ktgt_chap_alg alg);

/*
 * KTGT_CHAP_ALG_BIT() mask of the algorithms this kernel provides; AND it
 * with the configured mask before ktgt_chap_select_alg() so a login never
 * selects an algorithm it cannot compute.
 */
u32 ktgt_chap_crypto_supported(void);

/* { .digest = ktgt_chap_crypto_digest, .ctx = NULL } */
extern const struct ktgt_chap_hash_ops ktgt_chap_kernel_hash;

#endif /* KTGT_CHAP_CRYPTO_H */
