#!/usr/bin/env bash
# tests/vm/demo.sh: `make demo`: see mmstall work in a QEMU guest, no risk to
# this machine.
#
# Usage: tests/vm/demo.sh [KERNEL]   (default 6.1-cloud)
# Env:   MMSTALL_OUT (default out/; artifacts in $MMSTALL_OUT/demo-KERNEL),
#        MMSTALL_VERBOSE=1 (show the guest console while it runs)
#
# Installs what it needs, builds the reader, the workloads and mmstall.ko for
# the kernel, boots it with mmstall_mode=demo (the guest loads the module,
# runs a contention workload and prints `mmstall report`), then prints the
# report on this terminal.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

name=${1:-6.1-cloud}
d=$MMSTALL_OUT/demo-$name

step() { printf '==> %s\n' "$*"; }
fail() {
	printf 'demo failed: %s\n' "$1" >&2
	[ -z "${2:-}" ] || [ ! -f "$2" ] || tail -n 30 "$2" | sed 's/^/    /' >&2
	exit 1
}

step "kernel $name: installing tools and kernel if needed"
mkdir -p "$MMSTALL_OUT"
"$VM_DIR/kernels.sh" "$name" >"$MMSTALL_OUT/demo-kernels.txt" 2>"$MMSTALL_OUT/demo-kernels.log" ||
	fail "kernels.sh" "$MMSTALL_OUT/demo-kernels.log"
ver=$(awk -v n="$name" '$1 == n { print $2 }' "$MMSTALL_OUT/demo-kernels.txt")
rm -rf "$d"
mkdir -p "$d"

step "building the reader and workloads"
build_bin "$d/bin" "$d/bin-build.log" >/dev/null || fail "build_bin" "$d/bin-build.log"
[ -x "$d/bin/mmstall" ] || fail "userspace/mmstall was not built" "$d/bin-build.log"

step "building mmstall.ko for $ver"
rc=0
build_module "$ver" "$d/mmstall.ko" "$d/module-build.log" || rc=$?
[ "$rc" -eq 0 ] || fail "module build" "$d/module-build.log"

"$VM_DIR/build-initramfs.sh" -n "$name" -k "$d/mmstall.ko" -b "$d/bin" \
	"$ver" "$d/initramfs.cpio.gz" >"$d/initramfs.log" 2>&1 ||
	fail "initramfs" "$d/initramfs.log"

step "booting $ver under QEMU (software emulation: about a minute)"
rc=0
"$VM_DIR/boot.sh" -m demo -t "${MMSTALL_BOOT_TIMEOUT:-600}" "$ver" \
	"$d/initramfs.cpio.gz" "$d" || rc=$?

echo
if [ -s "$d/results/demo.txt" ]; then
	step "mmstall report (in the guest, after the contention workload)"
	echo
	cat "$d/results/demo.txt"
elif [ -s "$d/results/tap.txt" ]; then
	step "guest output (no report was written)"
	cat "$d/results/tap.txt"
else
	step "guest output from the console (no results came back)"
	sed -n '/^MMSTALL-GUEST-START/,$p' "$d/console.log" | tr -d '\r'
fi
if ! "$VM_DIR/scan-console.py" "$d/console.log" >"$d/console-scan.tap"; then
	echo
	step "the kernel reported problems (details in $d/console-scan.tap):"
	grep '^not ok' "$d/console-scan.tap" || true
fi
echo
step "artifacts: $d (console.log, results/: demo.txt, demo.json)"
[ "$rc" -eq 0 ] || fail "the guest did not finish cleanly ($(cat "$d/boot.status" 2>/dev/null))"
[ -s "$d/results/demo.txt" ] || fail "no report"
