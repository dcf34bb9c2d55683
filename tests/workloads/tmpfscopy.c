// SPDX-License-Identifier: GPL-2.0
/*
 * tmpfscopy: seed 003 in one process.  Copies a file (a big tmpfs file, on
 * a machine without swap) to another with plain read() and write(), as cp
 * and shutil.copy() do: every chunk goes through the destination's page
 * cache, which must be reclaimed from a memory that tmpfs mostly holds.
 *
 * Usage: tmpfscopy [-b BUFSIZE] [-s] SRC DST
 *   -b BUFSIZE  bytes per read/write (default 1 MiB)
 *   -s          fsync DST at the end
 * Prints a key=value line: pid, bytes, chunks, seconds, max_chunk_us (the
 * slowest read+write pair, as the application saw it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "timing.h"

static void usage(void)
{
	fprintf(stderr, "usage: tmpfscopy [-b BUFSIZE] [-s] SRC DST\n");
	exit(2);
}

int main(int argc, char **argv)
{
	size_t bufsize = 1 << 20;
	double t0, t1, c0, worst = 0;
	long long bytes = 0, chunks = 0;
	int c, in, out, sync_end = 0;
	char *buf;

	while ((c = getopt(argc, argv, "b:s")) != -1) {
		switch (c) {
		case 'b':
			bufsize = strtoul(optarg, NULL, 0);
			break;
		case 's':
			sync_end = 1;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2 || !bufsize)
		usage();
	buf = malloc(bufsize);
	in = open(argv[optind], O_RDONLY);
	out = open(argv[optind + 1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (!buf || in < 0 || out < 0) {
		fprintf(stderr, "tmpfscopy: %s\n", strerror(errno));
		return 1;
	}
	t0 = now_s();
	for (;;) {
		ssize_t n, w, off = 0;

		c0 = now_s();
		n = read(in, buf, bufsize);
		if (n < 0) {
			fprintf(stderr, "tmpfscopy: read: %s\n",
				strerror(errno));
			return 1;
		}
		if (n == 0)
			break;
		while (off < n) {
			w = write(out, buf + off, n - off);
			if (w < 0) {
				fprintf(stderr, "tmpfscopy: write: %s\n",
					strerror(errno));
				return 1;
			}
			off += w;
		}
		bytes += n;
		chunks++;
		c0 = now_s() - c0;
		if (c0 > worst)
			worst = c0;
	}
	if (sync_end && fsync(out)) {
		fprintf(stderr, "tmpfscopy: fsync: %s\n", strerror(errno));
		return 1;
	}
	t1 = now_s();
	close(out);
	close(in);
	printf("pid=%d bytes=%lld chunks=%lld seconds=%.3f max_chunk_us=%.0f\n",
	       (int)getpid(), bytes, chunks, t1 - t0, worst * 1e6);
	return 0;
}
