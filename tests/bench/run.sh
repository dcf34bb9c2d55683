#!/usr/bin/env bash
# tests/bench/run.sh: `make bench`, mmstall's overhead measured in QEMU
# against an empty probe on the same points and against bpftrace.
#
# Usage: tests/bench/run.sh
# Env:   BENCH_REPS (5), BENCH_KERNEL (6.1-cloud; a name of the test matrix
#        with a Debian initrd), BENCH_CONFIGS ("defaults kret-empty
#        kret-mmstall kret-bpftrace ret-empty ret-mmstall profile"), BENCH_QUICK=1 (small workloads, to
#        try the machinery), BENCH_BOOT_TIMEOUT (s per boot; default from
#        BENCH_REPS), BENCH_ICOUNT=1 (count instructions, not time: see
#        below), MMSTALL_OUT (default out/), MMSTALL_VERBOSE=1.
#
# One boot per configuration (tests/bench/guest/run.sh says what each
# does), each a Debian root file system (tests/bench/rootfs.sh, cached),
# 2 vCPUs and 1 GiB under TCG, with three disks: the root (snapshot=on,
# never written), the payload (module, empty_probe.ko, static workloads,
# reader, guest scripts, bpftrace scripts; label mmstall-bench) and an ext4
# scratch disk for the reclaim copy (label mmstall-scratch). The guest is
# the test harness's (tests/vm/init.sh, tests/vm/boot.sh): results come
# back over the second serial port.
#
# Output: $MMSTALL_OUT/bench/results.txt (also on stdout), results.json,
# and per configuration $MMSTALL_OUT/bench/CONFIG/{console.log,results/}.
# Timings are not tests: this is not part of `make check`.
#
# With BENCH_ICOUNT=1 QEMU runs with -icount shift=0 and one vCPU (QEMU
# 7.2 hangs bringing up a second CPU under -icount): the guest's clock
# advances one nanosecond per instruction executed.  Every figure is then
# a count of guest instructions ("ns" read as instructions), free of the
# host's load and of TCG's translation costs, which inflate the time of
# straight-line handler code against the probe dispatch.  Workloads that
# contend across CPUs contend less on one.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../vm/lib.sh"

BENCH_DIR=$REPO/tests/bench
REPS=${BENCH_REPS:-5}
KNAME=${BENCH_KERNEL:-6.1-cloud}
read -ra CONFIGS <<<"${BENCH_CONFIGS:-defaults kret-empty kret-mmstall kret-bpftrace ret-empty ret-mmstall profile}"
OUT=$MMSTALL_OUT/bench
QEMU_MEM=1024
SMP=2
[ "${BENCH_ICOUNT:-0}" = 1 ] && SMP=1

# bench_conf CONFIG: the guest's bench.conf (workload sizes, modes).
bench_conf() {
	local quick=${BENCH_QUICK:-0}
	echo "BENCH_CONFIG=$1"
	echo "BENCH_REPS=$REPS"
	echo "BENCH_ICOUNT=${BENCH_ICOUNT:-0}"
	echo "MODES='none empty mmstall bpftrace'"
	echo "WORKLOADS='kp-mmap jitmap mmchurn slabbench reclaim memcg'"
	echo "KRET_PAIRS=$((REPS * 3)) MEMCG_MAX=32M FIRE_SLOW_GAP_NS=20000"
	echo "FIRE_TRACEPOINTS=contention_begin,contention_end,mm_vmscan_direct_reclaim_begin,mm_vmscan_direct_reclaim_end"
	if [ "$quick" = 1 ]; then
		echo "JIT_N=2000 CHURN_T=8 CHURN_I=20 SLAB_N=500 SLAB_R=4 COPY_MB=96 SPARE_MB=32"
		echo "FIRE_N=2000 FIRE_SLOW_N=500 KPALT_BATCHES=30 KPALT_OPS=10"
	else
		echo "JIT_N=10000 CHURN_T=8 CHURN_I=40 SLAB_N=1000 SLAB_R=10 COPY_MB=128 SPARE_MB=32"
		echo "FIRE_N=20000 FIRE_SLOW_N=5000 KPALT_BATCHES=150 KPALT_OPS=10"
	fi
	echo "RUN_TIMEOUT=600 BT_START_TIMEOUT=600 PROFILE_SCALE=20"
}

# build_empty_probe VER DEST LOG: empty_probe.ko for kernel VER, built in
# a private copy (it includes mmstall's module/compat headers).
build_empty_probe() {
	local ver=$1 dest=$2 log=$3 src vm
	src=$(dirname "$dest")/empty-src
	rm -rf "$src"
	mkdir -p "$src/tests/bench" "$src/module"
	cp -a "$BENCH_DIR/empty-probe" "$src/tests/bench/"
	cp -a "$REPO/module/compat" "$src/module/"
	make -C "$src/tests/bench/empty-probe" KDIR="$(kernel_build_dir "$ver")" \
		>"$log" 2>&1 || return 1
	cp "$src/tests/bench/empty-probe/empty_probe.ko" "$dest"
	vm=$(modinfo -F vermagic "$dest" | awk '{ print $1 }')
	[ "$vm" = "$ver" ] || { echo "vermagic $vm != $ver" >>"$log"; return 1; }
}

# make_payload CONFIG DIR IMG: the payload disk of one boot.
make_payload() {
	local d=$2
	rm -rf "$d"
	mkdir -p "$d/bin" "$d/guest" "$d/bpftrace"
	install -m 0755 "$VM_DIR/init.sh" "$d/init.sh"
	printf 'MMSTALL_KERNEL=%s\nMMSTALL_KVER=%s\n' "$KNAME" "$VER" >"$d/env"
	: >"$d/kmods.order"
	cp "$OUT/$VER/mmstall.ko" "$OUT/$VER/empty_probe.ko" "$d/"
	cp -a "$OUT/bin/." "$d/bin/"
	ln -s /bin/busybox "$d/bin/poweroff"
	cp "$BENCH_DIR/guest/run.sh" "$BENCH_DIR/guest/lib.sh" "$d/guest/"
	cp "$REPO/tests/guest/lib.sh" "$d/guest/testlib.sh"
	cp "$BENCH_DIR/bpftrace/"*.bt "$d/bpftrace/"
	bench_conf "$1" >"$d/bench.conf"
	mke2fs -q -F -t ext4 -L mmstall-bench -d "$d" "$3" 64M
}

# boot_config CONFIG: one boot; 0 when its results arrived.
boot_config() {
	local c=$1 d=$OUT/$1 tmo rc=0
	rm -rf "$d"
	mkdir -p "$d"
	make_payload "$c" "$d/payload" "$d/payload.img" >"$d/payload.log" 2>&1 ||
		{ msg "$c: payload image failed (see $d/payload.log)"; return 1; }
	mke2fs -q -F -t ext4 -L mmstall-scratch "$d/scratch.img" 600M >>"$d/payload.log" 2>&1
	if [ "$c" = defaults ]; then
		tmo=${BENCH_BOOT_TIMEOUT:-$((600 + REPS * 900))}
	else
		tmo=${BENCH_BOOT_TIMEOUT:-$((600 + REPS * 60))}
	fi
	msg "$c: booting (bound ${tmo}s)"
	local qargs="-drive file=$ROOTFS,if=virtio,format=raw,snapshot=on"
	[ "${BENCH_ICOUNT:-0}" = 1 ] && qargs+=" -icount shift=0"
	qargs+=" -drive file=$d/payload.img,if=virtio,format=raw,readonly=on"
	qargs+=" -drive file=$d/scratch.img,if=virtio,format=raw"
	MMSTALL_QEMU_MEM=$QEMU_MEM MMSTALL_QEMU_ARGS=$qargs MMSTALL_QEMU_SMP=$SMP \
		"$VM_DIR/boot.sh" -t "$tmo" -a "root=LABEL=mmstall-root rw init=/mmstall-init" \
		"$VER" "/boot/initrd.img-$VER" "$d" || rc=$?
	rm -f "$d/scratch.img" "$d/payload.img"
	msg "$c: $(cat "$d/boot.status" 2>/dev/null || echo "boot failed") ($(tail -n1 "$d/qemu.log"))"
	if [ -f "$d/results/tap.txt" ]; then
		grep -E '^(not ok|# SKIP|ok .*# SKIP)' "$d/results/tap.txt" | sed "s/^/# $c: /" || true
	fi
	return "$rc"
}

main() {
	local c log
	mkdir -p "$OUT"
	log=$OUT/setup.log
	: >"$log"
	"$VM_DIR/kernels.sh" "$KNAME" >"$OUT/kernels.txt" 2>>"$log" ||
		die "cannot install kernel $KNAME (see $log)"
	VER=$(awk -v n="$KNAME" '$1 == n { print $2 }' "$OUT/kernels.txt")
	[ -r "/boot/initrd.img-$VER" ] ||
		die "$KNAME ($VER) has no Debian initrd /boot/initrd.img-$VER"
	ROOTFS=$("$BENCH_DIR/rootfs.sh" 2>>"$log" | sed -n 's/^image=//p')
	[ -n "$ROOTFS" ] || die "no root file system image (see $log)"
	msg "kernel $KNAME $VER, root file system $ROOTFS"

	rm -rf "${OUT:?}/bin"
	if ! build_bin "$OUT/bin" "$OUT/bin-build.log" >/dev/null ||
		! gcc -O2 -static -Wall -o "$OUT/bin/kpalt" "$BENCH_DIR/kpalt.c" \
			>>"$OUT/bin-build.log" 2>&1; then
		die "guest binaries did not build (see $OUT/bin-build.log)"
	fi
	mkdir -p "$OUT/$VER"
	build_module "$VER" "$OUT/$VER/mmstall.ko" "$OUT/$VER/module-build.log" ||
		die "mmstall.ko did not build (see $OUT/$VER/module-build.log)"
	build_empty_probe "$VER" "$OUT/$VER/empty_probe.ko" "$OUT/$VER/empty-build.log" ||
		die "empty_probe.ko did not build (see $OUT/$VER/empty-build.log)"

	for c in "${CONFIGS[@]}"; do
		boot_config "$c" || true
	done
	python3 "$BENCH_DIR/report.py" --json "$OUT/results.json" \
		"${CONFIGS[@]/#/$OUT/}" | tee "$OUT/results.txt"
}

main "$@"
