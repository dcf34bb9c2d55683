#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 06-mmcalls: seed 001 in a guest.  jitmap maps and unmaps 64 KiB regions
# tens of thousands of times; the report's mm_calls must count them.  Run
# twice: at defaults (counts only) and with hold_time=1 (write holds timed
# through the mmap_lock tracepoints where the kernel has them).  The JSON
# goes to /results for tests/vm/checks/check_mmcalls.py.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

JIT_ITERATIONS=${JIT_ITERATIONS:-10000}
JIT_THREADS=${JIT_THREADS:-2}
R=$MMSTALL_RESULTS

run_jitmap()
{
	_tag=$1
	shift
	mod_ensure_unloaded
	if ! mod_load "$@"; then
		not_ok "insmod mmstall.ko $*"
		diag_file "$TMPD/insmod"
		return 1
	fi
	ok "insmod mmstall.ko $*"
	"$MMSTALL" reset >/dev/null 2>&1
	"$MMSTALL_ROOT/bin/jitmap" -n "$JIT_ITERATIONS" -t "$JIT_THREADS" \
		>"$R/jitmap$_tag.out" 2>&1
	check $? "jitmap -n $JIT_ITERATIONS -t $JIT_THREADS$_tag" ||
		diag_file "$R/jitmap$_tag.out"
	"$MMSTALL" report --json >"$R/mmcalls$_tag.json" 2>"$TMPD/err"
	check $? "report --json after jitmap$_tag" || diag_file "$TMPD/err"
	"$MMSTALL" report >"$R/mmcalls$_tag.txt" 2>&1
	grep -q "jitmap" "$R/mmcalls$_tag.txt"
	check $? "text report names jitmap$_tag"
	cat "$DBGDIR/status" >"$R/mmcalls-status$_tag.txt" 2>&1
	"$MMSTALL" top -s calls 1 1 >"$R/top-calls$_tag.txt" 2>&1
	check $? "top -s calls 1 1$_tag" || diag_file "$R/top-calls$_tag.txt"
	mod_unload
	check $? "rmmod$_tag"
}

run_jitmap ""
run_jitmap "-hold" hold_time=1
tap_done
