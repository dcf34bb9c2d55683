#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 99-lockdown: the reader on a locked-down kernel (Secure Boot servers).
# The very last test file: lockdown cannot be lifted, and a locked-down
# kernel loads no unsigned module, so mmstall is loaded first, then
# `echo integrity > /sys/kernel/security/lockdown`.  debugfs then refuses
# every write (control); every reader command must still work, reset and
# report -d through /sys/module/mmstall/parameters/control, and none may
# say "run as root".
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

SECFS=/sys/kernel/security
LOCKDOWN=$SECFS/lockdown
PARAM=/sys/module/mmstall/parameters/control

# Lockdown lasts until the next boot: only in the harness's guests (the
# harness says MMSTALL_ACCEL), or where MMSTALL_LOCKDOWN_TEST=1 asks for it.
if [ -z "${MMSTALL_ACCEL:-}" ] && [ "${MMSTALL_LOCKDOWN_TEST:-0}" != 1 ]; then
	skip "reader commands under lockdown" \
		"it would lock this machine down until it reboots; MMSTALL_LOCKDOWN_TEST=1 runs it"
	tap_done
fi
[ -e "$LOCKDOWN" ] || mount -t securityfs none "$SECFS" 2>/dev/null
if [ ! -w "$LOCKDOWN" ]; then
	skip "reader commands under lockdown" \
		"no $LOCKDOWN (kernel without the lockdown LSM)"
	tap_done
fi
diag "lockdown before: $(cat "$LOCKDOWN")"
mod_ensure_unloaded
if ! mod_load; then
	not_ok "insmod mmstall.ko (before lockdown)"
	diag_file "$TMPD/insmod"
	tap_done
fi
ok "insmod mmstall.ko (before lockdown)"
echo integrity >"$LOCKDOWN" 2>"$TMPD/err"
check $? "echo integrity > $LOCKDOWN" || diag_file "$TMPD/err"
grep -q '\[integrity\]' "$LOCKDOWN"
check $? "the kernel is locked down: $(cat "$LOCKDOWN")"

# debugfs really refuses the write now: the test is not vacuous.
if (echo reset >"$DBGDIR/control") 2>"$TMPD/err"; then
	not_ok "debugfs control refuses writes under lockdown"
else
	ok "debugfs control refuses writes under lockdown ($(cat "$TMPD/err"))"
fi

# lockdown_cmd NAME CMD...: CMD exits 0 and never says "run as root".
lockdown_cmd()
{
	_name=$1
	shift
	"$@" >"$TMPD/out" 2>"$TMPD/err"
	_st=$?
	if [ $_st -eq 0 ] && ! grep -q "run as root" "$TMPD/out" "$TMPD/err"; then
		ok "under lockdown: $_name"
	else
		not_ok "under lockdown: $_name (exit $_st)"
		diag_file "$TMPD/err"
	fi
}

"$MMCHURN" -t 2 -d 30 >/dev/null 2>&1 &
churn=$!
lockdown_cmd "mmstall status" "$MMSTALL" status
lockdown_cmd "mmstall report" "$MMSTALL" report
lockdown_cmd "mmstall report --json" "$MMSTALL" report --json
lockdown_cmd "mmstall reset" "$MMSTALL" reset
grep -q "debugfs is locked down (integrity): using $PARAM" "$TMPD/err"
check $? "reset says it uses $PARAM" || diag_file "$TMPD/err"
lockdown_cmd "mmstall report -d 2" "$MMSTALL" report -d 2
cp "$TMPD/out" "$MMSTALL_RESULTS/lockdown-report-d.txt"
grep -q "^SUMMARY" "$TMPD/out"
check $? "report -d under lockdown opens with a SUMMARY" ||
	diag_file "$TMPD/out" 20
lockdown_cmd "mmstall events -t 1 -n 1" \
	run_timeout 60 "$MMSTALL" events -t 1 -n 1
lockdown_cmd "mmstall top -b 1 1" run_timeout 30 "$MMSTALL" top -b 1 1
lockdown_cmd "mmstall export --prometheus" "$MMSTALL" export --prometheus
kill "$churn" 2>/dev/null
wait "$churn" 2>/dev/null

# The parameter takes exactly the commands of control.
if (echo bogus >"$PARAM") 2>"$TMPD/err"; then
	not_ok "$PARAM refuses 'bogus'"
else
	grep -q 'Invalid argument' "$TMPD/err"
	check $? "$PARAM refuses 'bogus' with EINVAL" || diag_file "$TMPD/err"
fi
"$MMSTALL" report --json >"$TMPD/before.json" 2>/dev/null
echo reset >"$PARAM"
check $? "echo reset > $PARAM"
"$MMSTALL" report --json >"$TMPD/after.json" 2>/dev/null
jflat <"$TMPD/after.json" >"$TMPD/after.flat"
_w=$(jget "$TMPD/after.flat" window.seconds)
awk -v w="${_w:-99}" 'BEGIN { exit !(w < 2) }'
check $? "the reset through $PARAM started a new window (${_w} s)"

mod_unload
check $? "rmmod under lockdown" || diag_file "$TMPD/rmmod"
tap_done
