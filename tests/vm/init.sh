#!/bin/sh
# tests/vm/init.sh: PID 1 of the mmstall test guest (busybox sh, /init).
#
# Mounts the pseudo filesystems, reads mmstall_mode= (check|demo) and
# mmstall_timeout= from /proc/cmdline, runs /mmstall/guest/run.sh with its
# stdout+stderr on the console and in /results/tap.txt (on timeout its
# processes are killed and /results/timeout written), then sends /results
# as a base64 .tar.gz between marker lines on the second serial port
# (/dev/ttyS1), prints MMSTALL-GUEST-DONE on the console and powers off.
# busybox ash has pipefail; the payload's env file exists only in the guest.
# shellcheck disable=SC3040,SC1091,SC2013
export PATH=/mmstall/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null ||
	echo "# init: cgroup2 not mounted"
hostname mmstall-guest

# Environment for the guest tests.
MMSTALL_MODE=check
MMSTALL_TIMEOUT=0
for w in $(cat /proc/cmdline); do
	case $w in
	mmstall_mode=*) MMSTALL_MODE=${w#*=} ;;
	mmstall_timeout=*) MMSTALL_TIMEOUT=${w#*=} ;;
	esac
done
set -a
. /mmstall/env
set +a
export MMSTALL_MODE MMSTALL_TIMEOUT MMSTALL_ROOT=/mmstall MMSTALL_RESULTS=/results

# Distro kernel modules requested at build time (build-initramfs.sh -m).
while read -r ko; do
	insmod "$ko" || echo "# init: insmod $ko failed"
done </mmstall/kmods.order

uptime_s() { cut -d' ' -f1 /proc/uptime; }
echo "MMSTALL-GUEST-START kernel=$MMSTALL_KERNEL release=$(uname -r)" \
	"mode=$MMSTALL_MODE uptime=$(uptime_s)"
mkdir -p /results
cd /
set -o pipefail
if [ -f /mmstall/guest/run.sh ]; then
	# Watchdog: on timeout kill every process but init, so that results
	# gathered so far still reach the host.
	watchdog=
	if [ "$MMSTALL_TIMEOUT" -gt 0 ]; then
		(sleep "$MMSTALL_TIMEOUT" && {
			echo "# init: guest timeout after ${MMSTALL_TIMEOUT}s"
			echo "$MMSTALL_TIMEOUT" >/results/timeout
			kill -KILL -1
		}) &
		watchdog=$!
	fi
	sh /mmstall/guest/run.sh 2>&1 | tee /results/tap.txt
	rc=$?
	[ -z "$watchdog" ] || kill "$watchdog" 2>/dev/null
else
	printf '%s\n' "TAP version 13" "1..1" \
		"ok 1 guest tests # SKIP /mmstall/guest/run.sh not present" |
		tee /results/tap.txt
	rc=0
fi
set +o pipefail
echo "$rc" >/results/run.rc
dmesg >/results/dmesg.txt

# Results to the host: tar.gz | base64 on ttyS1, framed, with a checksum,
# bounded in time so that a stuck serial port still lets the guest finish.
tar -C /results -czf /tmp/results.tgz .
stty -F /dev/ttyS1 raw -echo 2>/dev/null
{
	echo "MMSTALL-RESULTS-BEGIN"
	base64 /tmp/results.tgz
	echo "MMSTALL-RESULTS-END $(md5sum </tmp/results.tgz | cut -d' ' -f1)"
} >/tmp/results.b64
timeout -s KILL 120 cat /tmp/results.b64 >/dev/ttyS1 ||
	echo "# init: sending results on ttyS1 failed or timed out"
# cat returns once the bytes are in the tty buffer, not on the wire: wait
# (at most 120 s) until the UART has sent them all, or poweroff cuts the
# tail (seen on PREEMPT_RT, whose threaded interrupts drain slowly).
want=$(wc -c </tmp/results.b64)
i=0
while [ "$i" -lt 120 ]; do
	tx=$(sed -n 's/^1:.* tx:\([0-9]*\).*/\1/p' /proc/tty/driver/serial 2>/dev/null)
	[ -n "$tx" ] && [ "$tx" -ge "$want" ] && break
	[ -z "$tx" ] && { sleep 2; break; }
	sleep 1
	i=$((i + 1))
done
[ "$i" -lt 120 ] || echo "# init: ttyS1 still sending after 120 s (tx=$tx of $want)"
echo "MMSTALL-GUEST-DONE rc=$rc uptime=$(uptime_s)"
poweroff -f
echo o >/proc/sysrq-trigger
