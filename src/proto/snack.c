// SPDX-License-Identifier: GPL-2.0
/*
 * SNACK Request validation and the records a target answers it from
 * (RFC 7143 11.16); see <ktgt/proto/snack.h>.
 *
 * Sequence numbers are compared in serial arithmetic: "@sn is among the
 * @n numbers from @lo" is @sn - @lo < @n in 32-bit modular arithmetic,
 * which is the RFC 1982 window test for windows shorter than 2^31; each
 * record keeps its window (sent and not acknowledged) under that.
 * Offsets and lengths come from the wire only through BegRun and
 * RunLength, which are checked against the records before any use; the
 * records' own offsets never wrap (checked when they are added).
 */
#include <ktgt/proto/snack.h>
#include <ktgt/proto/serial.h>

/* Longest run of numbers a record holds: serial comparison stays exact. */
#define KTGT_SNACK_MAX_SPAN	0x7fffffffu

static void ktgt_snack_fill(const struct ktgt_pdu *pdu, struct ktgt_snack *out)
{
	out->type = pdu->snack_req.type;
	memcpy(out->lun, pdu->lun, sizeof(out->lun));
	out->itt = pdu->itt;
	out->ttt = pdu->snack_req.ttt;
	out->expstatsn = pdu->snack_req.expstatsn;
	out->begrun = pdu->snack_req.begrun;
	out->runlength = pdu->snack_req.runlength;
}

int ktgt_snack_parse(const struct ktgt_pdu *pdu, u8 erl,
		     struct ktgt_snack *out)
{
	memset(out, 0, sizeof(*out));
	if (pdu->opcode != KTGT_OP_SNACK_REQ)
		return -EPROTO;
	ktgt_snack_fill(pdu, out);
	/* SNACK is recovery at level 1 and up (7, 11.16): not at 0. */
	if (!erl)
		return -EPROTO;

	switch (out->type) {
	case KTGT_SNACK_DATA_R2T:
		/* 11.16.4: the command's ITT; 11.16.5: TTT reserved. */
		if (out->itt == KTGT_RSVD_TAG || out->ttt != KTGT_RSVD_TAG)
			return -EINVAL;
		return 0;
	case KTGT_SNACK_STATUS:
		/* 11.16.4, 11.16.5: both tags reserved. */
		if (out->itt != KTGT_RSVD_TAG || out->ttt != KTGT_RSVD_TAG)
			return -EINVAL;
		return 0;
	case KTGT_SNACK_DATA_ACK:
		/*
		 * 11.16.4: ITT reserved; 11.16.5: the TTT of the A-bit
		 * Data-In, which names the task; 11.16.7: RunLength 0.
		 */
		if (out->itt != KTGT_RSVD_TAG || out->ttt == KTGT_RSVD_TAG ||
		    out->runlength)
			return -EINVAL;
		return 0;
	case KTGT_SNACK_RDATA:
		/*
		 * 11.16.5: a SNACK Tag other than 0 and 0xffffffff;
		 * 11.16.6, 11.16.7: BegRun and RunLength 0.
		 */
		if (out->itt == KTGT_RSVD_TAG || !out->ttt ||
		    out->ttt == KTGT_RSVD_TAG || out->begrun || out->runlength)
			return -EINVAL;
		return 0;
	default:
		/* 11.16.1: reserved (ktgt_bhs_decode() refuses them too). */
		return -EPROTO;
	}
}

int ktgt_snack_decode(const u8 bhs[KTGT_BHS_LEN], u8 erl,
		      struct ktgt_snack *out)
{
	struct ktgt_pdu pdu;
	int err;

	err = ktgt_bhs_decode(bhs, &pdu);
	memset(out, 0, sizeof(*out));
	if (pdu.opcode == KTGT_OP_SNACK_REQ)
		ktgt_snack_fill(&pdu, out);
	if (err)
		return err;
	return ktgt_snack_parse(&pdu, erl, out);
}

enum ktgt_reject_reason ktgt_snack_reject_reason(int err)
{
	switch (err) {
	case -EINVAL:
		return KTGT_REJECT_INVALID_PDU_FIELD;
	case -ERANGE:
		return KTGT_REJECT_INVALID_DATA_ACK;
	case -ENODATA:
		return KTGT_REJECT_SNACK;
	case -EOPNOTSUPP:
		return KTGT_REJECT_CMD_NOT_SUPPORTED;
	default:
		return KTGT_REJECT_PROTOCOL_ERROR;
	}
}

int ktgt_snack_range(u32 begrun, u32 runlength, u32 lo, u32 hi,
		     u32 *first, u32 *count)
{
	u32 avail;

	*first = lo;
	*count = 0;
	/* 11.16.6: BegRun 0 and RunLength 0, all unacknowledged. */
	if (!begrun && !runlength) {
		*count = hi - lo;
		return 0;
	}
	/* BegRun acknowledged already, or not sent (11.16). */
	if (!ktgt_sn_in_window(begrun, lo, hi - 1))
		return -EPROTO;
	avail = hi - begrun;
	/* 11.16.7: RunLength 0 is through the last sent. */
	if (runlength > avail)
		return -EPROTO;
	*first = begrun;
	*count = runlength ? runlength : avail;
	return 0;
}
EXPORT_SYMBOL_GPL(ktgt_snack_range);

/* ---- Status SNACK ------------------------------------------------------ */

void *ktgt_snack_status_find(const struct ktgt_statq *q, u32 sn)
{
	const struct ktgt_statq_slot *slot;
	u32 i;

	if (!q->count)
		return NULL;
	/* Consecutive StatSNs: the entry is where its distance says. */
	i = sn - q->slots[q->head].sn;
	if (i < q->count) {
		slot = &q->slots[(q->head + i) % q->cap];
		if (slot->sn == sn)
			return slot->obj;
	}
	return ktgt_statq_find(q, sn);
}

int ktgt_snack_status(const struct ktgt_statq *q, u32 exp_statsn,
		      u32 next_statsn, u32 begrun, u32 runlength,
		      u32 *first, u32 *count)
{
	int err;

	err = ktgt_snack_range(begrun, runlength, exp_statsn, next_statsn,
			       first, count);
	if (err || !*count || !q)
		return err;
	/*
	 * Sent, not acknowledged, but dropped from a full queue. The queue
	 * holds consecutive StatSNs, so a run it holds is no longer than it:
	 * that bounds the caller's loop of lookups too.
	 */
	if (*count > ktgt_statq_count(q) ||
	    !ktgt_snack_status_find(q, *first) ||
	    !ktgt_snack_status_find(q, *first + *count - 1))
		return -ENODATA;
	return 0;
}

/* ---- Data-In: segmentation and the A bit --------------------------------- */

static u32 ktgt_div_up(u32 a, u32 b)
{
	return a / b + (a % b != 0);
}

int ktgt_datain_next(const struct ktgt_datain_plan *p, u32 offset,
		     u32 datasn, bool status, struct ktgt_datain_pdu *out)
{
	u32 len, end;

	memset(out, 0, sizeof(*out));
	if (!p->mrdsl || !p->max_burst || offset >= p->total)
		return -EINVAL;
	/* Up to MaxRecvDataSegmentLength, the sequence end, the end. */
	len = p->max_burst - offset % p->max_burst;
	len = min_t(u32, len, p->mrdsl);
	len = min_t(u32, len, p->total - offset);
	end = offset + len;

	out->datasn = datasn;
	out->offset = offset;
	out->len = len;
	if (end == p->total) {
		out->flags = KTGT_BHS_F;
		if (status)
			out->flags |= KTGT_DATAIN_S;
	} else if (end % p->max_burst == 0) {
		/* A sequence ends: 11.7.2 allows one A bit here. */
		out->flags = KTGT_BHS_F;
		if (p->ack)
			out->flags |= KTGT_DATAIN_A;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(ktgt_datain_next);

u32 ktgt_datain_count(const struct ktgt_datain_plan *p, u32 offset)
{
	u32 n, len, full;

	if (!p->mrdsl || !p->max_burst || offset >= p->total)
		return 0;
	/* The rest of the sequence @offset is in. */
	len = p->max_burst - offset % p->max_burst;
	len = min_t(u32, len, p->total - offset);
	n = ktgt_div_up(len, p->mrdsl);
	offset += len;
	/* Whole sequences; each PDU is a byte at least, so no overflow. */
	full = (p->total - offset) / p->max_burst;
	n += full * ktgt_div_up(p->max_burst, p->mrdsl);
	offset += full * p->max_burst;
	/* The last, short sequence. */
	if (offset < p->total)
		n += ktgt_div_up(p->total - offset, p->mrdsl);
	return n;
}
EXPORT_SYMBOL_GPL(ktgt_datain_count);

/* ---- Data-In log ------------------------------------------------------- */

u32 ktgt_datain_log_runs(u32 total, u32 max_burst)
{
	u32 bursts;

	if (!max_burst)
		return 1;
	bursts = ktgt_div_up(total, max_burst);
	if (bursts > 0x7fffffffu)
		return 0xffffffffu;
	return bursts ? 2 * bursts : 1;
}
EXPORT_SYMBOL_GPL(ktgt_datain_log_runs);

void ktgt_datain_log_init(struct ktgt_datain_log *log,
			  struct ktgt_datain_run *runs, u32 cap)
{
	memset(log, 0, sizeof(*log));
	log->runs = runs;
	log->cap = runs ? cap : 0;
}
EXPORT_SYMBOL_GPL(ktgt_datain_log_init);

static struct ktgt_datain_run *ktgt_datain_run_at(const struct ktgt_datain_log *log,
						  u32 i)
{
	return &log->runs[(log->head + i) % log->cap];
}

int ktgt_datain_log_add(struct ktgt_datain_log *log,
			const struct ktgt_datain_pdu *pdu)
{
	struct ktgt_datain_run *r;

	if (!pdu->len || pdu->datasn != log->next_sn ||
	    pdu->offset != log->next_off || pdu->len > ~0u - pdu->offset)
		return -EINVAL;
	if (log->next_sn - log->acked_sn >= KTGT_SNACK_MAX_SPAN)
		return -ENOSPC;
	/* Same length after a PDU without flags: the same run. */
	if (log->nruns) {
		r = ktgt_datain_run_at(log, log->nruns - 1);
		if (!r->flags && r->len == pdu->len) {
			r->count++;
			r->flags = pdu->flags;
			goto added;
		}
	}
	if (log->nruns == log->cap)
		return -ENOSPC;
	r = ktgt_datain_run_at(log, log->nruns);
	r->datasn = pdu->datasn;
	r->offset = pdu->offset;
	r->len = pdu->len;
	r->count = 1;
	r->flags = pdu->flags;
	log->nruns++;
added:
	log->next_sn++;
	log->next_off += pdu->len;
	return 0;
}
EXPORT_SYMBOL_GPL(ktgt_datain_log_add);

int ktgt_datain_log_get(const struct ktgt_datain_log *log, u32 datasn,
			struct ktgt_datain_pdu *out)
{
	const struct ktgt_datain_run *r;
	u32 i, k;

	memset(out, 0, sizeof(*out));
	if (datasn - log->acked_sn >= log->next_sn - log->acked_sn)
		return -ENOENT;
	for (i = 0; i < log->nruns; i++) {
		r = ktgt_datain_run_at(log, i);
		k = datasn - r->datasn;
		if (k >= r->count)
			continue;
		out->datasn = datasn;
		/* Inside a recorded run: below its end, below 2^32. */
		out->offset = r->offset + k * r->len;
		out->len = r->len;
		out->flags = k == r->count - 1 ? r->flags : 0;
		return 0;
	}
	return -ENOENT;
}
EXPORT_SYMBOL_GPL(ktgt_datain_log_get);

int ktgt_datain_log_snack(const struct ktgt_datain_log *log, u32 begrun,
			  u32 runlength, u32 *first, u32 *count)
{
	return ktgt_snack_range(begrun, runlength, log->acked_sn,
				log->next_sn, first, count);
}
EXPORT_SYMBOL_GPL(ktgt_datain_log_snack);

int ktgt_datain_log_ack(struct ktgt_datain_log *log, u32 begrun,
			u32 *freed)
{
	struct ktgt_datain_run *r;
	u32 n = begrun - log->acked_sn;
	u32 old = log->acked_off;

	*freed = 0;
	if (!n)
		return 0;
	if (n > log->next_sn - log->acked_sn)
		/* Before the last DataACK: stale. After what was sent: bad. */
		return ktgt_sn_lt(begrun, log->acked_sn) ? 0 : -ERANGE;
	while (n && log->nruns) {
		r = ktgt_datain_run_at(log, 0);
		if (n >= r->count) {
			n -= r->count;
			log->head = (log->head + 1) % log->cap;
			log->nruns--;
		} else {
			r->datasn += n;
			r->offset += n * r->len;
			r->count -= n;
			n = 0;
		}
	}
	if (!log->nruns)
		log->head = 0;
	log->acked_sn = begrun;
	log->acked_off = log->nruns ? ktgt_datain_run_at(log, 0)->offset :
				      log->next_off;
	*freed = log->acked_off - old;
	return 0;
}
EXPORT_SYMBOL_GPL(ktgt_datain_log_ack);

void ktgt_datain_log_rewind(struct ktgt_datain_log *log)
{
	log->head = 0;
	log->nruns = 0;
	log->next_sn = log->acked_sn;
	log->next_off = log->acked_off;
}
EXPORT_SYMBOL_GPL(ktgt_datain_log_rewind);

/* ---- R2T log ----------------------------------------------------------- */

void ktgt_r2t_log_init(struct ktgt_r2t_log *log, struct ktgt_r2t_desc *descs,
		       u32 cap)
{
	memset(log, 0, sizeof(*log));
	log->descs = descs;
	log->cap = descs ? cap : 0;
}
EXPORT_SYMBOL_GPL(ktgt_r2t_log_init);

static struct ktgt_r2t_desc *ktgt_r2t_at(const struct ktgt_r2t_log *log,
					 u32 i)
{
	return &log->descs[(log->head + i) % log->cap];
}

int ktgt_r2t_log_add(struct ktgt_r2t_log *log, u32 offset, u32 len)
{
	struct ktgt_r2t_desc *d;

	if (!len || len > ~0u - offset)
		return -EINVAL;
	if (log->count == log->cap || log->count >= KTGT_SNACK_MAX_SPAN)
		return -ENOSPC;
	d = ktgt_r2t_at(log, log->count);
	d->r2tsn = log->next_sn;
	d->offset = offset;
	d->len = len;
	d->done = false;
	log->count++;
	log->next_sn++;
	return 0;
}
EXPORT_SYMBOL_GPL(ktgt_r2t_log_add);

/* Retained R2Ts are [first_sn, next_sn), count == next_sn - first_sn. */
int ktgt_r2t_log_done(struct ktgt_r2t_log *log, u32 r2tsn)
{
	u32 k = r2tsn - log->first_sn;

	if (k >= log->count)
		return -ENOENT;
	ktgt_r2t_at(log, k)->done = true;
	while (log->count && ktgt_r2t_at(log, 0)->done) {
		log->head = (log->head + 1) % log->cap;
		log->count--;
		log->first_sn++;
	}
	if (!log->count)
		log->head = 0;
	return 0;
}
EXPORT_SYMBOL_GPL(ktgt_r2t_log_done);

int ktgt_r2t_log_get(const struct ktgt_r2t_log *log, u32 r2tsn,
		     struct ktgt_r2t_desc *out)
{
	u32 k = r2tsn - log->first_sn;

	memset(out, 0, sizeof(*out));
	if (k >= log->count)
		return -ENOENT;
	*out = *ktgt_r2t_at(log, k);
	return 0;
}
EXPORT_SYMBOL_GPL(ktgt_r2t_log_get);

int ktgt_r2t_log_snack(const struct ktgt_r2t_log *log, u32 begrun,
		       u32 runlength, u32 *first, u32 *count)
{
	return ktgt_snack_range(begrun, runlength, log->first_sn,
				log->next_sn, first, count);
}
EXPORT_SYMBOL_GPL(ktgt_r2t_log_snack);
