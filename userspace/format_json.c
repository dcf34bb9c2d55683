// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON report: the contract in DESIGN.md.  Keys may be added, never
 * renamed or dropped.  Each top-level key after the header is written by
 * one function in json_sections[]; a new section decoder adds a line.
 */
#include "context.h"
#include "cost.h"
#include "format.h"
#include "format_mm.h"
#include "json.h"
#include "names.h"
#include "stats.h"
#include "summary.h"

static void json_kernel(struct json *j, const struct snap *snap)
{
	json_object_begin(j);
	json_kv_string(j, "release", snap->hdr.release);
	json_kv_string(j, "slab", snap->hdr.slab);
	json_kv_string(j, "preempt", snap->hdr.preempt);
	json_object_end(j);
}

static void json_window(struct json *j, const struct snap *snap)
{
	json_object_begin(j);
	json_key(j, "seconds");
	json_fixed(j, snap->hdr.window_ns / 1e9, 3);
	json_kv_u64(j, "ns", snap->hdr.window_ns);
	json_object_end(j);
}

static void json_slots(struct json *j, const struct snap *snap)
{
	json_object_begin(j);
	json_kv_u64(j, "tasks_used", snap->hdr.used_tasks);
	json_kv_u64(j, "tasks_max", snap->hdr.max_tasks);
	json_kv_u64(j, "stats_used", snap->hdr.used_stats);
	json_kv_u64(j, "stats_max", snap->hdr.max_stats);
	json_object_end(j);
}

static void json_probes(struct json *j, const struct snap *snap)
{
	size_t i;

	json_array_begin(j);
	for (i = 0; i < snap->nr_probes; i++) {
		const struct mmstall_probe_rec *p = &snap->probes[i];

		json_object_begin(j);
		json_kv_string(j, "class", class_name(p->class));
		json_kv_string(j, "target", p->target);
		json_kv_string(j, "kind", kind_name(p->kind));
		json_kv_string(j, "state", state_name(p->state));
		json_kv_u64(j, "hits", p->hits);
		json_kv_u64(j, "missed", p->missed);
		json_kv_s64(j, "error", p->error);
		json_object_end(j);
	}
	json_array_end(j);
}

static void json_lost(struct json *j, const struct snap *snap)
{
	const struct mmstall_lost *l = &snap->hdr.lost;

	json_object_begin(j);
	json_kv_u64(j, "task_slots", l->task_slots);
	json_kv_u64(j, "kretprobe_missed", l->kretprobe_missed);
	json_kv_u64(j, "events", l->events);
	json_kv_u64(j, "stat_blocks", l->stat_blocks);
	json_kv_u64(j, "names", l->names);
	json_object_end(j);
}

static void json_hist(struct json *j, const struct stall_agg *a)
{
	unsigned int b;

	json_array_begin(j);
	for (b = 0; b < MMSTALL_HIST_BUCKETS; b++) {
		if (!a->hist[b])
			continue;
		json_object_begin_flat(j);
		json_kv_u64(j, "le_ns", hist_le_ns(b, a->max_ns));
		json_kv_u64(j, "count", a->hist[b]);
		json_object_end(j);
	}
	json_array_end(j);
}

/* @rc: the reclaim details of this stall, or NULL. */
static void json_stall(struct json *j, const struct snap *snap,
		       unsigned int class, struct stall_agg *a,
		       const struct mmstall_reclaim_rec *rc)
{
	unsigned int l;
	char buf[32];
	size_t i;

	json_object_begin(j);
	json_kv_string(j, "class", class_name(class));
	json_kv_u64(j, "count", a->count);
	json_kv_u64(j, "total_ns", a->total_ns);
	json_kv_u64(j, "max_ns", a->max_ns);
	json_kv_u64(j, "p50_ns", hist_percentile(a->hist, a->max_ns, P50));
	json_kv_u64(j, "p99_ns", hist_percentile(a->hist, a->max_ns, P99));
	json_key(j, "hist");
	json_hist(j, a);

	agg_sort_sites(a);
	json_key(j, "by_site");
	json_array_begin(j);
	for (i = 0; i < a->nr_sites; i++) {
		json_object_begin_flat(j);
		json_kv_string(j, "site", site_name(snap, a->sites[i].site,
						    buf, sizeof(buf)));
		json_kv_u64(j, "count", a->sites[i].count);
		json_kv_u64(j, "total_ns", a->sites[i].total_ns);
		json_object_end(j);
	}
	json_array_end(j);

	json_key(j, "by_lock");
	json_array_begin(j);
	for (l = 0; l < MMSTALL_NR_LOCKS; l++) {
		if (!a->locks[l].count)
			continue;
		json_object_begin_flat(j);
		json_kv_string(j, "lock", lock_name(l));
		json_kv_u64(j, "count", a->locks[l].count);
		json_kv_u64(j, "total_ns", a->locks[l].total_ns);
		json_object_end(j);
	}
	json_array_end(j);
	if (rc)
		json_reclaim_keys(j, snap, rc);
	json_object_end(j);
}

static void json_tasks(struct json *j, const struct snap *snap)
{
	struct stall_agg a;
	unsigned int c;
	size_t i;

	json_array_begin(j);
	for (i = 0; i < snap->nr_tasks; i++) {
		const struct snap_task *t = &snap->tasks[i];

		json_object_begin(j);
		json_kv_u64(j, "pid", t->rec.pid);
		json_kv_u64(j, "tgid", t->rec.tgid);
		json_kv_string(j, "comm", t->rec.comm);
		json_kv_string(j, "process", t->rec.process);
		json_key(j, "stalls");
		json_array_begin(j);
		for (c = 0; c < MMSTALL_NR_CLASSES; c++) {
			if (t->stat[c] < 0)
				continue;
			agg_init(&a);
			agg_add(&a, &snap->stats[t->stat[c]]);
			json_stall(j, snap, c, &a, t->reclaim[c] < 0 ? NULL :
				   &snap->reclaims[t->reclaim[c]]);
			agg_free(&a);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
}

static void json_fixups(struct json *j, const struct snap *snap)
{
	json_object_begin(j);
	json_kv_u64(j, "unpublished_tasks", snap->fixups.unpublished_tasks);
	json_kv_u64(j, "orphan_stats", snap->fixups.orphan_stats);
	json_kv_u64(j, "merged_stats", snap->fixups.merged_stats);
	json_kv_u64(j, "orphan_records", snap->fixups.orphan_records);
	json_kv_u64(j, "merged_records", snap->fixups.merged_records);
	json_object_end(j);
}

static const struct {
	const char *key;
	void (*emit)(struct json *j, const struct snap *snap);
} json_sections[] = {
	{ "summary", json_report_summary },
	{ "kernel", json_kernel },
	{ "window", json_window },
	{ "slots", json_slots },
	{ "probes", json_probes },
	{ "cost", json_costs },
	{ "lost", json_lost },
	{ "notes", json_notes },
	{ "tasks", json_tasks },
	{ "slab_caches", json_slab_caches },
	{ "slabinfo_readers", json_slabinfo_readers },
	{ "mm_calls", json_mm_calls },
	{ "holders", json_holders },
	{ "context", json_context },
	{ "snapshot_fixups", json_fixups },
};

void report_json(FILE *out, const struct snap *snap)
{
	struct json j;
	size_t i;

	json_init(&j, out, true);
	json_object_begin(&j);
	json_kv_string(&j, "tool", "mmstall");
	json_kv_string(&j, "version", snap->hdr.version);
	json_kv_string(&j, "reader_version", MMSTALL_VERSION);
	json_kv_u64(&j, "abi", snap->hdr.abi);
	json_kv_u64(&j, "stack_threshold_ns", snap->hdr.stack_threshold_ns);
	for (i = 0; i < sizeof(json_sections) / sizeof(json_sections[0]);
	     i++) {
		json_key(&j, json_sections[i].key);
		json_sections[i].emit(&j, snap);
	}
	json_object_end(&j);
	json_finish(&j);
}
