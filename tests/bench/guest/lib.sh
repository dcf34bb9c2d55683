# SPDX-License-Identifier: GPL-2.0
# tests/bench/guest/lib.sh: helpers of the bench guest (busybox sh, as in
# the test guest), sourced by run.sh after the test suite's own lib.sh (TAP output,
# kv, run_timeout, mod_load, dmesg_bad_re).
#
# Modes: none, empty (empty_probe.ko on mmstall's points), mmstall
# (mmstall.ko at defaults, or with $MMSTALL_ARGS), bpftrace ($BT_SCRIPT).
# Workloads: jitmap, mmchurn, slabbench, reclaim (a copy from tmpfs to
# ext4 with little memory left: direct reclaim), memcg (that copy in a
# cgroup with memory.max: memcg reclaim), kp-mmap and kp-pipe (kpalt:
# mmap/munmap or pipe batches, kprobes armed and disarmed in turn), and
# the synthetic fire-rwsem,
# fire-rwsem-slow (begin and end FIRE_SLOW_GAP_NS apart, over mmstall's
# stack_threshold_ns), fire-reclaim (empty_probe.ko's fire file, loaded
# with the mode); each prints the time of its fixed amount of work in ns.  Counts: "mm_calls rwsem reclaim slab",
# the hits of the probes in mmstall's units (calls, rwsem waits, direct
# and memcg reclaims, slab refills), from mmstall's status or empty_probe's
# hits file; "- - - -" where the mode has no counter.
# shellcheck disable=SC2034 # the variables are read by run.sh

BENCH=$MMSTALL_ROOT
EMPTY_KO=$BENCH/empty_probe.ko
KPROBES_ENABLED=$DEBUGFS/kprobes/enabled
SCRATCH=/mnt/bench-scratch
SHM=/mnt/bench-shm
CG=/sys/fs/cgroup/mmstall-bench
RUNS=$MMSTALL_RESULTS/bench-runs.txt

# record WORDS...: one line of the results file (key=value words).
record()
{
	echo "$*" >>"$RUNS"
}

# --- hit counts -------------------------------------------------------

counts_mmstall()
{
	awk '$4 == "attached" {
		if ($1 == "mm_calls") m += $5
		else if ($1 == "rwsem_read" || $1 == "rwsem_write") r += $5
		else if ($2 ~ /^mm_vmscan_(direct|memcg)_reclaim_begin$/ ||
			 $2 ~ /^try_to_free_(mem_cgroup_)?pages$/) c += $5
		else if ($1 == "slab_refill") s += $5
	} END { print m + 0, r + 0, c + 0, s + 0 }' "$DBGDIR/status"
}

counts_empty()
{
	awk '{
		if ($1 == "kprobe" && $2 ~ /sys_(mmap|munmap|mremap|mprotect|madvise|brk)$/) m += $3
		else if ($2 == "contention_begin") r += $4
		else if ($2 ~ /^mm_vmscan_(direct|memcg)_reclaim_begin$/) c += $3
		else if (($1 == "kretprobe" || $1 == "kprobe") &&
			 $2 ~ /^(cache_alloc_refill|_+slab_alloc)$/) s += $3
	} END { print m + 0, r + 0, c + 0, s + 0 }' "$DEBUGFS/empty_probe/hits"
}

# counts MODE: the counts now, for MODE.
counts()
{
	case $1 in
	mmstall) counts_mmstall ;;
	empty) counts_empty ;;
	*) echo "- - - -" ;;
	esac
}

# counts_delta "BEFORE" "AFTER": "mm_calls=N rwsem=N reclaim=N slab=N".
counts_delta()
{
	echo "$1 $2" | awk '{
		split("mm_calls rwsem reclaim slab", k, " ")
		for (i = 1; i <= 4; i++)
			printf "%s%s=%s", (i > 1 ? " " : ""), k[i],
			       ($i == "-" ? "-" : $(i + 4) - $i)
		print ""
	}'
}

# cost_now: mmstall's own accounting of its handlers (status "cost"
# lines, where the module has them): "class calls total_ns" per class.
cost_now()
{
	awk '$1 == "cost" && $2 != "class" { print $2, $3, $6 }' "$DBGDIR/status"
}

# record_cost_delta BEFORE AFTER WORDS...: one "cost" record per class
# whose handlers ran in between.
record_cost_delta()
{
	_before=$1 _after=$2
	shift 2
	printf '%s\n' "$_before" | awk -v after="$_after" -v words="$*" '
	NF == 3 { calls[$1] = $2; ns[$1] = $3 }
	END {
		n = split(after, l, "\n")
		for (i = 1; i <= n; i++) {
			if (split(l[i], f, " ") != 3 || f[2] - calls[f[1]] <= 0)
				continue
			printf "cost %s class=%s calls=%d total_ns=%d\n", words,
			       f[1], f[2] - calls[f[1]], f[3] - ns[f[1]]
		}
	}' >>"$RUNS"
}

# --- the points mmstall uses ------------------------------------------

# mirror_params STATUS: empty_probe.ko's parameters for the probes mmstall
# attached (status file of a load), one kind per parameter.
mirror_params()
{
	awk '$1 == "return_site" { k = k (k == "" ? "" : ",") $3; next }
	$4 == "attached" {
		if ($3 == "kprobe" || $3 == "return_sites")
			k = k (k == "" ? "" : ",") $2
		else if ($3 == "kretprobe") r = r (r == "" ? "" : ",") $2
		else if ($3 == "tracepoint" && !seen[$2]++)
			t = t (t == "" ? "" : ",") $2
	} END {
		if (k != "") printf "kprobes=%s ", k
		if (r != "") printf "kretprobes=%s ", r
		if (t != "") printf "tracepoints=%s", t
		print ""
	}' "$1"
}

# slab_refill_symbol: the slab slow path this kernel has (mmstall's order).
slab_refill_symbol()
{
	for s in cache_alloc_refill ___slab_alloc __slab_alloc; do
		if grep -q " $s\$" /proc/kallsyms; then
			echo "$s"
			return 0
		fi
	done
	return 1
}

# --- memory -----------------------------------------------------------

# module_memory NAME: "module_bytes=N vmalloc_bytes=N vmalloc_areas=N".
module_memory()
{
	_size=$(awk -v m="$1" '$1 == m { print $2 }' /proc/modules)
	awk -v m="[$1]" -v size="${_size:-0}" '
	index($0, m) { n++; b += $2 }
	END { printf "module_bytes=%d vmalloc_bytes=%d vmalloc_areas=%d\n", size, b, n }
	' /proc/vmallocinfo
}

# process_memory PID: "rss_kib=N bpf_memlock_bytes=N" (maps and programs).
process_memory()
{
	_rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null)
	_ml=$(cat "/proc/$1/fdinfo/"* 2>/dev/null |
	      awk '/^memlock:/ { s += $2 } END { print s + 0 }')
	echo "rss_kib=${_rss:-0} bpf_memlock_bytes=$_ml"
}

# uptime_ms: for coarse intervals (busybox date has no %N).
uptime_ms()
{
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

mem_avail_mib()
{
	awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo
}

# --- modes ------------------------------------------------------------

BT_PID=

# mode_start MODE: set up MODE; 0 when it is in place.
mode_start()
{
	case $1 in
	none)
		return 0
		;;
	empty)
		# shellcheck disable=SC2086
		insmod "$EMPTY_KO" $EMPTY_ARGS >"$TMPD/insmod" 2>&1
		;;
	mmstall)
		# shellcheck disable=SC2086
		mod_load $MMSTALL_ARGS
		;;
	bpftrace)
		bt_start "$BT_SCRIPT"
		;;
	esac
}

mode_stop()
{
	case $1 in
	empty) rmmod empty_probe >"$TMPD/rmmod" 2>&1 ;;
	mmstall) mod_unload ;;
	bpftrace) bt_stop ;;
	esac
}

# bt_start SCRIPT: bpftrace in the background, ready when its BEGIN
# probe has printed (after the others are attached); records how long
# that took and its memory.
bt_start()
{
	: >"$TMPD/bt.out"
	_t0=$(uptime_ms)
	bpftrace -B none "$1" >"$TMPD/bt.out" 2>&1 &
	BT_PID=$!
	_i=0
	while ! grep -q '^mmstall-bench: ready' "$TMPD/bt.out"; do
		if ! kill -0 "$BT_PID" 2>/dev/null || [ "$_i" -ge "$BT_START_TIMEOUT" ]; then
			diag "bpftrace $1 did not start within ${_i}s:"
			diag_file "$TMPD/bt.out"
			bt_stop
			return 1
		fi
		sleep 1
		_i=$((_i + 1))
	done
	record "mem mode=bpftrace script=$(basename "$1")" \
		"start_ms=$(($(uptime_ms) - _t0)) $(process_memory "$BT_PID")"
}

bt_stop()
{
	[ -n "$BT_PID" ] || return 0
	kill -INT "$BT_PID" 2>/dev/null
	_i=0
	while kill -0 "$BT_PID" 2>/dev/null && [ "$_i" -lt 120 ]; do
		sleep 1
		_i=$((_i + 1))
	done
	kill -KILL "$BT_PID" 2>/dev/null
	wait "$BT_PID" 2>/dev/null
	cat "$TMPD/bt.out" >>"$MMSTALL_RESULTS/bpftrace.out"
	BT_PID=
}

# --- workloads --------------------------------------------------------

# ns_of FILE KEY SCALE: KEY's value (key=value in FILE) times SCALE.
ns_of()
{
	kv "$1" "$2" | awk -v s="$3" 'NF { printf "%.0f\n", $1 * s }'
}

# workload NAME: run it once; prints the ns of its work (and maybe more
# key=value words after it), nothing on failure.
workload()
{
	_out=$TMPD/wl-$1.out
	case $1 in
	jitmap)
		run_timeout "$RUN_TIMEOUT" "$BENCH/bin/jitmap" -n "$JIT_N" -t 1 \
			>"$_out" 2>&1 && ns_of "$_out" elapsed_us 1000
		;;
	mmchurn)
		run_timeout "$RUN_TIMEOUT" "$BENCH/bin/mmchurn" -t "$CHURN_T" \
			-i "$CHURN_I" >"$_out" 2>&1 && ns_of "$_out" elapsed_ms 1000000
		;;
	slabbench)
		run_timeout "$RUN_TIMEOUT" "$BENCH/bin/slabbench" -n "$SLAB_N" \
			-r "$SLAB_R" >"$_out" 2>&1 && ns_of "$_out" total_ns 1
		;;
	reclaim)
		run_timeout "$RUN_TIMEOUT" "$BENCH/bin/tmpfscopy" "$SHM/src" \
			"$SCRATCH/dst" >"$_out" 2>&1 && ns_of "$_out" seconds 1000000000
		rm -f "$SCRATCH/dst"
		;;
	kp-mmap)
		kpalt mmap
		;;
	kp-pipe)
		kpalt pipe
		;;
	fire-rwsem)
		fire rwsem "$FIRE_N" 0
		;;
	fire-rwsem-slow)
		fire rwsem "$FIRE_SLOW_N" "$FIRE_SLOW_GAP_NS"
		;;
	fire-reclaim)
		fire reclaim "$FIRE_N" 0
		;;
	memcg)
		run_timeout "$RUN_TIMEOUT" sh -c "echo \$\$ >$CG/cgroup.procs &&
			exec $BENCH/bin/tmpfscopy $SHM/src $SCRATCH/dst" \
			>"$_out" 2>&1 && ns_of "$_out" seconds 1000000000
		rm -f "$SCRATCH/dst"
		;;
	esac
}

# fire EVENT N GAP_NS: empty_probe.ko calls the probes on EVENT's pair of
# tracepoints N times (its fire file); prints the ns that took, then its
# interleaved baseline and median batch difference as key=value words.
fire()
{
	echo "$1 $2 $3" >"$DEBUGFS/empty_probe/fire" 2>"$TMPD/wl-fire-$1.out" &&
		tr ' ' '\n' <"$DEBUGFS/empty_probe/fire" | awk -F= '
		$1 == "ns" { ns = $2 }
		$1 ~ /^(base_ns|med_diff_ns|batch)$/ { x = x " " $0 }
		END { if (ns != "") print ns x }'
}

# kpalt WORK: batches of WORK with every kprobe armed, alternating with
# the same batches disarmed (tests/bench/kpalt.c); prints like fire.
kpalt()
{
	run_timeout "$RUN_TIMEOUT" "$BENCH/bin/kpalt" -w "$1" -n "$KPALT_BATCHES" \
		-b "$KPALT_OPS" -f "$KPROBES_ENABLED" >"$TMPD/wl-kp-$1.out" 2>&1 &&
		tr ' ' '\n' <"$TMPD/wl-kp-$1.out" | awk -F= '
		$1 == "ns" { ns = $2 }
		$1 ~ /^(base_ns|med_diff_ns|batch|batches|warmup)$/ { x = x " " $0 }
		END { if (ns != "") print ns x }'
}

# reclaim_setup: the scratch disk (ext4, the copy's destination), a tmpfs
# with the copy's source and a filler that reclaim_balance sizes.
reclaim_setup()
{
	mkdir -p "$SCRATCH" "$SHM"
	mount LABEL=mmstall-scratch "$SCRATCH" 2>"$TMPD/mount" || return 1
	mount -t tmpfs -o size=95% tmpfs "$SHM" || return 1
	dd if=/dev/zero of="$SHM/src" bs=1M count="$COPY_MB" 2>/dev/null &&
		: >"$SHM/fill"
}

# memcg_setup: the cgroup of the memcg copy (its page cache over
# memory.max is reclaimed by the copying task itself).
memcg_setup()
{
	grep -q memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null || return 1
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
	mkdir -p "$CG" && echo "$MEMCG_MAX" >"$CG/memory.max"
}

# reclaim_balance: resize the unreclaimable tmpfs filler so that every
# copy starts with MemAvailable near SPARE_MB, whatever the mode holds.
reclaim_balance()
{
	sync
	echo 3 >/proc/sys/vm/drop_caches
	_cur=$(($(stat -c %s "$SHM/fill") / 1048576))
	_want=$((_cur + $(mem_avail_mib) - SPARE_MB))
	[ "$_want" -ge 0 ] || _want=0
	if [ "$_want" -gt "$_cur" ]; then
		dd if=/dev/zero of="$SHM/fill" bs=1M seek="$_cur" \
			count=$((_want - _cur)) conv=notrunc 2>/dev/null
	else
		truncate -s "${_want}M" "$SHM/fill"
	fi
}

reclaim_cleanup()
{
	rm -f "$SHM/src" "$SHM/fill" "$SCRATCH/dst"
	rmdir "$CG" 2>/dev/null
	umount "$SHM" 2>/dev/null
	umount "$SCRATCH" 2>/dev/null
}

# run_one REP MODE WORKLOAD [WORDS...]: one timed run, with the mode's
# hit counts over it; WORDS go into the record (e.g. armed=0).
run_one()
{
	_rep=$1 _mode=$2 _wl=$3
	shift 3
	sleep 1		# what the mode's set-up started settles
	case $_wl in
	reclaim | memcg) reclaim_balance ;;
	esac
	_k0=
	[ "$_mode" != mmstall ] || _k0=$(cost_now)
	_c0=$(counts "$_mode")
	_res=$(workload "$_wl")
	_c1=$(counts "$_mode")
	_ns=${_res%% *}
	_more=${_res#"$_ns"}
	[ "$_mode" != mmstall ] || record_cost_delta "$_k0" "$(cost_now)" \
		"config=$BENCH_CONFIG rep=$_rep mode=$_mode workload=$_wl $*"
	if [ -z "$_ns" ]; then
		not_ok "rep $_rep $_mode $_wl $*: the workload failed"
		diag_file "$TMPD/wl-$_wl.out"
		return 1
	fi
	record "run config=$BENCH_CONFIG rep=$_rep mode=$_mode workload=$_wl $*" \
		"ns=$_ns$_more $(counts_delta "$_c0" "$_c1")"
}

# rotate N WORDS...: WORDS rotated left by N (alternating the order of the
# modes from one repetition to the next).
rotate()
{
	_n=$1
	shift
	_k=$((_n % $#))
	_out=
	_i=0
	for _w in "$@"; do
		[ "$_i" -ge "$_k" ] && _out="$_out $_w"
		_i=$((_i + 1))
	done
	_i=0
	for _w in "$@"; do
		[ "$_i" -lt "$_k" ] && _out="$_out $_w"
		_i=$((_i + 1))
	done
	echo "$_out"
}
