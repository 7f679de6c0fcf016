# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The end-to-end test behind tests/vm/tests/tcp-fs-*.sh, sourced by them:
# load ktgt, configure a target with ktgtcli, discover and log in with
# open-iscsi, mkfs.ext4, mount, write a 64 MiB random file, checksum,
# unmount, log out, log in again, verify the checksum, fsck -n.
#
# Variables a wrapper sets before calling fs_roundtrip:
#   BACKSTORE   ram | file | block                    (default ram)
#   TPG_SET     "param.X=Y attrib.X=Y ..." for ktgtcli tpg set
#   NODE_SET    "name=value ..." for iscsiadm -m node -o update
#   FILE_MB     size of the random file (default 64)
#   FS_PORTAL   the address the portal listens on (default 127.0.0.1)
#   FS_ISER     non-empty: an iSER portal, discovery and login through
#               open-iscsi's iser iface (the RDMA link is the caller's:
#               iser-lib.sh's iser_env)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IQN=iqn.2026-11.org.example:fs
CLI=$KTGT_REPO/tools/ktgtcli

# The transport's settings, from FS_PORTAL and FS_ISER as they are when
# fs_roundtrip runs.
fs_transport() {
	FS_PORTAL=${FS_PORTAL:-127.0.0.1}
	if [ -n "${FS_ISER:-}" ]; then
		FS_IFACE=iser
		FS_MODS=(ktgt_core ktgt_tcp ktgt_iser)
	else
		FS_IFACE=default
		FS_MODS=(ktgt_core ktgt_tcp)
	fi
}

fs_configure() {
	local bs=${BACKSTORE:-ram} ini
	case $bs in
	ram)
		$CLI backstore create ram disk0 256M || fail "ram backstore" ;;
	file)
		truncate -s 256M /tmp/ktgt-file.img || fail "backing file"
		$CLI backstore create file disk0 /tmp/ktgt-file.img ||
			fail "file backstore" ;;
	block)
		modprobe brd rd_nr=1 rd_size=262144 || fail "modprobe brd"
		$CLI backstore create block disk0 /dev/ram0 ||
			fail "block backstore" ;;
	esac
	$CLI target create "$IQN" || fail "target create"
	if [ -n "${FS_ISER:-}" ]; then
		$CLI portal add "$IQN" "$FS_PORTAL:3260" --iser ||
			fail "portal add --iser"
	else
		$CLI portal add "$IQN" "$FS_PORTAL:3260" || fail "portal add"
	fi
	$CLI lun add "$IQN" "$bs/disk0" || fail "lun add"
	ini=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi)
	$CLI acl add "$IQN" "$ini" || fail "acl add $ini"
	if [ -n "${TPG_SET:-}" ]; then
		# shellcheck disable=SC2086
		$CLI tpg set "$IQN" $TPG_SET || fail "tpg set $TPG_SET"
	fi
	$CLI target enable "$IQN" || fail "target enable"
}

fs_login() {
	local kv
	# Over iSER the SendTargets session runs over iSER too (-I iser
	# alone): an iWARP portal has no TCP listener to discover through.
	iscsiadm -m discovery -t st -p "$FS_PORTAL" -I "$FS_IFACE" \
		>/dev/null || fail "discovery ($FS_IFACE) failed"
	for kv in ${NODE_SET:-}; do
		iscsiadm -m node -T "$IQN" -p "$FS_PORTAL" -I "$FS_IFACE" \
			-o update -n "${kv%%=*}" -v "${kv#*=}" >/dev/null ||
			fail "iscsiadm update $kv"
	done
	iscsiadm -m node -T "$IQN" -p "$FS_PORTAL" -I "$FS_IFACE" --login \
		>/dev/null || fail "login ($FS_IFACE) failed"
	DISK=$(find_iscsi_disk "$IQN") || fail "no disk appeared"
	info "logged in ($FS_IFACE), disk $DISK"
}

fs_logout() {
	iscsiadm -m node -T "$IQN" -p "$FS_PORTAL" --logout >/dev/null ||
		fail "logout failed"
	iscsi_wait_no_session 20 || fail "session still there after logout"
}

fs_roundtrip() {
	# 64 MiB; 16 under the debug kernel, where KASAN makes I/O slow.
	local mb=${FILE_MB:-$([ "${KTGT_KERNEL:-}" = debug ] && echo 16 || echo 64)}
	local sum1 sum2
	require_cmd mkfs.ext4 fsck.ext4 iscsiadm sha256sum
	fs_transport
	ktgt_load_modules "${FS_MODS[@]}"
	start_iscsid
	fs_configure
	fs_login
	if [ -n "${CHECK_NEGOTIATED:-}" ]; then
		$CHECK_NEGOTIATED || fail "negotiated values are not as asked"
	fi

	mkfs.ext4 -q -F "$DISK" || fail "mkfs.ext4 $DISK"
	mkdir -p /mnt/ktgt
	mount "$DISK" /mnt/ktgt || fail "mount"
	dd if=/dev/urandom of=/mnt/ktgt/random bs=1M count="$mb" \
		status=none || fail "write file"
	sum1=$(sha256sum </mnt/ktgt/random)
	umount /mnt/ktgt || fail "umount"
	info "wrote ${mb} MiB, sha256 ${sum1%% *}"
	fs_logout

	fs_login
	fsck.ext4 -n -f "$DISK" >/tmp/fsck.log 2>&1 ||
		{ cat /tmp/fsck.log; fail "fsck -n found problems"; }
	mount "$DISK" /mnt/ktgt || fail "mount again"
	# Drop the page cache: the data must come from the target.
	echo 3 >/proc/sys/vm/drop_caches
	sum2=$(sha256sum </mnt/ktgt/random)
	umount /mnt/ktgt || fail "umount again"
	[ "$sum1" = "$sum2" ] || fail "checksum mismatch after re-login"
	info "verified after re-login, fsck clean"
	fs_logout
	stop_iscsid
	$CLI target delete "$IQN" || fail "target delete"
	$CLI backstore delete "${BACKSTORE:-ram}/disk0" || fail "backstore delete"
	ktgt_unload_modules "${FS_MODS[@]}"
	echo "PASS"
}
