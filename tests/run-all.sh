#!/usr/bin/env bash
# tests/run-all.sh: the whole mmstall test suite (what `make check` runs).
#
# Usage: tests/run-all.sh [KERNEL...]   (default: KERNEL_NAMES of tests/vm/lib.sh)
#
# Installs host tools and kernels (tests/vm/kernels.sh), builds the reader
# (make userspace), runs the host unit tests (tests/unit/run.sh), the
# kselftest target's consistency check (tests/kselftest/check.sh), the
# packaging tests (tests/packaging/run.sh: DKMS, .deb, .rpm), then the QEMU
# matrix (tests/vm/run-matrix.sh). Everything is reported as one TAP
# stream, numbered here; anything that is not a result becomes a "# " line.
# The last line is "N passed, N failed, N skipped". Exit status 1 if anything
# failed or nothing ran. Env: see tests/vm/run-matrix.sh (MMSTALL_OUT, ...).
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/vm/lib.sh"
# shellcheck source=tests/vm/tap.sh
. "$VM_DIR/tap.sh"

# component PREFIX NAME CMD...: run CMD, stream its TAP through tap_relay,
# and fail NAME if CMD exits non-zero without having reported a failure.
component() {
	local prefix=$1 name=$2 rcf
	shift 2
	rcf=$(mktemp)
	if tap_relay "$prefix" < <(rc=0; "$@" 2>&1 || rc=$?; echo "$rc" >"$rcf"); then
		# The substitution may still be writing its status: wait for it.
		for _ in $(seq 50); do [ -s "$rcf" ] && break; sleep 0.1; done
		if [ "$(cat "$rcf")" != 0 ]; then
			tap_fail "$name exited with status $(cat "$rcf" || echo unknown)"
		fi
	fi
	rm -f "$rcf"
}

main() {
	local t0=$SECONDS kernels=("$@") log
	[ ${#kernels[@]} -gt 0 ] || kernels=("${KERNEL_NAMES[@]}")
	mkdir -p "$MMSTALL_OUT"
	echo "TAP version 13"

	log=$MMSTALL_OUT/setup.log
	if "$VM_DIR/kernels.sh" "${kernels[@]}" >"$log" 2>&1; then
		tap_ok "setup: host tools and kernels ($(awk '{ print $2 }' "$log" | paste -sd' '))"
	else
		tap_fail "setup: host tools and kernels"
		tap_diag "$(tail -n 20 "$log")"
	fi

	log=$MMSTALL_OUT/userspace-build.log
	if [ ! -f "$REPO/userspace/Makefile" ]; then
		tap_skip "build: make userspace" "no userspace/Makefile yet"
	elif make -C "$REPO" userspace >"$log" 2>&1; then
		tap_ok "build: make userspace"
	else
		tap_fail "build: make userspace"
		tap_diag "$(tail -n 30 "$log")"
	fi

	if [ -f "$REPO/tests/unit/run.sh" ]; then
		component "unit: " "unit: tests/unit/run.sh" bash "$REPO/tests/unit/run.sh"
	else
		tap_skip "unit tests" "tests/unit/run.sh not present"
	fi

	component "kselftest: " "kselftest: tests/kselftest/check.sh" bash "$REPO/tests/kselftest/check.sh"

	component "packaging: " "packaging: tests/packaging/run.sh" bash "$REPO/tests/packaging/run.sh"

	component "" "tests/vm/run-matrix.sh" "$VM_DIR/run-matrix.sh" "${kernels[@]}"

	tap_diag "suite took $((SECONDS - t0)) s; artifacts in $MMSTALL_OUT"
	echo "1..$TAP_N"
	tap_summary
	[ "$TAP_FAIL" -eq 0 ] && [ $((TAP_PASS + TAP_FAIL)) -gt 0 ]
}

main "$@"
