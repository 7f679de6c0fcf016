#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Target keepalive: NOP-In pings every nopin_interval; a peer that does
# not answer within nopin_timeout is dropped; open-iscsi, which answers,
# stays logged in.
# ktgt-lanes: debian
. "$(dirname "$0")/../lib.sh"

IQN=iqn.2026-11.org.example:keepalive
CLI=$KTGT_REPO/tools/ktgtcli
RAW=$KTGT_REPO/tests/vm/iscsi-raw-login
require_cmd iscsiadm python3

ktgt_load_modules ktgt_core ktgt_tcp
start_iscsid
INI=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi)
$CLI -q backstore create ram disk0 16M || fail "backstore"
$CLI -q target create $IQN || fail "target"
$CLI -q portal add $IQN 127.0.0.1:3260 || fail "portal"
$CLI -q lun add $IQN ram/disk0 || fail "lun"
$CLI -q acl add $IQN "$INI" || fail "acl"
$CLI -q tpg set $IQN attrib.nopin_interval=1 attrib.nopin_timeout=3 ||
	fail "nopin attributes"
$CLI -q target enable $IQN || fail "enable"

info "a peer that never answers is dropped"
out=$($RAW --hold 20 127.0.0.1 3260 "$INI" $IQN) || fail "raw: $out"
echo "$out"
grep -q "^nop-in " <<<"$out" || fail "no NOP-In ping seen"
grep -q "^closed after " <<<"$out" || fail "silent peer not dropped"
dmesg | grep -q "no answer to NOP-In" || fail "drop not logged"

info "open-iscsi answers and stays logged in"
iscsiadm -m discovery -t st -p 127.0.0.1 >/dev/null || fail "discovery"
iscsiadm -m node -T $IQN -p 127.0.0.1 --login >/dev/null || fail "login"
DISK=$(find_iscsi_disk $IQN) || fail "no disk"
sleep 8
[ "$(iscsiadm -m session | grep -c $IQN)" = 1 ] || fail "session lost"
dd if="$DISK" of=/dev/null bs=64k count=16 iflag=direct status=none ||
	fail "I/O after keepalives"
[ "$(dmesg | grep -c 'no answer to NOP-In')" = 1 ] ||
	fail "an answering initiator was dropped"
stop_iscsid
$CLI -q target delete $IQN || fail "target delete"
$CLI -q backstore delete ram/disk0 || fail "backstore delete"
ktgt_unload_modules ktgt_core ktgt_tcp
echo PASS
