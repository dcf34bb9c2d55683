#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 05-unload-under-load: rmmod and insmod while mmchurn keeps threads
# sleeping in the rwsem slowpaths (kretprobe instances in flight), while
# the reader runs, and again when idle.  No crash, no warning, and the
# workload is unharmed.  The harness also scans the console.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

CYCLES=${CYCLES:-3}

mod_ensure_unloaded
dmesg_mark
under_load_begin
[ -z "$UNDER_LOAD_PARAMS" ] ||
	skip "unload and load under load at defaults" \
		"$UNDER_LOAD_WHY; done with $UNDER_LOAD_PARAMS"
# shellcheck disable=SC2086 # parameters, split on purpose
if ! mod_load $UNDER_LOAD_PARAMS; then
	not_ok "insmod mmstall.ko $UNDER_LOAD_PARAMS"
	diag_file "$TMPD/insmod"
	tap_done
fi
ok "insmod mmstall.ko $UNDER_LOAD_PARAMS"

"$MMCHURN" -t 16 -d 120 >"$TMPD/churn" 2>&1 &
churn=$!
sleep 2
if kill -0 "$churn" 2>/dev/null; then
	ok "mmchurn running in the background"
else
	not_ok "mmchurn running in the background"
	diag_file "$TMPD/churn"
fi

i=1
while [ "$i" -le "$CYCLES" ]; do
	# A reader in flight too, on the last cycle.
	reader=
	if [ "$i" -eq "$CYCLES" ]; then
		run_timeout 30 "$MMSTALL" top 1 3 >/dev/null 2>&1 &
		reader=$!
		sleep 1
	fi
	# The reader may hold a debugfs file open for a moment: retry.
	n=0
	st=1
	while [ $n -lt 10 ]; do
		mod_unload && st=0 && break
		n=$((n + 1))
		sleep 1
	done
	check $st "cycle $i: rmmod under load" || diag_file "$TMPD/rmmod"
	[ $n -eq 0 ] || diag "rmmod needed $((n + 1)) tries"
	[ -z "$reader" ] || wait "$reader"
	sleep 1
	# shellcheck disable=SC2086 # parameters, split on purpose
	mod_load $UNDER_LOAD_PARAMS
	check $? "cycle $i: insmod under load" || diag_file "$TMPD/insmod"
	sleep 2
	"$MMSTALL" status >"$TMPD/out" 2>&1
	check $? "cycle $i: status under load" || diag_file "$TMPD/out"
	i=$((i + 1))
done

mod_unload
check $? "rmmod under load, last" || diag_file "$TMPD/rmmod"
kill -0 "$churn" 2>/dev/null
check $? "mmchurn still running after the unloads"
kill -TERM "$churn" 2>/dev/null
wait "$churn"
st=$?
check $st "mmchurn stopped cleanly by SIGTERM" || diag_file "$TMPD/churn"
grep -q 'pid=' "$TMPD/churn"
check $? "mmchurn printed its summary"
diag_file "$TMPD/churn"
under_load_end
check $? "the CPUs taken offline for the cycles are back online"

# Idle load and unload.
mod_load
check $? "insmod when idle" || diag_file "$TMPD/insmod"
mod_unload
check $? "rmmod when idle" || diag_file "$TMPD/rmmod"

dmesg_since >"$TMPD/dmesg"
if grep -Eq "$dmesg_bad_re" "$TMPD/dmesg"; then
	not_ok "no kernel warnings across the cycles"
	diag_file "$TMPD/dmesg" 60
else
	ok "no kernel warnings across the cycles"
fi

tap_done
