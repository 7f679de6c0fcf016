#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# libiscsi's iscsi-test-cu -t ALL against ktgt and against LIO in the same
# guest, same initiator. Required: no failure in the iSCSI suites, and
# fewer failures than LIO across ALL. Both tables are printed; skips are
# counted apart from passes. libiscsi runs its PREVENT ALLOW and START
# STOP UNIT tests only on removable media, so those suites run again on a
# removable LUN (LIO has no removable emulation): no failure, no skip.
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

kfail=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counts"]["fail"])' "$KTGT_RESULTS/cu-ktgt.json")
lfail=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counts"]["fail"])' "$KTGT_RESULTS/cu-lio.json")
ifail=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(" ".join(t for t,v in r.items() if v=="fail" and t.startswith("iSCSI")))' "$KTGT_RESULTS/cu-ktgt.json")
ktotal=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["results"]))' "$KTGT_RESULTS/cu-ktgt.json")
ltotal=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["results"]))' "$KTGT_RESULTS/cu-lio.json")
# A run cut short (time-out, crash) must not pass on fewer failures.
[ "$ktotal" -gt 0 ] && [ "$ktotal" = "$ltotal" ] ||
	fail "ktgt ran $ktotal tests, LIO $ltotal: a run did not complete"
grep -q "^Run Summary" "$KTGT_RESULTS/cu-ktgt.log" ||
	fail "iscsi-test-cu did not finish against ktgt"
[ -z "$ifail" ] || fail "iSCSI suites failed: $ifail"
[ "$kfail" -lt "$lfail" ] || fail "ktgt has $kfail failures, LIO $lfail"
python3 - "$KTGT_RESULTS/cu-ktgt-removable.json" <<'PY' || fail "removable LUN suites"
import json, sys
r = json.load(open(sys.argv[1]))["results"]
bad = sorted(t for t, v in r.items() if v != "pass")
print("removable LUN: %d tests, not passed: %s" % (len(r), ", ".join(bad) or "none"))
sys.exit(1 if bad or len(r) < 10 else 0)
PY
info "ktgt $kfail failures, LIO $lfail"
