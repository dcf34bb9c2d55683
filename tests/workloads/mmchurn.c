// SPDX-License-Identifier: GPL-2.0
/*
 * mmchurn: reproduce seed 000 (mmap_lock contention) in one process.
 *
 * Threads of one process fight over the process's mmap_lock:
 *
 *   churn-unmap   mmap a region, touch every page, munmap it: write lock
 *                 (munmap, mmap) held while pages are zapped
 *   churn-advise  madvise(MADV_DONTNEED) its slice of a shared region,
 *                 then touch it again: read lock (madvise, page faults)
 *   churn-fault   walk the whole shared region, refaulting what the
 *                 advisers dropped: read lock (page faults)
 *   churn-spawn   keeps creating short-lived threads (churn-short) that
 *                 touch some memory and exit: read lock (exit)
 *
 * The main thread keeps the executable's name (mmchurn), so a report
 * shows process "mmchurn".  At the end it prints a one-line summary and
 * the same figures as key=value on a line starting with "mmchurn:".
 *
 * Build: gcc -O2 -Wall -static -pthread mmchurn.c -o mmchurn
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "timing.h"

#define SHORT_BATCH		4
#define SHORT_STACK		(256 * 1024)
#define SHORT_TOUCH		(64 * 1024)

enum role {
	ROLE_UNMAP,
	ROLE_ADVISE,
	ROLE_FAULT,
	ROLE_SPAWN,
	NR_ROLES
};

static const char *const role_names[NR_ROLES] = {
	"churn-unmap", "churn-advise", "churn-fault", "churn-spawn",
};

struct worker {
	pthread_t thread;
	enum role role;
	int index;		/* among the workers of its role */
	pid_t tid;
	unsigned long iterations;
	unsigned long mmaps;
	unsigned long munmaps;
	unsigned long madvises;
	unsigned long touches;
	unsigned long minflt;
	unsigned long spawned;
	unsigned long errors;
};

struct short_stats {
	unsigned long touches;
	unsigned long minflt;
};

static long page_size;
static size_t region_size;	/* bytes per unmap region and advise slice */
static char *shared;		/* nr_advise slices of region_size */
static size_t shared_size;
static unsigned long max_iterations;	/* per unmap thread, 0: no limit */
static int stop;
static int unmap_done;

static int should_stop(void)
{
	return __atomic_load_n(&stop, __ATOMIC_RELAXED);
}

static void on_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
}

static pid_t gettid_compat(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static unsigned long thread_minflt(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return 0;
	return (unsigned long)ru.ru_minflt;
}

/* Write one byte per page; returns the pages touched. */
static unsigned long touch(char *p, size_t len, char val)
{
	unsigned long n = 0;
	size_t off;

	for (off = 0; off < len; off += page_size) {
		__atomic_store_n(&p[off], val, __ATOMIC_RELAXED);
		n++;
	}
	return n;
}

static void unmap_loop(struct worker *w)
{
	char *p;

	while (!should_stop()) {
		if (max_iterations && w->iterations >= max_iterations)
			break;
		p = mmap(NULL, region_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			w->errors++;
			usleep(1000);
			continue;
		}
		w->mmaps++;
		w->touches += touch(p, region_size, (char)w->iterations);
		if (munmap(p, region_size))
			w->errors++;
		else
			w->munmaps++;
		w->iterations++;
	}
	__atomic_add_fetch(&unmap_done, 1, __ATOMIC_RELAXED);
}

static void advise_loop(struct worker *w)
{
	char *slice = shared + (size_t)w->index * region_size;

	while (!should_stop()) {
		if (madvise(slice, region_size, MADV_DONTNEED))
			w->errors++;
		else
			w->madvises++;
		w->touches += touch(slice, region_size, (char)w->iterations);
		w->iterations++;
	}
}

static void fault_loop(struct worker *w)
{
	size_t off;

	while (!should_stop()) {
		/* Start each fault thread at a different slice. */
		off = ((size_t)w->index * region_size) % shared_size;
		w->touches += touch(shared + off, shared_size - off, 1);
		w->touches += touch(shared, off, 1);
		w->iterations++;
	}
}

static void *short_main(void *arg)
{
	struct short_stats *st = arg;
	char buf[SHORT_TOUCH];
	size_t off;

	prctl(PR_SET_NAME, "churn-short", 0, 0, 0);
	st->touches = touch(buf, sizeof(buf), 2);
	/* Read back so the buffer is not optimised away. */
	for (off = 0; off < sizeof(buf); off += page_size)
		if (__atomic_load_n(&buf[off], __ATOMIC_RELAXED) != 2)
			st->touches = 0;
	off = ((size_t)gettid_compat() % (shared_size / page_size)) *
	      page_size;
	st->touches += touch(shared + off,
			     shared_size - off < 16 * (size_t)page_size ?
			     shared_size - off : 16 * (size_t)page_size, 3);
	st->minflt = thread_minflt();
	return NULL;
}

static void spawn_loop(struct worker *w)
{
	struct short_stats st[SHORT_BATCH];
	pthread_t th[SHORT_BATCH];
	pthread_attr_t attr;
	int i, n, err;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, SHORT_STACK);
	while (!should_stop()) {
		memset(st, 0, sizeof(st));
		for (n = 0; n < SHORT_BATCH; n++) {
			err = pthread_create(&th[n], &attr, short_main, &st[n]);
			if (err) {
				w->errors++;
				break;
			}
		}
		for (i = 0; i < n; i++) {
			pthread_join(th[i], NULL);
			w->spawned++;
			w->touches += st[i].touches;
			w->minflt += st[i].minflt;
		}
		w->iterations++;
	}
	pthread_attr_destroy(&attr);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	w->tid = gettid_compat();
	pthread_setname_np(pthread_self(), role_names[w->role]);
	switch (w->role) {
	case ROLE_UNMAP:
		unmap_loop(w);
		break;
	case ROLE_ADVISE:
		advise_loop(w);
		break;
	case ROLE_FAULT:
		fault_loop(w);
		break;
	case ROLE_SPAWN:
		spawn_loop(w);
		break;
	default:
		break;
	}
	/* The spawner's children's faults are added in spawn_loop. */
	w->minflt += thread_minflt();
	return NULL;
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-t THREADS] [-d SECONDS] [-i ITERATIONS] [-s REGION_KIB]\n"
		"Reproduce mmap_lock contention (seed 000) in one process.\n"
		"\n"
		"  -t THREADS     worker threads, at least 4 (default 12): a quarter\n"
		"                 churn-unmap, a quarter churn-fault, one churn-spawn,\n"
		"                 the rest churn-advise\n"
		"  -d SECONDS     run this long (default 5 unless -i is given)\n"
		"  -i ITERATIONS  stop once each churn-unmap thread did this many\n"
		"                 mmap/touch/munmap cycles\n"
		"  -s REGION_KIB  size of each mapped region and madvise slice\n"
		"                 (default 1024)\n"
		"\n"
		"SIGINT or SIGTERM stops the run early; the summary is still printed.\n"
		"\n"
		"EXAMPLES:\n"
		"  %s -d 10          12 threads for 10 seconds\n"
		"  %s -t 4 -i 1500   4 threads, 1500 munmap cycles\n",
		prog, prog, prog);
}

static long parse_num(const char *s, const char *what, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "mmchurn: invalid %s '%s' (%ld..%ld)\n",
			what, s, min, max);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	int nr_threads = 12, nr_role[NR_ROLES], opt, i, r, err;
	unsigned long tot[8] = { 0 };
	long seconds = -1, region_kib = 1024;
	struct sigaction sa;
	struct worker *w;
	double start, elapsed;

	while ((opt = getopt(argc, argv, "t:d:i:s:h")) != -1) {
		switch (opt) {
		case 't':
			nr_threads = parse_num(optarg, "thread count", 4, 4096);
			break;
		case 'd':
			seconds = parse_num(optarg, "duration", 0, 86400);
			break;
		case 'i':
			max_iterations = parse_num(optarg, "iteration count",
						   1, 1L << 30);
			break;
		case 's':
			region_kib = parse_num(optarg, "region size", 4,
					       1024 * 1024);
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr, argv[0]);
		return 2;
	}
	if (seconds < 0 && !max_iterations)
		seconds = 5;

	page_size = sysconf(_SC_PAGESIZE);
	region_size = ((size_t)region_kib * 1024 + page_size - 1) &
		      ~((size_t)page_size - 1);

	nr_role[ROLE_UNMAP] = nr_threads / 4;
	nr_role[ROLE_FAULT] = nr_threads / 4;
	nr_role[ROLE_SPAWN] = 1;
	nr_role[ROLE_ADVISE] = nr_threads - nr_role[ROLE_UNMAP] -
			       nr_role[ROLE_FAULT] - nr_role[ROLE_SPAWN];

	shared_size = region_size * nr_role[ROLE_ADVISE];
	shared = mmap(NULL, shared_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("mmchurn: mmap shared region");
		return 1;
	}
	/* 4 KiB pages, so DONTNEED and refaults cost what they cost. */
	madvise(shared, shared_size, MADV_NOHUGEPAGE);
	touch(shared, shared_size, 1);

	w = calloc(nr_threads, sizeof(*w));
	if (!w) {
		perror("mmchurn: calloc");
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	start = now_s();
	i = 0;
	for (r = 0; r < NR_ROLES; r++) {
		int k;

		for (k = 0; k < nr_role[r]; k++, i++) {
			w[i].role = r;
			w[i].index = k;
			err = pthread_create(&w[i].thread, NULL, worker_main,
					     &w[i]);
			if (err) {
				fprintf(stderr,
					"mmchurn: pthread_create: %s\n",
					strerror(err));
				return 1;
			}
		}
	}

	while (!should_stop()) {
		if (seconds >= 0 && now_s() - start >= seconds)
			break;
		if (max_iterations &&
		    __atomic_load_n(&unmap_done, __ATOMIC_RELAXED) ==
		    nr_role[ROLE_UNMAP])
			break;
		usleep(20000);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);

	for (i = 0; i < nr_threads; i++)
		pthread_join(w[i].thread, NULL);
	elapsed = now_s() - start;

	for (i = 0; i < nr_threads; i++) {
		if (w[i].role == ROLE_UNMAP)
			tot[0] += w[i].iterations;
		tot[1] += w[i].mmaps;
		tot[2] += w[i].munmaps;
		tot[3] += w[i].madvises;
		tot[4] += w[i].touches;
		tot[5] += w[i].minflt;
		tot[6] += w[i].spawned;
		tot[7] += w[i].errors;
	}

	printf("mmchurn: %d threads, %.1f s: %lu mmap, %lu munmap, %lu madvise, %lu page touches (%lu faults), %lu short-lived threads spawned, %lu errors\n",
	       nr_threads, elapsed, tot[1], tot[2], tot[3], tot[4], tot[5],
	       tot[6], tot[7]);
	printf("mmchurn: pid=%d threads=%d unmap_threads=%d advise_threads=%d fault_threads=%d spawn_threads=%d region_kib=%ld elapsed_ms=%ld iterations=%lu mmap=%lu munmap=%lu madvise=%lu touches=%lu minflt=%lu spawned=%lu errors=%lu",
	       (int)getpid(), nr_threads, nr_role[ROLE_UNMAP],
	       nr_role[ROLE_ADVISE], nr_role[ROLE_FAULT], nr_role[ROLE_SPAWN],
	       region_kib, (long)(elapsed * 1000), tot[0], tot[1], tot[2],
	       tot[3], tot[4], tot[5], tot[6], tot[7]);
	for (r = 0; r < NR_ROLES; r++) {
		const char *sep = "=";

		/* e.g. churn_unmap_tids=101,102 */
		printf(" churn_%s_tids", role_names[r] + 6);
		for (i = 0; i < nr_threads; i++) {
			if ((int)w[i].role != r)
				continue;
			printf("%s%d", sep, (int)w[i].tid);
			sep = ",";
		}
		if (*sep == '=')
			printf("=");
	}
	printf("\n");
	fflush(stdout);

	free(w);
	munmap(shared, shared_size);
	return tot[7] ? 1 : 0;
}
