# SPDX-License-Identifier: GPL-2.0
# tests/guest/lib.sh: helpers for the guest tests (busybox sh), sourced by
# run.sh and by every NN-*.sh test file.
#
# TAP 13 output, kselftest style: each test file prints its own TAP stream
# ("TAP version 13", results, then the plan "1..N" at the end, or at the
# start when the file calls plan N) and exits 0 only if nothing failed.
#
#   plan N                 announce N tests up front (optional)
#   ok NAME / not_ok NAME  one result
#   check STATUS NAME      ok when STATUS is 0
#   skip NAME REASON       "ok N - NAME # SKIP REASON"
#   todo_fail NAME REASON  "not ok N - NAME # TODO REASON" (known gap)
#   diag TEXT...           "# TEXT" (each line of TEXT)
#   run_ok NAME CMD...     run CMD, ok if it exits 0, else diag its output
#   run_fails NAME CMD...  run CMD, ok if it exits non-zero
#   tap_done               print the plan if not yet printed; exit 0/1

MMSTALL_ROOT=${MMSTALL_ROOT:-/mmstall}
MMSTALL_RESULTS=${MMSTALL_RESULTS:-/results}
MMSTALL_KERNEL=${MMSTALL_KERNEL:-unknown}
MMSTALL=${MMSTALL:-$MMSTALL_ROOT/bin/mmstall}
MMCHURN=${MMCHURN:-$MMSTALL_ROOT/bin/mmchurn}
MMSTALL_KO=${MMSTALL_KO:-$MMSTALL_ROOT/mmstall.ko}
DEBUGFS=${DEBUGFS:-/sys/kernel/debug}
DBGDIR=$DEBUGFS/mmstall

# The tests that load and unload mmstall while workloads run (05, 10).
# Under QEMU's TCG (MMSTALL_ACCEL, from the host), the kernel patching code
# (a kprobe's ftrace call site, a tracepoint's static key) while another
# vCPU runs it now and then crashes the guest: an "Oops: int3" at a site
# whose patch was finished, with an empty-probe module too (README, "Known
# issue").  So under TCG these phases run with every CPU but the first
# offline (under_load_begin, under_load_end): one vCPU cannot run a stale
# copy of the code another one patched.  Where CPUs cannot go offline, the
# syscall kprobes stay unregistered (UNDER_LOAD_PARAMS) and the tests SKIP
# the default-parameter variant with UNDER_LOAD_WHY.
UNDER_LOAD_PARAMS=
UNDER_LOAD_WHY=
UNDER_LOAD_CPUS_OFF=	# set: take the other CPUs offline
UNDER_LOAD_OFFLINE=	# the CPUs under_load_begin took offline
# MMSTALL_ACCEL is set by the harness; kselftest on a real machine has none.
case ${MMSTALL_ACCEL:-} in
tcg*)
	if [ -w /sys/devices/system/cpu/cpu1/online ]; then
		UNDER_LOAD_CPUS_OFF=1
	else
		UNDER_LOAD_PARAMS=mm_calls=0
		UNDER_LOAD_WHY="QEMU TCG crashes now and then while syscall kprobes are patched under load, and cpu1 cannot go offline here"
	fi
	;;
esac

# under_load_begin: before loading or unloading under load.  Under TCG,
# every CPU but cpu0 offline; says how many CPUs stay.
under_load_begin()
{
	UNDER_LOAD_OFFLINE=
	[ -n "$UNDER_LOAD_CPUS_OFF" ] || return 0
	for _c in /sys/devices/system/cpu/cpu[1-9]*; do
		[ "$(cat "$_c/online" 2>/dev/null)" = 1 ] || continue
		if echo 0 >"$_c/online"; then
			UNDER_LOAD_OFFLINE="$UNDER_LOAD_OFFLINE $_c"
		fi
	done
	diag "QEMU TCG: cpus offline for this phase:${UNDER_LOAD_OFFLINE:- none} (patching code that another vCPU runs can crash TCG)"
}

# under_load_end: the CPUs under_load_begin took offline back online.
under_load_end()
{
	_rc=0
	for _c in $UNDER_LOAD_OFFLINE; do
		echo 1 >"$_c/online" || _rc=1
	done
	UNDER_LOAD_OFFLINE=
	return $_rc
}

GUEST_DIR=${GUEST_DIR:-$MMSTALL_ROOT/guest}
PATH=$MMSTALL_ROOT/bin:$PATH
export PATH

TMPD=${TMPDIR:-/tmp}/mmstall-test.$$
mkdir -p "$TMPD" "$MMSTALL_RESULTS"

_tap_n=0
_tap_fail=0
_tap_skip=0
_tap_plan=
_tap_todo=0

echo "TAP version 13"

plan()
{
	_tap_plan=$1
	echo "1..$1"
}

diag()
{
	printf '%s\n' "$*" | sed 's/^/# /'
}

# diag_file FILE [MAXLINES]: show (the start of) a file as diagnostics.
diag_file()
{
	[ -s "$1" ] || return 0
	head -n "${2:-20}" "$1" | sed 's/^/#   /'
}

ok()
{
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $*"
}

not_ok()
{
	_tap_n=$((_tap_n + 1))
	_tap_fail=$((_tap_fail + 1))
	echo "not ok $_tap_n - $*"
}

check()
{
	_st=$1
	shift
	if [ "$_st" -eq 0 ]; then
		ok "$@"
	else
		not_ok "$@"
	fi
	return "$_st"
}

skip()
{
	_tap_n=$((_tap_n + 1))
	_tap_skip=$((_tap_skip + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

todo_fail()
{
	_tap_n=$((_tap_n + 1))
	_tap_todo=$((_tap_todo + 1))
	echo "not ok $_tap_n - $1 # TODO $2"
}

# run_ok NAME CMD...: CMD's stdout+stderr go to $TMPD/out.
run_ok()
{
	_name=$1
	shift
	"$@" >"$TMPD/out" 2>&1
	_st=$?
	if [ "$_st" -eq 0 ]; then
		ok "$_name"
	else
		not_ok "$_name"
		diag "'$*' exited $_st:"
		diag_file "$TMPD/out"
	fi
	return "$_st"
}

run_fails()
{
	_name=$1
	shift
	"$@" >"$TMPD/out" 2>&1
	_st=$?
	if [ "$_st" -ne 0 ]; then
		ok "$_name"
		return 0
	fi
	not_ok "$_name"
	diag "'$*' succeeded but should have failed:"
	diag_file "$TMPD/out"
	return 1
}

tap_done()
{
	[ -n "$_tap_plan" ] || echo "1..$_tap_n"
	if [ -n "$_tap_plan" ] && [ "$_tap_plan" -ne "$_tap_n" ]; then
		diag "planned $_tap_plan tests but ran $_tap_n"
		_tap_fail=$((_tap_fail + 1))
	fi
	diag "$(basename "$0"): pass=$((_tap_n - _tap_fail - _tap_skip - _tap_todo)) fail=$_tap_fail skip=$_tap_skip todo=$_tap_todo"
	rm -rf "$TMPD"
	[ "$_tap_fail" -eq 0 ]
	exit $?
}

# --- the module -------------------------------------------------------

mod_loaded()
{
	grep -q '^mmstall ' /proc/modules
}

# mod_load [PARAM=VALUE...]: insmod; its output goes to $TMPD/insmod.
mod_load()
{
	insmod "$MMSTALL_KO" "$@" >"$TMPD/insmod" 2>&1
}

mod_unload()
{
	rmmod mmstall >"$TMPD/rmmod" 2>&1
}

mod_ensure_unloaded()
{
	mod_loaded || return 0
	rmmod mmstall 2>/dev/null && return 0
	sleep 1
	rmmod mmstall
}

# dmesg_mark / dmesg_since: the kernel log written after the mark.
dmesg_mark()
{
	_dmesg_lines=$(dmesg | wc -l)
}

dmesg_since()
{
	dmesg | tail -n +$((_dmesg_lines + 1))
}

# Kernel log lines that mean the kernel is unwell.
dmesg_bad_re='BUG:|kernel BUG at|WARNING:|Oops|KASAN|UBSAN|suspected memory leak|possible circular locking|possible recursive locking|inconsistent lock state|general protection fault|Call Trace:'

# check_kernel_log: the whole kernel log to $MMSTALL_RESULTS/dmesg-guest.txt,
# and one result: free of the lines above.
check_kernel_log()
{
	dmesg >"$MMSTALL_RESULTS/dmesg-guest.txt"
	grep -E "$dmesg_bad_re" "$MMSTALL_RESULTS/dmesg-guest.txt" >"$TMPD/bad"
	if [ -s "$TMPD/bad" ]; then
		not_ok "kernel log free of warnings, BUGs and lockdep reports"
		diag_file "$TMPD/bad" 40
	else
		ok "kernel log free of warnings, BUGs and lockdep reports"
	fi
}

# --- kernel symbols ---------------------------------------------------

# kallsyms_rwsem: the rwsem slowpath functions this kernel has, one
# "TYPE NAME" a line (names may carry a .constprop/.isra suffix).  One
# grep of /proc/kallsyms per test file (awk with a dynamic regex takes
# minutes under TCG).
kallsyms_rwsem()
{
	if [ ! -f "$TMPD/kallsyms-rwsem" ]; then
		grep -E '[[:space:]]rwsem_down_(read|write)_(slowpath|failed|failed_killable)([.[:space:]]|$)' \
			/proc/kallsyms | awk '{ print $2, $3 }' >"$TMPD/kallsyms-rwsem"
	fi
	cat "$TMPD/kallsyms-rwsem"
}

# kallsyms_has_slowpath read|write: does the kernel have a slowpath for it?
kallsyms_has_slowpath()
{
	kallsyms_rwsem | grep -q "^. rwsem_down_$1_"
}

# --- JSON -------------------------------------------------------------

# jflat: flatten the JSON document on stdin to one "path=value" line per
# scalar ("probes[0].class=rwsem_read", "tasks[3].stalls[0].count=12") and
# "path#=N" for every array of N elements.  String values are printed
# without their quotes, escapes left as they are.  Exits 1 on malformed
# input.  Linear time (records split at quotes), for busybox awk, but
# slow under TCG on large documents: "jflat KEY" stops at the top-level
# key KEY (e.g. "tasks"), flattening only what comes before it.
jflat()
{
	awk -v stopkey="${1:-}" '
	function err(msg) {
		printf "jflat: %s (near \"%s\")\n", msg, substr(tok, 1, 40) > "/dev/stderr"
		bad = 1
		exit 1
	}
	function vpath() {
		if (depth == 0)
			return ""
		if (type[depth] == "a")
			return pfx[depth] "[" idx[depth] "]"
		return (pfx[depth] == "" ? "" : pfx[depth] ".") key[depth]
	}
	function value_done() {
		if (depth == 0)
			done = 1
		want = "sep"
	}
	function scalar(v) {
		if (want != "value")
			err("unexpected value")
		empty[depth] = 0
		print vpath() "=" v
		value_done()
	}
	function punct(c,   p) {
		if (c == "{" || c == "[") {
			if (want != "value")
				err("unexpected " c)
			p = vpath()
			empty[depth] = 0
			depth++
			pfx[depth] = p
			if (c == "{") {
				type[depth] = "o"
				want = "key"
			} else {
				type[depth] = "a"
				idx[depth] = 0
				want = "value"
			}
			empty[depth] = 1
		} else if (c == "}" || c == "]") {
			if (depth == 0 || type[depth] != (c == "}" ? "o" : "a"))
				err("unbalanced " c)
			if (want != "sep" && !empty[depth])
				err("unexpected " c)
			if (type[depth] == "a")
				print pfx[depth] "#=" (empty[depth] ? 0 : idx[depth] + 1)
			depth--
			value_done()
		} else if (c == ",") {
			if (want != "sep" || depth == 0)
				err("unexpected ,")
			if (type[depth] == "a") {
				idx[depth]++
				want = "value"
			} else {
				want = "key"
			}
		} else if (c == ":") {
			if (want != "colon")
				err("unexpected :")
			want = "value"
		} else {
			err("bad character " c)
		}
	}
	# Text between strings: punctuation, numbers, true/false/null.
	function outside(s,   lit) {
		gsub(/[ \t\r\n]+/, " ", s)
		while (s != "") {
			if (match(s, /^[-+.0-9a-zA-Z]+/)) {
				lit = substr(s, 1, RLENGTH)
				s = substr(s, RLENGTH + 1)
				if (lit !~ /^(-?[0-9]+([.][0-9]+)?([eE][-+]?[0-9]+)?|true|false|null)$/)
					err("bad literal " lit)
				scalar(lit)
				continue
			}
			c = substr(s, 1, 1)
			s = substr(s, 2)
			if (c == " ")
				continue
			if (done)
				err("trailing " c)
			punct(c)
		}
	}
	BEGIN { RS = "\""; want = "value"; depth = 0; instr = 0 }
	{
		tok = $0
		if (!instr) {
			# Records alternate: outside text, then a string.
			outside(tok)
			instr = 1
			str = ""
			next
		}
		# Inside a string: a quote preceded by an odd number of
		# backslashes is part of it.
		str = str tok
		if (match(tok, /\\+$/) && RLENGTH % 2 == 1) {
			str = str "\""
			next
		}
		instr = 0
		if (want == "key") {
			if (depth == 1 && stopkey != "" && str == stopkey) {
				stopped = 1
				exit 0
			}
			key[depth] = str
			empty[depth] = 0
			want = "colon"
		} else {
			scalar(str)
		}
	}
	END {
		if (bad)
			exit 1
		if (stopped)
			exit 0
		if (!done || depth != 0)
			err("truncated document")
	}
	'
}

# jget FLATFILE PATH: the value at PATH (exact), empty if absent.
jget()
{
	awk -v p="$2" 'index($0, p "=") == 1 { print substr($0, length(p) + 2); exit }' "$1"
}

# probe_lines FLATFILE: "class target kind state hits missed error" per probe.
probe_lines()
{
	awk '
	match($0, /^probes\[[0-9]+\]\./) {
		i = substr($0, 8, RLENGTH - 9)
		rest = substr($0, RLENGTH + 1)
		eq = index(rest, "=")
		v[i, substr(rest, 1, eq - 1)] = substr(rest, eq + 1)
		if (!(i in seen)) { seen[i] = 1; order[n++] = i }
	}
	END {
		for (k = 0; k < n; k++) {
			i = order[k]
			print v[i, "class"], v[i, "target"], v[i, "kind"], v[i, "state"], v[i, "hits"], v[i, "missed"], v[i, "error"]
		}
	}' "$1"
}

# rwsem_waits_ended [STATUS]: rwsem waits that ended so far, from debugfs
# status: contention_end's hits where it is attached, else the hits of the
# slowpath kretprobes (a wait still under way is counted there already).
rwsem_waits_ended()
{
	awk '$1 == "rwsem_wait_end" && $4 == "attached" { tp = 1; e += $5 }
	($1 == "rwsem_read" || $1 == "rwsem_write") && $3 == "kretprobe" { k += $5 }
	END { print (tp ? e : k) + 0 }' "${1:-$DBGDIR/status}"
}

# report_flat FILE: mmstall report --json > FILE.json, flattened to FILE.
report_flat()
{
	"$MMSTALL" report --json >"$1.json" 2>"$1.err" || return 1
	jflat <"$1.json" >"$1" 2>>"$1.err"
}

# task_count_tgid FLATFILE TGID: tasks of that process in the report.
task_count_tgid()
{
	awk -v t="$2" '/^tasks\[[0-9]+\]\.tgid=/ { split($0, a, "="); if (a[2] == t) n++ } END { print n + 0 }' "$1"
}

# stall_total FLATFILE: sum of all stall counts in the report.
stall_total()
{
	awk '/^tasks\[[0-9]+\]\.stalls\[[0-9]+\]\.count=/ { split($0, a, "="); n += a[2] } END { printf "%.0f\n", n }' "$1"
}

# --- workloads --------------------------------------------------------

# kv FILE KEY: the value of KEY=VALUE in FILE (the mmchurn summary).
kv()
{
	tr ' ' '\n' <"$1" | sed -n "s/^$2=//p" | head -n 1
}

# run_timeout SECONDS CMD...: busybox timeout, old or new syntax.
run_timeout()
{
	_t=$1
	shift
	if timeout "$_t" true 2>/dev/null; then
		timeout "$_t" "$@"
	elif timeout -t "$_t" true 2>/dev/null; then
		timeout -t "$_t" "$@"
	else
		"$@"
	fi
}
