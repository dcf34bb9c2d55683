// SPDX-License-Identifier: GPL-2.0
/*
 * bhwrite: the latency-sensitive writer of seed 002.  Appends small
 * records (220 bytes) to a file with plain write(2) calls, no fsync, and
 * times each call: on a block filesystem every new page of the file gets
 * buffer_heads from the slab allocator inside write().
 *
 * Usage: bhwrite -f FILE [-n WRITES] [-s SIZE] [-i INTERVAL_US]
 * Prints a summary and a key=value line: pid, tid, comm, writes, errors,
 * bytes, max_ns, p50_ns, p99_ns, total_ns.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "timing.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: bhwrite -f FILE [-n WRITES] [-s SIZE] [-i INTERVAL_US]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long n = 20000, size = 220, interval_us = 0, errors = 0, i;
	long long *lat, total = 0, bytes = 0, t0;
	const char *path = NULL;
	char *rec;
	int opt, fd;

	while ((opt = getopt(argc, argv, "f:n:s:i:")) != -1) {
		switch (opt) {
		case 'f':
			path = optarg;
			break;
		case 'n':
			n = atol(optarg);
			break;
		case 's':
			size = atol(optarg);
			break;
		case 'i':
			interval_us = atol(optarg);
			break;
		default:
			usage();
		}
	}
	if (!path || n < 1 || size < 1)
		usage();
	lat = calloc(n, sizeof(*lat));
	rec = malloc(size);
	if (!lat || !rec)
		return 1;
	memset(rec, 'w', size);
	prctl(PR_SET_NAME, "bhwrite", 0, 0, 0);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	for (i = 0; i < n; i++) {
		t0 = now_ns();
		if (write(fd, rec, size) != size)
			errors++;
		else
			bytes += size;
		lat[i] = now_ns() - t0;
		total += lat[i];
		if (interval_us)
			usleep(interval_us);
	}
	close(fd);
	qsort(lat, n, sizeof(*lat), cmp_ll);
	printf("bhwrite: %ld writes of %ld bytes to %s, max %lld ns, p99 %lld ns, %ld errors\n",
	       n, size, path, lat[n - 1], lat[n * 99 / 100], errors);
	printf("bhwrite: pid=%d tid=%ld comm=bhwrite writes=%ld errors=%ld bytes=%lld max_ns=%lld p50_ns=%lld p99_ns=%lld total_ns=%lld\n",
	       (int)getpid(), (long)syscall(SYS_gettid), n, errors, bytes,
	       lat[n - 1], lat[n / 2], lat[n * 99 / 100], total);
	return errors ? 1 : 0;
}
