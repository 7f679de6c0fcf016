#!/bin/bash
# ktgt-lanes: debian
# SPDX-License-Identifier: GPL-2.0
#
# SCSI conformance over iSER through the kernel initiator: libiscsi's
# iscsi-test-cu (Debian libiscsi-bin 1.19.0) run on the /dev/sg node of a
# disk attached with open-iscsi's ib_iser over Soft-RoCE (rdma_rxe on a
# dummy netdev), first for ktgt (ram backstore, 128 MiB), then for LIO's
# isert (fileio on tmpfs, 128 MiB) in the same guest, so both tables print.
#
# iscsi-test-cu talks SG_IO to a device path it is given instead of an
# iscsi:// URL (test-tool/iscsi-test-cu.c: trailing arguments that are not
# iscsi:// or iser:// URLs become sgio_dev when built with HAVE_SG_IO, and
# Debian's binary is: it prints "Failed to open SG_IO device" and the
# /dev/sg 120 KiB clamp message). Every command then goes through sd/sg,
# the SCSI midlayer, ib_iser and RDMA to the target.
#
# Test selection: the SCSI family (-t SCSI), i.e. ALL without its iSCSI
# suites (iSCSIcmdsn, iSCSIdatasn, iSCSIResiduals, iSCSITMF). Those build
# PDUs by hand on libiscsi's own connection (CmdSN out of window, wrong
# DataSN, EDTL different from the CDB, TMFs on its own ITT): through the
# kernel initiator there is no such connection, the iSCSI layer and its
# sequence numbers belong to the kernel, and each of them would print
# "[SKIPPED] ... only supported for iSCSI backends". The same holds for
# the SCSI tests that need a second I_T nexus or a logout (two-initiator
# RESERVE(6)/PR tests, PreventAllow resets): libiscsi skips them on sg and
# cu-summary counts those as skips.
#
# Required: ktgt's run completes and its results match
# tests/vm/expected/cu-iser.txt test by test (tests/vm/cu-expect): a
# regression (expected pass, got fail, skip or no result; the basic
# read/write/verify/write-same tests are expected passes, so the data path
# must have run) or a change (a new test, e.g. an iSCSI suite, a skip that
# now passes) fails, with the command that refreshes the list. LIO's table
# is for comparison only.
set -u
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

IQN=iqn.2026-11.org.example:iser-conf
LIO_IQN=iqn.2026-11.org.example:lio-iser
. "$(dirname "$0")/../iser-lib.sh"
LIO_PORTAL=$ADDR:3261
SUM=$KTGT_REPO/tests/vm/cu-summary
EXPECT=$KTGT_REPO/tests/vm/cu-expect
EXPECTED=$KTGT_REPO/tests/vm/expected/cu-iser.txt

iser_env iscsi-test-cu python3

# login_sg IQN PORTAL: log in over iSER, print the session's /dev/sgN.
login_sg() {
	local sg
	iscsiadm -m node -o new -T "$1" -p "$2" -I iser >/dev/null ||
		fail "iscsiadm node new $1"
	iscsiadm -m node -T "$1" -p "$2" -I iser --login >/dev/null ||
		fail "iSER login to $1 on $2 failed"
	sg=$(find_iscsi_sg "$1" 30) && [ -c "$sg" ] ||
		fail "no /dev/sg for $1 after login"
	echo "$sg"
}

# logout_wait IQN PORTAL: log out, wait until the session is gone.
logout_wait() {
	iscsiadm -m node -T "$1" -p "$2" --logout >/dev/null ||
		fail "logout from $1"
	iscsi_wait_no_session 15 "$1" ||
		fail "session to $1 still there after logout"
}

# suite_times LOG TIMES: copy stdin to LOG; the time each suite starts
# (and the run ends) to TIMES, for the per-suite times in the report.
suite_times() {
	local l
	while IFS= read -r l; do
		printf '%s\n' "$l" >&3
		case $l in
		"Suite: "* | "Run Summary"*)
			printf '%(%s)T %s\n' -1 "${l%%:*}: ${l#*: }" >&4 ;;
		esac
	done 3>"$1" 4>"$2"
}

# run_cu NAME SG: the SCSI family on SG; log, JSON and summary in results.
run_cu() {
	local t0 t1
	info "iscsi-test-cu -t SCSI on $1 ($2 over iSER)"
	t0=$(date +%s)
	timeout 1200 stdbuf -oL -eL iscsi-test-cu -d -t SCSI "$2" 2>&1 |
		suite_times "$KTGT_RESULTS/cu-$1.log" "$KTGT_RESULTS/cu-$1.times"
	t1=$(date +%s)
	info "$1: iscsi-test-cu took $((t1 - t0)) s"
	"$SUM" "$KTGT_RESULTS/cu-$1.log" --json "$KTGT_RESULTS/cu-$1.json" \
		--names >"$KTGT_RESULTS/cu-$1.txt"
	grep -q "^Run Summary" "$KTGT_RESULTS/cu-$1.log" || {
		tail -20 "$KTGT_RESULTS/cu-$1.log"
		fail "iscsi-test-cu did not finish on $1"
	}
}

# --- ktgt, and LIO's isert beside it -------------------------------------------
iser_target
LIO=${KTGT_ISER_CONF_LIO:-1}
[ "$LIO" = 1 ] && lio_setup_fileio "$LIO_IQN" 128 "$LIO_PORTAL"
if [ "$LIO" = 1 ] && { ! modprobe ib_isert ||
   ! echo 1 >"$LIO_CONFIGFS/iscsi/$LIO_IQN/tpgt_1/np/$LIO_PORTAL/iser"; }; then
	LIO=0
	info "LIO's isert portal is not available: ktgt's table only"
fi
start_iscsid
SG=$(login_sg "$IQN" "$PORTAL") || exit 1
info "ktgt: $SG"
if [ "$LIO" = 1 ]; then
	LSG=$(login_sg "$LIO_IQN" "$LIO_PORTAL") || exit 1
	info "LIO: $LSG"
fi

# The two runs go side by side: each is one command at a time, so two
# use the guest's two vCPUs and the test takes about the time of one.
run_cu ktgt "$SG" &
KPID=$!
if [ "$LIO" = 1 ]; then
	run_cu lio "$LSG" &
	LPID=$!
	wait $LPID || fail "the LIO run failed"
fi
wait $KPID || fail "the ktgt run failed"
grep -m1 -E "SG_IO|120k" "$KTGT_RESULTS/cu-ktgt.log"
logout_wait "$IQN" "$PORTAL"
[ "$LIO" = 1 ] && logout_wait "$LIO_IQN" "$LIO_PORTAL"

# --- cleanup: nothing may stay behind -------------------------------------------
stop_iscsid
lio_teardown
modprobe -r ib_isert iscsi_target_mod target_core_file 2>/dev/null ||
	info "LIO's modules did not all unload"
ktgtcli -q target delete "$IQN" || fail "target delete"
ktgtcli -q backstore delete ram/disk0 || fail "backstore delete"
ktgt_unload_modules
modprobe -r ib_iser || fail "ib_iser does not unload"
rdma link delete "${LINK}0" || fail "rdma link delete"
ip link delete dummy0

# --- tables and verdict -----------------------------------------------------------
python3 - "$KTGT_RESULTS" "$LIO" <<'PY'
import json, os, sys
res, lio = sys.argv[1], sys.argv[2] == "1"
runs = [("ktgt", "ktgt (iSER, ram)")]
if lio:
    runs.append(("lio", "LIO isert (fileio)"))
data = {n: json.load(open(os.path.join(res, "cu-%s.json" % n))) for n, _ in runs}
print("%-20s %6s %6s %6s %6s" % ("target", "total", "pass", "fail", "skip"))
for n, label in runs:
    c = data[n]["counts"]
    print("%-20s %6d %6d %6d %6d" % (label, len(data[n]["results"]),
                                     c["pass"], c["fail"], c["skip"]))
for n, label in runs:
    fails = sorted(t for t, v in data[n]["results"].items() if v == "fail")
    print("%s failures: %s" % (label, ", ".join(fails) or "none"))
# Whatever the expected list says after a refresh, the data path must
# really have been exercised, not skipped: the basic read, write, verify
# and write-same tests (RDMA WRITE and RDMA READ of 1 to 256 blocks at both
# ends of the LUN) pass on ktgt.
k = data["ktgt"]["results"]
data_path = ["%s%s.Simple" % (c, n) for c in ("Read", "Write", "Verify",
                                            "WriteVerify", "WriteSame")
             for n in ("10", "16")] + ["Read6.Simple", "Read12.Simple",
                                      "Write12.Simple", "Verify12.Simple"]
notrun = [t for t in data_path if k.get(t) != "pass"]
if notrun:
    print("FAIL: data-path tests did not pass on ktgt: " + " ".join(notrun))
sys.exit(1 if notrun else 0)
PY
rc=$?
cat "$KTGT_RESULTS/cu-ktgt.txt"
[ $rc = 0 ] || fail "the data path over iSER did not run"
"$EXPECT" "$KTGT_RESULTS/cu-ktgt.json" "$EXPECTED" ||
	fail "ktgt's results over iSER differ from $EXPECTED (above)"
echo "PASS"
exit 0
