#!/bin/bash
# ktgt-lanes: debian debug
# SPDX-License-Identifier: GPL-2.0
#
# The configfs tree of ktgt_core, through raw mkdir/echo/rmdir: ram, file
# and block backstores, a target, tpgt_1 with parameters, attributes and
# CHAP settings, LUNs bound to each backstore, an ACL with mapped LUNs,
# portals (refused without ktgt_tcp; created with it), then the teardown
# in order. Every valid write is read back; every invalid one must fail
# with the right errno.
set -u

CFS=/sys/kernel/config/ktgt
MODDIR=${KTGT_MODDIR:-$(pwd)/build/$(uname -r)}
IQN=iqn.2003-01.org.ktgt:configfs-tree
INI=iqn.1994-05.com.example:client1
TMPF=/tmp/ktgt-file0.img
steps=0

fail() {
	echo "FAIL: $*"
	dmesg | grep -E 'ktgt' | tail -20
	exit 1
}
ok() {
	steps=$((steps + 1))
	echo "ok $steps - $*"
}

# wr FILE VALUE: the write must succeed.
wr() {
	local out
	out=$( (printf '%s\n' "$2" >"$1") 2>&1) || fail "write '$2' > $1: $out"
	ok "write '$2' > ${1#"$CFS"/}"
}

# wr_err ERRTEXT FILE VALUE: the write must fail with strerror ERRTEXT.
wr_err() {
	local out
	if out=$( (printf '%s\n' "$3" >"$2") 2>&1); then
		fail "write '$3' > $2 succeeded; expected '$1'"
	fi
	[[ $out == *"$1"* ]] || fail "write '$3' > $2: got '$out', expected '$1'"
	ok "write '$3' > ${2#"$CFS"/} refused: $1"
}

# rd FILE EXPECTED: the file must read EXPECTED.
rd() {
	local v
	v=$(cat "$1") || fail "cannot read $1"
	[ "$v" = "$2" ] || fail "$1 is '$v', expected '$2'"
	ok "${1#"$CFS"/} = '$2'"
}

md() {
	local out
	out=$(mkdir "$1" 2>&1) || fail "mkdir $1: $out"
	ok "mkdir ${1#"$CFS"/}"
}

md_err() {
	local out
	if out=$(mkdir "$2" 2>&1); then
		fail "mkdir $2 succeeded; expected '$1'"
	fi
	[[ $out == *"$1"* ]] || fail "mkdir $2: got '$out', expected '$1'"
	ok "mkdir ${2#"$CFS"/} refused: $1"
}

rmd() {
	local out
	out=$(rmdir "$1" 2>&1) || fail "rmdir $1: $out"
	ok "rmdir ${1#"$CFS"/}"
}

rmd_err() {
	local out
	if out=$(rmdir "$2" 2>&1); then
		fail "rmdir $2 succeeded; expected '$1'"
	fi
	[[ $out == *"$1"* ]] || fail "rmdir $2: got '$out', expected '$1'"
	ok "rmdir ${2#"$CFS"/} refused: $1"
}

EINVAL="Invalid argument"
ERANGE="Numerical result out of range"
EBUSY="Device or resource busy"
ENOENT="No such file or directory"
ENODEV="No such device"
ENOTEMPTY="Directory not empty"
EEXIST="File exists"

# --- modules ------------------------------------------------------------------
[ -f "$MODDIR/ktgt_core.ko" ] || fail "no $MODDIR/ktgt_core.ko (build first)"
modprobe configfs 2>/dev/null
mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
modprobe crc32c 2>/dev/null
modprobe libcrc32c 2>/dev/null
insmod "$MODDIR/ktgt_core.ko" || fail "insmod ktgt_core"
ok "ktgt_core loaded"
[ -d $CFS ] || fail "$CFS missing"
for d in backstores/ram backstores/file backstores/block targets discovery_auth; do
	[ -d "$CFS/$d" ] || fail "$CFS/$d missing"
done
ok "root groups present"
grep -q . $CFS/version || fail "version empty"
rd $CFS/transports ""
# Admission before login (admit.c): global, with their defaults.
rd $CFS/login_timeout 15
rd $CFS/prelogin_max_per_portal 64
rd $CFS/prelogin_max_per_source 16
wr_err "$ERANGE" $CFS/login_timeout 0
wr_err "$ERANGE" $CFS/prelogin_max_per_source 0
wr $CFS/login_timeout 30
rd $CFS/login_timeout 30
wr $CFS/login_timeout 15

# --- discovery_auth ---------------------------------------------------------------
rd $CFS/discovery_auth/enforce 0
wr_err "$EINVAL" $CFS/discovery_auth/enforce 2
wr $CFS/discovery_auth/userid disc-user
wr_err "$EINVAL" $CFS/discovery_auth/password short
wr $CFS/discovery_auth/password discovery-secret1
wr_err "$EINVAL" $CFS/discovery_auth/mutual_password discovery-secret1
wr $CFS/discovery_auth/mutual_password discovery-secret2
rd $CFS/discovery_auth/password discovery-secret1
wr $CFS/discovery_auth/enforce 1
wr $CFS/discovery_auth/enforce 0
wr $CFS/discovery_auth/password ""
rd $CFS/discovery_auth/password ""

# --- ram backstore ---------------------------------------------------------------
R=$CFS/backstores/ram/r0
md_err "$EINVAL" "$CFS/backstores/ram/bad name"
md $R
rd $R/size 0
rd $R/block_size 512
rd $R/enable 0
grep -Eq '^[0-9a-f]{16}$' $R/wwn_id || fail "wwn_id '$(cat $R/wwn_id)'"
ok "wwn_id is 16 hex digits"
wr_err "$EINVAL" $R/enable 1
wr_err "$EINVAL" $R/size 0
wr_err "$EINVAL" $R/size 1000000
wr_err "$EINVAL" $R/size 12abc
wr_err "$EINVAL" $R/block_size 1024
wr_err "$ERANGE" $R/block_size 8192
wr_err "$EINVAL" $R/readonly 2
wr $R/size 8388608
wr $R/block_size 4096
wr_err "$EINVAL" $R/size 8389120
wr $R/enable 1
rd $R/enable 1
wr_err "$EBUSY" $R/size 4194304
wr_err "$EBUSY" $R/block_size 512
grep -q 'type=ram enabled=1 size=8388608 block_size=4096' $R/info ||
	fail "ram info: $(cat $R/info)"
ok "ram info"
wr $R/enable 0
wr $R/enable 1

# --- file backstore ---------------------------------------------------------------
F=$CFS/backstores/file/f0
truncate -s 16M $TMPF || fail "truncate $TMPF"
md $F
wr_err "$EINVAL" $F/enable 1
wr_err "$EINVAL" $F/path relative/path
wr $F/path /nonexistent/ktgt.img
wr_err "$ENOENT" $F/enable 1
wr $F/path $TMPF
rd $F/size 0
# tmpfs has no O_DIRECT in 6.1: enabling with direct_io must fail cleanly.
wr $F/direct_io 1
if (echo 1 >$F/enable) 2>/dev/null; then
	wr $F/enable 0
	ok "direct_io enable works on this kernel's tmpfs"
else
	ok "direct_io enable refused on tmpfs"
fi
wr $F/direct_io 0
wr $F/enable 1
rd $F/size 16777216
grep -q 'kind=regular' $F/info || fail "file info: $(cat $F/info)"
ok "file info"
wr_err "$EBUSY" $F/path /tmp/other
wr $F/enable 0
rd $F/size 0
wr $F/size 33554432
wr $F/enable 1
rd $F/size 33554432

# --- block backstore --------------------------------------------------------------
B=$CFS/backstores/block/b0
modprobe brd rd_nr=1 rd_size=65536 || fail "modprobe brd"
[ -b /dev/ram0 ] || fail "/dev/ram0 missing"
md $B
wr $B/path /dev/ram0
wr $B/enable 1
grep -q 'size=67108864 block_size=512' $B/info || fail "block info: $(cat $B/info)"
ok "block info"
B2=$CFS/backstores/block/b1
md $B2
wr $B2/path /dev/ram0
wr_err "$EBUSY" $B2/enable 1
rmd $B2

# --- target and TPG ----------------------------------------------------------------
T=$CFS/targets/$IQN
md_err "$EINVAL" $CFS/targets/IQN.2003-01.org.ktgt:upper
md_err "$EINVAL" $CFS/targets/iqn.2003-13.org.ktgt:badmonth
md_err "$EINVAL" $CFS/targets/iqn.03-01.org.ktgt:x
md_err "$EINVAL" $CFS/targets/notaname
md_err "$EINVAL" $CFS/targets/naa.0123
md_err "$EINVAL" $CFS/targets/eui.0123456789ABCDEF
md $CFS/targets/eui.0123456789abcdef
rmd $CFS/targets/eui.0123456789abcdef
md $CFS/targets/naa.0123456789abcdef0123456789abcdef
rmd $CFS/targets/naa.0123456789abcdef0123456789abcdef
md $T
md_err "$ERANGE" $T/tpgt_0
md_err "$ERANGE" $T/tpgt_65536
md_err "$EINVAL" $T/tpgt_01
md_err "$EINVAL" $T/tpg1
md $T/tpgt_1
G=$T/tpgt_1
for d in attrib param auth portals luns acls; do
	[ -d $G/$d ] || fail "$G/$d missing"
done
ok "tpgt_1 default groups"
rd $G/enable 0
wr_err "$EINVAL" $G/enable yes
wr $G/enable 1
rd $G/enable 1

# attrib/
rd $G/attrib/authentication 0
rd $G/attrib/generate_node_acls 0
rd $G/attrib/demo_mode_write_protect 1
wr_err "$EINVAL" $G/attrib/generate_node_acls 2
wr $G/attrib/generate_node_acls 1
wr $G/attrib/generate_node_acls 0
wr_err "$ERANGE" $G/attrib/nopin_timeout 0
wr_err "$ERANGE" $G/attrib/nopin_interval 3601
wr $G/attrib/nopin_interval 10
rd $G/attrib/nopin_interval 10
# Per-peer resource caps (docs/configfs.md): defaults and ranges.
rd $G/attrib/cmdsn_depth 128
rd $G/attrib/session_data_mb 256
rd $G/attrib/dataout_timeout 20
rd $G/attrib/tx_backlog_kb 1024
rd $G/attrib/status_retain_max 256
wr_err "$ERANGE" $G/attrib/cmdsn_depth 0
wr_err "$ERANGE" $G/attrib/cmdsn_depth 4097
wr_err "$ERANGE" $G/attrib/session_data_mb 0
wr_err "$ERANGE" $G/attrib/dataout_timeout 0
wr_err "$ERANGE" $G/attrib/tx_backlog_kb 63
wr_err "$ERANGE" $G/attrib/status_retain_max 0
wr_err "$ERANGE" $G/attrib/status_retain_max 16385
wr $G/attrib/cmdsn_depth 32
rd $G/attrib/cmdsn_depth 32
wr $G/attrib/cmdsn_depth 128

# param/: defaults, then valid and invalid values
P=$G/param
rd $P/HeaderDigest None
rd $P/DataDigest None
rd $P/MaxRecvDataSegmentLength 262144
rd $P/MaxBurstLength 262144
rd $P/FirstBurstLength 65536
rd $P/InitialR2T Yes
rd $P/ImmediateData Yes
rd $P/MaxOutstandingR2T 1
rd $P/DataPDUInOrder Yes
rd $P/DataSequenceInOrder Yes
rd $P/DefaultTime2Wait 2
rd $P/DefaultTime2Retain 20
rd $P/ErrorRecoveryLevel 0
rd $P/MaxConnections 1
rd $P/TargetAlias ""
wr $P/HeaderDigest CRC32C,None
rd $P/HeaderDigest CRC32C,None
wr_err "$EINVAL" $P/HeaderDigest MD5
wr_err "$EINVAL" $P/DataDigest "None,"
wr_err "$EINVAL" $P/DataDigest crc32c
wr $P/DataDigest CRC32C
wr_err "$ERANGE" $P/MaxRecvDataSegmentLength 511
wr_err "$ERANGE" $P/MaxRecvDataSegmentLength 16777216
# Past what the receive paths take: refused, not capped at login.
wr_err "$ERANGE" $P/MaxRecvDataSegmentLength 262145
wr_err "$ERANGE" $P/MaxOutstandingR2T 9
wr_err "$EINVAL" $P/MaxBurstLength 1M
wr $P/MaxBurstLength 1048576
rd $P/MaxBurstLength 1048576
wr $P/FirstBurstLength 0065536
rd $P/FirstBurstLength 65536
wr_err "$EINVAL" $P/InitialR2T yes
wr $P/InitialR2T No
rd $P/InitialR2T No
wr_err "$ERANGE" $P/MaxOutstandingR2T 0
wr_err "$ERANGE" $P/DefaultTime2Wait 3601
wr_err "$ERANGE" $P/ErrorRecoveryLevel 3
wr $P/ErrorRecoveryLevel 2
wr_err "$ERANGE" $P/MaxConnections 0
wr $P/MaxConnections 4
wr $P/TargetAlias "ktgt test disk"
rd $P/TargetAlias "ktgt test disk"
wr_err "File name too long" $P/TargetAlias "$(printf 'a%.0s' $(seq 300))"

# auth/
wr $G/auth/userid tpg-user
wr_err "$EINVAL" $G/auth/password 0123456789a
wr $G/auth/password 0123456789ab
wr_err "$EINVAL" $G/auth/mutual_password 0123456789ab
wr $G/auth/mutual_password 0123456789abc
rd $G/auth/userid tpg-user
[ "$(stat -c %a $G/auth/password)" = 600 ] || fail "password mode"
ok "password is mode 600"

# --- LUNs --------------------------------------------------------------------------
L=$G/luns
md_err "$ERANGE" $L/lun_256
md_err "$EINVAL" $L/lun_x
md $L/lun_0
md $L/lun_1
md $L/lun_2
md $L/lun_3
rd $L/lun_0/backstore ""
wr_err "$ENOENT" $L/lun_0/backstore ram/nope
wr_err "$ENOENT" $L/lun_0/backstore nope
wr $L/lun_0/backstore ram/r0
rd $L/lun_0/backstore ram/r0
wr $L/lun_1/backstore file/f0
wr $L/lun_2/backstore block/b0
# A disabled backstore cannot be bound.
md $CFS/backstores/ram/r1
wr $CFS/backstores/ram/r1/size 1048576
wr_err "$ENODEV" $L/lun_3/backstore ram/r1
wr $CFS/backstores/ram/r1/enable 1
wr $L/lun_3/backstore ram/r1
# Rebind lun_3 to r0 (two LUNs on one backstore), then unbind.
wr $L/lun_3/backstore ram/r0
grep -q 'luns=2' $R/info || fail "r0 info: $(cat $R/info)"
ok "r0 has 2 LUNs"
wr $CFS/backstores/ram/r1/enable 0
rmd $CFS/backstores/ram/r1
wr $L/lun_3/backstore ""
rd $L/lun_3/backstore ""
wr_err "$EINVAL" $L/lun_0/readonly 5
wr $L/lun_0/readonly 1
rd $L/lun_0/readonly 1
wr_err "$EINVAL" $L/lun_0/removable 2
wr $L/lun_0/removable 1
rd $L/lun_0/removable 1
wr $L/lun_0/removable 0

# Bound backstores can be neither disabled nor removed.
wr_err "$EBUSY" $R/enable 0
rmd_err "$EBUSY" $R
rmd_err "$EBUSY" $F
rmd_err "$EBUSY" $B
rd $R/enable 1

# --- ACLs ------------------------------------------------------------------------
A=$G/acls/$INI
md_err "$EINVAL" "$G/acls/Iqn.1994-05.com.example:x"
md $A
[ -d $A/auth ] && [ -d $A/luns ] || fail "acl default groups"
ok "acl default groups"
md $A/luns/lun_0
rd $A/luns/lun_0/tpg_lun 0
md $A/luns/lun_5
wr_err "$ENOENT" $A/luns/lun_5/tpg_lun 7
wr_err "$ERANGE" $A/luns/lun_5/tpg_lun 256
wr $A/luns/lun_5/tpg_lun 1
rd $A/luns/lun_5/tpg_lun 1
wr $A/luns/lun_5/readonly 1
md $A/luns/lun_6
wr $A/luns/lun_6/tpg_lun 2
wr $A/auth/userid "$INI"
wr $A/auth/password acl-secret-0001

# --- portals -----------------------------------------------------------------------
PO=$G/portals
md_err "$EINVAL" $PO/127.0.0.1
md_err "$EINVAL" $PO/127.0.0.1:0
md_err "$EINVAL" $PO/127.0.0.1:70000
md_err "$EINVAL" $PO/300.0.0.1:3260
md_err "$EINVAL" "$PO/[::1:3260"
md_err "$EINVAL" $PO/localhost:3260
md_err "$ENODEV" $PO/127.0.0.1:3260
md_err "$ENODEV" "$PO/[::1]:3260"
dmesg | grep -q 'load ktgt_tcp first' || fail "no 'load ktgt_tcp first' in dmesg"
ok "dmesg says: load ktgt_tcp first"

have_tcp=0
if [ -f "$MODDIR/ktgt_tcp.ko" ] && insmod "$MODDIR/ktgt_tcp.ko" 2>/dev/null; then
	have_tcp=1
	ok "ktgt_tcp loaded"
	rd $CFS/transports tcp
	if mkdir $PO/127.0.0.1:3260 2>/dev/null; then
		ok "portal 127.0.0.1:3260 created"
		rd $PO/127.0.0.1:3260/transport tcp
		md "$PO/[::1]:3261"
		md_err "$EEXIST" "$PO/[0::1]:3261"
		md $PO/0.0.0.0:3262
		# A second TPG sharing the same address shares the listener.
		md $T/tpgt_2
		md $T/tpgt_2/portals/127.0.0.1:3260
		if command -v ss >/dev/null; then
			n=$(ss -Hltn 'sport = :3260' | wc -l)
			[ "$n" = 1 ] || fail "$n listeners on :3260, expected 1"
			ok "one listener on 127.0.0.1:3260"
		fi
		wr_err "$ENODEV" $PO/127.0.0.1:3260/transport iser
		rd $PO/127.0.0.1:3260/transport tcp
		rmod_out=$(rmmod ktgt_tcp 2>&1) && fail "rmmod ktgt_tcp with portals"
		ok "rmmod ktgt_tcp refused while portals exist"
		rmd $T/tpgt_2/portals/127.0.0.1:3260
		rmd $T/tpgt_2
		rmd $PO/127.0.0.1:3260
		rmd "$PO/[::1]:3261"
		rmd $PO/0.0.0.0:3262
	else
		ok "portal mkdir with ktgt_tcp loaded failed (add_portal not ready?): see dmesg"
	fi
fi

# --- the module is pinned while objects exist ----------------------------------------
rmod_out=$(rmmod ktgt_core 2>&1) && fail "rmmod ktgt_core with objects succeeded"
ok "rmmod ktgt_core refused while objects exist"

# --- teardown in order ---------------------------------------------------------------
rmd_err "$ENOTEMPTY" $T
rmd_err "$ENOTEMPTY" $G
rmd_err "$ENOTEMPTY" $A
rmd $A/luns/lun_0
rmd $A/luns/lun_5
rmd $A/luns/lun_6
rmd $A
for n in 0 1 2 3; do
	rmd $L/lun_$n
done
grep -q 'luns=0' $R/info || fail "r0 still bound: $(cat $R/info)"
ok "r0 unbound"
rmd $G
rmd $T
rmd $R
rmd $F
rmd $B
rm -f $TMPF
for d in targets backstores/ram backstores/file backstores/block; do
	[ -z "$(ls -A $CFS/$d)" ] || fail "objects left in $d: $(ls -A $CFS/$d)"
done
ok "tree empty"

if [ $have_tcp = 1 ]; then
	rmmod ktgt_tcp || fail "rmmod ktgt_tcp"
	ok "ktgt_tcp unloaded"
fi
rmmod ktgt_core || fail "rmmod ktgt_core"
ok "ktgt_core unloaded"
rmmod brd 2>/dev/null
[ -d $CFS ] && fail "$CFS still present"
echo "PASS: $steps steps"
exit 0
