#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Per-peer resource bounds over TCP (issue 8). Hostile-but-legal peers on
# loopback (tests/vm/iscsi-load) against the target's caps, with the
# guest's memory sampled before each scenario, at its peak and after it:
#   a) 1000 connects from one source, no login: prelogin_max_per_source,
#      login_timeout; meanwhile a login from another source and an
#      open-iscsi round trip work
#   b) 300 connects from 20 sources sending only their first Login PDU:
#      prelogin_max_per_portal, login_timeout
#   c) 49 READ(16) of 16 MiB never read: session_data_mb
#   d) 48 WRITE(16) of 16 MiB without Data-Out: session_data_mb (TASK SET
#      FULL), cmdsn_depth (MaxCmdSN), dataout_timeout
#   e) 8205 NOP-Out pings of 64 KiB, echoes never read: tx_backlog_kb
#   f) 96 Text Requests of 220 KiB (answers of 63 KiB) with
#      MaxRecvDataSegmentLength=16777215 declared, never read: response
#      buffers bounded
#   g) 100 idle sessions: memory per session, window at login
#   h) 3000 NOP-Out pings whose ExpStatSN acknowledges every echo:
#      the response queue stays small (status_retain_max)
#   i) 3000 NOP-Out pings with ExpStatSN never advanced: the response
#      queue stops at status_retain_max, the oldest dropped and counted
#   j) READs never read fill the target's socket, two 16 MiB WRITEs wait
#      behind them with their R2Ts unsent: ABORT TASK frees their buffers
#      at once (the transport's abort_cmd)
# and the open-iscsi connection's response queue after its I/O.
# open-iscsi, logged in from 127.0.0.1 to the same target, writes and reads
# back 4 MiB after every scenario. Every assert runs and is reported; any
# failure fails the test, and a cap whose attribute is missing is a
# failure, never a skip. Figures: $KTGT_RESULTS/resources.txt.
# KTGT_RESOURCES_ONLY="a d" runs only those scenarios (while working on
# one).
# ktgt-lanes: debian debug
. "$(dirname "$0")/../lib.sh"

IQN=iqn.2026-11.org.example:resources
LOADINI=iqn.2026-11.org.example:load
CLI=$KTGT_REPO/tools/ktgtcli
LOAD=$KTGT_REPO/tests/vm/iscsi-load
P=127.0.0.1
TPG=$KTGT_CONFIGFS/targets/$IQN/tpgt_1
R=/tmp/resources
FIG=$R/figures
OUT=$KTGT_RESULTS/resources.txt
require_cmd iscsiadm python3 cmp dd

# The caps as this test sets them (smaller than the defaults: faster).
LOGIN_TIMEOUT=5
PER_SOURCE=16
PER_PORTAL=64
CMDSN_DEPTH=64
SESSION_DATA_MB=64
DATAOUT_TIMEOUT=5
TX_BACKLOG_KB=1024
STATUS_RETAIN=512
STATQ_PINGS=3000
RESPQ=/sys/kernel/debug/ktgt/respq
# Margin on the timers, and the slacks of the memory bounds (KiB). On the debug kernel, KASAN's
# quarantine keeps freed objects (up to 1/32 of memory) counted as used:
# 16 MiB more on every bound there.
MARGIN=10
QUARANTINE_KB=0
[ "${KTGT_KERNEL:-debian}" = debug ] && QUARANTINE_KB=16384
# "Back to the baseline": within 8 MiB.
BACK_KB=$((8192 + QUARANTINE_KB))
# a), b): 1000 client sockets, small pre-login buffers
PRELOGIN_KB=$((16384 + QUARANTINE_KB))
# c), d) over session_data_mb: socket buffers, PDUs
DATA_SLACK_KB=$((16384 + QUARANTINE_KB))
# e), f): the target's receive and send buffers at their maximum, and 4 MiB
# for ours (256 KiB send, 4 KiB receive) and the PDUs in flight.
rmem=$(awk '{print $3}' /proc/sys/net/ipv4/tcp_rmem)
wmem=$(awk '{print $3}' /proc/sys/net/ipv4/tcp_wmem)
SOCK_SLACK_KB=$(( (rmem + wmem) / 1024 + 4096 + QUARANTINE_KB ))

# --- asserts and figures -------------------------------------------------------

NPASS=0
FAILED=()
check() {	# check NAME DETAIL CMD...: a PASS or FAIL of CMD, recorded
	if "${@:3}"; then
		echo "  ok   $1: $2"
		NPASS=$((NPASS + 1))
	else
		echo "  FAIL $1: $2"
		FAILED+=("$1: $2")
	fi
}
num() { [[ $1 =~ ^-?[0-9]+$ ]]; }
le() { num "$1" && [ "$1" -le "$2" ]; }
ge() { num "$1" && [ "$1" -ge "$2" ]; }
eq() { [ "$1" != "?" ] && [ "$1" = "$2" ]; }
# The figures of iscsi-load, V[NAME.KEY] (no command per look-up: a
# process costs a lot under TCG).
declare -A V
ran() { [ "${V[$1.done]:-}" = 1 ]; }
mib() {	# mib VAR KIB: KiB as MiB with one decimal into VAR
	local k=$2 sign=
	if ! num "$k"; then
		printf -v "$1" '%s' "$k"
		return
	fi
	[ "$k" -lt 0 ] && sign=- k=$((-k))
	printf -v "$1" '%s%d.%d' "$sign" $((k / 1024)) $((k % 1024 * 10 / 1024))
}
stamp() {	# stamp MSG: a progress line with the uptime
	local up _
	read -r up _ </proc/uptime
	echo "--- [$up s] $*"
}

# --- the caps: written where the attribute exists ----------------------------

cap_root() {	# cap_root NAME VALUE
	if [ -e "$KTGT_CONFIGFS/$1" ]; then
		echo "$2" >"$KTGT_CONFIGFS/$1" || fail "cannot set $1=$2"
		check "cap $1" "root attribute set to $2" true
	else
		info "root attribute $1 missing: not set"
		check "cap $1" "root attribute $1 exists" false
	fi
}
cap_tpg() {	# cap_tpg NAME VALUE
	if [ -e "$TPG/attrib/$1" ]; then
		$CLI -q tpg set $IQN "attrib.$1=$2" || fail "tpg set attrib.$1=$2"
		check "cap $1" "TPG attribute set to $2" true
	else
		info "TPG attribute $1 missing: not set"
		check "cap $1" "TPG attribute $1 exists" false
	fi
}

# --- set-up ----------------------------------------------------------------------

stamp "set-up"
mkdir -p $R
ip link set lo up
ktgt_load_modules ktgt_core ktgt_tcp
start_iscsid
INI=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi)
$CLI -q backstore create ram disk0 64M || fail "backstore"
$CLI -q target create $IQN || fail "target"
$CLI -q portal add $IQN $P:3260 || fail "portal"
$CLI -q lun add $IQN ram/disk0 || fail "lun"
$CLI -q acl add $IQN "$INI" || fail "acl $INI"
$CLI -q acl add $IQN $LOADINI || fail "acl $LOADINI"
# No keepalive pings: a drop must come from the cap under test.
$CLI -q tpg set $IQN attrib.nopin_interval=0 || fail "nopin_interval"
echo "--- caps"
cap_root login_timeout $LOGIN_TIMEOUT
cap_root prelogin_max_per_source $PER_SOURCE
cap_root prelogin_max_per_portal $PER_PORTAL
cap_tpg cmdsn_depth $CMDSN_DEPTH
cap_tpg session_data_mb $SESSION_DATA_MB
cap_tpg dataout_timeout $DATAOUT_TIMEOUT
cap_tpg tx_backlog_kb $TX_BACKLOG_KB
if [ -e "$TPG/attrib/status_retain_max" ]; then
	v=$(<"$TPG/attrib/status_retain_max")
	check "status_retain_max default" "$v, want 256" eq "$v" 256
	for bad in 0 16385 x; do
		if echo $bad >"$TPG/attrib/status_retain_max" 2>/dev/null; then
			check "status_retain_max $bad" "accepted, want refused" false
		else
			check "status_retain_max $bad" "refused" true
		fi
	done
fi
cap_tpg status_retain_max $STATUS_RETAIN
$CLI -q target enable $IQN || fail "enable"

stamp "open-iscsi login"
iscsi_login $IQN $P
DEV=$(find_iscsi_disk $IQN) || fail "no disk for open-iscsi"
info "open-iscsi disk $DEV"
# The open-iscsi round trip: 4 MiB of new data (the next quarter of a
# random file) written, read back, compared; few programs, as each one is
# read again over 9p after iscsi-load has dropped the caches.
dd if=/dev/urandom of=$R/random bs=1M count=16 status=none || fail "random"
cat >$R/roundtrip <<EOF
#!/bin/bash
read -r t0 _ </proc/uptime
n=\$(( \$(<$R/round) + 1 ))
echo \$n >$R/round
q=\$(( n % 4 * 4 ))
dd if=$R/random of=$DEV bs=1M skip=\$q seek=32 count=4 oflag=direct conv=fsync status=none &&
dd if=$DEV of=$R/readback bs=1M skip=32 count=4 iflag=direct status=none &&
cmp -s -n 4M -i \$(( q << 20 )):0 $R/random $R/readback || exit 1
read -r t1 _ </proc/uptime
echo "# open-iscsi round trip \$n: ok, \$t0-\$t1 s" >&2
EOF
echo 0 >$R/round
chmod +x $R/roundtrip
check "open-iscsi at start" "4 MiB written and read back" $R/roundtrip

# --- the scenarios, in one run of iscsi-load --------------------------------------

ALL=(
	"flood:name=a,count=1000,source=127.0.0.2,probe=127.0.0.1,during=$R/roundtrip,wait=$((LOGIN_TIMEOUT + MARGIN))"
	"prelogin:name=b,count=300,sources=10-29,wait=$((LOGIN_TIMEOUT + MARGIN))"
	"read:name=c,count=49,mib=16"
	"write:name=d,count=48,mib=16,wait=$((DATAOUT_TIMEOUT + MARGIN))"
	"nop:name=e,count=8205,kib=64,budget=30"
	"text:name=f,count=96,keys=1850,budget=30"
	"sessions:name=g,count=100"
	"statq:name=h,count=$STATQ_PINGS,advance=1,respq=$RESPQ"
	"statq:name=i,count=$STATQ_PINGS,advance=0,respq=$RESPQ"
	"abort:name=j,reads=1,writes=2,mib=16"
)
RUN=()
for s in "${ALL[@]}"; do
	l=${s#*name=}
	l=${l%%,*}
	[ -z "${KTGT_RESOURCES_ONLY:-}" ] ||
		[[ " $KTGT_RESOURCES_ONLY " == *" $l "* ]] || continue
	RUN+=("$s")
done
T0=$SECONDS
stamp "iscsi-load ${RUN[*]}"
python3 "$LOAD" --between $R/roundtrip --back $BACK_KB \
	$P 3260 $LOADINI $IQN "${RUN[@]}" >$FIG ||
	check "iscsi-load" "exit status" false
T1=$SECONDS
cat $FIG
while IFS='=' read -r k v; do V[$k]=$v; done <$FIG
stamp "asserts"

for s in "${RUN[@]}"; do
	l=${s#*name=}
	l=${l%%,*}
	if ! ran "$l"; then
		check "$l ran" "iscsi-load did not finish it: ${V[$l.error]:-?}" false
		continue
	fi
	check "open-iscsi after $l" "round trip exit ${V[$l.between_rc]:-?}" \
		eq "${V[$l.between_rc]:-?}" 0
	check "$l after" "${V[$l.after_avail]:-?} KiB over the baseline <= $BACK_KB" \
		le "${V[$l.after_avail]:-?}" $BACK_KB
done

echo "--- a) 1000 connects from 127.0.0.2, no login"
if ran a; then
	check "a open" "${V[a.open]:-?} kept open, want <= prelogin_max_per_source $PER_SOURCE" \
		le "${V[a.open]:-?}" $PER_SOURCE
	check "a closed" "${V[a.open_after_wait]:-?} still open ${V[a.waited_s]:-?} s after the last connect, want 0 (login_timeout $LOGIN_TIMEOUT + $MARGIN)" \
		eq "${V[a.open_after_wait]:-?}" 0
	check "a peak" "growth ${V[a.peak_avail]:-?} KiB, want <= $PRELOGIN_KB" \
		le "${V[a.peak_avail]:-?}" $PRELOGIN_KB
	check "a other source" "a login from 127.0.0.1 during the flood: ${V[a.probe_login]:-?}" \
		eq "${V[a.probe_login]:-?}" ok
	check "a open-iscsi" "round trip during the flood: exit ${V[a.during_rc]:-?}" \
		eq "${V[a.during_rc]:-?}" 0
fi

echo "--- b) 300 connects from 127.0.0.10-29, first Login PDU only"
if ran b; then
	check "b open" "at most ${V[b.max_open]:-?} open at once, want <= prelogin_max_per_portal $PER_PORTAL" \
		le "${V[b.max_open]:-?}" $PER_PORTAL
	check "b closed" "${V[b.open_after_wait]:-?} still open ${V[b.waited_s]:-?} s after the last connect, want 0 (login_timeout $LOGIN_TIMEOUT + $MARGIN)" \
		eq "${V[b.open_after_wait]:-?}" 0
	check "b peak" "growth ${V[b.peak_avail]:-?} KiB, want <= $PRELOGIN_KB" \
		le "${V[b.peak_avail]:-?}" $PRELOGIN_KB
fi

DATA_KB=$((SESSION_DATA_MB * 1024 + DATA_SLACK_KB))
echo "--- c) 49 READ(16) of 16 MiB, never read"
if ran c; then
	check "c peak" "growth ${V[c.peak_avail]:-?} KiB with ${V[c.sent]:-?} READs sent, want <= session_data_mb $SESSION_DATA_MB MiB + $((DATA_SLACK_KB / 1024)) MiB" \
		le "${V[c.peak_avail]:-?}" $DATA_KB
fi

echo "--- d) 48 WRITE(16) of 16 MiB, no Data-Out"
if ran d; then
	sent=${V[d.sent]:-?} r2t=${V[d.r2t]:-?} tsf=${V[d.task_set_full]:-?}
	out=${V[d.outstanding]:-?} win=${V[d.window_now]:-?}
	check "d peak" "growth ${V[d.peak_avail]:-?} KiB, want <= session_data_mb $SESSION_DATA_MB MiB + $((DATA_SLACK_KB / 1024)) MiB" \
		le "${V[d.peak_avail]:-?}" $DATA_KB
	num "$r2t" && r2t_mb=$((r2t * 16)) || r2t_mb='?'
	check "d buffers" "$r2t of $sent WRITEs got an R2T (a buffer): $r2t_mb MiB, want <= $SESSION_DATA_MB" \
		le "$r2t_mb" $SESSION_DATA_MB
	num "$tsf" && num "$r2t" && sum=$((tsf + r2t)) || sum='?'
	check "d task set full" "$tsf TASK SET FULL + $r2t R2T, want $sent" \
		eq "$sum" "$sent"
	check "d maxcmdsn" "MaxCmdSN decreased ${V[d.maxcmdsn_decreased]:-?} times" \
		eq "${V[d.maxcmdsn_decreased]:-?}" 0
	# The ping that fetched the window may count as a task itself.
	want='?'
	num "$out" && want=$((CMDSN_DEPTH - out))
	win_ok() { eq "$win" "$want" || { num "$want" && eq "$win" $((want - 1)); }; }
	check "d window" "MaxCmdSN - ExpCmdSN + 1 = $win with $out outstanding, want cmdsn_depth $CMDSN_DEPTH - $out = $want (or one less)" \
		win_ok
	d=${V[d.dropped_after_s]:-?}
	check "d dropped" "dropped $d s after the WRITEs, want <= dataout_timeout $DATAOUT_TIMEOUT + $MARGIN" \
		le "${d%.*}" $((DATAOUT_TIMEOUT + MARGIN))
fi

echo "--- e) 8205 NOP-Out of 64 KiB, echoes never read"
if ran e; then
	e=$((TX_BACKLOG_KB + SOCK_SLACK_KB))
	check "e peak" "growth ${V[e.peak_avail]:-?} KiB after ${V[e.sent]:-?} pings, want <= tx_backlog_kb $TX_BACKLOG_KB + sockets $SOCK_SLACK_KB" \
		le "${V[e.peak_avail]:-?}" $e
	check "e stops reading" "a send blocked: ${V[e.send_blocked]:-?}, after ${V[e.sent]:-?} of 8205" \
		eq "${V[e.send_blocked]:-?}" 1
fi

echo "--- f) 96 Text Requests of 220 KiB (63 KiB answers), MaxRecvDataSegmentLength=16777215, never read"
if ran f; then
	e=$((TX_BACKLOG_KB + 64 + SOCK_SLACK_KB))
	check "f peak" "growth ${V[f.peak_avail]:-?} KiB after ${V[f.sent]:-?} requests, want <= tx_backlog_kb $TX_BACKLOG_KB + 64 KiB + sockets $SOCK_SLACK_KB" \
		le "${V[f.peak_avail]:-?}" $e
fi

echo "--- g) 100 idle sessions"
if ran g; then
	check "g logins" "${V[g.logged_in]:-?} of 100 logged in" eq "${V[g.logged_in]:-?}" 100
	check "g window" "MaxCmdSN - ExpCmdSN + 1 at login: ${V[g.window]:-?}, want cmdsn_depth $CMDSN_DEPTH" \
		eq "${V[g.window]:-?}" $CMDSN_DEPTH
	check "g logouts" "${V[g.logout_failed]:-?} logouts failed" eq "${V[g.logout_failed]:-?}" 0
fi

echo "--- h) $STATQ_PINGS NOP-Out pings, ExpStatSN acknowledging every echo"
if ran h; then
	check "h retained" "${V[h.retained]:-?} responses kept after ${V[h.sent]:-?} echoes (${V[h.bytes]:-?} bytes), want <= 2" \
		le "${V[h.retained]:-?}" 2
	check "h dropped" "${V[h.dropped]:-?} dropped, want 0" eq "${V[h.dropped]:-?}" 0
fi

echo "--- i) $STATQ_PINGS NOP-Out pings, ExpStatSN never advanced"
if ran i; then
	check "i retained" "${V[i.retained]:-?} responses kept, want status_retain_max $STATUS_RETAIN" \
		eq "${V[i.retained]:-?}" $STATUS_RETAIN
	want='?'
	num "${V[i.sent]:-?}" && want=$(( ${V[i.sent]} - STATUS_RETAIN ))
	check "i dropped" "${V[i.dropped]:-?} dropped, want $want" \
		eq "${V[i.dropped]:-?}" "$want"
	# An entry is at most 512 bytes (header copy and 256 bytes of data).
	check "i bytes" "${V[i.bytes]:-?} bytes kept, want <= $STATUS_RETAIN x 512" \
		le "${V[i.bytes]:-?}" $((STATUS_RETAIN * 512))
	check "i peak" "growth ${V[i.peak_avail]:-?} KiB, want <= $BACK_KB" \
		le "${V[i.peak_avail]:-?}" $BACK_KB
fi

echo "--- j) 2 WRITEs of 16 MiB with their R2Ts queued behind unread Data-In, ABORT TASK"
if ran j; then
	# Their 32 MiB of buffers, less what the sampling may miss.
	want=$((2 * 16 * 1024 - 8192))
	check "j held" "growth ${V[j.peak_avail]:-?} KiB before the aborts (READ and WRITE buffers), want >= $want" \
		ge "${V[j.peak_avail]:-?}" $want
	check "j freed" "${V[j.freed]:-?} KiB freed within 1 s of ABORT TASK, the connection still open, want >= $want" \
		ge "${V[j.freed]:-?}" $want
fi

echo "--- open-iscsi's response queue after its round trips"
OI=$(grep "^$INI " $RESPQ 2>/dev/null | head -n 1)
info "respq: ${OI:-none}"
set -- $OI
oi_retained=${9:-?}
check "open-iscsi retained" "$oi_retained responses kept after $(<$R/round) round trips of 4 MiB, want <= 8" \
	le "$oi_retained" 8

# --- the table ----------------------------------------------------------------------

row() {	# row LABEL TITLE UNITS UNIT
	local l=$1 per=- base peak slab km after
	ran "$l" || return 0
	num "$3" && [ "$3" -gt 0 ] && num "${V[$l.peak_avail]:-?}" &&
		per="$(( ${V[$l.peak_avail]} / $3 )) /$4"
	mib base "${V[$l.baseline_avail_kb]:-?}"
	mib peak "${V[$l.peak_avail]:-?}"
	mib slab "${V[$l.peak_slab]:-?}"
	mib km "${V[$l.peak_kmalloc]:-?}"
	mib after "${V[$l.after_avail]:-?}"
	printf '%-14s %8s %8s %8s %8s %8s %10s %5s\n' "$l) $2" "$base" "$peak" \
		"$slab" "$km" "$after" "$per" "${V[$l.seconds]:-?}"
}
{
	echo "tcp-resources: $KTGT_KVER ($KTGT_KERNEL), scenarios $((T1 - T0)) s"
	echo "caps set: login_timeout=$LOGIN_TIMEOUT prelogin_max_per_source=$PER_SOURCE" \
		"prelogin_max_per_portal=$PER_PORTAL cmdsn_depth=$CMDSN_DEPTH" \
		"session_data_mb=$SESSION_DATA_MB dataout_timeout=$DATAOUT_TIMEOUT" \
		"tx_backlog_kb=$TX_BACKLOG_KB"
	echo "MiB: MemAvailable at the baseline; growth of used memory (less the" \
		"client's RSS), Slab, kmalloc-* at the peak, used memory after; KiB per unit at the peak"
	printf '%-14s %8s %8s %8s %8s %8s %10s %5s\n' scenario avail peak +slab \
		+kmalloc after per-unit s
	row a flood 1000 conn
	row b login-pdu 300 conn
	row c read "${V[c.sent]:-?}" cmd
	row d write "${V[d.sent]:-?}" cmd
	row e nop "${V[e.sent]:-?}" ping
	row f text "${V[f.sent]:-?}" req
	row g sessions "${V[g.logged_in]:-?}" sess
	row h statq-ack "${V[h.sent]:-?}" ping
	row i statq-noack "${V[i.sent]:-?}" ping
	row j abort-queued 2 write
	ran a && echo "a) ${V[a.open]:-?} of 1000 kept open; ${V[a.open_after_wait]:-?} still open after ${V[a.waited_s]:-?} s"
	ran b && echo "b) at most ${V[b.max_open]:-?} open at once; ${V[b.open_after_wait]:-?} still open after ${V[b.waited_s]:-?} s"
	ran c && echo "c) ${V[c.sent]:-?} READs sent (window ${V[c.window]:-?})"
	ran d && echo "d) ${V[d.r2t]:-?} R2T, ${V[d.task_set_full]:-?} TASK SET FULL; window ${V[d.window_now]:-?} with ${V[d.outstanding]:-?} outstanding; dropped after ${V[d.dropped_after_s]:-?} s"
	ran e && echo "e) ${V[e.sent]:-?} pings sent; a send blocked: ${V[e.send_blocked]:-?}"
	ran h && echo "h) ${V[h.sent]:-?} pings acknowledged: ${V[h.retained]:-?} responses kept (${V[h.bytes]:-?} bytes), ${V[h.dropped]:-?} dropped, ${V[h.total]:-?} kept in all"
	ran i && echo "i) ${V[i.sent]:-?} pings never acknowledged: ${V[i.retained]:-?} kept of status_retain_max ${V[i.max]:-?} (${V[i.bytes]:-?} bytes), ${V[i.dropped]:-?} dropped"
	ran j && echo "j) ABORT TASK of 2 WRITEs whose R2T was queued: ${V[j.freed]:-?} KiB freed within 1 s, the connection open"
	echo "open-iscsi: ${OI:-none}"
	ran f && echo "f) ${V[f.sent]:-?} Text Requests of ${V[f.request_bytes]:-?} bytes sent; a send blocked: ${V[f.send_blocked]:-?}"
	ran g && echo "g) ${V[g.logged_in]:-?} sessions, ${V[g.per_session_kb]:-?} KiB each; window at login ${V[g.window]:-?}"
	echo "${NPASS} asserts passed, ${#FAILED[@]} failed"
	for x in "${FAILED[@]}"; do echo "  FAIL $x"; done
} | tee "$OUT"

# --- clean-up -------------------------------------------------------------------------

stamp "clean-up"
iscsi_logout $IQN
iscsi_wait_no_session 20 $IQN || fail "open-iscsi session still there"
stop_iscsid
$CLI -q target delete $IQN || fail "target delete"
$CLI -q backstore delete ram/disk0 || fail "backstore delete"
ktgt_unload_modules ktgt_core ktgt_tcp
[ ${#FAILED[@]} -eq 0 ] ||
	fail "${#FAILED[@]} of $((NPASS + ${#FAILED[@]})) asserts failed"
echo PASS
