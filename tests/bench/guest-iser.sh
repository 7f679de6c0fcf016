#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark guest, iSER over Soft-RoCE (rdma_rxe on a dummy netdev, as in
# tests/vm/tests/iser-io.sh): ktgt (ram) on 192.0.2.1:3260 --iser and LIO
# (rd_mcp, ib_isert) on 192.0.2.1:3261, open-iscsi's ib_iser logged in to
# both, the same fio jobs as over TCP. Exit 77 (reason in
# $KTGT_RESULTS/skip-reason) when ktgt's iSER portal or login does not
# work here; LIO missing only drops the LIO columns.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

ADDR=192.0.2.1

skip_why() {
	echo "$*" >"$KTGT_RESULTS/skip-reason"
	iscsiadm -m node --logoutall=all >/dev/null 2>&1
	stop_iscsid
	ktgt_teardown
	lio_teardown
	rdma link delete rxe0 2>/dev/null
	ktgt_unload_modules
	skip "$*"
}

require_cmd fio iscsiadm iscsid jq python3 ktgtcli rdma ip
modprobe -q dummy || skip_why "no dummy netdev driver"
modprobe -q rdma_rxe || skip_why "rdma_rxe is not available"
modprobe -q ib_iser || skip_why "ib_iser (initiator) is not available"
ip link add dummy0 type dummy || fail "ip link add dummy0"
ip addr add "$ADDR/24" dev dummy0 || fail "ip addr add"
ip link set dummy0 up || fail "ip link set dummy0 up"
rdma link add rxe0 type rxe netdev dummy0 || skip_why "cannot create rxe0"

ktgt_load_modules
ktgt_setup_ram "$ADDR:3260" --iser || skip_why "ktgtcli portal add --iser failed"
LIO_OK=1
lio_setup_rd "$ADDR:3261" iser || { LIO_OK=0; info "LIO iSER portal failed: ktgt only"; }
start_iscsid
KDEV=$(bench_login "$KTGT_IQN" "$ADDR:3260" iser) ||
	skip_why "iSER login to ktgt failed"
LDEV=
if [ $LIO_OK = 1 ]; then
	LDEV=$(bench_login "$LIO_IQN" "$ADDR:3261" iser) ||
		{ LDEV=; info "iSER login to LIO failed: ktgt only"; }
fi
info "ktgt: $KDEV, LIO: ${LDEV:-none}"
bench_record_env iser

bench_all iser "$KDEV" "$LDEV"

iscsiadm -m node --logoutall=all >/dev/null 2>&1
stop_iscsid
ktgt_teardown
lio_teardown
rdma link delete rxe0 2>/dev/null
ktgt_unload_modules
info "results: $KTGT_RESULTS/bench-iser.json"
echo "PASS"
exit 0
