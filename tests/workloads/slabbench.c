// SPDX-License-Identifier: GPL-2.0
/*
 * slabbench: a microbenchmark of the slab slow path, to measure what the
 * slab_refill probes cost.  Each round creates N pipes (two struct files,
 * an inode, a dentry, the pipe and its buffer array: several caches) and
 * closes them; creating them empties the per-CPU slabs again and again, so
 * the allocator's slow path (___slab_alloc, cache_alloc_refill) runs every
 * few objects.  pipe() is in every kernel config (eventfd is not in
 * tinyconfig).
 *
 * Usage: slabbench [-n PIPES] [-r ROUNDS]
 * Prints a key=value line: pid, rounds, pipes, errors, total_ns, median_ns
 * (of a round).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "timing.h"

int main(int argc, char **argv)
{
	long fds = 1000, rounds = 20, errors = 0, r, i;
	long long *round_ns, total = 0, t0;
	struct rlimit rl;
	int opt, *fd;

	while ((opt = getopt(argc, argv, "n:r:")) != -1) {
		switch (opt) {
		case 'n':
			fds = atol(optarg);
			break;
		case 'r':
			rounds = atol(optarg);
			break;
		default:
			fprintf(stderr, "usage: slabbench [-n PIPES] [-r ROUNDS]\n");
			return 2;
		}
	}
	if (fds < 1 || rounds < 1)
		return 2;
	rl.rlim_cur = rl.rlim_max = 2 * fds + 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	fd = calloc(2 * fds, sizeof(*fd));
	round_ns = calloc(rounds, sizeof(*round_ns));
	if (!fd || !round_ns)
		return 1;
	prctl(PR_SET_NAME, "slabbench", 0, 0, 0);
	for (r = 0; r < rounds; r++) {
		t0 = now_ns();
		for (i = 0; i < fds; i++) {
			if (pipe(&fd[2 * i])) {
				fd[2 * i] = fd[2 * i + 1] = -1;
				errors++;
			}
		}
		for (i = 0; i < 2 * fds; i++)
			if (fd[i] >= 0)
				close(fd[i]);
		round_ns[r] = now_ns() - t0;
		total += round_ns[r];
	}
	qsort(round_ns, rounds, sizeof(*round_ns), cmp_ll);
	printf("slabbench: pid=%d rounds=%ld pipes=%ld errors=%ld total_ns=%lld median_ns=%lld\n",
	       (int)getpid(), rounds, fds, errors, total,
	       round_ns[rounds / 2]);
	return errors ? 1 : 0;
}
