#!/usr/bin/env bash
# tests/repro/cycles.sh: issue 14's reproducer.  Loads and unloads a module
# in a loop inside a QEMU guest (both vCPUs online) while mmchurn runs,
# and counts the crashes: is the kprobe/kretprobe crash of README's "Known
# issue" the kernel's, or multi-threaded TCG's (code patched by one vCPU
# not seen by another)?  Compare ACCEL single with multi.
#
# Usage: tests/repro/cycles.sh KERNEL ACCEL MODULE CYCLES
#   KERNEL  matrix name: 6.1-cloud, 6.12-cloud (tests/vm/kernels.sh)
#   ACCEL   single (-accel tcg,thread=single: all vCPUs in one host thread)
#           or multi (-accel tcg, QEMU's default multi-threaded TCG)
#   MODULE  empty: tests/bench/empty-probe's empty_probe.ko with kretprobes
#           on rwsem_down_read_slowpath, rwsem_down_write_slowpath,
#           ___slab_alloc, under mmchurn;
#           mmstall: mmstall.ko of the current tree with kretprobes=1,
#           under mmchurn and slabbench
#   CYCLES  load/unload cycles to reach, counted across reboots
# Env: REPRO_OUT (/tmp/repro), REPRO_STALL (s of console silence taken as a
#      hang, 180), REPRO_DEADLINE (epoch s: no boot starts after it, and a
#      running one is stopped there), MMSTALL_QEMU_CPU (max).
#
# Each boot runs the remaining cycles (tests/repro/guest/run.sh).  A crash
# (oops, panic, BUG, WARNING, int3, RCU stall, hung task) ends the boot:
# the cycle in progress counts as run, the first lines of the report are
# kept, and the next boot resumes at the following cycle.  Results:
# OUT/NAME/summary.txt, OUT/NAME/crashes.txt, one line appended to
# OUT/summary.tsv (NAME = KERNEL-ACCEL-MODULE).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/lib.sh
. "$here/../vm/lib.sh"

usage() { sed -n '8,21p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -eq 4 ] || usage
kernel=$1 accel=$2 module=$3 cycles=$4
case $accel in
single) qaccel=tcg,thread=single ;;
multi) qaccel=tcg ;;
*) usage ;;
esac
case $module in
empty)
	modname=empty_probe
	params=kretprobes=rwsem_down_read_slowpath,rwsem_down_write_slowpath,___slab_alloc
	slab=0
	;;
mmstall)
	modname=mmstall
	params=kretprobes=1
	slab=1
	;;
*) usage ;;
esac
OUT=${REPRO_OUT:-/tmp/repro}
stall=${REPRO_STALL:-180}
deadline=${REPRO_DEADLINE:-0}
name=$kernel-$accel-$module
out=$OUT/$name
mkdir -p "$out"

# The release of the matrix name (kernels.sh installs it if missing).
kver=$("$VM_DIR/kernels.sh" "$kernel" | awk -v n="$kernel" '$1 == n { print $2 }')
[ -n "$kver" ] || die "no release for $kernel"

# Build once per release and module source: the static workloads, the
# module, the initramfs.  Keyed by a hash of the sources so that a change
# of the tree is rebuilt, and 8 runs do not rebuild the same thing 8 times.
srchash=$(cd "$REPO" && find module tests/bench/empty-probe tests/workloads \
	tests/repro/guest tests/vm/init.sh -type f ! -name '*.o' ! -name '*.ko' \
	! -name '*.mod*' ! -name '.*.cmd' -print0 | LC_ALL=C sort -z |
	xargs -0 sha256sum | sha256sum | cut -c1-12)
bdir=$OUT/build/$kver-$module-$srchash
mkdir -p "$bdir"
exec 9>"$bdir/.lock"
flock 9
if [ ! -f "$bdir/initramfs.cpio.gz" ]; then
	msg "building $module for $kver in $bdir"
	build_bin "$bdir/bin" "$bdir/bin.log" >/dev/null || die "workloads: see $bdir/bin.log"
	if [ "$module" = mmstall ]; then
		build_module "$kver" "$bdir/mod.ko" "$bdir/module.log" ||
			die "mmstall.ko did not build (see $bdir/module.log)"
	else
		# A private copy: it includes mmstall's module/compat headers,
		# and the work tree stays free of build products.
		src=$bdir/empty-src
		rm -rf "$src"
		mkdir -p "$src/tests/bench" "$src/module"
		cp -a "$REPO/tests/bench/empty-probe" "$src/tests/bench/"
		cp -a "$REPO/module/compat" "$src/module/"
		make -C "$src/tests/bench/empty-probe" KDIR="$(kernel_build_dir "$kver")" \
			>"$bdir/module.log" 2>&1 || die "empty_probe.ko: see $bdir/module.log"
		cp "$src/tests/bench/empty-probe/empty_probe.ko" "$bdir/mod.ko"
	fi
	vm=$(modinfo -F vermagic "$bdir/mod.ko" | awk '{ print $1 }')
	[ "$vm" = "$kver" ] || die "vermagic $vm != $kver"
	"$VM_DIR/build-initramfs.sh" -n "$kernel" -k "$bdir/mod.ko" -b "$bdir/bin" \
		-g "$here/guest" "$kver" "$bdir/initramfs.cpio.gz"
fi
flock -u 9

# What counts as a crash in the console; hung_task and RCU stall reports
# included (the guest makes both panic).
crash_re='Oops|BUG:|kernel BUG at|WARNING:|int3|Kernel panic|general protection fault|rcu: INFO|detected stall|self-detected stall|blocked for more than'

next=1 crashes=0 boots=0 hangs=0 insmod_fail=0
: >"$out/crashes.txt"
: >"$out/cycle-times.txt"
now() { date +%s; }
while [ "$next" -le "$cycles" ]; do
	# A boot needs 90 s at least (boot.sh's shortest useful bound).
	if [ "$deadline" -gt 0 ] && [ "$(now)" -ge $((deadline - 90)) ]; then
		msg "$name: deadline reached before cycle $next"
		break
	fi
	boots=$((boots + 1))
	bd=$out/boot$boots
	# 60 s of boot plus up to 30 s a cycle, and never past the deadline.
	tmo=$((120 + (cycles - next + 1) * 30))
	if [ "$deadline" -gt 0 ] && [ $((deadline - $(now))) -lt "$tmo" ]; then
		tmo=$((deadline - $(now)))
	fi
	[ "$tmo" -ge 90 ] || tmo=90
	append="repro_first=$next repro_last=$cycles repro_mod=$modname"
	append+=" repro_params=$params repro_slab=$slab"
	msg "$name: boot $boots, cycles $next..$cycles, timeout $tmo s"
	MMSTALL_QEMU_ACCEL=$qaccel MMSTALL_QEMU_SMP=2 MMSTALL_QEMU_MEM=512 \
		"$VM_DIR/boot.sh" -t "$tmo" -a "$append" "$kver" \
		"$bdir/initramfs.cpio.gz" "$bd" >/dev/null 2>&1 &
	bpid=$!
	# Hang watchdog: the console silent for $stall s (a CPU stuck at a
	# patched site without a report) ends the boot; boot.sh stops QEMU.
	hung=0
	while kill -0 "$bpid" 2>/dev/null; do
		sleep 5
		[ -f "$bd/console.log" ] || continue
		age=$(($(now) - $(stat -c %Y "$bd/console.log")))
		if [ "$age" -gt "$stall" ]; then
			hung=1
			kill -TERM "$bpid" 2>/dev/null || true
			break
		fi
	done
	wait "$bpid" || true
	con=$bd/console.log
	done_n=$(sed -n 's/^REPRO-CYCLE \([0-9]*\) ok.*/\1/p' "$con" | tail -n 1)
	done_n=${done_n:-$((next - 1))}
	sed -n 's/^REPRO-CYCLE \([0-9]*\) ok \([0-9.]*\)s.*/\1 \2/p' "$con" >>"$out/cycle-times.txt"
	insmod_fail=$((insmod_fail + $(grep -c '^REPRO-INSMOD-FAILED' "$con" || true)))
	if grep -q '^REPRO-END' "$con"; then
		next=$((done_n + 1))
		continue
	fi
	# The boot ended early.  Where the guest was still in the boot up to
	# its first cycle, that cycle counts: the crash came under the load.
	cyc=$((done_n + 1))
	if grep -Eq "$crash_re" "$con"; then
		crashes=$((crashes + 1))
		{
			echo "== crash $crashes: cycle $cyc, boot $boots ($bd)"
			grep -Ev '^REPRO-' "$con" | grep -E -m 1 -A 14 "$crash_re" |
				sed 's/^\[ *[0-9.]*\] //'
		} >>"$out/crashes.txt"
	elif [ "$hung" = 1 ] || [ "$(cat "$bd/boot.status" 2>/dev/null)" = timeout ]; then
		# A stop at the deadline is not a hang: the cycle is not counted.
		if [ "$deadline" -gt 0 ] && [ "$(now)" -ge $((deadline - 5)) ]; then
			msg "$name: stopped at the deadline in cycle $cyc"
			next=$cyc
			break
		fi
		crashes=$((crashes + 1)) hangs=$((hangs + 1))
		{
			echo "== crash $crashes (hang, no report): cycle $cyc, boot $boots ($bd)"
			tail -n 15 "$con"
		} >>"$out/crashes.txt"
	elif grep -q 'init: guest timeout' "$con"; then
		# The guest's own watchdog (boot timeout - 60 s) stopped a slow
		# run, or the deadline cut it short: not a crash; resume there.
		msg "$name: guest timeout in cycle $cyc (not counted)"
		next=$cyc
		continue
	else
		die "$name: boot $boots ended without a crash report or REPRO-END ($(cat "$bd/boot.status" 2>/dev/null)); see $con"
	fi
	msg "$name: crash in cycle $cyc"
	next=$((cyc + 1))
done
ran=$((next - 1))
[ "$ran" -le "$cycles" ] || ran=$cycles
med=$(awk '{ print $2 }' "$out/cycle-times.txt" | sort -n |
	awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "-" }')
sig=$(grep -A 3 '^== crash' "$out/crashes.txt" | tr -d '\r' | grep -Eo "($crash_re).*" |
	sed 's/^\(.\{0,70\}\).*/\1/' | sort | uniq -c | sort -rn | head -n 3 |
	awk '{ $1 = $1 "x"; print }' | paste -sd ';' - || true)
{
	echo "name=$name kver=$kver accel=$qaccel module=$modname params=$params"
	echo "cycles_run=$ran of=$cycles crashes=$crashes hangs=$hangs boots=$boots insmod_failed=$insmod_fail median_cycle_s=$med"
} | tee "$out/summary.txt"
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kernel" "$accel" "$module" "$ran" "$crashes" \
	"$hangs" "$med" "${sig:-none}" >>"$OUT/summary.tsv"
