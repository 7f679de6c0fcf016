#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# MC/S and error recovery (ErrorRecoveryLevel 1 and 2) over iSER, with our
# own scripted initiator on rdma_cm and verbs (tests/vm/iser_wire.py, over
# python3-pyverbs; open-iscsi's ib_iser is ERL 0 with one connection),
# against ktgt and against LIO's isert in the same guest, over Soft-RoCE
# (rdma_rxe on a dummy netdev, tests/vm/iser-lib.sh).
#   iscsi-mcs --iser (the MC/S scenarios of tcp-mcs, unchanged, every
#   connection an iSER one; the session offers MaxConnections=2 and
#   ErrorRecoveryLevel=0): join, order, too-many, no-session, logout-own,
#   logout-other, erl0-failure (a connection disconnected: the session
#   ends), async-drop (the target disabled: Async events 1 and 3)
#   tests/vm/iscsi-iser (iscsi-erl2's scenarios where they carry over to
#   iSER; a transfer is broken for real by advertising a buffer that is
#   then deregistered, and a TASK REASSIGN carries new STags, the data
#   going again from its first byte): erl2-negotiate, reassign-write,
#   reassign-read, reassign-status, reinstate-cid, still-allegiant,
#   reassign-unknown, logout-unknown-cid, reassign-erl1,
#   time2retain-expiry, session-continue, status-snack, data-snack (a
#   Data SNACK over iSER: SNACK Reject), soak-iser (random READs and
#   WRITEs checked against a model, every 15th broken and reassigned on
#   a new connection; KTGT_ISER_SOAK_IOS, KTGT_ISER_SOAK_SEED; its
#   figures go to iser-recovery.txt)
# Each side has two targets: one at ErrorRecoveryLevel=2, MaxConnections=4,
# DefaultTime2Wait=1, DefaultTime2Retain=6 for the ERL scenarios (LIO's
# session ERL comes from the ACL's default_erl), one at ERL 0,
# MaxConnections=2 and default timers for MC/S, as in tcp-mcs.
# The table "scenario ktgt LIO" goes to $KTGT_RESULTS/iser-recovery.txt;
# a ktgt failure fails the test, LIO's column is information
# (docs/conformance.md, "Recovery over iSER"). On the debug-kernel lane
# ktgt runs alone, under KASAN, lockdep and kmemleak.
# ktgt-lanes: debian debug
set -u
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"

IQN=iqn.2026-12.org.example:iser-rec
MCS_IQN=iqn.2026-12.org.example:iser-mcs
LIO_IQN=iqn.2026-12.org.example:iser-rec-lio
LIO_MCS_IQN=iqn.2026-12.org.example:iser-mcs-lio
INI=iqn.2026-12.org.example:iser-rec-client
CLI=$KTGT_REPO/tools/ktgtcli
MCS=$KTGT_REPO/tests/vm/iscsi-mcs
REC=$KTGT_REPO/tests/vm/iscsi-iser
T2W=1
T2R=6
# shellcheck source=SCRIPTDIR/../iser-lib.sh
. "$(dirname "$0")/../iser-lib.sh"
LIO_PORT=3261
MCS_PORT=3262
LIO_MCS_PORT=3263
MCS_SCENARIOS=(join order too-many no-session logout-own logout-other
	erl0-failure async-drop)
REC_SCENARIOS=(erl2-negotiate reassign-write reassign-read reassign-status
	reinstate-cid still-allegiant reassign-unknown logout-unknown-cid
	reassign-erl1 time2retain-expiry session-continue status-snack
	data-snack soak-iser)
SCENARIOS=("${REC_SCENARIOS[@]}" "${MCS_SCENARIOS[@]}")
KTGT_SCENARIOS=("${SCENARIOS[@]}")
KTGT_ONLY=()
LIO_SKIP=()
[ "${KTGT_ISER_REC_LIO_ALL:-0}" = 1 ] && LIO_SKIP=()
# Debian's python3 has pyverbs (python3-pyverbs); a pyenv one may not.
PY=/usr/bin/python3

iser_env
$PY -c 'import pyverbs.cmid' 2>/dev/null ||
	fail "python3-pyverbs is not installed (tests/deps installs it)"
modprobe -a rdma_ucm ib_uverbs || fail "rdma_ucm/ib_uverbs (userspace verbs)"

# target IQN PORT DISK KEY=VALUE...: a ktgt target with an iSER portal on
# $ADDR:PORT, a 64 MiB ram LUN DISK, the client's ACL and the TPG params.
target() {
	local iqn=$1 port=$2 disk=$3 p
	shift 3
	$CLI -q backstore create ram "$disk" 64M || fail "backstore $disk"
	$CLI -q target create "$iqn" || fail "target $iqn"
	$CLI -q portal add "$iqn" "$ADDR:$port" --iser || fail "portal $port"
	$CLI -q lun add "$iqn" "ram/$disk" || fail "lun $disk"
	$CLI -q acl add "$iqn" $INI || fail "acl $iqn"
	for p; do
		$CLI -q tpg set "$iqn" "param.$p" || fail "$iqn: $p"
	done
	$CLI -q target enable "$iqn" || fail "enable $iqn"
}
target $IQN 3260 disk0 ErrorRecoveryLevel=2 MaxConnections=4 \
	DefaultTime2Wait=$T2W DefaultTime2Retain=$T2R ImmediateData=Yes \
	InitialR2T=Yes
target $MCS_IQN $MCS_PORT disk1 MaxConnections=2 ErrorRecoveryLevel=0 \
	ImmediateData=Yes InitialR2T=Yes

# lio_isert IQN PORT: LIO_IQN's iSCSI portal on PORT made an iSER one.
lio_isert() {
	echo 1 >"$LIO_CONFIGFS/iscsi/$1/tpgt_1/np/$ADDR:$2/iser" ||
		fail "LIO: no iSER portal on $ADDR:$2"
}
# The ERL target: the session's ErrorRecoveryLevel is the node ACL's
# default_erl (it overrides the TPG's at login), so the initiator gets an
# explicit ACL with LUN 0 (as tcp-erl2.sh does).
lio_setup() {
	local tpg acl
	modprobe ib_isert || fail "ib_isert"
	lio_setup_fileio $LIO_IQN 64 "$ADDR:$LIO_PORT" lio0
	lio_isert $LIO_IQN $LIO_PORT
	tpg=$LIO_CONFIGFS/iscsi/$LIO_IQN/tpgt_1
	acl=$tpg/acls/$INI
	echo 2 >"$tpg/param/ErrorRecoveryLevel" || fail "LIO ERL 2"
	echo 4 >"$tpg/param/MaxConnections" || fail "LIO MaxConnections=4"
	echo $T2W >"$tpg/param/DefaultTime2Wait" || fail "LIO Time2Wait"
	echo $T2R >"$tpg/param/DefaultTime2Retain" || fail "LIO Time2Retain"
	mkdir -p "$acl/lun_0" || fail "LIO ACL $INI"
	ln -s "$tpg/lun/lun_0" "$acl/lun_0/lun0" || fail "LIO ACL LUN"
	echo 2 >"$acl/attrib/default_erl" || fail "LIO default_erl=2"
	lio_setup_fileio $LIO_MCS_IQN 64 "$ADDR:$LIO_MCS_PORT" lio1
	lio_isert $LIO_MCS_IQN $LIO_MCS_PORT
	tpg=$LIO_CONFIGFS/iscsi/$LIO_MCS_IQN/tpgt_1
	echo 2 >"$tpg/param/MaxConnections" || fail "LIO MaxConnections=2"
	echo 0 >"$tpg/param/ErrorRecoveryLevel" || fail "LIO ERL 0"
}
LIO_RUN=1
[ "${KTGT_KERNEL:-debian}" = debug ] && LIO_RUN=0
[ $LIO_RUN = 1 ] && lio_setup

# run LOG CLIENT PORT TARGET OPTS SCENARIO...: the client's output in
# $KTGT_RESULTS/iser-rec-LOG.log; OPTS names an array of its options.
run() {
	local log=$KTGT_RESULTS/iser-rec-$1.log
	local -n opts=$5
	info "$(basename "$2") against $1 ($ADDR:$3)"
	timeout 400 $PY "$2" "${opts[@]}" "$ADDR" "$3" $INI "$4" "${@:6}" \
		>"$log" 2>&1
	cat "$log"
}
# shellcheck disable=SC2034 # used through run's nameref
REC_OPTS=(--target-time2wait "$T2W" --target-time2retain "$T2R"
	--soak-ios "${KTGT_ISER_SOAK_IOS:-90}")
[ -n "${KTGT_ISER_SOAK_SEED:-}" ] &&
	REC_OPTS+=(--soak-seed "$KTGT_ISER_SOAK_SEED")
# Against LIO a shorter wait for what does not come (it answers at once
# or never: see the table).
# shellcheck disable=SC2034
LIO_REC_OPTS=("${REC_OPTS[@]}" --timeout 5)
# shellcheck disable=SC2034
MCS_OPTS=(--iser --disable-cmd "$CLI -q target disable $MCS_IQN")
# The two sides run at once (the clients mostly wait; the guest has two
# vCPUs): ktgt's in the background, LIO's here. Their logs are printed
# after both.
ktgt_side() {
	run ktgt "$REC" 3260 $IQN REC_OPTS "${REC_SCENARIOS[@]}"
	run ktgt-mcs "$MCS" $MCS_PORT $MCS_IQN MCS_OPTS "${MCS_SCENARIOS[@]}"
}
# A session Logout of an MC/S session over isert oopses LIO 6.1
# (iscsit_stop_session from iscsit_logout_post_handler touches a freed
# connection): LIO's MC/S sessions end by closing their connections;
# each verdict is in before the end.
# shellcheck disable=SC2034
LIO_MCS_OPTS=(--iser --close-at-end --disable-cmd
	"echo 0 >$LIO_CONFIGFS/iscsi/$LIO_MCS_IQN/tpgt_1/enable")
lio_side() {
	lio_scenarios "${REC_SCENARIOS[@]}"
	REC_LIO=("${LIO_SCENARIOS[@]}")
	lio_scenarios "${MCS_SCENARIOS[@]}"
	[ ${#REC_LIO[@]} -gt 0 ] &&
		run lio "$REC" $LIO_PORT $LIO_IQN LIO_REC_OPTS "${REC_LIO[@]}"
	run lio-mcs "$MCS" $LIO_MCS_PORT $LIO_MCS_IQN LIO_MCS_OPTS \
		"${LIO_SCENARIOS[@]}"
}
: >"$KTGT_RESULTS/iser-rec-lio.log"
: >"$KTGT_RESULTS/iser-rec-lio-mcs.log"
ktgt_side >/dev/null &
KTGT_PID=$!
[ $LIO_RUN = 1 ] && lio_side >/dev/null
wait $KTGT_PID
for f in ktgt ktgt-mcs lio lio-mcs; do
	info "$f"
	cat "$KTGT_RESULTS/iser-rec-$f.log"
done
cat "$KTGT_RESULTS/iser-rec-ktgt-mcs.log" >>"$KTGT_RESULTS/iser-rec-ktgt.log"
cat "$KTGT_RESULTS/iser-rec-lio-mcs.log" >>"$KTGT_RESULTS/iser-rec-lio.log"
if [ $LIO_RUN = 1 ]; then
	lio_teardown
	modprobe -r ib_isert 2>/dev/null || info "ib_isert did not unload"
fi

# VERDICT and LINES (lib.sh).
scenario_verdicts iser-rec "${SCENARIOS[@]}"
{
	scenario_rows 20 "${SCENARIOS[@]}"
	echo
	echo "soak figures (soak-iser)"
	while IFS= read -r line; do
		case $line in
		soak-iser.seed=* | soak-iser.ios=* | soak-iser.reads=* | \
			soak-iser.writes=* | soak-iser.broken=* | \
			soak-iser.*corrupt_blocks=* | soak-iser.io_seconds=*)
			echo "  ktgt: $line" ;;
		esac
	done <"$KTGT_RESULTS/iser-rec-ktgt.log"
	echo
	printf '%s\n' "${LINES[@]}"
} >"$KTGT_RESULTS/iser-recovery.txt"
info "recovery over iSER ($KTGT_RESULTS/iser-recovery.txt)"
cat "$KTGT_RESULTS/iser-recovery.txt"

$CLI -q target delete $IQN || fail "target delete"
$CLI -q target delete $MCS_IQN || fail "target delete $MCS_IQN"
$CLI -q backstore delete ram/disk0 || fail "backstore delete"
$CLI -q backstore delete ram/disk1 || fail "backstore delete disk1"
ktgt_unload_modules
rdma link delete "${LINK}0" || fail "rdma link delete"

ktgt_must_pass "iSER recovery" "${KTGT_SCENARIOS[@]}"
echo PASS
