# SPDX-License-Identifier: GPL-2.0
"""iSER (RFC 7145) under our scripted initiators: an iscsi_wire.Conn whose
PDUs travel in RDMA Sends (rdma_cm, an RC queue pair) instead of a TCP
stream, so that the scenarios of tests/vm/iscsi-mcs and tests/vm/iscsi-iser
run over Soft-RoCE or Soft-iWARP. Needs python3-pyverbs (rdma-core) and
an RDMA link to the target's address (tests/vm/iser-lib.sh makes one).

What differs from TCP, and how this client does it:
  - every PDU is one Send: the 28-byte iSER header (RFC 7145 9.2) then
    the BHS and the data segment, no digests (they are never negotiated:
    HeaderDigest and DataDigest stay None), no padding;
  - there are no Data-In, R2T or solicited Data-Out PDUs: the target
    RDMA WRITEs read data into a buffer we registered and advertised in
    the command's iSER header (Read STag and VA), and RDMA READs write
    data from another (Write STag and VA). This client sends no
    immediate and no unsolicited data: the data a scenario gives a
    WRITE (iscsi_wire builds it as immediate data) is taken out of the
    PDU and offered by Write STag, VA = its first byte;
  - a TASK REASSIGN (RFC 7143 11.5.1) carries new STags in its iSER
    header: the old ones belonged to the failed connection's queue pair
    and are gone with it. We register the task's buffers again on the
    new connection, VA = the first byte of the transfer (the transfer
    starts again from the beginning: under iSER there is no DataSN to
    resume from, ExpDataSN is 0);
  - a "reset" (kill) is an RDMA disconnect without a Logout: the target
    sees the connection fail, as with a TCP RST.

The target closing a connection shows as an event on the rdma_cm event
channel of our connection; pyverbs does not expose its file descriptor,
so we find it in /proc/self/fd (opened by rdma_create_ep) and select() on
it. Receive buffers complete in the order they were posted (RC), which
is how a completion is matched to its buffer.
"""
import os
import select
import time

from iscsi_wire import Closed, Conn, Fail, be32, log

ISER_CTRL, ISER_WSV, ISER_RSV = 0x10, 0x08, 0x04
ISER_HDR = 28
# The iSER CM REQ private data (RFC 7145 9.4): no zero-based VAs, no
# Send with Invalidate (our MRs are plain registrations).
CM_PRIVATE = bytes([0x80 | 0x40, 0, 0, 0])
RECV_DSL = 8192                 # InitiatorRecvDataSegmentLength we declare
BUF = 9216                      # iSER header + BHS + AHS + 8 KiB, rounded
NR_RECV = 64
POLL_S = 0.002


def _rdma_cm_fds():
    fds = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink("/proc/self/fd/" + fd) == \
               "/dev/infiniband/rdma_cm":
                fds.add(int(fd))
        except OSError:
            pass
    return fds


class IserConn(Conn):
    """One iSER connection of a session (see the module's comment)."""

    def __init__(self, sess, name, cid):
        super().__init__(sess, name, cid)
        self.cmid = None
        self.event_fd = None
        self.recv_mrs = []          # posted, oldest first
        self.rxq = []               # (header, data) received, not read
        self.bufs = {}              # ITT -> (read MR or None, write MR)
        self.keep = []              # MRs of finished commands, until close
        self.sends_done = 0
        self.send_mr = self.cq = None
        self.wc_error = None
        # "read" or "write": the next command's buffer of that direction is
        # deregistered once advertised, so the target's RDMA WRITE or READ
        # fails and so does the connection (a transfer broken midway)
        self.spoil = None

    # --- connection --------------------------------------------------------

    def connect(self):
        from pyverbs.cmid import CMID, AddrInfo, ConnParam
        from pyverbs.cq import CQ
        from pyverbs.mr import MR
        from pyverbs.qp import QPCap, QPInitAttr
        import pyverbs.cm_enums as ce
        import pyverbs.enums as e
        self._mr = MR
        self._e = e
        before = _rdma_cm_fds()
        ai = AddrInfo(dst=self.sess.o.host, dst_service=str(self.sess.o.port),
                      port_space=ce.RDMA_PS_TCP)
        self.cmid = CMID(creator=ai)
        new = _rdma_cm_fds() - before
        self.event_fd = min(new) if new else None
        self.pd = self.cmid.pd
        self.cq = CQ(self.cmid.context, 2 * NR_RECV + 16, None, None, 0)
        self.cmid.create_qp(QPInitAttr(
            qp_type=e.IBV_QPT_RC, scq=self.cq, rcq=self.cq,
            cap=QPCap(max_send_wr=16, max_recv_wr=NR_RECV, max_send_sge=1,
                      max_recv_sge=1)))
        self.send_mr = MR(self.pd, BUF, e.IBV_ACCESS_LOCAL_WRITE)
        for _ in range(NR_RECV):
            mr = MR(self.pd, BUF, e.IBV_ACCESS_LOCAL_WRITE)
            self.cmid.post_recv(mr, BUF)
            self.recv_mrs.append(mr)
        # RDMA READs the target may have out against us; 7: RNR retry
        # for ever (we repost receives only when we poll).
        param = ConnParam(resources=16, depth=16, retry=7, rnr_retry=7,
                          data_len=len(CM_PRIVATE))
        param.set_private_data(CM_PRIVATE)
        self.cmid.connect(param)

    def _poll(self):
        """Takes what completed: received PDUs into rxq (their buffer
        posted again), send completions counted. False once the queue
        pair is in error (the connection is gone)."""
        e = self._e
        ok = True
        while True:
            n, wcs = self.cq.poll(16)
            if n <= 0:
                return ok
            for wc in wcs[:n]:
                if wc.status != e.IBV_WC_SUCCESS:
                    # Flushed or failed: only the status is valid (not
                    # the opcode). The queue pair is in error for good.
                    if ok and not self.wc_error:
                        self.wc_error = "work completion status %d" \
                            % wc.status
                        log("%s: %s" % (self.name, self.wc_error))
                    ok = False
                    continue
                if wc.opcode & e.IBV_WC_RECV:
                    mr = self.recv_mrs.pop(0)
                    self._received(mr.read(wc.byte_len, 0))
                    if not self.closed:
                        self.cmid.post_recv(mr, BUF)
                        self.recv_mrs.append(mr)
                else:
                    self.sends_done += 1

    def _received(self, msg):
        if len(msg) < ISER_HDR + 48 or msg[0] & 0xf0 != ISER_CTRL:
            raise Fail("%s: a %d-byte message that is no iSER control PDU "
                       "(first byte %#x)" % (self.name, len(msg),
                                             msg[0] if msg else 0))
        h = msg[ISER_HDR:ISER_HDR + 48]
        ahs = h[4] * 4
        dlen = int.from_bytes(h[5:8], "big")
        start = ISER_HDR + 48 + ahs
        if start + dlen > len(msg):
            raise Fail("%s: a PDU of %d data bytes in a %d-byte message"
                       % (self.name, dlen, len(msg)))
        self.rxq.append((bytes(h), bytes(msg[start:start + dlen])))

    def _gone(self):
        """The target disconnected: an rdma_cm event is pending."""
        if self.event_fd is None:
            return False
        return bool(select.select([self.event_fd], [], [], 0)[0])

    def read_pdu(self, deadline):
        while True:
            if self.closed and not self.rxq:
                raise Closed("%s: %s" % (self.name, self.closed))
            if not self.rxq and not self._poll():
                self.closed = "closed (%s)" % self.wc_error
            if self.rxq:
                return self.rxq.pop(0)
            if not self.closed and self._gone():
                self._poll()
                if not self.rxq:
                    self.closed = "closed"
                continue
            if time.monotonic() >= deadline:
                return None
            time.sleep(POLL_S)

    # --- sending -----------------------------------------------------------

    def _mr_with(self, length, data=b""):
        e = self._e
        mr = self._mr(self.pd, max(length, 1), e.IBV_ACCESS_LOCAL_WRITE |
                      e.IBV_ACCESS_REMOTE_READ | e.IBV_ACCESS_REMOTE_WRITE)
        if data:
            mr.write(data, len(data), 0)
        return mr

    def _stags(self, itt, edtl, read, write, data):
        """Registers the buffers of a command (or of a reassigned task):
        the iSER header flags, Write and Read STag and VA."""
        rmr = wmr = None
        flags = 0
        if read and edtl:
            rmr = self._mr_with(edtl)
            flags |= ISER_RSV
        if write and edtl:
            wmr = self._mr_with(edtl, data[:edtl].ljust(edtl, b"\0"))
            flags |= ISER_WSV
        old = self.bufs.pop(itt, None)
        if old:
            self.keep.append(old)
        stags = (flags, wmr.rkey if wmr else 0, wmr.buf if wmr else 0,
                 rmr.rkey if rmr else 0, rmr.buf if rmr else 0)
        spoil, self.spoil = self.spoil, None
        if spoil == "read" and rmr:
            rmr.close()
            rmr = None
        elif spoil == "write" and wmr:
            wmr.close()
            wmr = None
        if spoil:
            log("%s: ITT %#x's %s STag names a buffer no longer registered"
                % (self.name, itt, spoil))
        self.bufs[itt] = (rmr, wmr)
        return stags

    def send(self, pdu, bad_hdigest=False, bad_ddigest=False):
        if bad_hdigest or bad_ddigest:
            raise Fail("%s: no digests over iSER" % self.name)
        op = pdu[0] & 0x3f
        stags = (0, 0, 0, 0, 0)
        if op == 0x01:                          # SCSI Command
            itt, edtl = be32(pdu, 16), be32(pdu, 20)
            read, write = bool(pdu[1] & 0x40), bool(pdu[1] & 0x20)
            data = pdu[48 + pdu[4] * 4:]
            if write:
                # All of it by RDMA READ: the PDU leaves with no data.
                pdu = pdu[:5] + b"\0\0\0" + pdu[8:48 + pdu[4] * 4]
            stags = self._stags(itt, edtl, read, write, data)
        elif op == 0x02 and pdu[1] & 0x7f == 8:  # TMF TASK REASSIGN
            rtt = be32(pdu, 20)
            task = self.sess.tasks.get(rtt)
            if task:
                stags = self._stags(rtt, *task)
        flags, wstag, wva, rstag, rva = stags
        msg = (bytes([ISER_CTRL | flags, 0, 0, 0]) + wstag.to_bytes(4, "big")
               + wva.to_bytes(8, "big") + rstag.to_bytes(4, "big") +
               rva.to_bytes(8, "big") + bytes(pdu))
        if len(msg) > BUF:
            raise Fail("%s: a %d-byte PDU does not fit our Send buffer"
                       % (self.name, len(pdu)))
        if self.closed:
            raise Closed("%s: %s" % (self.name, self.closed))
        self.send_mr.write(msg, len(msg), 0)
        want = self.sends_done + 1
        try:
            self.cmid.post_send(self.send_mr, self._e.IBV_SEND_SIGNALED,
                                len(msg))
        except Exception as ex:     # pyverbs raises its own errors
            self.closed = "send: %s" % ex
            raise Closed("%s: %s" % (self.name, self.closed)) from ex
        deadline = time.monotonic() + 10
        while self.sends_done < want:
            if not self._poll():
                # The queue pair went into error: the Send may well have
                # arrived (its acknowledgement lost to the flush, as when
                # the target's RDMA to a dead STag broke the connection
                # right after). Like a TCP send into a connection that
                # then fails: reads tell.
                self.closed = "send failed (%s)" % self.wc_error
                return
            if self._gone():
                # The target disconnected: the Send will be flushed. What
                # it sent before is still to be read, as after a TCP send
                # into a socket the peer has closed.
                return
            if time.monotonic() > deadline:
                raise Fail("%s: a Send did not complete in 10 s" % self.name)
            time.sleep(POLL_S / 4)

    def rdma_data(self, itt, h):
        """The read data of @itt, from the buffer the target wrote:
        its length less the residual of SCSI Response @h."""
        rmr = self.bufs.get(itt, (None, None))[0]
        if rmr is None:
            return b""
        n = rmr.length
        if h[1] & 0x02:                         # U: underflow
            n -= min(n, be32(h, 44))
        return bytes(rmr.read(n, 0)) if n else b""

    # --- the end -------------------------------------------------------------

    def is_open(self):
        return self.cmid is not None and not self.closed

    def logged_out(self):
        """After a Logout Response that closes us: under iSER the
        initiator disconnects (as ib_iser does; ktgt waits 2 s for it)."""
        self.close()

    def reset(self):
        """A connection failure, as the target sees it: the RDMA
        connection is torn down with no Logout."""
        log("%s: RDMA disconnect" % self.name)
        self.closed = "reset by us"
        self.ffp = False
        if self.cmid:
            try:
                self.cmid.disconnect()
            except Exception:       # already gone
                pass
        self.close()

    def close(self):
        """Memory registrations first, then the queue pair and the
        rdma_cm id, then the CQ: the order verbs wants."""
        if not self.cmid:
            return
        cmid, self.cmid = self.cmid, None
        mrs = [self.send_mr] + self.recv_mrs + [
            m for pair in list(self.bufs.values()) + self.keep
            for m in pair if m is not None]
        self.bufs.clear()
        self.keep = []
        self.recv_mrs = []
        for mr in (m for m in mrs if m is not None):
            try:
                mr.close()
            except Exception:       # pyverbs raises its own errors
                pass
        for obj in (o for o in (cmid, self.cq) if o is not None):
            try:
                obj.close()
            except Exception:
                pass
        self.closed = self.closed or "closed by us"
