#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of tools/ktgtcli against a fake configfs (a temp dir; with
# KTGT_CONFIGFS_FAKE=1 the CLI's mkdir creates the attribute files the
# module would). Uses the ASan/UBSan build. One "PASS name" / "FAIL name"
# line per case; exits 1 if any case fails.

set -u
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

npass=0
nfail=0
pass() { echo "PASS $1"; npass=$((npass + 1)); }
fail() {
	echo "FAIL $1${2:+: $2}"
	nfail=$((nfail + 1))
	[ -z "${3:-}" ] && [ -s "$W/err" ] && sed 's/^/    | /' "$W/err" | head -5
}

if make -s -C "$TOP/tools" all asan >"$W/build.log" 2>&1; then
	pass build
else
	echo "FAIL build"
	cat "$W/build.log"
	exit 1
fi
K="$TOP/build/cli/ktgtcli-asan"

export KTGT_CONFIGFS="$W/cfs" KTGT_CONFIGFS_FAKE=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:exitcode=99
C="$W/cfs"

# run CMD...: runs ktgtcli, stdout in $W/out, stderr in $W/err, rc in $rc.
run() {
	"$K" "$@" >"$W/out" 2>"$W/err"
	rc=$?
}

# t NAME RC [-o REGEX] [-e REGEX] -- ARGS...: exit code and output checks.
t() {
	local name=$1 want=$2 ore="" ere=""
	shift 2
	while [ "$1" != "--" ]; do
		case $1 in
		-o) ore=$2; shift 2 ;;
		-e) ere=$2; shift 2 ;;
		esac
	done
	shift
	run "$@"
	if grep -q -e 'AddressSanitizer\|LeakSanitizer\|runtime error' "$W/err"; then
		fail "$name" "sanitizer report"
	elif [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, want $want"
	elif [ -n "$ore" ] && ! grep -q -E -e "$ore" "$W/out"; then
		fail "$name" "stdout lacks /$ore/: $(head -c 300 "$W/out")"
	elif [ -n "$ere" ] && ! grep -q -E -e "$ere" "$W/err"; then
		fail "$name" "stderr lacks /$ere/"
	else
		pass "$name"
	fi
}

# c NAME COMMAND...: a shell condition on the fake tree.
c() {
	local name=$1
	shift
	if eval "$@"; then pass "$name"; else fail "$name" "$*" quiet; fi
}

# attr REL: the value of an attribute file (without the newline).
attr() { head -c 4096 "$C/$1" | tr -d '\n'; }

T=iqn.2024-01.com.example:t1
TP=targets/$T/tpgt_1
I1=iqn.1994-05.com.redhat:client1
I2=iqn.1991-05.com.microsoft:win2

# ---- general ---------------------------------------------------------
t help 0 -o 'backstore create' -- help
t help.group 0 -o 'lun delete' -- help lun
t help.verb 0 -o 'acl auth' -- help acl auth
t help.unknown 2 -e 'no command' -- help nosuch
t version 0 -o 'ktgtcli [0-9]' -- version
t no-command 2 -- 
t unknown-command 2 -e "unknown command 'frob'" -- frob
t unknown-verb 2 -e "unknown verb 'zap'" -- lun zap
t missing-verb 2 -e 'missing verb' -- target
t unknown-option 2 -e "unknown option '--bogus'" -- target ls --bogus
t missing-option-value 2 -e "needs a value" -- target create $T --tpgt
t global-unknown-option 2 -- --frob ls
c fake-root-created '[ -f "$C/version" ] && [ -d "$C/backstores/ram" ] && [ -d "$C/targets" ]'
t ls.empty 0 -o '^o- / \[version=' -- ls

KTGT_CONFIGFS_FAKE=0 t root-missing 1 -e 'modprobe ktgt_core' -- --root "$W/nonexistent" ls
c root-missing.not-created '[ ! -e "$W/nonexistent" ]'
KTGT_CONFIGFS_FAKE=0 t root-missing.usage-first 2 -e 'missing TYPE' -- --root "$W/nonexistent" backstore create
KTGT_CONFIGFS_FAKE=0 t root-missing.not-misleading 1 -e 'modprobe ktgt_core' -- --root "$W/nonexistent" lun add $T ram/x
c root-missing.not-misleading.msg '! grep -q "does not exist" "$W/err"'
KTGT_CONFIGFS_FAKE=0 t root-missing.version 0 -o 'module: not loaded' -- --root "$W/nonexistent" version
KTGT_CONFIGFS="$W/nonexistent" KTGT_CONFIGFS_FAKE=0 t root-env 1 -e "$W/nonexistent" -- target ls
t root-option-wins 0 -- --root "$C" target ls

# ---- iSCSI name validation -------------------------------------------
good_names=(
	iqn.2003-01.org.linux-iscsi.host.x8664:sn.abcdef012345
	iqn.2024-01.com.example
	iqn.1994-05.com.redhat:5a3f2b1c
	iqn.2024-12.net.a-b.c:x.y-z:w
	eui.02004567a425678d
	naa.52004567ba64678d
	naa.60014050123456789abcdef012345678
	"iqn.2024-01.com.example:$(printf 'a%.0s' $(seq 1 199))"
)
for n in "${good_names[@]}"; do
	t "name.good.${n:0:40}" 0 -- target create "$n"
	c "name.good.${n:0:40}.tpgt_1" '[ -d "$C/targets/$n/tpgt_1/param" ]'
	t "name.good.${n:0:40}.delete" 0 -- target delete "$n"
done
bad_names=(
	"IQN.2024-01.com.example"
	"iqn.2024-01.com.Example:t1"
	"iqn.2024-1.com.example"
	"iqn.2024-13.com.example"
	"iqn.2024-00.com.example"
	"iqn.2024-01"
	"iqn.2024-01."
	"iqn.2024-01:com.example"
	"iqn.2024-01.com..example"
	"iqn.2024-01.-example.com"
	"iqn.2024-01..example.com"
	"iqn.2024-01.com.example:"
	"iqn.2024-01.com.example:a_b"
	"iqn.2024-01.com.example:a b"
	"iqn.2024-01.com.example/x"
	"iqn.2024-01.com.exämple"
	"eui.02004567a425678"
	"eui.02004567A425678D"
	"eui.02004567a425678g"
	"eui.02004567a425678d0"
	"naa.52004567ba64678d00"
	"naa.6001405012345678"9abcdef012345678"0"
	"foo.2024-01.com.example"
	"iqn"
	"iqn.2024-01.com.example:$(printf 'a%.0s' $(seq 1 200))"
)
for n in "${bad_names[@]}"; do
	t "name.bad.${n:0:40}" 2 -e 'bad target name' -- target create "$n"
done
t name.bad.empty 2 -- target create ""
c name.bad.nothing-created '[ -z "$(ls "$C/targets")" ]'
t name.too-long-message 2 -e 'maximum is 223' -- target create "iqn.2024-01.com.example:$(printf 'a%.0s' $(seq 1 200))"
t name.upper-message 2 -e 'lower case' -- target create IQN.2024-01.com.example

# ---- sizes -----------------------------------------------------------
# size_ok NAME SIZE BYTES [OPTS...]
size_ok() {
	local s=$1 bytes=$2
	shift 2
	t "size.$s" 0 -- backstore create ram "sz" "$s" "$@"
	c "size.$s.value" '[ "$(attr backstores/ram/sz/size)" = "$bytes" ]'
	run backstore delete ram/sz
}
size_ok 512 512
size_ok 4096 4096
size_ok 4K 4096
size_ok 4k 4096
size_ok 1M 1048576
size_ok 1G 1073741824
size_ok 1GiB 1073741824
size_ok 1gb 1073741824
size_ok 3T 3298534883328
size_ok 1536M 1610612736
size_ok 1024B 1024
size_ok 8K 8192 --block-size 4096
for s in 0 1 511 513 1.5G -1 +1 " 1G" 1G_ 1Q 1KK 1Ki 99999999999999999999 20000000T "" 2K:4096; do
	bs=512
	case $s in *:*) bs=${s#*:}; s=${s%:*} ;; esac
	t "size.bad.'$s'.bs$bs" 2 -- backstore create ram sz "$s" --block-size $bs
done
t size.bad.message 2 -e 'not a multiple of the block size' -- backstore create ram sz 1000
t size.bad.block-size 2 -e '512 or 4096' -- backstore create ram sz 1M --block-size 1024
c size.bad.nothing-created '[ ! -e "$C/backstores/ram/sz" ]'

# ---- backstores ------------------------------------------------------
t bs.ram.create 0 -o 'created backstore ram/disk0' -- backstore create ram disk0 1G
c bs.ram.attrs '[ "$(attr backstores/ram/disk0/size)" = 1073741824 ] && [ "$(attr backstores/ram/disk0/block_size)" = 512 ] && [ "$(attr backstores/ram/disk0/readonly)" = 0 ] && [ "$(attr backstores/ram/disk0/enable)" = 1 ]'
c bs.ram.echo-style-write '[ "$(od -An -c "$C/backstores/ram/disk0/enable" | tr -d " ")" = "1\\n" ]'
t bs.ram.create-ro 0 -- backstore create ram d4k 64M --block-size 4096 --readonly
c bs.ram.ro-attrs '[ "$(attr backstores/ram/d4k/readonly)" = 1 ] && [ "$(attr backstores/ram/d4k/block_size)" = 4096 ]'
t bs.ram.duplicate 1 -e 'already exists' -- backstore create ram disk0 1G
t bs.ram.bad-name 2 -e 'bad backstore name' -- backstore create ram a/b 1G
t bs.ram.bad-name-dot 2 -- backstore create ram .x 1G
t bs.ram.bad-name-long 2 -- backstore create ram "$(printf 'n%.0s' $(seq 1 64))" 1G
t bs.ram.name-63 0 -- backstore create ram "$(printf 'n%.0s' $(seq 1 63))" 1M
t bs.ram.name-63.delete 0 -- backstore delete "ram/$(printf 'n%.0s' $(seq 1 63))"
t bs.ram.missing-size 2 -e 'missing SIZE' -- backstore create ram x
t bs.ram.extra-arg 2 -e 'unexpected argument' -- backstore create ram x 1G 2G
t bs.ram.direct-refused 2 -e 'direct' -- backstore create ram x 1G --direct
t bs.bad-type 2 -e 'ram, file or block' -- backstore create tape x 1G

truncate -s 10M "$W/f0.img"
t bs.file.create 0 -- backstore create file f0 "$W/f0.img" --direct
c bs.file.attrs '[ "$(attr backstores/file/f0/path)" = "$W/f0.img" ] && [ "$(attr backstores/file/f0/size)" = 0 ] && [ "$(attr backstores/file/f0/direct_io)" = 1 ] && [ "$(attr backstores/file/f0/enable)" = 1 ]'
t bs.file.relative-path 0 -- backstore create file f1 "$(realpath --relative-to=. "$W/f0.img")" 1M
c bs.file.relative-made-absolute '[ "$(attr backstores/file/f1/path)" = "$W/f0.img" ] && [ "$(attr backstores/file/f1/size)" = 1048576 ]'
t bs.file.missing 1 -e 'give a SIZE' -- backstore create file f2 "$W/nope.img"
c bs.file.missing.nothing-created '[ ! -e "$C/backstores/file/f2" ]'
t bs.file.create-new 0 -- backstore create file f3 "$W/new.img" 20M
c bs.file.create-new.sparse '[ "$(stat -c %s "$W/new.img")" = 20971520 ]'
t bs.file.too-big 1 -e 'larger than' -- backstore create file f4 "$W/f0.img" 11M
t bs.file.directory 1 -e 'not a regular file' -- backstore create file f4 "$W"
truncate -s 1000 "$W/odd.img"
t bs.file.odd-size 1 -e 'not a multiple of the block size' -- backstore create file f4 "$W/odd.img"
t bs.file.odd-size-with-size 0 -- backstore create file f4 "$W/odd.img" 512
t bs.file.odd-size.delete 0 -- backstore delete file/f4
: >"$W/empty.img"
t bs.file.empty 1 -e 'is empty' -- backstore create file f4 "$W/empty.img"
t bs.block.path-too-long 2 -e 'longer than 255' -- backstore create block b9 "/dev/$(printf 'x%.0s' $(seq 1 260))"
t bs.file.block-size 0 -- backstore create file f5 "$W/f0.img" --block-size 4096
c bs.file.block-size.value '[ "$(attr backstores/file/f5/block_size)" = 4096 ]'
t bs.block.missing 1 -e 'No such file' -- backstore create block b0 /dev/ktgt-nonexistent
t bs.block.relative 2 -e 'absolute' -- backstore create block b0 dev/sda
t bs.block.block-size 2 -- backstore create block b0 /dev/null --block-size 4096
t bs.block.create 0 -- backstore create block b0 /dev/null --readonly
c bs.block.attrs '[ "$(attr backstores/block/b0/path)" = /dev/null ] && [ "$(attr backstores/block/b0/readonly)" = 1 ]'
t bs.ls 0 -o '^ram/disk0 size=1G block_size=512 readonly=0 enable=1$' -- backstore ls
t bs.ls.file 0 -o "^file/f0 path=$W/f0.img size=0" -- backstore ls
t bs.delete 0 -- backstore delete file/f5
c bs.delete.gone '[ ! -e "$C/backstores/file/f5" ]'
t bs.delete.missing 1 -e 'does not exist' -- backstore delete ram/nosuch
t bs.delete.bad-ref 2 -- backstore delete disk0
t bs.delete.bad-type 2 -- backstore delete foo/disk0
t bs.delete.traversal 2 -- backstore delete ram/..

# ---- targets and TPGs ------------------------------------------------
t target.create 0 -o 'created target' -- target create $T
c target.tpg-groups 'for g in attrib param auth portals luns acls; do [ -d "$C/$TP/$g" ] || exit 1; done'
c target.disabled '[ "$(attr $TP/enable)" = 0 ]'
t target.duplicate 1 -e 'already exists' -- target create $T
t target.enable.warns 0 -e 'no portal' -- target enable $T
c target.enabled '[ "$(attr $TP/enable)" = 1 ]'
t target.disable 0 -- target disable $T
c target.disabled-again '[ "$(attr $TP/enable)" = 0 ]'
t target.enable.missing 1 -e 'does not exist' -- target enable iqn.2024-01.com.example:nope
t target.enable.missing-tpg 1 -e 'has no tpgt_5' -- target enable $T --tpgt 5
t target.tpgt.zero 2 -e 'tpgt' -- target enable $T --tpgt 0
t target.tpgt.big 2 -- target enable $T --tpgt 65536
t target.create-tpgt 0 -- target create iqn.2024-01.com.example:t2 --tpgt 7
c target.create-tpgt.dir '[ -d "$C/targets/iqn.2024-01.com.example:t2/tpgt_7" ] && [ ! -e "$C/targets/iqn.2024-01.com.example:t2/tpgt_1" ]'
t target.only-tpg-default 0 -- target enable iqn.2024-01.com.example:t2
c target.only-tpg-default.enabled '[ "$(attr targets/iqn.2024-01.com.example:t2/tpgt_7/enable)" = 1 ]'
t tpg.create 0 -- tpg create iqn.2024-01.com.example:t2 --tpgt 8
t tpg.create.dup 1 -e 'already exists' -- tpg create iqn.2024-01.com.example:t2 --tpgt 8
t tpg.create.needs-tpgt 2 -e 'required' -- tpg create iqn.2024-01.com.example:t2
t target.several-tpgs 1 -e 'several TPGs' -- target enable iqn.2024-01.com.example:t2
t tpg.delete 0 -- tpg delete iqn.2024-01.com.example:t2 --tpgt 8
c tpg.delete.gone '[ ! -e "$C/targets/iqn.2024-01.com.example:t2/tpgt_8" ]'
t target.ls 0 -o '^  tpgt_7 enabled portals=0 luns=0 acls=0$' -- target ls
t target.delete.enabled 0 -- target delete iqn.2024-01.com.example:t2
c target.delete.gone '[ ! -e "$C/targets/iqn.2024-01.com.example:t2" ]'
t target.delete.missing 1 -e 'does not exist' -- target delete iqn.2024-01.com.example:t2

# ---- portals ---------------------------------------------------------
t portal.v4.default-port 0 -- portal add $T 10.0.0.1
c portal.v4.dir '[ "$(attr "$TP/portals/10.0.0.1:3260/transport")" = tcp ]'
t portal.v4.port 0 -- portal add $T 10.0.0.1:3261
c portal.v4.port.dir '[ -d "$C/$TP/portals/10.0.0.1:3261" ]'
t portal.v6.brackets 0 -- portal add $T [::1]
c portal.v6.brackets.dir '[ -d "$C/$TP/portals/[::1]:3260" ]'
t portal.v6.bare 0 -- portal add $T fe80::1
c portal.v6.bare.dir '[ -d "$C/$TP/portals/[fe80::1]:3260" ]'
t portal.v6.canonical 0 -- portal add $T [2001:DB8:0:0::1]:3262
c portal.v6.canonical.dir '[ -d "$C/$TP/portals/[2001:db8::1]:3262" ]'
t portal.duplicate-spelling 1 -e 'already exists' -- portal add $T [2001:db8::0:1]:3262
t portal.any 0 -- portal add $T 0.0.0.0:3263
t portal.iser 0 -o '\(iser\)' -- portal add $T 10.0.0.2 --iser
c portal.iser.attr '[ "$(attr "$TP/portals/10.0.0.2:3260/transport")" = iser ]'
printf 'tcp\n' >"$C/transports"
t portal.iser.unregistered 1 -e 'iser is not registered' -- portal add $T 10.0.0.3 --iser
c portal.iser.unregistered.nothing '[ ! -e "$C/$TP/portals/10.0.0.3:3260" ]'
printf 'tcp\niser\n' >"$C/transports"
for p in 300.1.1.1 host.example.com 10.0.0.1:0 10.0.0.1:65536 10.0.0.1:x "[::1" "[::1]3260" "[10.0.0.1]" 10.0.0 "fe80::1%eth0" ""; do
	t "portal.bad.'$p'" 2 -e 'bad portal' -- portal add $T "$p"
done
t portal.missing-target 1 -e 'does not exist' -- portal add iqn.2024-01.com.example:zz 10.0.0.1
t portal.delete 0 -- portal delete $T 10.0.0.1:3261
c portal.delete.gone '[ ! -e "$C/$TP/portals/10.0.0.1:3261" ]'
t portal.delete.spelling 0 -- portal delete $T [2001:db8:0::1]:3262
c portal.delete.spelling.gone '[ ! -e "$C/$TP/portals/[2001:db8::1]:3262" ]'
t portal.delete.missing 1 -e 'has no portal' -- portal delete $T 10.9.9.9

# ---- LUNs ------------------------------------------------------------
t lun.add.auto0 0 -o 'lun_0 -> ram/disk0' -- lun add $T ram/disk0
t lun.add.auto1 0 -o 'lun_1 -> ram/d4k \(removable\)' -- lun add $T ram/d4k --removable
t lun.add.auto2 0 -o 'lun_2 -> file/f0' -- lun add $T file/f0 --readonly
c lun.attrs '[ "$(attr $TP/luns/lun_0/backstore)" = ram/disk0 ] && [ "$(attr $TP/luns/lun_2/readonly)" = 1 ] && [ "$(attr $TP/luns/lun_0/readonly)" = 0 ] && [ "$(attr $TP/luns/lun_1/removable)" = 1 ] && [ "$(attr $TP/luns/lun_0/removable)" = 0 ]'
t lun.delete 0 -- lun delete $T 1
c lun.delete.gone '[ ! -e "$C/$TP/luns/lun_1" ]'
t lun.add.fills-hole 0 -o 'lun_1 -> ram/d4k' -- lun add $T ram/d4k
t lun.add.explicit 0 -o 'lun_10 -> file/f1' -- lun add $T file/f1 --lun 10
t lun.add.after-gap 0 -o 'lun_3 -> file/f3' -- lun add $T file/f3
t lun.add.natural-order 0 -o 'lun_4 -> block/b0' -- lun add $T block/b0
t lun.add.taken 1 -e 'already exists' -- lun add $T ram/disk0 --lun 10
t lun.add.bad-number 2 -e '0\.\.255' -- lun add $T ram/disk0 --lun 256
t lun.add.max-number 0 -- lun add $T ram/disk0 --lun 255 --no-map
t lun.delete.max-number 0 -- lun delete $T 255
t lun.add.bad-number2 2 -- lun add $T ram/disk0 --lun x
t lun.add.bad-backstore 2 -e 'bad backstore' -- lun add $T disk0
t lun.add.missing-backstore 1 -e 'backstore ram/zz does not exist' -- lun add $T ram/zz
t lun.add.missing-target 1 -e 'does not exist' -- lun add iqn.2024-01.com.example:zz ram/disk0
t lun.delete.missing 1 -e 'has no LUN 9' -- lun delete $T 9
t lun.delete.bad 2 -- lun delete $T -1
t lun.delete.lun_form 0 -- lun delete $T lun_4
c lun.delete.lun_form.gone '[ ! -e "$C/$TP/luns/lun_4" ]'

# ---- ACLs ------------------------------------------------------------
t acl.add.all 0 -o 'with 5 mapped LUNs' -- acl add $T $I1
c acl.add.all.maps 'for n in 0 1 2 3 10; do [ "$(attr $TP/acls/$I1/luns/lun_$n/tpg_lun)" = $n ] || exit 1; done'
c acl.add.auth-group '[ -f "$C/$TP/acls/$I1/auth/userid" ]'
t acl.add.dup 1 -e 'already has an ACL' -- acl add $T $I1
t acl.add.some 0 -o 'with 2 mapped LUNs' -- acl add $T $I2 --luns 0,2 --readonly
c acl.add.some.maps '[ -d "$C/$TP/acls/$I2/luns/lun_0" ] && [ -d "$C/$TP/acls/$I2/luns/lun_2" ] && [ ! -e "$C/$TP/acls/$I2/luns/lun_1" ] && [ "$(attr $TP/acls/$I2/luns/lun_2/readonly)" = 1 ]'
t acl.add.none 0 -o 'with 0 mapped LUNs' -- acl add $T iqn.2024-01.com.example:none --luns none
t acl.add.missing-lun 1 -e 'has no LUN 9' -- acl add $T iqn.2024-01.com.example:x --luns 0,9
c acl.add.missing-lun.nothing '[ ! -e "$C/$TP/acls/iqn.2024-01.com.example:x" ]'
t acl.add.bad-luns 2 -- acl add $T iqn.2024-01.com.example:x --luns 0,,a
t acl.add.dup-luns 2 -e 'twice' -- acl add $T iqn.2024-01.com.example:x --luns 1,1
t acl.add.bad-initiator 2 -e 'bad initiator name' -- acl add $T iqn.1994-05.com.redhat:Client
t acl.add.eui-initiator 0 -- acl add $T eui.0123456789abcdef --luns none
t lun.add.maps-into-acls 0 -o 'mapped it into ACL iqn.1994-05.com.redhat:client1 as lun_4' -- lun add $T ram/disk0
c lun.add.maps-into-acls.value '[ "$(attr $TP/acls/$I1/luns/lun_4/tpg_lun)" = 4 ] && [ "$(attr $TP/acls/$I2/luns/lun_4/tpg_lun)" = 4 ]'
t lun.add.no-map 0 -- lun add $T ram/d4k --no-map --lun 5
c lun.add.no-map.value '[ ! -e "$C/$TP/acls/$I1/luns/lun_5" ]'
# Mapped LUN numbers differ from TPG LUN numbers when the number is taken.
mkdir "$C/$TP/acls/$I2/luns/lun_6" && printf '0\n0\n' | { read a; echo "$a" >"$C/$TP/acls/$I2/luns/lun_6/tpg_lun"; echo 0 >"$C/$TP/acls/$I2/luns/lun_6/readonly"; }
t lun.add.maps-lowest-free 0 -o 'ACL iqn.1991-05.com.microsoft:win2 as lun_1' -- lun add $T file/f1 --lun 6
t lun.delete.unmaps 0 -- lun delete $T 0
c lun.delete.unmaps.gone '[ ! -e "$C/$TP/luns/lun_0" ] && [ ! -e "$C/$TP/acls/$I1/luns/lun_0" ] && [ ! -e "$C/$TP/acls/$I2/luns/lun_0" ] && [ -d "$C/$TP/acls/$I1/luns/lun_1" ]'
t acl.auth 0 -- acl auth $T $I1 --userid alice --password 0123456789ab
c acl.auth.values '[ "$(attr $TP/acls/$I1/auth/userid)" = alice ] && [ "$(attr $TP/acls/$I1/auth/password)" = 0123456789ab ] && [ -z "$(attr $TP/acls/$I1/auth/mutual_userid)" ]'
t acl.auth.mutual 0 -- acl auth $T $I1 --userid alice --password 0123456789ab --mutual-userid tgt --mutual-password ba9876543210
c acl.auth.mutual.values '[ "$(attr $TP/acls/$I1/auth/mutual_userid)" = tgt ] && [ "$(attr $TP/acls/$I1/auth/mutual_password)" = ba9876543210 ]'
t acl.auth.replace-clears-mutual 0 -- acl auth $T $I1 --userid bob --password 0123456789abc
c acl.auth.replace-clears-mutual.values '[ "$(attr $TP/acls/$I1/auth/userid)" = bob ] && [ -z "$(attr $TP/acls/$I1/auth/mutual_userid)" ] && [ -z "$(attr $TP/acls/$I1/auth/mutual_password)" ]'
t acl.auth.long-secret 2 -- acl auth $T $I1 --userid u --password "$(printf 's%.0s' $(seq 1 256))"
t acl.auth.long-userid 2 -- acl auth $T $I1 --userid "$(printf 'u%.0s' $(seq 1 256))" --password 0123456789ab
t acl.auth.max-secret 0 -- acl auth $T $I1 --userid "$(printf 'u%.0s' $(seq 1 255))" --password "$(printf 's%.0s' $(seq 1 255))"
t acl.auth.short-secret 2 -e '12\.\.255' -- acl auth $T $I1 --userid u --password short
t acl.auth.same-secret 2 -e 'must differ' -- acl auth $T $I1 --userid u --password 0123456789ab --mutual-userid t --mutual-password 0123456789ab
t acl.auth.mutual-only 2 -- acl auth $T $I1 --mutual-userid t --mutual-password 0123456789ab
t acl.auth.half 2 -e 'go together' -- acl auth $T $I1 --userid u
t acl.auth.nothing 2 -- acl auth $T $I1
t acl.auth.no-acl 1 -e 'has no ACL' -- acl auth $T iqn.2024-01.com.example:nobody --userid u --password 0123456789ab
t acl.auth.clear 0 -- acl auth $T $I1 --clear
c acl.auth.clear.values '[ -z "$(attr $TP/acls/$I1/auth/userid)" ] && [ -z "$(attr $TP/acls/$I1/auth/password)" ]'
t acl.delete 0 -- acl delete $T $I2
c acl.delete.gone '[ ! -e "$C/$TP/acls/$I2" ]'
t acl.delete.missing 1 -e 'has no ACL' -- acl delete $T $I2

# ---- TPG attributes --------------------------------------------------
t tpg.set 0 -- tpg set $T attrib.generate_node_acls=1 param.MaxBurstLength=1048576 param.HeaderDigest=CRC32C,None
c tpg.set.values '[ "$(attr $TP/attrib/generate_node_acls)" = 1 ] && [ "$(attr $TP/param/MaxBurstLength)" = 1048576 ] && [ "$(attr $TP/param/HeaderDigest)" = CRC32C,None ]'
t tpg.set.unknown-attr-atomic 1 -e 'no param attribute Bogus' -- tpg set $T param.MaxBurstLength=65536 param.Bogus=1
c tpg.set.unknown-attr-atomic.unchanged '[ "$(attr $TP/param/MaxBurstLength)" = 1048576 ]'
t tpg.set.bad-group 2 -e 'attrib, param or auth' -- tpg set $T portals.x=1
t tpg.set.no-eq 2 -e 'GROUP.NAME=VALUE' -- tpg set $T param.MaxBurstLength
t tpg.set.traversal 2 -- tpg set $T param../enable=1
t tpg.set.newline 2 -e 'control' -- tpg set $T "param.TargetAlias=a
b"
t tpg.set.nothing 2 -- tpg set $T
t tpg.set.empty-value 0 -- tpg set $T param.TargetAlias=
c tpg.set.empty-value.written '[ "$(od -An -c "$C/$TP/param/TargetAlias" | tr -d " ")" = "\\n" ]'
t tpg.get.one 0 -o '^param.MaxBurstLength=1048576$' -- tpg get $T param.MaxBurstLength
t tpg.get.all 0 -o '^param.DefaultTime2Retain=20$' -- tpg get $T
t tpg.get.all-attrib 0 -o '^attrib.generate_node_acls=1$' -- tpg get $T
t tpg.get.unknown 1 -e 'no param attribute Nope' -- tpg get $T param.Nope
t tpg.get.bad 2 -- tpg get $T MaxBurstLength
t tpg.auth 0 -- tpg auth $T --userid tpguser --password tpgsecret0123
c tpg.auth.values '[ "$(attr $TP/auth/userid)" = tpguser ] && [ "$(attr $TP/auth/password)" = tpgsecret0123 ]'
t tpg.set.password-masked 0 -o '^auth.password=\*\*\*$' -- tpg set $T auth.password=anothersecret1

# ---- discovery auth --------------------------------------------------
t disc.set 0 -- discovery-auth set --userid d --password discovery0123 --enforce 1
c disc.set.values '[ "$(attr discovery_auth/userid)" = d ] && [ "$(attr discovery_auth/password)" = discovery0123 ] && [ "$(attr discovery_auth/enforce)" = 1 ]'
t disc.get 0 -o '^enforce=1$' -- discovery-auth get
t disc.enforce-only 0 -- discovery-auth set --enforce 0
c disc.enforce-only.value '[ "$(attr discovery_auth/enforce)" = 0 ] && [ "$(attr discovery_auth/userid)" = d ]'
t disc.clear 0 -- discovery-auth set --clear
c disc.clear.values '[ -z "$(attr discovery_auth/userid)" ]'
t disc.enforce-empty-warns 0 -e 'without credentials' -- discovery-auth set --enforce 1
t disc.bad-enforce 2 -- discovery-auth set --enforce 2
t disc.nothing 2 -e 'nothing to set' -- discovery-auth set
t disc.tpgt-refused 2 -- discovery-auth set --tpgt 1 --enforce 0

# ---- ls --------------------------------------------------------------
t ls.tree 0 -o '^        \| o- lun_2 \[backstore=file/f0 readonly=1 removable=0\]$' -- ls
t ls.tree.portal 0 -o 'o- \[::1\]:3260 \[transport=tcp\]' -- ls
t ls.tree.size-units 0 -o 'o- disk0 \[size=1G ' -- ls
t ls.hides-param 0 -- ls
c ls.hides-param.check '! grep -q "o- param" "$W/out"'
t ls.all 0 -o 'MaxBurstLength=1048576' -- ls --all
t ls.all.masks 0 -o 'password=\*\*\*' -- ls --all
c ls.all.no-secret '! grep -q anothersecret1 "$W/out"'
t ls.path 0 -o '^o- luns$' -- ls $TP/luns
t ls.path.missing 1 -e 'does not exist' -- ls targets/nope
t ls.path.traversal 2 -- ls ../..
t quiet 0 -- -q lun add $T ram/disk0 --lun 20 --no-map
c quiet.no-output '[ ! -s "$W/out" ]'

# ---- kernel errors are reported with path, strerror, errno, hint ----
rm "$C/$TP/enable"
t err.enoent 1 -e "cannot set $C/$TP/enable to '1': No such file or directory \\(ENOENT\\)" -- target enable $T
c err.enoent.hint 'grep -q "hint: no such object" "$W/err"'
echo 0 >"$C/$TP/enable"
ln -sf /dev/full "$C/$TP/param/TargetAlias"
t err.enospc 1 -e "cannot set $C/$TP/param/TargetAlias to 'x': No space left on device \\(ENOSPC\\)" -- tpg set $T param.TargetAlias=x
rm "$C/$TP/param/TargetAlias"; echo >"$C/$TP/param/TargetAlias"
mkdir "$C/$TP/luns/lun_20/stray"
t err.enotempty 1 -e "cannot remove $C/$TP/luns/lun_20: Directory not empty \\(ENOTEMPTY\\)" -- lun delete $T 20
c err.enotempty.hint 'grep -q "hint: the object still has children" "$W/err"'
rmdir "$C/$TP/luns/lun_20/stray"
KTGT_CONFIGFS_FAKE_FAIL="write:$TP/enable:EBUSY" t err.ebusy 1 -e "cannot set $C/$TP/enable to '0': Device or resource busy \\(EBUSY\\)" -- target disable $T
c err.ebusy.hint 'grep -q "hint: the object is in use or enabled" "$W/err"'
KTGT_CONFIGFS_FAKE_FAIL="write:$TP/param/MaxBurstLength:EINVAL" t err.einval 1 -e 'Invalid argument \(EINVAL\)' -- tpg set $T param.MaxBurstLength=1
c err.einval.hint 'grep -q "dmesg" "$W/err"'
KTGT_CONFIGFS_FAKE_FAIL="mkdir:targets/iqn.2024-01.com.example:k:EINVAL" t err.mkdir-einval 1 -e 'kernel rejected the name' -- target create iqn.2024-01.com.example:k
KTGT_CONFIGFS_FAKE_FAIL="rmdir:backstores/ram/disk0:EBUSY" t err.rmdir-ebusy 1 -e 'cannot remove .*disk0: Device or resource busy' -- backstore delete ram/disk0 --force
KTGT_CONFIGFS_FAKE_FAIL="write:$TP/portals/10.0.0.9:3260/transport:ENODEV" t err.transport-enodev 1 -e 'modprobe ktgt_iser' -- portal add $T 10.0.0.9 --iser
c err.transport.rollback '[ ! -e "$C/$TP/portals/10.0.0.9:3260" ]'
KTGT_CONFIGFS_FAKE_FAIL="write:backstores/ram/rb/enable:ENOMEM" t err.bs.rollback 1 -e 'ENOMEM' -- backstore create ram rb 1M
c err.bs.rollback.gone '[ ! -e "$C/backstores/ram/rb" ]'
KTGT_CONFIGFS_FAKE_FAIL="write:backstores/file/rb/path:EINVAL" t err.bs.file-rollback 1 -- backstore create file rb "$W/rb.img" 1M
c err.bs.file-rollback.gone '[ ! -e "$C/backstores/file/rb" ] && [ ! -e "$W/rb.img" ]'
KTGT_CONFIGFS_FAKE_FAIL="write:$TP/luns/lun_30/backstore:EINVAL" t err.lun.rollback 1 -- lun add $T ram/disk0 --lun 30
c err.lun.rollback.gone '[ ! -e "$C/$TP/luns/lun_30" ]'
KTGT_CONFIGFS_FAKE_FAIL="mkdir:$TP/acls/iqn.2024-01.com.example:rb/luns/lun_2:ENOMEM" t err.acl.rollback 1 -- acl add $T iqn.2024-01.com.example:rb
c err.acl.rollback.gone '[ ! -e "$C/$TP/acls/iqn.2024-01.com.example:rb" ]'
KTGT_CONFIGFS_FAKE_FAIL="mkdir:targets/iqn.2024-01.com.example:rb/tpgt_1:ENOMEM" t err.target.rollback 1 -- target create iqn.2024-01.com.example:rb
c err.target.rollback.gone '[ ! -e "$C/targets/iqn.2024-01.com.example:rb" ]'
KTGT_CONFIGFS_FAKE_FAIL="rmdir:$TP/luns/lun_2:EBUSY" t err.teardown-stops 1 -e 'lun_2: Device or resource busy' -- target delete $T
c err.teardown-stops.kept '[ -d "$C/$TP/luns/lun_2" ] && [ -d "$C/$TP" ]'

# ---- backstore delete while in use, target teardown -------------------
t bs.delete.in-use 1 -e 'in use by' -- backstore delete ram/d4k
c bs.delete.in-use.kept '[ -d "$C/backstores/ram/d4k" ]'
t bs.delete.force 0 -o 'removed .*luns/lun_5' -- backstore delete ram/d4k --force
c bs.delete.force.gone '[ ! -e "$C/backstores/ram/d4k" ] && [ ! -e "$C/$TP/luns/lun_5" ]'
# (the failed teardown above removed the ACLs already)
t bs.delete.force-unmaps.acl 0 -- acl add $T $I1 --luns none
t bs.delete.force-unmaps.lun 0 -- lun add $T file/f3 --lun 40
c bs.delete.force-unmaps.mapped '[ "$(attr $TP/acls/$I1/luns/lun_40/tpg_lun)" = 40 ]'
t bs.delete.force-unmaps 0 -- backstore delete file/f3 --force
c bs.delete.force-unmaps.gone '[ ! -e "$C/$TP/luns/lun_40" ] && [ ! -e "$C/$TP/acls/$I1/luns/lun_40" ] && [ ! -e "$C/$TP/luns/lun_3" ]'
t target.enable.full 0 -- target enable $T
t target.delete.full 0 -o "deleted target $T" -- target delete $T
c target.delete.full.gone '[ -z "$(ls "$C/targets")" ]'
t bs.delete.after 0 -- backstore delete ram/disk0
t target.ls.empty 0 -- target ls
c target.ls.empty.out '[ ! -s "$W/out" ]'

echo "cli: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
