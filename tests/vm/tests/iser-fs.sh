#!/bin/bash
# ktgt-lanes: debian
# SPDX-License-Identifier: GPL-2.0
#
# iSER over Soft-RoCE (rdma_rxe on a dummy netdev; or siw): ext4 on a ktgt disk
# attached with ib_iser. mkfs, mount, a 64 MiB file written and its
# checksum compared after a remount with the page cache dropped; then
# fsck after logout and a fresh login.
set -u
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

IQN=iqn.2026-11.org.example:iser-fs
. "$(dirname "$0")/../iser-lib.sh"

iser_cleanup() {
	umount "$MNT" 2>/dev/null
	iscsiadm -m node -T "$IQN" --logout >/dev/null 2>&1
	stop_iscsid
	ktgtcli -q target delete "$IQN" 2>/dev/null
	ktgtcli -q backstore delete ram/disk0 2>/dev/null
	rdma link delete "${LINK}0" 2>/dev/null
	ktgt_unload_modules
}

MNT=/tmp/iser-fs-mnt
F=/tmp/iser-fs.data

iser_env mkfs.ext4 fsck.ext4 sha256sum
iser_target
start_iscsid
iser_login

mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$DEV" ||
	fail "mkfs.ext4"
mkdir -p "$MNT"
mount -t ext4 "$DEV" "$MNT" || fail "mount"
dd if=/dev/urandom of=$F bs=1M count=64 status=none || fail "urandom"
want=$(sha256sum <$F | cut -d' ' -f1)
t0=$(date +%s.%N)
cp $F "$MNT/file" || fail "copy to the file system"
sync || fail "sync"
t1=$(date +%s.%N)
info "64 MiB file written and synced in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s"
umount "$MNT" || fail "umount"
echo 3 >/proc/sys/vm/drop_caches
mount -t ext4 "$DEV" "$MNT" || fail "remount"
t0=$(date +%s.%N)
got=$(sha256sum <"$MNT/file" | cut -d' ' -f1)
t1=$(date +%s.%N)
[ "$got" = "$want" ] || fail "checksum after remount: $got, want $want"
info "checksum matches after remount (read in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s)"
umount "$MNT" || fail "umount"

# Logout, log in again, check the file system and the file once more.
iscsiadm -m node -T "$IQN" -p "$PORTAL" --logout >/dev/null ||
	fail "logout failed"
iscsiadm -m node -T "$IQN" -p "$PORTAL" -I iser --login >/dev/null ||
	fail "second login failed"
DEV=$(find_iscsi_disk "$IQN" 30 | tail -n 1) && [ -b "$DEV" ] ||
	fail "no disk after the second login"
fsck.ext4 -f -n "$DEV" >/dev/null 2>&1 || fail "fsck.ext4 found errors"
mount -t ext4 -o ro "$DEV" "$MNT" || fail "mount after re-login"
got=$(sha256sum <"$MNT/file" | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "checksum after re-login: $got, want $want"
info "fsck clean, checksum matches after re-login"
umount "$MNT"

iser_cleanup
echo "PASS"
exit 0
