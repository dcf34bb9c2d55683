#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 10-stress: the module under abuse.  (a) 50 loads and unloads at the
# default parameters while mmchurn contends and slabbench refills slabs
# (every class attached, the return-site kprobes of slab_refill and
# compaction registered and unregistered each time; fewer cycles if the
# time budget runs out first, said in the result); (b) several
# readers of every debugfs file at once while "reset" is written in a loop
# and mmchurn runs; (c) 64 live processes and 16 task slots: each process
# hits the madvise probe once, and has a slot or is counted lost, exactly;
# (d) return_sites=0 maxactive=1 with many tasks asleep in slab_start (the
# slabinfo_readers kretprobe: they queue on slab_mutex inside it): missed
# returns are counted; (e) random,
# binary and oversized writes to control; (f) run-time parameter writes
# out of range (02-params covers load time).  No crash, no warning, and
# the module still works afterwards.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

R=$MMSTALL_RESULTS
CONTROL=$DBGDIR/control
PARAMS=/sys/module/mmstall/parameters
CYCLES=${STRESS_CYCLES:-50}
SECONDS_B=${STRESS_SECONDS:-12}
FAN=${STRESS_FAN:-64}
TASKFAN=$MMSTALL_ROOT/bin/taskfan
SLABREAD=$MMSTALL_ROOT/bin/slabread

uptime_s() { cut -d' ' -f1 /proc/uptime; }
secs_since() { awk -v a="$1" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }'; }

# unload_retry: rmmod, retried for up to 10 s (a reader may hold a file).
unload_retry()
{
	_n=0
	while [ $_n -lt 10 ]; do
		mod_unload && return 0
		_n=$((_n + 1))
		sleep 1
	done
	return 1
}

# status_field KEY: the value after KEY on the status line starting with KEY.
status_field()
{
	awk -v k="$1" '$1 == k { print $2; exit }' "${2:-$DBGDIR/status}"
}

# lost_field NAME [FILE]: a counter of the status "lost" line.
lost_field()
{
	awk -v k="$1" '$1 == "lost" { for (i = 2; i < NF; i++) if ($i == k) print $(i + 1) }' \
		"${2:-$DBGDIR/status}"
}

# probe_col TARGET COLUMN [FILE]: a column (5 hits, 6 missed) of a probe line.
probe_col()
{
	awk -v t="$1" -v c="$2" 'NF == 7 && $2 == t { print $c; exit }' \
		"${3:-$DBGDIR/status}"
}

# at NAME: a diagnostic with the time since the start of this file.
T0=$(uptime_s)
at() { diag "$(secs_since "$T0") s: $*"; }

mod_ensure_unloaded
dmesg_mark

# --- (a) load/unload cycles under contention --------------------------
at "(a) load/unload cycles"
# The cycles' load parameters: UNDER_LOAD_PARAMS and UNDER_LOAD_WHY (lib.sh).
if [ -n "$UNDER_LOAD_PARAMS" ]; then
	skip "(a) cycles with every class at defaults" \
		"$UNDER_LOAD_WHY; cycled with $UNDER_LOAD_PARAMS"
fi
# Under TCG a load or unload under contention takes from 0.5 to 15 s
# (probe registration, RCU grace periods), depending on the host's load:
# the cycles stop at a time budget, 30% of this file's timeout.
budget=$((${MMSTALL_TEST_TIMEOUT:-150} * 3 / 10))
under_load_begin
"$MMCHURN" -t 4 -d 3600 >"$TMPD/churn-a" 2>&1 &
churn=$!
# slab refills all the time: the return sites are hit while they come and go
(while :; do "$MMSTALL_ROOT/bin/slabbench" -n 200 -r 2 || exit 1; done) \
	>"$TMPD/slab-a" 2>&1 &
slabloop=$!
sleep 1
t0=$(uptime_s)
i=0
failed=
while [ "$i" -lt "$CYCLES" ]; do
	if [ "$i" -gt 0 ] &&
		awk -v a="$t0" -v b="$(uptime_s)" -v m="$budget" 'BEGIN { exit !(b - a > m) }'; then
		break
	fi
	i=$((i + 1))
	# shellcheck disable=SC2086 # parameters, split on purpose
	if ! mod_load $UNDER_LOAD_PARAMS; then
		failed="insmod in cycle $i"
		cp "$TMPD/insmod" "$TMPD/why"
		break
	fi
	if [ $((i % 10)) -eq 0 ] && ! cat "$DBGDIR/status" >"$TMPD/why" 2>&1; then
		failed="status in cycle $i"
		break
	fi
	if ! unload_retry; then
		failed="rmmod in cycle $i"
		cp "$TMPD/rmmod" "$TMPD/why"
		break
	fi
done
took=$(secs_since "$t0")
if [ -n "$failed" ]; then
	not_ok "(a) loads and unloads while mmchurn runs: $failed"
	diag_file "$TMPD/why"
elif [ "$i" -eq "$CYCLES" ]; then
	ok "(a) $CYCLES loads and unloads${UNDER_LOAD_PARAMS:+ ($UNDER_LOAD_PARAMS)} while mmchurn runs ($took s)"
else
	ok "(a) $i loads and unloads${UNDER_LOAD_PARAMS:+ ($UNDER_LOAD_PARAMS)} while mmchurn runs (of $CYCLES: the $budget s budget ran out)"
fi
echo "cycles=$i of=$CYCLES seconds=$took budget=$budget" >"$R/stress-cycles.txt"
kill -0 "$slabloop" 2>/dev/null
check $? "(a) slabbench loop still running after the cycles" ||
	diag_file "$TMPD/slab-a"
kill -TERM "$slabloop" 2>/dev/null
wait "$slabloop" 2>/dev/null
kill -0 "$churn" 2>/dev/null
check $? "(a) mmchurn still running after the cycles"
kill -TERM "$churn" 2>/dev/null
wait "$churn"
check $? "(a) mmchurn stopped cleanly" || diag_file "$TMPD/churn-a"
mod_ensure_unloaded
under_load_end
check $? "(a) the CPUs taken offline for the cycles are back online"

# --- (b) concurrent readers, resets and a workload ---------------------
at "(b) concurrent readers"
# events streams and has one reader at a time: the others' EBUSY, and
# the end of each 1 s read (a SIGTERM), are not errors.
t0=$(uptime_s)
# shellcheck disable=SC2086 # parameters, split on purpose
if ! mod_load $UNDER_LOAD_PARAMS; then
	not_ok "(b) insmod mmstall.ko"
	diag_file "$TMPD/insmod"
	tap_done
fi
files=$(cd "$DBGDIR" && for f in *; do [ "$f" != control ] && echo "$f"; done)
diag "(b) debugfs files read: $(echo "$files" | tr '\n' ' ')"
"$MMCHURN" -t 4 -d $((SECONDS_B + 30)) >"$TMPD/churn-b" 2>&1 &
churn=$!
end=$(($(cut -d. -f1 /proc/uptime) + SECONDS_B))
pids=
# reader FILE K: read FILE until $end; counts in $TMPD/rd.FILE.K.{n,err}.
# events streams: read it for a moment; only one reader at a time (EBUSY).
reader()
{
	_n=0
	: >"$TMPD/rd.$1.$2.err"
	while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; do
		if [ "$1" = events ]; then
			# killed by this shell, not by timeout(1)'s watcher: a
			# 6.1-debug run once left one such cat unkilled
			cat "$DBGDIR/$1" >/dev/null 2>>"$TMPD/rd.$1.$2.err" &
			_cat=$!
			sleep 1
			kill "$_cat" 2>/dev/null
			wait "$_cat"
		else
			cat "$DBGDIR/$1" >/dev/null 2>>"$TMPD/rd.$1.$2.err"
		fi
		_n=$((_n + 1))
	done
	echo "$_n" >"$TMPD/rd.$1.$2.n"
}
for f in $files; do
	for k in 1 2 3; do
		reader "$f" "$k" &
		pids="$pids $!"
	done
done
# the reader's own parser, on live snapshots
(
	n=0 bad=0
	while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; do
		"$MMSTALL" report --json >/dev/null 2>>"$TMPD/report.err" || bad=$((bad + 1))
		n=$((n + 1))
	done
	echo "$n $bad" >"$TMPD/report.n"
) &
pids="$pids $!"
# A reader still stuck a minute after the end is a hang: where every task
# waits goes to /results/stress-hang.txt, and the stragglers are killed so
# that their files close and the module can be unloaded.
(
	sleep $((SECONDS_B + 60))
	for p in /proc/[0-9]*; do
		echo "== ${p#/proc/} $(cat "$p/comm") wchan $(cat "$p/wchan")"
		cat "$p/stack"
	done >"$R/stress-hang.txt" 2>/dev/null
	for p in /proc/[0-9]*; do
		case $(tr '\0' ' ' <"$p/cmdline") in
		*"$DBGDIR"* | *"$MMSTALL "*) kill -9 "${p#/proc/}" ;;
		esac
	done 2>/dev/null
) &
watchdog=$!
resets=0 reset_bad=0
while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; do
	echo reset >"$CONTROL" 2>>"$TMPD/reset.err" || reset_bad=$((reset_bad + 1))
	resets=$((resets + 1))
done
# shellcheck disable=SC2086 # a list of pids
wait $pids
kill "$watchdog" 2>/dev/null
diag "(b) $resets resets ($reset_bad failed); readers done after $(secs_since "$t0") s"
if [ -s "$R/stress-hang.txt" ]; then
	not_ok "(b) readers finished within a minute of the end"
	grep -B 1 -A 8 mmstall "$R/stress-hang.txt" | head -n 60 | sed 's/^/#   /'
fi
[ "$reset_bad" -eq 0 ] && [ "$resets" -gt 0 ]
check $? "(b) every reset written while readers run succeeded" ||
	diag_file "$TMPD/reset.err"
for f in $files; do
	n=0 errs=0
	for k in 1 2 3; do
		n=$((n + $(cat "$TMPD/rd.$f.$k.n" 2>/dev/null || echo 0)))
		errs=$((errs + $(grep -Evci 'busy|terminated' "$TMPD/rd.$f.$k.err")))
	done
	cat "$TMPD"/rd."$f".*.err >"$TMPD/errs"
	if [ "$n" -gt 0 ] && [ "$errs" -eq 0 ]; then
		ok "(b) 3 concurrent readers of $f: $n reads, no error"
	else
		not_ok "(b) 3 concurrent readers of $f: $n reads, $errs errors"
		diag_file "$TMPD/errs"
	fi
done
if read -r n bad <"$TMPD/report.n" && [ "$n" -gt 0 ] && [ "$bad" -eq 0 ]; then
	ok "(b) mmstall report --json on $n live snapshots"
else
	not_ok "(b) mmstall report --json on live snapshots: $(cat "$TMPD/report.n")"
	diag_file "$TMPD/report.err"
fi
kill -0 "$churn" 2>/dev/null
check $? "(b) mmchurn still running"
kill -TERM "$churn" 2>/dev/null
wait "$churn"
"$MMSTALL" status >"$TMPD/out" 2>&1
check $? "(b) status after the storm" || diag_file "$TMPD/out"
unload_retry
check $? "(b) rmmod after the storm" || diag_file "$TMPD/rmmod"

# --- (c) more live tasks than task slots ---------------------------------
at "(c) task slots"
# taskfan resets, forks $FAN children that each call madvise(2) once and
# stay alive, copies status and snapshot, then lets them go.  A window is
# quiet when no probe but madvise was hit (another task or lock would
# make the lost counter ambiguous): up to 3 tries for one.  kretprobes=0:
# where the kretprobe-only classes are on by default (before rethook), the
# children's own forks hit slab_refill in every window.
if ! mod_load max_tasks=16 kretprobes=0; then
	not_ok "(c) insmod max_tasks=16 kretprobes=0"
	diag_file "$TMPD/insmod"
else
	ok "(c) insmod max_tasks=16 kretprobes=0"
	quiet=
	try=1
	while [ $try -le 3 ]; do
		if ! "$TASKFAN" -n "$FAN" -D "$DBGDIR" -s "$R/stress-fan-status.txt" \
			-o "$TMPD/fan.snap" >"$TMPD/fan.out" 2>&1; then
			not_ok "(c) taskfan -n $FAN"
			diag_file "$TMPD/fan.out"
			break
		fi
		others=$(awk 'NF == 7 && $5 ~ /^[0-9]+$/ && $2 !~ /madvise$/ { n += $5 } END { print n + 0 }' \
			"$R/stress-fan-status.txt")
		if [ "$others" -eq 0 ]; then
			quiet=1
			break
		fi
		diag "(c) try $try: $others hits of other probes in the window; again"
		try=$((try + 1))
	done
	S=$R/stress-fan-status.txt
	if [ -s "$S" ]; then
		used=$(status_field tasks "$S")
		lost=$(lost_field task_slots "$S")
		target=$(awk 'NF == 7 && $2 ~ /madvise$/ { print $2; exit }' "$S")
		hits=$(probe_col "$target" 5 "$S")
		"$MMSTALL" -f "$TMPD/fan.snap" report --json >"$R/stress-fan.json" 2>"$TMPD/err"
		check $? "(c) the snapshot taken with $FAN children alive parses" ||
			diag_file "$TMPD/err"
		# recorded children, and their madvise counts
		jflat <"$R/stress-fan.json" >"$TMPD/fan.flat" 2>"$TMPD/err"
		awk -F= '
			/^tasks\[[0-9]+\]\.comm=/ { t++; if ($2 == "taskfan-child") c++ }
			/^mm_calls\[[0-9]+\]\.comm=taskfan-child$/ { m = 1; next }
			/^mm_calls\[[0-9]+\]\.comm=/ { m = 0 }
			m && /^mm_calls\[[0-9]+\]\.calls\.madvise=/ { a += $2 }
			END { print t + 0, c + 0, a + 0 }' "$TMPD/fan.flat" >"$TMPD/fan.counts"
		read -r tasks kids kid_calls <"$TMPD/fan.counts"
		diag "(c) status: tasks $used, lost task_slots $lost, $target hits $hits;" \
			"report: $tasks tasks, $kids of them children, $kid_calls madvise calls"
		[ "$used" = 16/16 ] && [ "$tasks" -eq 16 ]
		check $? "(c) all 16 task slots used ($used), 16 tasks in the report"
		[ "${lost:-0}" -gt 0 ]
		check $? "(c) tasks without a slot counted (lost task_slots $lost)"
		if [ -z "$target" ]; then
			skip "(c) the madvise probe hit once per child" "no madvise probe"
			skip "(c) each child recorded or counted lost" "no madvise probe"
		elif [ -z "$quiet" ]; then
			skip "(c) the madvise probe hit once per child" \
				"no quiet window in 3 tries (other tasks hit probes)"
			[ $((kids + lost)) -ge "$FAN" ]
			check $? "(c) each child recorded or counted lost: $kids + $lost >= $FAN"
		else
			[ "$hits" -eq "$FAN" ] && [ "$kid_calls" -eq "$kids" ]
			check $? "(c) the madvise probe hit once per child: $hits hits, $kid_calls by $kids recorded children"
			[ "$kids" -eq 16 ] && [ $((kids + lost)) -eq "$FAN" ]
			check $? "(c) each child recorded or counted lost, exactly: $kids + $lost = $FAN"
		fi
	fi
	unload_retry
	check $? "(c) rmmod" || diag_file "$TMPD/rmmod"
fi

# --- (d) kretprobe instances exhausted -----------------------------------
at "(d) kretprobe instances"
# The kretprobe on slab_start (return_sites=0 asks for the kretprobes):
# maxactive=1 and 8 readers of /proc/slabinfo queued on slab_mutex
# inside slab_start.
kret_col()
{
	awk -v c="$1" 'NF == 7 && $2 == "slab_start" && $3 == "kretprobe" { print $c; exit }' \
		"${2:-$DBGDIR/status}"
}
if [ ! -r /proc/slabinfo ]; then
	skip "(d) kretprobe missed counted with maxactive=1" "no /proc/slabinfo"
elif ! mod_load return_sites=0 maxactive=1; then
	not_ok "(d) insmod return_sites=0 maxactive=1"
	diag_file "$TMPD/insmod"
else
	ok "(d) insmod return_sites=0 maxactive=1"
	state=$(kret_col 4)
	if [ "$state" != attached ]; then
		skip "(d) slab_start returns missed with maxactive=1" \
			"slabinfo_readers kretprobe ${state:-absent} on this kernel"
	else
		"$MMSTALL" reset
		pids=
		for k in 1 2 3 4 5 6 7 8; do
			"$SLABREAD" -n 30 -c "slabrd$k" >"$TMPD/slabread.$k" 2>&1 &
			pids="$pids $!"
		done
		# shellcheck disable=SC2086 # a list of pids
		wait $pids
		cat "$DBGDIR/status" >"$R/stress-maxactive-status.txt"
		"$MMSTALL" report --json >"$R/stress-maxactive.json" 2>"$TMPD/err"
		check $? "(d) report --json" || diag_file "$TMPD/err"
		jflat tasks <"$R/stress-maxactive.json" >"$TMPD/ma.flat" 2>/dev/null
		missed=$(kret_col 6 "$R/stress-maxactive-status.txt")
		hits=$(kret_col 5 "$R/stress-maxactive-status.txt")
		jmissed=$(jget "$TMPD/ma.flat" lost.kretprobe_missed)
		diag "(d) slab_start: hits $hits missed $missed; lost.kretprobe_missed $jmissed"
		[ "${missed:-0}" -gt 0 ]
		check $? "(d) slab_start returns missed with maxactive=1 (status: $missed)"
		[ "${jmissed:-0}" -ge "${missed:-0}" ] && [ "${jmissed:-0}" -gt 0 ]
		check $? "(d) snapshot lost.kretprobe_missed counts them ($jmissed)"
	fi
	mod_unload
	check $? "(d) rmmod" || diag_file "$TMPD/rmmod"
fi

# --- (e) bad writes to control -------------------------------------------
at "(e) bad writes"
# write_einval NAME FILE: one write(2) of FILE must fail with EINVAL.
write_einval()
{
	_size=$(wc -c <"$2")
	if ! dd if="$2" of="$CONTROL" bs="$_size" count=1 >"$TMPD/dd" 2>&1 &&
		grep -q 'Invalid argument' "$TMPD/dd"; then
		return 0
	fi
	diag "$1: not refused with EINVAL:"
	diag_file "$TMPD/dd"
	return 1
}

if ! mod_load; then
	not_ok "(e) insmod mmstall.ko"
	diag_file "$TMPD/insmod"
	tap_done
fi
i=0 bad=0
while [ $i -lt 100 ]; do
	len=$(($(head -c 2 /dev/urandom | od -An -tu2 | tr -d ' ') % 31 + 1))
	head -c "$len" /dev/urandom >"$TMPD/w"
	write_einval "random write $i ($len bytes)" "$TMPD/w" || bad=$((bad + 1))
	i=$((i + 1))
done
check $bad "(e) 100 random binary writes of 1-31 bytes fail with EINVAL"
bad=0
for size in 4097 65537 1048576; do
	head -c "$size" /dev/urandom >"$TMPD/w"
	write_einval "$size random bytes" "$TMPD/w" || bad=$((bad + 1))
	{ printf 'reset\n'; head -c $((size - 6)) /dev/zero; } >"$TMPD/w"
	write_einval "reset + $((size - 6)) NULs" "$TMPD/w" || bad=$((bad + 1))
done
check $bad "(e) writes over a page, over 64 KiB and of 1 MiB fail with EINVAL"
# one command split over two write(2) calls is two bad commands
sh -c "exec 3>$CONTROL; printf res >&3; r1=\$?; printf et >&3; r2=\$?; [ \$r1 -ne 0 ] && [ \$r2 -ne 0 ]" \
	>"$TMPD/out" 2>&1
check $? "(e) 'res' and 'et' in two writes are both refused" || diag_file "$TMPD/out"
mod_loaded
check $? "(e) module still loaded after the bad writes"
sh -c "echo reset >$CONTROL" >"$TMPD/out" 2>&1
check $? "(e) reset still accepted" || diag_file "$TMPD/out"
"$MMCHURN" -t 8 -d 2 >"$TMPD/churn-e" 2>&1
cat "$DBGDIR/status" >"$TMPD/st"
madv=$(awk 'NF == 7 && $2 ~ /madvise$/ { print $5; exit }' "$TMPD/st")
[ "${madv:-0}" -gt 0 ]
check $? "(e) still recording afterwards (madvise hits $madv)" || diag_file "$TMPD/st"

# --- (f) run-time parameters out of range --------------------------------
at "(f) run-time parameters"
for p in stack_threshold_ns event_threshold_ns; do
	f=$PARAMS/$p
	if [ ! -w "$f" ]; then
		skip "(f) $p refuses out-of-range values at run time" "$f not writable"
		continue
	fi
	before=$(cat "$f")
	bad=0
	for v in 60000000001 -1 abc 18446744073709551616; do
		dmesg_mark
		if sh -c "echo $v >$f" 2>/dev/null; then
			diag "$p=$v accepted"
			bad=$((bad + 1))
		elif ! dmesg_since | grep -q "$p"; then
			diag "$p=$v refused without a kernel message naming it"
			bad=$((bad + 1))
		fi
	done
	[ "$(cat "$f")" = "$before" ] || { diag "$p changed to $(cat "$f")"; bad=$((bad + 1)); }
	check $bad "(f) $p refuses out-of-range values at run time, with a message"
	echo 60000000000 >"$f" && [ "$(cat "$f")" = 60000000000 ]
	check $? "(f) $p accepts its maximum, 60 s"
	echo "$before" >"$f"
done
unload_retry
check $? "(e, f) rmmod" || diag_file "$TMPD/rmmod"

at "end"
dmesg_since >"$TMPD/dmesg"
if grep -Eq "$dmesg_bad_re" "$TMPD/dmesg"; then
	not_ok "no kernel warnings under stress"
	diag_file "$TMPD/dmesg" 60
else
	ok "no kernel warnings under stress"
fi

tap_done
