#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 06-mmcalls: seed 001 in a guest.  jitmap maps and unmaps 64 KiB regions
# tens of thousands of times; the report's mm_calls must count them.  Run
# twice: at defaults (counts only) and with hold_time=1 (write holds timed
# through the mmap_lock tracepoints where the kernel has them).  The JSON
# goes to /results for tests/vm/checks/check_mmcalls.py.  Then once with
# mm_calls=0: the six system call kprobes are not registered at all.
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

# run_mm_calls_off: with mm_calls=0 the class's kprobes are "off" in status
# (never hit while jitmap runs), a note says why, and the report has no
# mm_calls rows.
run_mm_calls_off()
{
	mod_ensure_unloaded
	if ! mod_load mm_calls=0; then
		not_ok "insmod mmstall.ko mm_calls=0"
		diag_file "$TMPD/insmod"
		return 1
	fi
	ok "insmod mmstall.ko mm_calls=0"
	"$MMSTALL_ROOT/bin/jitmap" -n 1000 >"$TMPD/jit-off" 2>&1
	check $? "jitmap -n 1000 with mm_calls=0" || diag_file "$TMPD/jit-off"
	cat "$DBGDIR/status" >"$R/mmcalls-status-off.txt" 2>&1
	_off=$(awk '$1 == "mm_calls" && $3 == "kprobe" && $4 == "off" && $5 == 0' \
		"$R/mmcalls-status-off.txt" | wc -l)
	_any=$(awk '$1 == "mm_calls" && $3 == "kprobe"' "$R/mmcalls-status-off.txt" | wc -l)
	[ "$_off" -eq 6 ] && [ "$_any" -eq 6 ]
	check $? "mm_calls=0: the 6 system call kprobes are off and never hit" ||
		diag_file "$R/mmcalls-status-off.txt"
	grep -q "^note mm_calls off" "$R/mmcalls-status-off.txt"
	check $? "mm_calls=0: status notes that the class is off"
	"$MMSTALL" report --json >"$R/mmcalls-off.json" 2>"$TMPD/err"
	check $? "report --json with mm_calls=0" || diag_file "$TMPD/err"
	mod_unload
	check $? "rmmod (mm_calls=0)"
}

# bench_jitmap ROUNDS: the cost of the mm_calls probes, from jitmap's wall
# time without and with the module (defaults), rounds alternating in this
# boot; medians and per-call figures go to /results/mmcalls-bench.txt.
# TCG timing is noisy: figures are printed, never asserted.
bench_jitmap()
{
	_n=0
	: >"$TMPD/off"
	: >"$TMPD/on"
	while [ "$_n" -lt "$1" ]; do
		mod_ensure_unloaded
		"$MMSTALL_ROOT/bin/jitmap" -n 5000 >"$TMPD/jit" 2>&1
		kv "$TMPD/jit" elapsed_us >>"$TMPD/off"
		mod_load || return 1
		"$MMSTALL_ROOT/bin/jitmap" -n 5000 >"$TMPD/jit" 2>&1
		kv "$TMPD/jit" elapsed_us >>"$TMPD/on"
		mod_unload
		_n=$((_n + 1))
	done
	_off=$(sort -n "$TMPD/off" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	_on=$(sort -n "$TMPD/on" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	{
		echo "rounds=$1 calls_per_run=10000"
		echo "off_us=$(tr '\n' ' ' <"$TMPD/off")"
		echo "on_us=$(tr '\n' ' ' <"$TMPD/on")"
		echo "median_off_us=$_off median_on_us=$_on"
		awk -v a="$_off" -v b="$_on" 'BEGIN {
			printf "slowdown_pct=%.1f per_call_ns=%.0f\n",
			       (b - a) * 100 / a, (b - a) * 1000 / 10000 }'
	} >"$MMSTALL_RESULTS/mmcalls-bench.txt"
	diag "mm_calls probe cost (jitmap, 10000 mmap+munmap calls, TCG):"
	diag_file "$MMSTALL_RESULTS/mmcalls-bench.txt"
}

run_jitmap ""
run_jitmap "-hold" hold_time=1
run_mm_calls_off
bench_jitmap 5
check $? "jitmap alternating without and with the module (5 rounds)"
mod_ensure_unloaded
tap_done
