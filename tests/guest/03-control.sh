#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 03-control: the control file accepts "reset" and nothing else; a reset
# forgets the tasks seen so far (exited ones included) and restarts the
# window.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

CONTROL=$DBGDIR/control

# write_control NAME EXPECT FILE: write FILE to control in one write(2).
write_control()
{
	_name=$1
	_expect=$2
	_size=$(wc -c <"$3")
	dd if="$3" of="$CONTROL" bs="$_size" count=1 >"$TMPD/dd" 2>&1
	_st=$?
	if [ "$_expect" = ok ]; then
		check $_st "$_name" || diag_file "$TMPD/dd"
	elif [ $_st -eq 0 ]; then
		not_ok "$_name"
		diag "the write succeeded"
	elif grep -q 'Invalid argument' "$TMPD/dd"; then
		ok "$_name"
	else
		not_ok "$_name"
		diag "failed, but not with EINVAL:"
		diag_file "$TMPD/dd"
	fi
}

mod_ensure_unloaded
if ! mod_load; then
	not_ok "insmod mmstall.ko"
	diag_file "$TMPD/insmod"
	tap_done
fi
ok "insmod mmstall.ko"

# Invalid writes.
sh -c "echo bogus >$CONTROL" >"$TMPD/out" 2>&1
st=$?
if [ $st -ne 0 ] && grep -q 'Invalid argument' "$TMPD/out"; then
	ok "echo bogus > control fails with EINVAL"
else
	not_ok "echo bogus > control fails with EINVAL"
	diag "exit $st"
	diag_file "$TMPD/out"
fi
printf 'resetx\n' >"$TMPD/w"
write_control "'resetx' fails with EINVAL" einval "$TMPD/w"
printf 'reset reset\n' >"$TMPD/w"
write_control "'reset reset' fails with EINVAL" einval "$TMPD/w"
printf '\n' >"$TMPD/w"
write_control "an empty line fails with EINVAL" einval "$TMPD/w"
printf 're\000set\n' >"$TMPD/w"
write_control "'re\\0set' fails with EINVAL" einval "$TMPD/w"
printf '\377\376\001\002\200reset\033[0m\n' >"$TMPD/w"
write_control "binary garbage fails with EINVAL" einval "$TMPD/w"
# 4 KiB and 64 KiB in one write(2), starting with a valid command.
{ printf reset; head -c 4091 /dev/zero | tr '\0' ' '; } >"$TMPD/w"
write_control "a 4 KiB write fails" fail "$TMPD/w"
head -c 65536 /dev/zero | tr '\0' 'a' >"$TMPD/w"
dd if="$TMPD/w" of="$CONTROL" bs=65536 count=1 >"$TMPD/dd" 2>&1
if [ $? -ne 0 ]; then
	ok "a 64 KiB write fails"
else
	not_ok "a 64 KiB write fails"
fi
check "$(mod_loaded; echo $?)" "module still loaded after bad writes"

# Valid writes.
sh -c "echo reset >$CONTROL" >"$TMPD/out" 2>&1
check $? "echo reset > control succeeds" || diag_file "$TMPD/out"
printf reset >"$TMPD/w"
write_control "'reset' without a newline succeeds" ok "$TMPD/w"

# A reset forgets what a workload left.
"$MMCHURN" -t 8 -d 3 >"$TMPD/churn" 2>&1
check $? "mmchurn -t 8 -d 3" || diag_file "$TMPD/churn"
pid=$(kv "$TMPD/churn" pid)
"$MMSTALL" report --json >"$TMPD/before.json" 2>"$TMPD/err"
check $? "report --json after the workload" || diag_file "$TMPD/err"
# Count mmchurn's tasks without parsing the (possibly large) document.
before=$(grep -oE "\"tgid\": *${pid}[^0-9]" "$TMPD/before.json" | wc -l)
diag "mmchurn pid $pid: $before tasks in the report before reset"
sleep 1

sh -c "echo reset >$CONTROL" >"$TMPD/out" 2>&1
check $? "echo reset > control after the workload" || diag_file "$TMPD/out"
report_flat "$TMPD/after"
check $? "report --json after reset is valid JSON" ||
	diag_file "$TMPD/after.err"
after=$(task_count_tgid "$TMPD/after" "$pid")
if [ "$before" -eq 0 ]; then
	skip "reset forgets mmchurn's exited tasks" \
		"no mmchurn task in the report before reset (no rwsem probe attached?)"
elif [ "$after" -eq 0 ]; then
	ok "reset forgets mmchurn's exited tasks ($before before, 0 after)"
else
	not_ok "reset forgets mmchurn's exited tasks ($before before, $after after)"
fi
# Probe counters restart too.
jflat tasks <"$TMPD/before.json" >"$TMPD/before" 2>/dev/null
hits_before=$(probe_lines "$TMPD/before" |
	awk '$1 ~ /^rwsem_/ { n += $5 } END { print n + 0 }')
w_before=$(jget "$TMPD/before" window.seconds)
w_after=$(jget "$TMPD/after" window.seconds)
if [ -n "$w_before" ] && [ -n "$w_after" ] &&
	awk -v a="$w_after" -v b="$w_before" 'BEGIN { exit !(a < b) }'; then
	ok "window restarts at reset ($w_before s before, $w_after s after)"
else
	not_ok "window restarts at reset ($w_before s before, $w_after s after)"
fi
hits_after=$(probe_lines "$TMPD/after" |
	awk '$1 ~ /^rwsem_/ { n += $5 } END { print n + 0 }')
if [ "$hits_before" -eq 0 ]; then
	skip "rwsem probe hits restart at reset" "no rwsem hits before reset"
elif [ "$hits_after" -lt "$hits_before" ]; then
	ok "rwsem probe hits restart at reset ($hits_before before, $hits_after after)"
else
	not_ok "rwsem probe hits restart at reset ($hits_before before, $hits_after after)"
fi
stalls=$(stall_total "$TMPD/after")
diag "stalls counted since reset: $stalls"

# The reader's own reset does the same.
run_ok "mmstall reset exits 0" "$MMSTALL" reset

# A task that runs across a reset is recorded again after it: each CPU
# keeps the last slot it found, and a reset must drop those.
# One thread that maps and unmaps without pause: it stays in each CPU's
# cache (jitmap is ended with a kill once the report is taken).
"$MMSTALL_ROOT/bin/jitmap" -t 1 -n 100000000 >"$TMPD/across-jit" 2>&1 &
cpid=$!
sleep 2
sh -c "echo reset >$CONTROL" >"$TMPD/out" 2>&1
check $? "reset while jitmap -t 1 runs" || diag_file "$TMPD/out"
sleep 2
report_flat "$TMPD/across"
check $? "report --json after that reset" || diag_file "$TMPD/across.err"
kill "$cpid" 2>/dev/null
wait "$cpid" 2>/dev/null
calls=$(awk -v t="$cpid" -F= '
	/^mm_calls\[[0-9]+\]\.tgid=/ { split($1, a, /[][]/); tg[a[2]] = $2 }
	/^mm_calls\[[0-9]+\]\.calls\./ { split($1, a, /[][]/); c[a[2]] += $2 }
	END { for (i in c) if (tg[i] == t) n += c[i]; print n + 0 }' "$TMPD/across")
if [ "$calls" -gt 0 ]; then
	ok "jitmap, running across the reset, is recorded after it ($calls mm calls)"
else
	not_ok "jitmap, running across the reset, is recorded after it (no mm calls of pid $cpid)"
	grep -E "^mm_calls\[[0-9]+\]\.(tgid|comm)=" "$TMPD/across" | head -n 20 |
		while read -r l; do diag "$l"; done
fi

mod_unload
check $? "rmmod mmstall" || diag_file "$TMPD/rmmod"

tap_done
