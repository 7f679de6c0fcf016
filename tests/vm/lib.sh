# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for VM test scripts (run inside the guest by tests/vm/run):
#   . "$(dirname "$0")/../lib.sh"
#
# Environment set by the harness (defaults when sourced elsewhere):
#   KTGT_REPO     the repository (the guest sees the host's root read-only)
#   KTGT_MODDIR   where ktgt_core.ko, ktgt_tcp.ko, ktgt_iser.ko are
#                 (default $KTGT_REPO/build/$(uname -r))
#   KTGT_RESULTS  a folder whose files reach the host (/ktgt-results)
#   KTGT_KERNEL   debian|debug
#
# Conventions: exit 0 pass, 77 skip (skip), anything else fail (fail).

KTGT_REPO=${KTGT_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
KTGT_MODDIR=${KTGT_MODDIR:-$KTGT_REPO/build/$(uname -r)}
KTGT_RESULTS=${KTGT_RESULTS:-/tmp}
# shellcheck disable=SC2034 # for the scripts that source this file
KTGT_CONFIGFS=/sys/kernel/config/ktgt
LIO_CONFIGFS=/sys/kernel/config/target

# --- verdicts and messages ---------------------------------------------------

# info MSG: a progress line on stdout.
info() { echo "--- $*"; }

# fail MSG: print FAIL with the last kernel messages, exit 1.
fail() {
	echo "FAIL: $*" >&2
	dmesg 2>/dev/null | tail -n 15 | sed 's/^/  dmesg: /' >&2
	exit 1
}

# skip MSG: print SKIP, exit 77.
skip() {
	echo "SKIP: $*"
	exit 77
}

# require_cmd CMD...: skip unless every CMD is on PATH.
require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"
	done
}

# wait_for SECONDS CMD...: retry CMD every 0.2 s until it succeeds; return 1
# on timeout.
wait_for() {
	local deadline=$(( $(date +%s) + $1 ))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

# --- ktgt modules ------------------------------------------------------------

KTGT_MODULES=(ktgt_core ktgt_tcp ktgt_iser)

# ktgt_module_path NAME: the .ko for NAME in $KTGT_MODDIR (or below it).
ktgt_module_path() {
	local ko=$KTGT_MODDIR/$1.ko
	if [ ! -e "$ko" ]; then
		ko=$(find "$KTGT_MODDIR" -name "$1.ko" -print -quit 2>/dev/null)
	fi
	[ -n "$ko" ] && [ -e "$ko" ] || return 1
	echo "$ko"
}

# ktgt_module_loaded NAME
ktgt_module_loaded() { [ -d "/sys/module/$1" ]; }

# ktgt_load_modules [NAME...]: load the prerequisites with modprobe, then
# insmod our modules (default: ktgt_core ktgt_tcp ktgt_iser) in that order.
# Module parameters: KTGT_PARAMS_<name>="key=value ...".
ktgt_load_modules() {
	local mods=("$@") m ko params var
	[ ${#mods[@]} -gt 0 ] || mods=("${KTGT_MODULES[@]}")
	modprobe -a configfs libcrc32c ||
		fail "modprobe configfs libcrc32c failed"
	for m in "${mods[@]}"; do
		if [ "$m" = ktgt_iser ]; then
			modprobe -a ib_core rdma_cm ||
				fail "modprobe ib_core rdma_cm failed"
		fi
	done
	for m in "${mods[@]}"; do
		ktgt_module_loaded "$m" && continue
		ko=$(ktgt_module_path "$m") ||
			fail "$m.ko not found in $KTGT_MODDIR (run make first)"
		var=KTGT_PARAMS_$m
		params=${!var:-}
		# shellcheck disable=SC2086
		insmod "$ko" $params || fail "insmod $ko $params failed"
	done
}

# ktgt_unload_modules [NAME...]: rmmod in reverse load order those loaded.
ktgt_unload_modules() {
	local mods=("$@") i m
	[ ${#mods[@]} -gt 0 ] || mods=("${KTGT_MODULES[@]}")
	for ((i = ${#mods[@]} - 1; i >= 0; i--)); do
		m=${mods[i]}
		ktgt_module_loaded "$m" || continue
		rmmod "$m" || fail "rmmod $m failed"
	done
}

# --- open-iscsi initiator ----------------------------------------------------

# start_iscsid: start iscsid by hand (no systemd here) and wait until
# iscsiadm can talk to it.
start_iscsid() {
	require_cmd iscsid iscsiadm
	if ! pidof iscsid >/dev/null; then
		modprobe -a iscsi_tcp || fail "modprobe iscsi_tcp failed"
		iscsid || fail "iscsid did not start"
	fi
	# iscsiadm -m session: 0 with sessions, 21 without; others: no iscsid.
	wait_for 10 _iscsid_ready || fail "iscsid does not answer"
}
_iscsid_ready() {
	local rc=0
	iscsiadm -m session >/dev/null 2>&1 || rc=$?
	[ $rc = 0 ] || [ $rc = 21 ]
}

# stop_iscsid: log out of everything and stop iscsid.
stop_iscsid() {
	iscsiadm -m node --logoutall=all >/dev/null 2>&1
	iscsiadm -m node -o delete >/dev/null 2>&1
	if pidof iscsid >/dev/null; then
		iscsiadm -k 0 >/dev/null 2>&1 || kill "$(pidof iscsid)" 2>/dev/null
		wait_for 10 _iscsid_gone || true
	fi
}
_iscsid_gone() { ! pidof iscsid >/dev/null; }

# iscsi_login IQN [PORTAL [IFACE]]: discovery (SendTargets) and login.
# PORTAL defaults to 127.0.0.1 (port 3260), IFACE to default (iser: -I iser).
iscsi_login() {
	local iqn=$1 portal=${2:-127.0.0.1} iface=${3:-default}
	local ifaces=(-I default)
	[ "$iface" = default ] || ifaces+=(-I "$iface")
	iscsiadm -m discovery -t st -p "$portal" "${ifaces[@]}" >/dev/null ||
		fail "discovery on $portal failed"
	iscsiadm -m node -T "$iqn" -p "$portal" -I "$iface" --login >/dev/null ||
		fail "login to $iqn on $portal ($iface) failed"
}

# iscsi_logout [IQN]: log out of IQN, or of every session.
iscsi_logout() {
	if [ -n "${1:-}" ]; then
		iscsiadm -m node -T "$1" --logout >/dev/null
	else
		iscsiadm -m node --logoutall=all >/dev/null
	fi
}

# _iscsi_no_session [IQN]: true when no iSCSI session (to IQN) is left.
_iscsi_no_session() {
	local s
	for s in /sys/class/iscsi_session/session*; do
		[ -e "$s" ] || continue
		[ -n "${1:-}" ] || return 1
		[ "$(cat "$s/targetname" 2>/dev/null)" = "$1" ] && return 1
	done
	return 0
}

# iscsi_wait_no_session SECONDS [IQN]: wait until no session (to IQN) is
# left, e.g. after a logout; returns 1 on timeout.
iscsi_wait_no_session() {
	wait_for "$1" _iscsi_no_session "${2:-}"
}

# _iscsi_dev KIND [IQN]: KIND block|scsi_generic; print /dev/NAME of the
# first device of a session (to IQN).
_iscsi_dev() {
	local kind=$1 iqn=${2:-} s d
	for s in /sys/class/iscsi_session/session*; do
		[ -e "$s" ] || continue
		if [ -n "$iqn" ] && [ "$(cat "$s/targetname" 2>/dev/null)" != "$iqn" ]; then
			continue
		fi
		for d in "$s"/device/target*/*/"$kind"/*; do
			[ -e "$d" ] || continue
			[ -e "/dev/${d##*/}" ] || continue
			echo "/dev/${d##*/}"
			return 0
		done
	done
	return 1
}

# find_iscsi_disk [IQN [TIMEOUT]]: print /dev/sdX of an iSCSI session (to
# IQN), waiting up to TIMEOUT seconds (default 20) for the LUN scan.
find_iscsi_disk() {
	local iqn=${1:-} t=${2:-20} dev
	wait_for "$t" _iscsi_dev block "$iqn" >/dev/null || return 1
	dev=$(_iscsi_dev block "$iqn")
	echo "$dev"
}

# find_iscsi_sg [IQN [TIMEOUT]]: the same for the SCSI generic /dev/sgN.
find_iscsi_sg() {
	local iqn=${1:-} t=${2:-20}
	wait_for "$t" _iscsi_dev scsi_generic "$iqn" >/dev/null || return 1
	_iscsi_dev scsi_generic "$iqn"
}

# --- scenario tables (our scripted initiators, ktgt beside LIO) -------------
# Bash builtins only: a process costs about 0.15 s in a TCG guest, and a
# sed per cell made a table take 20 s.

# listed WORD LIST...: whether WORD is one of LIST
listed() {
	local w=$1 x
	shift
	for x; do [ "$x" = "$w" ] && return 0; done
	return 1
}

# scenario_verdicts PREFIX SCENARIO...: the first "SCENARIO PASS|FAIL
# detail" line of each scenario in $KTGT_RESULTS/PREFIX-ktgt.log and
# PREFIX-lio.log: VERDICT[target/scenario] (global), and those lines in
# LINES ("target: line").
scenario_verdicts() {
	local prefix=$1 t line s v
	shift
	declare -gA VERDICT=()
	LINES=()
	for t in ktgt lio; do
		while IFS= read -r line; do
			s=${line%% *}
			v=${line#"$s" }
			v=${v%% *}
			case $v in PASS | FAIL) ;; *) continue ;; esac
			listed "$s" "$@" || continue
			[ -n "${VERDICT[$t/$s]:-}" ] && continue
			VERDICT[$t/$s]=$v
			LINES+=("$t: $line")
		done <"$KTGT_RESULTS/$prefix-$t.log"
	done
}

# scenario_verdict NAME SCENARIO: REPLY is PASS, FAIL, "-" (LIO not run
# on this lane: LIO_RUN=0), n/a (in KTGT_ONLY), skip (in LIO_SKIP), or
# "none" (no line: the client died). Globals of the caller: LIO_RUN,
# KTGT_ONLY, LIO_SKIP and scenario_verdicts' VERDICT.
scenario_verdict() {
	if [ "$1" = lio ] && [ "${LIO_RUN:-1}" = 0 ]; then
		REPLY=-
	elif [ "$1" = lio ] && listed "$2" "${KTGT_ONLY[@]}"; then
		REPLY=n/a
	elif [ "$1" = lio ] && listed "$2" "${LIO_SKIP[@]}"; then
		REPLY=skip
	else
		REPLY=${VERDICT[$1/$2]:-none}
	fi
}

# scenario_rows WIDTH SCENARIO...: the table "scenario ktgt LIO", one
# row each (a scenario in PENDING_SCENARIOS says so).
scenario_rows() {
	local w=$1 s k
	shift
	printf '%-*s %-6s %-6s\n' "$w" scenario ktgt LIO
	for s; do
		scenario_verdict ktgt "$s"
		k=$REPLY
		scenario_verdict lio "$s"
		if listed "$s" "${PENDING_SCENARIOS[@]}"; then
			printf '%-*s %-6s %-6s %s\n' "$w" "$s" "$k" "$REPLY" \
				"(pending: target side not built yet)"
		else
			printf '%-*s %-6s %-6s\n' "$w" "$s" "$k" "$REPLY"
		fi
	done
}

# ktgt_must_pass WHAT SCENARIO...: fails the test unless ktgt passed
# every one.
ktgt_must_pass() {
	local what=$1 s bad=
	shift
	for s; do
		scenario_verdict ktgt "$s"
		[ "$REPLY" = PASS ] || bad="$bad $s"
	done
	[ -z "$bad" ] || fail "ktgt $what scenarios not passing:$bad"
}

# lio_scenarios SCENARIO...: LIO_SCENARIOS, those not in LIO_SKIP or
# KTGT_ONLY.
lio_scenarios() {
	local s
	LIO_SCENARIOS=()
	for s; do
		listed "$s" "${LIO_SKIP[@]}" "${KTGT_ONLY[@]}" ||
			LIO_SCENARIOS+=("$s")
	done
}

# --- LIO, for side-by-side runs ------------------------------------------------

# lio_setup_fileio IQN [SIZE_MB [PORTAL [NAME]]]: an open LIO iSCSI target
# (no ACLs, no authentication, writable) with one fileio LUN backed by a
# sparse file in /tmp.  PORTAL defaults to 127.0.0.1:3260; give another
# port when ktgt listens there too.
lio_setup_fileio() {
	local iqn=$1 size=${2:-64} portal=${3:-127.0.0.1:3260} name=${4:-lio0}
	local c=$LIO_CONFIGFS file=/tmp/lio-$name.img bs tpg
	[[ $portal == *:* ]] || portal=$portal:3260
	mkdir -p /etc/target/pr
	modprobe -a target_core_mod target_core_file iscsi_target_mod ||
		fail "modprobe LIO modules failed"
	[ -d "$c" ] || fail "$c missing (configfs not mounted?)"
	truncate -s "${size}M" "$file" || fail "cannot create $file"

	bs=$c/core/fileio_0/$name
	mkdir -p "$bs" || fail "mkdir $bs"
	echo "fd_dev_name=$file,fd_dev_size=$((size * 1024 * 1024))" \
		>"$bs/control" || fail "fileio control"
	echo 1 >"$bs/enable" || fail "fileio enable"

	tpg=$c/iscsi/$iqn/tpgt_1
	mkdir -p "$tpg/lun/lun_0" || fail "mkdir $tpg"
	ln -s "$bs" "$tpg/lun/lun_0/$name" || fail "LUN link"
	mkdir "$tpg/np/$portal" || fail "portal $portal"
	echo 1 >"$tpg/attrib/generate_node_acls"
	echo 1 >"$tpg/attrib/cache_dynamic_acls"
	echo 0 >"$tpg/attrib/authentication"
	echo 0 >"$tpg/attrib/demo_mode_write_protect"
	echo 1 >"$tpg/enable" || fail "enable $tpg"
}

# lio_teardown: remove every LIO iSCSI target and backstore (and the backing
# files lio_setup_fileio created), then unload LIO's iSCSI module.
lio_teardown() {
	local c=$LIO_CONFIGFS t tpg l link d
	[ -d "$c" ] || return 0
	for t in "$c"/iscsi/iqn.* "$c"/iscsi/eui.* "$c"/iscsi/naa.*; do
		[ -d "$t" ] || continue
		for tpg in "$t"/tpgt_*; do
			[ -d "$tpg" ] || continue
			echo 0 >"$tpg/enable" 2>/dev/null
			for l in "$tpg"/acls/*/lun_*; do
				[ -d "$l" ] || continue
				for link in "$l"/*; do
					[ -L "$link" ] && rm -f "$link"
				done
				rmdir "$l"
			done
			for d in "$tpg"/acls/*; do
				[ -d "$d" ] && rmdir "$d"
			done
			for l in "$tpg"/lun/lun_*; do
				[ -d "$l" ] || continue
				for link in "$l"/*; do
					[ -L "$link" ] && rm -f "$link"
				done
				rmdir "$l"
			done
			for d in "$tpg"/np/*; do
				[ -d "$d" ] && rmdir "$d"
			done
			rmdir "$tpg"
		done
		rmdir "$t" || fail "cannot remove LIO target $t"
	done
	for d in "$c"/core/*_*/*; do
		[ -d "$d" ] && [ "${d##*/}" != alua ] && rmdir "$d"
	done
	for d in "$c"/core/*_*; do
		[ -d "$d" ] && rmdir "$d"
	done
	rm -f /tmp/lio-*.img
	[ -d "$c/iscsi" ] && rmdir "$c/iscsi" 2>/dev/null
	modprobe -r iscsi_target_mod target_core_file 2>/dev/null
	return 0
}
