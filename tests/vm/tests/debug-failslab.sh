#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Allocation failures during login and I/O (issue 8): on the debug kernel,
# failslab and fail_page_alloc fail 1 in 20 allocations made by the
# high-priority kworkers, which run ktgt_tcp's io_work (login, PDU
# handling, command and buffer allocation; kblockd shares them but no
# block device is in use here), while raw clients log in and send
# commands. Errors are fine; a crash, a kernel complaint, a leak
# (kmemleak, scanned by the harness) or a target that does not serve a
# clean login afterwards is not. Modules must unload at the end (no
# reference leaked).
# ktgt-lanes: debug
. "$(dirname "$0")/../lib.sh"

IQN=iqn.2026-11.org.example:failslab
INI=iqn.2026-11.org.example:raw
CLI=$KTGT_REPO/tools/ktgtcli
RAW=$KTGT_REPO/tests/vm/iscsi-raw-login
FI=/sys/kernel/debug
require_cmd python3
[ -d $FI/failslab ] && [ -d $FI/fail_page_alloc ] ||
	skip "no failslab/fail_page_alloc in this kernel"

ktgt_load_modules ktgt_core ktgt_tcp
$CLI -q backstore create ram disk0 16M || fail "backstore"
$CLI -q target create $IQN || fail "target"
$CLI -q portal add $IQN 127.0.0.1:3260 || fail "portal"
$CLI -q lun add $IQN ram/disk0 || fail "lun"
$CLI -q acl add $IQN $INI || fail "acl"
$CLI -q target enable $IQN || fail "enable"

raw_tur() {	# raw_tur ISID [SECONDS]: one login and TEST UNIT READY
	timeout "${2:-30}" python3 "$RAW" --isid "$1" --tur 127.0.0.1 3260 $INI $IQN 2>&1
}
out=$(raw_tur 800000000001)
grep -q "tur status 0x00" <<<"$out" || fail "baseline login: $out"
info "baseline login and TEST UNIT READY: good"

marked=()
inject() {	# inject on|off
	local d p v=0 t=0
	[ "$1" = on ] && { v=5; t=100000; }
	for d in failslab fail_page_alloc; do
		echo 1 > $FI/$d/task-filter
		echo 0 > $FI/$d/verbose
		echo 1 > $FI/$d/interval
		echo $t > $FI/$d/times
		echo $v > $FI/$d/probability
	done
	[ -e $FI/fail_page_alloc/ignore-gfp-wait ] &&
		echo N > $FI/fail_page_alloc/ignore-gfp-wait
	[ -e $FI/failslab/ignore-gfp-wait ] &&
		echo N > $FI/failslab/ignore-gfp-wait
	if [ "$1" = on ]; then
		for p in $(pgrep 'kworker/.*H'); do
			echo 1 > /proc/$p/make-it-fail 2>/dev/null && marked+=("$p")
		done
		info "fault injection on: ${#marked[@]} high-priority kworkers"
	else
		for p in "${marked[@]}"; do
			echo 0 > /proc/$p/make-it-fail 2>/dev/null
		done
		info "fault injection off"
	fi
}

inject on
ok=0 bad=0
for i in $(seq 1 30); do
	# A connection the target could not accept waits for our time-out.
	out=$(raw_tur "8000000001$(printf %02x "$i")" 8)
	if grep -q "tur status 0x00" <<<"$out"; then
		ok=$((ok + 1))
	else
		bad=$((bad + 1))
	fi
done
slab=$((100000 - $(cat $FI/failslab/times)))
page=$((100000 - $(cat $FI/fail_page_alloc/times)))
inject off
info "under injection: $ok logins with a good TEST UNIT READY, $bad failed; $slab slab and $page page allocations failed"
# Both outcomes must occur, or the run proved nothing.
[ "$bad" -gt 0 ] || fail "no login failed: the injection reached nothing"
[ "$ok" -gt 0 ] || fail "no login succeeded under 1-in-20 failures"

# Sessions left by failed logins end with their connections.
sleep 2
out=$(raw_tur 800000000002)
grep -q "tur status 0x00" <<<"$out" || fail "login after the injection: $out"
info "after the injection: a clean login and TEST UNIT READY work"

$CLI -q target delete $IQN || fail "target delete"
$CLI -q backstore delete ram/disk0 || fail "backstore delete"
ktgt_unload_modules || fail "modules did not unload"
info "modules unloaded"
