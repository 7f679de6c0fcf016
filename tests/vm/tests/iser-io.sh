#!/bin/bash
# ktgt-lanes: debian
# SPDX-License-Identifier: GPL-2.0
#
# iSER over Soft-RoCE (rdma_rxe on a dummy netdev; or siw): a portal with
# transport=iser, login with open-iscsi's ib_iser through to full feature
# phase, then 16 MiB written, read back and compared through the disk
# (RDMA READ for writes, RDMA WRITE for reads), with large and small
# blocks, buffered I/O, under three write-data settings (immediate data,
# unsolicited Data-Out with InitialR2T=No, all solicited), and a last
# login to check the data survived the logouts.
set -u
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

IQN=iqn.2026-11.org.example:iser-io
. "$(dirname "$0")/../iser-lib.sh"

iser_cleanup() {
	iscsiadm -m node -T "$IQN" --logout >/dev/null 2>&1
	stop_iscsid
	ktgtcli -q target delete "$IQN" 2>/dev/null
	ktgtcli -q backstore delete ram/disk0 2>/dev/null
	rdma link delete "${LINK}0" 2>/dev/null
	ktgt_unload_modules
}

iser_env
iser_target
start_iscsid
iser_login

T=/tmp/iser-io
mkdir -p $T
dd if=/dev/urandom of=$T/data bs=1M count=16 status=none || fail "urandom"

# io_round NAME: 16 MiB direct, small direct and buffered I/O, compared.
io_round() {
	local t0 t1 t2 bs
	t0=$(date +%s.%N)
	dd if=$T/data of="$DEV" bs=1M oflag=direct status=none ||
		fail "$1: dd write"
	t1=$(date +%s.%N)
	dd if="$DEV" of=$T/back bs=1M count=16 iflag=direct status=none ||
		fail "$1: dd read"
	t2=$(date +%s.%N)
	cmp $T/data $T/back || fail "$1: 16 MiB read back differs"
	info "$1: 16 MiB write $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", 16/(b-a)}') MiB/s," \
		"read $(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.2f", 16/(b-a)}') MiB/s"

	# Small and odd sizes at 96 MiB: 512 bytes, one page, 8 KiB,
	# 12 KiB, 200 KiB (immediate, unsolicited and solicited parts).
	for bs in 512 4096 8192 12288 204800; do
		dd if=/dev/urandom of=$T/small bs=$bs count=4 status=none
		dd if=$T/small of="$DEV" bs=$bs seek=$((96 << 20)) \
			oflag=direct,seek_bytes status=none ||
			fail "$1: dd write bs=$bs"
		dd if="$DEV" of=$T/small.back bs=$bs skip=$((96 << 20)) \
			count=4 iflag=direct,skip_bytes status=none ||
			fail "$1: dd read bs=$bs"
		cmp $T/small $T/small.back || fail "$1: bs=$bs read back differs"
	done

	# Buffered, through the page cache, after dropping it.
	dd if=$T/data of="$DEV" bs=64K seek=256 status=none conv=fsync ||
		fail "$1: buffered write"
	echo 3 >/proc/sys/vm/drop_caches
	dd if="$DEV" of=$T/back2 bs=64K skip=256 count=256 status=none ||
		fail "$1: buffered read"
	cmp $T/data $T/back2 || fail "$1: buffered read back differs"
	info "$1: small and buffered I/O compare"
}

# relogin PARAM=VALUE...: log out, set TPG parameters, log in again.
relogin() {
	iscsiadm -m node -T "$IQN" -p "$PORTAL" --logout >/dev/null ||
		fail "logout failed"
	ktgtcli -q tpg set "$IQN" "$@" || fail "tpg set $*"
	iscsiadm -m node -T "$IQN" -p "$PORTAL" -I iser --login >/dev/null ||
		fail "login with $* failed"
	DEV=$(find_iscsi_disk "$IQN" 30 | tail -n 1) && [ -b "$DEV" ] ||
		fail "no disk after login with $*"
}

io_round "InitialR2T=Yes ImmediateData=Yes"
# Unsolicited Data-Out Sends up to FirstBurstLength, then RDMA READ.
relogin param.InitialR2T=No param.FirstBurstLength=65536
io_round "InitialR2T=No FirstBurstLength=65536"
# No immediate data: all write data by RDMA READ.
relogin param.InitialR2T=Yes param.ImmediateData=No
io_round "ImmediateData=No"

# Logout and a second login: the portal and the RDMA device stay usable.
iscsiadm -m node -T "$IQN" -p "$PORTAL" --logout >/dev/null ||
	fail "logout failed"
wait_for 10 sh -c '! ls /sys/class/iscsi_session/ 2>/dev/null | grep -q .' ||
	fail "session still there after logout"
iscsiadm -m node -T "$IQN" -p "$PORTAL" -I iser --login >/dev/null ||
	fail "second login failed"
DEV=$(find_iscsi_disk "$IQN" 30 | tail -n 1) && [ -b "$DEV" ] || fail "no disk after the second login"
dd if="$DEV" of=$T/back3 bs=1M count=16 iflag=direct status=none ||
	fail "dd read after re-login"
cmp $T/data $T/back3 || fail "data differs after re-login"
info "second login reads the same data"

iser_cleanup
dmesg | grep -E 'ktgt' | tail -5
echo "PASS"
exit 0
