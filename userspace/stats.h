/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Aggregation of stat records and what is computed from their histograms:
 * percentiles and the power-of-two rows of `mmstall hist`.
 */
#ifndef MMSTALL_STATS_H
#define MMSTALL_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include "snapshot.h"

struct site_sum {
	__u32 site;
	__u64 count;
	__u64 total_ns;
};

/* One class over one task or many. */
struct stall_agg {
	__u64 count;
	__u64 total_ns;
	__u64 max_ns;
	__u64 hist[MMSTALL_HIST_BUCKETS];
	struct mmstall_lock_count locks[MMSTALL_NR_LOCKS];
	struct site_sum *sites;
	size_t nr_sites;
	size_t cap_sites;
};

void agg_init(struct stall_agg *a);
/* Returns 0, or -1 if out of memory. */
int agg_add(struct stall_agg *a, const struct mmstall_stat_rec *st);
/*
 * Merge the counts of each site and sort the sites by total time, largest
 * first.  Until then a->sites may list a site more than once.
 */
void agg_sort_sites(struct stall_agg *a);
void agg_free(struct stall_agg *a);

/*
 * The percentile @bp (basis points: 5000 is p50, 9900 is p99) of a
 * histogram by nearest rank: the middle of the bucket holding the rank,
 * at most @max_ns.  Above 256 ns the value is within 12.5%
 * (1 / 2^(MMSTALL_HIST_SUB_BITS + 1)) of the true one; below, within
 * 128 ns.  The overflow bucket reports @max_ns.  0 if the histogram is
 * empty.
 */
__u64 hist_percentile(const __u64 *hist, __u64 max_ns, unsigned int bp);

#define P50	5000
#define P99	9900

/* The inclusive upper bound of bucket @b; @max_ns for the last one. */
__u64 hist_le_ns(unsigned int b, __u64 max_ns);

/* The middle of bucket @b (the overflow bucket: its low end). */
__u64 hist_mid_ns(unsigned int b);

#define LOG2_ROWS	64

/*
 * Fold the log-linear histogram into bcc-style power-of-two rows of
 * @unit_ns: row 0 is 0..1 units, row r > 0 is 2^r..2^(r+1)-1.  A bucket is
 * counted in the row of its middle, so a bucket that straddles a row
 * boundary lands in one row.  Returns the number of rows up to the last
 * non-empty one (0 if all are empty).
 */
unsigned int hist_log2_rows(const __u64 *hist, __u64 unit_ns,
			    __u64 rows[LOG2_ROWS]);

/* The row of value @v (in units). */
unsigned int log2_row(__u64 v);

/* Which tasks and classes `hist` and `top` show. */
struct task_filter {
	bool by_pid;
	__u32 pid;		/* matches pid or tgid */
	const char *comm;	/* matches comm or process, or NULL */
	int class;		/* or -1 for all */
};

bool task_matches(const struct task_filter *f, const struct snap_task *t);

/* A per-task record and what it is sorted by. */
struct rec_ref {
	const struct snap_task *task;
	const void *rec;	/* in the snapshot's array */
	__u64 key;
};

enum rec_kind {
	REC_MM_CALLS,		/* key: all calls */
	REC_HOLDERS,		/* key: blocked_ns (one per task and lock) */
	REC_SLABINFO,		/* key: total_ns */
};

/*
 * The records of @kind, largest key first (then by pid, slot, lock).
 * Returns their number; *refs is malloc'd, or NULL if there are none or
 * memory ran out.
 */
size_t rec_refs(const struct snap *snap, enum rec_kind kind,
		struct rec_ref **refs);

__u64 mm_calls_total(const struct mmstall_mm_calls_rec *r);
/* Add @src to @dst (task and reserved untouched). */
void mm_calls_add(struct mmstall_mm_calls_rec *dst,
		  const struct mmstall_mm_calls_rec *src);
/*
 * The inclusive upper bound of length bucket @b: 0 for bucket 0,
 * 2^b - 1 above, all ones from bucket 64 on.
 */
__u64 bytes_le(unsigned int b);

/* "812ns", "12.3us", "4.56ms", "1.23s" */
const char *fmt_ns(char *buf, size_t len, __u64 ns);

/* The lost counters of a snapshot, named as in the JSON report. */
struct lost_counter {
	const char *name;
	__u64 v;
};

#define NR_LOST_COUNTERS	5

void lost_counters(const struct snap *snap,
		   struct lost_counter c[NR_LOST_COUNTERS]);

#endif /* MMSTALL_STATS_H */
