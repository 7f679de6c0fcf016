#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Login extras over TCP: an IPv6 portal (SendTargets, login, data), discovery
# CHAP (enforced, one-way and mutual, wrong secrets refused) and the target
# resets: TARGET WARM RESET from the Linux initiator (sg_reset --target) and
# from a raw client, with the unit attention it leaves on every nexus, and
# TARGET COLD RESET, refused unless the TPG authorizes it
# (attrib.tmr_cold_reset) and then closing every connection of the target.
# ktgt-lanes: debian
. "$(dirname "$0")/../lib.sh"

IQN=iqn.2026-11.org.example:extras
CLI=$KTGT_REPO/tools/ktgtcli
RAW=$KTGT_REPO/tests/vm/iscsi-raw-login
P4=127.0.0.1
P6='[::1]'
require_cmd iscsiadm python3 sg_reset sg_turs ip cmp

[ -e /proc/net/if_inet6 ] || skip "the guest kernel has no IPv6"
sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.lo.disable_ipv6=0 ||
	fail "cannot enable IPv6"
ip -6 addr show dev lo | grep -q 'inet6 ::1/128' ||
	ip -6 addr add ::1/128 dev lo || fail "cannot add ::1 to lo"
ip link set lo up

ktgt_load_modules ktgt_core ktgt_tcp
start_iscsid
INI=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi)
$CLI -q backstore create ram disk0 64M || fail "backstore"
$CLI -q target create $IQN || fail "target"
$CLI -q portal add $IQN $P4:3260 || fail "IPv4 portal"
$CLI -q portal add $IQN "$P6:3260" || fail "IPv6 portal"
$CLI -q lun add $IQN ram/disk0 || fail "lun"
$CLI -q acl add $IQN "$INI" || fail "acl"
$CLI -q target enable $IQN || fail "enable"
dmesg | grep -q "listening on \[::1\]:3260" || fail "no IPv6 listener logged"

count() { dmesg | grep -c -- "$1"; }
logout_all() {
	iscsiadm -m node --logoutall=all >/dev/null 2>&1
	iscsi_wait_no_session 20 || fail "session still there after logout"
}
# roundtrip DEV MIB SEEK_MIB: random data written with O_DIRECT reads back.
roundtrip() {
	dd if=/dev/urandom of=/tmp/pattern bs=1M count="$2" status=none
	dd if=/tmp/pattern of="$1" bs=1M seek="$3" oflag=direct conv=fsync \
		status=none || fail "write to $1 failed"
	dd if="$1" of=/tmp/readback bs=1M skip="$3" count="$2" iflag=direct \
		status=none || fail "read from $1 failed"
	cmp /tmp/pattern /tmp/readback || fail "$1: data read back differs"
}

# --- 1. IPv6 ---------------------------------------------------------------

info "SendTargets over IPv6"
out=$(iscsiadm -m discovery -t st -p "$P6:3260") ||
	fail "discovery over IPv6 failed: $out"
echo "$out"
grep -qxF "$P6:3260,1 $IQN" <<<"$out" ||
	fail "the IPv6 portal is not in SendTargets: $out"
grep -qxF "$P4:3260,1 $IQN" <<<"$out" ||
	fail "the IPv4 portal is not in SendTargets: $out"

info "login over IPv6, 8 MiB round trip"
iscsiadm -m node -T $IQN -p "$P6:3260" --login >/dev/null ||
	fail "login over IPv6 failed"
iscsiadm -m session | grep -qF "$P6:3260,1 $IQN" ||
	fail "no session on $P6:3260: $(iscsiadm -m session)"
dmesg | grep -q "normal session $INI TSIH [0-9]* from \[::1\]:" ||
	fail "the target did not log a session from [::1]"
DEV=$(find_iscsi_disk $IQN) || fail "no disk after the IPv6 login"
roundtrip "$DEV" 8 0
logout_all
iscsiadm -m node -o delete >/dev/null

# --- 2. discovery CHAP -----------------------------------------------------

disc() {	# disc NAME VALUE: set a key of the discovery record
	iscsiadm -m discoverydb -t st -p $P4 -o update -n "$1" -v "$2" \
		>/dev/null || fail "discoverydb update $1"
}
discover() { iscsiadm -m discoverydb -t st -p $P4 --discover 2>&1; }

$CLI -q discovery-auth set --userid disc --password discsecret123 \
	--enforce 1 || fail "discovery-auth set"
iscsiadm -m discoverydb -t st -p $P4 -o new >/dev/null ||
	fail "discoverydb new"

info "discovery without CHAP while enforced: refused"
n=$(count "failed: status 0201")
out=$(discover) && fail "discovery without CHAP accepted: $out"
grep -q "$IQN" <<<"$out" && fail "target listed without CHAP: $out"
[ "$(count "failed: status 0201")" -gt "$n" ] ||
	fail "no authentication failure (0201) logged for discovery"

info "discovery with one-way CHAP, right secret"
disc discovery.sendtargets.auth.authmethod CHAP
disc discovery.sendtargets.auth.username disc
disc discovery.sendtargets.auth.password discsecret123
out=$(discover) || fail "discovery CHAP with the right secret refused: $out"
grep -qxF "$P4:3260,1 $IQN" <<<"$out" ||
	fail "CHAP discovery does not list the target: $out"

info "discovery with one-way CHAP, wrong secret"
disc discovery.sendtargets.auth.password wrongsecret12
n=$(count "failed: status 0201")
out=$(discover) && fail "discovery CHAP with a wrong secret accepted: $out"
[ "$(count "failed: status 0201")" -gt "$n" ] ||
	fail "no authentication failure (0201) logged for the wrong secret"
disc discovery.sendtargets.auth.password discsecret123
disc discovery.sendtargets.auth.username wronguser
out=$(discover) && fail "discovery CHAP with a wrong name accepted: $out"
disc discovery.sendtargets.auth.username disc

info "mutual discovery CHAP"
$CLI -q discovery-auth set --userid disc --password discsecret123 \
	--mutual-userid tgtdisc --mutual-password tgtdiscsecret1 ||
	fail "discovery-auth set mutual"
disc discovery.sendtargets.auth.username_in tgtdisc
disc discovery.sendtargets.auth.password_in tgtdiscsecret1
out=$(discover) || fail "mutual discovery CHAP refused: $out"
grep -qxF "$P4:3260,1 $IQN" <<<"$out" ||
	fail "mutual CHAP discovery does not list the target: $out"
disc discovery.sendtargets.auth.password_in notthetarget12
out=$(discover) &&
	fail "initiator accepted a target with the wrong mutual secret: $out"

info "discovery CHAP cleared, not enforced: plain discovery works"
$CLI -q discovery-auth set --clear --enforce 0 || fail "discovery-auth clear"
iscsiadm -m discoverydb -t st -p $P4 -o delete >/dev/null ||
	fail "discoverydb delete"
out=$(iscsiadm -m discovery -t st -p $P4) ||
	fail "plain discovery refused after clearing: $out"
grep -qxF "$P4:3260,1 $IQN" <<<"$out" || fail "target not listed: $out"

# --- 3. TARGET WARM RESET and TARGET COLD RESET ----------------------------

iscsiadm -m node -T $IQN -p $P4:3260 --login >/dev/null || fail "login"
DEV=$(find_iscsi_disk $IQN) || fail "no disk"
SG=$(find_iscsi_sg $IQN) || fail "no sg device"
roundtrip "$DEV" 4 8
logins=$(count "normal session $INI")

info "TARGET WARM RESET from open-iscsi (sg_reset --target $SG)"
warm=$(count "TARGET WARM RESET from $INI")
sg_reset --target "$SG" || fail "sg_reset --target failed"
[ "$(count "TARGET WARM RESET from $INI")" -gt "$warm" ] ||
	fail "the target did not perform a warm reset"
# open-iscsi falls back to a session reset (a new login) if the TMF fails.
[ "$(count "normal session $INI")" -eq "$logins" ] ||
	fail "the initiator had to log in again after the warm reset"
roundtrip "$DEV" 4 8
sg_turs "$SG" || fail "TEST UNIT READY fails after the warm reset"

info "a Text Request in two PDUs (C bit) in full feature phase"
out=$($RAW --isid 800000000104 \
	--text-split "SendTargets=$IQN,X-org.example.split=1" \
	$P4 3260 "$INI" $IQN) || fail "raw client: $out"
echo "$out"
grep -q "^text piece 1: F=0 C=0 len=0 ttt=" <<<"$out" &&
	! grep -q "^text piece 1: .*ttt=ffffffff" <<<"$out" ||
	fail "first piece: want an empty response, F=0, a target tag: $out"
grep -q "^text piece 2: F=1 C=0 .*ttt=ffffffff" <<<"$out" ||
	fail "last piece: want the final response: $out"
grep -q "^text TargetName=$IQN$" <<<"$out" ||
	fail "the joined SendTargets was not answered: $out"
grep -q "^text X-org.example.split=NotUnderstood$" <<<"$out" ||
	fail "the key split across the PDUs was not answered: $out"

info "Data-In sequences within MaxBurstLength when MaxRecvDataSegmentLength does not divide it"
out=$($RAW --isid 800000000105 --read 0 128 \
	$P4 3260 "$INI" $IQN MaxRecvDataSegmentLength=6144 \
	MaxBurstLength=16384 FirstBurstLength=8192) || fail "raw client: $out"
echo "$out"
grep -q "^MaxBurstLength=16384$" <<<"$out" || fail "MaxBurstLength not 16384: $out"
line=$(grep "^read " <<<"$out") || fail "no read result: $out"
grep -q " bytes=65536 " <<<"$line" || fail "not 64 KiB read: $line"
grep -q " order=ok " <<<"$line" || fail "DataSN or offsets out of order: $line"
grep -q " status=0x00$" <<<"$line" || fail "read status: $line"
seqs=$(sed 's/.* sequences=\([0-9,]*\) .*/\1/' <<<"$line")
for l in ${seqs//,/ }; do
	[ "$l" -le 16384 ] || fail "a Data-In sequence of $l bytes, over MaxBurstLength 16384: $line"
done
# 16384 = 6144 + 6144 + 4096: three PDUs per burst, four bursts.
grep -q " pdus=12 " <<<"$line" || fail "want 12 Data-In PDUs: $line"

info "TARGET WARM RESET from another nexus (raw client)"
out=$($RAW --isid 800000000101 --tur --tmf warm-reset --tur --tur \
	$P4 3260 "$INI" $IQN) || fail "raw client: $out"
echo "$out"
grep -q "^status 0 0$" <<<"$out" || fail "raw login refused: $out"
grep -q "^tmf response 0$" <<<"$out" ||
	fail "warm reset: want response 0 (function complete): $out"
grep -q "^open$" <<<"$out" || fail "warm reset closed the connection: $out"
[ "$(grep -c '^tur status' <<<"$out")" -eq 3 ] ||
	fail "want three TEST UNIT READY results: $out"
# Before the reset: GOOD; right after: the reset's unit attention, once.
sed -n '/^tur status/p' <<<"$out" | head -1 | grep -q '0x00$' ||
	fail "TEST UNIT READY before the reset not GOOD: $out"
grep -q "^sense 6/29/03$" <<<"$out" ||
	fail "no UNIT ATTENTION 29h/03h on the issuing nexus: $out"
sed -n '/^tur status/p' <<<"$out" | tail -1 | grep -q '0x00$' ||
	fail "the unit attention was reported more than once: $out"

info "the open-iscsi nexus sees the unit attention of that reset"
rc=0
out=$(sg_turs -v "$SG" 2>&1) || rc=$?
echo "$out"
[ $rc = 6 ] || fail "sg_turs: want exit 6 (unit attention), got $rc"
grep -qi "bus device reset function occurred" <<<"$out" ||
	fail "want BUS DEVICE RESET FUNCTION OCCURRED (29h/03h): $out"
sg_turs "$SG" || fail "the unit attention did not clear"
roundtrip "$DEV" 4 8

info "TARGET COLD RESET while the TPG does not authorize it: refused"
out=$($RAW --isid 800000000102 --tmf cold-reset --tur \
	$P4 3260 "$INI" $IQN) || fail "raw client: $out"
echo "$out"
grep -q "^tmf response 6$" <<<"$out" ||
	fail "unauthorized cold reset: want 6 (authorization failed): $out"
grep -q "^open$" <<<"$out" ||
	fail "the refused cold reset closed the connection: $out"
grep -q "^tur status 0x00$" <<<"$out" ||
	fail "the refused cold reset left a unit attention: $out"
sg_turs "$SG" || fail "the refused cold reset reached the open-iscsi nexus"
dmesg | grep -q "TARGET COLD RESET from $INI TSIH [0-9]* refused" ||
	fail "the refusal was not logged"
$CLI -q tpg set $IQN attrib.tmr_cold_reset=1 || fail "tmr_cold_reset=1"

info "TARGET COLD RESET from a raw client: every connection closes"
tsih=$(dmesg | sed -n "s/.*normal session $INI TSIH \([0-9]*\) from $P4:.*/\1/p" |
	head -1)
[ -n "$tsih" ] || fail "cannot find the open-iscsi session's TSIH"
logins=$(count "normal session $INI")
mark=$(dmesg | wc -l)
out=$($RAW --isid 800000000103 --tmf cold-reset --tur \
	$P4 3260 "$INI" $IQN) || fail "raw client: $out"
echo "$out"
grep -q "^tmf response 0$" <<<"$out" ||
	fail "cold reset: want response 0 (function complete): $out"
grep -q "^closed$" <<<"$out" ||
	fail "the target kept the connection after a cold reset: $out"
grep -q "^tur status" <<<"$out" && fail "a command ran after the cold reset"
since() { dmesg | tail -n +$((mark + 1)); }
since | grep -q "TARGET COLD RESET from $INI TSIH [0-9]*: .* 1 other sessions closed" ||
	fail "the cold reset did not close the open-iscsi session"
ended() { since | grep -q "session $INI TSIH $tsih ended"; }
wait_for 20 ended || fail "the open-iscsi session (TSIH $tsih) did not end"
# open-iscsi recovers: it logs in again (a new session) and I/O goes on.
relogged() { [ "$(count "normal session $INI")" -ge $((logins + 2)) ]; }
wait_for 90 relogged ||
	fail "open-iscsi did not log in again after the cold reset"
wait_for 60 sg_turs "$SG" || fail "the disk does not come back"
roundtrip "$DEV" 4 8

logout_all
stop_iscsid
$CLI -q target delete $IQN || fail "target delete"
$CLI -q backstore delete ram/disk0 || fail "backstore delete"
ktgt_unload_modules ktgt_core ktgt_tcp
echo PASS
