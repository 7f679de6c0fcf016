#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Teardown and reset under load (issue 8), over TCP:
#  1. a slow backstore (dm-delay, writes delayed, over a brd RAM disk): a
#     raw client sends a WRITE and, while it sits in the delay, a LUN
#     RESET, a TARGET WARM RESET or an ABORT TASK; the medium below the
#     delay is read right after the TMF response and every 10 ms for 2 s
#     and must not change (the write is either on it at the response or
#     never lands). A control TMF that aborts nothing shows the watch does
#     see a write land late. Skipped where the kernel has no dm-delay.
#  2. fio with verify (crc32c, verify_fatal) while sg_reset sends LUN and
#     target resets, then while the TCP connection is killed (ss -K where
#     the kernel can, and a TARGET COLD RESET from another session) and
#     open-iscsi logs in again: no verify error, the session recovers;
#  4. rmmod of ktgt_tcp and ktgt_core while I/O runs fails (the module
#     is in use) without hanging, and the I/O goes on;
#  3. a LUN, then its target, deleted under I/O: each deletion ends in
#     bounded time, configfs still answers, a new login to another target
#     works;
#  5. after the teardown rmmod succeeds; no kernel complaint in dmesg (the
#     harness then scans kmemleak on the debug kernel).
# Figures: $KTGT_RESULTS/reset-load.txt.
# ktgt-lanes: debian debug
. "$(dirname "$0")/../lib.sh"

CLI=$KTGT_REPO/tools/ktgtcli
RAW=$KTGT_REPO/tests/vm/iscsi-raw-login
SLOW=iqn.2026-12.org.example:slow
IO=iqn.2026-12.org.example:io
P=127.0.0.1
DELAY_MS=400
WATCH_S=2
FIG=$KTGT_RESULTS/reset-load.txt
require_cmd iscsiadm python3 sg_reset sg_turs fio dmsetup timeout

# MiB per fio verify job (the debug kernel is about 5x slower).
if [ "$KTGT_KERNEL" = debug ]; then MIB=8; else MIB=32; fi
: >"$FIG"
fig() { echo "$*" | tee -a "$FIG"; }
count() { dmesg | grep -c -- "$1"; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

ktgt_load_modules ktgt_core ktgt_tcp
modprobe brd rd_nr=1 rd_size=$((64 * 1024)) || fail "modprobe brd"
[ -b /dev/ram0 ] || fail "no /dev/ram0"
start_iscsid
INI=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi)

# --- the slow backstore: dm-delay over /dev/ram0 -----------------------------

HAVE_DELAY=0
modprobe dm_delay 2>/dev/null
if dmsetup targets 2>/dev/null | grep -q '^delay'; then
	HAVE_DELAY=1
	sectors=$(blockdev --getsz /dev/ram0)
	echo "0 $sectors delay /dev/ram0 0 0 /dev/ram0 0 $DELAY_MS" |
		dmsetup create --noudevsync ktgt-slow || fail "dmsetup create"
	dmsetup mknodes ktgt-slow
	[ -b /dev/mapper/ktgt-slow ] || fail "no /dev/mapper/ktgt-slow"
	SLOWDEV=/dev/mapper/ktgt-slow
else
	info "no dm-delay target in this kernel: the slow-backstore part is skipped"
	fig "slow backstore: SKIPPED (no dm-delay in kernel $(uname -r))"
	SLOWDEV=/dev/ram0
fi

$CLI -q backstore create block slow $SLOWDEV || fail "backstore block"
$CLI -q backstore create ram io0 64M || fail "backstore io0"
$CLI -q backstore create ram io1 32M || fail "backstore io1"
for t in $SLOW $IO; do
	$CLI -q target create "$t" || fail "target $t"
	$CLI -q portal add "$t" $P:3260 || fail "portal $t"
done
$CLI -q lun add $SLOW block/slow || fail "lun slow"
$CLI -q lun add $IO ram/io0 --lun 0 || fail "lun io0"
$CLI -q lun add $IO ram/io1 --lun 1 || fail "lun io1"
for t in $SLOW $IO; do
	$CLI -q acl add "$t" "$INI" || fail "acl $t"
	$CLI -q target enable "$t" || fail "enable $t"
done
$CLI -q tpg set $IO attrib.tmr_cold_reset=1 || fail "tmr_cold_reset"

# --- 1. no write lands after a TMF response ----------------------------------

# tmf_case NAME ISID LBA BYTE WRITE-OPT TMF: one raw session; sets $out.
tmf_case() {
	local name=$1 isid=$2 lba=$3 byte=$4 wopt=$5 tmf=$6
	out=$($RAW --isid "$isid" --watch /dev/ram0 $WATCH_S \
		"$wopt" "$lba" "$byte" --tmf "$tmf" \
		$P 3260 "$INI" $SLOW ImmediateData=Yes InitialR2T=Yes) ||
		fail "$name: raw client: $out"
	echo "$out" >"$KTGT_RESULTS/reset-load-$name.log"
	grep -q "^status 0 0$" <<<"$out" || fail "$name: login refused: $out"
	grep -q "^ImmediateData=Yes$" <<<"$out" ||
		fail "$name: ImmediateData not negotiated: $out"
	sent=$(sed -n 's/^write sent itt=[0-9a-f]* at //p' <<<"$out")
	rsp_at=$(sed -n 's/^tmf response at //p' <<<"$out")
	rsp=$(sed -n 's/^tmf response \([0-9]*\)$/\1/p' <<<"$out")
	before=$(sed -n 's/^watch before //p' <<<"$out")
	at=$(sed -n 's/^watch at response //p' <<<"$out")
	end=$(sed -n 's/^watch end //p' <<<"$out")
	if [ -z "$sent" ] || [ -z "$rsp_at" ] || [ -z "$at" ] || [ -z "$end" ]; then
		fail "$name: incomplete output: $out"
	fi
	[ "$before" = 00 ] || fail "$name: the medium was not blank: $out"
	wsr=$(sed -n '/^tmf response at/,$p' <<<"$out" | grep '^scsi response' || true)
	landed=$(sed -n 's/^watch change \(.*\)/\1/p' <<<"$out" | head -1)
}

# after_response_checks NAME BYTE: the medium must not change after the
# TMF response, nor a response of the aborted write arrive after it.
after_response_checks() {
	[ -z "$landed" ] ||
		fail "$1: the write landed on the medium AFTER the TMF response (response at $rsp_at s, medium changed to $landed s): $out"
	[ "$at" = "$end" ] || fail "$1: the medium changed after the response: $out"
	[ "$at" = "$2" ] || [ "$at" = 00 ] ||
		fail "$1: the medium holds neither the old data nor the write's: $out"
	[ -z "$wsr" ] ||
		fail "$1: the aborted write got a response after the TMF response: $out"
	if [ "$at" = "$2" ]; then state="on the medium at the response"
	else state="never landed"; fi
	fig "$(printf '%-20s tmf response %s, %s s after the write was sent; write %s; medium unchanged for %s s' \
		"$1" "$rsp" "$(python3 -c "print('%.3f' % ($rsp_at - $sent))")" \
		"$state" "$WATCH_S")"
}

if [ $HAVE_DELAY = 1 ]; then
	info "control: a TMF that aborts nothing; the delayed write lands after its response"
	tmf_case control 800000000150 1024 e5 --write abort-other
	echo "$out"
	[ "$rsp" = 1 ] || fail "control: want response 1 (no such task): $out"
	[ "$at" = 00 ] ||
		fail "control: the write was already on the medium at the response, the watch proves nothing: $out"
	if [[ $landed != "e5 at "* ]] || [ "$end" != e5 ]; then
		fail "control: the watch did not see the delayed write land: $out"
	fi
	fig "control (abort-other) tmf response 1 at $rsp_at s, write sent at $sent s, write landed at ${landed#e5 at } s (after the response: the watch sees late writes)"

	for c in "lun-reset 800000000151 2048 a1 --write lun-reset 0" \
		"warm-reset 800000000152 3072 b2 --write warm-reset 0" \
		"abort-task 800000000153 4096 c3 --write abort-task 0" \
		"abort-task-r2t 800000000154 5120 d4 --write-r2t abort-task 0"; do
		read -r name isid lba byte wopt tmf want <<<"$c"
		info "$name while a WRITE sits in the ${DELAY_MS} ms delay"
		tmf_case "$name" "$isid" "$lba" "$byte" "$wopt" "$tmf"
		echo "$out"
		[ "$rsp" = "$want" ] ||
			fail "$name: want TMF response $want: $out"
		after_response_checks "$name" "$byte"
	done
	[ "$(sed -n 's/^abort-task-r2t .*write \(never landed\).*/\1/p' "$FIG")" ] ||
		fail "abort-task-r2t: a write whose data was never sent reached the medium"
	dmesg | grep -q "LOGICAL UNIT RESET of LUN 0 from $INI" ||
		fail "the LUN reset was not logged"
fi

# --- 2. fio --verify under resets and connection kills ---------------------

# lun_disk IQN LUN: /dev/sdX of LUN of the session to IQN.
_lun_disk() {
	local s d
	for s in /sys/class/iscsi_session/session*; do
		[ "$(cat "$s/targetname" 2>/dev/null)" = "$1" ] || continue
		for d in "$s"/device/target*/*:"$2"/"$3"/*; do
			[ -e "/dev/${d##*/}" ] && echo "/dev/${d##*/}" && return 0
		done
	done
	return 1
}
lun_disk() {
	wait_for 20 _lun_disk "$1" "$2" "${3:-block}" >/dev/null || return 1
	_lun_disk "$1" "$2" "${3:-block}"
}
io_session() {
	local s
	for s in /sys/class/iscsi_session/session*; do
		[ "$(cat "$s/targetname" 2>/dev/null)" = "$IO" ] && echo "$s" && return 0
	done
	return 1
}

iscsiadm -m discovery -t st -p $P >/dev/null || fail "discovery"
iscsiadm -m node -T $IO -p $P:3260 -o update \
	-n node.session.timeo.replacement_timeout -v 120 >/dev/null ||
	fail "replacement_timeout"
iscsiadm -m node -T $IO -p $P:3260 --login >/dev/null || fail "login $IO"
DEV0=$(lun_disk $IO 0) || fail "no disk for LUN 0"
DEV1=$(lun_disk $IO 1) || fail "no disk for LUN 1"
SG0=$(lun_disk $IO 0 scsi_generic) || fail "no sg for LUN 0"
info "LUN 0: $DEV0 ($SG0), LUN 1: $DEV1"

# fio_start NAME FIO-ARGS...: fio in the background, JSON to the results.
fio_start() {
	local name=$1
	shift
	fio --name="$name" --direct=1 --ioengine=libaio --bs=4k \
		--output-format=json --output="$KTGT_RESULTS/fio-$name.json" \
		"$@" >"$KTGT_RESULTS/fio-$name.err" 2>&1 &
	FIO_PID=$!
}
fio_verify_args() {	# OFFSET_MIB
	echo --filename="$DEV0" --rw=randwrite --iodepth=8 --offset=$(($1))M --size=${MIB}M \
		--verify=crc32c --verify_fatal=1 --do_verify=1 \
		--verify_backlog=256 --rate_iops=1000
}
# fio_check NAME: the job ended without an error; prints the MiB moved.
fio_check() {
	python3 - "$KTGT_RESULTS/fio-$1.json" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()        # after SIGINT fio says so first
j = json.loads(text[text.index("\n{") + 1 if text[0] != "{" else 0:])
j = j["jobs"][0]
if j["error"]:
    sys.exit("fio error %d" % j["error"])
if not j["write"]["io_bytes"]:
    sys.exit("fio wrote nothing")
print("%.1f MiB written, %.1f MiB read" %
      (j["write"]["io_bytes"] / 2**20, j["read"]["io_bytes"] / 2**20))
EOF
}
fio_alive() { kill -0 "$FIO_PID" 2>/dev/null; }

info "fio --verify=crc32c on $DEV0 while LUN and target resets are sent"
lu=$(count "LOGICAL UNIT RESET of LUN 0 from $INI")
warm=$(count "TARGET WARM RESET from $INI")
logins=$(count "normal session $INI")
# shellcheck disable=SC2046
fio_start verify-resets $(fio_verify_args 0)
sleep 2
for i in 1 2 3; do
	fio_alive || fail "fio ended before reset round $i: $(cat "$KTGT_RESULTS/fio-verify-resets.err")"
	timeout 120 sg_reset --device "$SG0" || fail "sg_reset --device failed"
	sleep 0.5
	timeout 120 sg_reset --target "$SG0" || fail "sg_reset --target failed"
	sleep 0.5
done
wait $FIO_PID || fail "fio under resets failed: $(cat "$KTGT_RESULTS/fio-verify-resets.err")"
mib=$(fio_check verify-resets) || fail "fio under resets: $mib"
nlu=$(( $(count "LOGICAL UNIT RESET of LUN 0 from $INI") - lu ))
nwarm=$(( $(count "TARGET WARM RESET from $INI") - warm ))
[ $nlu -ge 3 ] || fail "want 3 LUN resets at the target, saw $nlu"
[ $nwarm -ge 3 ] || fail "want 3 target warm resets at the target, saw $nwarm"
[ "$(count "normal session $INI")" -eq "$logins" ] ||
	fail "open-iscsi had to log in again after a reset"
fig "fio verify under resets: $mib (verified); $nlu LUN resets, $nwarm target warm resets, no relogin"

info "fio --verify=crc32c on $DEV0 while the connection is killed"
relogged() { [ "$(count "normal session $INI")" -ge "$1" ]; }
kills=
# shellcheck disable=SC2046
fio_start verify-kills $(fio_verify_args 32)
sleep 2
if modprobe -q tcp_diag 2>/dev/null && modprobe -q inet_diag 2>/dev/null; then
	n=$(count "normal session $INI")
	fio_alive || fail "fio ended before the kill"
	t0=$(date +%s%N)
	ss -K dst $P dport = :3260 >/dev/null || fail "ss -K failed"
	wait_for 120 relogged $((n + 1)) ||
		fail "open-iscsi did not log in again after ss -K"
	kills="ss -K: relogin after $(ms_since "$t0") ms"
else
	info "no sock_destroy (inet_diag) in this kernel: ss -K left out"
	kills="ss -K: not available"
fi
n=$(count "normal session $INI")
fio_alive || fail "fio ended before the cold reset"
t0=$(date +%s%N)
out=$($RAW --isid 800000000160 --tmf cold-reset $P 3260 "$INI" $IO) ||
	fail "raw cold reset: $out"
grep -q "^tmf response 0$" <<<"$out" || fail "cold reset refused: $out"
wait_for 120 relogged $((n + 2)) ||
	fail "open-iscsi did not log in again after the cold reset"
kills="$kills; cold reset: relogin after $(ms_since "$t0") ms"
wait $FIO_PID || fail "fio under connection kills failed: $(cat "$KTGT_RESULTS/fio-verify-kills.err")"
mib=$(fio_check verify-kills) || fail "fio under connection kills: $mib"
wait_for 60 sg_turs "$SG0" || fail "the disk did not come back"
fig "fio verify under connection kills: $mib (verified); $kills"

# --- 4. rmmod while busy ----------------------------------------------------

# delete_module NAME: the syscall itself (O_NONBLOCK), prints the errno name.
delete_module() {
	timeout 30 python3 - "$1" <<'EOF'
import ctypes, errno, sys
libc = ctypes.CDLL(None, use_errno=True)
rc = libc.syscall(176, sys.argv[1].encode(), 0o4000)   # delete_module
print("ok" if rc == 0 else errno.errorcode[ctypes.get_errno()])
EOF
}

info "rmmod while a session does I/O"
fio_start rmmod-busy --filename="$DEV0" --rw=randrw --iodepth=4 --size=${MIB}M --time_based \
	--runtime=600
sleep 2
for m in ktgt_tcp ktgt_core; do
	fio_alive || fail "fio ended before rmmod $m"
	t0=$(date +%s%N)
	rc=0
	msg=$(timeout 30 rmmod $m 2>&1) || rc=$?
	[ $rc != 124 ] || fail "rmmod $m hung"
	[ $rc != 0 ] || fail "rmmod $m succeeded under I/O"
	ktgt_module_loaded $m || fail "$m is gone"
	e=$(delete_module $m) || fail "delete_module $m: $e"
	[ "$e" = EAGAIN ] || [ "$e" = EBUSY ] ||
		fail "delete_module($m): want EBUSY or EAGAIN, got $e"
	fig "rmmod $m under I/O: refused in $(ms_since "$t0") ms (rmmod: ${msg#rmmod: }; delete_module: $e)"
done
fio_alive || fail "fio ended during the rmmod attempts: $(cat "$KTGT_RESULTS/fio-rmmod-busy.err")"
# SIGINT ends the job cleanly (its exit status then says nothing: the
# job's own error in the JSON does).
kill -INT "$FIO_PID"
wait $FIO_PID
mib=$(fio_check rmmod-busy) || fail "fio during rmmod: $mib"
fig "fio during the rmmod attempts: $mib"

# --- 3. LUN and target deleted under I/O ------------------------------------

noerr=(--rw=randwrite --iodepth=8 --time_based --runtime=600)
info "LUN 1 deleted while fio writes to it"
fio_start del-lun --filename="$DEV1" "${noerr[@]}"
pid_lun=$FIO_PID
fio_start del-target --filename="$DEV0" "${noerr[@]}"
pid_tgt=$FIO_PID
# Every command in flight on the deleted LUN must still get a status
# (LOGICAL UNIT NOT SUPPORTED, or its own): one left unanswered would be
# seen only after the SCSI timeout, set long here so that the wait below
# tells the two apart.
dev1=$(readlink -f "$DEV1")
echo 90 >"/sys/block/${dev1##*/}/device/timeout" || fail "cannot set the SCSI timeout of $dev1"
sleep 3
kill -0 $pid_lun 2>/dev/null || fail "fio on LUN 1 ended too early"
t0=$(date +%s%N)
timeout 60 "$CLI" -q lun delete $IO 1 || fail "lun delete under I/O failed or took over 60 s"
fig "LUN deleted under I/O in $(ms_since "$t0") ms"
timeout 10 "$CLI" ls >/dev/null || fail "ktgtcli ls does not answer after the LUN deletion"
[ ! -e "$KTGT_CONFIGFS/targets/$IO/tpgt_1/luns/lun_1" ] || fail "lun_1 still there"
gone() { ! kill -0 "$1" 2>/dev/null; }
wait_for 60 gone $pid_lun ||
	fail "fio on the deleted LUN does not end: a command was left without status"
fig "fio on the deleted LUN ended $(ms_since "$t0") ms after the deletion began"
kill -0 $pid_tgt 2>/dev/null || fail "fio on LUN 0 ended with LUN 1's deletion"

info "the target deleted while fio writes to LUN 0"
s=$(io_session) || fail "no session to $IO"
echo 5 >"$s/recovery_tmo" || fail "cannot shorten recovery_tmo"
t0=$(date +%s%N)
timeout 60 "$CLI" -q target delete $IO || fail "target delete under I/O failed or took over 60 s"
fig "target deleted under I/O in $(ms_since "$t0") ms"
out=$(timeout 10 "$CLI" ls) || fail "ktgtcli ls does not answer after the target deletion"
grep -q "$IO" <<<"$out" && fail "$IO is still listed: $out"
wait_for 90 gone $pid_tgt || fail "fio on the deleted target does not end"
wait $pid_lun $pid_tgt
timeout 60 iscsiadm -m node -T $IO --logout >/dev/null 2>&1
iscsi_wait_no_session 60 $IO || fail "the session to the deleted target stays"
iscsiadm -m node -T $IO -o delete >/dev/null 2>&1

info "a fresh login to $SLOW still works"
iscsiadm -m node -T $SLOW -p $P:3260 --login >/dev/null || fail "login to $SLOW"
DEV=$(lun_disk $SLOW 0) || fail "no disk on $SLOW"
dd if="$DEV" of=/tmp/blk bs=4096 skip=$((2048 / 8)) count=1 iflag=direct \
	status=none || fail "read from $DEV failed"
dd if=/dev/ram0 of=/tmp/ram bs=4096 skip=$((2048 / 8)) count=1 iflag=direct \
	status=none || fail "read from /dev/ram0 failed"
cmp /tmp/blk /tmp/ram || fail "$SLOW reads other data than its medium holds"
iscsi_logout $SLOW || fail "logout $SLOW"
iscsi_wait_no_session 30 || fail "sessions left"
fig "fresh login to $SLOW after the deletions: read OK"

# --- 5. teardown, rmmod, kernel complaints -----------------------------------

stop_iscsid
$CLI -q target delete $SLOW || fail "target delete $SLOW"
for b in block/slow ram/io0 ram/io1; do
	$CLI -q backstore delete $b || fail "backstore delete $b"
done
[ $HAVE_DELAY = 0 ] || dmsetup remove --noudevsync ktgt-slow || fail "dmsetup remove"
rmmod brd || fail "rmmod brd"
t0=$(date +%s%N)
timeout 60 rmmod ktgt_tcp || fail "rmmod ktgt_tcp after the teardown"
timeout 60 rmmod ktgt_core || fail "rmmod ktgt_core after the teardown"
fig "rmmod after the teardown: $(ms_since "$t0") ms"

# The same scanner as the harness's; kmemleak (debug kernel) is scanned by
# the harness after the script (tests/vm/README.md): a leak fails the run.
dmesg >"$KTGT_RESULTS/reset-load-dmesg.txt"
"$KTGT_REPO/tests/vm/run" --scan "$KTGT_RESULTS/reset-load-dmesg.txt" ||
	fail "kernel complaints (see above)"
fig "no kernel complaint in dmesg${KTGT_KERNEL:+ ($KTGT_KERNEL)}"

info "summary"
cat "$FIG"
echo PASS
