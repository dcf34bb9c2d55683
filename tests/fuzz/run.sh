#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzz the snapshot decoder and every formatter for SECONDS (default 60)
# with libFuzzer, ASan and UBSan: build the target (Makefile), write the
# seed corpus (mkseeds), run.  Prints TAP; a crash, leak, sanitizer report
# or failed output check is "not ok" with the input that caused it, kept
# in $MMSTALL_OUT/fuzz/ (copy it to tests/fuzz/regressions/ once fixed:
# the unit tests replay that directory).  clang comes from Debian
# (clang-14, libclang-rt-14-dev), installed with apt if missing; without
# it the run is a SKIP that says why.
#
# usage: tests/fuzz/run.sh [SECONDS]        (env: MMSTALL_OUT)
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
secs=${1:-60}
out=${MMSTALL_OUT:-$repo/out}/fuzz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "TAP version 13"
echo "1..1"
name="fuzz: snapshot decoder and formatters, ${secs}s"

skip() {
	echo "ok 1 - $name # SKIP $1"
	exit 0
}

has_clang() {
	command -v clang-14 >/dev/null 2>&1 || command -v clang >/dev/null 2>&1
}

# libFuzzer's runtime: does a fuzzer link?
links() {
	local cc
	cc=$(command -v clang-14 || command -v clang)
	printf 'int LLVMFuzzerTestOneInput(const char *d, long n)\n{ return 0; }\n' |
		"$cc" -fsanitize=fuzzer -x c - -o "$tmp/probe" >/dev/null 2>&1
}

if ! has_clang || ! links; then
	# shellcheck source=tests/vm/lib.sh
	(. "$repo/tests/vm/lib.sh" && ensure_pkgs clang-14 libclang-rt-14-dev) \
		>"$tmp/apt.log" 2>&1
	has_clang || skip "no clang, and apt could not install clang-14"
	links || skip "clang cannot link a libFuzzer target (libclang-rt-14-dev)"
fi

mkdir -p "$out/corpus"
if ! make -s -C "$here" -j2 all >"$tmp/build.log" 2>&1; then
	sed 's/^/# /' "$tmp/build.log" | tail -n 30
	echo "not ok 1 - $name (build)"
	exit 1
fi
mkdir -p "$tmp/seeds"
nseeds=$("$here/build/mkseeds" "$tmp/seeds") || {
	echo "not ok 1 - $name (seeds)"
	exit 1
}

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# LeakSanitizer cannot run under ptrace (some CI sandboxes).
if [ "$(awk '/^TracerPid:/ { print $2 }' /proc/self/status)" != "0" ]; then
	ASAN_OPTIONS="detect_leaks=0:abort_on_error=0"
fi
log=$out/fuzz.log
"$here/build/fuzz_snapshot" -max_total_time="$secs" -max_len=65536 \
	-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$out/" "$out/corpus" "$tmp/seeds" \
	"$here/regressions" >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1)
echo "# $nseeds seeds, ${runs:-?} runs, ${cov:-cov: ?}, corpus $out/corpus"
if [ "$rc" -eq 0 ]; then
	echo "ok 1 - $name"
	exit 0
fi
grep -E 'ERROR|SUMMARY|runtime error|format_all|Test unit written' "$log" |
	head -n 20 | sed 's/^/# /'
echo "not ok 1 - $name (exit $rc; log $log)"
exit 1
