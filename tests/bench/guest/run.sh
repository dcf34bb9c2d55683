#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tests/bench/guest/run.sh: the bench inside its guest (a Debian root file
# system, busybox sh and applets as in the test guest), run by
# tests/vm/init.sh like the test suite's run.sh.  What to do comes from
# $MMSTALL_ROOT/bench.conf (written by tests/bench/run.sh):
#
#   BENCH_CONFIG=defaults   (c) memory of mmstall at defaults, and the points
#       it attaches; then, per repetition, each workload of $WORKLOADS
#       (jitmap, mmchurn, slabbench, reclaim, memcg) under each of the
#       modes none, empty (empty_probe.ko on those points) and mmstall
#       (defaults), next to each other, the order rotating; modules are
#       loaded and unloaded per run (at defaults no kretprobe is
#       registered).  Every other repetition before them, else after, one
#       bpftrace start (bpftrace/defaults.bt) for all the workloads.  And
#       the synthetic events of empty_probe.ko's fire file (rwsem waits,
#       direct reclaims) under none, empty and mmstall.
#   BENCH_CONFIG=kret-empty|kret-mmstall|kret-bpftrace   the slab refill
#       kretprobe, registered once for the whole boot: an empty one,
#       mmstall with return_sites=0, or bpftrace/slab.bt.
#       $KRET_PAIRS times, slabbench with every kprobe of the system
#       disarmed and armed (debugfs kprobes/enabled), in alternating order;
#       then $BENCH_REPS runs of kpalt's pipe batches (armed and disarmed
#       in turn within the run).
#   BENCH_CONFIG=ret-empty|ret-mmstall   the same for mmstall's return-site
#       timer of slab refills: empty kprobes on the slow path's entry and
#       on the return sites mmstall found (its status, from one load at
#       defaults), or mmstall at defaults.
#   BENCH_CONFIG=profile   perf profiles (cpu-clock, call graphs) of the
#       synthetic events and jitmap with mmstall at defaults.
#
# Each run is one line of $MMSTALL_RESULTS/bench-runs.txt ("run ...": mode,
# workload, ns, hits), memory figures are "mem ..." lines; the host
# (tests/bench/report.py) computes medians, spreads and ratios.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
. "$MMSTALL_ROOT/guest/testlib.sh"
# shellcheck source=lib.sh
. "$MMSTALL_ROOT/guest/lib.sh"
# shellcheck source=/dev/null
. "$MMSTALL_ROOT/bench.conf"

: >"$RUNS"
record "env config=$BENCH_CONFIG kernel=$MMSTALL_KERNEL release=$(uname -r)" \
	"reps=$BENCH_REPS icount=${BENCH_ICOUNT:-0} cpus=$(nproc) mem_mib=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)" \
	"jit_n=$JIT_N churn_t=$CHURN_T churn_i=$CHURN_I slab_n=$SLAB_N slab_r=$SLAB_R" \
	"copy_mb=$COPY_MB spare_mb=$SPARE_MB"
diag "bench $BENCH_CONFIG on $(uname -r), $BENCH_REPS repetitions"
mod_ensure_unloaded

# mmstall at defaults: its memory, and the points it attaches.
bench_defaults_setup()
{
	if ! mod_load; then
		not_ok "insmod mmstall.ko (defaults)"
		diag_file "$TMPD/insmod"
		return 1
	fi
	ok "insmod mmstall.ko (defaults)"
	cp "$DBGDIR/status" "$MMSTALL_RESULTS/status-defaults.txt"
	grep '\[mmstall\]' /proc/vmallocinfo >"$MMSTALL_RESULTS/vmalloc-mmstall.txt"
	record "mem mode=mmstall args=defaults $(module_memory mmstall)" \
		"table_kib=$(awk '$1 == "table_kib" { print $2 }' "$DBGDIR/status")"
	EMPTY_ARGS=$(mirror_params "$MMSTALL_RESULTS/status-defaults.txt")
	mod_unload
	check $? "rmmod mmstall" || diag_file "$TMPD/rmmod"
	diag "empty_probe.ko $EMPTY_ARGS"
	record "mirror $EMPTY_ARGS"
	if ! mode_start empty; then
		not_ok "insmod empty_probe.ko on mmstall's points"
		diag_file "$TMPD/insmod"
		return 1
	fi
	ok "insmod empty_probe.ko on mmstall's points"
	record "mem mode=empty $(module_memory empty_probe)"
	mode_stop empty
}

# bench_mode_pass REP MODE WORKLOAD...: MODE set up, the workloads, undone.
bench_mode_pass()
{
	_prep=$1 _pmode=$2
	shift 2
	if ! mode_start "$_pmode"; then
		not_ok "rep $_prep: start mode $_pmode"
		diag_file "$TMPD/insmod"
		return 1
	fi
	for _pw in "$@"; do
		run_one "$_prep" "$_pmode" "$_pw"
	done
	[ "$_pmode" != mmstall ] ||
		cp "$DBGDIR/status" "$MMSTALL_RESULTS/status-last-rep.txt"
	mode_stop "$_pmode"
}

# bench_fire_pass REP MODE: the synthetic events, empty_probe.ko loaded for
# its fire file, with MODE's probes on the tracepoints it fires.
bench_fire_pass()
{
	case $2 in
	none) insmod "$EMPTY_KO" ;;
	empty) insmod "$EMPTY_KO" "tracepoints=$FIRE_TRACEPOINTS" ;;
	mmstall) insmod "$MMSTALL_KO" && insmod "$EMPTY_KO" ;;
	esac >"$TMPD/insmod" 2>&1
	if ! grep -q '^empty_probe ' /proc/modules; then
		not_ok "rep $1: set up $2 for the fire file"
		diag_file "$TMPD/insmod"
		mod_ensure_unloaded
		return 1
	fi
	for _fw in fire-rwsem fire-rwsem-slow fire-reclaim; do
		run_one "$1" "$2" "$_fw"
	done
	rmmod empty_probe
	[ "$2" != mmstall ] || mod_unload
}

bench_bpftrace_pass()
{
	[ "$BPFTRACE" = 1 ] || return 0
	# shellcheck disable=SC2086
	bench_mode_pass "$1" bpftrace $WORKLOADS
}

bench_defaults()
{
	bench_defaults_setup || return 1
	MODULE_MODES=$(echo "$MODES" | sed 's/bpftrace//')
	BPFTRACE=0
	case " $MODES " in
	*" bpftrace "*)
		if command -v bpftrace >/dev/null; then
			BPFTRACE=1
		else
			skip "bpftrace runs" "no bpftrace in this root file system"
		fi
		;;
	esac
	BT_SCRIPT=$BENCH/bpftrace/defaults.bt
	case " $WORKLOADS " in
	*" reclaim "*)
		if reclaim_setup; then
			ok "reclaim set-up: $COPY_MB MiB tmpfs source, ext4 scratch disk"
		else
			skip "reclaim runs" "no scratch disk or tmpfs"
			diag_file "$TMPD/mount"
			WORKLOADS=$(echo "$WORKLOADS" | sed 's/reclaim//; s/memcg//')
		fi
		;;
	esac
	case " $WORKLOADS " in
	*" memcg "*)
		if memcg_setup; then
			ok "memcg set-up: $CG, memory.max $MEMCG_MAX"
		else
			skip "memcg runs" "no memory controller in cgroup2"
			WORKLOADS=$(echo "$WORKLOADS" | sed 's/memcg//')
		fi
		;;
	esac
	# Each workload under none, empty and mmstall next to each other (the
	# order rotating), then, every other repetition before them, one
	# bpftrace start for all the workloads (it takes seconds to start).
	_rep=1
	while [ "$_rep" -le "$BENCH_REPS" ]; do
		[ $((_rep % 2)) = 0 ] || bench_bpftrace_pass "$_rep"
		for _m in $(rotate "$_rep" none empty mmstall); do
			bench_fire_pass "$_rep" "$_m"
		done
		_wi=0
		for _w in $WORKLOADS; do
			# shellcheck disable=SC2086
			for _m in $(rotate $((_rep + _wi)) $MODULE_MODES); do
				bench_mode_pass "$_rep" "$_m" "$_w"
			done
			_wi=$((_wi + 1))
		done
		[ $((_rep % 2)) = 1 ] || bench_bpftrace_pass "$_rep"
		diag "repetition $_rep of $BENCH_REPS done"
		_rep=$((_rep + 1))
	done
	reclaim_cleanup
}

# ret_site_args SYM: empty_probe.ko's kprobes on SYM's entry and on the
# return sites mmstall finds for it (one load at defaults).
ret_site_args()
{
	mod_load || return 1
	awk -v s="$1" 'BEGIN { a = s }
	     $1 == "return_site" && $2 == "slab_refill" { a = a "," $3 }
	     END { print "kprobes=" a }' "$DBGDIR/status"
	mod_unload
}

bench_kretprobe()
{
	_m=${BENCH_CONFIG#*-}
	if ! _sym=$(slab_refill_symbol); then
		skip "slab refill kretprobe" "no slab slow path symbol in kallsyms"
		return 0
	fi
	if [ ! -w "$KPROBES_ENABLED" ]; then
		skip "slab refill kretprobe" "no $KPROBES_ENABLED"
		return 0
	fi
	EMPTY_ARGS="kretprobes=$_sym"
	MMSTALL_ARGS="return_sites=0"
	_what=kretprobe
	case $BENCH_CONFIG in
	ret-*)
		_what="return-site kprobes"
		MMSTALL_ARGS=
		[ "$_m" != empty ] || EMPTY_ARGS=$(ret_site_args "$_sym") ||
			{ not_ok "$_m: mmstall's return sites"; return 1; }
		diag "$_m: $EMPTY_ARGS"
		record "mirror $EMPTY_ARGS"
		;;
	esac
	BT_SCRIPT=$BENCH/bpftrace/slab.bt
	if ! mode_start "$_m"; then
		not_ok "$_m: $_what on $_sym"
		diag_file "$TMPD/insmod"
		return 1
	fi
	ok "$_m: $_what on $_sym, registered once"
	case $_m in
	mmstall)
		record "mem mode=mmstall args=$MMSTALL_ARGS $(module_memory mmstall)" \
			"table_kib=$(awk '$1 == "table_kib" { print $2 }' "$DBGDIR/status")"
		;;
	empty)
		record "mem mode=empty args=$_what $(module_memory empty_probe)"
		;;
	esac
	# Disarming and arming is cheap: KRET_PAIRS alternations.
	_rep=1
	while [ "$_rep" -le "$KRET_PAIRS" ]; do
		for _armed in $(rotate $((_rep - 1)) 0 1); do
			echo "$_armed" >"$KPROBES_ENABLED"
			run_one "$_rep" "$_m" slabbench "armed=$_armed"
		done
		_rep=$((_rep + 1))
	done
	echo 1 >"$KPROBES_ENABLED"
	_rep=1
	while [ "$_rep" -le "$BENCH_REPS" ]; do
		run_one "$_rep" "$_m" kp-pipe
		_rep=$((_rep + 1))
	done
	[ "$_m" != mmstall ] ||
		cp "$DBGDIR/status" "$MMSTALL_RESULTS/status-kretprobes.txt"
	# Nothing is unregistered but bpftrace's probes: the guest powers off.
	[ "$_m" != bpftrace ] || mode_stop bpftrace
}

# bench_profile: where mmstall's handlers spend their time, from perf's
# cpu-clock samples (no PMU under TCG) of the task running the synthetic
# events or jitmap, mmstall at defaults; perf report to results/.
bench_profile()
{
	if ! command -v perf >/dev/null; then
		skip "perf profiles" "no perf in this root file system"
		return 0
	fi
	if ! mod_load || ! insmod "$EMPTY_KO" >>"$TMPD/insmod" 2>&1; then
		not_ok "insmod mmstall.ko and empty_probe.ko"
		diag_file "$TMPD/insmod"
		return 1
	fi
	# PROFILE_SCALE times the timed runs' sizes: enough samples.
	_x=${PROFILE_SCALE:-1}
	for _p in "fire-rwsem:echo rwsem $((FIRE_N * _x)) 0 >$DEBUGFS/empty_probe/fire" \
		"fire-rwsem-slow:echo rwsem $((FIRE_SLOW_N * _x)) $FIRE_SLOW_GAP_NS >$DEBUGFS/empty_probe/fire" \
		"fire-reclaim:echo reclaim $((FIRE_N * _x)) 0 >$DEBUGFS/empty_probe/fire" \
		"jitmap:$BENCH/bin/jitmap -n $((JIT_N * _x)) -t 1"; do
		_name=${_p%%:*}
		perf record -q -e cpu-clock -F 2000 -g -o "$TMPD/perf.data" \
			-- sh -c "${_p#*:}" >"$TMPD/perf.out" 2>&1
		perf report -i "$TMPD/perf.data" --stdio --no-children \
			--sort symbol --percent-limit 1 -g none \
			>"$MMSTALL_RESULTS/profile-$_name.txt" 2>"$TMPD/perf.err"
		check $? "perf profile of $_name" || diag_file "$TMPD/perf.err"
	done
	cp "$DBGDIR/status" "$MMSTALL_RESULTS/status-profile.txt"
	rmmod empty_probe
	mod_unload
}

case $BENCH_CONFIG in
defaults) bench_defaults ;;
profile) bench_profile ;;
kret-empty | kret-mmstall | kret-bpftrace | ret-empty | ret-mmstall)
	bench_kretprobe ;;
*) not_ok "BENCH_CONFIG=$BENCH_CONFIG is defaults, profile, kret-{empty,mmstall,bpftrace} or ret-{empty,mmstall}" ;;
esac
_n=$(grep -c '^run ' "$RUNS")
[ "$_n" -gt 0 ]
check $? "$_n timed runs recorded"

check_kernel_log
tap_done
