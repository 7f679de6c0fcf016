// SPDX-License-Identifier: GPL-2.0
/*
 * The iSER Hello exchange (RFC 7145 5.1.3): see <ktgt/proto/iser.h>.
 */
#include <ktgt/proto/iser.h>

int ktgt_iser_hello_decode(const u8 *buf, u32 len, struct ktgt_iser_hello *h)
{
	if (len < KTGT_ISER_HELLO_MIN_LEN ||
	    (buf[0] & KTGT_ISER_OP_MASK) != KTGT_ISER_OP_HELLO)
		return -EPROTO;
	/* Reserved bits are ignored on receipt. */
	h->max_ver = buf[1] >> 4;
	h->min_ver = buf[1] & 0x0f;
	h->ird = get_unaligned_be16(buf + 2);
	return 0;
}
EXPORT_SYMBOL_GPL(ktgt_iser_hello_decode);

void ktgt_iser_hello_answer(const struct ktgt_iser_hello *h, u16 ord,
			    struct ktgt_iser_hello_reply *r)
{
	memset(r, 0, sizeof(*r));
	r->max_ver = KTGT_ISER_VERSION;
	r->cur_ver = KTGT_ISER_VERSION;
	if (h->min_ver > KTGT_ISER_VERSION || h->max_ver < KTGT_ISER_VERSION) {
		r->reject = true;
		return;
	}
	/* Never more READs in flight than the initiator can answer. */
	r->ord = min_t(u16, ord, h->ird);
}
EXPORT_SYMBOL_GPL(ktgt_iser_hello_answer);

void ktgt_iser_helloreply_encode(const struct ktgt_iser_hello_reply *r,
				 u8 *buf)
{
	memset(buf, 0, KTGT_ISER_HELLOREPLY_LEN);
	buf[0] = KTGT_ISER_OP_HELLOREPLY;
	if (r->reject)
		buf[0] |= KTGT_ISER_HELLO_REJECT;
	buf[1] = (r->max_ver & 0x0f) << 4 | (r->cur_ver & 0x0f);
	put_unaligned_be16(r->ord, buf + 2);
}
EXPORT_SYMBOL_GPL(ktgt_iser_helloreply_encode);
