#!/bin/bash
# ktgt-lanes: debian
# SPDX-License-Identifier: GPL-2.0
#
# iSER data integrity over Soft-RoCE (rdma_rxe on a dummy netdev; or siw):
# fio with crc32c verification for 60 s on the ib_iser-attached ktgt disk,
# libaio, O_DIRECT, queue depth 32, random reads and writes (50/50) with
# block sizes from 512 B to 1 MiB (bssplit, odd sizes included).
#
# How fio verifies here (fio 3.33, backend.c): a time_based randrw job
# with verify runs in passes over a region (size=): writes land on
# distinct blocks of the pass (random map) and carry a crc32c header;
# at the end of each pass every block written is read back and checked
# (the verify reads are counted as reads). So with verification working,
# read bytes clearly exceed write bytes (about 2:1 with whole passes;
# about 1:1 without the verify reads), and any mismatch ends fio with
# error 84 (EILSEQ, verify_fatal). The test asserts fio's exit status,
# error 0 in its JSON, I/O in both directions, at least two passes'
# worth of writes, and the verify reads (read >= 1.25 x write).
# Then logout and a clean unload of ktgt, ib_iser and rdma_rxe.
set -u
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

IQN=iqn.2026-11.org.example:iser-verify
. "$(dirname "$0")/../iser-lib.sh"

T=/tmp/iser-verify
RUNTIME=${KTGT_ISER_VERIFY_RUNTIME:-60}
# A pass covers 32 MiB of the 128 MiB disk: several passes (and so several
# verify phases) fit in 60 s even under TCG.
REGION=32M

# ib_iser caps a command at 512 KiB by default (max_sectors=1024): allow
# 1 MiB so the largest fio blocks reach ktgt as single commands (one
# 1 MiB RDMA READ or WRITE) instead of being split by the block layer.
modprobe -q ib_iser max_sectors=2048 || skip "ib_iser is not available"
iser_env fio python3
iser_target
start_iscsid
iser_login
mkdir -p $T
info "ib_iser max_sectors $(cat /sys/module/ib_iser/parameters/max_sectors)," \
	"$DEV max_sectors_kb $(cat "/sys/block/${DEV#/dev/}/queue/max_sectors_kb")"

# 512 B and 1 MiB at the ends, odd multiples of 512 (1536, 12 KiB,
# 200 KiB) in between: single-SGE, multi-page and multi-Send/RDMA cases.
BSSPLIT=512/10:1536/5:4k/15:8k/10:12k/10:64k/10:200k/10:256k/15:1m/15
info "fio: randrw 50/50, bssplit $BSSPLIT, QD32, libaio, direct, crc32c, ${RUNTIME}s on $DEV"
t0=$(date +%s)
rc=0
fio --name=iser-verify --filename="$DEV" --ioengine=libaio --direct=1 \
	--iodepth=32 --rw=randrw --rwmixread=50 --bssplit="$BSSPLIT" \
	--size=$REGION --time_based --runtime="$RUNTIME" \
	--verify=crc32c --verify_fatal=1 --do_verify=1 \
	--output-format=json --output=$T/fio.json >$T/fio.out 2>&1 || rc=$?
t1=$(date +%s)
cp $T/fio.json $T/fio.out "$KTGT_RESULTS/" 2>/dev/null
info "fio exited $rc after $((t1 - t0)) s"
[ "$rc" = 0 ] || {
	cat $T/fio.out
	grep -m5 -i 'verify' $T/fio.json
	fail "fio exited $rc"
}

# fio may put error text ahead of the JSON: parse from the first '{'.
python3 - $T/fio.json <<'PY' || fail "fio results do not show a clean verified run"
import json, sys
text = open(sys.argv[1], errors="replace").read()
j = json.loads(text[text.index("{"):])["jobs"][0]
r, w = j["read"], j["write"]
region = 32 << 20
print("--- fio: error %d, read %.1f MiB (%d I/Os), write %.1f MiB (%d I/Os), "
      "read/write %.2f, read %.1f MiB/s, write %.1f MiB/s" % (
          j["error"], r["io_bytes"] / 1048576.0, r["total_ios"],
          w["io_bytes"] / 1048576.0, w["total_ios"],
          r["io_bytes"] / max(w["io_bytes"], 1),
          r["bw_bytes"] / 1048576.0, w["bw_bytes"] / 1048576.0))
bad = []
if j["error"] != 0:
    bad.append("job error %d" % j["error"])
if r["total_ios"] == 0 or w["total_ios"] == 0:
    bad.append("no I/O in one direction")
# Each pass writes about half of the region (the other half are reads).
if w["io_bytes"] < region:
    bad.append("less than two passes written (%d bytes)" % w["io_bytes"])
# Without the verify reads the 50/50 mix reads about what it writes.
if r["io_bytes"] < 1.25 * w["io_bytes"]:
    bad.append("too few reads for the verify phases to have run")
if bad:
    print("FAIL: " + "; ".join(bad))
    sys.exit(1)
PY

# --- logout and unload everything ------------------------------------------
iscsiadm -m node -T "$IQN" -p "$PORTAL" --logout >/dev/null ||
	fail "logout failed"
wait_for 10 sh -c '! ls /sys/class/iscsi_session/ 2>/dev/null | grep -q .' ||
	fail "session still there after logout"
stop_iscsid
ktgtcli -q target delete "$IQN" || fail "target delete"
ktgtcli -q backstore delete ram/disk0 || fail "backstore delete"
rmmod ktgt_iser || fail "ktgt_iser still in use after the last connection"
ktgt_unload_modules
modprobe -r ib_iser || fail "ib_iser does not unload"
rdma link delete "${LINK}0" || fail "rdma link delete"
modprobe -r "$LINKMOD" || fail "$LINKMOD does not unload"
ip link delete dummy0 || fail "ip link delete dummy0"
info "logged out; ktgt, ib_iser and $LINKMOD unloaded"
echo "PASS"
exit 0
