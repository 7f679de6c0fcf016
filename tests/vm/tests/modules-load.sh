#!/bin/bash
# ktgt-lanes: debian
# SPDX-License-Identifier: GPL-2.0
#
# ktgt_core, ktgt_tcp and ktgt_iser load, register their configfs tree and
# transports, and unload again leaving nothing behind.
set -u
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"

for m in "${KTGT_MODULES[@]}"; do
	ktgt_module_loaded "$m" && fail "$m is loaded before the test"
done

info "loading ${KTGT_MODULES[*]} from $KTGT_MODDIR"
ktgt_load_modules
for m in "${KTGT_MODULES[@]}"; do
	grep -q "^$m " /proc/modules || fail "$m not in /proc/modules after loading"
done

info "configfs tree"
[ -d "$KTGT_CONFIGFS" ] || fail "$KTGT_CONFIGFS missing"
ls -l "$KTGT_CONFIGFS"
for e in backstores targets; do
	[ -d "$KTGT_CONFIGFS/$e" ] || fail "$KTGT_CONFIGFS/$e missing"
done
[ -f "$KTGT_CONFIGFS/transports" ] || fail "$KTGT_CONFIGFS/transports missing"
transports=$(cat "$KTGT_CONFIGFS/transports") || fail "cannot read transports"
echo "transports: $(echo "$transports" | tr '\n' ' ')"
for t in tcp iser; do
	grep -qx "$t" <<<"$transports" || fail "transport $t not registered"
done

info "unloading"
ktgt_unload_modules
for m in "${KTGT_MODULES[@]}"; do
	grep -q "^$m " /proc/modules && fail "$m still in /proc/modules"
	ktgt_module_loaded "$m" && fail "/sys/module/$m still exists"
done
[ -e "$KTGT_CONFIGFS" ] && fail "$KTGT_CONFIGFS still exists after unload"

info "reload core alone, transports listed only when loaded"
ktgt_load_modules ktgt_core
transports=$(cat "$KTGT_CONFIGFS/transports") || fail "cannot read transports"
[ -z "$transports" ] || fail "transports with only the core loaded: $transports"
ktgt_unload_modules ktgt_core
grep -q '^ktgt_' /proc/modules && fail "ktgt modules left: $(grep '^ktgt_' /proc/modules)"
echo PASS
