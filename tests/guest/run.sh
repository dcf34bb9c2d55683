#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tests/guest/run.sh: entry point of the guest side (busybox sh), run by
# tests/vm/init.sh with the environment:
#   MMSTALL_MODE     check (default): every NN-*.sh test file, kselftest
#                    style; demo: load, run mmchurn ~10 s, print
#                    `mmstall report`, unload
#   MMSTALL_KERNEL   kernel name (6.1-cloud, 6.12-cloud, 6.1-rt, ...)
#   MMSTALL_ROOT     /mmstall (mmstall.ko, bin/, guest/)
#   MMSTALL_RESULTS  /results (copied to the host)
#   MMSTALL_TESTS    optional: only these test files ("01-load 04-rwsem")
#   MMSTALL_TEST_TIMEOUT  seconds per test file (default 150, or a
#                    quarter of MMSTALL_TIMEOUT, the guest's, if more);
#                    exported to the test files
#
# Output: one TAP 13 stream.  Each test file's results are relayed with
# this stream's numbering and "NAME: " before the description (its raw TAP
# is kept in $MMSTALL_RESULTS/tap/NAME.tap); a file that times out or
# exits non-zero without reporting a failure adds a failure of its own; a
# last test checks the kernel log.  Per-file summary in
# $MMSTALL_RESULTS/guest-summary.txt.  Exits 0 only if nothing failed.
GUEST_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$GUEST_DIR/lib.sh"

MODE=${MMSTALL_MODE:-check}
FILE_TIMEOUT=${MMSTALL_TEST_TIMEOUT:-150}
[ "${MMSTALL_TIMEOUT:-0}" -le $((FILE_TIMEOUT * 4)) ] ||
	FILE_TIMEOUT=$((MMSTALL_TIMEOUT / 4))
export MMSTALL_TEST_TIMEOUT=$FILE_TIMEOUT

diag "mmstall guest tests: mode=$MODE kernel=$MMSTALL_KERNEL release=$(uname -r)"

run_demo()
{
	CHURN_SECONDS=${CHURN_SECONDS:-10}

	mod_ensure_unloaded
	if ! mod_load; then
		not_ok "demo: insmod mmstall.ko"
		diag_file "$TMPD/insmod"
		return
	fi
	ok "demo: insmod mmstall.ko"
	"$MMSTALL" reset >/dev/null 2>&1
	echo "\$ mmchurn -d $CHURN_SECONDS"
	"$MMCHURN" -d "$CHURN_SECONDS" 2>&1 | tee "$MMSTALL_RESULTS/demo-mmchurn.out"
	echo "\$ mmstall report"
	"$MMSTALL" report >"$MMSTALL_RESULTS/demo.txt" 2>&1
	st=$?
	cat "$MMSTALL_RESULTS/demo.txt"
	check $st "demo: mmstall report"
	"$MMSTALL" report --json >"$MMSTALL_RESULTS/demo.json" 2>/dev/null
	mod_unload
	check $? "demo: rmmod mmstall" || diag_file "$TMPD/rmmod"
}

# relay_tap NAME FILE: re-emit FILE's results with our numbering and
# "NAME: " before each description; other lines become diagnostics.
# Sets _relay_n (results relayed) and _relay_fail (failures among them).
relay_tap()
{
	awk -v n="$_tap_n" -v name="$1" -v cnt="$TMPD/relay" '
	/^(not )?ok( |$)/ {
		st = ($1 == "not") ? "not ok" : "ok"
		rest = $0
		sub(/^(not )?ok( [0-9]+)?( -)? ?/, "", rest)
		n++
		r++
		dir = rest
		if (st == "ok") { }
		else if (dir ~ /# *[Tt][Oo][Dd][Oo]/) todo++
		else f++
		if (dir ~ /# *[Ss][Kk][Ii][Pp]/) sk++
		print st " " n " - " name ": " rest
		next
	}
	/^1[.][.][0-9]+/ || /^TAP version/ { next }
	{ print "# " $0 }
	END { print r + 0, f + 0, sk + 0, todo + 0 > cnt }
	' "$2"
	read -r _relay_n _relay_fail _relay_skip _relay_todo <"$TMPD/relay"
	_tap_n=$((_tap_n + _relay_n))
	_tap_fail=$((_tap_fail + _relay_fail))
	_tap_skip=$((_tap_skip + _relay_skip))
	_tap_todo=$((_tap_todo + _relay_todo))
}

run_checks()
{
	mkdir -p "$MMSTALL_RESULTS/tap"
	: >"$MMSTALL_RESULTS/guest-summary.txt"
	for t in "$GUEST_DIR"/[0-9][0-9]-*.sh; do
		[ -f "$t" ] || continue
		name=$(basename "$t" .sh)
		if [ -n "${MMSTALL_TESTS:-}" ]; then
			case " $MMSTALL_TESTS " in
			*" $name "*) ;;
			*) continue ;;
			esac
		fi
		diag "--- $name"
		start=$(cut -d' ' -f1 /proc/uptime)
		run_timeout "$FILE_TIMEOUT" sh "$t" \
			>"$MMSTALL_RESULTS/tap/$name.tap" 2>&1
		st=$?
		end=$(cut -d' ' -f1 /proc/uptime)
		secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
		relay_tap "$name" "$MMSTALL_RESULTS/tap/$name.tap"
		# A file that died early leaves the module loaded: clean up
		# so that the next file starts from scratch.
		if mod_loaded; then
			diag "$name left mmstall loaded; unloading"
			mod_ensure_unloaded
		fi
		if [ "$st" -eq 124 ] || [ "$st" -eq 143 ]; then
			not_ok "$name: finished within ${FILE_TIMEOUT}s (exit $st)"
		elif [ "$st" -ne 0 ] && [ "$_relay_fail" -eq 0 ]; then
			not_ok "$name: exited $st without reporting a failure"
		elif [ "$_relay_n" -eq 0 ]; then
			not_ok "$name: reported no results"
		fi
		echo "$name exit=$st results=$_relay_n fail=$_relay_fail skip=$_relay_skip ${secs}s" \
			>>"$MMSTALL_RESULTS/guest-summary.txt"
		diag "$name: exit $st, ${secs}s"
	done
}

case $MODE in
demo)
	run_demo
	;;
check)
	run_checks
	;;
*)
	not_ok "MMSTALL_MODE=$MODE is check or demo"
	;;
esac

check_kernel_log

tap_done
