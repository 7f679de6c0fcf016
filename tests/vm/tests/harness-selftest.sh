#!/bin/bash
# ktgt-lanes: debian
# SPDX-License-Identifier: GPL-2.0
#
# The guest environment itself, so that harness breakage shows up here and
# not as a ktgt failure: host root over 9p, writable overlays, modprobe of
# the guest kernel's modules, open-iscsi, the results folder.
set -u
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"

info "kernel $(uname -r) ($KTGT_KERNEL), $(nproc) CPUs, $(awk '/MemTotal/ { print $2 " kB" }' /proc/meminfo)"
[ "$(uname -r)" = "$KTGT_KVER" ] || fail "running $(uname -r), harness says $KTGT_KVER"

info "host root over 9p"
[ -f "$KTGT_REPO/tests/vm/lib.sh" ] || fail "repository not visible at $KTGT_REPO"
grep -q ' 9p ' /proc/mounts || fail "no 9p mount"
[ "$(pwd)" = "$KTGT_REPO" ] || fail "cwd is $(pwd), not $KTGT_REPO"

info "writable /etc, /var, /root, /tmp, /run"
for d in /etc /var /root /tmp /run /dev/shm; do
	f=$d/.ktgt-selftest.$$
	echo ok >"$f" || fail "$d not writable"
	[ "$(cat "$f")" = ok ] || fail "$d: read back differs"
	rm -f "$f"
done

info "device and proc plumbing"
[ -e /dev/fd/0 ] || fail "/dev/fd missing"
diff <(echo x) <(echo x) >/dev/null || fail "process substitution broken"
[ -c /dev/null ] || fail "/dev/null missing"
grep -q ' /sys/kernel/config configfs ' /proc/mounts || fail "configfs not mounted"
grep -q ' /sys/kernel/debug debugfs ' /proc/mounts || fail "debugfs not mounted"
grep -q ' /dev/pts devpts ' /proc/mounts || fail "devpts not mounted"
ip -o link show lo | grep -q 'UP' || fail "lo is not up"
ip -o addr show lo | grep -q 'inet 127\.0\.0\.1/' || fail "lo has no 127.0.0.1"
# A closed port on a working loopback refuses at once.
out=$( (exec 3<>/dev/tcp/127.0.0.1/9) 2>&1) && fail "something listens on 127.0.0.1:9"
[[ $out == *refused* ]] || fail "loopback TCP broken: $out"

info "modprobe of the guest kernel's modules"
[ -d "/lib/modules/$(uname -r)/kernel" ] || fail "/lib/modules/$(uname -r) not bound"
modprobe brd rd_nr=1 rd_size=4096 || fail "modprobe brd failed"
wait_for 5 test -b /dev/ram0 || fail "/dev/ram0 did not appear"
dd if=/dev/zero of=/dev/ram0 bs=4k count=16 status=none || fail "cannot write /dev/ram0"
rmmod brd || fail "rmmod brd failed"
for m in sd_mod sg; do
	[ -d "/sys/module/$m" ] || modprobe -n "$m" || fail "$m not loaded"
done

info "open-iscsi"
require_cmd iscsiadm iscsid
grep -q '^InitiatorName=iqn\.' /etc/iscsi/initiatorname.iscsi ||
	fail "no initiator name"
grep -q '^iscsid.startup = /usr/sbin/iscsid' /etc/iscsi/iscsid.conf ||
	fail "iscsid.conf not patched"
start_iscsid
stop_iscsid

info "results folder"
echo "selftest $(date)" >"$KTGT_RESULTS/selftest.txt" || fail "$KTGT_RESULTS not writable"

if [ -e /sys/kernel/debug/kmemleak ]; then
	info "debug kernel: kmemleak present"
fi
echo PASS
