#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of tests/vm/cu-expect (the per-test conformance gate) on a made-up
# run: identical lists pass; each kind of difference fails with its line;
# --update writes a sorted list and refuses failing tests. One "PASS name"
# / "FAIL name" line per case; exits 1 if any case fails.
set -u
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
CE=$TOP/tests/vm/cu-expect
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
npass=0
nfail=0

# t NAME RC REGEX EXPECTED-LINES: run cu-expect on $W/run.json and a list
# made of EXPECTED-LINES; want exit RC and REGEX in its output.
t() {
	local name=$1 want=$2 re=$3 rc
	printf '%s\n' "$4" >"$W/exp.txt"
	"$CE" "$W/run.json" "$W/exp.txt" >"$W/out" 2>&1
	rc=$?
	if [ $rc -ne "$want" ]; then
		echo "FAIL cu-expect/$name: exit $rc, want $want"
		sed 's/^/    | /' "$W/out" | head -8
		nfail=$((nfail + 1))
	elif ! grep -qE -e "$re" "$W/out"; then
		echo "FAIL cu-expect/$name: output lacks /$re/"
		sed 's/^/    | /' "$W/out" | head -8
		nfail=$((nfail + 1))
	else
		echo "PASS cu-expect/$name"
		npass=$((npass + 1))
	fi
}

cat >"$W/run.json" <<'J'
{"counts": {"pass": 2, "fail": 0, "skip": 1},
 "results": {"Read10.Simple": "pass", "iSCSITMF.AbortTask": "pass",
             "CompareAndWrite.Simple": "skip"}}
J
SAME=$'CompareAndWrite.Simple skip\nRead10.Simple pass\niSCSITMF.AbortTask pass'
t same 0 'all 3 tests as expected' "$SAME"
t pass-to-skip 1 'CompareAndWrite.Simple: expected pass, got skip' \
	$'CompareAndWrite.Simple pass\nRead10.Simple pass\niSCSITMF.AbortTask pass'
t skip-to-pass 1 'Read10.Simple: skip -> pass' \
	$'CompareAndWrite.Simple skip\nRead10.Simple skip\niSCSITMF.AbortTask pass'
t missing 1 'Write10.Simple: expected pass, did not run' \
	"$SAME"$'\nWrite10.Simple pass'
t new-test 1 'iSCSITMF.AbortTask: new test, pass' \
	$'CompareAndWrite.Simple skip\nRead10.Simple pass'
t refresh-hint 1 'cu-expect --update .*run.json .*exp.txt' \
	$'CompareAndWrite.Simple skip\nRead10.Simple pass'
t bad-line 2 'want "Suite.Test pass\|skip"' "$SAME"$'\nWrite10.Simple fail'

cat >"$W/run.json" <<'J'
{"counts": {"pass": 1, "fail": 1, "skip": 1},
 "results": {"Read10.Simple": "fail", "iSCSITMF.AbortTask": "pass",
             "CompareAndWrite.Simple": "skip"}}
J
t pass-to-fail 1 'Read10.Simple: expected pass, got fail' "$SAME"
t regressions-listed 1 '^regressions:' "$SAME"

# --update: refuses a failing run, writes a sorted list from a good one.
cp "$W/run.json" "$W/bad.json"
printf '%s\n' "$SAME" >"$W/exp.txt"
if ! "$CE" --update "$W/bad.json" "$W/exp.txt" >"$W/out" 2>&1 &&
   grep -q 'failing test' "$W/out" && [ "$(cat "$W/exp.txt")" = "$SAME" ]; then
	echo "PASS cu-expect/update-refuses-fail"; npass=$((npass + 1))
else
	echo "FAIL cu-expect/update-refuses-fail"; nfail=$((nfail + 1))
fi
sed 's/"Read10.Simple": "fail"/"Read10.Simple": "pass"/' \
	"$W/bad.json" >"$W/run.json"
: >"$W/exp.txt"
if "$CE" --update "$W/run.json" "$W/exp.txt" >"$W/out" 2>&1 &&
   [ "$(cat "$W/exp.txt")" = "$SAME" ] &&
   "$CE" "$W/run.json" "$W/exp.txt" >/dev/null; then
	echo "PASS cu-expect/update"; npass=$((npass + 1))
else
	echo "FAIL cu-expect/update"; nfail=$((nfail + 1))
	sed 's/^/    | /' "$W/out" "$W/exp.txt" | head -8
fi

# The checked-in lists are well formed and sorted (C order).
for f in "$TOP"/tests/vm/expected/*.txt; do
	[ -e "$f" ] || continue
	n=$(basename "$f" .txt)
	if grep -vqE '^[A-Za-z0-9_.-]+ (pass|skip)$' "$f"; then
		echo "FAIL cu-expect/list-$n: malformed line"; nfail=$((nfail + 1))
	elif ! LC_ALL=C sort -c "$f" 2>/dev/null; then
		echo "FAIL cu-expect/list-$n: not sorted"; nfail=$((nfail + 1))
	else
		echo "PASS cu-expect/list-$n"; npass=$((npass + 1))
	fi
done

echo "cu-expect: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
