#!/usr/bin/env bash
# tests/bench/check.sh: cheap host checks of the bench (part of the unit
# tests, tests/unit/run.sh; the bench itself, `make bench`, is not a test):
# its scripts parse, its bpftrace scripts are there and say when they are
# ready, report.py computes known figures from known records, and
# empty_probe.ko builds against a 6.1+ kernel tree when one is installed.
# Prints TAP 13; exits 1 if anything failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

echo "TAP version 13"
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -s "$tmp/err" ] && sed 's/^/#   /' "$tmp/err" | head -n 20
	fi
	: >"$tmp/err"
}

for f in run.sh rootfs.sh check.sh; do
	bash -n "$here/$f" 2>"$tmp/err"
	result $? "bench: bash -n $f"
done
sh_n="sh"
command -v busybox >/dev/null && sh_n="busybox sh"
for f in guest/run.sh guest/lib.sh; do
	$sh_n -n "$here/$f" 2>"$tmp/err"
	result $? "bench: $sh_n -n $f"
done
for f in defaults slab; do
	grep -q 'printf("mmstall-bench: ready\\n")' "$here/bpftrace/$f.bt" 2>"$tmp/err"
	result $? "bench: bpftrace/$f.bt present, prints its ready line"
done

gcc -O2 -Wall -Werror -o "$tmp/kpalt" "$here/kpalt.c" 2>"$tmp/err"
result $? "bench: kpalt.c builds (-Wall -Werror)"

# report.py: none 1000 ns, empty 1100 ns, mmstall 1200 ns with 10 hits
# each: 10 and 20 ns per hit, ratio 2.00x, slowdowns 10% and 20%.
mkdir -p "$tmp/defaults/results"
for rep in 1 2 3; do
	for m in none:1000:- empty:1100:10 mmstall:1200:10; do
		IFS=: read -r mode ns hits <<<"$m"
		echo "run config=defaults rep=$rep mode=$mode workload=jitmap ns=$ns mm_calls=$hits rwsem=- reclaim=- slab=-"
	done
done >"$tmp/defaults/results/bench-runs.txt"
python3 "$here/report.py" --json "$tmp/r.json" "$tmp/defaults" >"$tmp/r.txt" 2>"$tmp/err" &&
	python3 - "$tmp/r.json" >>"$tmp/err" 2>&1 <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
ph, sd = j["per_hit"]["jitmap"], j["slowdown_pct"]["jitmap"]
assert ph["empty"]["median"] == 10 and ph["mmstall"]["median"] == 20, ph
assert abs(ph["ratio"] - 2.0) < 1e-9, ph
assert abs(sd["empty"]["median"] - 10) < 1e-9, sd
assert abs(sd["mmstall"]["median"] - 20) < 1e-9, sd
EOF
result $? "bench: report.py per-hit, ratio and slowdown from known records"
grep -q 'jitmap .*2.00x MISSED' "$tmp/r.txt" 2>>"$tmp/err"
result $? "bench: report.py says a missed goal"

kdir=${BENCH_CHECK_KDIR:-$(printf '%s\n' /lib/modules/6.*-cloud-amd64/build | sort -V | tail -n 1)}
if [ -n "$kdir" ] && [ -f "$kdir/Makefile" ]; then
	mkdir -p "$tmp/src/tests/bench" "$tmp/src/module"
	cp -a "$here/empty-probe" "$tmp/src/tests/bench/"
	cp -a "$here/../../module/compat" "$tmp/src/module/"
	make -C "$tmp/src/tests/bench/empty-probe" KDIR="$kdir" >"$tmp/err" 2>&1 &&
		[ -f "$tmp/src/tests/bench/empty-probe/empty_probe.ko" ]
	result $? "bench: empty_probe.ko builds against $kdir"
else
	n=$((n + 1))
	echo "ok $n - bench: empty_probe.ko builds # SKIP no 6.x cloud kernel tree installed"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
