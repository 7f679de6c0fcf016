#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# HeaderDigest and DataDigest CRC32C on both sides.
# ktgt-lanes: debian
TPG_SET="param.HeaderDigest=CRC32C param.DataDigest=CRC32C"
NODE_SET="node.conn[0].iscsi.HeaderDigest=CRC32C node.conn[0].iscsi.DataDigest=CRC32C"
check_digests() {
	local s
	s=$(iscsiadm -m session -P 2)
	grep -q 'HeaderDigest: CRC32C' <<<"$s" && grep -q 'DataDigest: CRC32C' <<<"$s"
}
CHECK_NEGOTIATED=check_digests
. "$(dirname "$0")/../fs-roundtrip.sh"
fs_roundtrip
