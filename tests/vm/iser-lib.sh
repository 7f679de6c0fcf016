# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by the iSER VM tests (tests/vm/tests/iser-*.sh), sourced after
# lib.sh once the test has set IQN: a Soft-RoCE (or siw) link on a dummy
# netdev, a ktgt target with an iSER portal, an open-iscsi login over
# ib_iser.
#
# iWARP (siw) works on the same dummy netdev: siw runs over real kernel
# TCP sockets, and traffic to an address of the guest's own goes through
# the loopback path whichever netdev holds it; rdma_cm still resolves the
# address to dummy0 and so to siw0. Its listener is a real TCP socket on
# the portal's port: nothing else may listen there (cfg_portal.c).

ADDR=192.0.2.1
PORTAL=$ADDR:3260
# The RDMA provider: rxe (Soft-RoCE, default) or siw (Soft-iWARP, only in
# the debug kernel): KTGT_ISER_LINK=siw, or set LINK before sourcing.
LINK=${LINK:-${KTGT_ISER_LINK:-rxe}}
case $LINK in
rxe) LINKMOD=rdma_rxe ;;
siw) LINKMOD=siw ;;
*) echo "KTGT_ISER_LINK must be rxe or siw"; exit 1 ;;
esac

# iser_env [CMD...]: skip unless the tools (and CMDs) and an RDMA link
# can be had; bring the link up and load ktgt.
iser_env() {
	require_cmd iscsid iscsiadm rdma ip dd cmp "$@"
	modprobe -q dummy || skip "no dummy netdev driver"
	if ! modprobe -q "$LINKMOD"; then
		[ "$LINK" = siw ] &&
			skip "siw (soft-iWARP) is not in kernel $(uname -r) (Debian's 6.1 is built without CONFIG_RDMA_SIW; KERNEL=debug has it)"
		skip "$LINKMOD is not available"
	fi
	modprobe -q ib_iser || skip "ib_iser is not available"
	ip link add dummy0 type dummy || fail "ip link add dummy0"
	ip addr add "$ADDR/24" dev dummy0 || fail "ip addr add"
	ip link set dummy0 up || fail "ip link set dummy0 up"
	rdma link add "${LINK}0" type "$LINK" netdev dummy0 ||
		skip "cannot create ${LINK}0"
	ktgt_load_modules
	[ -d "$KTGT_CONFIGFS" ] || fail "no $KTGT_CONFIGFS"
}

iser_target() {
	local ini
	ini=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi)
	ktgtcli -q backstore create ram disk0 128M || fail "backstore"
	ktgtcli -q target create "$IQN" || fail "target create"
	ktgtcli -q portal add "$IQN" "$PORTAL" --iser || fail "portal add --iser"
	ktgtcli -q lun add "$IQN" ram/disk0 || fail "lun add"
	ktgtcli -q acl add "$IQN" "$ini" || fail "acl add"
	ktgtcli -q target enable "$IQN" || fail "target enable"
}

iser_login() {
	iscsiadm -m node -o new -T "$IQN" -p "$PORTAL" -I iser >/dev/null ||
		fail "iscsiadm node new"
	iscsiadm -m node -T "$IQN" -p "$PORTAL" -I iser --login ||
		fail "iSER login failed"
	DEV=$(find_iscsi_disk "$IQN" 30 | tail -n 1) && [ -b "$DEV" ] || fail "no disk after login"
	info "logged in over iSER: $DEV"
}
