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
ADDR=192.0.2.1
PORTAL=$ADDR:3260
# The RDMA provider: rxe (Soft-RoCE, default) or siw (Soft-iWARP, only in
# the debug kernel): KTGT_ISER_LINK=siw.
LINK=${KTGT_ISER_LINK:-rxe}
case $LINK in
rxe) LINKMOD=rdma_rxe ;;
siw) LINKMOD=siw ;;
*) echo "KTGT_ISER_LINK must be rxe or siw"; exit 1 ;;
esac

iser_env() {
	require_cmd iscsid iscsiadm rdma ip dd cmp mkfs.ext4 fsck.ext4 sha256sum
	modprobe -q dummy || skip "no dummy netdev driver"
	modprobe -q "$LINKMOD" || skip "$LINKMOD is not available"
	modprobe -q ib_iser || skip "ib_iser is not available"
	ip link add dummy0 type dummy || fail "ip link add dummy0"
	ip addr add "$ADDR/24" dev dummy0 || fail "ip addr add"
	ip link set dummy0 up || fail "ip link set dummy0 up"
	rdma link add "${LINK}0" type "$LINK" netdev dummy0 ||
		skip "cannot create ${LINK}0"
	ktgt_load_modules
	[ -d "$KTGT_CONFIGFS" ] || fail "no $KTGT_CONFIGFS"
}

iser_target() {
	local ini
	ini=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi)
	ktgtcli -q backstore create ram disk0 128M || fail "backstore"
	ktgtcli -q target create "$IQN" || fail "target create"
	ktgtcli -q portal add "$IQN" "$PORTAL" --iser || fail "portal add --iser"
	ktgtcli -q lun add "$IQN" ram/disk0 || fail "lun add"
	ktgtcli -q acl add "$IQN" "$ini" || fail "acl add"
	ktgtcli -q target enable "$IQN" || fail "target enable"
}

iser_login() {
	iscsiadm -m node -o new -T "$IQN" -p "$PORTAL" -I iser >/dev/null ||
		fail "iscsiadm node new"
	iscsiadm -m node -T "$IQN" -p "$PORTAL" -I iser --login ||
		fail "iSER login failed"
	DEV=$(find_iscsi_disk "$IQN" 30 | tail -n 1) && [ -b "$DEV" ] || fail "no disk after login"
	info "logged in over iSER: $DEV"
}

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

iser_env
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
