// SPDX-License-Identifier: GPL-2.0
/*
 * Tie the decoded records of a snapshot together.
 *
 * The module copies its tables while tasks keep running, so a snapshot
 * may catch a task slot claimed but not yet filled (all zero: skipped), a
 * per-task record of a task claimed after the task table was copied
 * (dropped), or two records for one task and key (merged, as the module
 * would have counted them).  Each is counted in struct snap_fixups.
 * Anything else inconsistent is an error.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot_int.h"

#define fail	snap_fail

static int cmp_name(const void *a, const void *b)
{
	const struct mmstall_name_rec *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_gfp_name(const void *a, const void *b)
{
	const struct mmstall_gfp_name_rec *x = a, *y = b;

	return (x->gfp > y->gfp) - (x->gfp < y->gfp);
}

static int cmp_slab_cache(const void *a, const void *b)
{
	const struct mmstall_slab_cache_rec *x = a, *y = b;

	if (x->total_ns != y->total_ns)
		return x->total_ns > y->total_ns ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->cache, y->cache);
}

static int cmp_task_slot(const void *a, const void *b)
{
	const struct snap_task *x = a, *y = b;

	return (x->rec.slot > y->rec.slot) - (x->rec.slot < y->rec.slot);
}

static int cmp_task_pid(const void *a, const void *b)
{
	const struct snap_task *x = a, *y = b;

	if (x->rec.tgid != y->rec.tgid)
		return x->rec.tgid < y->rec.tgid ? -1 : 1;
	if (x->rec.pid != y->rec.pid)
		return x->rec.pid < y->rec.pid ? -1 : 1;
	return cmp_task_slot(a, b);
}

static void max_into(__u64 *dst, __u64 v)
{
	if (v > *dst)
		*dst = v;
}

/* Add the site counts of @src to @dst, as the module would have. */
static void merge_site(struct mmstall_stat_rec *dst,
		       const struct mmstall_site_count *src)
{
	struct mmstall_site_count *sc = dst->sites;
	unsigned int i;

	for (i = 0; i < MMSTALL_SITES_PER_STAT - 1; i++) {
		if (sc[i].site == src->site)
			break;
		if (sc[i].site == MMSTALL_SITE_NONE) {
			sc[i].site = src->site;
			break;
		}
	}
	if (i == MMSTALL_SITES_PER_STAT - 1)
		sc[i].site = MMSTALL_SITE_MORE;
	sc[i].count += src->count;
	sc[i].total_ns += src->total_ns;
}

static void merge_stat(void *d, const void *s)
{
	struct mmstall_stat_rec *dst = d;
	const struct mmstall_stat_rec *src = s;
	unsigned int i;

	dst->count += src->count;
	dst->total_ns += src->total_ns;
	max_into(&dst->max_ns, src->max_ns);
	for (i = 0; i < MMSTALL_NR_LOCKS; i++) {
		dst->locks[i].count += src->locks[i].count;
		dst->locks[i].total_ns += src->locks[i].total_ns;
	}
	for (i = 0; i < MMSTALL_SITES_PER_STAT; i++)
		if (src->sites[i].site != MMSTALL_SITE_NONE)
			merge_site(dst, &src->sites[i]);
	for (i = 0; i < MMSTALL_HIST_BUCKETS; i++)
		dst->hist[i] += src->hist[i];
}

static void merge_mm_calls(void *d, const void *s)
{
	struct mmstall_mm_calls_rec *dst = d;
	const struct mmstall_mm_calls_rec *src = s;
	unsigned int i;

	for (i = 0; i < MMSTALL_NR_CALLS; i++)
		dst->calls[i] += src->calls[i];
	dst->write_holds += src->write_holds;
	dst->write_hold_ns += src->write_hold_ns;
	max_into(&dst->write_hold_max_ns, src->write_hold_max_ns);
	for (i = 0; i < MMSTALL_BYTES_BUCKETS; i++)
		dst->bytes_hist[i] += src->bytes_hist[i];
}

static void merge_holder(void *d, const void *s)
{
	struct mmstall_holder_rec *dst = d;
	const struct mmstall_holder_rec *src = s;

	dst->blocked_waiters += src->blocked_waiters;
	dst->blocked_ns += src->blocked_ns;
	max_into(&dst->max_blocked_ns, src->max_blocked_ns);
}

static void merge_slabinfo(void *d, const void *s)
{
	struct mmstall_slabinfo_reader_rec *dst = d;
	const struct mmstall_slabinfo_reader_rec *src = s;

	dst->reads += src->reads;
	dst->total_ns += src->total_ns;
	max_into(&dst->max_ns, src->max_ns);
}

/* A gfp mask that finds no entry in @dst is left out: a lower bound. */
static void merge_gfp(struct mmstall_reclaim_rec *dst,
		      const struct mmstall_gfp_count *src)
{
	struct mmstall_gfp_count *g = dst->gfp;
	unsigned int i;

	for (i = 0; i < MMSTALL_GFP_PER_REC; i++) {
		if (g[i].count && g[i].gfp == src->gfp) {
			g[i].count += src->count;
			return;
		}
	}
	for (i = 0; i < MMSTALL_GFP_PER_REC; i++) {
		if (!g[i].count) {
			g[i] = *src;
			return;
		}
	}
}

static void merge_reclaim(void *d, const void *s)
{
	struct mmstall_reclaim_rec *dst = d;
	const struct mmstall_reclaim_rec *src = s;
	unsigned int i;

	for (i = 0; i < MMSTALL_ORDERS; i++)
		dst->order_count[i] += src->order_count[i];
	dst->nr_reclaimed += src->nr_reclaimed;
	for (i = 0; i < MMSTALL_GFP_PER_REC; i++)
		if (src->gfp[i].count)
			merge_gfp(dst, &src->gfp[i]);
	if (!dst->memcg[0])
		memcpy(dst->memcg, src->memcg, sizeof(dst->memcg));
}

/* Where task @t keeps the index of record @rec; NULL: an orphan. */
static int *index_stat(struct snap_task *t, const void *rec)
{
	return &t->stat[((const struct mmstall_stat_rec *)rec)->class];
}

static int *index_mm_calls(struct snap_task *t, const void *rec)
{
	(void)rec;
	return &t->mm_calls;
}

static int *index_holder(struct snap_task *t, const void *rec)
{
	return &t->holder[((const struct mmstall_holder_rec *)rec)->lock];
}

static int *index_slabinfo(struct snap_task *t, const void *rec)
{
	(void)rec;
	return &t->slabinfo;
}

/* Reclaim details belong to a stall: without one, nothing shows them. */
static int *index_reclaim(struct snap_task *t, const void *rec)
{
	unsigned int c = ((const struct mmstall_reclaim_rec *)rec)->class;

	return t->stat[c] >= 0 ? &t->reclaim[c] : NULL;
}

/* Records that name a task slot in their first field, __u32 task. */
struct task_link {
	const char *name;
	size_t array;		/* offsetof(struct snap, array) */
	size_t count;		/* offsetof(struct snap, nr_array) */
	size_t elem_size;
	size_t orphans;		/* offsetof(struct snap_fixups, counter) */
	size_t merged;
	int *(*index)(struct snap_task *t, const void *rec);
	void (*merge)(void *dst, const void *src);
};

#define LINK(n, arr, cnt, orph, mrg, idx, mrgf) {			\
	.name = (n), .array = offsetof(struct snap, arr),		\
	.count = offsetof(struct snap, cnt),				\
	.elem_size = sizeof(*((struct snap *)NULL)->arr),		\
	.orphans = offsetof(struct snap_fixups, orph),			\
	.merged = offsetof(struct snap_fixups, mrg),			\
	.index = (idx), .merge = (mrgf) }

_Static_assert(offsetof(struct mmstall_stat_rec, task) == 0, "task first");
_Static_assert(offsetof(struct mmstall_mm_calls_rec, task) == 0,
	       "task first");
_Static_assert(offsetof(struct mmstall_holder_rec, task) == 0,
	       "task first");
_Static_assert(offsetof(struct mmstall_slabinfo_reader_rec, task) == 0,
	       "task first");
_Static_assert(offsetof(struct mmstall_reclaim_rec, task) == 0,
	       "task first");

/* In this order: reclaim details need the stats linked. */
static const struct task_link task_links[] = {
	LINK("stat", stats, nr_stats, orphan_stats, merged_stats,
	     index_stat, merge_stat),
	LINK("mm_calls record", mm_calls, nr_mm_calls, orphan_records,
	     merged_records, index_mm_calls, merge_mm_calls),
	LINK("holder", holders, nr_holders, orphan_records, merged_records,
	     index_holder, merge_holder),
	LINK("slabinfo reader", slabinfo_readers, nr_slabinfo_readers,
	     orphan_records, merged_records, index_slabinfo, merge_slabinfo),
	LINK("reclaim record", reclaims, nr_reclaims, orphan_records,
	     merged_records, index_reclaim, merge_reclaim),
};

/* Tasks are sorted by slot here. */
static enum snap_err link_task_records(struct snap *s,
				       const struct task_link *l,
				       char *err, size_t n)
{
	unsigned char *base = *(unsigned char **)((char *)s + l->array);
	size_t *count = (size_t *)((char *)s + l->count);
	__u64 *orphans = (__u64 *)((char *)&s->fixups + l->orphans);
	__u64 *merged = (__u64 *)((char *)&s->fixups + l->merged);
	struct snap_task key, *t;
	unsigned char *rec;
	size_t i, w;
	__u32 slot;
	int *idx;

	for (i = 0, w = 0; i < *count; i++) {
		rec = base + i * l->elem_size;
		memcpy(&slot, rec, sizeof(slot));
		if (slot >= s->hdr.max_tasks)
			return fail(err, n, SNAP_ECORRUPT,
				    "corrupt snapshot: %s %zu refers to task slot %u of %u",
				    l->name, i, slot, s->hdr.max_tasks);
		key.rec.slot = slot;
		t = s->nr_tasks ? bsearch(&key, s->tasks, s->nr_tasks,
					  sizeof(*s->tasks), cmp_task_slot) :
				  NULL;
		idx = t ? l->index(t, rec) : NULL;
		if (!idx) {
			(*orphans)++;
			continue;
		}
		if (*idx >= 0) {
			l->merge(base + (size_t)*idx * l->elem_size, rec);
			(*merged)++;
			continue;
		}
		if (w != i)
			memcpy(base + w * l->elem_size, rec, l->elem_size);
		*idx = (int)w++;
	}
	*count = w;
	return SNAP_OK;
}

static enum snap_err link_tasks(struct snap *s, char *err, size_t n)
{
	size_t i, w;

	for (i = 0, w = 0; i < s->nr_tasks; i++) {
		if (!s->tasks[i].rec.pid && !s->tasks[i].rec.tgid) {
			s->fixups.unpublished_tasks++;
			continue;
		}
		s->tasks[w++] = s->tasks[i];
	}
	s->nr_tasks = w;
	if (s->nr_tasks)
		qsort(s->tasks, s->nr_tasks, sizeof(*s->tasks),
		      cmp_task_slot);
	for (i = 0; i < s->nr_tasks; i++) {
		if (s->tasks[i].rec.slot >= s->hdr.max_tasks)
			return fail(err, n, SNAP_ECORRUPT,
				    "corrupt snapshot: task slot %u of %u",
				    s->tasks[i].rec.slot, s->hdr.max_tasks);
		if (i && s->tasks[i].rec.slot == s->tasks[i - 1].rec.slot)
			return fail(err, n, SNAP_ECORRUPT,
				    "corrupt snapshot: task slot %u twice",
				    s->tasks[i].rec.slot);
	}
	return SNAP_OK;
}

struct note_ref {
	const struct mmstall_note_rec *rec;
	size_t pos;
};

static int cmp_note_key(const void *a, const void *b)
{
	const struct note_ref *x = a, *y = b;
	int c = strcmp(x->rec->key, y->rec->key);

	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static int cmp_note_pos(const void *a, const void *b)
{
	const struct note_ref *x = a, *y = b;

	return (x->pos > y->pos) - (x->pos < y->pos);
}

/*
 * A later note with the same key replaces the earlier, as in the module;
 * notes stay in the order their keys first came.  Sorted, not compared
 * pairwise: a crafted file of millions of notes must not hang us.
 */
static enum snap_err unique_notes(struct snap *s, char *err, size_t n)
{
	struct mmstall_note_rec *out;
	struct note_ref *refs;
	size_t i, j, w = 0;

	if (s->nr_notes < 2)
		return SNAP_OK;
	refs = calloc(s->nr_notes, sizeof(*refs));
	out = calloc(s->nr_notes, sizeof(*out));
	if (!refs || !out) {
		free(refs);
		free(out);
		return fail(err, n, SNAP_ENOMEM, "out of memory");
	}
	for (i = 0; i < s->nr_notes; i++) {
		refs[i].rec = &s->notes[i];
		refs[i].pos = i;
	}
	qsort(refs, s->nr_notes, sizeof(*refs), cmp_note_key);
	/* each key: where it first came, and its last record */
	for (i = 0; i < s->nr_notes; i = j) {
		for (j = i + 1; j < s->nr_notes; j++)
			if (strcmp(refs[j].rec->key, refs[i].rec->key))
				break;
		refs[w].pos = refs[i].pos;
		refs[w++].rec = refs[j - 1].rec;
	}
	qsort(refs, w, sizeof(*refs), cmp_note_pos);
	for (i = 0; i < w; i++)
		out[i] = *refs[i].rec;
	free(refs);
	free(s->notes);
	s->notes = out;
	s->nr_notes = w;
	return SNAP_OK;
}

static enum snap_err sort_lookups(struct snap *s, char *err, size_t n)
{
	size_t i;

	if (s->nr_names)
		qsort(s->names, s->nr_names, sizeof(*s->names), cmp_name);
	for (i = 1; i < s->nr_names; i++)
		if (s->names[i].id == s->names[i - 1].id)
			return fail(err, n, SNAP_ECORRUPT,
				    "corrupt snapshot: site id %u named twice",
				    s->names[i].id);
	if (s->nr_gfp_names)
		qsort(s->gfp_names, s->nr_gfp_names, sizeof(*s->gfp_names),
		      cmp_gfp_name);
	for (i = 1; i < s->nr_gfp_names; i++)
		if (s->gfp_names[i].gfp == s->gfp_names[i - 1].gfp)
			return fail(err, n, SNAP_ECORRUPT,
				    "corrupt snapshot: gfp mask %#x named twice",
				    s->gfp_names[i].gfp);
	return SNAP_OK;
}

enum snap_err snap_link(struct snap *s, char *err, size_t n)
{
	enum snap_err ret;
	size_t i;

	ret = sort_lookups(s, err, n);
	if (!ret)
		ret = link_tasks(s, err, n);
	for (i = 0; !ret && i < ARRAY_SIZE(task_links); i++)
		ret = link_task_records(s, &task_links[i], err, n);
	if (!ret)
		ret = unique_notes(s, err, n);
	if (ret)
		return ret;
	if (s->nr_slab_caches)
		qsort(s->slab_caches, s->nr_slab_caches,
		      sizeof(*s->slab_caches), cmp_slab_cache);
	if (s->nr_tasks)
		qsort(s->tasks, s->nr_tasks, sizeof(*s->tasks), cmp_task_pid);
	return SNAP_OK;
}

const char *snap_dynamic_name(const struct snap *snap, __u32 id)
{
	struct mmstall_name_rec key = { .id = id }, *r;

	if (!snap->nr_names)
		return NULL;
	r = bsearch(&key, snap->names, snap->nr_names, sizeof(*snap->names),
		    cmp_name);
	return r ? r->name : NULL;
}

const char *snap_gfp_name(const struct snap *snap, __u32 gfp)
{
	struct mmstall_gfp_name_rec key = { .gfp = gfp }, *r;

	if (!snap->nr_gfp_names)
		return NULL;
	r = bsearch(&key, snap->gfp_names, snap->nr_gfp_names,
		    sizeof(*snap->gfp_names), cmp_gfp_name);
	return r ? r->name : NULL;
}
