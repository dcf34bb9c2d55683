#!/usr/bin/env bash
# tests/repro/matrix.sh: issue 14's 8 runs of cycles.sh (6.1-cloud and
# 6.12-cloud x thread=single and multi-threaded TCG x empty_probe and
# mmstall), one guest at a time, within a wall-clock budget.
#
# Usage: tests/repro/matrix.sh CYCLES BUDGET_MINUTES
# Each run gets an equal share of what is left of the budget (a run that
# finishes early leaves its time to the later ones) and stops at it;
# cycles.sh says how many cycles it reached.  Results: $REPRO_OUT
# (/tmp/repro)/summary.tsv and one directory per run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 2 ] || { sed -n '6,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
cycles=$1
end=$(($(date +%s) + $2 * 60))
# Alternate the accel modes, so that a budget cut short hurts both alike.
runs=(
	"6.1-cloud multi empty" "6.1-cloud single empty"
	"6.12-cloud multi empty" "6.12-cloud single empty"
	"6.1-cloud multi mmstall" "6.1-cloud single mmstall"
	"6.12-cloud multi mmstall" "6.12-cloud single mmstall"
)
left=${#runs[@]}
for r in "${runs[@]}"; do
	share=$(((end - $(date +%s)) / left))
	left=$((left - 1))
	# shellcheck disable=SC2086 # KERNEL ACCEL MODULE, split on purpose
	REPRO_DEADLINE=$(($(date +%s) + share)) "$here/cycles.sh" $r "$cycles" ||
		echo "# cycles.sh $r failed ($?)"
done
