#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 09-export: `mmstall report -d` and `mmstall export --prometheus` on a
# live module.  While mmchurn fights over its mmap_lock (seed 000),
# report -d 3 resets, collects three seconds and writes report-d.txt;
# export writes metrics.prom right after.  The host's check
# (tests/vm/checks/check_export.py) parses both: the SUMMARY must name
# mmchurn, the metrics must be valid Prometheus text.  Here: exit codes,
# atomic files, the --interval loop and its clean exit on SIGTERM.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

CHURN_SECONDS=${CHURN_SECONDS:-8}
R=$MMSTALL_RESULTS

mod_ensure_unloaded
if ! mod_load; then
	not_ok "insmod mmstall.ko"
	diag_file "$TMPD/insmod"
	tap_done
fi
ok "insmod mmstall.ko"

"$MMCHURN" -d "$CHURN_SECONDS" >"$R/mmchurn-export.out" 2>&1 &
churn=$!
sleep 1

# stderr is a file here, not a terminal: no progress line expected
run_timeout 60 "$MMSTALL" report -d 3 -o "$R/report-d.txt" 2>"$TMPD/err"
check $? "report -d 3 -o FILE exits 0" || diag_file "$TMPD/err"
[ ! -s "$TMPD/err" ]
check $? "report -d: nothing on stderr when it is not a terminal" ||
	diag_file "$TMPD/err"
head -n 1 "$R/report-d.txt" 2>/dev/null | grep -q '^SUMMARY ('
check $? "report -d: the report opens with a SUMMARY" ||
	diag_file "$R/report-d.txt"
[ ! -e "$R/report-d.txt.tmp" ]
check $? "report -d: no FILE.tmp left behind"
sed -n '1,/^$/p' "$R/report-d.txt" >"$TMPD/summary"
diag "summary:"
diag_file "$TMPD/summary"

"$MMSTALL" export --prometheus -o "$R/metrics.prom" 2>"$TMPD/err"
check $? "export --prometheus -o FILE exits 0" || diag_file "$TMPD/err"
grep -q '^mmstall_up 1$' "$R/metrics.prom" 2>/dev/null
check $? "export: mmstall_up 1"
grep -q '^# TYPE mmstall_stall_seconds histogram$' "$R/metrics.prom" \
	2>/dev/null
check $? "export: the stall histogram family"
[ ! -e "$R/metrics.prom.tmp" ]
check $? "export: no FILE.tmp left behind"
if grep -q '^mmstall_probe_attached{class="rwsem_[a-z]*",.*} 1$' \
	"$R/metrics.prom"; then
	grep -q 'process mmchurn (pid' "$TMPD/summary"
	check $? "report -d: SUMMARY names mmchurn"
	grep -q '^mmstall_stall_seconds_count{class="rwsem_[a-z]*",process="mmchurn"}' \
		"$R/metrics.prom"
	check $? "export: rwsem waits of process mmchurn"
else
	skip "report -d: SUMMARY names mmchurn" "no rwsem probe attached"
	skip "export: rwsem waits of process mmchurn" \
		"no rwsem probe attached"
fi

wait "$churn"
check $? "mmchurn -d $CHURN_SECONDS" || diag_file "$R/mmchurn-export.out"

"$MMSTALL" report --json -o "$R/report-export.json" 2>"$TMPD/err"
check $? "report --json -o FILE exits 0" || diag_file "$TMPD/err"
grep -q '"summary": \[' "$R/report-export.json" 2>/dev/null
check $? "report --json: a summary key"

# The service's loop: rewrites the file, exits 0 on SIGTERM.
"$MMSTALL" export --prometheus -i 1 -o "$TMPD/loop.prom" \
	2>"$TMPD/loop.err" &
loop=$!
n=0
while [ ! -s "$TMPD/loop.prom" ] && [ $n -lt 20 ]; do
	sleep 1
	n=$((n + 1))
done
grep -q '^mmstall_up 1$' "$TMPD/loop.prom" 2>/dev/null
check $? "export -i 1: the file is written"
kill -TERM "$loop"
wait "$loop"
check $? "export -i 1: exits 0 on SIGTERM" || diag_file "$TMPD/loop.err"

mod_unload
check $? "rmmod mmstall" || diag_file "$TMPD/rmmod"
"$MMSTALL" export --prometheus -o "$TMPD/none.prom" >"$TMPD/out" 2>&1
st=$?
if [ $st -ne 0 ] && [ ! -e "$TMPD/none.prom" ]; then
	ok "export without the module fails and writes nothing"
else
	not_ok "export without the module fails and writes nothing"
	diag "exit $st"
	diag_file "$TMPD/out"
fi

tap_done
