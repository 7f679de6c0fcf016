# SPDX-License-Identifier: GPL-2.0
"""The "soak" scenario of tests/vm/iscsi-erl and "soak-erl2" of
tests/vm/iscsi-erl2: data integrity under injected faults at
ErrorRecoveryLevel 1 (RFC 7143 7.1.5, 7.8, 7.9, 11.16) and 2 (connection
recovery: 6.2.1, 7.2.2, 11.5.1, 11.14, 11.15).

One session (iscsi-erl's login: ERL 1, both digests, MaxBurstLength
16384, FirstBurstLength 8192, InitialR2T=Yes, ImmediateData=Yes;
iscsi-erl2's soak-erl2 logs in with the same keys at ERL 2, with
MaxConnections 4, DefaultTime2Wait 0 and DefaultTime2Retain 3). A
region of --soak-mib MiB at the scenario's LBA is first filled, then a
PRNG seeded with --soak-seed (printed) drives --soak-ios I/Os, one at a
time: WRITE(10) or READ(10) of 4 to 64 KiB at random block-aligned
offsets, writes sometimes with immediate data (up to FirstBurstLength).
Before an I/O, with probability --soak-rate, one fault of the kinds in
--soak-faults that fit it is armed:

  client, on what we send
    dataout-ddigest   one solicited Data-Out with a bad data digest
    dataout-skip      one solicited Data-Out left out (DataSN gap)
    dataout-hdigest   one solicited Data-Out with a bad header digest
    imm-ddigest       the command's immediate data with a bad data digest
  client, on what we receive (a loss the target did not cause)
    datain-ignore     one Data-In thrown away unread
    rsp-ignore        the SCSI Response of a WRITE thrown away unread
  target (--fault-file, ktgt's debugfs ktgt_tcp/fault)
    datain-drop       "0x25 drop 1 SKIP": one Data-In of the READ lost
    datain-ddigest    "0x25 ddigest 1 SKIP": one Data-In with a bad data
                      digest (discarded, 7.8)
    r2t-drop          "0x31 drop 1 SKIP": one R2T of the WRITE lost
    rsp-drop          "0x21 drop 1": the WRITE's SCSI Response lost
    rsp-hdigest       "0x21 hdigest 1": it comes with a bad header digest
                      (discarded, 7.8)
  connection recovery, ERL 2 only (own rate: --soak-kill-rate, drawn
  before --soak-rate)
    conn-kill         the I/O's connection reset (TCP RST, SO_LINGER 0)
                      in its middle: a READ after 0 to 3 of its Data-In
                      were read (never its last), a WRITE before PDU k of
                      its n-th R2T (k of them sent), or with immediate
                      data right after the command, nothing read back;
                      in 15% of the kills the command itself is lost
                      (at=unsent: never sent). Then Time2Wait, a new
                      connection with a new CID joins the session (its
                      ISID and TSIH), Logout reason 2 for the old CID
                      with that connection's last ExpStatSN (11.14):
                      response 0; the Logout Response's Time2Wait; TASK
                      REASSIGN (function 8) of the I/O's ITT, ExpDataSN
                      the first DataSN not received for a READ, 0 for a
                      WRITE (11.5): response 0, nothing of the task
                      before it (11.5.1), and the I/O goes on on the new
                      connection with the generic recovery below (the
                      READ's Data-In from ExpDataSN, its status not
                      acknowledged till all are in; a WRITE's R2Ts, R2TSN
                      anew, answered; the status). Response 1 (task does
                      not exist) is taken only if nothing of the task
                      came and ExpCmdSN is not past its CmdSN (else the
                      target had it): the command is sent again on the
                      new connection, same ITT, CmdSN, CDB and immediate
                      data, a retry that 6.2.1 allows on another
                      connection once the original one was successfully
                      logged out; at=unsent must get 1

The client then recovers generically, whatever was armed: a Reject 0x02
of its command (immediate data damaged) -> the command again, same ITT
and CmdSN (6.2.1); every R2T answered, recovery R2Ts too (7.8, 11.8);
an R2T due and not come within 1 s -> an R2T SNACK for the next R2TSN
(11.16.1); a Data-In DataSN gap (or fewer Data-In than the response's
ExpDataSN) -> a Data SNACK for the run at once, the read's status not
acknowledged (ExpStatSN held) until all its data is in, A bits DataACKed
only once everything before them is in (11.16.2); 0.5 s of silence ->
a NOP-Out ping, whose NOP-In shows a StatSN gap: the response lost ->
a Status SNACK for it, or, for a read, its last Data-In (which carries the
status) -> a Data SNACK from the first DataSN missing, RunLength 0.

A model of the region (bytes written and acknowledged GOOD) is kept;
every READ is compared with it byte by byte, and at the end the whole
region is read back and compared (no faults). Figures (SCENARIO.KEY=):
seed, erl, ios, reads_verified, writes_acked, faults_client,
faults_target (what the fault file's hits moved), faults (armed, by
kind), hit (by kind), recoveries (by kind; at ERL 2 also reassign, a
TASK REASSIGN answered 0, and retry, a command sent again after 1), at
ERL 2 conn_kills, reassign_responses (TMF response: count) and
connections (CIDs the session used), corrupt_blocks, final_readback,
io_seconds. PASS only if no block is corrupt, every I/O ended GOOD, the
final read-back matches and every kind armed at least once took effect
at least once.
"""
import random
import time

from iscsi_wire import (
    CRC32C_IMPL, GOOD, LOGOUT_RECOVERY, OP_DATA_IN, OP_DATA_OUT, OP_NOP_IN,
    OP_R2T, OP_REJECT, OP_SCSI_CMD, OP_SCSI_RSP, RSVD, SNACK_DATA_ACK,
    SNACK_DATA_R2T, SNACK_STATUS, TMF_TASK_REASSIGN, Fail, be16, be32,
    data_out, log, login_status, logout_response, nop_out_ping, out, rw10,
    scsi_cmd, sense_text, sn_lt, snack, tmf_response)

A_BIT, S_BIT = 0x40, 0x01
BLOCK = 512
CLIENT_KINDS = ("dataout-ddigest", "dataout-skip", "dataout-hdigest",
                "imm-ddigest", "datain-ignore", "rsp-ignore")
TARGET_KINDS = ("datain-drop", "datain-ddigest", "r2t-drop", "rsp-drop",
                "rsp-hdigest")
RULES = {"datain-drop": ("0x25", "drop"), "datain-ddigest": ("0x25",
                                                             "ddigest"),
         "r2t-drop": ("0x31", "drop"), "rsp-drop": ("0x21", "drop"),
         "rsp-hdigest": ("0x21", "hdigest")}
ERL2_KINDS = ("conn-kill",)
RECOVERIES = ("recovery_r2t", "data_snack", "status_snack", "r2t_snack",
              "resent_cmd", "data_ack")
ERL2_RECOVERIES = ("reassign", "retry")
SILENCE = 1.0               # seconds before an R2T due is asked again
PING_AFTER = 0.5            # seconds of silence before a ping
RECOVERY_WAIT = 20          # seconds a recovery R2T may take
LONGEST_T2W = 10            # a Logout Response's Time2Wait we wait out


class Fault:
    """The fault armed for one I/O: its kind and where it strikes."""

    def __init__(self, kind, **where):
        self.kind = kind
        self.where = where
        self.hit = False        # a client fault that took place

    def __str__(self):
        return self.kind + "".join(" %s=%s" % kv
                                   for kv in sorted(self.where.items()))


class Soak:
    def __init__(self, sess, c, o, erl=1):
        self.sess, self.c, self.o = sess, c, o
        self.erl = erl
        self.fault_file = sess.fault
        self.lba = sess.lba
        self.size = o.soak_mib << 20
        self.model = bytearray(self.size)
        self.seed = o.soak_seed if o.soak_seed is not None else \
            random.SystemRandom().randrange(1 << 32)
        self.rng = random.Random(self.seed)
        erl2 = ERL2_KINDS if erl >= 2 else ()
        kinds = o.soak_faults.split(",") if o.soak_faults else \
            list(CLIENT_KINDS) + (list(TARGET_KINDS) if self.fault_file
                                  else []) + list(erl2)
        for k in kinds:
            if k in ERL2_KINDS and not erl2:
                raise Fail("fault kind %s needs ErrorRecoveryLevel 2" % k)
            if k not in CLIENT_KINDS + TARGET_KINDS + ERL2_KINDS:
                raise Fail("unknown fault kind %r" % k)
            if k in TARGET_KINDS and not self.fault_file:
                raise Fail("fault kind %s needs --fault-file" % k)
        self.kinds = kinds
        self.armed = dict.fromkeys(kinds, 0)
        self.hits = dict.fromkeys(kinds, 0)
        self.rec = dict.fromkeys(RECOVERIES + (ERL2_RECOVERIES if erl2
                                               else ()), 0)
        # ERL 2: the negotiated DefaultTime2Wait (the scenario's login
        # sets sess.t2w), the next CID, the TMF responses to TASK
        # REASSIGN, the CIDs the session used.
        self.t2w = getattr(sess, "t2w", 0)
        self.next_cid = c.cid + 1
        self.tmf_codes = {}
        self.cids = [c.cid]
        self.snack_rejects = 0
        self.corrupt = set()
        self.reads = self.writes = 0
        self.ping_itt = None
        self.first_burst = int(sess.keys.get("FirstBurstLength", "8192"))
        self.burst = int(sess.keys.get("MaxBurstLength", "16384"))
        self.mrdsl = sess.mrdsl     # ours: the largest Data-In
        self.ignore = None      # (kind, index) of a PDU to throw away
        self.ignored = 0

    # --- receiving -------------------------------------------------------

    def next_pdu(self, seconds):
        """The next PDU for us (pings answered, sequence numbers kept by
        the connection), or None after @seconds of silence. A PDU an
        armed *-ignore fault picks is thrown away before the connection
        sees it, as if lost on the wire."""
        c = self.c
        if c.stash:
            return c.stash.pop(0)
        deadline = time.monotonic() + seconds
        while True:
            p = c.read_pdu(deadline)
            if p is None:
                return None
            if self.ignore_it(*p):
                continue
            if c._housekeeping(*p):
                continue
            return p

    def ignore_it(self, h, d):
        f = self.fault
        if not f or f.kind not in ("datain-ignore", "rsp-ignore") or \
           f.hit or be32(h, 16) != self.itt:
            return False
        op = h[0] & 0x3f
        if f.kind == "rsp-ignore" and op == OP_SCSI_RSP or \
           f.kind == "datain-ignore" and op == OP_DATA_IN and \
           be32(h, 36) == f.where["datasn"]:
            log("%s: thrown away: %s" % (f, "SCSI Response StatSN %#x"
                                         % be32(h, 24) if op == OP_SCSI_RSP
                                         else "Data-In DataSN %d"
                                         % be32(h, 36)))
            f.hit = True
            return True
        return False

    def ping(self):
        """An immediate NOP-Out ping: its NOP-In carries the next StatSN,
        so a lost response shows up as a gap (Conn.missing)."""
        self.ping_itt = self.sess.next_itt()
        self.c.send(nop_out_ping(self.ping_itt, self.sess.cmdsn,
                                 self.c.ack()))

    def other(self, h, d):
        """A PDU not for the I/O under way: our ping's NOP-In, a Reject
        of a SNACK (counted), or a failure."""
        op = h[0] & 0x3f
        if op == OP_NOP_IN and be32(h, 16) == self.ping_itt:
            self.ping_itt = None
            return "pong"
        if op == OP_REJECT and d and d[0] & 0x3f == 0x10:
            self.snack_rejects += 1
            log("Reject 0x%02x of our SNACK" % h[2])
            return "snack-rejected"
        raise Fail("unexpected %#x (ITT %#x) during I/O ITT %#x"
                   % (h[0], be32(h, 16), self.itt))

    def status_snack(self):
        c = self.c
        beg, run = c.missing[0], len(c.missing)
        log("Status SNACK BegRun %#x RunLength %d" % (beg, run))
        self.rec["status_snack"] += 1
        c.send(snack(SNACK_STATUS, RSVD, RSVD, c.ack(), beg, run))

    # --- faults ----------------------------------------------------------

    def datain_count(self, length):
        """How many Data-In a READ of @length bytes comes in."""
        return sum(-(-min(self.burst, length - off) // self.mrdsl)
                   for off in range(0, length, self.burst))

    def pick_fault(self, write, length, imm):
        """The fault for this I/O, or None."""
        solicited = length - imm
        bursts = [min(self.burst, solicited - off)
                  for off in range(0, solicited, self.burst)]
        seg = self.sess.seg
        # conn-kill has its own rate (--soak-kill-rate); drawn only when
        # it is a kind, so ERL 1 seeds repeat as before.
        if "conn-kill" in self.kinds and \
           self.rng.random() < self.o.soak_kill_rate:
            if self.rng.random() < 0.15:
                # The command lost with the connection: never sent.
                return Fault("conn-kill", at="unsent")
            if not write:
                # After 0 to 3 Data-In read, never the last one.
                n = min(4, self.datain_count(length))
                return Fault("conn-kill", datain=self.rng.randrange(n))
            if imm and (not bursts or self.rng.random() < 0.4):
                return Fault("conn-kill", at="cmd")
            # Before PDU k of the n-th R2T (k of its PDUs sent).
            n = self.rng.randrange(len(bursts))
            return Fault("conn-kill", r2t=n,
                         pdu=self.rng.randrange(-(-bursts[n] // seg)))
        if self.rng.random() >= self.o.soak_rate:
            return None
        if write:
            fit = [k for k in self.kinds if k in (
                "dataout-ddigest", "r2t-drop", "rsp-drop", "rsp-hdigest",
                "rsp-ignore") or k == "imm-ddigest" and imm or
                k in ("dataout-skip", "dataout-hdigest") and
                any(b > seg for b in bursts)]
            if not bursts:
                fit = [k for k in fit if not k.startswith(("dataout",
                                                           "r2t"))]
        else:
            fit = [k for k in self.kinds if k.startswith("datain")]
        if not fit:
            return None
        kind = self.rng.choice(fit)
        if kind in ("dataout-skip", "dataout-hdigest"):
            # Not the last PDU of its burst: the target sees the gap
            # when the next one comes, not after its Data-Out time-out.
            n = self.rng.choice([i for i, b in enumerate(bursts)
                                 if b > seg])
            k = self.rng.randrange(-(-bursts[n] // seg) - 1)
            return Fault(kind, r2t=n, pdu=k)
        if kind == "dataout-ddigest":
            n = self.rng.randrange(len(bursts))
            return Fault(kind, r2t=n,
                         pdu=self.rng.randrange(-(-bursts[n] // seg)))
        if kind == "r2t-drop":
            return Fault(kind, skip=self.rng.randrange(len(bursts)))
        if kind.startswith("datain"):
            sn = self.rng.randrange(self.datain_count(length))
            return Fault(kind, datasn=sn, skip=sn)
        return Fault(kind)

    def arm(self, f):
        self.armed[f.kind] += 1
        log("I/O %d: fault %s" % (self.n, f))
        if f.kind in RULES:
            op, action = RULES[f.kind]
            self.hits0 = self.fault_file.hits()
            self.fault_file.write("%s %s 1 %d" % (op, action,
                                                  f.where.get("skip", 0)))

    def disarm(self, f):
        if f.kind in RULES:
            self.fault_file.write("off")
            _, action = RULES[f.kind]
            now = self.fault_file.hits()
            f.hit = now.get(action, 0) > self.hits0.get(action, 0)
        if f.hit:
            self.hits[f.kind] += 1
        else:
            log("I/O %d: fault %s did not take effect" % (self.n, f))

    # --- ERL 2: a connection killed mid-I/O --------------------------------

    def conn_kill(self, expdatasn):
        """The armed conn-kill: the I/O's connection reset (TCP RST);
        Time2Wait later a new connection (a new CID) joins the session
        and logs the old CID out for recovery (Logout reason 2, the old
        connection's last ExpStatSN, 11.14), waits the Logout Response's
        Time2Wait (11.15) and sends TASK REASSIGN of the I/O's ITT with
        @expdatasn (11.5): its response, 0 or 1. self.c is the new
        connection from then on."""
        sess, old, f = self.sess, self.c, self.fault
        f.hit = True
        expstatsn = old.ack()
        log("I/O %d: %s (CID %d) reset, ExpStatSN %#x" % (
            self.n, old.name, old.cid, expstatsn))
        old.reset()
        failed = time.monotonic()
        cid = self.next_cid
        self.next_cid = (cid + 1) & 0xffff
        left = failed + self.t2w - time.monotonic()
        if left > 0:
            time.sleep(left)
        c, cls, detail, keys = sess.login("C%d" % cid, cid)
        if cls:
            raise Fail("I/O %d: CID %d joining TSIH %#x after the reset: %s"
                       % (self.n, cid, sess.tsih, login_status(cls,
                                                               detail)))
        if c.tsih != sess.tsih or not (c.hdigest and c.ddigest):
            raise Fail("CID %d: TSIH %#x (the session's %#x), digests %s/%s"
                       % (cid, c.tsih, sess.tsih,
                          keys.get("HeaderDigest"), keys.get("DataDigest")))
        c.gap_ok = c.discard_bad = True
        self.c = c
        self.cids.append(cid)
        self.ping_itt = None
        h = sess.logout_header(c, old.cid, LOGOUT_RECOVERY, expstatsn)
        t2w, t2r = be16(h, 40), be16(h, 42)
        if h[2] != 0 or t2r == 0 or t2w > LONGEST_T2W:
            raise Fail("I/O %d: Logout reason 2 for CID %d: %s, Time2Wait "
                       "%d, Time2Retain %d" % (self.n, old.cid,
                                               logout_response(h[2]), t2w,
                                               t2r))
        time.sleep(t2w)
        rsp = sess.tmf(c, TMF_TASK_REASSIGN, self.itt, expdatasn=expdatasn)[2]
        log("I/O %d: on %s TASK REASSIGN of ITT %#x ExpDataSN %d: %s"
            % (self.n, c.name, self.itt, expdatasn, tmf_response(rsp)))
        self.tmf_codes[rsp] = self.tmf_codes.get(rsp, 0) + 1
        early = [p for p in c.stash if be32(p[0], 16) == self.itt]
        if early:
            raise Fail("I/O %d: opcode %#x for the reassigned ITT %#x came "
                       "before the TMF Response (11.5.1)"
                       % (self.n, early[0][0][0], self.itt))
        if f.where.get("at") == "unsent" and rsp != 1:
            raise Fail("I/O %d: TASK REASSIGN of ITT %#x, never sent: %s, "
                       "want 1 (task does not exist)"
                       % (self.n, self.itt, tmf_response(rsp)))
        if rsp == 0:
            self.rec["reassign"] += 1
        elif rsp != 1:
            raise Fail("I/O %d: TASK REASSIGN of ITT %#x: %s"
                       % (self.n, self.itt, tmf_response(rsp)))
        return rsp

    def retry(self, cmdsn, seen):
        """TASK REASSIGN answered 1: the target never had the command.
        Nothing of the task may have come (@seen), nor may ExpCmdSN be
        past its CmdSN (else the target had it); then it is sent again
        on the new connection, same ITT, CmdSN and all (a retry, RFC
        7143 6.2.1: allowed on another connection once the original one
        was successfully logged out)."""
        if seen:
            raise Fail("I/O %d: TASK REASSIGN of ITT %#x: 1 (task does not "
                       "exist), but %s came for it on the failed connection"
                       % (self.n, self.itt, seen))
        if sn_lt(cmdsn, self.sess.exp_cmdsn):
            raise Fail("I/O %d: TASK REASSIGN of ITT %#x: 1 (task does not "
                       "exist), but ExpCmdSN %#x is past its CmdSN %#x"
                       % (self.n, self.itt, self.sess.exp_cmdsn, cmdsn))
        log("I/O %d: ITT %#x never arrived: sent again, CmdSN %#x"
            % (self.n, self.itt, cmdsn))
        self.rec["retry"] += 1

    # --- I/O ---------------------------------------------------------------

    def answer(self, r2t, data, answered):
        """The Data-Out for R2T (ttt, offset, length), the armed Data-Out
        fault applied if it is for this one (the @answered-th R2T). False
        when an armed conn-kill stops it before one of its PDUs (the
        connection is to be reset)."""
        ttt, offset, length = r2t
        seg = self.sess.seg
        f = self.fault
        offs = list(range(offset, offset + length, seg))
        for sn, off in enumerate(offs):
            piece = data[off:min(off + seg, offset + length)]
            if f and f.kind == "conn-kill" and not f.hit and \
               f.where.get("r2t") == answered and f.where["pdu"] == sn:
                log("I/O %d: %d of the %d Data-Out of R2T %d+%d sent"
                    % (self.n, sn, len(offs), offset, length))
                return False
            action = None
            if f and f.kind.startswith("dataout") and not f.hit and \
               f.where["r2t"] == answered and f.where["pdu"] == sn:
                action = f.kind.split("-")[1]
                f.hit = True
                log("Data-Out DataSN %d offset %d length %d: %s"
                    % (sn, off, len(piece), action))
                self.pending_recovery = True
            if action == "skip":
                continue
            self.c.send(data_out(self.itt, ttt, self.c.ack(), sn, off,
                                 piece, sn == len(offs) - 1),
                        bad_hdigest=action == "hdigest",
                        bad_ddigest=action == "ddigest")
        return True

    def write(self, off, data, imm):
        sess = self.sess
        self.itt = itt = sess.next_itt()
        cmdsn = sess.cmdsn
        sess.cmdsn = (cmdsn + 1) & 0xffffffff
        cdb = rw10(0x2a, self.lba + off // BLOCK, len(data) // BLOCK)
        f = self.fault

        def send_cmd(bad):
            self.c.send(scsi_cmd(itt, cmdsn, self.c.ack(), cdb, len(data),
                                 write=True, data=data[:imm]),
                        bad_ddigest=bad)

        def kill(seen):
            """conn-kill: the WRITE goes on on the new connection, its
            R2Ts (R2TSN anew) asking for what did not arrive."""
            if self.conn_kill(0) == 1:
                self.retry(cmdsn, seen)
                send_cmd(False)
            self.pending_recovery = False
            return self.c, imm, set()

        kill_at = f.where.get("at") if f and f.kind == "conn-kill" else None
        if kill_at == "unsent":
            log("I/O %d: WRITE ITT %#x CmdSN %#x not sent" % (self.n, itt,
                                                              cmdsn))
        else:
            send_cmd(bool(f and f.kind == "imm-ddigest"))
        if f and f.kind == "imm-ddigest":
            f.hit = True
        c = self.c
        covered = imm           # what the command and normal R2Ts asked
        r2tsns = set()
        answered = 0
        self.pending_recovery = False
        quiet, snack_at = 0.0, SILENCE
        if kill_at in ("cmd", "unsent"):
            c, covered, r2tsns = kill(None)
        while True:
            p = self.next_pdu(PING_AFTER)
            if p is None:
                quiet += PING_AFTER
                if self.pending_recovery:
                    if quiet > RECOVERY_WAIT:
                        raise Fail("no recovery R2T within %d s after %s"
                                   % (RECOVERY_WAIT, f))
                elif covered < len(data) and quiet < snack_at:
                    pass
                elif covered < len(data) and quiet <= 5 * SILENCE:
                    # An R2T is due: the next R2TSN again (11.16.1).
                    snack_at = quiet + SILENCE
                    beg = max(r2tsns) + 1 if r2tsns else 0
                    log("R2T SNACK BegRun %d (ITT %#x)" % (beg, itt))
                    self.rec["r2t_snack"] += 1
                    c.send(snack(SNACK_DATA_R2T, itt, RSVD, c.ack(), beg,
                                 1))
                elif quiet <= 10 * SILENCE:
                    self.ping()
                else:
                    raise Fail("WRITE ITT %#x: nothing for %g s (%d of %d "
                               "bytes asked for)" % (itt, quiet, covered,
                                                     len(data)))
                continue
            quiet, snack_at = 0.0, SILENCE
            h, d = p
            op = h[0] & 0x3f
            if op == OP_REJECT and h[2] == 0x02 and d and \
               d[0] & 0x3f == OP_SCSI_CMD and be32(d, 16) == itt:
                log("Reject 0x02 of the WRITE: sent again")
                self.rec["resent_cmd"] += 1
                send_cmd(False)
                continue
            if op == OP_REJECT and h[2] == 0x02 and d and \
               d[0] & 0x3f == OP_DATA_OUT and be32(d, 16) == itt:
                continue        # a recovery R2T follows
            if be32(h, 16) != itt or op not in (OP_R2T, OP_SCSI_RSP):
                if self.other(h, d) == "pong" and c.missing:
                    self.status_snack()
                continue
            if op == OP_SCSI_RSP:
                if c.missing:
                    raise Fail("WRITE's response, StatSNs %s still missing"
                               % c.missing)
                return h[3], sense_text(d) if h[3] else "none"
            r2tsn, offset, length = be32(h, 36), be32(h, 40), be32(h, 44)
            if r2tsn in r2tsns:
                log("R2TSN %d again: already answered" % r2tsn)
                continue
            r2tsns.add(r2tsn)
            if offset + length > len(data):
                raise Fail("R2T %d+%d beyond the %d bytes of the WRITE"
                           % (offset, length, len(data)))
            if offset < covered:
                self.rec["recovery_r2t"] += 1
                self.pending_recovery = False
            covered = max(covered, offset + length)
            if not self.answer((be32(h, 20), offset, length), data,
                               answered):
                c, covered, r2tsns = kill("R2T %d+%d" % (offset, length))
                quiet, snack_at = 0.0, SILENCE
            answered += 1

    def read(self, off, length):
        """READ(10): Data-In gaps asked again at once, the status not
        acknowledged until all of it is in. (status, sense, data)."""
        sess, c = self.sess, self.c
        hold = c.hold
        c.hold = c.expstatsn
        cdb = rw10(0x28, self.lba + off // BLOCK, length // BLOCK)
        cmdsn = sess.cmdsn
        f = self.fault
        kill_at = f.where.get("datain", 0) if f and f.kind == "conn-kill" \
            else None
        if kill_at is not None and f.where.get("at") == "unsent":
            self.itt = itt = sess.next_itt()
            sess.cmdsn = (cmdsn + 1) & 0xffffffff
            log("I/O %d: READ ITT %#x CmdSN %#x not sent" % (self.n, itt,
                                                             cmdsn))
        else:
            self.itt = itt = sess.send_scsi(c, cdb, length, read=True)
        buf = bytearray(length)
        have, missing, acks = set(), set(), []
        nxt, status, sense, quiet, acked = 0, None, "none", 0.0, 0

        def ask(beg, run):
            log("Data SNACK BegRun %d RunLength %d (ITT %#x)"
                % (beg, run, itt))
            self.rec["data_snack"] += 1
            c.send(snack(SNACK_DATA_R2T, itt, RSVD, c.ack(), beg, run))

        while status is None or missing:
            if kill_at is not None and not f.hit and status is None and \
               len(have) >= kill_at:
                # conn-kill: reassigned with the first DataSN not had;
                # everything from there comes again on the new
                # connection, its status not acknowledged either.
                exp = min(set(range(nxt + 1)) - have)
                rsp = self.conn_kill(exp)
                c = self.c
                c.hold = c.expstatsn
                missing.clear()
                acks.clear()
                if rsp == 1:
                    self.retry(cmdsn, have and "DataSN %s" % sorted(have))
                    sess.send_scsi(c, cdb, length, read=True, cmdsn=cmdsn,
                                   itt=itt)
                quiet = 0.0
                continue
            p = self.next_pdu(PING_AFTER)
            if p is None:
                quiet += PING_AFTER
                if quiet > 10 * SILENCE:
                    raise Fail("READ ITT %#x: nothing for %g s (DataSN %s "
                               "missing)" % (itt, quiet, sorted(missing)))
                if not missing:
                    self.ping()
                continue
            quiet = 0.0
            h, d = p
            op = h[0] & 0x3f
            if be32(h, 16) != itt or op not in (OP_DATA_IN, OP_SCSI_RSP):
                if self.other(h, d) == "pong" and c.missing and \
                   status is None:
                    # The Data-In with the status is lost (its StatSN
                    # was used): everything from the first missing.
                    ask(nxt, 0)
                    missing.add(nxt)
                continue
            if op == OP_SCSI_RSP:
                status, sense = h[3], sense_text(d) if h[3] else "none"
                if nxt < be32(h, 36):
                    ask(nxt, be32(h, 36) - nxt)
                    missing.update(range(nxt, be32(h, 36)))
                    nxt = be32(h, 36)
                continue
            sn, boff = be32(h, 36), be32(h, 40)
            if sn in have:
                log("Data-In DataSN %d again, not needed" % sn)
                continue
            if boff + len(d) > length:
                raise Fail("Data-In DataSN %d %d+%d beyond the READ's %d"
                           % (sn, boff, len(d), length))
            buf[boff:boff + len(d)] = d
            have.add(sn)
            missing.discard(sn)
            if sn > nxt:
                ask(nxt, sn - nxt)
                missing.update(range(nxt, sn))
            nxt = max(nxt, sn + 1)
            if h[1] & A_BIT and sn + 1 > acked:
                acks.append(h)
                acks.sort(key=lambda a: be32(a, 36))
            # DataACK only what has everything before it (11.16.2), and
            # never below one sent (a resent Data-In has its A bit again:
            # LIO resets the connection on a DataACK going back).
            while acks and all(s in have for s in range(be32(acks[0], 36))):
                a = acks.pop(0)
                if be32(a, 36) + 1 <= acked:
                    continue
                acked = be32(a, 36) + 1
                self.rec["data_ack"] += 1
                c.send(snack(SNACK_DATA_ACK, RSVD, be32(a, 20), c.ack(),
                             be32(a, 36) + 1, 0, lun=a[8:16]))
            if h[1] & S_BIT:
                status = h[3]
        c.hold = hold
        if kill_at is not None and not f.hit:
            log("I/O %d: the READ ended with %d Data-In, before the "
                "conn-kill" % (self.n, len(have)))
        if len(have) != nxt:
            raise Fail("READ ITT %#x: DataSN %s never came" % (
                itt, sorted(set(range(nxt)) - have)))
        return status, sense, bytes(buf)

    def compare(self, off, got, what):
        want = self.model[off:off + len(got)]
        if got == want:
            return
        bad = [off // BLOCK + i for i in range(len(got) // BLOCK)
               if got[i * BLOCK:(i + 1) * BLOCK] !=
               want[i * BLOCK:(i + 1) * BLOCK]]
        log("%s: %d blocks differ from the model, first region block %d"
            % (what, len(bad), bad[0]))
        self.corrupt.update(bad)

    def chunks(self, size):
        return [(off, min(size, self.size - off))
                for off in range(0, self.size, size)]

    # --- the run ---------------------------------------------------------

    def run(self):
        rng, c = self.rng, self.c
        c.gap_ok = True
        c.discard_bad = True
        out("seed", self.seed)
        out("erl", self.erl)
        out("crc32c", CRC32C_IMPL)
        out("region", "lba %d, %d MiB" % (self.lba, self.o.soak_mib))
        out("kinds", ",".join(self.kinds) or "none")
        log("seed %d (--soak-seed %d repeats this run)" % (self.seed,
                                                           self.seed))
        self.fault, self.n = None, -1
        hits0 = self.fault_file.hits() if self.fault_file else {}
        fill = rng.randbytes(self.size)
        for off, n in self.chunks(65536):
            status, sense = self.write(off, fill[off:off + n], 0)
            if status != GOOD:
                raise Fail("filling the region: WRITE at %d status 0x%02x "
                           "sense %s" % (off, status, sense))
            self.model[off:off + n] = fill[off:off + n]
        t0 = time.monotonic()
        bad_status = []
        for self.n in range(self.o.soak_ios):
            length = rng.randrange(8, 129) * BLOCK
            off = rng.randrange((self.size - length) // BLOCK + 1) * BLOCK
            write = rng.random() < 0.5
            imm = 0
            if write and rng.random() < 0.5:
                imm = min(length, self.first_burst, self.mrdsl_target())
            self.fault = self.pick_fault(write, length, imm)
            if self.fault:
                self.arm(self.fault)
            try:
                if write:
                    data = rng.randbytes(length)
                    status, sense = self.write(off, data, imm)
                    if status == GOOD:
                        self.model[off:off + length] = data
                        self.writes += 1
                else:
                    status, sense, got = self.read(off, length)
                    if status == GOOD:
                        self.compare(off, got, "I/O %d READ %d+%d"
                                     % (self.n, off, length))
                        self.reads += 1
            finally:
                if self.fault:
                    self.disarm(self.fault)
                    self.fault = None
            if status != GOOD:
                bad_status.append("I/O %d %s %d+%d: 0x%02x %s" % (
                    self.n, "WRITE" if write else "READ", off, length,
                    status, sense))
                log(bad_status[-1])
        seconds = time.monotonic() - t0
        final_bad = len(self.corrupt)
        for off, n in self.chunks(65536):
            status, sense, got = self.read(off, n)
            if status != GOOD:
                raise Fail("final read-back at %d: status 0x%02x sense %s"
                           % (off, status, sense))
            self.compare(off, got, "final read-back %d+%d" % (off, n))
        final_bad = len(self.corrupt) - final_bad
        now = self.fault_file.hits() if self.fault_file else {}
        delta = {k: v - hits0.get(k, 0) for k, v in now.items()}
        faults_client = sum(self.hits[k] for k in CLIENT_KINDS
                            if k in self.hits)
        out("ios", self.o.soak_ios)
        out("reads_verified", self.reads)
        out("writes_acked", self.writes)
        out("faults", ",".join("%s:%d" % kv for kv in self.armed.items()))
        out("hit", ",".join("%s:%d" % kv for kv in self.hits.items()))
        out("faults_client", faults_client)
        out("faults_target", ",".join("%s:%d" % kv for kv in delta.items())
            if self.fault_file else "n/a")
        out("recoveries", ",".join("%s:%d" % kv for kv in self.rec.items()))
        if self.erl >= 2:
            out("conn_kills", self.hits.get("conn-kill", 0))
            out("reassign_responses", ",".join(
                "%d:%d" % kv for kv in sorted(self.tmf_codes.items()))
                or "none")
            out("connections", len(self.cids))
        out("snack_rejects", self.snack_rejects)
        out("corrupt_blocks", len(self.corrupt))
        out("final_readback", "%d blocks differ" % final_bad if final_bad
            else "match")
        out("io_seconds", "%.1f" % seconds)
        wrong = []
        if self.corrupt:
            wrong.append("%d corrupt blocks" % len(self.corrupt))
        if bad_status:
            wrong.append("not GOOD: " + "; ".join(bad_status[:3]))
        never = [k for k, n in self.armed.items() if n and not self.hits[k]]
        if never:
            wrong.append("armed, never took effect: " + ",".join(never))
        if wrong:
            raise Fail("soak seed %d: %s" % (self.seed, "; ".join(wrong)))
        return ("seed %d, ERL %d: %d I/Os (%d reads verified, %d writes), "
                "%d faults (%s), recoveries %s; 0 corrupt blocks; final "
                "read-back of %d MiB matches; %.1f s"
                % (self.seed, self.erl, self.o.soak_ios, self.reads,
                   self.writes,
                   sum(self.hits.values()),
                   ",".join("%s:%d" % kv for kv in self.hits.items() if kv[1]),
                   ",".join("%s:%d" % kv for kv in self.rec.items() if kv[1]),
                   self.o.soak_mib, seconds))

    def mrdsl_target(self):
        return int(self.sess.keys.get("MaxRecvDataSegmentLength", "8192"))


def add_args(p):
    p.add_argument("--soak-ios", type=int, default=300,
                   help="soak: I/Os after the fill (default 300)")
    p.add_argument("--soak-seed", type=int,
                   help="soak: the PRNG's seed (default: a random one, "
                   "printed)")
    p.add_argument("--soak-mib", type=int, default=4,
                   help="soak: the region, MiB (default 4)")
    p.add_argument("--soak-rate", type=float, default=0.2,
                   help="soak: chance of a fault before an I/O "
                   "(default 0.2)")
    p.add_argument("--soak-kill-rate", type=float, default=0.08,
                   help="soak at ERL 2: chance of a conn-kill before an "
                   "I/O, drawn before --soak-rate (default 0.08)")
    p.add_argument("--soak-faults", metavar="KIND,...",
                   help="soak: the fault kinds (default: every client "
                   "kind, every target kind with --fault-file, and at ERL "
                   "2 conn-kill): "
                   + ",".join(CLIENT_KINDS + TARGET_KINDS + ERL2_KINDS))


def scenario(sess, c, erl=1):
    """The soak on @sess, logged in on @c at ErrorRecoveryLevel @erl (at
    2 with sess.t2w, the negotiated DefaultTime2Wait)."""
    try:
        return Soak(sess, c, sess.o, erl).run()
    finally:
        # One per R2T: hundreds. The rest (Rejects) stays.
        sess.events = [e for e in sess.events if not e.endswith(" r2t")]
