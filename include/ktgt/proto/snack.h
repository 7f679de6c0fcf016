/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SNACK Request (RFC 7143 11.16) and what a target retains to answer it:
 * decoding and per-type validation of the request, and the pure range
 * logic of each type against the caller's records.
 *
 *   Type 0, Data/R2T SNACK  resend Data-In PDUs (a read: the Data-In log)
 *                           or R2T PDUs (a write: the R2T log) by number;
 *   Type 1, Status SNACK    resend numbered responses by StatSN (the
 *                           connection's struct ktgt_statq);
 *   Type 2, DataACK         the initiator has every Data-In before BegRun:
 *                           the Data-In log releases them;
 *   Type 3, R-Data SNACK    resend all unacknowledged read data, segmented
 *                           anew for the current MaxRecvDataSegmentLength.
 *
 * Nothing here allocates, sleeps or locks: the caller owns every array
 * and serializes the calls on one log (in the core, the task's
 * connection's lock or sess->lock, whichever guards the task's
 * transmission state; a Data-In log is touched by the sender as it frames
 * Data-In and by the receiver when a SNACK arrives).
 *
 * Errors, and the Reject reason ktgt_snack_reject_reason() maps them to
 * (RFC 7143 11.17.1):
 *   -EPROTO    Protocol Error (0x04): a SNACK at ErrorRecoveryLevel 0, a
 *              reserved Type, a range asking for a PDU not sent yet or
 *              already acknowledged (11.16: "MUST be rejected with a
 *              reason code of Protocol Error");
 *   -EINVAL    Invalid PDU field (0x09): a field the Type fixes has
 *              another value (11.16.4 to 11.16.7: ITT, TTT or SNACK Tag,
 *              BegRun, RunLength); the core also uses it for an ITT or
 *              TTT naming no task, or a LUN that does not match the TTT;
 *   -ERANGE    Invalid DataACK (0x08): a DataACK whose BegRun follows the
 *              next DataSN to be sent;
 *   -ENODATA   SNACK Reject (0x03): a valid request for PDUs the target
 *              no longer retains (a status evicted from a full status
 *              queue); the initiator may retry or escalate recovery;
 *   -EOPNOTSUPP  (from ktgt_snack_decode() only) not a known opcode.
 *
 * RFC choices, with their sections:
 *  - "BegRun 0 and RunLength 0" is "all unacknowledged" (11.16.6), even
 *    when DataSN or StatSN 0 was acknowledged; "RunLength 0" otherwise is
 *    "from BegRun through the last sent" (11.16.7). An "all" request with
 *    nothing unacknowledged resolves to an empty run, not an error.
 *  - A bit (11.7.2): at ErrorRecoveryLevel >= 1 the target MAY set A at
 *    most once every MaxBurstLength bytes or on the PDU ending the
 *    transfer. We set it on the PDU that ends each Data-In sequence
 *    (every MaxBurstLength bytes of the transfer), never on the last
 *    Data-In of the transfer: the data of the last sequence is released
 *    when the command's status is acknowledged (ExpStatSN), since a
 *    Data SNACK must precede status acknowledgment (11.16.1). So a
 *    DataACK can release a read's buffer MaxBurstLength bytes at a time
 *    from its front; the last sequence goes with the status.
 *  - A Data-In sequence never exceeds MaxBurstLength (13.13): a PDU never
 *    crosses a multiple of MaxBurstLength from the start of the
 *    transfer, and the one that reaches it has F set.
 *  - R-Data SNACK (11.16.3): the target resends everything from the last
 *    DataACK's BegRun (DataSN 0 and offset 0 if none came), segmented for
 *    the current MaxRecvDataSegmentLength; DataSN continues from that
 *    BegRun, one per resent PDU. The resent Data-In carry no status: the
 *    target then sends a SCSI Response carrying the R-Data SNACK's SNACK
 *    Tag (11.4.4), with the StatSN of the status already sent if there
 *    was one.
 *  - A stale DataACK (BegRun before the last one) is ignored: it frees
 *    nothing and moves nothing back.
 *
 * What the caller must do besides (RFC 7143):
 *  - A Data-In with A set carries a Target Transfer Tag and the LUN
 *    (11.7.4); the DataACK names the task by that TTT alone (its ITT is
 *    reserved), so a read at ErrorRecoveryLevel >= 1 needs a TTT the
 *    session can look up. Other Data-In keep TTT 0xffffffff.
 *  - Resent Data-In and R2T are exact copies but for ExpCmdSN, MaxCmdSN
 *    (and for R2T, StatSN), which carry current values (11.16).
 *  - Data/R2T SNACK, Status SNACK and R-Data SNACK for a command precede
 *    the acknowledgment of its status (11.16.1): once ExpStatSN passes
 *    it, its records may go.
 *  - A bidirectional command numbers its R2Ts and Data-In in one sequence
 *    (11.7.5); the two logs here number separately, so for such a
 *    command the caller maps between the two.
 *  - ExpDataSN of the final SCSI Response is @log->next_sn of the
 *    Data-In log (or the R2T log's next_sn for a write).
 */
#ifndef KTGT_PROTO_SNACK_H
#define KTGT_PROTO_SNACK_H

#include <ktgt/proto/platform.h>
#include <ktgt/proto/pdu.h>
#include <ktgt/proto/statq.h>

/* ---- the request ------------------------------------------------------- */

/* A SNACK Request, host order (the BHS is struct ktgt_bhs_snack_req). */
struct ktgt_snack {
	u8 type;		/* enum ktgt_snack_type */
	u8 lun[8];		/* DataACK: the LUN of the A-bit Data-In */
	u32 itt;		/* Data/R2T, R-Data: the command's ITT */
	u32 ttt;		/* DataACK: TTT; R-Data: SNACK Tag */
	u32 expstatsn;
	u32 begrun;
	u32 runlength;
};

/*
 * From a BHS decoded by ktgt_bhs_decode() (which already refused a
 * reserved Type and a SNACK with AHS or data), on a session at
 * ErrorRecoveryLevel @erl: fills @out, then checks the rules of the Type
 * (11.16.4-11.16.7). Returns 0, -EPROTO or -EINVAL. @out is filled on
 * every return if @pdu is a SNACK, so the caller can log it.
 */
int ktgt_snack_parse(const struct ktgt_pdu *pdu, u8 erl,
		     struct ktgt_snack *out);

/* ktgt_bhs_decode() and ktgt_snack_parse() on a 48-byte BHS. */
int ktgt_snack_decode(const u8 bhs[KTGT_BHS_LEN], u8 erl,
		      struct ktgt_snack *out);

/* The Reject reason for an error of any function of this header. */
enum ktgt_reject_reason ktgt_snack_reject_reason(int err);

/*
 * The run a SNACK asks for among numbers [@lo, @hi): @lo the oldest
 * unacknowledged, @hi the next to send (@hi - @lo < 2^31). Returns 0 and
 * the run in *@first, *@count (possibly empty, for "all unacknowledged"),
 * or -EPROTO if it reaches before @lo or at or after @hi.
 */
int ktgt_snack_range(u32 begrun, u32 runlength, u32 lo, u32 hi,
		     u32 *first, u32 *count);

/* ---- Status SNACK ------------------------------------------------------ */

/*
 * A Status SNACK on a connection whose ExpStatSN is @exp_statsn (after
 * the SNACK's own ExpStatSN is applied) and whose next StatSN is
 * @next_statsn. Returns 0 and the StatSNs to resend, [*@first, *@first +
 * *@count), which the caller looks up one by one with
 * ktgt_snack_status_find() in @q; -EPROTO for a StatSN not sent or acknowledged; -ENODATA if the
 * first or last of them is no longer in @q, or they are more than @q
 * holds (NULL @q: not checked). With @q, *@count is at most what @q
 * holds. The core pushes every StatSN it sends, so @q has no holes.
 */
int ktgt_snack_status(const struct ktgt_statq *q, u32 exp_statsn,
		      u32 next_statsn, u32 begrun, u32 runlength,
		      u32 *first, u32 *count);

/*
 * What ktgt_statq_find() returns, in O(1) when @q holds consecutive
 * StatSNs (the core's does): resending a run of N statuses under the
 * queue's lock costs N steps, not N times the queue's length.
 */
void *ktgt_snack_status_find(const struct ktgt_statq *q, u32 sn);

/* ---- Data-In: segmentation and the A bit --------------------------------- */

/* One Data-In PDU: what is needed to build it again exactly. */
struct ktgt_datain_pdu {
	u32 datasn;
	u32 offset;		/* Buffer Offset */
	u32 len;		/* DataSegmentLength */
	u8 flags;		/* byte 1: KTGT_BHS_F, KTGT_DATAIN_A, _S */
};

/* How a read is cut into Data-In PDUs on a connection. */
struct ktgt_datain_plan {
	u32 total;		/* bytes the command reads */
	u32 mrdsl;		/* initiator's MaxRecvDataSegmentLength */
	u32 max_burst;		/* MaxBurstLength */
	bool ack;		/* ErrorRecoveryLevel >= 1: A bits */
};

/*
 * The Data-In that starts at @offset of @p's transfer, numbered @datasn:
 * at most MaxRecvDataSegmentLength bytes, never across a multiple of
 * MaxBurstLength; F when it ends a sequence or the transfer, A when it
 * ends a sequence that is not the last (see the A bit above), S (and
 * F) on the last if @status (phase collapse). Returns 0, or -EINVAL if
 * @offset is not inside the transfer or a length of @p is 0.
 */
int ktgt_datain_next(const struct ktgt_datain_plan *p, u32 offset,
		     u32 datasn, bool status, struct ktgt_datain_pdu *out);

/*
 * How many Data-In ktgt_datain_next() makes from @offset to the end (0
 * for a bad plan or @offset at or past the end). ExpDataSN of the SCSI
 * Response is the DataSN of the first plus this.
 */
u32 ktgt_datain_count(const struct ktgt_datain_plan *p, u32 offset);

/* ---- Data-In log ------------------------------------------------------- */

/*
 * The Data-In a read has sent and not had acknowledged, in runs: a run
 * is @count consecutive PDUs of @len bytes each, the last one with
 * @flags, the others with none. Segmentation that cuts equal PDUs inside
 * each sequence (ktgt_datain_next() does) makes at most two runs per
 * sequence, so a log of ktgt_datain_log_runs() entries never fills.
 */
struct ktgt_datain_run {
	u32 datasn;		/* DataSN of the first PDU */
	u32 offset;		/* its Buffer Offset */
	u32 len;
	u32 count;
	u8 flags;		/* of the last PDU */
};

struct ktgt_datain_log {
	struct ktgt_datain_run *runs;	/* the caller's, @cap of them */
	u32 cap;
	u32 head;			/* index of the oldest run */
	u32 nruns;
	u32 acked_sn;		/* BegRun of the last DataACK, or 0 */
	u32 acked_off;		/* bytes before it, released */
	u32 next_sn;		/* DataSN of the next Data-In */
	u32 next_off;		/* its Buffer Offset */
};

/* Runs a log needs for a whole transfer of @total bytes. */
u32 ktgt_datain_log_runs(u32 total, u32 max_burst);

void ktgt_datain_log_init(struct ktgt_datain_log *log,
			  struct ktgt_datain_run *runs, u32 cap);

/*
 * Records the Data-In @pdu as it is sent. It must follow the last one
 * (DataSN and offset) and carry data: -EINVAL otherwise; -ENOSPC if the
 * log is full (too small for the segmentation). Either way nothing is
 * recorded and the caller should not send it.
 */
int ktgt_datain_log_add(struct ktgt_datain_log *log,
			const struct ktgt_datain_pdu *pdu);

/*
 * The Data-In numbered @datasn as it was sent, or -ENOENT if it is not
 * retained (acknowledged, or not sent yet).
 */
int ktgt_datain_log_get(const struct ktgt_datain_log *log, u32 datasn,
			struct ktgt_datain_pdu *out);

/*
 * A Data SNACK: the DataSNs to resend, [*@first, *@first + *@count), each
 * to be fetched with ktgt_datain_log_get(). -EPROTO when it asks for one
 * not sent or acknowledged.
 */
int ktgt_datain_log_snack(const struct ktgt_datain_log *log, u32 begrun,
			  u32 runlength, u32 *first, u32 *count);

/*
 * A DataACK with BegRun @begrun (the next DataSN the initiator expects):
 * releases every Data-In before it; *@freed is how many bytes of the
 * buffer's front the initiator now holds, which the caller may drop.
 * Returns 0 (a stale BegRun frees nothing), or -ERANGE if @begrun
 * follows the next DataSN to be sent.
 */
int ktgt_datain_log_ack(struct ktgt_datain_log *log, u32 begrun,
			u32 *freed);

/*
 * An R-Data SNACK: forgets every unacknowledged Data-In, so that the
 * next one is numbered @log->acked_sn at offset @log->acked_off. The
 * caller then resends from there with ktgt_datain_next() under the
 * current plan, recording each with ktgt_datain_log_add().
 */
void ktgt_datain_log_rewind(struct ktgt_datain_log *log);

/* ---- R2T log ----------------------------------------------------------- */

struct ktgt_r2t_desc {
	u32 r2tsn;
	u32 offset;		/* Buffer Offset */
	u32 len;		/* Desired Data Transfer Length */
	bool done;		/* all its Data-Out arrived */
};

/*
 * The R2Ts of a write from the oldest whose data is still missing to the
 * newest sent. Done R2Ts before the oldest missing one are released. A
 * log of MaxOutstandingR2T entries is enough when sequences complete in
 * order (DataSequenceInOrder=Yes); otherwise -ENOSPC from add tells the
 * caller to hold the next R2T back until the oldest completes.
 */
struct ktgt_r2t_log {
	struct ktgt_r2t_desc *descs;	/* the caller's, @cap of them */
	u32 cap;
	u32 head;
	u32 count;
	u32 first_sn;		/* R2TSN of the oldest retained */
	u32 next_sn;		/* R2TSN of the next R2T */
};

void ktgt_r2t_log_init(struct ktgt_r2t_log *log, struct ktgt_r2t_desc *descs,
		       u32 cap);

/*
 * Records an R2T as it is sent: numbered @log->next_sn, asking for @len
 * (> 0) bytes at @offset without wrapping. -EINVAL or -ENOSPC, and then
 * nothing is recorded.
 */
int ktgt_r2t_log_add(struct ktgt_r2t_log *log, u32 offset, u32 len);

/* The data of R2T @r2tsn is all in: -ENOENT if it is not retained. */
int ktgt_r2t_log_done(struct ktgt_r2t_log *log, u32 r2tsn);

/* The R2T numbered @r2tsn as sent (and whether done), or -ENOENT. */
int ktgt_r2t_log_get(const struct ktgt_r2t_log *log, u32 r2tsn,
		     struct ktgt_r2t_desc *out);

/*
 * An R2T SNACK: the R2TSNs to resend, [*@first, *@first + *@count);
 * -EPROTO when it asks for one not sent or released. Done ones inside the
 * run need no resending (their data is here): ktgt_r2t_log_get() says.
 */
int ktgt_r2t_log_snack(const struct ktgt_r2t_log *log, u32 begrun,
		       u32 runlength, u32 *first, u32 *count);

#endif /* KTGT_PROTO_SNACK_H */
