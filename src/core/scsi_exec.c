// SPDX-License-Identifier: GPL-2.0
/*
 * SCSI commands: from the SCSI Command PDU to the SCSI Response.
 *
 *   receive: CmdSN window, LUN, unit attentions, CDB parse, residuals,
 *            data buffer, immediate data; ask the transport for the rest
 *   execute: emulation (src/scsi) or backstore I/O (async)
 *   complete: read data through put_data, then the response
 *
 * Residuals follow RFC 7143 11.4.5 against the Expected Data Transfer
 * Length; a write whose CDB wants more than EDTL transfers nothing and
 * ends with INVALID FIELD IN INFORMATION UNIT (FCP-4 option b), so no
 * block is ever half written.
 */
#define pr_fmt(fmt) "ktgt: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/scatterlist.h>

#include <ktgt/transport.h>
#include "session.h"
#include "config.h"

/* Largest emulated data-in (REPORT LUNS, INQUIRY, MODE SENSE...). */
#define KTGT_EMUL_MAX		(64 * 1024)
/* WRITE SAME is written in chunks of at most this many bytes. */
#define KTGT_WS_CHUNK		SZ_1M

/* Multi-step commands and session timers; flushed at module exit. */
struct workqueue_struct *ktgt_exec_wq;
/*
 * Connections' free_work (the transport's release_conn) alone: an iSER
 * release frees its CQ, which flushes the CQ's work, and a receive in
 * another CQ's work may flush a release_work on ktgt_exec_wq (Logout
 * reason 2): on one workqueue, lockdep sees a cycle through it.
 */
struct workqueue_struct *ktgt_free_wq;

static void ktgt_task_exec(struct ktgt_cmd *cmd);
static void ktgt_task_complete(struct ktgt_cmd *cmd);

static struct ktgt_sess_lun *ktgt_task_nexus(struct ktgt_cmd *cmd)
{
	struct ktgt_task *t = cmd->task;

	if (!t->lun || t->mapped_lun >= KTGT_SESS_LUNS)
		return NULL;
	return &cmd->conn->sess->luns[t->mapped_lun];
}

static void ktgt_task_fail(struct ktgt_task *t, enum ktgt_sense_reason r,
			   const struct ktgt_sense_info *si)
{
	if (t->reason)
		return;
	t->reason = r;
	if (si)
		t->sense = *si;
}

/* The LU as the emulation sees it through this nexus. */
static void ktgt_task_fill_dev(struct ktgt_cmd *cmd)
{
	struct ktgt_task *t = cmd->task;
	struct ktgt_backstore *bs = t->lun->bs;
	struct ktgt_session *sess = cmd->conn->sess;
	struct ktgt_scsi_dev *d = &t->dev;

	d->block_size = bs->block_size;
	d->nr_blocks = bs->size / bs->block_size;
	d->read_only = t->read_only;
	d->write_cache = strcmp(bs->ops->type, "ram") != 0;
	d->wce_changeable = true;
	d->can_unmap = bs->can_discard && !t->read_only;
	d->unmap_zeroes = bs->discard_zeroes;
	d->thin = bs->can_discard;
	d->removable = READ_ONCE(t->lun->removable);
	d->no_medium = d->removable && READ_ONCE(t->lun->medium.absent);
	d->max_xfer_blocks = KTGT_MAX_XFER / bs->block_size;
	d->opt_xfer_blocks = min_t(u32, d->max_xfer_blocks,
				   (1u << 20) / bs->block_size);
	d->max_unmap_blocks = 1u << 20;
	d->max_unmap_desc = 64;
	d->unmap_granularity = 1;
	/* WRITE SAME goes through the same buffers as a WRITE. */
	d->max_ws_blocks = d->max_xfer_blocks;
	d->vendor = "KTGT";
	d->product = !strcmp(bs->ops->type, "ram") ? "ktgt ram" :
		     !strcmp(bs->ops->type, "file") ? "ktgt file" :
						      "ktgt block";
	d->revision = "0001";
	snprintf(t->serial, sizeof(t->serial), "%016llx", bs->wwn_id);
	d->serial = t->serial;
	d->naa_id = bs->wwn_id;
	d->target_name = sess->tpg->target->name;
	d->tpgt = sess->tpg->tpgt;
	d->rel_port_id = sess->tpg->tpgt;
	d->port_group_id = 1;
	d->lun = t->mapped_lun;
}

/*
 * Transfer sizes and residuals from the CDB's length (spdtl) and what
 * the initiator expects (allowed: EDTL when its direction bit is set).
 */
static void ktgt_task_sizes(struct ktgt_cmd *cmd)
{
	struct ktgt_task *t = cmd->task;
	u32 spdtl = t->scmd.data_len;

	t->spdtl = spdtl;
	switch (t->scmd.dir) {
	case KTGT_SCSI_DIR_IN:
		t->allowed = t->pdu_read ? cmd->edtl : 0;
		cmd->dir = KTGT_DIR_READ;
		break;
	case KTGT_SCSI_DIR_OUT:
		t->allowed = t->pdu_write ? cmd->edtl : 0;
		cmd->dir = KTGT_DIR_WRITE;
		break;
	default:
		t->allowed = cmd->edtl;
		spdtl = 0;
		cmd->dir = KTGT_DIR_NONE;
		break;
	}
	if (spdtl > t->allowed) {
		t->overflow = true;
		t->residual = spdtl - t->allowed;
	} else {
		t->residual = t->allowed - spdtl;
	}
	cmd->xfer_len = min(spdtl, t->allowed);
	if (cmd->dir != KTGT_DIR_WRITE || !t->overflow)
		return;
	/*
	 * EDTL short of what the CDB asks: write the whole blocks the
	 * initiator sends and report the overflow (FCP-4 option a, what
	 * libiscsi checks); never part of a block. Parameter lists that
	 * are cut short cannot be processed at all.
	 */
	if (t->scmd.kind == KTGT_SCSI_K_WRITE ||
	    t->scmd.kind == KTGT_SCSI_K_WRITE_VERIFY) {
		t->scmd.nr_blocks = t->allowed / t->dev.block_size;
		cmd->xfer_len = t->scmd.nr_blocks * t->dev.block_size;
	} else {
		ktgt_task_fail(t, KTGT_SR_INVALID_FIELD_IN_IU, NULL);
		cmd->xfer_len = 0;
	}
}

/* Buffer size: whole blocks for media reads, else what is moved. */
static u32 ktgt_task_buf_len(struct ktgt_cmd *cmd)
{
	struct ktgt_task *t = cmd->task;

	if (t->reason)
		return 0;
	switch (t->scmd.kind) {
	case KTGT_SCSI_K_READ:
		return t->scmd.nr_blocks ?
		       round_up(cmd->xfer_len, t->dev.block_size) : 0;
	case KTGT_SCSI_K_EMUL_IN:
	case KTGT_SCSI_K_NO_DATA:
	case KTGT_SCSI_K_VERIFY:
	case KTGT_SCSI_K_SYNC_CACHE:
		return 0;
	default:
		return cmd->dir == KTGT_DIR_WRITE ? cmd->xfer_len : 0;
	}
}

/* Parses and sizes the command; failures are recorded, not returned. */
static void ktgt_task_prepare(struct ktgt_cmd *cmd, const struct ktgt_rx *rx,
			      const struct ktgt_ahs_info *ahs)
{
	struct ktgt_session *sess = cmd->conn->sess;
	struct ktgt_task *t = cmd->task;
	struct ktgt_sess_lun *sl;
	u8 cdb[KTGT_MAX_CDB_LEN];
	unsigned long flags;
	enum ktgt_sense_reason r;
	int cdb_len;

	cdb_len = ktgt_cdb_assemble(rx->pdu->scsi_cmd.cdb, ahs, cdb,
				    sizeof(cdb));
	if (cdb_len < 0) {
		ktgt_task_fail(t, KTGT_SR_INVALID_FIELD_IN_CDB, NULL);
		return;
	}
	if (ktgt_lun_decode(cmd->lun, &t->mapped_lun) == 0)
		t->lun = ktgt_lun_get(sess->tpg, sess->acl, t->mapped_lun,
				      &t->read_only);
	if (t->lun)
		ktgt_task_fill_dev(cmd);

	sl = ktgt_task_nexus(cmd);
	spin_lock_irqsave(&sess->lock, flags);
	if (sl && !sl->lu_init) {
		ktgt_scsi_lu_state_init(&sl->lu, &t->dev);
		sl->lu_init = true;
	}
	r = sl ? ktgt_scsi_ua_check(&sl->ua, cdb, cdb_len) : KTGT_SR_OK;
	spin_unlock_irqrestore(&sess->lock, flags);
	if (r == KTGT_SR_OK)
		r = ktgt_scsi_parse(t->lun ? &t->dev : NULL, cdb,
				    min_t(int, cdb_len, KTGT_SCSI_MAX_CDB),
				    &t->scmd);
	if (r != KTGT_SR_OK) {
		ktgt_task_fail(t, r, &t->scmd.sense);
		/* Still account for any data the initiator sends. */
		cmd->dir = t->pdu_write ? KTGT_DIR_WRITE : KTGT_DIR_NONE;
		t->residual = cmd->edtl;
		return;
	}
	if (t->scmd.data_len > KTGT_MAX_XFER) {
		struct ktgt_sense_info si = { };

		ktgt_sense_field(&si, 7, -1);
		ktgt_task_fail(t, KTGT_SR_INVALID_FIELD_IN_CDB, &si);
		cmd->dir = t->pdu_write ? KTGT_DIR_WRITE : KTGT_DIR_NONE;
		return;
	}
	ktgt_task_sizes(cmd);
}

/*
 * Bytes of buffers the task will hold, charged to the session's data
 * budget: the data buffer, and the copies some commands make of it
 * (linear parameter lists, VERIFY's media side, WRITE SAME's chunk).
 */
static u32 ktgt_task_budget(struct ktgt_cmd *cmd, u32 buf_len)
{
	struct ktgt_task *t = cmd->task;

	switch (t->scmd.kind) {
	case KTGT_SCSI_K_COMPARE:
		/* data-out + its linear copy + media pages + their copy */
		return 4 * cmd->xfer_len;
	case KTGT_SCSI_K_WRITE_SAME:
		return 2 * buf_len + KTGT_WS_CHUNK;
	case KTGT_SCSI_K_UNMAP:
	case KTGT_SCSI_K_EMUL_OUT:
		return 2 * buf_len;
	default:
		return buf_len;
	}
}

/* Over the session's data budget: TASK SET FULL, nothing moves. */
static void ktgt_task_set_busy(struct ktgt_cmd *cmd)
{
	struct ktgt_task *t = cmd->task;

	t->busy = true;
	cmd->xfer_len = 0;
	t->overflow = false;
	t->residual = t->allowed;
}

int ktgt_scsi_rx_cmd(struct ktgt_conn *conn, const struct ktgt_rx *rx)
{
	const struct ktgt_pdu *pdu = rx->pdu;
	struct ktgt_session *sess = conn->sess;
	const struct ktgt_conn_params *p = &conn->params;
	struct ktgt_ahs_info ahs = { };
	enum ktgt_cmdsn_verdict v;
	struct ktgt_cmd *cmd;
	struct ktgt_task *t;
	u32 buf_len;

	if (sess->discovery)
		return ktgt_conn_reject(conn, rx->bhs,
					KTGT_REJECT_PROTOCOL_ERROR);
	if (pdu->data_len && (!p->immediate_data || !pdu->scsi_cmd.write ||
			      pdu->data_len > p->first_burst ||
			      pdu->data_len > pdu->scsi_cmd.edtl))
		return ktgt_conn_reject(conn, rx->bhs,
					KTGT_REJECT_PROTOCOL_ERROR);
	/*
	 * A malformed AHS is a malformed PDU: rejected before the CmdSN
	 * is looked at, so it does not consume one (RFC 7143 11.17.1).
	 */
	if (rx->ahs_len && ktgt_ahs_parse(rx->ahs, rx->ahs_len, &ahs))
		return ktgt_conn_reject(conn, rx->bhs,
					KTGT_REJECT_PROTOCOL_ERROR);
	/* An ITT already in use in the session is a protocol error. */
	if (xa_load(&sess->tasks, pdu->itt))
		return ktgt_conn_reject(conn, rx->bhs,
					KTGT_REJECT_INVALID_PDU_FIELD);
	/* Allocated first: a task ahead of ExpCmdSN is queued as it is. */
	cmd = ktgt_cmd_alloc_task(conn, GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	t = cmd->task;
	/* What the task set orders it by (ktgt_taskset_enter()). */
	cmd->cmdsn = pdu->scsi_cmd.cmdsn;
	memcpy(cmd->lun, pdu->lun, sizeof(cmd->lun));
	t->attr = pdu->scsi_cmd.attr;
	v = ktgt_sess_cmdsn_task(sess, pdu->immediate, pdu->scsi_cmd.cmdsn,
				 cmd);
	if (v == KTGT_CMDSN_DROP || v == KTGT_CMDSN_FULL) {
		ktgt_cmd_put(cmd);
		return v == KTGT_CMDSN_DROP ? 0 :
		       ktgt_conn_reject(conn, rx->bhs, KTGT_REJECT_IMM_CMD);
	}
	/* From here the command's release returns the slot (cmd.c). */
	ktgt_sess_get(sess);
	t->sess = sess;
	t->counted = true;
	cmd->opcode = KTGT_OP_SCSI_CMD;
	cmd->itt = pdu->itt;
	cmd->edtl = pdu->scsi_cmd.edtl;
	t->pdu_read = pdu->scsi_cmd.read;
	t->pdu_write = pdu->scsi_cmd.write;
	t->pdu_final = pdu->final;
	t->status = KTGT_SAM_STAT_GOOD;
	if (ktgt_cmd_track(cmd)) {
		/* Closing, or no memory: it ends here without a response. */
		ktgt_cmd_put(cmd);
		return 0;
	}

	ktgt_task_prepare(cmd, rx, &ahs);

	buf_len = ktgt_task_buf_len(cmd);
	if (buf_len) {
		u32 budget = ktgt_task_budget(cmd, buf_len);

		if (!ktgt_sess_charge(sess, budget)) {
			pr_debug("ITT %#x: %u bytes over the session's data budget: TASK SET FULL\n",
				 cmd->itt, budget);
			ktgt_task_set_busy(cmd);
			buf_len = 0;
		} else {
			t->budget = budget;
		}
	}
	if (buf_len && ktgt_cmd_alloc_buf(cmd, buf_len)) {
		ktgt_task_fail(t, KTGT_SR_INTERNAL_ERROR, NULL);
		cmd->xfer_len = 0;
	}

	/* Write data: immediate, unsolicited, then solicited. */
	if (t->pdu_write) {
		cmd->imm_len = pdu->data_len;
		ktgt_cmd_copy_to_buf(cmd, 0, rx->data, pdu->data_len);
		cmd->unsol_len = cmd->imm_len;
		if (!p->initial_r2t && !t->pdu_final)
			cmd->unsol_len = max(cmd->imm_len,
					     min(cmd->edtl, p->first_burst));
		if (max(cmd->xfer_len, cmd->unsol_len) > cmd->imm_len) {
			/* Timed from now (dataout.c). */
			WRITE_ONCE(t->data_seen, jiffies);
			WRITE_ONCE(t->want_data, true);
			ktgt_dataout_arm(conn);
			conn->transport->get_data(conn, cmd);
			ktgt_cmd_put(cmd);
			return 0;
		}
	}
	ktgt_task_deliver(cmd);
	ktgt_cmd_put(cmd);
	return 0;
}

void ktgt_scsi_data_ready(struct ktgt_cmd *cmd, int err)
{
	WRITE_ONCE(cmd->task->want_data, false);
	if (err)
		ktgt_task_fail(cmd->task, KTGT_SR_ABORTED_COMMAND, NULL);
	ktgt_task_deliver(cmd);
}

/*
 * The task is ready to run: now, or in its CmdSN's turn if it came
 * ahead of ExpCmdSN (sequence.c executes it then).
 */
void ktgt_task_deliver(struct ktgt_cmd *cmd)
{
	if (ktgt_sess_park(cmd->task->sess, cmd->task))
		return;
	/* An older task of its set goes first (task attributes). */
	if (!ktgt_taskset_may_start(cmd))
		return;
	ktgt_task_exec(cmd);
}

/* A task blocked by its task set, started as an older one left it. */
void ktgt_task_start_work(struct work_struct *work)
{
	struct ktgt_task *t = container_of(work, struct ktgt_task,
					   start_work);
	struct ktgt_cmd *cmd = t->cmd;

	ktgt_task_exec(cmd);
	ktgt_cmd_put(cmd);	/* ktgt_taskset_leave()'s reference */
}

/* ---- execution ---- */

/*
 * A command in execution is counted in conn->inflight from ktgt_task_exec()
 * to the end of ktgt_task_complete(): connection teardown waits for it, so
 * the connection outlives every backstore completion and step work.
 */
static void ktgt_task_end(struct ktgt_cmd *cmd)
{
	struct ktgt_conn *conn = cmd->task->exec_conn;
	unsigned long flags;

	/* A TMF waiting for this task holds a reference to it. */
	WRITE_ONCE(cmd->task->done, true);
	wake_up_all(&ktgt_task_wq);
	ktgt_cmd_put(cmd);
	/*
	 * Last touch of @conn. Under conn->lock: teardown takes it once
	 * after seeing inflight at 0, so it cannot free the connection
	 * while this wake_up() still runs.
	 */
	spin_lock_irqsave(&conn->lock, flags);
	if (atomic_dec_and_test(&conn->inflight))
		wake_up(&conn->drain_wq);
	spin_unlock_irqrestore(&conn->lock, flags);
}

static void ktgt_task_media_error(struct ktgt_task *t, int err)
{
	struct ktgt_sense_info si = { .info = t->scmd.lba,
				      .flags = KTGT_SI_INFO };

	if (err == -ENOSPC) {
		ktgt_task_fail(t, KTGT_SR_SPACE_ALLOC_FAILED, NULL);
		return;
	}
	ktgt_task_fail(t, t->io.op == KTGT_BS_READ ? KTGT_SR_MEDIUM_ERROR_READ :
		       KTGT_SR_MEDIUM_ERROR_WRITE, &si);
}

static void ktgt_task_finish(struct ktgt_cmd *cmd)
{
	ktgt_task_complete(cmd);
	ktgt_task_end(cmd);
}

/* Backstore completion, any context. */
static void ktgt_task_io_done(struct ktgt_bs_io *io, int err)
{
	struct ktgt_task *t = container_of(io, struct ktgt_task, io);

	if (err) {
		ktgt_task_media_error(t, err);
		ktgt_task_finish(t->cmd);
		return;
	}
	if (t->step + 1 < t->nsteps ||
	    (t->scmd.kind == KTGT_SCSI_K_COMPARE && !t->compared)) {
		/* More to do: from process context, without recursion. */
		queue_work(ktgt_exec_wq, &t->work);
		return;
	}
	ktgt_task_finish(t->cmd);
}

static void ktgt_task_io(struct ktgt_cmd *cmd, enum ktgt_bs_op op, u64 off,
			 u32 len, struct scatterlist *sgl, unsigned int nents,
			 bool fua)
{
	struct ktgt_task *t = cmd->task;

	t->io.bs = t->lun->bs;
	t->io.op = op;
	t->io.offset = off;
	t->io.len = len;
	t->io.sgl = sgl;
	t->io.nents = nents;
	t->io.fua = fua;
	t->io.done = ktgt_task_io_done;
	ktgt_bs_submit(&t->io);
}

/* Linear copy of the data-out buffer, for parameter lists. */
static void *ktgt_task_linear(struct ktgt_cmd *cmd)
{
	struct ktgt_task *t = cmd->task;

	if (!t->lin && cmd->xfer_len) {
		t->lin = kvmalloc(cmd->xfer_len, GFP_KERNEL);
		if (t->lin)
			sg_copy_to_buffer(cmd->sgl, cmd->nents, t->lin,
					  cmd->xfer_len);
	}
	return t->lin;
}

static bool ktgt_task_wce(struct ktgt_cmd *cmd)
{
	struct ktgt_sess_lun *sl = ktgt_task_nexus(cmd);

	return sl ? sl->lu.wce : cmd->task->dev.write_cache;
}

static u64 ktgt_task_off(struct ktgt_task *t, u64 lba)
{
	return lba * t->dev.block_size;
}

/* Submits step t->step of UNMAP or WRITE SAME. */
static void ktgt_task_step(struct ktgt_cmd *cmd)
{
	struct ktgt_task *t = cmd->task;
	u32 bs = t->dev.block_size, nr, per;
	u64 lba;

	if (t->scmd.kind == KTGT_SCSI_K_UNMAP) {
		ktgt_scsi_unmap_desc(t->lin, t->step, &lba, &nr);
		ktgt_task_io(cmd, KTGT_BS_DISCARD, ktgt_task_off(t, lba),
			     nr * bs, NULL, 0, false);
		return;
	}
	/* WRITE SAME: chunks of the replicated block in media_sgl. */
	per = t->media_len / bs;
	lba = t->scmd.lba + (u64)t->step * per;
	nr = min_t(u64, per, t->scmd.lba + t->scmd.nr_blocks - lba);
	ktgt_task_io(cmd, KTGT_BS_WRITE, ktgt_task_off(t, lba), nr * bs,
		     t->media_sgl, t->media_nents,
		     t->scmd.fua || !ktgt_task_wce(cmd));
}

/* VERIFY with BYTCHK: the media is read; compare with the data-out. */
static void ktgt_task_compare(struct ktgt_cmd *cmd)
{
	struct ktgt_task *t = cmd->task;
	const u8 *out = ktgt_task_linear(cmd);
	u32 len = t->scmd.nr_blocks * t->dev.block_size;
	u32 off, bs = t->dev.block_size;
	enum ktgt_sense_reason r = KTGT_SR_OK;

	t->media = kvmalloc(len, GFP_KERNEL);
	if (t->media)
		sg_copy_to_buffer(t->media_sgl, t->media_nents, t->media, len);
	if (!out || !t->media) {
		ktgt_task_fail(t, KTGT_SR_INTERNAL_ERROR, NULL);
		return;
	}
	if (t->scmd.bytchk == 3) {
		for (off = 0; off < len && r == KTGT_SR_OK; off += bs)
			r = ktgt_scsi_compare(&t->dev, &t->scmd,
					      (u8 *)t->media + off, out, off, bs);
	} else {
		r = ktgt_scsi_compare(&t->dev, &t->scmd, t->media, out, 0, len);
	}
	if (r != KTGT_SR_OK)
		ktgt_task_fail(t, r, &t->scmd.sense);
}

void ktgt_task_step_work(struct work_struct *work)
{
	struct ktgt_task *t = container_of(work, struct ktgt_task, work);
	struct ktgt_cmd *cmd = t->cmd;

	if (t->scmd.kind == KTGT_SCSI_K_COMPARE) {
		t->compared = true;
		ktgt_task_compare(cmd);
		ktgt_task_finish(cmd);
		return;
	}
	t->step++;
	ktgt_task_step(cmd);
}

/* START STOP UNIT and PREVENT ALLOW on a removable medium. */
static enum ktgt_sense_reason ktgt_task_medium(struct ktgt_cmd *cmd,
					       struct ktgt_sess_lun *sl)
{
	struct ktgt_task *t = cmd->task;
	struct ktgt_medium *m = &t->lun->medium;

	switch (t->scmd.opcode) {
	case KTGT_SCSI_OP_START_STOP_UNIT:
		if (t->scmd.load_eject)
			return ktgt_medium_load_eject(m, t->scmd.start);
		break;
	case KTGT_SCSI_OP_PREVENT_ALLOW:
		/* LUNs past the per-nexus table cannot hold the medium. */
		if (sl)
			ktgt_medium_hold(m, &sl->hold, t->scmd.prevent);
		break;
	}
	return KTGT_SR_OK;
}

/* Emulated commands run here, under the session lock (no sleeping). */
static void ktgt_task_emulate(struct ktgt_cmd *cmd)
{
	struct ktgt_session *sess = cmd->conn->sess;
	struct ktgt_task *t = cmd->task;
	struct ktgt_sess_lun *sl = ktgt_task_nexus(cmd);
	struct ktgt_scsi_ctx ctx = { };
	enum ktgt_sense_reason r;
	unsigned long flags;
	u64 *luns = NULL;
	u32 len = 0, n = 0;
	bool changed = false;
	const u8 *lin = NULL;
	u8 *buf = NULL;
	int nluns;

	ctx.dev = t->lun ? &t->dev : NULL;
	ctx.lu = sl ? &sl->lu : NULL;
	ctx.ua = sl ? &sl->ua : NULL;
	if (t->scmd.opcode == KTGT_SCSI_OP_REPORT_LUNS) {
		luns = kcalloc(KTGT_MAX_LUNS, sizeof(*luns), GFP_KERNEL);
		if (!luns) {
			ktgt_task_fail(t, KTGT_SR_INTERNAL_ERROR, NULL);
			return;
		}
		nluns = ktgt_lun_list(sess->tpg, sess->acl, luns,
				      KTGT_MAX_LUNS);
		ctx.luns = luns;
		ctx.nr_luns = min(nluns, KTGT_MAX_LUNS);
	}
	if (t->scmd.kind == KTGT_SCSI_K_EMUL_IN) {
		len = min_t(u32, t->scmd.data_len, KTGT_EMUL_MAX);
		buf = kzalloc(len ? len : 1, GFP_KERNEL);
		if (!buf) {
			kfree(luns);
			ktgt_task_fail(t, KTGT_SR_INTERNAL_ERROR, NULL);
			return;
		}
	}

	/*
	 * The parameter list is made linear before the session lock is
	 * taken: ktgt_task_linear() allocates with GFP_KERNEL.
	 */
	if (t->scmd.kind == KTGT_SCSI_K_EMUL_OUT)
		lin = ktgt_task_linear(cmd);
	spin_lock_irqsave(&sess->lock, flags);
	if (t->scmd.kind == KTGT_SCSI_K_EMUL_OUT) {
		r = lin || !cmd->xfer_len ?
		    ktgt_scsi_emulate_out(&ctx, &t->scmd, lin, cmd->xfer_len,
					  &changed) : KTGT_SR_INTERNAL_ERROR;
	} else {
		r = ktgt_scsi_emulate(&ctx, &t->scmd, buf, len, &n);
	}
	spin_unlock_irqrestore(&sess->lock, flags);
	kfree(luns);
	if (r == KTGT_SR_OK && t->dev.removable)
		r = ktgt_task_medium(cmd, sl);

	if (r != KTGT_SR_OK) {
		ktgt_task_fail(t, r, &t->scmd.sense);
		kfree(buf);
		return;
	}
	if (t->scmd.kind == KTGT_SCSI_K_EMUL_IN) {
		/* Residuals against what the emulation really produced. */
		t->overflow = n > t->allowed;
		t->residual = t->overflow ? n - t->allowed : t->allowed - n;
		cmd->xfer_len = min(n, t->allowed);
		if (cmd->xfer_len && ktgt_cmd_alloc_buf(cmd, cmd->xfer_len))
			ktgt_task_fail(t, KTGT_SR_INTERNAL_ERROR, NULL);
		else
			ktgt_cmd_copy_to_buf(cmd, 0, buf, cmd->xfer_len);
	}
	kfree(buf);
}

/* Pages for the media side of VERIFY BYTCHK or a WRITE SAME chunk. */
static int ktgt_task_media_alloc(struct ktgt_task *t, u32 len)
{
	t->media_sgl = sgl_alloc(len, GFP_KERNEL, &t->media_nents);
	if (!t->media_sgl) {
		ktgt_task_fail(t, KTGT_SR_INTERNAL_ERROR, NULL);
		return -ENOMEM;
	}
	t->media_len = len;
	return 0;
}

/* Starts execution; ends in ktgt_task_finish() (maybe asynchronously). */
static void ktgt_task_exec(struct ktgt_cmd *cmd)
{
	struct ktgt_task *t = cmd->task;
	u32 bs = t->dev.block_size;
	u64 off = ktgt_task_off(t, t->scmd.lba);
	u32 count, len, chunk, i;
	u8 *block;

	struct ktgt_conn *conn = cmd->conn;
	unsigned long flags;
	bool skip;

	/*
	 * Under conn->lock, where teardown sets CLOSED before it waits for
	 * conn->inflight (nothing starts after that wait began) and where
	 * a TMF marks tasks aborted: a task is either aborted before it
	 * executes (and never touches the medium) or executing, and the
	 * TMF waits for it to be done.
	 */
	spin_lock_irqsave(&conn->lock, flags);
	/* ERL 2: a connection kept for recovery still runs its tasks. */
	skip = (conn->state == KTGT_CONN_CLOSED &&
		conn->rec == KTGT_REC_NONE) || t->aborted;
	if (!skip) {
		atomic_inc(&conn->inflight);
		t->exec_conn = conn;
		t->executing = true;
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	if (skip) {
		/* Ends without a response. */
		ktgt_cmd_untrack(cmd);
		return;
	}
	ktgt_cmd_get(cmd);

	if (t->reason || t->busy)
		goto finish;

	switch (t->scmd.kind) {
	case KTGT_SCSI_K_NO_DATA:
	case KTGT_SCSI_K_EMUL_IN:
	case KTGT_SCSI_K_EMUL_OUT:
		ktgt_task_emulate(cmd);
		goto finish;
	case KTGT_SCSI_K_VERIFY:
		goto finish;
	case KTGT_SCSI_K_READ:
		if (!cmd->buf_len)
			goto finish;
		ktgt_task_io(cmd, KTGT_BS_READ, off, cmd->buf_len, cmd->sgl,
			     cmd->nents, false);
		return;
	case KTGT_SCSI_K_WRITE:
	case KTGT_SCSI_K_WRITE_VERIFY:
		if (!cmd->xfer_len)
			goto finish;
		ktgt_task_io(cmd, KTGT_BS_WRITE, off, cmd->xfer_len, cmd->sgl,
			     cmd->nents, t->scmd.fua || !ktgt_task_wce(cmd) ||
			     t->scmd.kind == KTGT_SCSI_K_WRITE_VERIFY);
		return;
	case KTGT_SCSI_K_SYNC_CACHE:
		ktgt_task_io(cmd, KTGT_BS_FLUSH, 0, 0, NULL, 0, false);
		return;
	case KTGT_SCSI_K_COMPARE:
		len = t->scmd.nr_blocks * bs;
		if (!len)
			goto finish;
		if (ktgt_task_media_alloc(t, len))
			goto finish;
		ktgt_task_io(cmd, KTGT_BS_READ, off, len, t->media_sgl,
			     t->media_nents, false);
		return;
	case KTGT_SCSI_K_UNMAP:
		if (!ktgt_task_linear(cmd)) {
			if (cmd->xfer_len)
				ktgt_task_fail(t, KTGT_SR_INTERNAL_ERROR, NULL);
			goto finish;
		}
		if (ktgt_scsi_unmap_check(&t->dev, &t->scmd, t->lin,
					  cmd->xfer_len, &count) != KTGT_SR_OK) {
			ktgt_task_fail(t, KTGT_SR_INVALID_FIELD_IN_PARAM_LIST,
				       &t->scmd.sense);
			goto finish;
		}
		if (!count)
			goto finish;
		t->nsteps = count;
		ktgt_task_step(cmd);
		return;
	case KTGT_SCSI_K_WRITE_SAME:
		block = cmd->xfer_len ? ktgt_task_linear(cmd) : NULL;
		if (cmd->xfer_len && !block) {
			ktgt_task_fail(t, KTGT_SR_INTERNAL_ERROR, NULL);
			goto finish;
		}
		if (!t->scmd.nr_blocks)
			goto finish;
		if (ktgt_scsi_ws_use_unmap(&t->dev, &t->scmd)) {
			ktgt_task_io(cmd, KTGT_BS_DISCARD, off,
				     t->scmd.nr_blocks * bs, NULL, 0, false);
			return;
		}
		/* Replicate the block into one chunk, write it repeatedly. */
		chunk = min_t(u64, KTGT_WS_CHUNK, (u64)t->scmd.nr_blocks * bs);
		if (ktgt_task_media_alloc(t, chunk))
			goto finish;
		for (i = 0; block && i < chunk / bs; i++)
			sg_pcopy_from_buffer(t->media_sgl, t->media_nents,
					     block, bs, i * bs);
		t->nsteps = DIV_ROUND_UP((u64)t->scmd.nr_blocks * bs, chunk);
		ktgt_task_step(cmd);
		return;
	default:
		ktgt_task_fail(t, KTGT_SR_INVALID_OPCODE, NULL);
		goto finish;
	}
finish:
	ktgt_task_finish(cmd);
}

/* Fills the SCSI Response header and assigns its StatSN. */
static void ktgt_task_build_rsp(struct ktgt_cmd *cmd)
{
	struct ktgt_task *t = cmd->task;
	struct ktgt_bhs_scsi_rsp *h = (struct ktgt_bhs_scsi_rsp *)cmd->rsp.bhs;

	memset(h, 0, sizeof(*h));
	h->opcode = KTGT_OP_SCSI_RSP;
	h->flags = KTGT_BHS_F;
	if (t->residual)
		h->flags |= t->overflow ? KTGT_RSP_OVERFLOW : KTGT_RSP_UNDERFLOW;
	h->response = KTGT_SCSI_RSP_COMPLETED;
	h->status = t->status;
	put_unaligned_be24(cmd->rsp.data_len, h->data_seg_len);
	h->itt = cpu_to_be32(cmd->itt);
	cmd->rsp.stamp = KTGT_STAMP_ADVANCE;
	h->expdatasn = cpu_to_be32(cmd->exp_datasn);
	h->residual = cpu_to_be32(t->residual);

	cmd->result.scsi_rsp = true;
	cmd->result.status = t->status;
	cmd->result.overflow = t->residual && t->overflow;
	cmd->result.underflow = t->residual && !t->overflow;
	cmd->result.residual = t->residual;
}

/*
 * Sends read data and the SCSI Response, then drops the command's
 * allegiance. Any context (backstore completions may be in hard irq).
 */
static void ktgt_task_complete(struct ktgt_cmd *cmd)
{
	struct ktgt_task *t = cmd->task;
	struct ktgt_conn *conn = cmd->conn;
	struct ktgt_sess_lun *sl = ktgt_task_nexus(cmd);
	unsigned int n;

	/* Executed: younger tasks its attribute held back may start. */
	ktgt_taskset_leave(cmd);
	if (t->lun) {
		ktgt_lun_put(t->lun);
		t->lun = NULL;
	}
	/*
	 * Allegiance ends before the response leaves: the initiator may
	 * reuse the ITT as soon as it sees the status. The I/O is done, so
	 * a TMF that no longer finds the task has nothing to wait for.
	 */
	ktgt_cmd_untrack(cmd);
	if (READ_ONCE(t->aborted))
		return;

	if (t->busy) {
		t->status = KTGT_SAM_STAT_TASK_SET_FULL;
	} else if (t->reason) {
		t->status = KTGT_SAM_STAT_CHECK_CONDITION;
		n = ktgt_sense_build(t->reason, &t->sense,
				     sl ? sl->lu.d_sense : false,
				     cmd->sense + 2, KTGT_SENSE_MAX);
		put_unaligned_be16(n, cmd->sense);
		cmd->rsp.data = cmd->sense;
		cmd->rsp.data_len = n + 2;
		/* Residuals only where the failure is about the lengths. */
		if (t->reason != KTGT_SR_INVALID_FIELD_IN_IU) {
			t->overflow = false;
			t->residual = 0;
		}
	} else if (cmd->dir == KTGT_DIR_READ && cmd->xfer_len) {
		/*
		 * Status may ride in the last Data-In PDU (RFC 7143 11.7.4:
		 * only when the command ended without sense data) if the
		 * transport sends Data-In PDUs: one PDU and one StatSN less
		 * per read. The header is complete before the data is
		 * queued: the transport takes status and residual from
		 * cmd->result for the last Data-In, which may be built at
		 * once, and stamps its StatSN.
		 */
		cmd->status_in_data = conn->transport->status_in_data_in;
		if (cmd->status_in_data)
			ktgt_task_build_rsp(cmd);
		/*
		 * Data SNACK may name it until its status is acknowledged,
		 * and at ERL 2 TASK REASSIGN (erl2.c).
		 */
		if (cmd->status_in_data &&
		    ((conn->params.erl && conn->transport->data_snack) ||
		     conn->params.erl == 2))
			ktgt_read_keep(conn, cmd);
		conn->transport->put_data(conn, cmd);
		if (cmd->status_in_data)
			return;
	}
	ktgt_task_build_rsp(cmd);
	/*
	 * ERL 2: kept until its status is acknowledged, whether it gets
	 * out or its connection is gone: TASK REASSIGN may ask for it on
	 * another connection (erl2.c).
	 */
	if (conn->params.erl == 2)
		ktgt_read_keep(conn, cmd);
	ktgt_conn_send(conn, cmd);
}

/* Woken whenever a task finishes executing; TMFs wait on it. */
DECLARE_WAIT_QUEUE_HEAD(ktgt_task_wq);

int ktgt_exec_init(void)
{
	ktgt_exec_wq = alloc_workqueue("ktgt_exec", WQ_MEM_RECLAIM, 0);
	if (!ktgt_exec_wq)
		return -ENOMEM;
	ktgt_free_wq = alloc_workqueue("ktgt_free", WQ_MEM_RECLAIM, 0);
	if (!ktgt_free_wq) {
		destroy_workqueue(ktgt_exec_wq);
		return -ENOMEM;
	}
	return 0;
}

void ktgt_exec_exit(void)
{
	/* Release works queue free works: that order. */
	destroy_workqueue(ktgt_exec_wq);
	destroy_workqueue(ktgt_free_wq);
}
