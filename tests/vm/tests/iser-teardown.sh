#!/bin/bash
# ktgt-lanes: debian debug
# SPDX-License-Identifier: GPL-2.0
#
# iSER teardown under load, over Soft-RoCE (rdma_rxe on a dummy netdev; or siw).
# With fio running (mixed reads and writes, 4 KiB to 256 KiB, queue depth
# 32 per job):
#  1. the RDMA device is removed (rdma link delete): every posted work
#     request is flushed, connections and the listener go away, and the
#     removal must finish (it waits for our release); then the device and
#     the portal come back and the initiator's session recovers;
#  2. the initiator logs out in the middle of the I/O;
# after each, a reference region written before must read back intact,
# and at the end the modules must unload (no connection left behind).
set -u
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

IQN=iqn.2026-11.org.example:iser-td
. "$(dirname "$0")/../iser-lib.sh"

iser_cleanup() {
	iscsiadm -m node -T "$IQN" --logout >/dev/null 2>&1
	stop_iscsid
	ktgtcli -q target delete "$IQN" 2>/dev/null
	ktgtcli -q backstore delete ram/disk0 2>/dev/null
	rdma link delete "${LINK}0" 2>/dev/null
	ktgt_unload_modules
}

T=/tmp/iser-td
REF_OFF=$((96 << 20))

# fio_start SECONDS: random reads and writes on [0, 64 MiB) in background.
fio_start() {
	fio --name=load --filename="$DEV" --direct=1 --ioengine=libaio \
		--rw=randrw --bsrange=4k-256k --iodepth=32 --numjobs=2 \
		--size=64M --time_based --runtime="$1" \
		--continue_on_error=all --output=$T/fio.log >/dev/null 2>&1 &
	FIO=$!
}

fio_stop() {
	kill "$FIO" 2>/dev/null
	wait "$FIO" 2>/dev/null
	true
}

ref_check() {
	dd if="$DEV" of=$T/ref.back bs=1M skip=$((REF_OFF >> 20)) count=16 \
		iflag=direct status=none || fail "$1: reading the reference region"
	cmp -s $T/ref $T/ref.back || fail "$1: the reference region differs"
	info "$1: reference region intact"
}

session_up() {
	iscsiadm -m session -P 3 2>/dev/null |
		grep -q "iSCSI Session State: LOGGED_IN"
}

link_add() {
	rdma link add "${LINK}0" type "$LINK" netdev dummy0 ||
		fail "rdma link add ${LINK}0"
}

iser_env fio
iser_target
start_iscsid
iser_login
mkdir -p $T
dd if=/dev/urandom of=$T/ref bs=1M count=16 status=none || fail "urandom"
dd if=$T/ref of="$DEV" bs=1M seek=$((REF_OFF >> 20)) oflag=direct \
	status=none || fail "writing the reference region"

# --- 1. device removal under load ------------------------------------------
fio_start 60
sleep 8
kill -0 "$FIO" 2>/dev/null || fail "fio ended early: $(tail -5 $T/fio.log)"
t0=$(date +%s.%N)
timeout 120 rdma link delete "${LINK}0" ||
	fail "rdma link delete ${LINK}0 hung or failed"
t1=$(date +%s.%N)
info "device removed under load in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s"
wait_for 30 sh -c "dmesg | grep -q 'ktgt: session .* ended'" ||
	fail "the target session did not end after device removal"
link_add
# The listener went with the device (as in LIO): re-create the portal.
ktgtcli -q portal delete "$IQN" "$PORTAL" || fail "portal delete"
ktgtcli -q portal add "$IQN" "$PORTAL" --iser || fail "portal add again"
info "device and portal back; waiting for the initiator to recover"
wait_for 90 session_up || fail "the session did not recover"
info "session recovered"
fio_stop
DEV=$(find_iscsi_disk "$IQN" 30 | tail -n 1) && [ -b "$DEV" ] ||
	fail "no disk after recovery"
ref_check "after device removal"

# --- 2. logout under load ----------------------------------------------------
fio_start 60
sleep 8
kill -0 "$FIO" 2>/dev/null || fail "fio ended early: $(tail -5 $T/fio.log)"
timeout 60 iscsiadm -m node -T "$IQN" -p "$PORTAL" --logout >/dev/null ||
	fail "logout under load failed"
fio_stop
info "logged out under load"
iscsiadm -m node -T "$IQN" -p "$PORTAL" -I iser --login >/dev/null ||
	fail "login after the logout failed"
DEV=$(find_iscsi_disk "$IQN" 30 | tail -n 1) && [ -b "$DEV" ] ||
	fail "no disk after the new login"
ref_check "after logout under load"

# --- the end: nothing may be left behind ----------------------------------------
iscsiadm -m node -T "$IQN" -p "$PORTAL" --logout >/dev/null ||
	fail "final logout"
stop_iscsid
# A connection or command left behind would pin the target: give the
# deletion a deadline and show where it waits.
ktgtcli -q target delete "$IQN" &
del=$!
if ! wait_for 30 sh -c "! kill -0 $del 2>/dev/null"; then
	echo "target delete blocked in:"
	cat /proc/$del/stack
	for p in $(pgrep -f ktgt) ; do echo "== $p"; cat /proc/$p/stack; done
	echo w >/proc/sysrq-trigger
	dmesg | grep -v 'blocked for' | tail -80
	fail "target delete blocked"
fi
wait $del || fail "target delete"
ktgtcli -q backstore delete ram/disk0 || fail "backstore delete"
rmmod ktgt_iser || fail "ktgt_iser still in use after the last connection"
rdma link delete "${LINK}0" || fail "rdma link delete at the end"
ktgt_unload_modules
echo "PASS"
exit 0
