#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The README's main job, inside a guest: load ktgt, export a RAM disk with
# ktgtcli, log in with open-iscsi, make and check a filesystem. Every step
# is printed as the command an admin would type.
. "$(dirname "$0")/lib.sh"

IQN=iqn.2026-11.org.example:demo
CLI=$KTGT_REPO/tools/ktgtcli
step() { echo "# $*"; "$@" || fail "$*"; }

echo "== load the modules"
ktgt_load_modules ktgt_core ktgt_tcp
grep ktgt /proc/modules | cut -d' ' -f1
echo "== configure a target"
INI=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi)
step "$CLI" backstore create ram disk0 256M
step "$CLI" target create $IQN
step "$CLI" portal add $IQN 127.0.0.1:3260
step "$CLI" lun add $IQN ram/disk0
step "$CLI" acl add $IQN "$INI"
step "$CLI" target enable $IQN
step "$CLI" ls
echo "== log in with open-iscsi"
start_iscsid
step iscsiadm -m discovery -t sendtargets -p 127.0.0.1
step iscsiadm -m node -T $IQN -p 127.0.0.1 --login
DISK=$(find_iscsi_disk $IQN) || fail "no disk"
echo "# the LUN is $DISK"
echo "== make, fill and check a filesystem"
step mkfs.ext4 -q -F "$DISK"
mkdir -p /mnt/demo
step mount "$DISK" /mnt/demo
step dd if=/dev/urandom of=/mnt/demo/data bs=1M count=32 status=none
sum=$(sha256sum </mnt/demo/data)
step umount /mnt/demo
echo 3 >/proc/sys/vm/drop_caches
step fsck.ext4 -n -f "$DISK"
step mount "$DISK" /mnt/demo
[ "$(sha256sum </mnt/demo/data)" = "$sum" ] || fail "data changed"
echo "# 32 MiB written, read back and verified: ${sum%% *}"
step umount /mnt/demo
step iscsiadm -m node -T $IQN -p 127.0.0.1 --logout
stop_iscsid
step "$CLI" target delete $IQN
step "$CLI" backstore delete ram/disk0
ktgt_unload_modules ktgt_core ktgt_tcp
echo "== demo done: ktgt served a verified filesystem over iSCSI"
