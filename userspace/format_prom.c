// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text exposition format (0.0.4), as node_exporter's
 * textfile collector reads it: HELP and TYPE lines, no timestamps.
 *
 * Cardinality is bounded: per-process families keep the top N processes
 * (by process name, so the workers of a pool are one series) and sum the
 * rest as process="other".  Each family ranks by its own value: stall
 * time for the histograms, calls for mm calls, and so on.
 */
#include <stdlib.h>
#include <string.h>

#include "cost.h"
#include "format.h"
#include "json.h"
#include "names.h"
#include "stats.h"

#define OTHER		"other"
/* Bucket bounds: 2^8 ns (256 ns) to 2^36 ns (68.7 s), every 4x. */
#define LE_MIN_SHIFT	8
#define LE_MAX_SHIFT	36
#define LE_STEP		2

void prom_label_value(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n;

	for (; *p; p++) {
		if (*p == '\\') {
			fputs("\\\\", out);
		} else if (*p == '"') {
			fputs("\\\"", out);
		} else if (*p == '\n') {
			fputs("\\n", out);
		} else if (*p < 0x20 || *p == 0x7f) {
			/* the text \xNN: the format has no escape for it */
			fprintf(out, "\\\\x%02x", *p);
		} else if (*p < 0x80) {
			fputc(*p, out);
		} else {
			n = utf8_len(p);
			if (n) {
				fwrite(p, 1, n, out);
				p += n - 1;
			} else {	/* not UTF-8 */
				fprintf(out, "\\\\x%02x", *p);
			}
		}
	}
}

/* @ns as seconds, exactly: "0.000000256", "68.719476736", "3". */
static void put_seconds(FILE *out, __u64 ns)
{
	char frac[16];
	int i;

	if (!(ns % 1000000000ULL)) {
		fprintf(out, "%llu", (unsigned long long)(ns / 1000000000ULL));
		return;
	}
	snprintf(frac, sizeof(frac), "%09llu",
		 (unsigned long long)(ns % 1000000000ULL));
	for (i = 8; i > 0 && frac[i] == '0'; i--)
		frac[i] = '\0';
	fprintf(out, "%llu.%s", (unsigned long long)(ns / 1000000000ULL),
		frac);
}

static void family(FILE *out, const char *name, const char *type,
		   const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* --- processes, ranked per family ----------------------------------- */

struct pgroup {
	const char *name;
	__u64 key;
	int slot;		/* output series, -1 for none */
};

struct pgroups {
	struct pgroup *g;
	size_t nr;
	int *task_slot;		/* per task: its group's slot, or -1 */
	size_t nr_slots;
	const char **slot_name;	/* NULL: a slot left empty */
};

/* What a family counts for a task; false if the task has none of it. */
typedef bool (*task_key_fn)(const struct snap *snap,
			    const struct snap_task *t, __u64 *key);

static int cmp_group(const void *x, const void *y)
{
	const struct pgroup *const *a = x, *const *b = y;

	if ((*a)->key != (*b)->key)
		return (*a)->key > (*b)->key ? -1 : 1;
	return strcmp((*a)->name, (*b)->name);
}

static void groups_free(struct pgroups *pg)
{
	free(pg->g);
	free(pg->task_slot);
	free(pg->slot_name);
	memset(pg, 0, sizeof(*pg));
}

/*
 * Group the tasks @fn counts by process name; the @top largest keep
 * their name, the rest become OTHER (@top 0: no limit).  Returns 0, or
 * -1 if out of memory.
 */
static int groups_build(struct pgroups *pg, const struct snap *snap,
			task_key_fn fn, unsigned long top)
{
	struct pgroup **order = NULL;
	int *task_group;
	size_t i, k, other;
	__u64 key;

	memset(pg, 0, sizeof(*pg));
	pg->g = calloc(snap->nr_tasks + 1, sizeof(*pg->g));
	pg->task_slot = calloc(snap->nr_tasks + 1, sizeof(*pg->task_slot));
	task_group = calloc(snap->nr_tasks + 1, sizeof(*task_group));
	order = calloc(snap->nr_tasks + 1, sizeof(*order));
	pg->slot_name = calloc(snap->nr_tasks + 2, sizeof(*pg->slot_name));
	if (!pg->g || !pg->task_slot || !task_group || !order ||
	    !pg->slot_name)
		goto err_free;
	for (i = 0; i < snap->nr_tasks; i++) {
		task_group[i] = -1;
		if (!fn(snap, &snap->tasks[i], &key))
			continue;
		for (k = 0; k < pg->nr; k++)
			if (!strcmp(pg->g[k].name, snap->tasks[i].rec.process))
				break;
		if (k == pg->nr) {
			pg->g[k].name = snap->tasks[i].rec.process;
			pg->nr++;
		}
		pg->g[k].key += key;
		task_group[i] = k;
	}
	for (k = 0; k < pg->nr; k++)
		order[k] = &pg->g[k];
	if (pg->nr)
		qsort(order, pg->nr, sizeof(*order), cmp_group);
	other = top && pg->nr > top ? top : pg->nr;
	for (k = 0; k < pg->nr; k++) {
		/* a process called "other" among the top joins the rest */
		if (k >= other ||
		    (other < pg->nr && !strcmp(order[k]->name, OTHER))) {
			order[k]->slot = other;
		} else {
			order[k]->slot = k;
			pg->slot_name[k] = order[k]->name;
		}
	}
	pg->nr_slots = other;
	if (other < pg->nr) {
		pg->slot_name[other] = OTHER;
		pg->nr_slots++;
	}
	for (i = 0; i < snap->nr_tasks; i++)
		pg->task_slot[i] = task_group[i] < 0 ? -1 :
				   pg->g[task_group[i]].slot;
	free(order);
	free(task_group);
	return 0;

err_free:
	free(order);
	free(task_group);
	groups_free(pg);
	return -1;
}

/* --- the families --------------------------------------------------- */

struct phist {
	__u64 count;
	__u64 total_ns;
	__u64 hist[MMSTALL_HIST_BUCKETS];
};

static bool stall_key(const struct snap *snap, const struct snap_task *t,
		      __u64 *key)
{
	unsigned int c;
	bool any = false;

	*key = 0;
	for (c = 0; c < MMSTALL_NR_CLASSES; c++) {
		if (t->stat[c] < 0)
			continue;
		*key += snap->stats[t->stat[c]].total_ns;
		any = true;
	}
	return any;
}

static void series_labels(FILE *out, unsigned int class, const char *proc)
{
	fprintf(out, "{class=\"%s\",process=\"", class_name(class));
	prom_label_value(out, proc);
	fputc('"', out);
}

static void put_hist(FILE *out, unsigned int class, const char *proc,
		     const struct phist *h)
{
	__u64 cum = 0, total = 0;
	unsigned int b = 0, k;

	for (k = 0; k < MMSTALL_HIST_BUCKETS; k++)
		total += h->hist[k];
	for (k = LE_MIN_SHIFT; k <= LE_MAX_SHIFT; k += LE_STEP) {
		/* the buckets that end at or below 2^k ns */
		for (; b < MMSTALL_HIST_BUCKETS - 1 &&
		       mmstall_hist_low(b + 1) <= (1ULL << k); b++)
			cum += h->hist[b];
		fputs("mmstall_stall_seconds_bucket", out);
		series_labels(out, class, proc);
		fputs(",le=\"", out);
		put_seconds(out, 1ULL << k);
		fprintf(out, "\"} %llu\n", (unsigned long long)cum);
	}
	fputs("mmstall_stall_seconds_bucket", out);
	series_labels(out, class, proc);
	fprintf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)total);
	fputs("mmstall_stall_seconds_sum", out);
	series_labels(out, class, proc);
	fputs("} ", out);
	put_seconds(out, h->total_ns);
	fputs("\nmmstall_stall_seconds_count", out);
	series_labels(out, class, proc);
	fprintf(out, "} %llu\n", (unsigned long long)total);
}

static int prom_stalls(FILE *out, const struct snap *snap,
		       unsigned long top)
{
	const struct mmstall_stat_rec *st;
	struct pgroups pg;
	struct phist *h, *hs;
	unsigned int c, b;
	size_t i, s;
	int slot;

	if (groups_build(&pg, snap, stall_key, top))
		return -1;
	hs = calloc(pg.nr_slots * MMSTALL_NR_CLASSES + 1, sizeof(*hs));
	if (!hs) {
		groups_free(&pg);
		return -1;
	}
	for (i = 0; i < snap->nr_tasks; i++) {
		slot = pg.task_slot[i];
		for (c = 0; slot >= 0 && c < MMSTALL_NR_CLASSES; c++) {
			if (snap->tasks[i].stat[c] < 0)
				continue;
			st = &snap->stats[snap->tasks[i].stat[c]];
			h = &hs[slot * MMSTALL_NR_CLASSES + c];
			h->count += st->count;
			h->total_ns += st->total_ns;
			for (b = 0; b < MMSTALL_HIST_BUCKETS; b++)
				h->hist[b] += st->hist[b];
		}
	}
	family(out, "mmstall_stall_seconds", "histogram",
	       "Time tasks waited in each stall class, threads summed per process name (the top N by stall time; the rest as process=\"other\"). Bucket bounds are powers of two nanoseconds.");
	for (s = 0; s < pg.nr_slots; s++) {
		for (c = 0; pg.slot_name[s] && c < MMSTALL_NR_CLASSES; c++) {
			h = &hs[s * MMSTALL_NR_CLASSES + c];
			if (h->count)
				put_hist(out, c, pg.slot_name[s], h);
		}
	}
	free(hs);
	groups_free(&pg);
	return 0;
}

static bool slabinfo_key(const struct snap *snap, const struct snap_task *t,
			 __u64 *key)
{
	if (t->slabinfo < 0)
		return false;
	*key = snap->slabinfo_readers[t->slabinfo].total_ns;
	return true;
}

static bool mm_key(const struct snap *snap, const struct snap_task *t,
		   __u64 *key)
{
	if (t->mm_calls < 0)
		return false;
	*key = mm_calls_total(&snap->mm_calls[t->mm_calls]);
	return true;
}

static bool holder_key(const struct snap *snap, const struct snap_task *t,
		       __u64 *key)
{
	unsigned int l;
	bool any = false;

	*key = 0;
	for (l = 0; l < MMSTALL_NR_LOCKS; l++) {
		if (t->holder[l] < 0)
			continue;
		*key += snap->holders[t->holder[l]].blocked_ns;
		any = true;
	}
	return any;
}

static void proc_label(FILE *out, const char *name, const char *proc)
{
	fprintf(out, "%s{process=\"", name);
	prom_label_value(out, proc);
	fputs("\"} ", out);
}

static int prom_slabinfo(FILE *out, const struct snap *snap,
			 unsigned long top)
{
	const struct mmstall_slabinfo_reader_rec *r;
	__u64 *reads, *ns;
	struct pgroups pg;
	size_t i, s;

	if (groups_build(&pg, snap, slabinfo_key, top))
		return -1;
	reads = calloc(pg.nr_slots + 1, sizeof(*reads));
	ns = calloc(pg.nr_slots + 1, sizeof(*ns));
	if (!reads || !ns)
		goto out;
	for (i = 0; i < snap->nr_tasks; i++) {
		if (pg.task_slot[i] < 0)
			continue;
		r = &snap->slabinfo_readers[snap->tasks[i].slabinfo];
		reads[pg.task_slot[i]] += r->reads;
		ns[pg.task_slot[i]] += r->total_ns;
	}
	family(out, "mmstall_slabinfo_reads_total", "counter",
	       "Walks of /proc/slabinfo (open and read to the end), per process name.");
	for (s = 0; s < pg.nr_slots; s++) {
		if (!pg.slot_name[s])
			continue;
		proc_label(out, "mmstall_slabinfo_reads_total",
			   pg.slot_name[s]);
		fprintf(out, "%llu\n", (unsigned long long)reads[s]);
	}
	family(out, "mmstall_slabinfo_read_seconds_total", "counter",
	       "Time spent walking /proc/slabinfo, per process name.");
	for (s = 0; s < pg.nr_slots; s++) {
		if (!pg.slot_name[s])
			continue;
		proc_label(out, "mmstall_slabinfo_read_seconds_total",
			   pg.slot_name[s]);
		put_seconds(out, ns[s]);
		fputc('\n', out);
	}
out:
	free(reads);
	free(ns);
	groups_free(&pg);
	return reads && ns ? 0 : -1;
}

static int prom_mm_calls(FILE *out, const struct snap *snap,
			 unsigned long top)
{
	struct mmstall_mm_calls_rec *sum;
	struct pgroups pg;
	unsigned int c;
	size_t i, s;

	if (groups_build(&pg, snap, mm_key, top))
		return -1;
	sum = calloc(pg.nr_slots + 1, sizeof(*sum));
	if (!sum) {
		groups_free(&pg);
		return -1;
	}
	for (i = 0; i < snap->nr_tasks; i++)
		if (pg.task_slot[i] >= 0)
			mm_calls_add(&sum[pg.task_slot[i]],
				     &snap->mm_calls[snap->tasks[i].mm_calls]);
	family(out, "mmstall_mm_calls_total", "counter",
	       "mmap-family system calls, per process name and call.");
	for (s = 0; s < pg.nr_slots; s++) {
		for (c = 0; pg.slot_name[s] && c < MMSTALL_NR_CALLS; c++) {
			fputs("mmstall_mm_calls_total{process=\"", out);
			prom_label_value(out, pg.slot_name[s]);
			fprintf(out, "\",call=\"%s\"} %llu\n", call_name(c),
				(unsigned long long)sum[s].calls[c]);
		}
	}
	free(sum);
	groups_free(&pg);
	return 0;
}

static int prom_holders(FILE *out, const struct snap *snap,
			unsigned long top)
{
	struct pgroups pg;
	__u64 *ns, key;
	size_t i, s;

	if (groups_build(&pg, snap, holder_key, top))
		return -1;
	ns = calloc(pg.nr_slots + 1, sizeof(*ns));
	if (!ns) {
		groups_free(&pg);
		return -1;
	}
	for (i = 0; i < snap->nr_tasks; i++)
		if (pg.task_slot[i] >= 0 &&
		    holder_key(snap, &snap->tasks[i], &key))
			ns[pg.task_slot[i]] += key;
	family(out, "mmstall_holder_blocked_seconds_total", "counter",
	       "Time others waited for a lock while a thread of this process held it for write.");
	for (s = 0; s < pg.nr_slots; s++) {
		if (!pg.slot_name[s])
			continue;
		proc_label(out, "mmstall_holder_blocked_seconds_total",
			   pg.slot_name[s]);
		put_seconds(out, ns[s]);
		fputc('\n', out);
	}
	free(ns);
	groups_free(&pg);
	return 0;
}

static void prom_lost(FILE *out, const struct snap *snap)
{
	struct lost_counter c[NR_LOST_COUNTERS];
	size_t i;

	lost_counters(snap, c);
	family(out, "mmstall_lost_total", "counter",
	       "What the module could not record: non-zero means the counts are lower bounds.");
	for (i = 0; i < NR_LOST_COUNTERS; i++)
		fprintf(out, "mmstall_lost_total{what=\"%s\"} %llu\n", c[i].name,
			(unsigned long long)c[i].v);
}

static void prom_probes(FILE *out, const struct snap *snap)
{
	const struct mmstall_probe_rec *p, *q;
	bool dup, attached;
	size_t i, k;

	family(out, "mmstall_probe_attached", "gauge",
	       "1 if the probe of this stall class or feature on this target is attached, else 0 (missing, failed or off).");
	for (i = 0; i < snap->nr_probes; i++) {
		p = &snap->probes[i];
		dup = false;
		for (k = 0; k < i && !dup; k++)
			dup = snap->probes[k].class == p->class &&
			      !strcmp(snap->probes[k].target, p->target);
		if (dup)
			continue;
		attached = false;
		for (k = i; k < snap->nr_probes; k++) {
			q = &snap->probes[k];
			if (q->class == p->class &&
			    !strcmp(q->target, p->target) &&
			    q->state == MMSTALL_STATE_ATTACHED)
				attached = true;
		}
		fprintf(out, "mmstall_probe_attached{class=\"%s\",target=\"",
			class_name(p->class));
		prom_label_value(out, p->target);
		fprintf(out, "\"} %d\n", attached);
	}
}

/* The module's own handler time, per class (the COSTS section). */
static void prom_costs(FILE *out, const struct snap *snap)
{
	size_t i;

	if (!snap->costs)
		return;
	family(out, "mmstall_handler_calls_total", "counter",
	       "Calls of mmstall's probe handlers per stall class or feature, events or not.");
	for (i = 0; i < snap->nr_costs; i++)
		fprintf(out, "mmstall_handler_calls_total{class=\"%s\"} %llu\n",
			class_name(snap->costs[i].class),
			(unsigned long long)snap->costs[i].calls);
	family(out, "mmstall_handler_seconds_total", "counter",
	       "Time in mmstall's probe handlers per class, estimated from sampled calls; the kernel's dispatch to a probe is not included.");
	for (i = 0; i < snap->nr_costs; i++) {
		fprintf(out, "mmstall_handler_seconds_total{class=\"%s\"} ",
			class_name(snap->costs[i].class));
		put_seconds(out, cost_total_ns(&snap->costs[i]));
		fputc('\n', out);
	}
}

static void prom_header(FILE *out, const struct snap *snap)
{
	family(out, "mmstall_up", "gauge",
	       "1 if the last read of the mmstall snapshot succeeded, else 0.");
	fputs("mmstall_up 1\n", out);
	family(out, "mmstall_info", "gauge",
	       "The module and reader versions and the kernel, as labels.");
	fputs("mmstall_info{version=\"", out);
	prom_label_value(out, snap->hdr.version);
	fputs("\",reader_version=\"" MMSTALL_VERSION "\",release=\"", out);
	prom_label_value(out, snap->hdr.release);
	fputs("\",slab=\"", out);
	prom_label_value(out, snap->hdr.slab);
	fputs("\",preempt=\"", out);
	prom_label_value(out, snap->hdr.preempt);
	fputs("\"} 1\n", out);
	family(out, "mmstall_window_seconds", "gauge",
	       "Seconds since the module was loaded or reset: what the counters cover.");
	fputs("mmstall_window_seconds ", out);
	put_seconds(out, snap->hdr.window_ns);
	fputc('\n', out);
}

int report_prometheus(FILE *out, const struct snap *snap, unsigned long top)
{
	prom_header(out, snap);
	if (prom_stalls(out, snap, top) || prom_slabinfo(out, snap, top) ||
	    prom_mm_calls(out, snap, top) || prom_holders(out, snap, top))
		return -1;
	prom_lost(out, snap);
	prom_probes(out, snap);
	prom_costs(out, snap);
	return 0;
}

void prometheus_down(FILE *out)
{
	family(out, "mmstall_up", "gauge",
	       "1 if the last read of the mmstall snapshot succeeded, else 0.");
	fputs("mmstall_up 0\n", out);
}
