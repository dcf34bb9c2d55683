// SPDX-License-Identifier: GPL-2.0
/*
 * kpalt: the cost of the kprobes and kretprobes of whoever has them (an
 * empty probe, mmstall, bpftrace), from batches of system calls that hit
 * them, alternating with the same batches while every kprobe of the
 * system is disarmed (debugfs kprobes/enabled).  What a busy host adds
 * under emulation slows both kinds of batch alike.  The bench's tool for
 * the kprobe classes, as empty_probe.ko's fire file is for tracepoints.
 *
 * Usage: kpalt -w mmap|pipe [-n BATCHES] [-b OPS] [-u WARMUP] [-f FILE]
 *   mmap: OPS times mmap 64 KiB, write a byte, munmap (two syscall hits)
 *   pipe: OPS pipes made, then all closed (slab refills)
 * Each batch follows WARMUP untimed operations (default 3): arming and
 * disarming patch kernel text, which an emulator then translates again.
 * Prints: batches=K batch=OPS warmup=W ns=T base_ns=T0 med_diff_ns=D: sums of
 * the armed and of the disarmed batches, and the median over the pairs
 * (an armed batch and the disarmed one after it) of their difference,
 * which leaves out the pairs something else disturbed.  Leaves the
 * kprobes armed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "../workloads/timing.h"

#define MAP_LEN 65536

static int arm(int fd, int on)
{
	return pwrite(fd, on ? "1\n" : "0\n", 2, 0) == 2 ? 0 : -1;
}

static int batch_mmap(int ops)
{
	char *p;
	int i;

	for (i = 0; i < ops; i++) {
		p = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -1;
		p[0] = 1;
		if (munmap(p, MAP_LEN))
			return -1;
	}
	return 0;
}

static int batch_pipe(int ops, int *fds)
{
	int i, err = 0;

	for (i = 0; i < ops; i++)
		if (pipe(&fds[2 * i])) {
			err = -1;
			break;
		}
	while (i--) {
		close(fds[2 * i]);
		close(fds[2 * i + 1]);
	}
	return err;
}

static int run_batch(const char *work, int ops, int *fds)
{
	if (!ops)
		return 0;
	return work[0] == 'm' ? batch_mmap(ops) : batch_pipe(ops, fds);
}

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: kpalt -w mmap|pipe [-n BATCHES] [-b OPS] [-u WARMUP] [-f ENABLED_FILE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *work = NULL, *file = "/sys/kernel/debug/kprobes/enabled";
	long long t0, dt, ns[2] = { 0, 0 }, *diff;
	int batches = 100, ops = 100, warmup = 3, opt, fd, k, on, err;
	struct rlimit rl;
	int *fds;

	while ((opt = getopt(argc, argv, "w:n:b:u:f:")) != -1) {
		switch (opt) {
		case 'w':
			work = optarg;
			break;
		case 'n':
			batches = atoi(optarg);
			break;
		case 'b':
			ops = atoi(optarg);
			break;
		case 'u':
			warmup = atoi(optarg);
			break;
		case 'f':
			file = optarg;
			break;
		default:
			bad_usage();
		}
	}
	if (!work || (strcmp(work, "mmap") && strcmp(work, "pipe")) ||
	    batches < 1 || ops < 1 || ops > 100000 || warmup < 0 ||
	    warmup > ops)
		bad_usage();
	fds = calloc(2 * ops, sizeof(*fds));
	diff = calloc(batches, sizeof(*diff));
	rl.rlim_cur = rl.rlim_max = 2 * ops + 64;
	if (!fds || !diff ||
	    (!strcmp(work, "pipe") && setrlimit(RLIMIT_NOFILE, &rl))) {
		perror("kpalt: descriptors");
		return 1;
	}
	fd = open(file, O_WRONLY);
	if (fd < 0) {
		perror(file);
		return 1;
	}
	for (k = 0; k < 2 * batches; k++) {
		/* armed first, then disarmed first, in turn */
		on = (k & 1) == ((k / 2) & 1);
		if (arm(fd, on)) {
			perror("kpalt: kprobes/enabled");
			return 1;
		}
		/* untimed: what arming or disarming left to settle */
		err = run_batch(work, warmup, fds);
		t0 = now_ns();
		if (!err)
			err = run_batch(work, ops, fds);
		dt = now_ns() - t0;
		if (err) {
			perror("kpalt: workload");
			arm(fd, 1);
			return 1;
		}
		ns[on] += dt;
		diff[k / 2] += on ? dt : -dt;
	}
	arm(fd, 1);
	qsort(diff, batches, sizeof(*diff), cmp_ll);
	printf("kpalt: batches=%d batch=%d warmup=%d ns=%lld base_ns=%lld med_diff_ns=%lld\n",
	       batches, ops, warmup, ns[1], ns[0], diff[batches / 2]);
	return 0;
}
