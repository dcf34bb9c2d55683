// SPDX-License-Identifier: GPL-2.0
/*
 * fragment: makes the kernel compact memory in the caller's own
 * allocations (direct compaction, the compaction half of seed 003).
 *
 * It fills MB MiB of anonymous memory, frees every other page of it (the
 * pages left in use are movable, and no two free pages are neighbours, so
 * free memory is plenty but in order-0 pieces), then asks for high-order
 * pages, one round per 2 MiB of a THP MiB region:
 *   - a transparent huge page (order 9) of that MADV_HUGEPAGE region, kept
 *     mapped, where the kernel has THP (the default defrag mode compacts
 *     for them);
 *   - unmovable order-3 pages, from 32 KiB unix-socket datagrams whose
 *     buffers are allocated in one piece (where the kernel has unix
 *     sockets).
 * Both stall in direct compaction when no free block of that order is
 * left.  Keep THP well under half of MB: without swap, what the huge
 * pages take must stay free.
 *
 * Usage: fragment [-m MB] [-t THP]   (defaults: 192 MiB, MB / 4)
 * Prints a key=value line: pid, mb, rounds, thp (huge pages touched),
 * dgrams (datagrams sent), seconds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include "timing.h"

#define PAGE		4096UL
#define HUGE		(2UL << 20)
#define DGRAM		(32 << 10)
#define DGRAMS_A_ROUND	8

static void usage(void)
{
	fprintf(stderr, "usage: fragment [-m MB] [-t THP]\n");
	exit(2);
}

/* Fills @len bytes at @p, then frees every other page of them. */
static void fill_and_punch(char *p, size_t len)
{
	size_t off;

	for (off = 0; off < len; off += PAGE)
		p[off] = (char)off | 1;
	for (off = 0; off < len; off += 2 * PAGE)
		madvise(p + off, PAGE, MADV_DONTNEED);
}

/* A MADV_HUGEPAGE region of @len bytes, 2 MiB aligned, or NULL. */
static char *huge_region(size_t len)
{
	char *p = mmap(NULL, len + HUGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	p = (char *)(((unsigned long)p + HUGE - 1) & ~(HUGE - 1));
	if (madvise(p, len, MADV_HUGEPAGE))
		return NULL;
	return p;
}

/* Sends and receives DGRAMS_A_ROUND 32 KiB datagrams on @sv. */
static long dgram_round(int sv[2], char *buf)
{
	long n = 0;
	int i;

	for (i = 0; i < DGRAMS_A_ROUND; i++)
		if (send(sv[0], buf, DGRAM, 0) == DGRAM)
			n++;
	for (i = 0; i < n; i++)
		recv(sv[1], buf, DGRAM, 0);
	return n;
}

int main(int argc, char **argv)
{
	long mb = 192, thp_mb = 0, rounds, r, thp = 0, dgrams = 0;
	int c, sv[2], sndbuf = 4 * DGRAMS_A_ROUND * DGRAM;
	static char buf[DGRAM];
	char *p, *huge;
	size_t len;
	double t0;

	while ((c = getopt(argc, argv, "m:t:")) != -1) {
		switch (c) {
		case 'm':
			mb = strtol(optarg, NULL, 0);
			break;
		case 't':
			thp_mb = strtol(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (!thp_mb)
		thp_mb = mb / 4;
	rounds = thp_mb / 2;
	if (mb <= 0 || rounds <= 0)
		usage();
	len = (size_t)mb << 20;
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv)) {
		fprintf(stderr, "fragment: no datagrams: socketpair: %s\n",
			strerror(errno));
		sv[0] = sv[1] = -1;
	} else {
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf,
			   sizeof(sndbuf));
		setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &sndbuf,
			   sizeof(sndbuf));
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "fragment: mmap %ld MiB: %s\n", mb,
			strerror(errno));
		return 1;
	}
	/* no huge pages in the filler: its pages must be order-0 */
	madvise(p, len, MADV_NOHUGEPAGE);
	huge = huge_region(rounds * HUGE);
	t0 = now_s();
	fill_and_punch(p, len);
	for (r = 0; r < rounds; r++) {
		if (huge) {
			huge[r * HUGE] = 1;
			thp++;
		}
		if (sv[0] >= 0)
			dgrams += dgram_round(sv, buf);
	}
	printf("pid=%d mb=%ld rounds=%ld thp=%ld dgrams=%ld seconds=%.2f\n",
	       getpid(), mb, rounds, thp, dgrams, now_s() - t0);
	return 0;
}
