// SPDX-License-Identifier: GPL-2.0
/*
 * slabread: the monitor of seed 002.  Calls itself `ss` (the tool whose
 * /proc/slabinfo reads stalled a latency-sensitive writer) and reads
 * /proc/slabinfo N times: open, read(2) to EOF with a small buffer, close.
 * Each of those is one read as mmstall counts them (one walk of the file
 * from its beginning), however many read(2) calls it takes.
 *
 * Usage: slabread [-n READS] [-i INTERVAL_US] [-b BUFSIZE] [-c COMM]
 * Prints a summary and a key=value line: pid, comm, reads, errors,
 * syscalls (read(2) calls), bytes, max_read_ns, total_ns.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>
#include "timing.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: slabread [-n READS] [-i INTERVAL_US] [-b BUFSIZE] [-c COMM]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long n = 100, interval_us = 0, bufsize = 4096;
	long reads = 0, errors = 0, syscalls = 0, bytes = 0;
	long long max_ns = 0, total_ns = 0, t0, dt;
	const char *comm = "ss";
	char *buf;
	ssize_t got;
	int opt, fd;
	long i;

	while ((opt = getopt(argc, argv, "n:i:b:c:")) != -1) {
		switch (opt) {
		case 'n':
			n = atol(optarg);
			break;
		case 'i':
			interval_us = atol(optarg);
			break;
		case 'b':
			bufsize = atol(optarg);
			break;
		case 'c':
			comm = optarg;
			break;
		default:
			usage();
		}
	}
	if (n < 0 || bufsize < 1)
		usage();
	buf = malloc(bufsize);
	if (!buf)
		return 1;
	prctl(PR_SET_NAME, comm, 0, 0, 0);

	for (i = 0; i < n; i++) {
		t0 = now_ns();
		fd = open("/proc/slabinfo", O_RDONLY);
		if (fd < 0) {
			errors++;
			continue;
		}
		do {
			got = read(fd, buf, bufsize);
			syscalls++;
			if (got > 0)
				bytes += got;
		} while (got > 0);
		if (got < 0)
			errors++;
		close(fd);
		reads++;
		dt = now_ns() - t0;
		total_ns += dt;
		if (dt > max_ns)
			max_ns = dt;
		if (interval_us)
			usleep(interval_us);
	}

	printf("slabread: %s read /proc/slabinfo %ld times (%ld read calls, %ld bytes), %ld errors\n",
	       comm, reads, syscalls, bytes, errors);
	printf("slabread: pid=%d comm=%s reads=%ld errors=%ld syscalls=%ld bytes=%ld max_read_ns=%lld total_ns=%lld\n",
	       (int)getpid(), comm, reads, errors, syscalls, bytes, max_ns,
	       total_ns);
	return errors ? 1 : 0;
}
