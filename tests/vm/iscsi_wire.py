# SPDX-License-Identifier: GPL-2.0
"""iSCSI on the wire, PDU by PDU: the library of our scripted initiators
(tests/vm/iscsi-mcs, tests/vm/iscsi-erl, tests/vm/iscsi-erl2).

PDU builders, CRC32C digests, a connection (Conn: send and receive whole
PDUs, sequence numbers, target pings), a session (Session: login, SCSI
commands, logout), ktgt's transmit fault injection file (FaultFile)
and the scenario runner. A scenario is a function of a
Session that returns its PASS detail or raises Fail; it prints its
figures with out() and its remarks with log() ("# " lines on stderr).

Digests (RFC 7143 11.1, Appendix B): CRC32C (Castagnoli, reflected,
initial value and final xor 0xffffffff) over the header (BHS and AHS) and
over the data segment with its padding; the 32-bit result is sent
least significant byte first. They are on once a login negotiated
HeaderDigest=CRC32C or DataDigest=CRC32C, from the first PDU after the
final Login Response, and Conn.send() can corrupt either one of a PDU
on purpose. Every PDU received is checked: a bad digest fails the
scenario, unless the connection discards such PDUs (Conn.discard_bad,
RFC 7143 7.8), when it is recorded in Conn.discarded and skipped.

StatSN gaps (a response lost) are StatSN errors, unless the connection
expects them (Conn.gap_ok): then the missing StatSNs are kept in
Conn.missing, the ExpStatSN sent stays at the first of them (not
acknowledging it), and each one that comes later (asked again with a
Status SNACK) is delivered to the waiter and taken off the list.
"""
import select
import socket
import struct
import sys
import time

RSVD = 0xffffffff
IMMEDIATE = 0x40
F_BIT = 0x80

OP_NOP_OUT, OP_SCSI_CMD, OP_TMF_REQ, OP_LOGIN_REQ, OP_DATA_OUT, \
    OP_LOGOUT_REQ, OP_SNACK = 0x00, 0x01, 0x02, 0x03, 0x05, 0x06, 0x10
OP_NOP_IN, OP_SCSI_RSP, OP_TMF_RSP, OP_LOGIN_RSP, OP_TEXT_RSP, \
    OP_DATA_IN, OP_LOGOUT_RSP, OP_R2T, OP_ASYNC, OP_REJECT = \
    0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x31, 0x32, 0x3f
OP_NAMES = {OP_NOP_IN: "NOP-In", OP_SCSI_RSP: "SCSI Response",
            OP_TMF_RSP: "TMF Response", OP_LOGIN_RSP: "Login Response",
            OP_TEXT_RSP: "Text Response", OP_DATA_IN: "Data-In",
            OP_LOGOUT_RSP: "Logout Response", OP_R2T: "R2T",
            OP_ASYNC: "Async Message", OP_REJECT: "Reject"}
# Responses that carry a status and advance the connection's StatSN.
STATUS_OPS = (OP_SCSI_RSP, OP_TMF_RSP, OP_TEXT_RSP, OP_LOGOUT_RSP,
              OP_REJECT)
LOGIN_STATUS = {(2, 0x06): "too many connections",
                (2, 0x0a): "session does not exist",
                (2, 0x07): "missing parameter",
                (2, 0x08): "can't include in session",
                (2, 0x0b): "invalid request during login",
                (2, 0x00): "initiator error",
                (3, 0x02): "out of resources"}
GOOD, CHECK_CONDITION = 0x00, 0x02
ATTR_SIMPLE, ATTR_ORDERED = 0x01, 0x02
LOGOUT_CLOSE_SESSION, LOGOUT_CLOSE_CONNECTION, LOGOUT_RECOVERY = 0, 1, 2
# Logout Response codes (RFC 7143 11.15.1)
LOGOUT_RESPONSES = {0: "closed successfully", 1: "CID not found",
                    2: "connection recovery not supported",
                    3: "cleanup failed"}
# Task management functions (RFC 7143 11.5.1) and responses (11.6.1)
TMF_ABORT_TASK, TMF_TASK_REASSIGN = 1, 8
TMF_RESPONSES = {0: "function complete", 1: "task does not exist",
                 2: "LUN does not exist", 3: "task still allegiant",
                 4: "task allegiance reassignment not supported",
                 5: "function not supported", 6: "authorization failed",
                 255: "function rejected"}
SNACK_DATA_R2T, SNACK_STATUS, SNACK_DATA_ACK = 0, 1, 2
MRDSL = 262144
# Keys a target declares: no answer due.
DECLARATIVE = ("TargetPortalGroupTag", "TargetAlias", "TargetAddress",
               "MaxRecvDataSegmentLength")
# Over iSER (--iser, tests/vm/iser_wire.py): RFC 7145 6.
ISER_KEYS = [("RDMAExtensions", "Yes"), ("TargetRecvDataSegmentLength", "8192"),
             ("InitiatorRecvDataSegmentLength", "8192")]
NAME = ""


def log(msg):
    print("# %s%s" % (NAME and NAME + ": ", msg), file=sys.stderr,
          flush=True)


def out(key, value):
    print("%s.%s=%s" % (NAME, key, value), flush=True)


def be32(b, off):
    return int.from_bytes(b[off:off + 4], "big")


def be16(b, off):
    return int.from_bytes(b[off:off + 2], "big")


def sn_lt(a, b):
    """Serial number arithmetic (RFC 1982, 32 bits): a < b."""
    return a != b and (b - a) & 0xffffffff < 0x80000000


def login_status(cls, detail):
    name = LOGIN_STATUS.get((cls, detail))
    return "%d/0x%02x%s" % (cls, detail, " (%s)" % name if name else "")


# --- CRC32C ------------------------------------------------------------------

def _crc32c_table():
    table = []
    for n in range(256):
        for _ in range(8):
            n = n >> 1 ^ (0x82f63b78 if n & 1 else 0)
        table.append(n)
    return table


CRC32C_TABLE = _crc32c_table()


def crc32c_py(data):
    """CRC32C (Castagnoli, reflected; RFC 7143 Appendix B)."""
    crc = 0xffffffff
    table = CRC32C_TABLE
    for b in data:
        crc = table[(crc ^ b) & 0xff] ^ crc >> 8
    return crc ^ 0xffffffff


def _kernel_crc32c():
    """The kernel's crc32c through AF_ALG (algif_hash), which the guest
    has and the build host may not: a function like crc32c_py, or None.
    Its digest is the final CRC, least significant byte first. About
    a hundred times faster than crc32c_py under TCG, which matters for
    the soak's megabytes."""
    try:
        alg = socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET, 0)
        alg.bind(("hash", "crc32c"))
        op, _ = alg.accept()
    except (OSError, AttributeError):
        return None

    def crc(data):
        if not data:
            return 0
        op.sendall(data)
        return int.from_bytes(op.recv(4), "little")
    crc.sockets = (alg, op)         # kept open with the function
    return crc


# RFC 3720 B.4 (the same vectors as RFC 7143's): checked at every import,
# for each implementation used.
CRC32C_VECTORS = ((bytes(32), 0x8a9136aa), (b"\xff" * 32, 0x62a8ab43),
                  (bytes(range(32)), 0x46dd794e))
for _data, _crc in CRC32C_VECTORS:
    assert crc32c_py(_data) == _crc, "crc32c self-check failed"
crc32c = _kernel_crc32c()
if crc32c is None or any(crc32c(_d) != _c for _d, _c in CRC32C_VECTORS) \
   or crc32c(b"\x5a" * 70000) != crc32c_py(b"\x5a" * 70000):
    crc32c = crc32c_py
CRC32C_IMPL = "python" if crc32c is crc32c_py else "kernel AF_ALG"


def digest(data):
    """The 4 digest bytes of @data as they go on the wire."""
    return crc32c(data).to_bytes(4, "little")


# --- PDUs --------------------------------------------------------------------

def pad4(data):
    return data + b"\0" * (-len(data) % 4)


def text_data(pairs):
    return b"".join(("%s=%s" % kv).encode() + b"\0" for kv in pairs)


def text_keys(data):
    keys = {}
    for kv in data.split(b"\0"):
        if kv:
            k, _, v = kv.decode(errors="replace").partition("=")
            keys[k] = v
    return keys


def bhs(opcode, flags, dlen, b8=b"", itt=0, w20=0, w24=0, w28=0, tail=b""):
    """The 48-byte header: opcode, flags, DataSegmentLength (no AHS),
    bytes 8-15 (LUN, or ISID and TSIH), ITT, the words at 20, 24 and 28,
    then bytes 32-47 (a CDB, or nothing)."""
    h = struct.pack(">BBHB3s8sIIII", opcode, flags, 0, 0,
                    dlen.to_bytes(3, "big"), b8.ljust(8, b"\0"), itt, w20,
                    w24, w28) + tail.ljust(16, b"\0")
    assert len(h) == 48
    return h


def login_req(isid, tsih, itt, cid, cmdsn, expstatsn, pairs):
    """Login Request, operational stage to full feature phase (T=1)."""
    data = text_data(pairs)
    return bhs(OP_LOGIN_REQ | IMMEDIATE, F_BIT | 1 << 2 | 3, len(data),
               isid + tsih.to_bytes(2, "big"), itt, cid << 16, cmdsn,
               expstatsn) + pad4(data)


def scsi_cmd(itt, cmdsn, expstatsn, cdb, edtl, read=False, write=False,
             data=b"", attr=ATTR_SIMPLE):
    """SCSI Command to LUN 0, not immediate; @data is immediate data
    (unsolicited, in the command PDU)."""
    flags = F_BIT | (0x40 if read else 0) | (0x20 if write else 0) | attr
    return bhs(OP_SCSI_CMD, flags, len(data), itt=itt, w20=edtl, w24=cmdsn,
               w28=expstatsn, tail=cdb) + pad4(data)


def data_out(itt, ttt, expstatsn, datasn, offset, data, final):
    """SCSI Data-Out to LUN 0: DataSN, Buffer Offset, F on the last PDU
    of a sequence."""
    return bhs(OP_DATA_OUT, F_BIT if final else 0, len(data), itt=itt,
               w20=ttt, w28=expstatsn,
               tail=struct.pack(">III", 0, datasn, offset)) + pad4(data)


def nop_out_ping(itt, cmdsn, expstatsn):
    """An immediate NOP-Out that asks for a NOP-In (ITT valid, TTT
    reserved)."""
    return bhs(OP_NOP_OUT | IMMEDIATE, F_BIT, 0, itt=itt, w20=RSVD,
               w24=cmdsn, w28=expstatsn)


def nop_out_answer(nop_in, cmdsn, expstatsn):
    """The answer to a target's ping: ITT reserved, its TTT and LUN."""
    return bhs(OP_NOP_OUT | IMMEDIATE, F_BIT, 0, nop_in[8:16], RSVD,
               be32(nop_in, 20), cmdsn, expstatsn)


def snack(kind, itt, ttt, expstatsn, begrun, runlength, lun=b""):
    """SNACK Request (RFC 7143 11.16): @kind 0 Data/R2T, 1 Status, 2
    DataACK. ITT is reserved for Status and DataACK, TTT for all but
    DataACK (11.16.4, 11.16.5)."""
    return bhs(OP_SNACK, F_BIT | kind, 0, lun, itt, ttt, 0, expstatsn,
               struct.pack(">IIII", 0, 0, begrun, runlength))


def logout_req(itt, cid, reason, cmdsn, expstatsn):
    """An immediate Logout Request."""
    return bhs(OP_LOGOUT_REQ | IMMEDIATE, F_BIT | reason, 0, itt=itt,
               w20=cid << 16, w24=cmdsn, w28=expstatsn)


def tmf_req(itt, function, rtt, cmdsn, expstatsn, refcmdsn=0, expdatasn=0,
            lun=b""):
    """An immediate Task Management Function Request (RFC 7143 11.5):
    Referenced Task Tag @rtt, RefCmdSN (ABORT TASK; reserved, 0, for the
    others) and ExpDataSN (TASK REASSIGN of a read: the first DataSN
    wanted again, 0 for "unchanged"; reserved otherwise)."""
    return bhs(OP_TMF_REQ | IMMEDIATE, F_BIT | function, 0, lun, itt, rtt,
               cmdsn, expstatsn, struct.pack(">II", refcmdsn, expdatasn))


def tmf_response(code):
    return "%d (%s)" % (code, TMF_RESPONSES.get(code, "?"))


def logout_response(code):
    return "%d (%s)" % (code, LOGOUT_RESPONSES.get(code, "?"))


def rw10(opcode, lba, blocks):
    return struct.pack(">BBIBHB", opcode, 0, lba, 0, blocks, 0)


def sense_text(data):
    """KEY/ASC/ASCQ of the sense data in a SCSI Response's segment."""
    if len(data) < 2:
        return "none"
    sense = data[2:2 + be16(data, 0)]
    if len(sense) >= 4 and sense[0] & 0x7f in (0x72, 0x73):
        return "%x/%02x/%02x" % (sense[1] & 0xf, sense[2], sense[3])
    if len(sense) >= 14:
        return "%x/%02x/%02x" % (sense[2] & 0xf, sense[12], sense[13])
    return "short"


# --- connections and sessions ------------------------------------------------

class Closed(Exception):
    """The target closed (FIN) or reset the connection."""


class Fail(Exception):
    """A scenario's verdict is FAIL; the message says why."""


class Conn:
    """One TCP connection of a session: its CID and StatSN sequence."""

    def __init__(self, sess, name, cid):
        self.sess = sess
        self.name = name
        self.cid = cid
        self.s = None
        self.expstatsn = 0          # the next StatSN we expect
        self.hold = None            # the ExpStatSN to send, if not that
        self.resend_ok = False      # an old StatSN is a retransmission
        self.statsn_errors = []
        self.stash = []             # PDUs read while waiting for others
        self.closed = None
        self.tsih = None            # from its final Login Response
        self.ffp = False            # in full feature phase
        self.hdigest = self.ddigest = False
        self.discard_bad = False    # a bad digest: skip the PDU
        self.discarded = []         # (header or data, header, data)
        self.gap_ok = False         # a StatSN gap: a response lost
        self.missing = []           # StatSNs not received, oldest first

    def ack(self):
        """The ExpStatSN our PDUs carry: never past a missing StatSN."""
        if self.missing:
            return self.missing[0]
        return self.expstatsn if self.hold is None else self.hold

    def connect(self):
        self.s = socket.create_connection((self.sess.o.host,
                                           self.sess.o.port), timeout=10)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self, pdu, bad_hdigest=False, bad_ddigest=False):
        """Sends @pdu (header, then the padded data segment), with the
        negotiated digests; a bad_* one is sent inverted."""
        if self.hdigest or self.ddigest:
            hlen = 48 + pdu[4] * 4
            h, data = pdu[:hlen], pdu[hlen:]
            pdu = h
            if self.hdigest:
                d = crc32c(h) ^ (RSVD if bad_hdigest else 0)
                pdu += d.to_bytes(4, "little")
            pdu += data
            if self.ddigest and data:
                d = crc32c(data) ^ (RSVD if bad_ddigest else 0)
                pdu += d.to_bytes(4, "little")
        try:
            self.s.sendall(pdu)
        except OSError as e:
            self.closed = "send: %s" % e
            raise Closed("%s: %s" % (self.name, self.closed)) from e

    def _recv_exact(self, n):
        buf = bytearray()
        while len(buf) < n:
            try:
                chunk = self.s.recv(n - len(buf))
            except ConnectionResetError as e:
                self.closed = "reset"
                raise Closed("%s: reset by the target" % self.name) from e
            except socket.timeout as e:
                raise Fail("%s: a PDU stopped after %d of %d bytes"
                           % (self.name, len(buf), n)) from e
            if not chunk:
                self.closed = "closed"
                raise Closed("%s: closed by the target" % self.name)
            buf += chunk
        return bytes(buf)

    def read_pdu(self, deadline):
        """The next PDU, or None at @deadline (time.monotonic()). Both
        digests are checked when negotiated: a PDU with a bad one fails
        the scenario, or with discard_bad is recorded and skipped (its
        length is taken from its header, which may itself be the bad
        part: RFC 7143 7.8 leaves that risk to the receiver)."""
        while True:
            if self.closed:
                raise Closed("%s: %s" % (self.name, self.closed))
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.s], [], [], left)[0]:
                return None
            self.s.settimeout(10)
            h = self._recv_exact(48)
            ahs = h[4] * 4
            dlen = int.from_bytes(h[5:8], "big")
            if ahs:
                h += self._recv_exact(ahs)
            bad = []
            if self.hdigest:
                got = self._recv_exact(4)
                if digest(h) != got:
                    bad.append(("header", got, digest(h)))
            data = self._recv_exact(dlen + (-dlen % 4))
            if self.ddigest and dlen:
                got = self._recv_exact(4)
                if digest(data) != got:
                    bad.append(("data", got, digest(data)))
            if not bad:
                return h[:48], data[:dlen]
            what, got, want = bad[0]
            msg = ("%s: the target's %s digest is %s, CRC32C says %s (%s, "
                   "ITT %#x)" % (self.name, what, got.hex(), want.hex(),
                                 OP_NAMES.get(h[0] & 0x3f, hex(h[0])),
                                 be32(h, 16)))
            if not self.discard_bad:
                raise Fail(msg)
            log(msg + ": discarded")
            self.discarded.append((what, h[:48], data[:dlen]))

    def _housekeeping(self, h, data):
        """Sequence numbers, pings, and what we only print."""
        op = h[0] & 0x3f
        sess = self.sess
        if op != OP_LOGIN_RSP:
            sess.window(be32(h, 28), be32(h, 32))
        statsn = be32(h, 24)
        if op in STATUS_OPS or (op == OP_DATA_IN and h[1] & 0x01) or \
           (op == OP_NOP_IN and be32(h, 16) != RSVD):
            if (self.resend_ok or statsn in self.missing) and \
               sn_lt(statsn, self.expstatsn):
                log("%s: %s StatSN %#x again (ExpStatSN %#x)"
                    % (self.name, OP_NAMES[op], statsn, self.expstatsn))
                if statsn in self.missing:
                    self.missing.remove(statsn)
                return False
            if self.gap_ok and sn_lt(self.expstatsn, statsn):
                gap = (statsn - self.expstatsn) & 0xffffffff
                self.missing += [(self.expstatsn + i) & 0xffffffff
                                 for i in range(gap)]
                log("%s: %s StatSN %#x, ExpStatSN %#x: %d missing"
                    % (self.name, OP_NAMES[op], statsn, self.expstatsn,
                       gap))
            elif statsn != self.expstatsn:
                self.statsn_errors.append("%s StatSN %#x, ExpStatSN %#x"
                                          % (OP_NAMES[op], statsn,
                                             self.expstatsn))
                log("%s: %s" % (self.name, self.statsn_errors[-1]))
            self.expstatsn = (statsn + 1) & 0xffffffff
        if op == OP_NOP_IN and be32(h, 16) == RSVD:
            ttt = be32(h, 20)
            log("%s: NOP-In ping ttt=%#x StatSN %#x" % (self.name, ttt,
                                                       statsn))
            if ttt != RSVD:
                self.send(nop_out_answer(h, sess.cmdsn, self.ack()))
            return True
        if op == OP_ASYNC:
            if statsn == self.expstatsn:
                self.expstatsn = (statsn + 1) & 0xffffffff
            log("%s: Async Message event %d vcode %d parameters %d %d %d"
                % (self.name, h[36], h[37], be16(h, 38), be16(h, 40),
                   be16(h, 42)))
            sess.events.append("%s async %d" % (self.name, h[36]))
            sess.asyncs.append((self.name, h[36], be16(h, 38), be16(h, 40),
                                be16(h, 42)))
            return True
        if op == OP_REJECT:
            log("%s: Reject reason 0x%02x of opcode 0x%02x itt %#x"
                % (self.name, h[2], data[0] & 0x3f if data else 0xff,
                   be32(data, 16) if len(data) >= 20 else RSVD))
            sess.events.append("%s reject 0x%02x" % (self.name, h[2]))
        elif op == OP_R2T:
            log("%s: R2T itt %#x ttt %#x offset %d length %d%s"
                % (self.name, be32(h, 16), be32(h, 20), be32(h, 40),
                   be32(h, 44), " R2TSN %d" % be32(h, 36) if sess.r2ts
                   else " (unexpected)"))
            sess.events.append("%s r2t" % self.name)
            return not sess.r2ts
        return False

    def wait(self, match, seconds, what):
        """The first PDU that @match accepts, within @seconds; others
        are kept for later waits (or printed)."""
        for i, (h, data) in enumerate(self.stash):
            if match(h):
                del self.stash[i]
                return h, data
        deadline = time.monotonic() + seconds
        while True:
            p = self.read_pdu(deadline)
            if p is None:
                raise Fail("%s: no %s within %g s" % (self.name, what,
                                                      seconds))
            if self._housekeeping(*p):
                continue
            if match(p[0]):
                return p
            op = p[0][0] & 0x3f
            if op == OP_REJECT:
                raise Fail("%s: Reject 0x%02x while waiting for %s"
                           % (self.name, p[0][2], what))
            self.stash.append(p)

    def idle(self, seconds):
        """Reads for @seconds: the PDUs that came (pings answered)."""
        got = []
        deadline = time.monotonic() + seconds
        while True:
            p = self.read_pdu(deadline)
            if p is None:
                return got
            if not self._housekeeping(*p):
                got.append(p)
                self.stash.append(p)

    def wait_closed(self, seconds):
        """Seconds until the target closed this connection, or None."""
        t0 = time.monotonic()
        try:
            while time.monotonic() - t0 < seconds:
                p = self.read_pdu(t0 + seconds)
                if p and not self._housekeeping(*p):
                    log("%s: %s while waiting for the close"
                        % (self.name, OP_NAMES.get(p[0][0] & 0x3f,
                                                   hex(p[0][0]))))
        except Closed:
            return time.monotonic() - t0
        except OSError:
            return time.monotonic() - t0
        return None

    def reset(self):
        """Drops the connection abruptly: with SO_LINGER 0, close() sends
        a TCP RST, not a FIN (a connection failure as the target sees a
        crashed or unplugged initiator)."""
        if self.s:
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                              struct.pack("ii", 1, 0))
        self.closed = "reset by us"
        self.ffp = False
        self.close()

    def rdma_data(self, itt, h):
        """Read data placed by RDMA (iSER); none over TCP."""
        return b""

    def is_open(self):
        return self.s is not None and not self.closed

    def logged_out(self):
        """After a Logout Response that closes us: the target closes a
        TCP connection (RFC 7143 11.15)."""
        self.wait_closed(2)

    def close(self):
        if self.s:
            self.s.close()
            self.s = None
            self.closed = self.closed or "closed by us"


class Session:
    """Session-wide state: ISID, TSIH, CmdSN, and its connections. A
    leading login offers @leading_keys after the connection's keys;
    @digests offers HeaderDigest=CRC32C and DataDigest=CRC32C."""

    def __init__(self, o, isid, leading_keys, digests=False, mrdsl=MRDSL):
        self.o = o
        self.isid = isid
        self.leading_keys = leading_keys
        self.digests = digests
        self.mrdsl = mrdsl
        self.tsih = 0
        self.cmdsn = 1              # next CmdSN (non-immediate commands)
        self.exp_cmdsn = 1
        self.max_cmdsn = 1
        self.itt = 0x10
        self.conns = []
        self.events = []
        self.asyncs = []            # (conn, event, param1, 2, 3)
        self.keys = {}
        self.r2ts = False           # R2Ts are for the scenario to read
        # ITT -> (EDTL, read, write, data) of each SCSI command: what a
        # TASK REASSIGN over iSER advertises buffers for again
        self.tasks = {}
        self.conn_class = Conn
        if getattr(o, "iser", False):
            from iser_wire import IserConn
            self.conn_class = IserConn

    def next_itt(self):
        self.itt += 1
        return self.itt

    def window(self, exp, mx):
        self.exp_cmdsn, self.max_cmdsn = exp, mx

    def keys_for(self, leading):
        o = self.o
        dig = "CRC32C" if self.digests else "None"
        pairs = [("InitiatorName", o.initiator), ("TargetName", o.target),
                 ("SessionType", "Normal"), ("HeaderDigest", dig),
                 ("DataDigest", dig),
                 ("MaxRecvDataSegmentLength", str(self.mrdsl))]
        if self.conn_class is not Conn:
            pairs += ISER_KEYS
        if leading:
            pairs += self.leading_keys
        return pairs

    def login(self, name, cid, tsih=None, expstatsn=0):
        """Opens connection @name with @cid and logs it in (TSIH 0: a
        new session, else @tsih or the session's). Returns (conn, class,
        detail, response keys); the conn is in full feature phase only
        with 0/0. @expstatsn is the first Login Request's ExpStatSN: the
        old connection's when a login restarts (reinstates) a CID,
        RFC 7143 11.12 (ExpStatSN), 6.3.4."""
        c = self.conn_class(self, name, cid)
        self.conns.append(c)
        c.connect()
        leading = tsih == 0
        if tsih is None:
            tsih = self.tsih
        itt = self.next_itt()
        pairs = self.keys_for(leading)
        keys = {}
        sent = set()
        for _ in range(4):
            c.send(login_req(self.isid, tsih, itt, cid, self.cmdsn,
                             expstatsn, pairs))
            sent.update(k for k, _ in pairs)
            h, data = c.wait(lambda h: h[0] & 0x3f == OP_LOGIN_RSP, 10,
                             "Login Response")
            got = text_keys(data)
            keys.update(got)
            cls, detail = h[36], h[37]
            if cls:
                log("%s (CID %d, TSIH %#x): login %s" % (
                    name, cid, tsih, login_status(cls, detail)))
                return c, cls, detail, keys
            expstatsn = (be32(h, 24) + 1) & 0xffffffff
            if h[1] & 0x83 == 0x83:     # T, NSG full feature phase
                break
            # Not yet (T=0): the target offered keys of its own (LIO
            # offers MaxBurstLength, DefaultTime2Wait, ...), which must
            # be answered (RFC 7143 6.2): we accept its values.
            pairs = [(k, v) for k, v in got.items()
                     if k not in sent and k not in DECLARATIVE and
                     v not in ("NotUnderstood", "Irrelevant", "Reject")]
            log("%s: login round with T=0; answering %s" % (
                name, ",".join("%s=%s" % kv for kv in pairs) or "nothing"))
        else:
            raise Fail("%s: login did not reach full feature phase (last "
                       "response flags %#x, keys %s)" % (
                           name, h[1], ",".join("%s=%s" % kv
                                                for kv in got.items())))
        c.expstatsn = expstatsn
        c.tsih = be16(h, 14)
        c.ffp = True
        c.hdigest = keys.get("HeaderDigest") == "CRC32C"
        c.ddigest = keys.get("DataDigest") == "CRC32C"
        self.window(be32(h, 28), be32(h, 32))
        if leading:
            self.tsih = be16(h, 14)
            self.cmdsn = be32(h, 28)
            self.keys = keys
        return c, cls, detail, keys
    def scsi(self, c, cdb, edtl=0, read=False, write=False, data=b"",
             cmdsn=None, seconds=None):
        """Sends a command on @c and waits for its status: (status,
        response header, read data, sense)."""
        itt = self.send_scsi(c, cdb, edtl, read, write, data, cmdsn)
        return self.scsi_wait(c, itt, seconds)

    def send_scsi(self, c, cdb, edtl=0, read=False, write=False, data=b"",
                  cmdsn=None, attr=ATTR_SIMPLE, itt=None, **bad):
        """Sends a command: a new ITT and the next CmdSN unless given;
        @bad: bad_hdigest, bad_ddigest (Conn.send)."""
        if itt is None:
            itt = self.next_itt()
        if cmdsn is None:
            cmdsn = self.cmdsn
            self.cmdsn = (self.cmdsn + 1) & 0xffffffff
        self.tasks[itt] = (edtl, read, write, data)
        c.send(scsi_cmd(itt, cmdsn, c.ack(), cdb, edtl, read, write,
                        data, attr), **bad)
        return itt

    def scsi_wait(self, c, itt, seconds=None):
        seconds = seconds or self.o.timeout
        got = b""

        def match(h):
            return be32(h, 16) == itt and h[0] & 0x3f in (OP_SCSI_RSP,
                                                          OP_DATA_IN)
        while True:
            h, data = c.wait(match, seconds, "response to itt %#x" % itt)
            if h[0] & 0x3f == OP_DATA_IN:
                got += data
                if not h[1] & 0x01:
                    continue
                return h[3], h, got, "none"
            got += c.rdma_data(itt, h)
            return h[3], h, got, sense_text(data) if h[3] else "none"

    def tur(self, c):
        """TEST UNIT READY; a unit attention is reported and retried."""
        status, h, _, sense = self.scsi(c, bytes(6))
        if status == CHECK_CONDITION and sense.startswith("6/"):
            log("%s: TEST UNIT READY: unit attention %s, again"
                % (c.name, sense))
            status, h, _, sense = self.scsi(c, bytes(6))
        return status, h, sense

    def logout(self, c, cid, reason, expstatsn=None):
        """An immediate Logout Request on @c for @cid: its response."""
        return self.logout_header(c, cid, reason, expstatsn)[2]

    def logout_header(self, c, cid, reason, expstatsn=None):
        """The same, the whole Logout Response header (Time2Wait at
        byte 40, Time2Retain at 42). ExpStatSN is "the last ExpStatSN
        value for the connection to be closed" (RFC 7143 11.14): give
        @expstatsn when that is not @c."""
        itt = self.next_itt()
        c.send(logout_req(itt, cid, reason, self.cmdsn,
                          c.ack() if expstatsn is None else expstatsn))
        h, _ = c.wait(lambda h: h[0] & 0x3f == OP_LOGOUT_RSP and
                      be32(h, 16) == itt, self.o.timeout, "Logout Response")
        return h

    def tmf(self, c, function, rtt, refcmdsn=0, expdatasn=0):
        """An immediate TMF Request on @c: its TMF Response header."""
        itt = self.next_itt()
        c.send(tmf_req(itt, function, rtt, self.cmdsn, c.ack(), refcmdsn,
                       expdatasn))
        h, _ = c.wait(lambda h: h[0] & 0x3f == OP_TMF_RSP and
                      be32(h, 16) == itt, self.o.timeout, "TMF Response")
        return h

    def end(self):
        """Logs the session out on an open connection, closes them all
        (--close-at-end: only closes them; the scenario's verdict is in
        already)."""
        for c in [] if getattr(self.o, "close_at_end", False) else \
                self.conns:
            if c.is_open() and c.ffp:
                try:
                    self.logout(c, c.cid, LOGOUT_CLOSE_SESSION)
                    c.logged_out()
                except (Closed, Fail, OSError):
                    pass
                break
        for c in self.conns:
            c.close()


class FaultFile:
    """ktgt_tcp's transmit fault injection (--fault-file), a debugfs
    file: a rule "OPCODE ACTION COUNT [SKIP]" for every connection,
    "off", and the hits since the module was loaded."""

    def __init__(self, path):
        self.path = path

    def write(self, rule):
        with open(self.path, "w") as f:
            f.write(rule + "\n")

    def hits(self):
        """{action: count} of the "hits:" line."""
        with open(self.path) as f:
            for line in f:
                if line.startswith("hits:"):
                    w = line.split()[1:]
                    return dict(zip(w[::2], map(int, w[1::2])))
        raise Fail("%s has no hits: line" % self.path)


def isid_for(n, tag=b"MC"):
    """Random-type ISIDs (0x80), one per scenario: @tag names the
    script."""
    return bytes([0x80, 0x00]) + tag + bytes([0x00, n])


def check_good(sess, c, what):
    status, h, sense = sess.tur(c)
    if status != GOOD:
        raise Fail("%s: TEST UNIT READY on %s: status 0x%02x sense %s"
                   % (what, c.name, status, sense))
    return h


def run(name, sess, fn):
    """Runs scenario @fn on @sess: its figures, then its verdict line
    "NAME PASS|FAIL detail". True when it passed."""
    global NAME
    NAME = name
    t0 = time.monotonic()
    try:
        verdict, detail = "PASS", fn(sess)
        bad = [e for c in sess.conns for e in c.statsn_errors]
        if bad:
            verdict, detail = "FAIL", "StatSN: " + "; ".join(bad)
    except (Fail, Closed) as e:
        verdict, detail = "FAIL", str(e)
    except OSError as e:
        verdict, detail = "FAIL", "socket: %s" % e
    finally:
        sess.end()
    if sess.events:
        out("events", ",".join(e.replace(" ", "_") for e in sess.events))
    out("seconds", "%.2f" % (time.monotonic() - t0))
    print("%s %s %s" % (name, verdict, detail), flush=True)
    return verdict == "PASS"


def add_common_args(p, scenarios):
    """HOST PORT INITIATOR TARGET SCENARIO..., --timeout, --isid-base."""
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("initiator")
    p.add_argument("target")
    p.add_argument("scenarios", nargs="+",
                   help="|".join(n for n, _ in scenarios) + "|all")
    p.add_argument("--timeout", type=float, default=10,
                   help="seconds to wait for a response")
    p.add_argument("--isid-base", type=int, default=0x10,
                   help="last ISID byte of the first scenario")
    p.add_argument("--iser", action="store_true",
                   help="connect over iSER (rdma_cm) instead of TCP")
    p.add_argument("--close-at-end", action="store_true",
                   help="end each scenario's session by closing its "
                   "connections, without a Logout")


def selected(p, o, scenarios):
    """(index, name, function) of each scenario named on the command
    line ("all": every one), in command-line order."""
    order = [n for n, _ in scenarios]
    picked = []
    for s in o.scenarios:
        if s == "all":
            picked += order
        elif s in order:
            picked.append(s)
        else:
            p.error("unknown scenario %r" % s)
    table = dict(scenarios)
    return [(order.index(n), n, table[n]) for n in picked]
