#!/usr/bin/env bash
# tests/vm/run-matrix.sh: build, boot and check mmstall on each test kernel.
#
# Usage: tests/vm/run-matrix.sh [NAME...]   (default: KERNEL_NAMES of tests/vm/lib.sh)
# Env:   MMSTALL_OUT (default out/), MMSTALL_BOOT_TIMEOUT (s per boot, 900),
#        MMSTALL_VERBOSE=1 (console to stdout too),
#        MMSTALL_GUEST_DIR (guest tests to copy in, default tests/guest),
#        MMSTALL_CHECKS_DIR (host checks, default tests/vm/checks),
#        MMSTALL_KO_OVERRIDE (a prebuilt mmstall.ko to boot instead of
#        building one, "%v" standing for the kernel version, e.g.
#        $MMSTALL_OUT/packaging/%v/mmstall.ko from tests/packaging/run.sh's DKMS
#        builds; kernels without such a file build as usual)
#
# Once: install kernels and tools (kernels.sh), build the guest binaries
# (reader + static workloads) into $MMSTALL_OUT/bin. Then, one kernel at a
# time (2 cores): build mmstall.ko against its headers, build the initramfs,
# boot it in mode "check", and report as TAP, every description prefixed with
# the kernel name: the guest's TAP (results/tap.txt), the console scan
# (scan-console.py), and each host check tests/vm/checks/*.py, invoked as
#     python3 CHECK.py $MMSTALL_OUT/NAME/results NAME
# Per-kernel artifacts: $MMSTALL_OUT/NAME/{console.log,results/,*.log,...}.
# Exit status 1 if anything failed.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/vm/tap.sh
. "$VM_DIR/tap.sh"

# tail_diag FILE [N]: the last N lines of FILE as diagnostics.
tail_diag() {
	[ -f "$1" ] || return 0
	tail -n "${2:-20}" "$1" | tr -d '\r' | sed 's/^/#   /'
}

# relay_guest_from_console NAME DIR: when no results arrived, salvage the TAP
# lines the guest printed on the console (kernel lines excluded).
relay_guest_from_console() {
	tap_relay "$1: guest (console): " <(sed -n '/^MMSTALL-GUEST-START/,$p' \
		"$2/console.log" | tr -d '\r' | grep -E '^(not ok|ok)( |$)' || true) || true
}

# ko_override VER DEST LOG: copy MMSTALL_KO_OVERRIDE (%v = VER) to DEST if
# that file exists; its vermagic must name VER. Returns 3 if there is none.
ko_override() {
	local ko=${MMSTALL_KO_OVERRIDE:-} vm
	ko=${ko//%v/$1}
	[ -n "$ko" ] && [ -f "$ko" ] || return 3
	cp "$ko" "$2"
	vm=$(modinfo -F vermagic "$2" | awk '{ print $1 }')
	echo "MMSTALL_KO_OVERRIDE: $ko, vermagic $vm" >"$3"
	[ "$vm" = "$1" ]
}

run_kernel() {
	local name=$1 ver=$2 d=$MMSTALL_OUT/$1 ko_opt=() t0 rc status c cname
	rm -rf "$d"
	mkdir -p "$d"
	msg "=== $name ($ver)"

	t0=$SECONDS
	rc=0
	ko_override "$ver" "$d/mmstall.ko" "$d/module-build.log" || rc=$?
	if [ "$rc" = 0 ]; then
		msg "$name: $(cat "$d/module-build.log")"
	elif [ "$rc" = 3 ]; then
		rc=0
		build_module "$ver" "$d/mmstall.ko" "$d/module-build.log" || rc=$?
	fi
	case $rc in
	0) tap_ok "$name: build module ($((SECONDS - t0)) s)"; ko_opt=(-k "$d/mmstall.ko") ;;
	2) tap_skip "$name: build module" "module/ has no Kbuild or Makefile yet" ;;
	*)
		tap_fail "$name: build module"
		tail_diag "$d/module-build.log" 30
		tap_skip "$name: boot" "the module did not build"
		return 0
		;;
	esac

	# A scratch ext4 disk on virtio (tests/guest/08-reclaim.sh), where the
	# kernel has the modules or virtio_blk built in; removed after the boot.
	# It holds a copy of a tmpfs file that fills most of the guest's RAM.
	local disk_mods=() disk_args='' mem disk_size
	mem=$(kernel_at_least KERNEL_QEMU_MEM "$name" "${MMSTALL_QEMU_MEM:-512}")
	disk_size=$((mem + 128))M
	if kernel_mod_deps "$ver" virtio_blk >/dev/null 2>&1; then
		disk_mods=(-m virtio_pci -m virtio_blk)
	fi
	if { [ ${#disk_mods[@]} -gt 0 ] || kernel_config_has "$ver" CONFIG_VIRTIO_BLK; } &&
		mke2fs -q -F -t ext4 "$d/disk.img" "$disk_size" >"$d/disk.log" 2>&1; then
		disk_args="-drive file=$d/disk.img,if=virtio,format=raw"
	else
		disk_mods=()
	fi
	# A loop device and ext4 for tests/guest/07-slab.sh (an ext2 image in
	# tmpfs), where they are modules; kernels we build have them built in.
	local m
	for m in loop ext4; do
		if kernel_mod_deps "$ver" "$m" >/dev/null 2>&1; then
			disk_mods+=(-m "$m")
		fi
	done

	local envs=(-e "MMSTALL_ACCEL=${MMSTALL_QEMU_ACCEL:-tcg}") e
	IFS=';' read -ra e <<<"${KERNEL_GUEST_ENV[$name]:-}"
	for m in "${e[@]}"; do envs+=(-e "$m"); done
	if "$VM_DIR/build-initramfs.sh" -n "$name" "${ko_opt[@]}" "${disk_mods[@]}" "${envs[@]}" \
		-b "$MMSTALL_OUT/bin" \
		-g "${MMSTALL_GUEST_DIR:-$REPO/tests/guest}" \
		"$ver" "$d/initramfs.cpio.gz" >"$d/initramfs.log" 2>&1; then
		tap_ok "$name: build initramfs"
	else
		tap_fail "$name: build initramfs"
		tail_diag "$d/initramfs.log"
		return 0
	fi

	t0=$SECONDS
	local try tmo
	tmo=$(kernel_at_least KERNEL_BOOT_TIMEOUT "$name" "${MMSTALL_BOOT_TIMEOUT:-900}")
	for try in 1 2; do
		rc=0
		MMSTALL_QEMU_ARGS="${MMSTALL_QEMU_ARGS:-} $disk_args" MMSTALL_QEMU_MEM=$mem \
			"$VM_DIR/boot.sh" -t "$tmo" -m check "$ver" "$d/initramfs.cpio.gz" "$d" || rc=$?
		status=$(cat "$d/boot.status" 2>/dev/null || echo "boot.sh failed ($rc)")
		# A kernel that died before the guest's init started any test
		# (a TCG boot flake, nothing of ours loaded yet) is booted once
		# more; the first console is kept beside the second.
		if [ "$status" = ok ] || [ "$try" -eq 2 ] ||
			grep -q '^MMSTALL-GUEST-START' "$d/console.log"; then
			break
		fi
		msg "$name: the kernel died before the guest started ($status); booting again"
		mv "$d/console.log" "$d/console-boot1.log"
		[ -z "$disk_args" ] || mke2fs -q -F -t ext4 "$d/disk.img" "$disk_size" >>"$d/disk.log" 2>&1
	done
	rm -f "$d/disk.img"
	echo "$name boot+run $((SECONDS - t0)) s ($status)" >>"$MMSTALL_OUT/timings.txt"
	if [ "$status" = ok ]; then
		tap_ok "$name: boot, run guest tests, receive results ($((SECONDS - t0)) s)"
	else
		tap_fail "$name: boot, run guest tests, receive results: $status ($((SECONDS - t0)) s)"
		tail_diag "$d/qemu.log" 5
		tail_diag "$d/console.log" 10
	fi

	if [ -f "$d/results/tap.txt" ]; then
		check_guest_tap "$name" "$d"
	else
		relay_guest_from_console "$name" "$d"
	fi

	tap_relay "$name: console: " <("$VM_DIR/scan-console.py" "$d/console.log" || true) || true

	for c in "${MMSTALL_CHECKS_DIR:-$VM_DIR/checks}"/*.py; do
		[ -e "$c" ] || break
		cname=$(basename "$c" .py)
		if [ ! -d "$d/results" ]; then
			tap_skip "$name: check $cname" "no guest results"
			continue
		fi
		rc=0
		python3 "$c" "$d/results" "$name" >"$d/check-$cname.tap" 2>&1 || rc=$?
		if tap_relay "$name: check $cname: " "$d/check-$cname.tap" && [ "$rc" -ne 0 ]; then
			tap_fail "$name: check $cname exited with status $rc"
		fi
	done
}

# check_guest_tap NAME DIR: relay results/tap.txt, then flag a short run
# (fewer results than planned) or a failing run.sh that reported no failure.
check_guest_tap() {
	local name=$1 d=$2 tap=$2/results/tap.txt plan got rc failed=0
	tap_relay "$name: guest: " "$tap" || failed=1
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$tap" | tr -d '\r' | head -n1)
	got=$(grep -cE '^(not ok|ok)( |$)' "$tap" || true)
	if [ -z "$plan" ]; then
		tap_fail "$name: guest: TAP output has no plan line"
	elif [ "$plan" != "$got" ]; then
		tap_fail "$name: guest: $got of $plan planned tests reported"
	fi
	if [ -f "$d/results/timeout" ]; then
		tap_fail "$name: guest: run.sh killed after $(cat "$d/results/timeout") s (guest timeout)"
		return 0
	fi
	rc=$(cat "$d/results/run.rc" 2>/dev/null || echo missing)
	case $rc in
	0 | 4) ;;
	*)
		if [ "$failed" -eq 0 ]; then
			tap_fail "$name: guest: run.sh exited with status $rc"
		fi
		;;
	esac
}

main() {
	local names=("$@") name ver
	[ ${#names[@]} -gt 0 ] || names=("${KERNEL_NAMES[@]}")
	mkdir -p "$MMSTALL_OUT"
	: >"$MMSTALL_OUT/timings.txt"

	if ! "$VM_DIR/kernels.sh" "${names[@]}" >"$MMSTALL_OUT/matrix.txt" \
		2>"$MMSTALL_OUT/kernels.log"; then
		tap_fail "setup: install kernels ${names[*]}"
		tail_diag "$MMSTALL_OUT/kernels.log"
		tap_summary
		return 1
	fi
	msg "kernels: $(tr '\n' ' ' <"$MMSTALL_OUT/matrix.txt")"

	rm -rf "${MMSTALL_OUT:?}/bin"
	if skipped=$(build_bin "$MMSTALL_OUT/bin" "$MMSTALL_OUT/bin-build.log"); then
		tap_ok "build guest binaries ($(find "$MMSTALL_OUT/bin" -type f | wc -l) files)"
		[ -z "$skipped" ] || tap_diag "$skipped"
	else
		tap_fail "build guest binaries"
		tail_diag "$MMSTALL_OUT/bin-build.log" 30
	fi

	for name in "${names[@]}"; do
		ver=$(awk -v n="$name" '$1 == n { print $2 }' "$MMSTALL_OUT/matrix.txt")
		if [ "$ver" = - ]; then
			tap_skip "$name: boot and test" "$(grep -m1 "^$name: " \
				"$MMSTALL_OUT/kernels.log" || echo "kernel unavailable")"
			continue
		fi
		run_kernel "$name" "$ver"
	done
	tap_diag "timings:" "$(sed 's/^/  /' "$MMSTALL_OUT/timings.txt")"
	tap_summary
	[ "$TAP_FAIL" -eq 0 ]
}

main "$@"
