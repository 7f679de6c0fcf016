#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark guest, TCP: ktgt (ram backstore) on 127.0.0.1:3260 and LIO
# (rd_mcp ramdisk of the same size) on 127.0.0.1:3261, one open-iscsi
# initiator (iscsi_tcp) logged in to both, fio on both raw disks (see
# lib.sh). Results: $KTGT_RESULTS/bench-tcp.json, runs/, bench-tcp.env.
# Started by tests/bench/run; exit 0 when every run completed.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

require_cmd fio iscsiadm iscsid jq python3 ktgtcli

cleanup() {
	iscsiadm -m node --logoutall=all >/dev/null 2>&1
	stop_iscsid
	ktgt_teardown
	lio_teardown
	ktgt_unload_modules ktgt_core ktgt_tcp
}

info "memory: $(free -m | awk '/^Mem:/ { print $2 " MiB total, " $7 " MiB available" }')"
ktgt_load_modules ktgt_core ktgt_tcp
ktgt_setup_ram 127.0.0.1:3260 || fail "ktgt portal add"
lio_setup_rd 127.0.0.1:3261 || fail "LIO setup"
start_iscsid
KDEV=$(bench_login "$KTGT_IQN" 127.0.0.1:3260) || fail "login to ktgt failed"
LDEV=$(bench_login "$LIO_IQN" 127.0.0.1:3261) || fail "login to LIO failed"
info "ktgt: $KDEV, LIO: $LDEV ($(($(blockdev --getsize64 "$KDEV") >> 20)) MiB," \
	"$(($(blockdev --getsize64 "$LDEV") >> 20)) MiB)"
[ "$(blockdev --getsize64 "$KDEV")" = "$(blockdev --getsize64 "$LDEV")" ] ||
	fail "the two disks differ in size"
bench_record_env tcp

bench_all tcp "$KDEV" "$LDEV"

cleanup
info "results: $KTGT_RESULTS/bench-tcp.json"
echo "PASS"
exit 0
