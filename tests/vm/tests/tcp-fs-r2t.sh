#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ImmediateData=No and InitialR2T=Yes: every write byte is solicited.
# ktgt-lanes: debian
TPG_SET="param.ImmediateData=No param.InitialR2T=Yes"
check_r2t() {
	local s
	s=$(iscsiadm -m session -P 2)
	grep -q 'ImmediateData: No' <<<"$s" && grep -q 'InitialR2T: Yes' <<<"$s"
}
CHECK_NEGOTIATED=check_r2t
. "$(dirname "$0")/../fs-roundtrip.sh"
fs_roundtrip
