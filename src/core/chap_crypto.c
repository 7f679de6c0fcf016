// SPDX-License-Identifier: GPL-2.0
/*
 * CHAP hash provider on the kernel crypto API. The pure CHAP logic in
 * src/proto/chap.c calls it through struct ktgt_chap_hash_ops.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/limits.h>
#include <crypto/hash.h>

#include <ktgt/chap_crypto.h>

static const char *ktgt_chap_crypto_name(enum ktgt_chap_alg alg)
{
	switch (alg) {
	case KTGT_CHAP_MD5:
		return "md5";
	case KTGT_CHAP_SHA1:
		return "sha1";
	case KTGT_CHAP_SHA256:
		return "sha256";
	case KTGT_CHAP_SHA3_256:
		return "sha3-256";
	}
	return NULL;
}

int ktgt_chap_crypto_digest(void *ctx, enum ktgt_chap_alg alg,
			    const struct ktgt_chap_part *parts, unsigned int n,
			    u8 *out)
{
	const char *name = ktgt_chap_crypto_name(alg);
	unsigned int dlen = ktgt_chap_digest_len(alg);
	struct crypto_shash *tfm;
	unsigned int i;
	int ret;

	if (!name || !dlen || !out || (n && !parts))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (parts[i].len > UINT_MAX ||
		    (parts[i].len && !parts[i].data))
			return -EINVAL;
	}

	tfm = crypto_alloc_shash(name, 0, 0);
	if (IS_ERR(tfm)) {
		ret = PTR_ERR(tfm);
		return ret == -ENOENT ? -EOPNOTSUPP : ret;
	}

	if (crypto_shash_digestsize(tfm) != dlen) {
		ret = -EINVAL;
	} else {
		SHASH_DESC_ON_STACK(desc, tfm);

		desc->tfm = tfm;
		ret = crypto_shash_init(desc);
		for (i = 0; !ret && i < n; i++)
			ret = crypto_shash_update(desc, parts[i].data,
						  (unsigned int)parts[i].len);
		if (!ret)
			ret = crypto_shash_final(desc, out);
		/* The state holds a prefix of the secret's hash: wipe it. */
		shash_desc_zero(desc);
	}

	crypto_free_shash(tfm);
	if (ret)
		memzero_explicit(out, dlen);
	return ret;
}
EXPORT_SYMBOL_GPL(ktgt_chap_crypto_digest);

bool ktgt_chap_crypto_has(enum ktgt_chap_alg alg)
{
	const char *name = ktgt_chap_crypto_name(alg);

	return name && crypto_has_shash(name, 0, 0);
}
EXPORT_SYMBOL_GPL(ktgt_chap_crypto_has);

u32 ktgt_chap_crypto_supported(void)
{
	static const enum ktgt_chap_alg algs[] = {
		KTGT_CHAP_MD5, KTGT_CHAP_SHA1, KTGT_CHAP_SHA256,
		KTGT_CHAP_SHA3_256,
	};
	u32 mask = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(algs); i++)
		if (ktgt_chap_crypto_has(algs[i]))
			mask |= KTGT_CHAP_ALG_BIT(algs[i]);
	return mask;
}
EXPORT_SYMBOL_GPL(ktgt_chap_crypto_supported);

const struct ktgt_chap_hash_ops ktgt_chap_kernel_hash = {
	.digest = ktgt_chap_crypto_digest,
	.ctx = NULL,
};
EXPORT_SYMBOL_GPL(ktgt_chap_kernel_hash);
