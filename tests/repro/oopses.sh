#!/usr/bin/env bash
# tests/repro/oopses.sh: the signature of each crash of a cycles.sh run:
# the report's first line, the task, RIP and the top of the call trace,
# read from the kept console logs (cycles.sh's crashes.txt keeps only the
# first 15 lines of each report, before the call trace).
#
# Usage: tests/repro/oopses.sh RUNDIR...   (e.g. /tmp/repro/6.1-cloud-multi-empty)
set -euo pipefail
[ $# -ge 1 ] || { sed -n '7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
re='Oops|BUG:|kernel BUG at|WARNING:|int3|Kernel panic|general protection fault|rcu: INFO|detected stall|blocked for more than'
for d in "$@"; do
	for con in "$d"/boot*/console.log; do
		grep -Eq "$re" "$con" || continue
		echo "== $con"
		# From the first report on: its header lines and 6 frames.
		grep -E -m 1 -A 80 "$re" "$con" | sed 's/^\[ *[0-9.]*\] //' |
			awk '/^(BUG|Oops|WARNING|Kernel panic|general protection|rcu: INFO|INFO: task)/ && h < 4 { print; h++; next }
			/^CPU: / && !c++ { print; next }
			/^RIP: 0010/ && !r++ { print; next }
			/^Call Trace:/ { t = 1; next }
			t && /^ [^ ]/ && f < 6 { print "  " $0; f++ }'
	done
done
