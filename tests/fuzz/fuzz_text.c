// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the text parser, number parser, accumulator, builder and key
 * negotiation with arbitrary data segments.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include <ktgt/proto/text.h>
#include <ktgt/proto/param.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u8 copy[65536], store[4096], outbuf[16384], chunk[97];
	static struct ktgt_param_neg neg;
	struct ktgt_param_limits lim;
	struct ktgt_negotiated cur;
	struct ktgt_text_accum acc;
	struct ktgt_text_buf out;
	struct ktgt_text_iter it;
	struct ktgt_kv kv;
	u32 len, half;
	bool more;
	u64 v;
	u8 sel;
	int rc;

	if (size < 1 || size > sizeof(copy))
		return 0;
	sel = data[0];
	len = (u32)size - 1;
	/* exact-size copy so ASan catches any read past the end */
	memcpy(copy, data + 1, len);

	ktgt_text_iter_init(&it, copy, len);
	while ((rc = ktgt_text_next(&it, &kv)) > 0) {
		if (kv.key_len == 0 || kv.key_len > KTGT_TEXT_KEY_MAX ||
		    kv.val[kv.val_len] != 0)
			__builtin_trap();
		(void)ktgt_text_parse_num(kv.val, kv.val_len, &v);
		(void)ktgt_key_lookup(kv.key, kv.key_len);
	}
	(void)ktgt_text_count(copy, len);

	/* accumulate in two pieces, then parse */
	ktgt_text_accum_init(&acc, store, sizeof(store));
	half = len / 2;
	if (!ktgt_text_accum_add(&acc, copy, half) &&
	    !ktgt_text_accum_add(&acc, copy + half, len - half))
		(void)ktgt_text_count(acc.buf, acc.len);

	/* negotiation in a stage chosen by the first byte */
	ktgt_param_limits_default(&lim);
	lim.iser = sel & 0x10;
	lim.header_digests = (sel >> 5) & 3;
	lim.max_burst = 512u << (sel & 7);
	ktgt_text_buf_init(&out, outbuf, sizeof(outbuf));
	if ((sel & 3) == 3) {
		ktgt_negotiated_default(&cur);
		ktgt_param_init_text(&neg, &lim, &cur);
		rc = ktgt_param_parse(&neg, KTGT_STAGE_FFP, copy, len);
	} else {
		ktgt_param_init(&neg, &lim, !(sel & 0x80));
		rc = ktgt_param_parse(&neg, sel & 1, copy, len);
	}
	if (!rc)
		rc = ktgt_param_respond(&neg, &out);
	if (!rc) {
		(void)ktgt_param_declare(&neg, KTGT_STAGE_OPERATIONAL, true, &out);
		(void)ktgt_param_offer(&neg, &out);
		(void)ktgt_param_wants_operational(&neg);
		(void)ktgt_param_finish(&neg);
		/* whatever we produced must parse back */
		if (ktgt_text_count(out.buf, out.len) < 0)
			__builtin_trap();
		do {
			(void)ktgt_text_take(&out, chunk, sizeof(chunk), &more);
		} while (more);
	}
	return 0;
}
