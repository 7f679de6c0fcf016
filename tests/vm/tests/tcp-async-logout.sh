#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Disabling a target sends its sessions an Async Message "logout request";
# open-iscsi logs out on it (nobody has to be dropped), and logs in again
# by itself once the target is enabled again.
# ktgt-lanes: debian
. "$(dirname "$0")/../lib.sh"

IQN=iqn.2026-11.org.example:async
CLI=$KTGT_REPO/tools/ktgtcli
require_cmd iscsiadm

ktgt_load_modules ktgt_core ktgt_tcp
start_iscsid
INI=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi)
$CLI -q backstore create ram disk0 16M || fail "backstore"
$CLI -q target create $IQN || fail "target"
$CLI -q portal add $IQN 127.0.0.1:3260 || fail "portal"
$CLI -q lun add $IQN ram/disk0 || fail "lun"
$CLI -q acl add $IQN "$INI" || fail "acl"
$CLI -q target enable $IQN || fail "enable"
iscsi_login $IQN
DISK=$(find_iscsi_disk $IQN) || fail "no disk"

info "disable the target"
$CLI -q target disable $IQN || fail "disable"
wait_for 20 sh -c "dmesg | grep -q 'ktgt: session .* ended'" ||
	fail "the session did not end after the logout request"
dmesg | grep -q "did not log out" && fail "the initiator had to be dropped"

info "enable it again: the initiator comes back"
$CLI -q target enable $IQN || fail "enable again"
wait_for 60 sh -c "iscsiadm -m session -P 3 | grep -q 'iSCSI Session State: LOGGED_IN'" ||
	fail "the initiator did not log in again"
wait_for 20 dd if="$DISK" of=/dev/null bs=64k count=4 iflag=direct status=none ||
	fail "no I/O after the new login"
stop_iscsid
$CLI -q target delete $IQN || fail "target delete"
$CLI -q backstore delete ram/disk0 || fail "backstore delete"
ktgt_unload_modules ktgt_core ktgt_tcp
echo PASS
