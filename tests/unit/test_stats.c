// SPDX-License-Identifier: GPL-2.0
/* Percentiles, bucket bounds, power-of-two rows, aggregation. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "../../userspace/format.h"
#include "../../userspace/stats.h"

static __u64 rng(__u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return (x > y) - (x < y);
}

TEST(bucket_bounds)
{
	unsigned int b;

	EXPECT_EQ(MMSTALL_HIST_BUCKETS, 118);
	for (b = 0; b < MMSTALL_HIST_BUCKETS - 1; b++) {
		EXPECT_EQ(mmstall_hist_bucket(mmstall_hist_low(b)), b);
		EXPECT_EQ(mmstall_hist_bucket(hist_le_ns(b, 0)), b);
		EXPECT_EQ(hist_le_ns(b, 0), mmstall_hist_low(b + 1) - 1);
		EXPECT_EQ(mmstall_hist_bucket(hist_mid_ns(b)), b);
	}
	b = MMSTALL_HIST_BUCKETS - 1;
	EXPECT_EQ(mmstall_hist_bucket(~0ULL), b);
	EXPECT_EQ(hist_le_ns(b, 500ULL << 30), 500ULL << 30);
	EXPECT_EQ(hist_le_ns(b, 0), mmstall_hist_low(b));
}

/* The reference: sort, take the nearest rank, locate its bucket. */
static __u64 brute(const __u64 *sorted, size_t n, unsigned int bp,
		   __u64 max)
{
	size_t rank = (n * bp + 9999) / 10000;
	unsigned int b;
	__u64 mid;

	if (!rank)
		rank = 1;
	b = mmstall_hist_bucket(sorted[rank - 1]);
	if (b == MMSTALL_HIST_BUCKETS - 1)
		return max;
	mid = (mmstall_hist_low(b) + mmstall_hist_low(b + 1)) / 2;
	return mid < max ? mid : max;
}

TEST(percentiles_vs_brute_force)
{
	static const unsigned int bps[] = { 1, 5000, 9000, 9900, 9999,
					     10000 };
	__u64 seed = 0x1234567, *v, hist[MMSTALL_HIST_BUCKETS], max, p, want;
	unsigned int round, k, shift;
	size_t n, i;

	v = malloc(5000 * sizeof(*v));
	for (round = 0; round < 300; round++) {
		n = 1 + rng(&seed) % (round < 100 ? 20 : 5000);
		memset(hist, 0, sizeof(hist));
		max = 0;
		for (i = 0; i < n; i++) {
			/* log-uniform from 1 ns to ~2^40 ns */
			shift = rng(&seed) % 41;
			v[i] = (rng(&seed) >> (63 - shift)) | 1;
			hist[mmstall_hist_bucket(v[i])]++;
			if (v[i] > max)
				max = v[i];
		}
		qsort(v, n, sizeof(*v), cmp_u64);
		for (k = 0; k < sizeof(bps) / sizeof(bps[0]); k++) {
			p = hist_percentile(hist, max, bps[k]);
			want = brute(v, n, bps[k], max);
			_CHECK(p == want, true,
			       "round %u n %zu bp %u: %llu, want %llu", round,
			       n, bps[k], (unsigned long long)p,
			       (unsigned long long)want);
		}
		/* the stated error bound, for the true p99 value */
		i = (n * 9900 + 9999) / 10000 - 1;
		p = hist_percentile(hist, max, P99);
		if (v[i] >= 256 && v[i] < mmstall_hist_low(
				MMSTALL_HIST_BUCKETS - 1)) {
			__u64 d = p > v[i] ? p - v[i] : v[i] - p;

			_CHECK(d * 8 <= v[i], true, "p99 %llu vs %llu",
			       (unsigned long long)p,
			       (unsigned long long)v[i]);
		}
	}
	free(v);
}

TEST(percentile_edges)
{
	__u64 hist[MMSTALL_HIST_BUCKETS] = { 0 };

	EXPECT_EQ(hist_percentile(hist, 0, P50), 0);
	hist[MMSTALL_HIST_BUCKETS - 1] = 3;
	EXPECT_EQ(hist_percentile(hist, 300ULL << 30, P99), 300ULL << 30);
	memset(hist, 0, sizeof(hist));
	hist[mmstall_hist_bucket(1000)] = 1;	/* [896, 1024): mid 960 */
	EXPECT_EQ(hist_percentile(hist, 1000, P50), 960);
	EXPECT_EQ(hist_percentile(hist, 900, P50), 900);	/* clamped */
	/* a huge count must not overflow the rank */
	hist[0] = ~0ULL / 2;
	EXPECT_EQ(hist_percentile(hist, 1000, P50), 128);
}

TEST(log2_rows)
{
	__u64 hist[MMSTALL_HIST_BUCKETS] = { 0 }, rows[LOG2_ROWS], seed = 9;
	__u64 sum = 0, v, total = 0;
	unsigned int nr, r, i;

	EXPECT_EQ(hist_log2_rows(hist, 1000, rows), 0);
	hist[mmstall_hist_bucket(100)] = 2;	/* 0 us */
	hist[mmstall_hist_bucket(1500)] = 3;	/* 1 us: row 0 */
	hist[mmstall_hist_bucket(3000)] = 4;	/* mid 2816: 2 us, row 1 */
	hist[mmstall_hist_bucket(5000000)] = 5;	/* ~5 ms: row 12 */
	nr = hist_log2_rows(hist, 1000, rows);
	EXPECT_EQ(nr, 13);
	EXPECT_EQ(rows[0], 5);
	EXPECT_EQ(rows[1], 4);
	EXPECT_EQ(rows[12], 5);
	for (r = 2; r < 12; r++)
		EXPECT_EQ(rows[r], 0);
	EXPECT_EQ(hist_log2_rows(hist, 1000000, rows), 3);	/* ms */
	EXPECT_EQ(rows[2], 5);

	/* Any value: its row is off by at most one, counts are kept. */
	memset(hist, 0, sizeof(hist));
	for (i = 0; i < 10000; i++) {
		v = rng(&seed) >> (24 + rng(&seed) % 40);
		hist[mmstall_hist_bucket(v)]++;
		total++;
		if (mmstall_hist_bucket(v) == MMSTALL_HIST_BUCKETS - 1)
			continue;	/* overflow: only a lower bound */
		r = log2_row(v / 1000);
		EXPECT_LE(r, log2_row(hist_mid_ns(mmstall_hist_bucket(v)) /
				      1000) + 1);
		EXPECT_LE(log2_row(hist_mid_ns(mmstall_hist_bucket(v)) / 1000),
			  r + 1);
	}
	nr = hist_log2_rows(hist, 1000, rows);
	for (r = 0; r < nr; r++)
		sum += rows[r];
	EXPECT_EQ(sum, total);
}

TEST(log2_hist_picture)
{
	__u64 rows[4] = { 2, 0, 8, 4 };
	char *text = NULL;
	size_t size = 0;
	FILE *f;

	f = open_memstream(&text, &size);
	ASSERT_TRUE(f);
	print_log2_hist(f, rows, 4, "usecs");
	fclose(f);
	EXPECT_CONTAINS(text,
		"     usecs               : count    distribution\n");
	EXPECT_CONTAINS(text,
		"         0 -> 1          : 2        |**********                              |\n");
	EXPECT_CONTAINS(text,
		"         2 -> 3          : 0        |                                        |\n");
	EXPECT_CONTAINS(text,
		"         4 -> 7          : 8        |****************************************|\n");
	EXPECT_CONTAINS(text,
		"         8 -> 15         : 4        |********************                    |\n");
	free(text);
}

TEST(aggregation)
{
	struct mmstall_stat_rec a, b;
	struct stall_agg agg;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.count = 3;
	a.total_ns = 300;
	a.max_ns = 200;
	a.sites[0] = (struct mmstall_site_count){ MMSTALL_SITE_MUNMAP, 0, 2,
						  100 };
	a.sites[1] = (struct mmstall_site_count){ 70, 0, 1, 200 };
	a.locks[MMSTALL_LOCK_MMAP] = (struct mmstall_lock_count){ 3, 300 };
	a.hist[3] = 3;
	b.count = 1;
	b.total_ns = 1000;
	b.max_ns = 1000;
	b.sites[0] = (struct mmstall_site_count){ MMSTALL_SITE_MUNMAP, 0, 1,
						  1000 };
	b.hist[3] = 1;
	agg_init(&agg);
	ASSERT_EQ(agg_add(&agg, &a), 0);
	ASSERT_EQ(agg_add(&agg, &b), 0);
	agg_sort_sites(&agg);
	EXPECT_EQ(agg.count, 4);
	EXPECT_EQ(agg.total_ns, 1300);
	EXPECT_EQ(agg.max_ns, 1000);
	EXPECT_EQ(agg.hist[3], 4);
	EXPECT_EQ(agg.locks[MMSTALL_LOCK_MMAP].count, 3);
	ASSERT_EQ(agg.nr_sites, 2);
	EXPECT_EQ(agg.sites[0].site, MMSTALL_SITE_MUNMAP);
	EXPECT_EQ(agg.sites[0].count, 3);
	EXPECT_EQ(agg.sites[0].total_ns, 1100);
	EXPECT_EQ(agg.sites[1].site, 70);
	agg_free(&agg);
}

/*
 * Many stat records with sites of their own (a crafted file): adding and
 * sorting them stays fast, and every site is counted once.
 */
TEST(aggregation_many_sites)
{
	unsigned int i, k, nr = 100000;
	struct mmstall_stat_rec st;
	struct timespec t0, t1;
	struct stall_agg agg;

	agg_init(&agg);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	for (i = 0; i < nr; i++) {
		memset(&st, 0, sizeof(st));
		for (k = 0; k < MMSTALL_SITES_PER_STAT; k++) {
			/* site 64 in every record, the rest unique */
			st.sites[k].site = k ? 65 + i * 8 + k : 64;
			st.sites[k].count = 1;
			st.sites[k].total_ns = k ? 1 : 10;
		}
		ASSERT_EQ(agg_add(&agg, &st), 0);
	}
	agg_sort_sites(&agg);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	EXPECT_LE(t1.tv_sec - t0.tv_sec, 10);
	ASSERT_EQ(agg.nr_sites, 1 + nr * (MMSTALL_SITES_PER_STAT - 1));
	EXPECT_EQ(agg.sites[0].site, 64);
	EXPECT_EQ(agg.sites[0].count, nr);
	EXPECT_EQ(agg.sites[0].total_ns, 10ULL * nr);
	EXPECT_EQ(agg.sites[1].count, 1);
	agg_free(&agg);
}

TEST(task_filter)
{
	struct task_filter f = { .class = -1 };
	struct snap_task t;

	memset(&t, 0, sizeof(t));
	t.rec.pid = 101;
	t.rec.tgid = 100;
	strcpy(t.rec.comm, "tokio-runtime-w");
	strcpy(t.rec.process, "server");
	EXPECT_TRUE(task_matches(&f, &t));
	f.by_pid = true;
	f.pid = 100;
	EXPECT_TRUE(task_matches(&f, &t));
	f.pid = 101;
	EXPECT_TRUE(task_matches(&f, &t));
	f.pid = 102;
	EXPECT_TRUE(!task_matches(&f, &t));
	f.by_pid = false;
	f.comm = "server";
	EXPECT_TRUE(task_matches(&f, &t));
	f.comm = "tokio-runtime-worker";	/* as truncated by the kernel */
	EXPECT_TRUE(task_matches(&f, &t));
	f.comm = "tokio";
	EXPECT_TRUE(!task_matches(&f, &t));
}

TEST(fmt_ns)
{
	char buf[32];

	EXPECT_STREQ(fmt_ns(buf, sizeof(buf), 812), "812ns");
	EXPECT_STREQ(fmt_ns(buf, sizeof(buf), 12345), "12.3us");
	EXPECT_STREQ(fmt_ns(buf, sizeof(buf), 4560000), "4.56ms");
	EXPECT_STREQ(fmt_ns(buf, sizeof(buf), 123000000000ULL), "123s");
}
