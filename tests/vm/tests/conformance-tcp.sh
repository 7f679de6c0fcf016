#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# libiscsi's iscsi-test-cu -t ALL against ktgt and against LIO in the same
# guest, same initiator. ktgt's results are compared test by test with
# tests/vm/expected/cu-tcp.txt (tests/vm/cu-expect): any difference fails,
# a regression (expected pass, got fail, skip or no result) as well as a
# change (a new test, a skip that now passes), and the message says how to
# refresh the list. LIO's table is printed beside ktgt's for information
# only; skips are counted apart from passes. libiscsi runs its PREVENT
# ALLOW and START STOP UNIT tests only on removable media, so those suites
# run again on a removable LUN (LIO has no removable emulation), checked
# against tests/vm/expected/cu-tcp-removable.txt.
# ktgt-lanes: debian
. "$(dirname "$0")/../lib.sh"

IQN=iqn.2026-11.org.example:conf
LIO_IQN=iqn.2026-11.org.example:lio
I1=iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-test
I2=iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-test-2
CLI=$KTGT_REPO/tools/ktgtcli
SUM=$KTGT_REPO/tests/vm/cu-summary
require_cmd iscsi-test-cu python3

ktgt_load_modules ktgt_core ktgt_tcp
$CLI -q backstore create ram disk0 128M || fail "backstore"
$CLI -q target create $IQN || fail "target"
$CLI -q portal add $IQN 127.0.0.1:3260 || fail "portal"
$CLI -q lun add $IQN ram/disk0 || fail "lun"
$CLI -q acl add $IQN $I1 || fail "acl $I1"
$CLI -q acl add $IQN $I2 || fail "acl $I2"
$CLI -q backstore create ram cd0 64M || fail "backstore cd0"
$CLI -q lun add $IQN ram/cd0 --lun 1 --removable || fail "removable lun"
# libiscsi's PreventAllow.ColdReset needs the cold reset authorized.
$CLI -q tpg set $IQN attrib.tmr_cold_reset=1 || fail "tmr_cold_reset"
$CLI -q target enable $IQN || fail "enable"

lio_setup_fileio $LIO_IQN 128 127.0.0.1:3261

run_cu() {	# run_cu NAME URL [TESTS]
	info "iscsi-test-cu -t ${3:-ALL} on $1"
	timeout 1200 iscsi-test-cu -d -i $I1 -I $I2 -t "${3:-ALL}" "$2" \
		>"$KTGT_RESULTS/cu-$1.log" 2>&1
	"$SUM" "$KTGT_RESULTS/cu-$1.log" --json "$KTGT_RESULTS/cu-$1.json" \
		--names >"$KTGT_RESULTS/cu-$1.txt"
}
run_cu ktgt-removable "iscsi://127.0.0.1:3260/$IQN/1" \
	SCSI.PreventAllow,SCSI.StartStopUnit
run_cu ktgt "iscsi://127.0.0.1:3260/$IQN/0"
run_cu lio "iscsi://127.0.0.1:3261/$LIO_IQN/0"
lio_teardown

python3 - "$KTGT_RESULTS/cu-ktgt.json" "$KTGT_RESULTS/cu-lio.json" <<'PY'
import json, sys
k = json.load(open(sys.argv[1]))
l = json.load(open(sys.argv[2]))
print("%-8s %6s %6s %6s %6s" % ("target", "total", "pass", "fail", "skip"))
for name, d in (("ktgt", k), ("LIO", l)):
    c = d["counts"]
    print("%-8s %6d %6d %6d %6d" % (name, len(d["results"]), c["pass"],
                                    c["fail"], c["skip"]))
for name, d in (("ktgt", k), ("LIO", l)):
    fails = sorted(t for t, v in d["results"].items() if v == "fail")
    print("%s failures: %s" % (name, ", ".join(fails) or "none"))
PY
cat "$KTGT_RESULTS/cu-ktgt.txt"
info "removable LUN: PreventAllow and StartStopUnit"
cat "$KTGT_RESULTS/cu-ktgt-removable.txt"

grep -q "^Run Summary" "$KTGT_RESULTS/cu-ktgt.log" ||
	fail "iscsi-test-cu did not finish against ktgt"
grep -q "^Run Summary" "$KTGT_RESULTS/cu-lio.log" ||
	info "iscsi-test-cu did not finish against LIO (for information only)"
EXPECT=$KTGT_REPO/tests/vm/cu-expect
EXPDIR=$KTGT_REPO/tests/vm/expected
rc=0
"$EXPECT" "$KTGT_RESULTS/cu-ktgt.json" "$EXPDIR/cu-tcp.txt" || rc=1
"$EXPECT" "$KTGT_RESULTS/cu-ktgt-removable.json" \
	"$EXPDIR/cu-tcp-removable.txt" || rc=1
[ $rc = 0 ] || fail "ktgt's results differ from tests/vm/expected (above)"
info "ktgt as expected, test by test"
