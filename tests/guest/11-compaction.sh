#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 11-compaction: direct compaction at the module's defaults.  fragment
# fills most of the free memory with anonymous pages, frees every other
# page, then faults transparent huge pages and sends 32 KiB datagrams
# (order-3 buffers): the kernel must compact in the task's own
# allocations (huge pages in madvise mode for the run, put back after).
# The JSON goes to /results for check_reclaim.py, which
# holds the count of compaction stalls against the kernel's compact_stall
# counter over the same window.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

R=$MMSTALL_RESULTS
THP=/sys/kernel/mm/transparent_hugepage
# MiB left to everything else once fragment has filled memory
FRAGMENT_SPARE_MB=${FRAGMENT_SPARE_MB:-32}

{
	echo "kernel=$MMSTALL_KERNEL"
	echo "release=$(uname -r)"
	grep -E ' (__alloc_pages_direct_compact|try_to_compact_pages)$' \
		/proc/kallsyms | awk '{ print "kallsyms=" $3 }'
	grep -q '^compact_stall ' /proc/vmstat && echo "compact_stall=1" ||
		echo "compact_stall=0"
	echo "thp=$(cat $THP/enabled 2>/dev/null)"
	echo "defrag=$(cat $THP/defrag 2>/dev/null)"
} >"$R/compaction-env.txt"
diag_file "$R/compaction-env.txt"

# thp_mode FILE: the bracketed mode of a THP setting.
thp_mode() { sed -n 's/.*\[\(.*\)\].*/\1/p' "$THP/$1"; }

# Huge pages for MADV_HUGEPAGE regions, compacting for them (the kernel's
# default defrag mode); without THP the datagrams alone ask for order 3.
thp_was=
if [ -w "$THP/enabled" ] && [ -w "$THP/defrag" ]; then
	thp_was="$(thp_mode enabled) $(thp_mode defrag)"
	echo madvise >"$THP/enabled" && echo madvise >"$THP/defrag"
	check $? "transparent huge pages: madvise (was: $thp_was)"
fi

mod_ensure_unloaded
if ! mod_load; then
	not_ok "insmod mmstall.ko (defaults)"
	diag_file "$TMPD/insmod"
	tap_done
fi
ok "insmod mmstall.ko (defaults)"

avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
fill=$((avail - FRAGMENT_SPARE_MB))
[ "$fill" -ge 64 ] || fill=64
vmstat_of() { grep -E '^(compact_|thp_fault)' /proc/vmstat; }
"$MMSTALL" reset >/dev/null 2>&1
vmstat_of >"$R/fragment-vmstat-before.txt"
run_timeout 120 "$MMSTALL_ROOT/bin/fragment" -m "$fill" -t $((fill / 3)) \
	>"$R/fragment.out" 2>&1
check $? "fragment -m $fill (MemAvailable $avail MiB)" ||
	diag_file "$R/fragment.out"
vmstat_of >"$R/fragment-vmstat-after.txt"
diag "fragment: $(cat "$R/fragment.out")"
diag "vmstat after (before): $(paste -d' ' "$R/fragment-vmstat-after.txt" "$R/fragment-vmstat-before.txt" | awk '{ printf "%s %d (%d), ", $1, $2, $4 }')"
"$MMSTALL" report --json >"$R/compaction.json" 2>"$TMPD/err"
check $? "report --json after fragment" || diag_file "$TMPD/err"
cat "$DBGDIR/status" >"$R/compaction-status.txt" 2>&1
grep -E '^(compaction|note timing:compaction|note return_sites)' \
	"$R/compaction-status.txt" >"$TMPD/probes"
diag_file "$TMPD/probes"

if [ -n "$thp_was" ]; then
	echo "${thp_was% *}" >"$THP/enabled"
	echo "${thp_was#* }" >"$THP/defrag"
fi
mod_unload
check $? "rmmod" || diag_file "$TMPD/rmmod"
tap_done
