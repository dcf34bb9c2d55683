// SPDX-License-Identifier: GPL-2.0
/* Aggregation, percentiles and power-of-two rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

void agg_init(struct stall_agg *a)
{
	memset(a, 0, sizeof(*a));
}

/* Appended as they come: agg_sort_sites() merges those of one site. */
static int add_site(struct stall_agg *a, const struct mmstall_site_count *sc)
{
	struct site_sum *s;

	if (a->nr_sites == a->cap_sites) {
		size_t cap = a->cap_sites ? 2 * a->cap_sites : 8;

		s = realloc(a->sites, cap * sizeof(*s));
		if (!s)
			return -1;
		a->sites = s;
		a->cap_sites = cap;
	}
	s = &a->sites[a->nr_sites++];
	s->site = sc->site;
	s->count = sc->count;
	s->total_ns = sc->total_ns;
	return 0;
}

int agg_add(struct stall_agg *a, const struct mmstall_stat_rec *st)
{
	unsigned int i;

	a->count += st->count;
	a->total_ns += st->total_ns;
	if (st->max_ns > a->max_ns)
		a->max_ns = st->max_ns;
	for (i = 0; i < MMSTALL_HIST_BUCKETS; i++)
		a->hist[i] += st->hist[i];
	for (i = 0; i < MMSTALL_NR_LOCKS; i++) {
		a->locks[i].count += st->locks[i].count;
		a->locks[i].total_ns += st->locks[i].total_ns;
	}
	for (i = 0; i < MMSTALL_SITES_PER_STAT; i++) {
		if (st->sites[i].site == MMSTALL_SITE_NONE ||
		    !st->sites[i].count)
			continue;
		if (add_site(a, &st->sites[i]))
			return -1;
	}
	return 0;
}

static int cmp_site(const void *x, const void *y)
{
	const struct site_sum *a = x, *b = y;

	if (a->total_ns != b->total_ns)
		return a->total_ns > b->total_ns ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return (a->site > b->site) - (a->site < b->site);
}

static int cmp_site_id(const void *x, const void *y)
{
	const struct site_sum *a = x, *b = y;

	return (a->site > b->site) - (a->site < b->site);
}

/*
 * Sorted, not searched as they are added: the sites of many tasks
 * together (a crafted file can give each its own) stay n log n.
 */
void agg_sort_sites(struct stall_agg *a)
{
	size_t i, w;

	if (!a->nr_sites)
		return;
	qsort(a->sites, a->nr_sites, sizeof(*a->sites), cmp_site_id);
	for (i = 1, w = 0; i < a->nr_sites; i++) {
		if (a->sites[i].site == a->sites[w].site) {
			a->sites[w].count += a->sites[i].count;
			a->sites[w].total_ns += a->sites[i].total_ns;
		} else {
			a->sites[++w] = a->sites[i];
		}
	}
	a->nr_sites = w + 1;
	qsort(a->sites, a->nr_sites, sizeof(*a->sites), cmp_site);
}

void agg_free(struct stall_agg *a)
{
	free(a->sites);
	agg_init(a);
}

__u64 hist_mid_ns(unsigned int b)
{
	__u64 low = mmstall_hist_low(b);

	if (b >= MMSTALL_HIST_BUCKETS - 1)
		return low;
	return low + (mmstall_hist_low(b + 1) - low) / 2;
}

__u64 hist_le_ns(unsigned int b, __u64 max_ns)
{
	if (b >= MMSTALL_HIST_BUCKETS - 1)
		return max_ns > mmstall_hist_low(b) ? max_ns :
						      mmstall_hist_low(b);
	return mmstall_hist_low(b + 1) - 1;
}

__u64 hist_percentile(const __u64 *hist, __u64 max_ns, unsigned int bp)
{
	__u64 total = 0, rank, seen = 0, v;
	unsigned int b;

	for (b = 0; b < MMSTALL_HIST_BUCKETS; b++)
		total += hist[b];
	if (!total)
		return 0;
	/* rank = ceil(total * bp / 10000), without overflow or rounding */
	rank = total / 10000 * bp + ((total % 10000) * bp + 9999) / 10000;
	if (rank < 1)
		rank = 1;
	if (rank > total)
		rank = total;
	for (b = 0; b < MMSTALL_HIST_BUCKETS; b++) {
		seen += hist[b];
		if (seen >= rank)
			break;
	}
	if (b >= MMSTALL_HIST_BUCKETS - 1)
		return max_ns;
	v = hist_mid_ns(b);
	return v > max_ns ? max_ns : v;
}

unsigned int log2_row(__u64 v)
{
	return v < 2 ? 0 : 63 - __builtin_clzll(v);
}

unsigned int hist_log2_rows(const __u64 *hist, __u64 unit_ns,
			    __u64 rows[LOG2_ROWS])
{
	unsigned int b, r, nr = 0;

	memset(rows, 0, LOG2_ROWS * sizeof(rows[0]));
	for (b = 0; b < MMSTALL_HIST_BUCKETS; b++) {
		if (!hist[b])
			continue;
		r = log2_row(hist_mid_ns(b) / unit_ns);
		rows[r] += hist[b];
		if (r + 1 > nr)
			nr = r + 1;
	}
	return nr;
}

bool task_matches(const struct task_filter *f, const struct snap_task *t)
{
	size_t n = MMSTALL_COMM_LEN - 1;

	if (f->by_pid && t->rec.pid != f->pid && t->rec.tgid != f->pid)
		return false;
	if (f->comm && strncmp(t->rec.comm, f->comm, n) &&
	    strncmp(t->rec.process, f->comm, n))
		return false;
	return true;
}

const char *fmt_ns(char *buf, size_t len, __u64 ns)
{
	static const struct {
		__u64 div;
		const char *unit;
	} units[] = {
		{ 1000000000ULL, "s" }, { 1000000ULL, "ms" }, { 1000ULL, "us" },
	};
	unsigned int i;
	double v;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ns < units[i].div)
			continue;
		v = (double)ns / (double)units[i].div;
		snprintf(buf, len, v < 10 ? "%.2f%s" : v < 100 ? "%.1f%s" :
			 "%.0f%s", v, units[i].unit);
		return buf;
	}
	snprintf(buf, len, "%lluns", (unsigned long long)ns);
	return buf;
}

__u64 mm_calls_total(const struct mmstall_mm_calls_rec *r)
{
	__u64 sum = 0;
	unsigned int i;

	for (i = 0; i < MMSTALL_NR_CALLS; i++)
		sum += r->calls[i];
	return sum;
}

void mm_calls_add(struct mmstall_mm_calls_rec *dst,
		  const struct mmstall_mm_calls_rec *src)
{
	unsigned int i;

	for (i = 0; i < MMSTALL_NR_CALLS; i++)
		dst->calls[i] += src->calls[i];
	dst->write_holds += src->write_holds;
	dst->write_hold_ns += src->write_hold_ns;
	if (src->write_hold_max_ns > dst->write_hold_max_ns)
		dst->write_hold_max_ns = src->write_hold_max_ns;
	for (i = 0; i < MMSTALL_BYTES_BUCKETS; i++)
		dst->bytes_hist[i] += src->bytes_hist[i];
}

__u64 bytes_le(unsigned int b)
{
	if (!b)
		return 0;
	if (b >= MMSTALL_BYTES_BUCKETS - 1)	/* the last: 2^62 or more */
		return ~0ULL;
	return (1ULL << b) - 1;
}

static int cmp_ref(const void *x, const void *y)
{
	const struct rec_ref *a = x, *b = y;

	if (a->key != b->key)
		return a->key > b->key ? -1 : 1;
	if (a->task->rec.pid != b->task->rec.pid)
		return a->task->rec.pid < b->task->rec.pid ? -1 : 1;
	if (a->task->rec.slot != b->task->rec.slot)
		return a->task->rec.slot < b->task->rec.slot ? -1 : 1;
	return (a->rec > b->rec) - (a->rec < b->rec);
}

/* Append task @t's records of @kind to @refs (NULL: just count them). */
static size_t task_refs(const struct snap *snap, const struct snap_task *t,
			enum rec_kind kind, struct rec_ref *refs)
{
	const struct mmstall_holder_rec *h;
	size_t n = 0;
	unsigned int l;

	switch (kind) {
	case REC_MM_CALLS:
		if (t->mm_calls < 0)
			break;
		if (refs) {
			refs->rec = &snap->mm_calls[t->mm_calls];
			refs->key = mm_calls_total(refs->rec);
		}
		n = 1;
		break;
	case REC_HOLDERS:
		for (l = 0; l < MMSTALL_NR_LOCKS; l++) {
			if (t->holder[l] < 0)
				continue;
			h = &snap->holders[t->holder[l]];
			if (refs) {
				refs[n].rec = h;
				refs[n].key = h->blocked_ns;
				refs[n].task = t;
			}
			n++;
		}
		break;
	case REC_SLABINFO:
		if (t->slabinfo < 0)
			break;
		if (refs) {
			const struct mmstall_slabinfo_reader_rec *r =
				&snap->slabinfo_readers[t->slabinfo];

			refs->rec = r;
			refs->key = r->total_ns;
		}
		n = 1;
		break;
	}
	if (refs && n == 1)
		refs->task = t;
	return n;
}

size_t rec_refs(const struct snap *snap, enum rec_kind kind,
		struct rec_ref **refs)
{
	size_t i, n = 0;

	*refs = NULL;
	for (i = 0; i < snap->nr_tasks; i++)
		n += task_refs(snap, &snap->tasks[i], kind, NULL);
	if (!n)
		return 0;
	*refs = calloc(n, sizeof(**refs));
	if (!*refs)
		return 0;
	for (i = 0, n = 0; i < snap->nr_tasks; i++)
		n += task_refs(snap, &snap->tasks[i], kind, *refs + n);
	qsort(*refs, n, sizeof(**refs), cmp_ref);
	return n;
}

void lost_counters(const struct snap *snap,
		   struct lost_counter c[NR_LOST_COUNTERS])
{
	const struct mmstall_lost *l = &snap->hdr.lost;

	c[0] = (struct lost_counter){ "task_slots", l->task_slots };
	c[1] = (struct lost_counter){ "stat_blocks", l->stat_blocks };
	c[2] = (struct lost_counter){ "kretprobe_missed", l->kretprobe_missed };
	c[3] = (struct lost_counter){ "events", l->events };
	c[4] = (struct lost_counter){ "names", l->names };
}
