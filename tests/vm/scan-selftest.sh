#!/bin/bash
# The kernel-complaint scanner of tests/vm/run, checked on the host against
# samples: every bad-*.log must be reported and no benign-*.log may be.
# benign-alloc-failure.log is a real allocation-failure warning provoked by
# debug-failslab; its stack holds lockdep_hardirqs_on_prepare, which the
# scanner once took for a lockdep report (CI of 8c4e522).
here=$(cd "$(dirname "$0")" && pwd)
rc=0
for f in "$here"/scan-samples/*.log; do
	n=$(basename "$f" .log)
	"$here/run" --scan "$f" >/dev/null 2>&1
	got=$?
	case $n in
	bad-*) want=1 ;;
	*) want=0 ;;
	esac
	if [ "$got" -eq "$want" ]; then
		echo "PASS scan/$n"
	else
		echo "FAIL scan/$n (scanner returned $got, wanted $want)"
		rc=1
	fi
done
exit $rc
