#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 08-reclaim: seed 003 in a guest.  A tmpfs file fills most of RAM (no
# swap), then tmpfscopy copies it with read()/write() to an ext4 file
# system on a virtio disk (the harness attaches one as /dev/vda): its page
# cache must come from a memory tmpfs holds, and the copying task stalls
# in direct reclaim.  Then the cgroup v2 variant: the copy runs in a group
# with memory.max, and memcg_reclaim must name the task and the group.
# The JSON goes to /results for tests/vm/checks/check_reclaim.py; here,
# what is easy in shell.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

R=$MMSTALL_RESULTS
DISK=${RECLAIM_DISK:-/dev/vda}
MNT=/mnt/mmstall-disk
SHM=/mnt/mmstall-shm
CG=/sys/fs/cgroup/mmstall-reclaim
# MiB of RAM left to everything else once the tmpfs file is written.
RECLAIM_SPARE_MB=${RECLAIM_SPARE_MB:-96}
MEMCG_MAX=${MEMCG_MAX:-48M}
MEMCG_FILE_MB=${MEMCG_FILE_MB:-96}

uptime_s() { cut -d' ' -f1 /proc/uptime; }
secs_since() { awk -v a="$1" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }'; }

cleanup()
{
	[ -d "$CG" ] && rmdir "$CG" 2>/dev/null
	rm -f "$SHM/big" "$SHM/small"
	umount "$SHM" 2>/dev/null
	rm -f "$MNT/big.copy" "$MNT/small.copy"
	umount "$MNT" 2>/dev/null
}

{
	echo "kernel=$MMSTALL_KERNEL"
	echo "release=$(uname -r)"
	grep -E ' (try_to_free_pages|try_to_free_mem_cgroup_pages|__alloc_pages_direct_compact|try_to_compact_pages)$' \
		/proc/kallsyms | awk '{ print "kallsyms=" $3 }'
	[ -r /proc/pressure/memory ] && echo "psi=1" || echo "psi=0"
	grep -q memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null &&
		echo "memcg=1" || echo "memcg=0"
} >"$R/reclaim-env.txt"
diag_file "$R/reclaim-env.txt"

if [ ! -b "$DISK" ]; then
	skip "tmpfs copy to a virtio disk" "no $DISK (harness without a disk)"
	skip "memcg variant" "no $DISK"
	tap_done
fi
mkdir -p "$MNT" "$SHM"
mount -t ext4 "$DISK" "$MNT" 2>"$TMPD/mount"
if ! check $? "mount $DISK (ext4) on $MNT"; then
	diag_file "$TMPD/mount"
	tap_done
fi
mount -t tmpfs -o size=95% tmpfs "$SHM"

mod_ensure_unloaded
if ! mod_load; then
	not_ok "insmod mmstall.ko"
	diag_file "$TMPD/insmod"
	cleanup
	tap_done
fi
ok "insmod mmstall.ko"

# Most of RAM into tmpfs.
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
fill=$((avail - RECLAIM_SPARE_MB))
[ "$fill" -ge 64 ] || fill=64
# Its copy must fit on the disk (sized from the guest's memory by the host).
room=$(df -k "$MNT" | awk 'NR == 2 { print int($4 / 1024) - 16 }')
if [ "${room:-0}" -lt "$fill" ]; then
	diag "fill $fill MiB cut to the disk's $room MiB free"
	fill=$room
fi
t0=$(uptime_s)
dd if=/dev/zero of="$SHM/big" bs=1M count="$fill" 2>"$TMPD/dd"
check $? "fill tmpfs with $fill MiB (MemAvailable was $avail MiB)" ||
	diag_file "$TMPD/dd"
diag "fill: $(secs_since "$t0") s"
grep -E '^(MemTotal|MemFree|MemAvailable|Cached|Shmem):' /proc/meminfo \
	>"$R/reclaim-meminfo-before.txt"

"$MMSTALL" reset >/dev/null 2>&1
t0=$(uptime_s)
"$MMSTALL_ROOT/bin/tmpfscopy" "$SHM/big" "$MNT/big.copy" >"$R/tmpfscopy.out" 2>&1
check $? "tmpfscopy $fill MiB from tmpfs to ext4" || diag_file "$R/tmpfscopy.out"
diag "copy: $(secs_since "$t0") s: $(cat "$R/tmpfscopy.out")"
pid=$(kv "$R/tmpfscopy.out" pid)

"$MMSTALL" report --json >"$R/reclaim.json" 2>"$TMPD/err"
check $? "report --json after the copy" || diag_file "$TMPD/err"
"$MMSTALL" report >"$R/reclaim.txt" 2>&1
grep -q "^CONTEXT" "$R/reclaim.txt"
check $? "text report has a CONTEXT section"
cat "$DBGDIR/status" >"$R/reclaim-status.txt" 2>&1
"$MMSTALL" hist -p "$pid" -C direct_reclaim >"$R/hist-reclaim.txt" 2>&1
st=$?
if [ $st -eq 0 ] && grep -q '|\*' "$R/hist-reclaim.txt"; then
	ok "hist -p tmpfscopy -C direct_reclaim shows a histogram"
else
	not_ok "hist -p tmpfscopy -C direct_reclaim shows a histogram"
	diag "exit $st"
	diag_file "$R/hist-reclaim.txt"
	diag_file "$R/reclaim.txt" 60
fi
rm -f "$MNT/big.copy" "$SHM/big"
sync

# cgroup v2: the copy in a group with memory.max.
if ! grep -q memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	skip "memcg variant" "no memory controller in cgroup2"
	mod_unload
	check $? "rmmod"
	cleanup
	tap_done
fi
echo +memory >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
mkdir -p "$CG"
if printf '%s\n' "$MEMCG_MAX" >"$CG/memory.max"; then
	ok "cgroup $CG with memory.max=$MEMCG_MAX"
else
	not_ok "cgroup $CG with memory.max=$MEMCG_MAX"
fi
stat -c %i "$CG" >"$R/memcg-ino.txt"
echo "${CG#/sys/fs/cgroup}" >"$R/memcg-path.txt"
dd if=/dev/zero of="$SHM/small" bs=1M count="$MEMCG_FILE_MB" 2>/dev/null
"$MMSTALL" reset >/dev/null 2>&1
t0=$(uptime_s)
sh -c "echo \$\$ >$CG/cgroup.procs && exec $MMSTALL_ROOT/bin/tmpfscopy $SHM/small $MNT/small.copy" \
	>"$R/tmpfscopy-memcg.out" 2>&1
check $? "tmpfscopy $MEMCG_FILE_MB MiB inside $CG" ||
	diag_file "$R/tmpfscopy-memcg.out"
diag "memcg copy: $(secs_since "$t0") s: $(cat "$R/tmpfscopy-memcg.out")"
cat "$CG/memory.events" >"$R/memcg-events.txt" 2>&1
"$MMSTALL" report --json >"$R/reclaim-memcg.json" 2>"$TMPD/err"
check $? "report --json after the memcg copy" || diag_file "$TMPD/err"
"$MMSTALL" report >"$R/reclaim-memcg.txt" 2>&1
grep -q "memcg_reclaim" "$R/reclaim-memcg.txt"
check $? "text report shows memcg_reclaim" ||
	diag_file "$R/reclaim-memcg.txt" 60

mod_unload
check $? "rmmod" || diag_file "$TMPD/rmmod"
cleanup
tap_done
