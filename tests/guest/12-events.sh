#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 12-events: slow events.  While `mmstall events` reads debugfs "events",
# every stall at least as slow as the threshold reaches it with its
# kernel stack; a second reader is refused; the threshold set with -t is
# restored; a reader that falls behind is told how many it lost.  The
# host check (tests/vm/checks/check_events.py) compares the events with
# the histograms of the same window.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

R=$MMSTALL_RESULTS
PARAM=/sys/module/mmstall/parameters/event_threshold_ns
THRESHOLD_US=2000

mod_ensure_unloaded
if ! mod_load; then
	not_ok "insmod mmstall.ko"
	diag_file "$TMPD/insmod"
	tap_done
fi
ok "insmod mmstall.ko"

[ -e "$DBGDIR/events" ] && [ "$(stat -c %a "$DBGDIR/events")" = 400 ]
check $? "debugfs events exists, mode 0400 (root only)"
grep -q '^events idle threshold_ns 1000000$' "$DBGDIR/status"
check $? "status: events idle, threshold 1 ms by default" ||
	diag_file "$DBGDIR/status"

if ! awk '$1 == "rwsem_write" && $4 == "attached"' "$DBGDIR/status" |
	grep -q .; then
	skip "events of an mmap_lock storm" \
		"rwsem_write has no attached probe on this kernel"
	mod_unload
	tap_done
fi

# 1. A stream with a threshold, over one mmchurn run.
"$MMSTALL" reset
"$MMSTALL" events -t "$THRESHOLD_US" --json >"$R/events.ndjson" \
	2>"$TMPD/events.err" &
epid=$!
sleep 1
grep -q '^events reading threshold_ns 2000000$' "$DBGDIR/status"
check $? "status: events reading, threshold set by -t" ||
	diag_file "$DBGDIR/status"
[ "$(cat "$PARAM")" = 2000000 ]
check $? "-t $THRESHOLD_US wrote event_threshold_ns"
rmmod mmstall 2>"$TMPD/rmmod-busy"
rc=$?
[ "$rc" != 0 ] && mod_loaded
check $? "rmmod is refused while events is read (module in use)" ||
	diag_file "$TMPD/rmmod-busy"
cat "$DBGDIR/events" >/dev/null 2>"$TMPD/second"
rc=$?
[ "$rc" != 0 ] && grep -qi busy "$TMPD/second"
check $? "a second reader is refused (EBUSY)" || diag_file "$TMPD/second"

"$MMCHURN" -d 4 >"$R/events-mmchurn.out" 2>&1
check $? "mmchurn -d 4" || diag_file "$R/events-mmchurn.out"
sleep 1
kill -INT "$epid"
wait "$epid"
check $? "mmstall events exits 0 on SIGINT" || diag_file "$TMPD/events.err"
"$MMSTALL" report --json >"$R/events-report.json" 2>"$TMPD/err"
check $? "report --json of the same window" || diag_file "$TMPD/err"
[ "$(cat "$PARAM")" = 1000000 ]
check $? "the threshold is restored on exit"
grep -q '^events idle' "$DBGDIR/status"
check $? "status: events idle again"
n=$(grep -c '"class"' "$R/events.ndjson")
diag "$n events of at least $THRESHOLD_US us"
[ "$n" -gt 0 ]
check $? "slow mmap_lock waits arrived as events" ||
	diag_file "$TMPD/events.err"
head -n 2 "$R/events.ndjson" | cut -c 1-300 | sed 's/^/# /'

# 2. The text form, a count limit, and its stacks.
"$MMSTALL" reset
( "$MMCHURN" -d 3 >/dev/null 2>&1 & )
run_timeout 60 "$MMSTALL" events -t 1000 -n 3 >"$R/events.txt" 2>&1
check $? "events -n 3 stops by itself" || diag_file "$R/events.txt"
[ "$(grep -c '^[0-9]' "$R/events.txt")" = 3 ]
check $? "three events in text form" || diag_file "$R/events.txt"
if grep -q '^note call_sites .*guess unwinder' "$DBGDIR/status"; then
	stacks=0
	skip "text events carry symbolized stacks" \
		"this kernel has the guess unwinder: no stack walks"
else
	stacks=1
	grep -q '^    [a-z_].*+0x' "$R/events.txt"
	check $? "text events carry symbolized stacks" ||
		diag_file "$R/events.txt"
fi
printf 'threshold_ns=%s\nstacks=%s\n' "$((THRESHOLD_US * 1000))" "$stacks" \
	>"$R/events.env"
grep -Eq 'ffff[0-9a-f]{12}' "$R/events.txt" "$R/events.ndjson"
[ $? != 0 ]
check $? "no kernel address in the event streams"
sleep 4

# 3. A reader that does not read: the ring overflows and says how much.
"$MMSTALL" reset
echo 0 >"$PARAM"
exec 3<"$DBGDIR/events"
# Waits until the ring (1024) has overflowed twice, however slow the guest.
waits=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
	"$MMCHURN" -d 2 >/dev/null 2>&1
	waits=$(rwsem_waits_ended)
	[ "$waits" -gt 2048 ] && break
done
diag "overflow: $waits waits recorded while the reader slept"
run_timeout 5 cat <&3 >"$R/events-overflow.txt"
# Every stall recorded goes to the ring (threshold 0), whatever its class:
# slab refills too where kretprobes are on.
"$MMSTALL" report --json >"$R/events-overflow.json" 2>/dev/null
jflat <"$R/events-overflow.json" >"$R/events-overflow.flat"
stalls=$(stall_total "$R/events-overflow.flat")
exec 3<&-
echo 1000000 >"$PARAM"
lost=$(awk '$1 == "lost" { s += $2 } END { print s + 0 }' \
	"$R/events-overflow.txt")
got=$(grep -c '^event ' "$R/events-overflow.txt")
diag "overflow: $lost lost, $got read, $stalls stalls recorded"
[ "$lost" -gt 0 ]
check $? "a reader that falls behind reads 'lost N'"
[ $((got + lost)) -le "$stalls" ] && [ $((got + lost + 16)) -ge "$stalls" ]
check $? "read + lost = the stalls recorded while it was open (within 16)"
grep -q '"events": [1-9]' "$R/events-overflow.json"
check $? "the snapshot counts lost events (lost.events)"

mod_unload
check $? "rmmod mmstall"
tap_done
