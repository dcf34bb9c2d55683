#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the reader and its host unit tests with ASan and UBSan, run them,
# and print one TAP 13 stream: "ok N - name" / "not ok N - name", the plan
# at the end and a closing "unit: N passed, N failed" line.  Exits non-zero
# if anything failed or did not build.
#
# usage: tests/unit/run.sh [-v]   (-v: show the build commands)
# env: MMSTALL_FUZZ_SECONDS (default 30; 0 skips the fuzz run)

set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# LeakSanitizer cannot run under ptrace (some CI sandboxes): then skip it.
if [ -r /proc/self/status ] &&
   [ "$(awk '/^TracerPid:/ { print $2 }' /proc/self/status)" != "0" ]; then
	ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:exitcode=99"
fi

n=0
pass=0
fail=0

echo "TAP version 13"

ok() {
	n=$((n + 1))
	pass=$((pass + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	fail=$((fail + 1))
	echo "not ok $n - $1"
}

# Run a TAP-printing command; renumber its results into ours.
suite() {
	name=$1
	shift
	"$@" >"$tmp/out" 2>&1
	rc=$?
	before=$fail
	while IFS= read -r line; do
		case $line in
		"ok "*)
			rest=${line#ok }
			ok "${rest#* - }"
			;;
		"not ok "*)
			rest=${line#not ok }
			not_ok "${rest#* - }"
			;;
		"TAP version"* | 1..*)
			;;
		"#"*)
			echo "$line"
			;;
		*)
			echo "# $line"
			;;
		esac
	done <"$tmp/out"
	if [ "$rc" -ne 0 ] && [ "$fail" -eq "$before" ]; then
		not_ok "$name exited with status $rc"
	fi
}

quiet=-s
[ "${1:-}" = "-v" ] && quiet=

if make $quiet -C "$here" all >"$tmp/build" 2>&1; then
	ok "build of the sanitized reader and tests"
else
	sed 's/^/# /' "$tmp/build"
	not_ok "build of the sanitized reader and tests"
fi
if make $quiet -C "$here/../../userspace" >"$tmp/build" 2>&1 &&
   [ -x "$here/../../userspace/mmstall" ]; then
	ok "build of userspace/mmstall (-Werror)"
else
	sed 's/^/# /' "$tmp/build"
	not_ok "build of userspace/mmstall (-Werror)"
fi

if [ -x "$here/build/unit_tests" ]; then
	suite unit_tests "$here/build/unit_tests"
fi
if [ -x "$here/build/mmstall" ] && [ -x "$here/build/mksnap" ]; then
	if command -v python3 >/dev/null 2>&1; then
		suite cli_tests.py python3 "$here/cli_tests.py" \
			"$here/build/mmstall" "$here/build/mksnap"
	else
		n=$((n + 1))
		echo "ok $n - cli_tests.py # SKIP python3 not found"
	fi
fi

# Tools of the terminal and man page tests, from Debian where missing
# (tmux, mandoc); their tests SKIP, saying why, if that fails.
missing=
command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
command -v mandoc >/dev/null 2>&1 || missing="$missing mandoc"
if [ -n "$missing" ]; then
	# shellcheck disable=SC2086
	bash -c '. "$1" && shift && ensure_pkgs "$@"' _ \
		"$here/../vm/lib.sh" $missing >"$tmp/apt.log" 2>&1 ||
		echo "# could not install:$missing"
fi
if [ -x "$here/build/mmstall" ] && [ -x "$here/build/mksnap" ] &&
   command -v python3 >/dev/null 2>&1; then
	suite docs_tests.py python3 "$here/docs_tests.py" "$here/build/mmstall"
	suite recorded_tests.py python3 "$here/recorded_tests.py" \
		"$here/build/mmstall"
	suite tui_tests.py python3 "$here/tui_tests.py" "$here/build/mmstall" \
		"$here/build/mksnap"
fi

if [ -x "$here/build/replay" ] && [ -x "$here/build/mkseeds" ]; then
	mkdir -p "$tmp/seeds"
	for f in "$here"/data/*.gz; do
		[ -f "$f" ] &&
			gzip -dc "$f" >"$tmp/seeds/recorded-$(basename "$f" .gz)"
	done
	"$here/build/mkseeds" "$tmp/seeds" >/dev/null &&
		suite replay "$here/build/replay" "$tmp/seeds" \
			"$here/../fuzz/regressions"
fi

# A short fuzz run (clang, libFuzzer); 0 seconds: none.
fuzz_secs=${MMSTALL_FUZZ_SECONDS:-30}
if [ "$fuzz_secs" -gt 0 ] 2>/dev/null; then
	suite fuzz bash "$here/../fuzz/run.sh" "$fuzz_secs"
else
	n=$((n + 1))
	echo "ok $n - fuzz # SKIP MMSTALL_FUZZ_SECONDS=$fuzz_secs"
fi

suite bench-check bash "$here/../bench/check.sh"

echo "1..$n"
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
