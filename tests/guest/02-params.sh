#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 02-params: out-of-range module parameters make insmod fail with EINVAL
# and a kernel message naming the parameter; the smallest valid values
# load and survive a workload (task slots run out: counted, not lost).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

mod_ensure_unloaded

for arg in max_tasks=0 max_tasks=15 max_tasks=1048577 max_tasks=99999999 \
	max_tasks=abc maxactive=0 maxactive=4097 maxactive=65537 \
	stack_threshold_ns=-1 stack_threshold_ns=60000000001 \
	event_threshold_ns=60000000001 kretprobes=2 return_sites=2 hold_time=2; do
	param=${arg%%=*}
	dmesg_mark
	if mod_load "$arg"; then
		not_ok "insmod $arg fails"
		diag "insmod succeeded"
	elif grep -qi 'invalid' "$TMPD/insmod"; then
		ok "insmod $arg fails with EINVAL"
	else
		not_ok "insmod $arg fails with EINVAL"
		diag_file "$TMPD/insmod"
	fi
	if mod_loaded; then
		not_ok "module not loaded after insmod $arg"
		mod_ensure_unloaded
	else
		ok "module not loaded after insmod $arg"
	fi
	dmesg_since >"$TMPD/dmesg"
	if grep -q "$param" "$TMPD/dmesg"; then
		ok "kernel log names $param"
	else
		not_ok "kernel log names $param"
		diag_file "$TMPD/dmesg"
	fi
done

# The smallest valid values: 16 task slots, one kretprobe instance, a
# stack walk for every wait.
dmesg_mark
small="max_tasks=16 maxactive=1 stack_threshold_ns=0"
# shellcheck disable=SC2086 # three parameters
if ! mod_load $small; then
	not_ok "insmod $small"
	diag_file "$TMPD/insmod"
	tap_done
fi
ok "insmod $small"
for p in max_tasks:16 maxactive:1 stack_threshold_ns:0; do
	f=/sys/module/mmstall/parameters/${p%%:*}
	if [ ! -r "$f" ]; then
		skip "parameter ${p%%:*} reads back ${p#*:}" "$f not readable"
	elif [ "$(cat "$f")" = "${p#*:}" ]; then
		ok "parameter ${p%%:*} reads back ${p#*:}"
	else
		not_ok "parameter ${p%%:*} reads back ${p#*:}"
		diag "$f: $(cat "$f")"
	fi
done

"$MMCHURN" -t 8 -d 3 >"$MMSTALL_RESULTS/small-mmchurn.out" 2>&1
check $? "mmchurn -t 8 -d 3 with 16 slots" ||
	diag_file "$MMSTALL_RESULTS/small-mmchurn.out"
run_ok "mmstall status with 16 slots" "$MMSTALL" status
cp "$TMPD/out" "$MMSTALL_RESULTS/small-status.txt"
"$MMSTALL" report --json >"$MMSTALL_RESULTS/small.json" 2>"$TMPD/err"
check $? "mmstall report --json with 16 slots" || diag_file "$TMPD/err"
if jflat <"$MMSTALL_RESULTS/small.json" >"$TMPD/small" 2>"$TMPD/err"; then
	ok "report with 16 slots is valid JSON"
	n=$(jget "$TMPD/small" 'tasks#')
	if [ "${n:-0}" -le 16 ]; then
		ok "report lists at most 16 tasks"
	else
		not_ok "report lists at most 16 tasks"
	fi
	diag "tasks=$n lost.task_slots=$(jget "$TMPD/small" lost.task_slots) lost.kretprobe_missed=$(jget "$TMPD/small" lost.kretprobe_missed) lost.stat_blocks=$(jget "$TMPD/small" lost.stat_blocks)"
else
	not_ok "report with 16 slots is valid JSON"
	diag_file "$TMPD/err"
	skip "report lists at most 16 tasks" "no valid JSON"
fi

dmesg_since >"$TMPD/dmesg"
if grep -Eq "$dmesg_bad_re" "$TMPD/dmesg"; then
	not_ok "no kernel warnings with the smallest parameters"
	diag_file "$TMPD/dmesg" 40
else
	ok "no kernel warnings with the smallest parameters"
fi
mod_unload
check $? "rmmod after the smallest parameters" || diag_file "$TMPD/rmmod"

tap_done
