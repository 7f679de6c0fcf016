// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for src/proto/snack.c.
 *
 * Input: a 48-byte BHS, then a model of what the target retains: the
 * ErrorRecoveryLevel, a read (length, MaxRecvDataSegmentLength,
 * MaxBurstLength, how many Data-In were sent), a new
 * MaxRecvDataSegmentLength for an R-Data SNACK, the R2Ts of a write and
 * which completed, and a connection's retained statuses. The BHS is
 * decoded as a SNACK; its BegRun and RunLength (taken as they are, or
 * near the model's numbers) are then resolved against every record, and
 * applied as a DataACK and an R-Data SNACK. Checked: the decoder honours
 * the per-type rules, each resolution agrees with a reference written
 * differently, resolved PDUs are exactly what was sent and lie within
 * it, the Data-In log's runs stay contiguous, the bytes a DataACK frees
 * are those of the PDUs it acknowledges, and resegmentation continues
 * DataSN and offsets without a gap.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ktgt/proto/snack.h>
#include <ktgt/proto/serial.h>

#define CHECK(c)	do { if (!(c)) abort(); } while (0)
#define MAXSENT		200
#define MAXRUNS		512

static struct ktgt_datain_pdu sent[2 * MAXSENT];
static struct ktgt_datain_run runs[MAXRUNS];

struct input {
	const u8 *p;
	size_t left;
};

static u32 take(struct input *in, unsigned int nbytes)
{
	u32 v = 0;

	while (nbytes--) {
		v <<= 8;
		if (in->left) {
			v |= *in->p++;
			in->left--;
		}
	}
	return v;
}

/* The reference: numbers [lo, hi) retained, BegRun/RunLength asked. */
static int ref_range(u32 beg, u32 len, u32 lo, u32 hi, u32 *first,
		     u32 *count)
{
	u64 n = (u32)(hi - lo), d = (u32)(beg - lo);

	if (!beg && !len) {
		*first = lo;
		*count = n;
		return 0;
	}
	if (d >= n || (u64)len > n - d)
		return -EPROTO;
	*first = beg;
	*count = len ? len : n - d;
	return 0;
}

static void check_range(int rc, u32 first, u32 count, u32 beg, u32 len,
			u32 lo, u32 hi)
{
	u32 rf = 0, rcnt = 0;
	int want = ref_range(beg, len, lo, hi, &rf, &rcnt);

	CHECK(rc == want);
	if (rc)
		return;
	CHECK(first == rf && count == rcnt);
	/* Inside what is retained. */
	CHECK((u64)(u32)(first - lo) + count <= (u32)(hi - lo));
}

static bool pdu_eq(const struct ktgt_datain_pdu *a,
		   const struct ktgt_datain_pdu *b)
{
	return a->datasn == b->datasn && a->offset == b->offset &&
	       a->len == b->len && a->flags == b->flags;
}

static bool snack_eq(const struct ktgt_snack *a, const struct ktgt_snack *b)
{
	return a->type == b->type && !memcmp(a->lun, b->lun, 8) &&
	       a->itt == b->itt && a->ttt == b->ttt &&
	       a->expstatsn == b->expstatsn && a->begrun == b->begrun &&
	       a->runlength == b->runlength;
}

static void fuzz_decode(const u8 *bhs, u8 erl, struct ktgt_snack *s)
{
	struct ktgt_pdu pdu;
	struct ktgt_snack s2;
	int rc, rc2;

	rc = ktgt_snack_decode(bhs, erl, s);
	CHECK(rc == 0 || rc == -EPROTO || rc == -EINVAL ||
	      rc == -EOPNOTSUPP);
	(void)ktgt_snack_reject_reason(rc);
	rc2 = ktgt_bhs_decode(bhs, &pdu);
	if (!rc2) {
		CHECK(ktgt_snack_parse(&pdu, erl, &s2) == rc);
		CHECK(snack_eq(s, &s2));
	}
	if (rc)
		return;
	CHECK(erl);
	CHECK((bhs[0] & KTGT_OPCODE_MASK) == KTGT_OP_SNACK_REQ);
	CHECK(s->type == (bhs[1] & KTGT_SNACK_TYPE_MASK));
	CHECK(s->begrun == get_unaligned_be32(bhs + 40));
	CHECK(s->runlength == get_unaligned_be32(bhs + 44));
	switch (s->type) {
	case KTGT_SNACK_DATA_R2T:
		CHECK(s->itt != KTGT_RSVD_TAG && s->ttt == KTGT_RSVD_TAG);
		break;
	case KTGT_SNACK_STATUS:
		CHECK(s->itt == KTGT_RSVD_TAG && s->ttt == KTGT_RSVD_TAG);
		break;
	case KTGT_SNACK_DATA_ACK:
		CHECK(s->itt == KTGT_RSVD_TAG && s->ttt != KTGT_RSVD_TAG &&
		      !s->runlength);
		break;
	case KTGT_SNACK_RDATA:
		CHECK(s->itt != KTGT_RSVD_TAG && s->ttt &&
		      s->ttt != KTGT_RSVD_TAG && !s->begrun && !s->runlength);
		break;
	default:
		CHECK(0);
	}
}

/* The runs cover [acked, next) of both numbers and bytes, in order. */
static void check_log(const struct ktgt_datain_log *log)
{
	const struct ktgt_datain_run *r;
	u32 i, sn = log->acked_sn, off = log->acked_off;

	CHECK(log->nruns <= log->cap);
	for (i = 0; i < log->nruns; i++) {
		r = &log->runs[(log->head + i) % log->cap];
		CHECK(r->count && r->len);
		CHECK(r->datasn == sn && r->offset == off);
		CHECK((u64)r->len * r->count <= 0xffffffffu - off);
		sn += r->count;
		off += r->len * r->count;
	}
	CHECK(sn == log->next_sn && off == log->next_off);
}

static void fuzz_datain(struct input *in, const struct ktgt_snack *s,
			bool near)
{
	struct ktgt_datain_plan p;
	struct ktgt_datain_log log;
	struct ktgt_datain_pdu d;
	u32 nsend, n, off, cap, first, count, i, beg, len, freed, lo;
	u64 want_freed;
	bool status;
	int rc;

	p.total = take(in, 3);
	p.mrdsl = 1 + take(in, 2);
	p.max_burst = 1 + take(in, 3);
	p.ack = take(in, 1) & 1;
	status = take(in, 1) & 1;
	nsend = take(in, 1) % (MAXSENT + 1);

	cap = ktgt_datain_log_runs(p.total, p.max_burst);
	CHECK(cap >= 1);
	ktgt_datain_log_init(&log, runs, cap < MAXRUNS ? cap : MAXRUNS);
	for (n = 0, off = 0; n < nsend && off < p.total; n++) {
		CHECK(ktgt_datain_next(&p, off, n, status, &sent[n]) == 0);
		d = sent[n];
		CHECK(d.len && d.len <= p.mrdsl && d.offset == off);
		CHECK(off / p.max_burst == (off + d.len - 1) / p.max_burst);
		/* Enough runs for the plan: it never fills. */
		CHECK(ktgt_datain_log_add(&log, &d) == 0);
		off += d.len;
	}
	if (off >= p.total && p.total)
		CHECK(ktgt_datain_count(&p, 0) == n);
	check_log(&log);

	/* A Data SNACK. */
	beg = near ? s->begrun % (n + 2) : s->begrun;
	len = near ? s->runlength % (n + 2) : s->runlength;
	rc = ktgt_datain_log_snack(&log, beg, len, &first, &count);
	check_range(rc, first, count, beg, len, log.acked_sn, log.next_sn);
	for (i = 0; !rc && i < count; i++) {
		CHECK(ktgt_datain_log_get(&log, first + i, &d) == 0);
		CHECK(pdu_eq(&d, &sent[first + i]));
		CHECK(d.offset >= log.acked_off &&
		      d.offset + d.len <= log.next_off);
	}

	/* The same BegRun as a DataACK. */
	lo = log.acked_sn;
	want_freed = 0;
	if ((u32)(beg - lo) <= n)
		for (i = lo; i < beg; i++)
			want_freed += sent[i].len;
	rc = ktgt_datain_log_ack(&log, beg, &freed);
	if ((u32)(beg - lo) <= n) {
		CHECK(rc == 0 && freed == want_freed);
		CHECK(log.acked_sn == beg);
	} else {
		CHECK(rc == -ERANGE || (rc == 0 && !freed));
		CHECK(log.acked_sn == lo);
	}
	check_log(&log);
	for (i = 0; i < n; i++)
		CHECK((ktgt_datain_log_get(&log, i, &d) == 0) ==
		      (i >= log.acked_sn));

	/* An R-Data SNACK with a new MaxRecvDataSegmentLength. */
	p.mrdsl = 1 + take(in, 2);
	ktgt_datain_log_rewind(&log);
	check_log(&log);
	CHECK(!log.nruns);
	first = log.next_sn;
	off = log.next_off;
	count = ktgt_datain_count(&p, off);
	for (i = 0; i < MAXSENT && off < p.total; i++) {
		rc = ktgt_datain_next(&p, off, first + i, false, &d);
		CHECK(rc == 0 && d.datasn == first + i && d.offset == off);
		CHECK(!(d.flags & KTGT_DATAIN_S));
		CHECK(ktgt_datain_log_add(&log, &d) == 0);
		off += d.len;
	}
	if (off >= p.total)
		CHECK(count == i);
	check_log(&log);
}

static void fuzz_r2t(struct input *in, const struct ktgt_snack *s, bool near)
{
	struct ktgt_r2t_desc descs[16], d, want[64];
	struct ktgt_r2t_log log;
	u32 cap, n, off, len, burst, total, done, i, first, count, beg, rl;
	int rc;

	cap = take(in, 1) % 17;
	total = take(in, 3);
	burst = 1 + take(in, 2);
	done = take(in, 2);
	ktgt_r2t_log_init(&log, descs, cap);
	for (n = 0, off = 0; n < 64 && off < total; n++, off += len) {
		len = min_t(u32, burst, total - off);
		rc = ktgt_r2t_log_add(&log, off, len);
		if (rc) {
			CHECK(rc == -ENOSPC && log.count == cap);
			break;
		}
		want[n].r2tsn = n;
		want[n].offset = off;
		want[n].len = len;
		if (done & (1u << (n % 16)))
			CHECK(ktgt_r2t_log_done(&log, n) == 0);
		CHECK(log.next_sn - log.first_sn == log.count);
	}
	beg = near ? s->begrun % (n + 2) : s->begrun;
	rl = near ? s->runlength % (n + 2) : s->runlength;
	rc = ktgt_r2t_log_snack(&log, beg, rl, &first, &count);
	check_range(rc, first, count, beg, rl, log.first_sn, log.next_sn);
	for (i = 0; !rc && i < count; i++) {
		CHECK(ktgt_r2t_log_get(&log, first + i, &d) == 0);
		CHECK(d.r2tsn == want[first + i].r2tsn &&
		      d.offset == want[first + i].offset &&
		      d.len == want[first + i].len);
	}
	/* Released ones are the done prefix. */
	for (i = 0; i < log.first_sn; i++)
		CHECK(ktgt_r2t_log_get(&log, i, &d) == -ENOENT);
	if (log.count) {
		CHECK(ktgt_r2t_log_get(&log, log.first_sn, &d) == 0);
		CHECK(!d.done);
	}
}

static void fuzz_status(struct input *in, const struct ktgt_snack *s,
			bool near)
{
	struct ktgt_statq_slot slots[16];
	static int obj[64];
	struct ktgt_statq q;
	u32 cap, k, base, acked, i, first, count, beg, rl;
	bool retained = true;
	void *ev;
	int rc;

	cap = take(in, 1) % 17;
	k = take(in, 1) % 64;
	base = take(in, 4);
	acked = base + take(in, 1) % (k + 1);
	ktgt_statq_init(&q, slots, cap);
	for (i = 0; i < k; i++)
		(void)ktgt_statq_push(&q, base + i, &obj[i], &ev);
	while (ktgt_statq_ack(&q, acked))
		;
	beg = near ? base + s->begrun % (k + 2) : s->begrun;
	rl = near ? s->runlength % (k + 2) : s->runlength;
	rc = ktgt_snack_status(&q, acked, base + k, beg, rl, &first, &count);
	CHECK(rc == 0 || rc == -EPROTO || rc == -ENODATA);
	if (rc == -ENODATA) {
		retained = false;
		rc = ktgt_snack_status(NULL, acked, base + k, beg, rl, &first,
				       &count);
		CHECK(rc == 0 && count);
	}
	check_range(rc, first, count, beg, rl, acked, base + k);
	if (!rc && count && retained) {
		CHECK(count <= ktgt_statq_count(&q));
		for (i = 0; i < count; i++)
			CHECK(ktgt_snack_status_find(&q, first + i) ==
			      &obj[first + i - base]);
	}
	/* The O(1) lookup agrees with the queue's own. */
	for (i = 0; i < k + 2; i++)
		CHECK(ktgt_snack_status_find(&q, base + i - 1) ==
		      ktgt_statq_find(&q, base + i - 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ktgt_snack s;
	struct input in;
	u8 erl, mode;

	if (size < KTGT_BHS_LEN)
		return 0;
	in.p = data + KTGT_BHS_LEN;
	in.left = size - KTGT_BHS_LEN;
	erl = take(&in, 1) % 3;
	mode = take(&in, 1);
	fuzz_decode(data, erl, &s);
	/* Resolve the wire values, decoded or not. */
	s.begrun = get_unaligned_be32(data + 40);
	s.runlength = get_unaligned_be32(data + 44);
	fuzz_datain(&in, &s, mode & 1);
	fuzz_r2t(&in, &s, mode & 2);
	fuzz_status(&in, &s, mode & 4);
	return 0;
}
