#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 07-slab: seed 002 in a guest.  bhwrite appends 220-byte records to a
# file on a block file system (ext2 on a loop device, so that every new
# page gets buffer_heads from the slab allocator inside write()), while a
# process named `ss` (slabread) reads /proc/slabinfo in a loop: open, read
# to the end, close, SLABREAD_N times.  The report must list `ss` among
# the slabinfo readers with exactly that many reads, and slab_refill
# stalls with cache names, all at the module's defaults.  Then the
# return-site timer against the kretprobe on the same workload: slabbench
# (a slab slow path microbenchmark) once with each (slab-pair.json, then
# slab-pair-kret.json after a reload with return_sites=0).
# And the cost of the slab probes: slabbench run alternately without and
# with the module, in this one boot.  Everything goes to /results for
# tests/vm/checks/check_slab.py, which parses the JSON; here, what is easy
# in shell.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

R=$MMSTALL_RESULTS
BIN=$MMSTALL_ROOT/bin
MNT=/mnt/mmstall-slab
IMG=/tmp/mmstall-slab.img
SLABREAD_N=${SLABREAD_N:-150}
BHWRITE_N=${BHWRITE_N:-12000}
BENCH_RUNS=${BENCH_RUNS:-5}
BENCH_ARGS=${BENCH_ARGS:--n 1000 -r 10}

loopdev=
cleanup()
{
	rm -f "$MNT/bhwrite.dat"
	umount "$MNT" 2>/dev/null
	[ -n "$loopdev" ] && losetup -d "$loopdev" 2>/dev/null
	rm -f "$IMG"
}

mod_ensure_unloaded
{
	echo "kernel=$MMSTALL_KERNEL"
	echo "release=$(uname -r)"
	grep -E ' (cache_alloc_refill|___slab_alloc|__slab_alloc|slab_start|slab_show|slab_stop)([.]|$)' \
		/proc/kallsyms | awk '{ print "kallsyms=" $3 }'
} >"$R/slab-env.txt"
diag_file "$R/slab-env.txt"

# The writer's file system: ext2 on a loop device, else tmpfs (no
# buffer_heads there, but the rest of the test still holds).
fs=tmpfs
mkdir -p "$MNT"
if [ -e /dev/loop-control ] || grep -q ' loop$' /proc/devices; then
	truncate -s 48M "$IMG" && mke2fs -F -b 1024 "$IMG" >"$TMPD/mkfs" 2>&1 &&
		loopdev=$(losetup -f 2>/dev/null) &&
		losetup "$loopdev" "$IMG" 2>>"$TMPD/mkfs" &&
		mount -t ext4 "$loopdev" "$MNT" 2>>"$TMPD/mkfs" && fs=ext2-loop
fi
if [ "$fs" = tmpfs ]; then
	diag "no loop device or ext4: writing to tmpfs"
	diag_file "$TMPD/mkfs"
	[ -n "$loopdev" ] && losetup -d "$loopdev" 2>/dev/null
	loopdev=
	rm -f "$IMG"
	mount -t tmpfs tmpfs "$MNT"
fi
echo "fs=$fs" >>"$R/slab-env.txt"
diag "writer's file system: $fs"

# The probes' cost: slabbench without the module first, then (below) with
# it, in this one load.
slab_hits()
{
	awk '$1 == "slab_refill" { n += $5 } END { print n + 0 }' \
		"$DBGDIR/status"
}

: >"$R/slabbench.txt"
bench_ok=0
i=1
while [ "$i" -le "$BENCH_RUNS" ]; do
	# shellcheck disable=SC2086
	"$BIN/slabbench" $BENCH_ARGS >"$TMPD/bench" 2>&1 || bench_ok=1
	echo "mode=off run=$i $(sed -n 's/^slabbench: //p' "$TMPD/bench")" \
		>>"$R/slabbench.txt"
	i=$((i + 1))
done

if ! mod_load; then
	not_ok "insmod mmstall.ko (defaults)"
	diag_file "$TMPD/insmod"
	cleanup
	tap_done
fi
ok "insmod mmstall.ko (defaults)"
run_ok "mmstall reset" "$MMSTALL" reset

# The monitor and the writer, at once.
"$BIN/slabread" -n "$SLABREAD_N" -i 1000 >"$R/slabread.out" 2>&1 &
ss_pid=$!
"$BIN/bhwrite" -f "$MNT/bhwrite.dat" -n "$BHWRITE_N" -i 200 \
	>"$R/bhwrite.out" 2>&1
check $? "bhwrite -n $BHWRITE_N (220-byte appends on $fs)" ||
	diag_file "$R/bhwrite.out"
wait "$ss_pid"
check $? "slabread (ss) read /proc/slabinfo $SLABREAD_N times" ||
	diag_file "$R/slabread.out"
diag_file "$R/bhwrite.out"
diag_file "$R/slabread.out"

"$MMSTALL" report --json >"$R/slab.json" 2>"$TMPD/err"
check $? "mmstall report --json exits 0" || diag_file "$TMPD/err"
"$MMSTALL" report >"$R/slab.txt" 2>"$TMPD/err"
check $? "mmstall report exits 0" || diag_file "$TMPD/err"
cat "$DBGDIR/status" >"$R/slab-status.txt" 2>&1
grep -E '^(note slab|slab_refill|slabinfo_readers)' "$R/slab-status.txt" \
	>"$TMPD/probes"
diag "slab probes and notes (status):"
diag_file "$TMPD/probes"

if grep -q '^slabinfo_readers .* attached ' "$R/slab-status.txt"; then
	awk '/^SLABINFO READERS/ { s = 1; next } /^$/ { s = 0 }
	     s && $2 == "ss" { print $4 }' "$R/slab.txt" >"$TMPD/ss-reads"
	diag "ss in the text report: reads $(cat "$TMPD/ss-reads")"
	[ "$(head -n1 "$TMPD/ss-reads")" = "$SLABREAD_N" ]
	check $? "text report lists ss with $SLABREAD_N reads" ||
		diag_file "$R/slab.txt" 60
else
	skip "text report lists ss with $SLABREAD_N reads" \
		"slabinfo_readers not attached"
fi
if grep -q '^slab_refill .* attached ' "$R/slab-status.txt"; then
	awk '/^SLAB CACHES/ { s = 1; next } /^$/ { s = 0 } s' "$R/slab.txt" \
		>"$TMPD/caches"
	[ "$(wc -l <"$TMPD/caches")" -ge 2 ]
	check $? "text report lists slab caches" || diag_file "$R/slab.txt" 60
	diag_file "$TMPD/caches" 12
else
	skip "text report lists slab caches" "slab_refill not attached"
fi

# slab_pair NAME: one slabbench run in a fresh window, its report in
# /results/NAME.json (check_slab.py pairs the timers' counts and times).
slab_pair()
{
	"$MMSTALL" reset >/dev/null 2>&1
	# shellcheck disable=SC2086
	"$BIN/slabbench" $BENCH_ARGS >"$R/$1.out" 2>&1
	check $? "slabbench for $1" || diag_file "$R/$1.out"
	"$MMSTALL" report --json >"$R/$1.json" 2>"$TMPD/err"
	check $? "report --json for $1" || diag_file "$TMPD/err"
}
slab_pair slab-pair
# Which of the kprobes are int3 traps and which jumps ([OPTIMIZED]).
cp "$DEBUGFS/kprobes/list" "$R/kprobes-list.txt" 2>/dev/null

i=1
while [ "$i" -le "$BENCH_RUNS" ]; do
	h0=$(slab_hits)
	# shellcheck disable=SC2086
	"$BIN/slabbench" $BENCH_ARGS >"$TMPD/bench" 2>&1 || bench_ok=1
	h1=$(slab_hits)
	echo "mode=on run=$i $(sed -n 's/^slabbench: //p' "$TMPD/bench") hits=$((h1 - h0))" \
		>>"$R/slabbench.txt"
	i=$((i + 1))
done
mod_unload
check $? "rmmod" || diag_file "$TMPD/rmmod"

# The same workload timed by the kretprobe fallback, in this boot.
if mod_load return_sites=0; then
	ok "insmod mmstall.ko return_sites=0"
	slab_pair slab-pair-kret
	mod_unload
	check $? "rmmod (kretprobes)" || diag_file "$TMPD/rmmod"
else
	not_ok "insmod mmstall.ko return_sites=0"
	diag_file "$TMPD/insmod"
fi
cleanup
check $bench_ok "slabbench $BENCH_ARGS, $BENCH_RUNS runs without, then with the module"
diag_file "$R/slabbench.txt"

tap_done
