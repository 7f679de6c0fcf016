// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for SNACK Request validation and the Data-In, R2T and
 * status records it is answered from (src/proto/snack.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ktgt/proto/snack.h>

#define RSVD	KTGT_RSVD_TAG
#define FA	(KTGT_BHS_F | KTGT_DATAIN_A)
#define FS	(KTGT_BHS_F | KTGT_DATAIN_S)

static const u8 lun1[8] = { 0, 1 };

/* A SNACK BHS as an initiator would send it, decoded by the target. */
static int snack(u8 type, u32 itt, u32 ttt, u32 begrun, u32 runlength,
		 u8 erl, struct ktgt_snack *out)
{
	struct ktgt_pdu p;
	u8 bhs[KTGT_BHS_LEN];

	ktgt_pdu_init(&p, KTGT_OP_SNACK_REQ);
	memcpy(p.lun, lun1, sizeof(p.lun));
	p.itt = itt;
	p.snack_req.type = type;
	p.snack_req.ttt = ttt;
	p.snack_req.expstatsn = 0x1234;
	p.snack_req.begrun = begrun;
	p.snack_req.runlength = runlength;
	assert_int_equal(ktgt_bhs_encode(&p, bhs), 0);
	return ktgt_snack_decode(bhs, erl, out);
}

static void test_decode_valid(void **state)
{
	struct ktgt_snack s;

	assert_int_equal(snack(KTGT_SNACK_DATA_R2T, 7, RSVD, 3, 2, 1, &s), 0);
	assert_int_equal(s.type, KTGT_SNACK_DATA_R2T);
	assert_int_equal(s.itt, 7);
	assert_int_equal(s.ttt, RSVD);
	assert_int_equal(s.expstatsn, 0x1234);
	assert_int_equal(s.begrun, 3);
	assert_int_equal(s.runlength, 2);
	assert_memory_equal(s.lun, lun1, 8);

	assert_int_equal(snack(KTGT_SNACK_STATUS, RSVD, RSVD, 40, 0, 2, &s),
			 0);
	assert_int_equal(s.type, KTGT_SNACK_STATUS);
	assert_int_equal(s.begrun, 40);

	assert_int_equal(snack(KTGT_SNACK_DATA_ACK, RSVD, 0x55, 9, 0, 1, &s),
			 0);
	assert_int_equal(s.type, KTGT_SNACK_DATA_ACK);
	assert_int_equal(s.ttt, 0x55);
	assert_int_equal(s.begrun, 9);

	assert_int_equal(snack(KTGT_SNACK_RDATA, 7, 0x99, 0, 0, 1, &s), 0);
	assert_int_equal(s.type, KTGT_SNACK_RDATA);
	assert_int_equal(s.itt, 7);
	assert_int_equal(s.ttt, 0x99);	/* the SNACK Tag */
}

static void expect(int err, int want, enum ktgt_reject_reason reason)
{
	assert_int_equal(err, want);
	assert_int_equal(ktgt_snack_reject_reason(err), reason);
}

static void test_decode_invalid(void **state)
{
	struct ktgt_snack s;
	struct ktgt_pdu p;
	u8 bhs[KTGT_BHS_LEN];
	int t;

	/* No SNACK of any type at ErrorRecoveryLevel 0. */
	for (t = 0; t <= KTGT_SNACK_RDATA; t++)
		expect(snack(t, t == 1 || t == 2 ? RSVD : 7,
			     t == 2 ? 5 : t == 3 ? 9 : RSVD, 0, 0, 0, &s),
		       -EPROTO, KTGT_REJECT_PROTOCOL_ERROR);
	/* ...and the fields are decoded anyway, for the log. */
	assert_int_equal(s.type, KTGT_SNACK_RDATA);
	assert_int_equal(s.ttt, 9);

	/* Data/R2T: the command's ITT, TTT reserved. */
	expect(snack(0, RSVD, RSVD, 0, 0, 1, &s), -EINVAL,
	       KTGT_REJECT_INVALID_PDU_FIELD);
	expect(snack(0, 7, 1, 0, 0, 1, &s), -EINVAL,
	       KTGT_REJECT_INVALID_PDU_FIELD);
	/* Status: both tags reserved. */
	expect(snack(1, 7, RSVD, 0, 0, 1, &s), -EINVAL,
	       KTGT_REJECT_INVALID_PDU_FIELD);
	expect(snack(1, RSVD, 0, 0, 0, 1, &s), -EINVAL,
	       KTGT_REJECT_INVALID_PDU_FIELD);
	/* DataACK: ITT reserved, a real TTT, RunLength 0. */
	expect(snack(2, 7, 5, 1, 0, 1, &s), -EINVAL,
	       KTGT_REJECT_INVALID_PDU_FIELD);
	expect(snack(2, RSVD, RSVD, 1, 0, 1, &s), -EINVAL,
	       KTGT_REJECT_INVALID_PDU_FIELD);
	expect(snack(2, RSVD, 5, 1, 1, 1, &s), -EINVAL,
	       KTGT_REJECT_INVALID_PDU_FIELD);
	/* R-Data: the command's ITT, a SNACK Tag not 0 nor reserved,
	 * BegRun and RunLength 0.
	 */
	expect(snack(3, RSVD, 9, 0, 0, 1, &s), -EINVAL,
	       KTGT_REJECT_INVALID_PDU_FIELD);
	expect(snack(3, 7, 0, 0, 0, 1, &s), -EINVAL,
	       KTGT_REJECT_INVALID_PDU_FIELD);
	expect(snack(3, 7, RSVD, 0, 0, 1, &s), -EINVAL,
	       KTGT_REJECT_INVALID_PDU_FIELD);
	expect(snack(3, 7, 9, 1, 0, 1, &s), -EINVAL,
	       KTGT_REJECT_INVALID_PDU_FIELD);
	expect(snack(3, 7, 9, 0, 1, 1, &s), -EINVAL,
	       KTGT_REJECT_INVALID_PDU_FIELD);

	/* A reserved Type, a data segment: protocol errors. */
	assert_int_equal(snack(0, 7, RSVD, 0, 0, 1, &s), 0);
	ktgt_pdu_init(&p, KTGT_OP_SNACK_REQ);
	p.itt = 7;
	p.snack_req.ttt = RSVD;
	p.snack_req.type = 4;
	assert_int_equal(ktgt_bhs_encode(&p, bhs), 0);
	expect(ktgt_snack_decode(bhs, 1, &s), -EPROTO,
	       KTGT_REJECT_PROTOCOL_ERROR);
	assert_int_equal(s.type, 4);
	p.snack_req.type = 0;
	p.data_len = 4;
	assert_int_equal(ktgt_bhs_encode(&p, bhs), 0);
	expect(ktgt_snack_decode(bhs, 1, &s), -EPROTO,
	       KTGT_REJECT_PROTOCOL_ERROR);
	/* Another opcode is no SNACK; an undefined one is unsupported. */
	ktgt_pdu_init(&p, KTGT_OP_NOP_OUT);
	p.itt = 1;
	assert_int_equal(ktgt_bhs_encode(&p, bhs), 0);
	assert_int_equal(ktgt_snack_decode(bhs, 1, &s), -EPROTO);
	assert_int_equal(ktgt_snack_parse(&p, 1, &s), -EPROTO);
	memset(bhs, 0, sizeof(bhs));
	bhs[0] = 0x1c;
	expect(ktgt_snack_decode(bhs, 1, &s), -EOPNOTSUPP,
	       KTGT_REJECT_CMD_NOT_SUPPORTED);
	/* The other mappings. */
	assert_int_equal(ktgt_snack_reject_reason(-ERANGE),
			 KTGT_REJECT_INVALID_DATA_ACK);
	assert_int_equal(ktgt_snack_reject_reason(-ENODATA),
			 KTGT_REJECT_SNACK);
}

static void range_ok(u32 beg, u32 len, u32 lo, u32 hi, u32 first, u32 count)
{
	u32 f = 1, c = 1;

	assert_int_equal(ktgt_snack_range(beg, len, lo, hi, &f, &c), 0);
	assert_int_equal(f, first);
	assert_int_equal(c, count);
}

static void range_bad(u32 beg, u32 len, u32 lo, u32 hi)
{
	u32 f, c = 1;

	assert_int_equal(ktgt_snack_range(beg, len, lo, hi, &f, &c), -EPROTO);
	assert_int_equal(c, 0);
}

static void test_range(void **state)
{
	/* Sent and unacknowledged: 10..19. */
	range_ok(0, 0, 10, 20, 10, 10);		/* all unacknowledged */
	range_ok(10, 0, 10, 20, 10, 10);	/* from 10 on */
	range_ok(15, 5, 10, 20, 15, 5);
	range_ok(19, 1, 10, 20, 19, 1);
	range_ok(19, 0, 10, 20, 19, 1);
	range_bad(19, 2, 10, 20);		/* 20 not sent */
	range_bad(20, 0, 10, 20);
	range_bad(15, 6, 10, 20);
	range_bad(9, 1, 10, 20);		/* 9 acknowledged */
	range_bad(9, 0, 10, 20);
	range_bad(15, 0xffffffffu, 10, 20);
	range_bad(10 + 0x80000000u, 1, 10, 20);
	/* Nothing unacknowledged: "all" is empty, anything else wrong. */
	range_ok(0, 0, 5, 5, 5, 0);
	range_bad(5, 0, 5, 5);
	range_bad(4, 1, 5, 5);
	/* Across the wrap: 0xfffffffe..2. */
	range_ok(0xffffffffu, 3, 0xfffffffeu, 3, 0xffffffffu, 3);
	range_ok(0, 0, 0xfffffffeu, 3, 0xfffffffeu, 5);	/* all, not "0 on" */
	range_ok(0, 1, 0xfffffffeu, 3, 0, 1);
	range_ok(1, 0, 0xfffffffeu, 3, 1, 2);
	range_bad(2, 2, 0xfffffffeu, 3);
	range_bad(3, 1, 0xfffffffeu, 3);
	range_bad(0xfffffffdu, 1, 0xfffffffeu, 3);
	/* DataSN 0 acknowledged: 0/0 still means all unacknowledged. */
	range_ok(0, 0, 1, 4, 1, 3);
	range_bad(0, 1, 1, 4);
}

static void test_status(void **state)
{
	struct ktgt_statq_slot slots[4];
	static int obj[8];
	struct ktgt_statq q;
	void *ev;
	u32 f, c, i;

	ktgt_statq_init(&q, slots, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(ktgt_statq_push(&q, 100 + i, &obj[i], &ev), 0);
	assert_int_equal(ktgt_snack_status(&q, 100, 104, 0, 0, &f, &c), 0);
	assert_int_equal(f, 100);
	assert_int_equal(c, 4);
	assert_int_equal(ktgt_snack_status(&q, 100, 104, 102, 0, &f, &c), 0);
	assert_int_equal(f, 102);
	assert_int_equal(c, 2);
	for (i = 0; i < c; i++)
		assert_ptr_equal(ktgt_snack_status_find(&q, f + i),
				 &obj[2 + i]);
	assert_null(ktgt_snack_status_find(&q, 104));
	assert_null(ktgt_snack_status_find(&q, 99));
	assert_int_equal(ktgt_snack_status(&q, 101, 104, 100, 1, &f, &c),
			 -EPROTO);	/* acknowledged */
	assert_int_equal(ktgt_snack_status(&q, 100, 104, 104, 1, &f, &c),
			 -EPROTO);	/* not sent */
	assert_int_equal(ktgt_snack_status(&q, 100, 104, 103, 2, &f, &c),
			 -EPROTO);
	/* Two more responses: 100 and 101 are evicted unacknowledged. */
	assert_int_equal(ktgt_statq_push(&q, 104, &obj[4], &ev), 0);
	assert_int_equal(ktgt_statq_push(&q, 105, &obj[5], &ev), 0);
	assert_int_equal(ktgt_snack_status(&q, 100, 106, 101, 2, &f, &c),
			 -ENODATA);
	assert_int_equal(ktgt_snack_reject_reason(-ENODATA),
			 KTGT_REJECT_SNACK);
	assert_int_equal(ktgt_snack_status(&q, 100, 106, 102, 0, &f, &c), 0);
	assert_int_equal(c, 4);
	for (i = 102; i < 106; i++)
		assert_ptr_equal(ktgt_snack_status_find(&q, i),
				 &obj[i - 100]);
	assert_null(ktgt_snack_status_find(&q, 101));
	/* Without a queue only the numbers are checked. */
	assert_int_equal(ktgt_snack_status(NULL, 100, 106, 100, 1, &f, &c), 0);
	/* Nothing unacknowledged. */
	assert_int_equal(ktgt_snack_status(&q, 106, 106, 0, 0, &f, &c), 0);
	assert_int_equal(c, 0);
	/* A queue with a hole (not the core's): still found, or refused. */
	ktgt_statq_init(&q, slots, 4);
	assert_int_equal(ktgt_statq_push(&q, 10, &obj[0], &ev), 0);
	assert_int_equal(ktgt_statq_push(&q, 12, &obj[2], &ev), 0);
	assert_ptr_equal(ktgt_snack_status_find(&q, 12), &obj[2]);
	assert_null(ktgt_snack_status_find(&q, 11));
	assert_int_equal(ktgt_snack_status(&q, 10, 13, 10, 0, &f, &c),
			 -ENODATA);	/* 3 StatSNs, 2 entries */
	assert_null(ktgt_snack_status_find(&q, 13));
	ktgt_statq_init(&q, slots, 4);
	assert_null(ktgt_snack_status_find(&q, 0));
}

static void pdu_is(const struct ktgt_datain_pdu *p, u32 sn, u32 off, u32 len,
		   u8 flags)
{
	assert_int_equal(p->datasn, sn);
	assert_int_equal(p->offset, off);
	assert_int_equal(p->len, len);
	assert_int_equal(p->flags, flags);
}

/* Segmentation: never across MaxBurstLength; A at sequence ends. */
static void test_datain_next(void **state)
{
	struct ktgt_datain_plan p = { 10000, 3000, 4096, true };
	struct ktgt_datain_pdu d;
	u32 off, sn;

	assert_int_equal(ktgt_datain_next(&p, 0, 0, true, &d), 0);
	pdu_is(&d, 0, 0, 3000, 0);
	assert_int_equal(ktgt_datain_next(&p, 3000, 1, true, &d), 0);
	pdu_is(&d, 1, 3000, 1096, FA);
	assert_int_equal(ktgt_datain_next(&p, 4096, 2, true, &d), 0);
	pdu_is(&d, 2, 4096, 3000, 0);
	assert_int_equal(ktgt_datain_next(&p, 7096, 3, true, &d), 0);
	pdu_is(&d, 3, 7096, 1096, FA);
	/* The last: F, S with status, never A. */
	assert_int_equal(ktgt_datain_next(&p, 8192, 4, true, &d), 0);
	pdu_is(&d, 4, 8192, 1808, FS);
	assert_int_equal(ktgt_datain_next(&p, 8192, 4, false, &d), 0);
	pdu_is(&d, 4, 8192, 1808, KTGT_BHS_F);
	assert_int_equal(ktgt_datain_count(&p, 0), 5);
	assert_int_equal(ktgt_datain_count(&p, 3000), 4);
	assert_int_equal(ktgt_datain_count(&p, 9999), 1);
	assert_int_equal(ktgt_datain_count(&p, 10000), 0);
	/* ErrorRecoveryLevel 0: no A bit ever (11.7.2). */
	p.ack = false;
	assert_int_equal(ktgt_datain_next(&p, 3000, 1, false, &d), 0);
	pdu_is(&d, 1, 3000, 1096, KTGT_BHS_F);
	/* Bad calls. */
	assert_int_equal(ktgt_datain_next(&p, 10000, 5, false, &d), -EINVAL);
	p.mrdsl = 0;
	assert_int_equal(ktgt_datain_next(&p, 0, 0, false, &d), -EINVAL);
	assert_int_equal(ktgt_datain_count(&p, 0), 0);

	/* 1 MiB, 8 KiB PDUs, 256 KiB bursts: A at 256K, 512K and 768K. */
	p = (struct ktgt_datain_plan){ 1 << 20, 8192, 262144, true };
	for (off = 0, sn = 0; off < p.total; off += d.len, sn++) {
		assert_int_equal(ktgt_datain_next(&p, off, sn, false, &d), 0);
		assert_int_equal(d.len, 8192);
		if ((off + d.len) % 262144 == 0 && off + d.len < p.total)
			assert_int_equal(d.flags, FA);
		else if (off + d.len == p.total)
			assert_int_equal(d.flags, KTGT_BHS_F);
		else
			assert_int_equal(d.flags, 0);
	}
	assert_int_equal(sn, 128);
	assert_int_equal(ktgt_datain_count(&p, 0), 128);
}

/* ktgt_datain_count() agrees with walking ktgt_datain_next(). */
static void test_datain_count(void **state)
{
	struct ktgt_datain_plan p;
	struct ktgt_datain_pdu d;
	u32 seed = 7, i, off, n, start, last_a;

	for (i = 0; i < 2000; i++) {
		seed = seed * 1103515245 + 12345;
		p.total = 1 + (seed >> 4) % 300000;
		seed = seed * 1103515245 + 12345;
		p.mrdsl = 1 + (seed >> 4) % 20000;
		seed = seed * 1103515245 + 12345;
		p.max_burst = 1 + (seed >> 4) % 70000;
		p.ack = true;
		start = (seed >> 3) % p.total;
		last_a = 0;
		for (off = start, n = 0; off < p.total; off += d.len, n++) {
			assert_int_equal(ktgt_datain_next(&p, off, n, true, &d),
					 0);
			assert_true(d.len >= 1 && d.len <= p.mrdsl);
			/* No sequence longer than MaxBurstLength. */
			assert_true(off / p.max_burst ==
				    (off + d.len - 1) / p.max_burst);
			/* A at most once per MaxBurstLength bytes. */
			if (d.flags & KTGT_DATAIN_A) {
				assert_true(d.flags & KTGT_BHS_F);
				assert_true(off + d.len - last_a >= p.max_burst);
				last_a = off + d.len;
			}
		}
		assert_int_equal(n, ktgt_datain_count(&p, start));
	}
}

/* Sends every Data-In of @p from @off, @sn on, into @log. */
static u32 send_all(struct ktgt_datain_log *log,
		    const struct ktgt_datain_plan *p, u32 off, u32 sn,
		    struct ktgt_datain_pdu *sent, bool status)
{
	u32 n = 0;

	while (off < p->total) {
		assert_int_equal(ktgt_datain_next(p, off, sn, status,
						  &sent[n]), 0);
		assert_int_equal(ktgt_datain_log_add(log, &sent[n]), 0);
		off += sent[n].len;
		sn++;
		n++;
	}
	return n;
}

static void test_datain_log_snack(void **state)
{
	struct ktgt_datain_plan p = { 10000, 3000, 4096, true };
	struct ktgt_datain_run runs[6];
	struct ktgt_datain_pdu sent[8], d;
	struct ktgt_datain_log log;
	u32 f, c, i, n;

	assert_int_equal(ktgt_datain_log_runs(10000, 4096), 6);
	ktgt_datain_log_init(&log, runs, ktgt_datain_log_runs(10000, 4096));
	n = send_all(&log, &p, 0, 0, sent, true);
	assert_int_equal(n, 5);
	assert_int_equal(log.nruns, 5);		/* 3000,1096 | 3000,1096 | 1808 */
	assert_int_equal(log.next_sn, 5);
	assert_int_equal(log.next_off, 10000);
	/* Every PDU comes back exactly as sent. */
	for (i = 0; i < n; i++) {
		assert_int_equal(ktgt_datain_log_get(&log, i, &d), 0);
		pdu_is(&d, sent[i].datasn, sent[i].offset, sent[i].len,
		       sent[i].flags);
	}
	assert_int_equal(ktgt_datain_log_get(&log, 5, &d), -ENOENT);
	/* Data SNACKs. */
	assert_int_equal(ktgt_datain_log_snack(&log, 1, 2, &f, &c), 0);
	assert_int_equal(f, 1);
	assert_int_equal(c, 2);
	assert_int_equal(ktgt_datain_log_snack(&log, 0, 0, &f, &c), 0);
	assert_int_equal(f, 0);
	assert_int_equal(c, 5);
	assert_int_equal(ktgt_datain_log_snack(&log, 3, 0, &f, &c), 0);
	assert_int_equal(f, 3);
	assert_int_equal(c, 2);
	assert_int_equal(ktgt_datain_log_snack(&log, 4, 2, &f, &c), -EPROTO);
	assert_int_equal(ktgt_datain_log_snack(&log, 5, 1, &f, &c), -EPROTO);
	assert_int_equal(ktgt_datain_log_snack(&log, 5, 0, &f, &c), -EPROTO);
}

static void test_datain_ack(void **state)
{
	struct ktgt_datain_plan p = { 10000, 3000, 4096, true };
	struct ktgt_datain_run runs[6];
	struct ktgt_datain_pdu sent[8], d;
	struct ktgt_datain_log log;
	u32 f, c, freed;

	ktgt_datain_log_init(&log, runs, 6);
	send_all(&log, &p, 0, 0, sent, false);
	/* DataACK after the A bit on DataSN 1: the first 4096 bytes. */
	assert_int_equal(ktgt_datain_log_ack(&log, 2, &freed), 0);
	assert_int_equal(freed, 4096);
	assert_int_equal(log.acked_sn, 2);
	assert_int_equal(log.acked_off, 4096);
	assert_int_equal(log.nruns, 3);
	assert_int_equal(ktgt_datain_log_get(&log, 1, &d), -ENOENT);
	assert_int_equal(ktgt_datain_log_get(&log, 2, &d), 0);
	pdu_is(&d, 2, 4096, 3000, 0);
	/* Acknowledged data can no longer be asked for. */
	assert_int_equal(ktgt_datain_log_snack(&log, 1, 1, &f, &c), -EPROTO);
	assert_int_equal(ktgt_datain_log_snack(&log, 0, 0, &f, &c), 0);
	assert_int_equal(f, 2);
	assert_int_equal(c, 3);
	/* The same DataACK again, or an older one: nothing moves. */
	assert_int_equal(ktgt_datain_log_ack(&log, 2, &freed), 0);
	assert_int_equal(freed, 0);
	assert_int_equal(ktgt_datain_log_ack(&log, 1, &freed), 0);
	assert_int_equal(freed, 0);
	assert_int_equal(log.acked_sn, 2);
	/* Beyond what was sent: Invalid DataACK. */
	assert_int_equal(ktgt_datain_log_ack(&log, 6, &freed), -ERANGE);
	assert_int_equal(ktgt_snack_reject_reason(-ERANGE),
			 KTGT_REJECT_INVALID_DATA_ACK);
	assert_int_equal(log.acked_sn, 2);
	/* Inside a run (DataSN 3 of the run 2..3 is trimmed off 2). */
	assert_int_equal(ktgt_datain_log_ack(&log, 3, &freed), 0);
	assert_int_equal(freed, 3000);
	assert_int_equal(ktgt_datain_log_get(&log, 3, &d), 0);
	pdu_is(&d, 3, 7096, 1096, FA);
	/* Everything. */
	assert_int_equal(ktgt_datain_log_ack(&log, 5, &freed), 0);
	assert_int_equal(freed, 10000 - 7096);
	assert_int_equal(log.acked_off, 10000);
	assert_int_equal(log.nruns, 0);
	assert_int_equal(ktgt_datain_log_snack(&log, 0, 0, &f, &c), 0);
	assert_int_equal(c, 0);
	assert_int_equal(ktgt_datain_log_snack(&log, 4, 1, &f, &c), -EPROTO);
}

/* Long runs: a DataACK in the middle of one trims it exactly. */
static void test_datain_long_run(void **state)
{
	struct ktgt_datain_plan p = { 1 << 20, 8192, 262144, true };
	struct ktgt_datain_run runs[8];
	static struct ktgt_datain_pdu sent[128];
	struct ktgt_datain_pdu d;
	struct ktgt_datain_log log;
	u32 freed, i;

	ktgt_datain_log_init(&log, runs,
			     ktgt_datain_log_runs(p.total, p.max_burst));
	assert_int_equal(send_all(&log, &p, 0, 0, sent, true), 128);
	assert_int_equal(log.nruns, 4);		/* one per sequence */
	assert_int_equal(ktgt_datain_log_ack(&log, 10, &freed), 0);
	assert_int_equal(freed, 10 * 8192);
	for (i = 10; i < 128; i++) {
		assert_int_equal(ktgt_datain_log_get(&log, i, &d), 0);
		pdu_is(&d, i, i * 8192, 8192, sent[i].flags);
	}
	assert_int_equal(sent[31].flags, FA);
	assert_int_equal(sent[127].flags, FS);
}

/*
 * R-Data SNACK: everything from the last DataACK is sent again for the
 * new MaxRecvDataSegmentLength, DataSN going on from its BegRun
 * (RFC 7143 11.16.3).
 */
static void test_rdata(void **state)
{
	struct ktgt_datain_plan p = { 10000, 3000, 4096, true };
	struct ktgt_datain_run runs[6];
	struct ktgt_datain_pdu sent[16], d;
	struct ktgt_datain_log log;
	u32 freed, n, i;

	ktgt_datain_log_init(&log, runs, 6);
	send_all(&log, &p, 0, 0, sent, true);
	assert_int_equal(ktgt_datain_log_ack(&log, 2, &freed), 0);

	/* The initiator's MaxRecvDataSegmentLength shrank to 1000. */
	ktgt_datain_log_rewind(&log);
	assert_int_equal(log.next_sn, 2);
	assert_int_equal(log.next_off, 4096);
	assert_int_equal(ktgt_datain_log_get(&log, 2, &d), -ENOENT);
	p.mrdsl = 1000;
	assert_int_equal(ktgt_datain_count(&p, 4096), 7);
	n = send_all(&log, &p, log.next_off, log.next_sn, sent, false);
	assert_int_equal(n, 7);
	pdu_is(&sent[0], 2, 4096, 1000, 0);
	pdu_is(&sent[1], 3, 5096, 1000, 0);
	pdu_is(&sent[2], 4, 6096, 1000, 0);
	pdu_is(&sent[3], 5, 7096, 1000, 0);
	pdu_is(&sent[4], 6, 8096, 96, FA);
	pdu_is(&sent[5], 7, 8192, 1000, 0);
	pdu_is(&sent[6], 8, 9192, 808, KTGT_BHS_F);
	for (i = 0; i < n; i++) {
		assert_int_equal(ktgt_datain_log_get(&log, 2 + i, &d), 0);
		pdu_is(&d, sent[i].datasn, sent[i].offset, sent[i].len,
		       sent[i].flags);
	}
	assert_true(log.nruns <= 6);

	/* It grew to 8192 and a second R-Data SNACK came. */
	ktgt_datain_log_rewind(&log);
	p.mrdsl = 8192;
	n = send_all(&log, &p, log.next_off, log.next_sn, sent, false);
	assert_int_equal(n, 2);
	pdu_is(&sent[0], 2, 4096, 4096, FA);
	pdu_is(&sent[1], 3, 8192, 1808, KTGT_BHS_F);
	assert_int_equal(log.next_sn, 4);

	/* No DataACK ever came: DataSN 0 at offset 0. */
	ktgt_datain_log_init(&log, runs, 6);
	p.mrdsl = 3000;
	send_all(&log, &p, 0, 0, sent, true);
	ktgt_datain_log_rewind(&log);
	assert_int_equal(log.next_sn, 0);
	assert_int_equal(log.next_off, 0);
	p.mrdsl = 5000;
	n = send_all(&log, &p, 0, 0, sent, false);
	assert_int_equal(n, 3);
	pdu_is(&sent[0], 0, 0, 4096, FA);
	pdu_is(&sent[1], 1, 4096, 4096, FA);
	pdu_is(&sent[2], 2, 8192, 1808, KTGT_BHS_F);
}

static void test_datain_log_errors(void **state)
{
	struct ktgt_datain_run runs[1];
	struct ktgt_datain_log log;
	struct ktgt_datain_pdu d = { 0, 0, 100, 0 };

	ktgt_datain_log_init(&log, runs, 1);
	d.datasn = 1;
	assert_int_equal(ktgt_datain_log_add(&log, &d), -EINVAL);
	d.datasn = 0;
	d.offset = 5;
	assert_int_equal(ktgt_datain_log_add(&log, &d), -EINVAL);
	d.offset = 0;
	d.len = 0;
	assert_int_equal(ktgt_datain_log_add(&log, &d), -EINVAL);
	d.len = 100;
	assert_int_equal(ktgt_datain_log_add(&log, &d), 0);
	d.datasn = 1;
	d.offset = 100;
	assert_int_equal(ktgt_datain_log_add(&log, &d), 0);	/* merged */
	d.datasn = 2;
	d.offset = 200;
	d.len = 50;
	assert_int_equal(ktgt_datain_log_add(&log, &d), -ENOSPC);
	assert_int_equal(log.next_sn, 2);
	assert_int_equal(log.next_off, 200);
	/* An offset that would wrap. */
	ktgt_datain_log_init(&log, runs, 1);
	log.next_off = 0xffffff00u;
	d.datasn = 0;
	d.offset = 0xffffff00u;
	d.len = 0x100;
	assert_int_equal(ktgt_datain_log_add(&log, &d), -EINVAL);
	d.len = 0xff;
	assert_int_equal(ktgt_datain_log_add(&log, &d), 0);
	/* No runs at all. */
	ktgt_datain_log_init(&log, NULL, 4);
	d.offset = 0;
	assert_int_equal(ktgt_datain_log_add(&log, &d), -ENOSPC);
	assert_int_equal(ktgt_datain_log_runs(0, 512), 1);
	assert_int_equal(ktgt_datain_log_runs(513, 512), 4);
	assert_int_equal(ktgt_datain_log_runs(5, 0), 1);
	assert_int_equal(ktgt_datain_log_runs(0xffffffffu, 1), 0xffffffffu);
}

static void test_r2t_log(void **state)
{
	struct ktgt_r2t_desc descs[3], d;
	struct ktgt_r2t_log log;
	u32 f, c;

	ktgt_r2t_log_init(&log, descs, 3);
	assert_int_equal(ktgt_r2t_log_add(&log, 0, 65536), 0);
	assert_int_equal(ktgt_r2t_log_add(&log, 65536, 65536), 0);
	assert_int_equal(ktgt_r2t_log_add(&log, 131072, 10000), 0);
	assert_int_equal(ktgt_r2t_log_add(&log, 141072, 1), -ENOSPC);
	assert_int_equal(ktgt_r2t_log_snack(&log, 1, 1, &f, &c), 0);
	assert_int_equal(f, 1);
	assert_int_equal(c, 1);
	assert_int_equal(ktgt_r2t_log_get(&log, 1, &d), 0);
	assert_int_equal(d.r2tsn, 1);
	assert_int_equal(d.offset, 65536);
	assert_int_equal(d.len, 65536);
	assert_false(d.done);
	/* R2T 1's data arrives first: retained, since 0 is missing. */
	assert_int_equal(ktgt_r2t_log_done(&log, 1), 0);
	assert_int_equal(log.count, 3);
	assert_int_equal(ktgt_r2t_log_snack(&log, 0, 0, &f, &c), 0);
	assert_int_equal(f, 0);
	assert_int_equal(c, 3);
	assert_int_equal(ktgt_r2t_log_get(&log, 1, &d), 0);
	assert_true(d.done);
	/* 0 completes: 0 and 1 go. */
	assert_int_equal(ktgt_r2t_log_done(&log, 0), 0);
	assert_int_equal(log.count, 1);
	assert_int_equal(log.first_sn, 2);
	assert_int_equal(ktgt_r2t_log_get(&log, 1, &d), -ENOENT);
	assert_int_equal(ktgt_r2t_log_snack(&log, 1, 1, &f, &c), -EPROTO);
	assert_int_equal(ktgt_r2t_log_snack(&log, 0, 1, &f, &c), -EPROTO);
	assert_int_equal(ktgt_r2t_log_snack(&log, 2, 0, &f, &c), 0);
	assert_int_equal(c, 1);
	assert_int_equal(ktgt_r2t_log_snack(&log, 3, 1, &f, &c), -EPROTO);
	assert_int_equal(ktgt_r2t_log_snack(&log, 2, 2, &f, &c), -EPROTO);
	assert_int_equal(ktgt_r2t_log_done(&log, 5), -ENOENT);
	assert_int_equal(ktgt_r2t_log_done(&log, 1), -ENOENT);
	/* Room again; R2TSN goes on. */
	assert_int_equal(ktgt_r2t_log_add(&log, 141072, 1), 0);
	assert_int_equal(ktgt_r2t_log_get(&log, 3, &d), 0);
	assert_int_equal(d.offset, 141072);
	assert_int_equal(ktgt_r2t_log_add(&log, 0, 0), -EINVAL);
	assert_int_equal(ktgt_r2t_log_add(&log, 0xfffffff0u, 0x11), -EINVAL);
	assert_int_equal(ktgt_r2t_log_done(&log, 2), 0);
	assert_int_equal(ktgt_r2t_log_done(&log, 3), 0);
	assert_int_equal(log.count, 0);
	assert_int_equal(ktgt_r2t_log_snack(&log, 0, 0, &f, &c), 0);
	assert_int_equal(c, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_valid),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_datain_next),
		cmocka_unit_test(test_datain_count),
		cmocka_unit_test(test_datain_log_snack),
		cmocka_unit_test(test_datain_ack),
		cmocka_unit_test(test_datain_long_run),
		cmocka_unit_test(test_rdata),
		cmocka_unit_test(test_datain_log_errors),
		cmocka_unit_test(test_r2t_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
