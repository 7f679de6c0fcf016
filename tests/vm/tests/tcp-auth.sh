#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Negative and authentication tests over TCP: CHAP one-way and mutual with
# good and wrong secrets, an initiator outside the ACL (refused, and not
# shown by SendTargets), malformed login text refused cleanly.
# ktgt-lanes: debian
. "$(dirname "$0")/../lib.sh"

IQN=iqn.2026-11.org.example:auth
CLI=$KTGT_REPO/tools/ktgtcli
RAW=$KTGT_REPO/tests/vm/iscsi-raw-login
P=127.0.0.1
require_cmd iscsiadm iscsi-ls python3

ktgt_load_modules ktgt_core ktgt_tcp
start_iscsid
INI=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi)
$CLI -q backstore create ram disk0 64M || fail "backstore"
$CLI -q target create $IQN || fail "target"
$CLI -q portal add $IQN $P:3260 || fail "portal"
$CLI -q lun add $IQN ram/disk0 || fail "lun"
$CLI -q acl add $IQN "$INI" || fail "acl"
$CLI -q tpg set $IQN attrib.authentication=1 || fail "auth required"
$CLI -q acl auth $IQN "$INI" --userid alice --password alicesecret12 ||
	fail "acl auth"
$CLI -q target enable $IQN || fail "enable"

node() {	# node NAME VALUE
	iscsiadm -m node -T $IQN -p $P -o update -n "$1" -v "$2" >/dev/null ||
		fail "iscsiadm update $1"
}
try_login() {
	iscsiadm -m node -T $IQN -p $P --login >/dev/null 2>&1
}
logout() {
	iscsiadm -m node -T $IQN -p $P --logout >/dev/null 2>&1
	iscsi_wait_no_session 20 || fail "session still there after logout"
}

iscsiadm -m discovery -t st -p $P | grep -q "$IQN" ||
	fail "target not discovered by an allowed initiator"

info "no CHAP from the initiator: refused"
try_login && fail "login without CHAP accepted while authentication=1"

info "one-way CHAP, right secret"
node node.session.auth.authmethod CHAP
node node.session.auth.username alice
node node.session.auth.password alicesecret12
try_login || fail "CHAP login with the right secret refused"
find_iscsi_disk $IQN >/dev/null || fail "no disk after CHAP login"
logout

info "one-way CHAP, wrong secret"
node node.session.auth.password wrongsecret12
try_login && fail "CHAP login with a wrong secret accepted"
dmesg | grep -q "login from .* failed: status 0201" ||
	fail "no authentication failure (0201) logged"

info "mutual CHAP, right secrets"
$CLI -q acl auth $IQN "$INI" --userid alice --password alicesecret12 \
	--mutual-userid target1 --mutual-password targetsecret12 ||
	fail "mutual acl auth"
node node.session.auth.password alicesecret12
node node.session.auth.username_in target1
node node.session.auth.password_in targetsecret12
try_login || fail "mutual CHAP login refused"
find_iscsi_disk $IQN >/dev/null || fail "no disk after mutual CHAP login"
logout

info "mutual CHAP, the initiator expects another target secret"
node node.session.auth.password_in notthetarget12
try_login && fail "initiator accepted a target with the wrong secret"

info "an initiator outside the ACL"
other=iqn.2026-11.org.example:stranger
iscsi-ls -i $other iscsi://$P >/tmp/ls.out 2>&1
grep -q "$IQN" /tmp/ls.out && fail "SendTargets shows the target to a stranger"
out=$($RAW $P 3260 $other $IQN) || fail "raw login: $out"
grep -q "^status 2 2$" <<<"$out" ||
	fail "stranger's login: want 0202 authorization failure, got: $out"

$CLI -q tpg set $IQN attrib.authentication=0 || fail "auth off"
$CLI -q acl auth $IQN "$INI" --clear || fail "clear acl auth"

info "malformed login text"
out=$($RAW $P 3260 "$INI" $IQN "NoEqualsSign") || fail "raw: $out"
grep -q "^status 2 0$" <<<"$out" || fail "malformed key: want 0200, got: $out"
out=$($RAW $P 3260 "$INI" $IQN "MaxBurstLength=notanumber") || fail "raw: $out"
grep -Eq "^status 2 0$|^MaxBurstLength=Reject$" <<<"$out" ||
	fail "bad number: want Reject or an initiator error, got: $out"
out=$($RAW $P 3260 "$INI" iqn.2026-11.org.example:nosuch) || fail "raw: $out"
grep -q "^status 2 3$" <<<"$out" || fail "unknown target: want 0203, got: $out"
out=$($RAW $P 3260 "$INI" $IQN "X-org.example.unknown=1") || fail "raw: $out"
grep -q "^X-org.example.unknown=NotUnderstood$" <<<"$out" ||
	fail "private key: want NotUnderstood, got: $out"

info "the target still serves a good login"
# A fresh node record: the old one still carries CHAP credentials.
iscsiadm -m node -T $IQN -p $P -o delete >/dev/null
iscsiadm -m discovery -t st -p $P >/dev/null || fail "rediscovery"
try_login || fail "plain login after the negative tests refused"
logout
stop_iscsid
$CLI -q target delete $IQN || fail "target delete"
$CLI -q backstore delete ram/disk0 || fail "backstore delete"
ktgt_unload_modules ktgt_core ktgt_tcp
echo PASS
