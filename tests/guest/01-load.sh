#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 01-load: the module loads, its debugfs files are root-only, the probes
# it reports match what /proc/kallsyms offers, and every reader
# subcommand works whatever the probes' states (PREEMPT_RT included).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

mod_ensure_unloaded
dmesg_mark
if ! mod_load; then
	not_ok "insmod mmstall.ko"
	diag_file "$TMPD/insmod"
	dmesg_since >"$TMPD/dmesg"
	diag_file "$TMPD/dmesg" 40
	tap_done
fi
ok "insmod mmstall.ko"
check "$(mod_loaded; echo $?)" "module listed in /proc/modules"

# debugfs files and their modes (root only).
for f in snapshot:400 status:400 tasks:400 control:200; do
	name=${f%%:*}
	want=${f#*:}
	path=$DBGDIR/$name
	if [ ! -e "$path" ]; then
		not_ok "debugfs $name exists"
		continue
	fi
	mode=$(stat -c %a "$path")
	if [ "$mode" = "$want" ]; then
		ok "debugfs $name mode $want"
	else
		not_ok "debugfs $name mode $want"
		diag "mode is $mode"
	fi
done

# The raw files read as root.
magic=$(head -c 8 "$DBGDIR/snapshot" 2>/dev/null)
if [ "$magic" = "MMSTALL1" ]; then
	ok "snapshot starts with the MMSTALL1 magic"
else
	not_ok "snapshot starts with the MMSTALL1 magic"
	diag "first bytes: $(head -c 16 "$DBGDIR/snapshot" | od -An -tx1)"
fi
cat "$DBGDIR/status" >"$TMPD/status" 2>&1
check $? "debugfs status readable"
[ -s "$TMPD/status" ]
check $? "debugfs status not empty"
cat "$DBGDIR/tasks" >"$TMPD/tasks" 2>&1
check $? "debugfs tasks readable"

# The reader.
run_ok "mmstall status exits 0" "$MMSTALL" status
cp "$TMPD/out" "$MMSTALL_RESULTS/status-load.txt"
[ -s "$MMSTALL_RESULTS/status-load.txt" ]
check $? "mmstall status prints something"

if report_flat "$TMPD/report"; then
	ok "mmstall report --json is valid JSON"
else
	not_ok "mmstall report --json is valid JSON"
	diag_file "$TMPD/report.err"
fi
probe_lines "$TMPD/report" >"$TMPD/probes"
diag "probes (class target kind state hits missed error):"
diag_file "$TMPD/probes" 40
kallsyms_rwsem >"$MMSTALL_RESULTS/kallsyms-rwsem-load.txt"

# Probe states agree with kallsyms.
for dir in read write; do
	class=rwsem_$dir
	awk -v c="$class" '$1 == c' "$TMPD/probes" >"$TMPD/p.$dir"
	if [ ! -s "$TMPD/p.$dir" ]; then
		not_ok "$class listed among the probes"
		continue
	fi
	if kallsyms_has_slowpath "$dir"; then
		if grep -q ' attached ' "$TMPD/p.$dir"; then
			ok "$class attached (slowpath in kallsyms)"
		else
			not_ok "$class attached (slowpath in kallsyms)"
			diag_file "$TMPD/p.$dir"
		fi
	else
		if awk '$4 != "missing" { bad = 1 } END { exit bad }' \
			"$TMPD/p.$dir"; then
			ok "$class missing (no slowpath in kallsyms)"
		else
			not_ok "$class missing (no slowpath in kallsyms)"
			diag_file "$TMPD/p.$dir"
		fi
		if awk '$7 == "" || $7 == 0 { bad = 1 } END { exit bad }' \
			"$TMPD/p.$dir"; then
			ok "$class missing probes carry an error"
		else
			not_ok "$class missing probes carry an error"
			diag_file "$TMPD/p.$dir"
		fi
	fi
done

# Whatever the probes' states, every subcommand works.
run_ok "mmstall report exits 0" "$MMSTALL" report
run_ok "mmstall hist exits 0" "$MMSTALL" hist
run_ok "mmstall hist -C rwsem_write exits 0" "$MMSTALL" hist -C rwsem_write
run_ok "mmstall top 1 1 exits 0" run_timeout 30 "$MMSTALL" top 1 1
run_ok "mmstall reset exits 0" "$MMSTALL" reset
run_fails "mmstall with an unknown subcommand fails" "$MMSTALL" frobnicate
run_fails "mmstall hist -C with an unknown class fails" \
	"$MMSTALL" hist -C no_such_class

dmesg_since >"$TMPD/dmesg"
if grep -Eq "$dmesg_bad_re" "$TMPD/dmesg"; then
	not_ok "no kernel warnings after load"
	diag_file "$TMPD/dmesg" 40
else
	ok "no kernel warnings after load"
fi

mod_unload
check $? "rmmod mmstall" || diag_file "$TMPD/rmmod"
if mod_loaded; then
	not_ok "module gone after rmmod"
else
	ok "module gone after rmmod"
fi
[ ! -e "$DBGDIR" ]
check $? "debugfs directory removed on unload"

tap_done
