#!/bin/bash
# ktgt-lanes: debug
# SPDX-License-Identifier: GPL-2.0
#
# iSER over iWARP: soft-iWARP (siw) on a dummy netdev, Linux's ib_iser
# through open-iscsi's iser iface against ktgt: the portal is switched from
# tcp to iser (siw listens on the real TCP port, so the TCP listener must
# go first), SendTargets discovery over iSER, login, mkfs.ext4, a file
# written and checksummed, logout, login, fsck, verified again with the
# page cache dropped, logout, modules unloaded (fs-roundtrip.sh). 16 MiB
# on the debug kernel, 64 elsewhere.
#
# Debian's 6.1 kernel has no siw (CONFIG_RDMA_SIW is not set): the test
# skips there and runs in the debug lane.
set -u
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

IQN=iqn.2026-11.org.example:fs		# fs-roundtrip.sh's
LINK=siw
. "$(dirname "$0")/../iser-lib.sh"
. "$(dirname "$0")/../fs-roundtrip.sh"

# The pass/fail path of fs_roundtrip unloads ktgt; the link is ours.
trap 'rdma link delete siw0 2>/dev/null' EXIT

iser_env mkfs.ext4 fsck.ext4 sha256sum
info "$(rdma link show | grep siw0)"

# The np switch must have released the TCP port before siw bound it.
check_iwarp_session() {
	local t
	t=$(iscsiadm -m session -P 1 2>/dev/null |
		sed -n 's/.*Iface Transport: *//p' | head -n 1)
	[ "$t" = iser ] || { echo "session transport is '$t', not iser"; return 1; }
	dmesg | grep -q "portal $PORTAL: transport iser" ||
		{ echo "no 'transport iser' switch in the kernel log"; return 1; }
	info "session over iser on siw0; $(rdma resource show qp link siw0/1 2>/dev/null | grep -c lqpn) QPs on siw0"
}
CHECK_NEGOTIATED=check_iwarp_session
FS_PORTAL=$ADDR FS_ISER=1 fs_roundtrip
dmesg | grep -E 'ktgt' | tail -8
exit 0
