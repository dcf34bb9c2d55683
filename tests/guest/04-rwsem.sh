#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 04-rwsem: seed 000 in a guest.  mmchurn fights over its mmap_lock while
# the module watches; the report, status, workload summary and the
# kernel's rwsem symbols go to /results for the host's checks
# (tests/vm/checks/check_rwsem.py), which parse the JSON.  Here: what is
# easy in shell, and the reader's error paths (module not loaded, debugfs
# not mounted).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

CHURN_SECONDS=${CHURN_SECONDS:-8}
R=$MMSTALL_RESULTS

mod_ensure_unloaded
{
	echo "kernel=$MMSTALL_KERNEL"
	echo "release=$(uname -r)"
	echo "version=$(cat /proc/version)"
} >"$R/kernel.txt"
kallsyms_rwsem >"$R/kallsyms-rwsem.txt"
diag "rwsem slowpaths in kallsyms:"
diag_file "$R/kallsyms-rwsem.txt"

if ! mod_load; then
	not_ok "insmod mmstall.ko"
	diag_file "$TMPD/insmod"
	tap_done
fi
ok "insmod mmstall.ko"
run_ok "mmstall reset" "$MMSTALL" reset

"$MMCHURN" -d "$CHURN_SECONDS" >"$R/mmchurn.out" 2>&1
check $? "mmchurn -d $CHURN_SECONDS" || diag_file "$R/mmchurn.out"
diag_file "$R/mmchurn.out"
pid=$(kv "$R/mmchurn.out" pid)

"$MMSTALL" report --json >"$R/rwsem.json" 2>"$TMPD/err"
check $? "mmstall report --json exits 0" || diag_file "$TMPD/err"
[ -s "$R/rwsem.json" ]
check $? "report JSON not empty"
"$MMSTALL" report >"$R/rwsem.txt" 2>"$TMPD/err"
check $? "mmstall report exits 0" || diag_file "$TMPD/err"
[ -s "$R/rwsem.txt" ]
check $? "text report not empty"
"$MMSTALL" snapshot -o "$R/rwsem.snap" 2>"$TMPD/err"
check $? "mmstall snapshot -o saves the snapshot" || diag_file "$TMPD/err"
"$MMSTALL" -f "$R/rwsem.snap" report --json >"$R/rwsem-offline.json" \
	2>"$TMPD/err"
check $? "mmstall -f SNAPSHOT report --json reads it back" ||
	diag_file "$TMPD/err"
"$MMSTALL" status >"$R/status.txt" 2>"$TMPD/err"
check $? "mmstall status exits 0" || diag_file "$TMPD/err"
cat "$DBGDIR/status" >"$R/debugfs-status.txt" 2>&1
cat "$DBGDIR/tasks" >"$R/debugfs-tasks.txt" 2>&1

jflat tasks <"$R/rwsem.json" >"$TMPD/head" 2>/dev/null
probe_lines "$TMPD/head" >"$TMPD/probes"
diag "probes (class target kind state hits missed error):"
diag_file "$TMPD/probes" 40
write_attached=$(awk '$1 == "rwsem_write" && $4 == "attached"' "$TMPD/probes")

# Histograms, for mmchurn's threads.
if [ -z "$write_attached" ]; then
	skip "hist -c churn-unmap shows a histogram" "rwsem_write not attached"
	skip "hist -p PID -C rwsem_write shows a histogram" \
		"rwsem_write not attached"
else
	"$MMSTALL" hist -c churn-unmap >"$R/hist-churn-unmap.txt" 2>&1
	st=$?
	if [ $st -eq 0 ] && grep -q '|\*' "$R/hist-churn-unmap.txt"; then
		ok "hist -c churn-unmap shows a histogram"
	else
		not_ok "hist -c churn-unmap shows a histogram"
		diag "exit $st"
		diag_file "$R/hist-churn-unmap.txt"
	fi
	"$MMSTALL" hist -p "$pid" -C rwsem_write >"$R/hist-pid.txt" 2>&1
	st=$?
	if [ $st -eq 0 ] && grep -q '|\*' "$R/hist-pid.txt"; then
		ok "hist -p PID -C rwsem_write shows a histogram"
	else
		not_ok "hist -p PID -C rwsem_write shows a histogram"
		diag "exit $st"
		diag_file "$R/hist-pid.txt"
	fi
fi
run_timeout 30 "$MMSTALL" top 1 2 >"$R/top.txt" 2>&1
check $? "mmstall top 1 2 exits 0" || diag_file "$R/top.txt"

dmesg | grep -E "$dmesg_bad_re" >"$TMPD/bad"
if [ -s "$TMPD/bad" ]; then
	not_ok "no kernel warnings during the workload"
	diag_file "$TMPD/bad" 40
else
	ok "no kernel warnings during the workload"
fi

# Error paths of the reader.
mod_unload
check $? "rmmod mmstall" || diag_file "$TMPD/rmmod"
"$MMSTALL" status >"$TMPD/out" 2>&1
st=$?
if [ $st -ne 0 ] && grep -qi 'not loaded' "$TMPD/out"; then
	ok "status without the module fails with 'not loaded'"
else
	not_ok "status without the module fails with 'not loaded'"
	diag "exit $st"
	diag_file "$TMPD/out"
fi
"$MMSTALL" report >"$TMPD/out" 2>&1
st=$?
if [ $st -ne 0 ] && grep -qi 'not loaded' "$TMPD/out"; then
	ok "report without the module fails with 'not loaded'"
else
	not_ok "report without the module fails with 'not loaded'"
	diag "exit $st"
	diag_file "$TMPD/out"
fi

if ! mod_load; then
	not_ok "insmod again"
	diag_file "$TMPD/insmod"
	tap_done
fi
ok "insmod again"
# Unmount debugfs (and what is mounted under it), check, mount it back.
mtype=$(awk -v d="$DEBUGFS" '$2 == d { print $3 }' /proc/mounts)
umount "$DEBUGFS/tracing" 2>/dev/null
if umount "$DEBUGFS" 2>"$TMPD/err" || umount -l "$DEBUGFS" 2>>"$TMPD/err"; then
	"$MMSTALL" status >"$TMPD/out" 2>&1
	st=$?
	if [ $st -ne 0 ] && grep -qi 'not mounted' "$TMPD/out"; then
		ok "status without debugfs fails with 'not mounted'"
	else
		not_ok "status without debugfs fails with 'not mounted'"
		diag "exit $st"
		diag_file "$TMPD/out"
	fi
	mount -t "${mtype:-debugfs}" debugfs "$DEBUGFS"
	check $? "debugfs mounted again"
	run_ok "status with debugfs back exits 0" "$MMSTALL" status
else
	skip "status without debugfs fails with 'not mounted'" \
		"cannot unmount $DEBUGFS: $(head -n 1 "$TMPD/err")"
	skip "debugfs mounted again" "not unmounted"
	skip "status with debugfs back exits 0" "not unmounted"
fi

mod_unload
check $? "rmmod mmstall at the end" || diag_file "$TMPD/rmmod"

tap_done
