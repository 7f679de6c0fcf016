# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Guest-side helpers for the benchmarks (sourced by guest-tcp.sh and
# guest-iser.sh, which tests/bench/run starts in a tests/vm guest).
#
# One initiator (open-iscsi) logs in to ktgt and to LIO in the same guest;
# both export a memory-backed LU of the same size. Every fio job runs on
# both raw block devices in the order ktgt, LIO, LIO, ktgt (each half for
# BENCH_SECONDS/2), so slow drift of the host (other jobs on it) hits both
# targets alike. Around every run the guest's /proc/stat is sampled after
# the ramp: the target's work is kernel time (softirq, workqueues), so the
# whole guest's busy time is the honest CPU figure (the initiator and fio
# are the same for both targets).
#
# Environment:
#   BENCH_SECONDS   seconds per fio job and target (default 20)
#   BENCH_RAMP      fio ramp_time per run (default 2)
#   BENCH_SIZE_MB   size of each LU (default 1024)
#   BENCH_JOBS      space-separated job names to run (default all)
#   BENCH_PROFILE   1: afterwards, perf record -a during each job of
#                   BENCH_PROFILE_JOBS (default: 4k randread and randwrite
#                   QD32) on each target, reports saved in runs/
#   BENCH_KTGT_SET  "GROUP.NAME=VALUE ..." for ktgtcli tpg set (default
#                   none: ktgt's defaults, as LIO runs with its own)

# shellcheck source=../vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../vm/lib.sh"

BENCH_SECONDS=${BENCH_SECONDS:-20}
BENCH_RAMP=${BENCH_RAMP:-2}
BENCH_SIZE_MB=${BENCH_SIZE_MB:-1024}
BENCH_PROFILE=${BENCH_PROFILE:-0}
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KTGT_IQN=iqn.2026-11.org.example:bench-ktgt
LIO_IQN=iqn.2026-11.org.example:bench-lio

# name rw bs iodepth
BENCH_ALL_JOBS=(
	"randread-4k-qd1 randread 4k 1"
	"randread-4k-qd32 randread 4k 32"
	"randwrite-4k-qd1 randwrite 4k 1"
	"randwrite-4k-qd32 randwrite 4k 32"
	"read-1m-qd8 read 1m 8"
	"write-1m-qd8 write 1m 8"
)

bench_out() { mkdir -p "$KTGT_RESULTS/runs"; echo "$KTGT_RESULTS/runs"; }

# ktgt_setup_ram PORTAL [--iser]: a ram backstore of BENCH_SIZE_MB behind
# KTGT_IQN, ACL for this guest's initiator.
ktgt_setup_ram() {
	local portal=$1 ini
	shift
	ini=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi)
	ktgtcli -q backstore create ram bench0 "${BENCH_SIZE_MB}M" ||
		fail "ktgt ram backstore"
	ktgtcli -q target create "$KTGT_IQN" || fail "ktgt target create"
	ktgtcli -q portal add "$KTGT_IQN" "$portal" "$@" ||
		return 1
	ktgtcli -q lun add "$KTGT_IQN" ram/bench0 || fail "ktgt lun add"
	ktgtcli -q acl add "$KTGT_IQN" "$ini" || fail "ktgt acl add"
	if [ -n "${BENCH_KTGT_SET:-}" ]; then
		# shellcheck disable=SC2086
		ktgtcli -q tpg set "$KTGT_IQN" $BENCH_KTGT_SET ||
			fail "ktgtcli tpg set $BENCH_KTGT_SET"
	fi
	ktgtcli -q target enable "$KTGT_IQN" || fail "ktgt target enable"
}

ktgt_teardown() {
	ktgtcli -q target delete "$KTGT_IQN" 2>/dev/null
	ktgtcli -q backstore delete ram/bench0 2>/dev/null
	return 0
}

# lio_setup_rd PORTAL [iser]: an open LIO target (generate_node_acls, no
# auth, writable) with an rd_mcp ramdisk of BENCH_SIZE_MB (pages allocated
# at enable, like ktgt's ram backstore; rd_nullio off: data is copied).
lio_setup_rd() {
	local portal=$1 iser=${2:-} c=$LIO_CONFIGFS bs tpg
	mkdir -p /etc/target/pr
	modprobe -a target_core_mod iscsi_target_mod ||
		fail "modprobe LIO modules failed"
	[ -d "$c" ] || fail "$c missing (configfs not mounted?)"
	bs=$c/core/rd_mcp_0/bench0
	mkdir -p "$bs" || fail "mkdir $bs"
	echo "rd_pages=$((BENCH_SIZE_MB * 256))" >"$bs/control" ||
		fail "rd_mcp control"
	echo 1 >"$bs/enable" || fail "rd_mcp enable"
	tpg=$c/iscsi/$LIO_IQN/tpgt_1
	mkdir -p "$tpg/lun/lun_0" || fail "mkdir $tpg"
	ln -s "$bs" "$tpg/lun/lun_0/bench0" || fail "LIO LUN link"
	mkdir "$tpg/np/$portal" || fail "LIO portal $portal"
	if [ "$iser" = iser ]; then
		modprobe ib_isert || return 1
		echo 1 >"$tpg/np/$portal/iser" || return 1
	fi
	echo 1 >"$tpg/attrib/generate_node_acls"
	echo 1 >"$tpg/attrib/cache_dynamic_acls"
	echo 0 >"$tpg/attrib/authentication"
	echo 0 >"$tpg/attrib/demo_mode_write_protect"
	echo 1 >"$tpg/enable" || fail "enable $tpg"
}

# bench_login IQN PORTAL [IFACE]: log in and print the disk; none is tuned
# beyond the defaults except the I/O scheduler (none, for both).
bench_login() {
	local iqn=$1 portal=$2 iface=${3:-default} dev
	if [ "$iface" = default ]; then
		iscsiadm -m discovery -t st -p "$portal" >/dev/null || return 1
	else
		iscsiadm -m node -o new -T "$iqn" -p "$portal" -I "$iface" \
			>/dev/null || return 1
	fi
	iscsiadm -m node -T "$iqn" -p "$portal" -I "$iface" --login \
		>/dev/null || return 1
	dev=$(find_iscsi_disk "$iqn" 30) && [ -b "$dev" ] || return 1
	echo none >"/sys/block/${dev#/dev/}/queue/scheduler" 2>/dev/null
	echo "$dev"
}

# bench_params DEV: the negotiated session of DEV, for the record.
bench_session_info() {
	iscsiadm -m session -P 2 2>/dev/null |
		grep -E 'Target:|Current Portal|MaxRecvDataSegmentLength|MaxXmitDataSegmentLength|FirstBurstLength|MaxBurstLength|ImmediateData|InitialR2T|HeaderDigest|DataDigest|Iface Transport'
}

_stat_line() { head -n 1 /proc/stat; }

# bench_fio TARGET DEV JOB RW BS QD SECONDS SEQ: one fio run, its JSON and
# the /proc/stat samples (after the ramp) into runs/.
bench_fio() {
	local target=$1 dev=$2 job=$3 rw=$4 bs=$5 qd=$6 secs=$7 seq=$8
	local out base win start sampler
	out=$(bench_out)
	base=$out/$job.$target.$seq
	win=$(awk -v s="$secs" 'BEGIN { w = s - 1.5; if (w < 1) w = s * 0.6; print w }')
	start=$(awk -v r="$BENCH_RAMP" 'BEGIN { print r + 1 }')
	(
		sleep "$start"
		{ date +%s.%N; _stat_line; } >"$base.stat0"
		sleep "$win"
		{ date +%s.%N; _stat_line; } >"$base.stat1"
	) &
	sampler=$!
	fio --name="$job" --filename="$dev" --ioengine=libaio --direct=1 \
		--rw="$rw" --bs="$bs" --iodepth="$qd" --numjobs=1 \
		--time_based --runtime="$secs" --ramp_time="$BENCH_RAMP" \
		--norandommap --randrepeat=0 --group_reporting \
		--output-format=json --output="$base.fio.json" ||
		{ kill "$sampler" 2>/dev/null; return 1; }
	wait "$sampler"
	[ -s "$base.stat1" ] || return 1
	jq -r --arg t "$target" --arg s "$seq" '.jobs[0] |
		"    \($t) #\($s): \((.read.iops + .write.iops) | floor) IOPS, \(((.read.bw_bytes + .write.bw_bytes) / 1048576 * 10 | floor) / 10) MiB/s"' \
		"$base.fio.json" 2>/dev/null
}

# bench_profile TARGET DEV JOB RW BS QD SECONDS: fio while perf samples
# every CPU (cpu-clock: TCG has no PMU); the report goes to runs/.
bench_profile() {
	local target=$1 dev=$2 job=$3 rw=$4 bs=$5 qd=$6 secs=$7
	local out data rep
	command -v perf >/dev/null || { info "no perf: profile skipped"; return 0; }
	out=$(bench_out)
	data=/tmp/perf-$target-$job.data
	rep=$out/profile.$job.$target.txt
	fio --name="$job" --filename="$dev" --ioengine=libaio --direct=1 \
		--rw="$rw" --bs="$bs" --iodepth="$qd" --numjobs=1 \
		--time_based --runtime=$((secs + 2)) \
		--norandommap --randrepeat=0 --output=/dev/null &
	local fpid=$!
	sleep 1
	perf record -q -a -g -e cpu-clock -F 499 -o "$data" -- sleep "$secs" \
		>/dev/null 2>&1 || info "perf record failed for $target"
	wait "$fpid"
	[ -s "$data" ] || return 0
	{
		echo "# $target $job: perf record -a -g -e cpu-clock, $secs s"
		echo "## flat (self), by symbol"
		perf report -i "$data" --no-children --sort sym --stdio -g none \
			--percent-limit 0.4 2>/dev/null | grep -v '^$'
		echo "## flat (self), by module"
		perf report -i "$data" --no-children --sort dso --stdio -g none \
			--percent-limit 0.2 2>/dev/null | grep -v '^$'
		echo "## inclusive (children), by symbol"
		perf report -i "$data" --children --sort sym --stdio -g none \
			--percent-limit 2 2>/dev/null | grep -v '^$'
	} >"$rep"
	rm -f "$data"
	info "profile: $rep"
}

# bench_all TRANSPORT KTGT_DEV LIO_DEV: every job, ABBA; then aggregate.
# LIO_DEV may be empty (ktgt only).
bench_all() {
	local transport=$1 kdev=$2 ldev=$3 spec job rw bs qd half order t i
	half=$(awk -v s="$BENCH_SECONDS" 'BEGIN { printf "%g", s / 2 }')
	if [ -n "$ldev" ]; then order=(ktgt lio lio ktgt); else order=(ktgt ktgt); fi
	for spec in "${BENCH_ALL_JOBS[@]}"; do
		read -r job rw bs qd <<<"$spec"
		if [ -n "${BENCH_JOBS:-}" ] && ! [[ " $BENCH_JOBS " == *" $job "* ]]; then
			continue
		fi
		info "$transport $job (${half}s x ${#order[@]}: ${order[*]})"
		i=0
		for t in "${order[@]}"; do
			i=$((i + 1))
			if [ "$t" = ktgt ]; then
				bench_fio ktgt "$kdev" "$job" "$rw" "$bs" "$qd" "$half" "$i" ||
					fail "fio $job on ktgt failed"
			else
				bench_fio lio "$ldev" "$job" "$rw" "$bs" "$qd" "$half" "$i" ||
					fail "fio $job on LIO failed"
			fi
		done
	done
	python3 "$BENCH_DIR/aggregate.py" "$transport" "$(bench_out)" \
		"$BENCH_SECONDS" >"$KTGT_RESULTS/bench-$transport.json" ||
		fail "aggregate failed"
	if [ "$BENCH_PROFILE" = 1 ]; then
		for spec in "${BENCH_ALL_JOBS[@]}"; do
			read -r job rw bs qd <<<"$spec"
			[[ " ${BENCH_PROFILE_JOBS:-randread-4k-qd32 randwrite-4k-qd32} " == *" $job "* ]] ||
				continue
			bench_profile ktgt "$kdev" "$job" "$rw" "$bs" "$qd" 10
			[ -n "$ldev" ] &&
				bench_profile lio "$ldev" "$job" "$rw" "$bs" "$qd" 10
		done
	fi
	return 0
}

# bench_record_env TRANSPORT: what ran, for the record.
bench_record_env() {
	{
		echo "transport=$1"
		echo "kernel=$(uname -r)"
		echo "cpus=$(nproc)"
		echo "mem_kb=$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)"
		echo "bench_seconds=$BENCH_SECONDS ramp=$BENCH_RAMP size_mb=$BENCH_SIZE_MB"
		echo "ktgt_set=${BENCH_KTGT_SET:-}"
		echo "fio=$(fio --version)"
		echo "user_hz=$(getconf CLK_TCK)"
		bench_session_info
	} >"$KTGT_RESULTS/bench-$1.env"
}
