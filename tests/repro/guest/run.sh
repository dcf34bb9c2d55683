#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tests/repro/guest/run.sh: the guest side of tests/repro/cycles.sh (issue
# 14), run by tests/vm/init.sh in place of tests/guest/run.sh (busybox sh).
#
# Loads and unloads one module in a loop while workloads run, with every
# vCPU online (unlike tests/guest/05 and 10, which take cpu1 offline under
# TCG: here the point is to see whether two vCPUs crash).  The host reads
# the console: "REPRO-CYCLE N ok" after each finished cycle, "REPRO-END"
# after the last one.  A crash ends the boot (panic_on_warn, oops=panic,
# panic_on_rcu_stall, hung_task_panic, panic=-1 with -no-reboot), and the
# host boots again from the next cycle.
#
# Kernel command line (from cycles.sh):
#   repro_first=N repro_last=M  the cycles to run in this boot
#   repro_mod=NAME              the module's name for rmmod (the file is
#                               /mmstall/mmstall.ko whatever it is)
#   repro_params=A=B+C=D        insmod parameters, '+'-separated
#   repro_slab=1                also run slabbench in a loop
#   repro_hold=S                seconds the module stays loaded per cycle

first=1 last=1 mod=mmstall params='' slab=0 hold=1
# shellcheck disable=SC2013 # words of one line
for w in $(cat /proc/cmdline); do
	case $w in
	repro_first=*) first=${w#*=} ;;
	repro_last=*) last=${w#*=} ;;
	repro_mod=*) mod=${w#*=} ;;
	repro_params=*) params=$(echo "${w#*=}" | tr '+' ' ') ;;
	repro_slab=*) slab=${w#*=} ;;
	repro_hold=*) hold=${w#*=} ;;
	esac
done
KO=/mmstall/mmstall.ko
BIN=/mmstall/bin
up() { cut -d' ' -f1 /proc/uptime; }

# An RCU stall or a task stuck in insmod/rmmod would otherwise leave the
# guest running until the host's watchdog: make them end the boot with a
# report on the console, as an oops does.
echo 1 >/proc/sys/kernel/panic_on_rcu_stall 2>/dev/null ||
	echo "# repro: no panic_on_rcu_stall"
echo 1 >/proc/sys/kernel/hung_task_panic 2>/dev/null || true
echo 60 >/proc/sys/kernel/hung_task_timeout_secs 2>/dev/null || true

echo "# repro: kernel $(uname -r), cpus online $(cat /sys/devices/system/cpu/online)," \
	"cycles $first..$last, module $mod ($params), slab=$slab hold=${hold}s"

# The load: threads of one process fighting over mmap_lock (rwsem
# slowpaths), and with repro_slab=1 the slab allocator's slow path too.
"$BIN/mmchurn" -t 16 -d 36000 >/tmp/churn 2>&1 &
churn=$!
slabpid=
if [ "$slab" = 1 ]; then
	(while :; do "$BIN/slabbench" -n 1000 -r 5 >/dev/null 2>&1; done) &
	slabpid=$!
fi
sleep 2

i=$first
while [ "$i" -le "$last" ]; do
	t0=$(up)
	# shellcheck disable=SC2086 # parameters, split on purpose
	if ! insmod "$KO" $params >/tmp/insmod 2>&1; then
		echo "REPRO-INSMOD-FAILED $i: $(cat /tmp/insmod)"
		dmesg | tail -n 5
	else
		sleep "$hold"
		# The probes' hit counts while loaded: evidence that the
		# workload really ran through the probed functions this cycle.
		if [ -r /sys/kernel/debug/empty_probe/hits ]; then
			echo "REPRO-HITS $i: $(awk '{ printf "%s=%s ", $2, $3 }' \
				/sys/kernel/debug/empty_probe/hits)"
		elif [ -r /sys/kernel/debug/mmstall/status ]; then
			echo "REPRO-HITS $i: $(awk 'NF == 7 && $5 ~ /^[0-9]+$/ {
				printf "%s(%s)=%s ", $2, $4, $5 }' /sys/kernel/debug/mmstall/status)"
		fi
		# rmmod can fail with EBUSY while a probe is in flight: retry.
		n=0
		until rmmod "$mod" >/tmp/rmmod 2>&1; do
			n=$((n + 1))
			if [ $n -ge 20 ]; then
				echo "REPRO-RMMOD-FAILED $i: $(cat /tmp/rmmod)"
				break
			fi
			sleep 1
		done
	fi
	kill -0 "$churn" 2>/dev/null || echo "REPRO-CHURN-DIED $i: $(cat /tmp/churn)"
	echo "REPRO-CYCLE $i ok $(awk -v a="$t0" -v b="$(up)" 'BEGIN { printf "%.1f", b - a }')s"
	i=$((i + 1))
done
kill "$churn" $slabpid 2>/dev/null
wait
echo "REPRO-END cycles $first..$last uptime $(up)"
