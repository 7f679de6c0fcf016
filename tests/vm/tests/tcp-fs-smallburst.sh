#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Small bursts and data segments: multi-PDU bursts and R2T sequences with
# several R2Ts outstanding, unsolicited Data-Out (InitialR2T=No).
# ktgt-lanes: debian
TPG_SET="param.MaxRecvDataSegmentLength=4096 param.MaxBurstLength=16384 param.FirstBurstLength=8192 param.InitialR2T=No param.MaxOutstandingR2T=4"
NODE_SET="node.conn[0].iscsi.MaxRecvDataSegmentLength=4096 node.session.iscsi.MaxBurstLength=16384 node.session.iscsi.FirstBurstLength=8192 node.session.iscsi.InitialR2T=No"
check_small() {
	local s
	s=$(iscsiadm -m session -P 2)
	grep -q 'MaxBurstLength: 16384' <<<"$s" &&
		grep -q 'FirstBurstLength: 8192' <<<"$s" &&
		grep -q 'MaxXmitDataSegmentLength: 4096' <<<"$s"
}
CHECK_NEGOTIATED=check_small
. "$(dirname "$0")/../fs-roundtrip.sh"
fs_roundtrip
