#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Multiple Connections per Session (RFC 7143 MC/S) over TCP, with our own
# scripted initiator (tests/vm/iscsi-mcs: no Linux initiator does MC/S),
# against ktgt and against LIO in the same guest, both with
# MaxConnections=2 and ErrorRecoveryLevel=0 in their TPG:
#   join          a second connection joins the session (same ISID, the
#                 TSIH); commands on both; StatSN per connection
#   order         a WRITE with CmdSN ExpCmdSN+1 on B is held until the
#                 WRITE with ExpCmdSN arrives on A: CmdSN order across
#                 connections (the block reads back B's pattern)
#   too-many      a third connection: Login status 2/0x06
#   no-session    a TSIH the target never gave: Login status 2/0x0a
#   logout-own    Logout reason 1 for B sent on B: B closes, A lives
#   logout-other  Logout reason 1 for B sent on A: B closes, A lives
#   erl0-failure  B reset: at ERL 0 the session fails, A is closed
#   async-drop    the TPG disabled: Async event 1 (log out), ignored, then
#                 event 3 on A and B (Time2Wait, Time2Retain) and both
#                 closed
# The table "scenario ktgt LIO" goes to $KTGT_RESULTS/mcs.txt. Any ktgt
# failure fails the test; LIO's column is information (docs/conformance.md,
# "MC/S scenarios", explains each LIO failure).
# ktgt-lanes: debian
set -u
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"

IQN=iqn.2026-11.org.example:mcs
LIO_IQN=iqn.2026-11.org.example:mcs-lio
INI=iqn.2026-11.org.example:mcs-client
CLI=$KTGT_REPO/tools/ktgtcli
MCS=$KTGT_REPO/tests/vm/iscsi-mcs
P=127.0.0.1
SCENARIOS=(join order too-many no-session logout-own logout-other erl0-failure
	async-drop)
require_cmd python3

ktgt_load_modules ktgt_core ktgt_tcp
$CLI -q backstore create ram disk0 64M || fail "backstore"
$CLI -q target create $IQN || fail "target"
$CLI -q portal add $IQN $P:3260 || fail "portal"
$CLI -q lun add $IQN ram/disk0 || fail "lun"
$CLI -q acl add $IQN $INI || fail "acl"
$CLI -q tpg set $IQN param.MaxConnections=2 param.ErrorRecoveryLevel=0 \
	param.ImmediateData=Yes param.InitialR2T=Yes || fail "tpg set"
$CLI -q target enable $IQN || fail "enable"
KPARAM=$KTGT_CONFIGFS/targets/$IQN/tpgt_1/param
[ "$(cat "$KPARAM/MaxConnections")" = 2 ] ||
	fail "ktgt: $KPARAM/MaxConnections is not 2"

lio_setup_fileio $LIO_IQN 64 $P:3261
LPARAM=$LIO_CONFIGFS/iscsi/$LIO_IQN/tpgt_1/param
echo 2 >"$LPARAM/MaxConnections" || fail "LIO MaxConnections=2"
echo 0 >"$LPARAM/ErrorRecoveryLevel" || fail "LIO ErrorRecoveryLevel=0"
[ "$(cat "$LPARAM/MaxConnections")" = 2 ] ||
	fail "LIO: $LPARAM/MaxConnections is not 2"

# run NAME PORT TARGET: every scenario, output in $KTGT_RESULTS/mcs-NAME.log
# run NAME PORT TARGET DISABLE-COMMAND (async-drop disables the TPG)
run() {
	info "iscsi-mcs against $1 ($P:$2)"
	timeout 300 python3 "$MCS" --disable-cmd "$4" $P "$2" $INI "$3" \
		"${SCENARIOS[@]}" >"$KTGT_RESULTS/mcs-$1.log" 2>&1
	cat "$KTGT_RESULTS/mcs-$1.log"
}
run ktgt 3260 $IQN "$CLI -q target disable $IQN"
run lio 3261 $LIO_IQN "echo 0 >$LIO_CONFIGFS/iscsi/$LIO_IQN/tpgt_1/enable"
lio_teardown

# verdict NAME SCENARIO: PASS, FAIL or "none" (no line: the client died)
verdict() {
	sed -n "s/^$2 \(PASS\|FAIL\) .*/\1/p" "$KTGT_RESULTS/mcs-$1.log" |
		head -1 | grep . || echo none
}
{
	printf '%-14s %-6s %-6s\n' scenario ktgt LIO
	for s in "${SCENARIOS[@]}"; do
		printf '%-14s %-6s %-6s\n' "$s" "$(verdict ktgt "$s")" \
			"$(verdict lio "$s")"
	done
	echo
	for t in ktgt lio; do
		grep -E "^($(IFS='|'; echo "${SCENARIOS[*]}")) (PASS|FAIL) " \
			"$KTGT_RESULTS/mcs-$t.log" | sed "s/^/$t: /"
	done
} >"$KTGT_RESULTS/mcs.txt"
info "MC/S scenarios ($KTGT_RESULTS/mcs.txt)"
cat "$KTGT_RESULTS/mcs.txt"

$CLI -q target delete $IQN || fail "target delete"
$CLI -q backstore delete ram/disk0 || fail "backstore delete"
ktgt_unload_modules ktgt_core ktgt_tcp

bad=
for s in "${SCENARIOS[@]}"; do
	[ "$(verdict ktgt "$s")" = PASS ] || bad="$bad $s"
done
[ -z "$bad" ] || fail "ktgt MC/S scenarios not passing:$bad"
echo PASS
