// SPDX-License-Identifier: GPL-2.0
/*
 * jitmap: seed 001 in one process.  A JIT that maps and unmaps 64 KiB
 * regions tens of thousands of times (ATS with LuaJIT re-JITting called
 * mmap(65536) 75,000 times a second).
 *
 * Usage: jitmap [-n ITERATIONS] [-l LENGTH] [-t THREADS]
 * Prints a summary and a key=value line: pid, iterations, mmap, munmap,
 * and the wall time of the loop (elapsed_us), for overhead figures.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static long iterations = 20000;
static size_t length = 65536;
static long mmaps, munmaps, errors;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;

static void *jit_thread(void *arg)
{
	long i, maps = 0, unmaps = 0, errs = 0;
	char *p;

	(void)arg;
	prctl(PR_SET_NAME, "jitmap-jit", 0, 0, 0);
	for (i = 0; i < iterations; i++) {
		p = mmap(NULL, length, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		maps++;
		if (p == MAP_FAILED) {
			errs++;
			continue;
		}
		p[0] = 1;		/* the JIT writes its code */
		if (munmap(p, length))
			errs++;
		unmaps++;
	}
	pthread_mutex_lock(&count_lock);
	mmaps += maps;
	munmaps += unmaps;
	errors += errs;
	pthread_mutex_unlock(&count_lock);
	return NULL;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: jitmap [-n ITERATIONS] [-l LENGTH] [-t THREADS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	pthread_t tids[64];
	long threads = 1, i;
	struct timespec t0, t1;
	long long elapsed_us;
	int opt;

	while ((opt = getopt(argc, argv, "n:l:t:h")) != -1) {
		switch (opt) {
		case 'n':
			iterations = strtol(optarg, NULL, 0);
			break;
		case 'l':
			length = strtoul(optarg, NULL, 0);
			break;
		case 't':
			threads = strtol(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (iterations <= 0 || !length || threads <= 0 || threads > 64)
		usage();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < threads; i++) {
		errno = pthread_create(&tids[i], NULL, jit_thread, NULL);
		if (errno) {
			perror("pthread_create");
			return 1;
		}
	}
	for (i = 0; i < threads; i++)
		pthread_join(tids[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	elapsed_us = (t1.tv_sec - t0.tv_sec) * 1000000LL +
		     (t1.tv_nsec - t0.tv_nsec) / 1000;
	printf("jitmap: %ld threads, %ld mmap and %ld munmap of %zu bytes, %ld errors\n",
	       threads, mmaps, munmaps, length, errors);
	printf("jitmap: pid=%d threads=%ld iterations=%ld length=%zu mmap=%ld munmap=%ld errors=%ld elapsed_us=%lld\n",
	       getpid(), threads, iterations, length, mmaps, munmaps, errors,
	       elapsed_us);
	return errors ? 1 : 0;
}
