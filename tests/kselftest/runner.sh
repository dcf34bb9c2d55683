#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tests/kselftest/runner.sh TEST...: runs kselftest programs outside a
# kernel tree, with the TAP of the kernel's kselftest/runner.sh: a test's
# own output as "# " lines, then "ok N selftests: mmstall: TEST"; exit 4
# is a SKIP, a test still running after the timeout in `settings` (45 s
# without one) is "not ok N ... # TIMEOUT". Tests run from the directory
# of this script. Exit status 1 if any test failed.
cd "$(dirname "$0")" || exit 1
limit=45
if [ -f settings ]; then
	t=$(sed -n 's/^timeout=\([0-9][0-9]*\)$/\1/p' settings)
	limit=${t:-$limit}
fi
rcf=$(mktemp) || exit 1
trap 'rm -f "$rcf"' EXIT

echo "TAP version 13"
echo "1..$#"
n=0
fail=0
for t in "$@"; do
	n=$((n + 1))
	hdr="selftests: mmstall: $t"
	echo "# $hdr"
	if [ ! -x "$t" ]; then
		echo "# Warning: file $t is missing or not executable"
		echo "not ok $n $hdr"
		fail=$((fail + 1))
		continue
	fi
	{ timeout "$limit" "./$t" 2>&1; echo $? >"$rcf"; } | sed 's/^/# /'
	rc=$(cat "$rcf")
	case $rc in
	0)	echo "ok $n $hdr" ;;
	4)	echo "ok $n $hdr # SKIP" ;;
	124)	echo "not ok $n $hdr # TIMEOUT $limit seconds"
		fail=$((fail + 1)) ;;
	*)	echo "not ok $n $hdr # exit=$rc"
		fail=$((fail + 1)) ;;
	esac
done
[ "$fail" -eq 0 ]
