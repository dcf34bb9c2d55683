// SPDX-License-Identifier: GPL-2.0
/*
 * The SUMMARY of a report: the top culprits in plain words.  Every
 * figure here comes from the snapshot's records; where a family has no
 * records, or no attached probe, the summary says nothing about it
 * rather than guessing.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cost.h"
#include "format.h"
#include "format_mm.h"
#include "names.h"
#include "stats.h"
#include "summary.h"

#define COMM_ESC	(4 * MMSTALL_COMM_LEN + 1)
#define CLASS_BIT(c)	(1U << (c))
#define RWSEM_MASK	(CLASS_BIT(MMSTALL_CLASS_RWSEM_READ) |		\
			 CLASS_BIT(MMSTALL_CLASS_RWSEM_WRITE))
#define SLAB_MASK	CLASS_BIT(MMSTALL_CLASS_SLAB_REFILL)
#define RECLAIM_MASK	(CLASS_BIT(MMSTALL_CLASS_DIRECT_RECLAIM) |	\
			 CLASS_BIT(MMSTALL_CLASS_MEMCG_RECLAIM) |	\
			 CLASS_BIT(MMSTALL_CLASS_COMPACTION))

static void __attribute__((format(printf, 2, 3)))
add(struct summary *s, const char *fmt, ...)
{
	va_list ap;

	if (s->nr >= SUMMARY_MAX_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(s->line[s->nr++], SUMMARY_LINE_LEN, fmt, ap);
	va_end(ap);
}

static const char *plural(__u64 n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* End of the run of tasks of @first's process (tasks sort by tgid). */
static size_t run_end(const struct snap *snap, size_t first)
{
	size_t i;

	for (i = first + 1; i < snap->nr_tasks; i++)
		if (snap->tasks[i].rec.tgid != snap->tasks[first].rec.tgid)
			break;
	return i;
}

/* A process: the tasks [first, last) of the snapshot. */
struct run {
	size_t first, last;
};

/*
 * Sum the stall classes of @mask over the threads of @r into @a; returns
 * the number of threads that have any.
 */
static size_t run_agg(const struct snap *snap, const struct run *r,
		      unsigned int mask, struct stall_agg *a)
{
	size_t i, threads = 0;
	unsigned int c;
	bool any;

	agg_init(a);
	for (i = r->first; i < r->last; i++) {
		any = false;
		for (c = 0; c < MMSTALL_NR_CLASSES; c++) {
			if (!(mask & CLASS_BIT(c)) || snap->tasks[i].stat[c] < 0)
				continue;
			agg_add(a, &snap->stats[snap->tasks[i].stat[c]]);
			any = true;
		}
		threads += any;
	}
	return threads;
}

/* The process whose threads stalled longest in the classes of @mask. */
static bool top_run(const struct snap *snap, unsigned int mask,
		    struct run *best)
{
	__u64 sum, best_sum = 0, best_count = 0, count;
	struct run r;
	unsigned int c;
	size_t i;
	int st;

	for (r.first = 0; r.first < snap->nr_tasks; r.first = r.last) {
		r.last = run_end(snap, r.first);
		sum = 0;
		count = 0;
		for (i = r.first; i < r.last; i++) {
			for (c = 0; c < MMSTALL_NR_CLASSES; c++) {
				st = snap->tasks[i].stat[c];
				if (!(mask & CLASS_BIT(c)) || st < 0)
					continue;
				sum += snap->stats[st].total_ns;
				count += snap->stats[st].count;
			}
		}
		if (sum > best_sum || (sum == best_sum && count > best_count)) {
			best_sum = sum;
			best_count = count;
			*best = r;
		}
	}
	return best_count > 0;
}

static const struct snap_task *leader(const struct snap *snap,
				      const struct run *r)
{
	return &snap->tasks[r->first];
}

static void rwsem_lines(struct summary *s, const struct snap *snap)
{
	char name[COMM_ESC], comm[COMM_ESC], t[4][32];
	char site[32], esc[4 * MMSTALL_NAME_LEN + 1], lockpart[96];
	char sitepart[4 * MMSTALL_NAME_LEN + 96];
	const struct mmstall_holder_rec *h;
	const struct snap_task *t0;
	struct stall_agg a;
	struct rec_ref *refs;
	unsigned int l, lock = MMSTALL_NR_LOCKS;
	size_t threads, i, n;
	struct run r;

	if (!top_run(snap, RWSEM_MASK, &r))
		return;
	t0 = leader(snap, &r);
	threads = run_agg(snap, &r, RWSEM_MASK, &a);
	for (l = 0; l < MMSTALL_NR_LOCKS; l++)
		if (a.locks[l].count && (lock == MMSTALL_NR_LOCKS ||
		    a.locks[l].total_ns > a.locks[lock].total_ns))
			lock = l;
	lockpart[0] = '\0';
	if (lock < MMSTALL_NR_LOCKS)
		snprintf(lockpart, sizeof(lockpart), "; %s of it on %s",
			 fmt_ns(t[2], sizeof(t[2]), a.locks[lock].total_ns),
			 lock_name(lock));
	sitepart[0] = '\0';
	agg_sort_sites(&a);
	if (a.nr_sites)
		snprintf(sitepart, sizeof(sitepart),
			 "; most in %s (%llu %s, %s)",
			 text_escape(esc, sizeof(esc),
				     site_name(snap, a.sites[0].site, site,
					       sizeof(site))),
			 (unsigned long long)a.sites[0].count,
			 plural(a.sites[0].count, "wait", "waits"),
			 fmt_ns(t[3], sizeof(t[3]), a.sites[0].total_ns));
	add(s, "rwsem waits: process %s (pid %u): %zu %s waited %s in %llu %s (max %s)%s%s.",
	    text_escape(name, sizeof(name), t0->rec.process), t0->rec.tgid,
	    threads, plural(threads, "thread", "threads"),
	    fmt_ns(t[0], sizeof(t[0]), a.total_ns),
	    (unsigned long long)a.count, plural(a.count, "wait", "waits"),
	    fmt_ns(t[1], sizeof(t[1]), a.max_ns), lockpart, sitepart);
	agg_free(&a);
	if (lock == MMSTALL_NR_LOCKS)
		return;

	/* The holder that blocked waiters of that lock longest. */
	n = rec_refs(snap, REC_HOLDERS, &refs);
	for (i = 0; i < n; i++) {
		h = refs[i].rec;
		if (h->lock != lock || !h->blocked_waiters)
			continue;
		add(s, "%s holder that blocked waiters longest: %s (pid %u, process %s), %llu %s behind it, %s in total.",
		    lock_name(lock),
		    text_escape(comm, sizeof(comm), refs[i].task->rec.comm),
		    refs[i].task->rec.pid,
		    text_escape(name, sizeof(name),
				refs[i].task->rec.process),
		    (unsigned long long)h->blocked_waiters,
		    plural(h->blocked_waiters, "wait", "waits"),
		    fmt_ns(t[0], sizeof(t[0]), h->blocked_ns));
		break;
	}
	free(refs);
}

static void slab_line(struct summary *s, const struct snap *snap)
{
	char name[COMM_ESC], t[3][32], site[32];
	char esc[4 * MMSTALL_NAME_LEN + 1], cache[4 * MMSTALL_NAME_LEN + 64];
	const struct snap_task *t0;
	struct stall_agg a;
	size_t threads;
	struct run r;

	if (!top_run(snap, SLAB_MASK, &r))
		return;
	t0 = leader(snap, &r);
	threads = run_agg(snap, &r, SLAB_MASK, &a);
	cache[0] = '\0';
	agg_sort_sites(&a);
	if (a.nr_sites)
		snprintf(cache, sizeof(cache), "; most for cache %s (%llu, %s)",
			 text_escape(esc, sizeof(esc),
				     site_name(snap, a.sites[0].site, site,
					       sizeof(site))),
			 (unsigned long long)a.sites[0].count,
			 fmt_ns(t[2], sizeof(t[2]), a.sites[0].total_ns));
	add(s, "slab refills: process %s (pid %u): %zu %s waited %s in %llu slowpath %s (max %s)%s.",
	    text_escape(name, sizeof(name), t0->rec.process), t0->rec.tgid,
	    threads, plural(threads, "thread", "threads"),
	    fmt_ns(t[0], sizeof(t[0]), a.total_ns),
	    (unsigned long long)a.count, plural(a.count, "refill", "refills"),
	    fmt_ns(t[1], sizeof(t[1]), a.max_ns), cache);
	agg_free(&a);
}

static void reclaim_line(struct summary *s, const struct snap *snap)
{
	char name[COMM_ESC], t[3][32], classes[256], what[64];
	unsigned int c, nr_classes = 0, only = 0;
	const struct snap_task *t0;
	struct stall_agg a, ca;
	size_t threads, o = 0;
	struct run r;

	if (!top_run(snap, RECLAIM_MASK, &r))
		return;
	t0 = leader(snap, &r);
	threads = run_agg(snap, &r, RECLAIM_MASK, &a);
	classes[0] = '\0';
	for (c = 0; c < MMSTALL_NR_CLASSES; c++) {
		if (!(RECLAIM_MASK & CLASS_BIT(c)))
			continue;
		run_agg(snap, &r, CLASS_BIT(c), &ca);
		if (ca.count) {
			nr_classes++;
			only = c;
		}
		if (ca.count && o < sizeof(classes))
			o += snprintf(classes + o, sizeof(classes) - o,
				      "%s%s %s in %llu", o ? ", " : ": ",
				      class_name(c),
				      fmt_ns(t[2], sizeof(t[2]), ca.total_ns),
				      (unsigned long long)ca.count);
		agg_free(&ca);
	}
	/* one class: name it in the sentence, no breakdown */
	snprintf(what, sizeof(what), "%s%s",
		 nr_classes == 1 ? class_name(only) : "",
		 nr_classes == 1 ? " " : "");
	if (nr_classes == 1)
		classes[0] = '\0';
	add(s, "reclaim and compaction: process %s (pid %u): %zu %s stalled %s in %llu %s%s (max %s)%s.",
	    text_escape(name, sizeof(name), t0->rec.process), t0->rec.tgid,
	    threads, plural(threads, "thread", "threads"),
	    fmt_ns(t[0], sizeof(t[0]), a.total_ns),
	    (unsigned long long)a.count, what,
	    plural(a.count, "stall", "stalls"),
	    fmt_ns(t[1], sizeof(t[1]), a.max_ns), classes);
	agg_free(&a);
}

static void mm_calls_line(struct summary *s, const struct snap *snap)
{
	struct mmstall_mm_calls_rec sum, best;
	char name[COMM_ESC], calls[192], rate[64], mode[64], lenpart[128];
	const struct snap_task *t0 = NULL;
	__u64 total, best_total = 0, mode_count = 0;
	unsigned int c, b, mb = 0;
	size_t i, o = 0;
	double per_sec;
	struct run r;
	char *dash;

	memset(&best, 0, sizeof(best));
	for (r.first = 0; r.first < snap->nr_tasks; r.first = r.last) {
		r.last = run_end(snap, r.first);
		memset(&sum, 0, sizeof(sum));
		for (i = r.first; i < r.last; i++)
			if (snap->tasks[i].mm_calls >= 0)
				mm_calls_add(&sum, &snap->mm_calls[
						   snap->tasks[i].mm_calls]);
		total = mm_calls_total(&sum);
		if (total > best_total) {
			best_total = total;
			best = sum;
			t0 = leader(snap, &r);
		}
	}
	if (!t0)
		return;
	for (c = 0; c < MMSTALL_NR_CALLS; c++)
		if (best.calls[c] && o < sizeof(calls))
			o += snprintf(calls + o, sizeof(calls) - o, "%s%s %llu",
				      o ? ", " : "", call_name(c),
				      (unsigned long long)best.calls[c]);
	rate[0] = '\0';
	if (snap->hdr.window_ns >= 1000000) {
		per_sec = best_total * 1e9 / snap->hdr.window_ns;
		snprintf(rate, sizeof(rate), per_sec < 10 ? "%.1f/s; " :
			 "%.0f/s; ", per_sec);
	}
	for (b = 1; b < MMSTALL_BYTES_BUCKETS; b++)
		if (best.bytes_hist[b] > best.bytes_hist[mb])
			mb = b;
	mode_count = best.bytes_hist[mb];
	lenpart[0] = '\0';
	fmt_len_mode(mode, sizeof(mode), &best);
	dash = strchr(mode, '-');
	if (mode_count && dash) {	/* "64K-128K": [64K, 128K) */
		*dash = '\0';
		snprintf(lenpart, sizeof(lenpart),
			 ", a length in [%s, %s) for %llu of them", mode,
			 dash + 1, (unsigned long long)mode_count);
	} else if (mode_count) {
		snprintf(lenpart, sizeof(lenpart),
			 ", a length of %s for %llu of them", mode,
			 (unsigned long long)mode_count);
	}
	add(s, "mmap-family calls: process %s (pid %u) made the most: %llu (%s%s)%s.",
	    text_escape(name, sizeof(name), t0->rec.process), t0->rec.tgid,
	    (unsigned long long)best_total, rate, calls, lenpart);
}

static void slabinfo_line(struct summary *s, const struct snap *snap)
{
	__u64 reads, ns, max, best_reads = 0, best_ns = 0, best_max = 0;
	__u64 other_reads = 0;
	const struct mmstall_slabinfo_reader_rec *rd;
	const struct snap_task *t0 = NULL;
	char name[COMM_ESC], t[2][32], others[96];
	size_t i, nr_readers = 0;
	struct run r;

	for (r.first = 0; r.first < snap->nr_tasks; r.first = r.last) {
		r.last = run_end(snap, r.first);
		reads = ns = max = 0;
		for (i = r.first; i < r.last; i++) {
			if (snap->tasks[i].slabinfo < 0)
				continue;
			rd = &snap->slabinfo_readers[snap->tasks[i].slabinfo];
			reads += rd->reads;
			ns += rd->total_ns;
			if (rd->max_ns > max)
				max = rd->max_ns;
		}
		if (!reads)
			continue;
		nr_readers++;
		other_reads += reads;
		if (reads > best_reads ||
		    (reads == best_reads && ns > best_ns)) {
			best_reads = reads;
			best_ns = ns;
			best_max = max;
			t0 = leader(snap, &r);
		}
	}
	if (!t0)
		return;
	other_reads -= best_reads;
	others[0] = '\0';
	if (nr_readers > 1)
		snprintf(others, sizeof(others),
			 "; %zu other %s read it %llu %s", nr_readers - 1,
			 plural(nr_readers - 1, "process", "processes"),
			 (unsigned long long)other_reads,
			 plural(other_reads, "time", "times"));
	add(s, "/proc/slabinfo: read %llu %s by process %s (pid %u), %s in total (max %s)%s.",
	    (unsigned long long)best_reads, plural(best_reads, "time", "times"),
	    text_escape(name, sizeof(name), t0->rec.process), t0->rec.tgid,
	    fmt_ns(t[0], sizeof(t[0]), best_ns),
	    fmt_ns(t[1], sizeof(t[1]), best_max), others);
}

static void lost_line(struct summary *s, const struct snap *snap)
{
	const struct mmstall_lost *l = &snap->hdr.lost;
	struct lost_counter c[NR_LOST_COUNTERS];
	char buf[256];
	size_t i, o = 0;

	lost_counters(snap, c);
	for (i = 0; i < NR_LOST_COUNTERS; i++)
		if (c[i].v && o < sizeof(buf))
			o += snprintf(buf + o, sizeof(buf) - o, "%s%s %llu",
				      o ? ", " : "", c[i].name,
				      (unsigned long long)c[i].v);
	if (!o)
		return;
	add(s, "lost: %s%s.", buf,
	    l->task_slots || l->stat_blocks || l->kretprobe_missed ?
	    ": the counts above are lower bounds" : "");
}

/* Stall classes and features whose probes are all unattached. */
static void probes_line(struct summary *s, const struct snap *snap)
{
	char buf[256];
	size_t i, k, o = 0;
	bool seen, attached, all_off;
	__u32 cls;

	for (i = 0; i < snap->nr_probes; i++) {
		cls = snap->probes[i].class;
		seen = false;
		for (k = 0; k < i; k++)
			if (snap->probes[k].class == cls)
				seen = true;
		if (seen)
			continue;
		attached = false;
		all_off = true;
		for (k = i; k < snap->nr_probes; k++) {
			if (snap->probes[k].class != cls)
				continue;
			if (snap->probes[k].state == MMSTALL_STATE_ATTACHED)
				attached = true;
			if (snap->probes[k].state != MMSTALL_STATE_OFF)
				all_off = false;
		}
		if (!attached && o < sizeof(buf))
			o += snprintf(buf + o, sizeof(buf) - o, "%s%s%s",
				      o ? ", " : "", class_name(cls),
				      all_off ? " (off)" : "");
	}
	if (o)
		add(s, "no attached probe, so nothing recorded whatever happened: %s.",
		    buf);
}

/* What tracing cost, where the module measured it. */
static void cost_line(struct summary *s, const struct snap *snap)
{
	char t[32];
	__u64 ns;

	if (!snap->costs)
		return;
	ns = cost_snapshot_ns(snap);
	add(s, "tracing cost: %s in mmstall's handlers (%.3f%% of one CPU over the window).",
	    fmt_ns(t, sizeof(t), ns),
	    snap->hdr.window_ns ? 100.0 * ns / snap->hdr.window_ns : 0.0);
}

void summary_build(struct summary *s, const struct snap *snap)
{
	char t[32];

	memset(s, 0, sizeof(*s));
	rwsem_lines(s, snap);
	slab_line(s, snap);
	reclaim_line(s, snap);
	mm_calls_line(s, snap);
	slabinfo_line(s, snap);
	if (!s->nr)
		add(s, "nothing recorded in the %s window: no stalls, no mmap-family calls, no /proc/slabinfo reads.",
		    fmt_ns(t, sizeof(t), snap->hdr.window_ns));
	lost_line(s, snap);
	probes_line(s, snap);
	cost_line(s, snap);
}

void print_report_summary(FILE *out, const struct snap *snap)
{
	struct summary s;
	char t[32];
	size_t i;

	summary_build(&s, snap);
	fprintf(out, "SUMMARY (%s window)\n",
		fmt_ns(t, sizeof(t), snap->hdr.window_ns));
	for (i = 0; i < s.nr; i++)
		fprintf(out, "  %s\n", s.line[i]);
	fputc('\n', out);
}

void json_report_summary(struct json *j, const struct snap *snap)
{
	struct summary s;
	size_t i;

	summary_build(&s, snap);
	json_array_begin(j);
	for (i = 0; i < s.nr; i++)
		json_string(j, s.line[i]);
	json_array_end(j);
}
