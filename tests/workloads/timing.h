/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Clocks and a sort order shared by the workloads and the bench's own
 * programs (tests/bench/kpalt.c): each is one static binary, so these are
 * inline.
 */
#ifndef MMSTALL_WORKLOAD_TIMING_H
#define MMSTALL_WORKLOAD_TIMING_H

#include <time.h>

static inline long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline double now_s(void)
{
	return now_ns() / 1e9;
}

/* qsort() order of long longs: latencies, sorted for their percentiles. */
static inline int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

#endif /* MMSTALL_WORKLOAD_TIMING_H */
