// SPDX-License-Identifier: GPL-2.0
/*
 * Decode and validate the binary snapshot read from debugfs or a file.
 *
 * Nothing in the buffer is trusted: every size, offset, count and id is
 * checked before use, and records are copied out (the buffer need not be
 * aligned).  A record larger than the struct this reader knows is accepted
 * and its known prefix read; a smaller one is an error.  Sections of an
 * unknown type are skipped.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"
#include "snapshot_int.h"

#define fail	snap_fail

enum snap_err snap_fail(char *err, size_t errlen, enum snap_err code,
			const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* A string of the snapshot: terminated, and no kernel address in it. */
static void clean_string(char *s, size_t size)
{
	s[size - 1] = '\0';
	redact_kernel_addresses(s);
}

#define TERMINATE(field)	clean_string((field), sizeof(field))

static bool site_in_range(__u32 site)
{
	return site < MMSTALL_NR_FIXED_SITES || site >= MMSTALL_SITE_DYNAMIC;
}

static enum snap_err check_probe(void *p, size_t i, char *err, size_t n)
{
	struct mmstall_probe_rec *r = p;

	TERMINATE(r->target);
	if (r->class >= MMSTALL_NR_CLASSES &&
	    (r->class < MMSTALL_FEATURE_BASE ||
	     r->class >= MMSTALL_FEATURE_END))
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: probe %zu has class %u", i,
			    r->class);
	if (r->kind < MMSTALL_KIND_KPROBE || r->kind >= MMSTALL_KIND_END)
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: probe %zu has kind %u", i,
			    r->kind);
	if (r->state < MMSTALL_STATE_ATTACHED ||
	    r->state > MMSTALL_STATE_OFF)
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: probe %zu has state %u", i,
			    r->state);
	return SNAP_OK;
}

static enum snap_err check_name(void *p, size_t i, char *err, size_t n)
{
	struct mmstall_name_rec *r = p;

	TERMINATE(r->name);
	if (r->id < MMSTALL_SITE_DYNAMIC)
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: name %zu has fixed site id %u",
			    i, r->id);
	return SNAP_OK;
}

static enum snap_err check_task(void *p, size_t i, char *err, size_t n)
{
	struct snap_task *t = p;
	unsigned int c;

	(void)i;
	(void)err;
	(void)n;
	TERMINATE(t->rec.comm);
	TERMINATE(t->rec.process);
	for (c = 0; c < MMSTALL_NR_CLASSES; c++) {
		t->stat[c] = -1;
		t->reclaim[c] = -1;
	}
	for (c = 0; c < MMSTALL_NR_LOCKS; c++)
		t->holder[c] = -1;
	t->mm_calls = -1;
	t->slabinfo = -1;
	return SNAP_OK;
}

static enum snap_err check_stat(void *p, size_t i, char *err, size_t n)
{
	struct mmstall_stat_rec *r = p;
	unsigned int k;

	if (r->class >= MMSTALL_NR_CLASSES)
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: stat %zu has class %u", i,
			    r->class);
	for (k = 0; k < MMSTALL_SITES_PER_STAT; k++) {
		if (!site_in_range(r->sites[k].site))
			return fail(err, n, SNAP_ECORRUPT,
				    "corrupt snapshot: stat %zu has site id %u",
				    i, r->sites[k].site);
	}
	return SNAP_OK;
}

static enum snap_err check_note(void *p, size_t i, char *err, size_t n)
{
	struct mmstall_note_rec *r = p;

	(void)i;
	(void)err;
	(void)n;
	TERMINATE(r->key);
	TERMINATE(r->value);
	return SNAP_OK;
}

/* Records whose task slot is checked when linked, and nothing else. */
static enum snap_err check_nothing(void *p, size_t i, char *err, size_t n)
{
	(void)p;
	(void)i;
	(void)err;
	(void)n;
	return SNAP_OK;
}

static enum snap_err check_holder(void *p, size_t i, char *err, size_t n)
{
	struct mmstall_holder_rec *r = p;

	if (r->lock >= MMSTALL_NR_LOCKS)
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: holder %zu has lock %u", i,
			    r->lock);
	return SNAP_OK;
}

static enum snap_err check_slab_cache(void *p, size_t i, char *err,
				      size_t n)
{
	struct mmstall_slab_cache_rec *r = p;

	(void)i;
	(void)err;
	(void)n;
	TERMINATE(r->cache);
	return SNAP_OK;
}

static enum snap_err check_reclaim(void *p, size_t i, char *err, size_t n)
{
	struct mmstall_reclaim_rec *r = p;

	TERMINATE(r->memcg);
	if (r->class >= MMSTALL_NR_CLASSES)
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: reclaim record %zu has class %u",
			    i, r->class);
	return SNAP_OK;
}

static enum snap_err check_gfp_name(void *p, size_t i, char *err, size_t n)
{
	struct mmstall_gfp_name_rec *r = p;

	(void)i;
	(void)err;
	(void)n;
	TERMINATE(r->name);
	return SNAP_OK;
}

static enum snap_err check_vmstat(void *p, size_t i, char *err, size_t n)
{
	struct mmstall_vmstat_rec *r = p;

	(void)i;
	(void)err;
	(void)n;
	TERMINATE(r->name);
	return SNAP_OK;
}

static enum snap_err check_cost(void *p, size_t i, char *err, size_t n)
{
	struct mmstall_cost_rec *r = p;

	if (r->class >= MMSTALL_NR_CLASSES &&
	    (r->class < MMSTALL_FEATURE_BASE ||
	     r->class >= MMSTALL_FEATURE_END))
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: cost %zu has class %u", i,
			    r->class);
	/* counters read one after the other: a few timed calls may be new */
	if (r->sampled > r->calls)
		r->calls = r->sampled;
	return SNAP_OK;
}

/*
 * The sections this reader decodes.  Adding one: a record struct in the
 * uapi header, an array in struct snap, a check function and a line here.
 */
struct sec_desc {
	__u32 type;
	const char *name;
	size_t rec_size;	/* of the record this reader knows */
	size_t elem_size;	/* of the element in struct snap's array */
	size_t rec_offset;	/* of the record inside the element */
	size_t array;		/* offsetof(struct snap, array) */
	size_t count;		/* offsetof(struct snap, nr_array) */
	enum snap_err (*check)(void *elem, size_t i, char *err, size_t n);
};

#define SEC(t, n, rec, elem, roff, arr, cnt, chk) {			\
	.type = (t), .name = (n), .rec_size = sizeof(rec),		\
	.elem_size = sizeof(elem), .rec_offset = (roff),		\
	.array = offsetof(struct snap, arr),				\
	.count = offsetof(struct snap, cnt), .check = (chk) }

static const struct sec_desc sec_descs[] = {
	SEC(MMSTALL_SEC_PROBES, "probes", struct mmstall_probe_rec,
	    struct mmstall_probe_rec, 0, probes, nr_probes, check_probe),
	SEC(MMSTALL_SEC_NAMES, "names", struct mmstall_name_rec,
	    struct mmstall_name_rec, 0, names, nr_names, check_name),
	SEC(MMSTALL_SEC_TASKS, "tasks", struct mmstall_task_rec,
	    struct snap_task, offsetof(struct snap_task, rec), tasks,
	    nr_tasks, check_task),
	SEC(MMSTALL_SEC_STATS, "stats", struct mmstall_stat_rec,
	    struct mmstall_stat_rec, 0, stats, nr_stats, check_stat),
	SEC(MMSTALL_SEC_NOTES, "notes", struct mmstall_note_rec,
	    struct mmstall_note_rec, 0, notes, nr_notes, check_note),
	SEC(MMSTALL_SEC_MM_CALLS, "mm_calls", struct mmstall_mm_calls_rec,
	    struct mmstall_mm_calls_rec, 0, mm_calls, nr_mm_calls,
	    check_nothing),
	SEC(MMSTALL_SEC_HOLDERS, "holders", struct mmstall_holder_rec,
	    struct mmstall_holder_rec, 0, holders, nr_holders, check_holder),
	SEC(MMSTALL_SEC_SLABINFO_READERS, "slabinfo_readers",
	    struct mmstall_slabinfo_reader_rec,
	    struct mmstall_slabinfo_reader_rec, 0, slabinfo_readers,
	    nr_slabinfo_readers, check_nothing),
	SEC(MMSTALL_SEC_SLAB_CACHES, "slab_caches",
	    struct mmstall_slab_cache_rec, struct mmstall_slab_cache_rec, 0,
	    slab_caches, nr_slab_caches, check_slab_cache),
	SEC(MMSTALL_SEC_RECLAIM, "reclaim", struct mmstall_reclaim_rec,
	    struct mmstall_reclaim_rec, 0, reclaims, nr_reclaims,
	    check_reclaim),
	SEC(MMSTALL_SEC_GFP_NAMES, "gfp_names", struct mmstall_gfp_name_rec,
	    struct mmstall_gfp_name_rec, 0, gfp_names, nr_gfp_names,
	    check_gfp_name),
	SEC(MMSTALL_SEC_VMSTAT, "vmstat", struct mmstall_vmstat_rec,
	    struct mmstall_vmstat_rec, 0, vmstats, nr_vmstats, check_vmstat),
	SEC(MMSTALL_SEC_COSTS, "costs", struct mmstall_cost_rec,
	    struct mmstall_cost_rec, 0, costs, nr_costs, check_cost),
};

static const struct sec_desc *find_desc(__u32 type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sec_descs); i++)
		if (sec_descs[i].type == type)
			return &sec_descs[i];
	return NULL;
}

static enum snap_err decode_section(const unsigned char *buf,
				    const struct mmstall_snap_section *sec,
				    const struct sec_desc *d, struct snap *snap,
				    char *err, size_t n)
{
	void **array = (void **)((char *)snap + d->array);
	size_t *count = (size_t *)((char *)snap + d->count);
	unsigned char *elems;
	enum snap_err ret;
	size_t i;

	if (*array)
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: two %s sections", d->name);
	if (sec->rec_size < d->rec_size)
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: %s records of %u bytes, at least %zu expected",
			    d->name, sec->rec_size, d->rec_size);
	/* Never malloc(0): an empty section still marks the type as seen. */
	elems = calloc(sec->count ? sec->count : 1, d->elem_size);
	if (!elems)
		return fail(err, n, SNAP_ENOMEM, "out of memory");
	*array = elems;
	*count = sec->count;
	for (i = 0; i < sec->count; i++) {
		unsigned char *elem = elems + i * d->elem_size;

		memcpy(elem + d->rec_offset,
		       buf + sec->offset + (__u64)i * sec->rec_size,
		       d->rec_size);
		ret = d->check(elem, i, err, n);
		if (ret)
			return ret;
	}
	return SNAP_OK;
}

static enum snap_err check_header(const unsigned char *buf, size_t len,
				  struct mmstall_snap_header *h,
				  char *err, size_t n)
{
	__u64 magic, table;
	__u32 abi;

	if (len < sizeof(magic))
		return fail(err, n, SNAP_ETRUNC,
			    "truncated snapshot: %zu bytes, no header", len);
	memcpy(&magic, buf, sizeof(magic));
	if (magic == __builtin_bswap64(MMSTALL_SNAP_MAGIC))
		return fail(err, n, SNAP_EMAGIC,
			    "not a snapshot of this machine's byte order");
	if (magic != MMSTALL_SNAP_MAGIC)
		return fail(err, n, SNAP_EMAGIC,
			    "not an mmstall snapshot (bad magic)");
	/* The ABI is checked before anything whose layout it may change. */
	if (len < offsetof(struct mmstall_snap_header, abi) + sizeof(abi))
		return fail(err, n, SNAP_ETRUNC,
			    "truncated snapshot: %zu bytes, no header", len);
	memcpy(&abi, buf + offsetof(struct mmstall_snap_header, abi),
	       sizeof(abi));
	if (abi != MMSTALL_ABI_VERSION)
		return fail(err, n, SNAP_EABI,
			    "ABI mismatch: module %u, reader %u", abi,
			    MMSTALL_ABI_VERSION);
	if (len < sizeof(*h))
		return fail(err, n, SNAP_ETRUNC,
			    "truncated snapshot: %zu bytes, header is %zu",
			    len, sizeof(*h));
	memcpy(h, buf, sizeof(*h));
	if (h->total_size > len)
		return fail(err, n, SNAP_ETRUNC,
			    "truncated snapshot: %zu of %llu bytes", len,
			    (unsigned long long)h->total_size);
	if (h->total_size < len)
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: %zu bytes read, header says %llu",
			    len, (unsigned long long)h->total_size);
	if (h->header_size < sizeof(*h) || h->header_size > len)
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: header size %u", h->header_size);
	if (h->section_size < sizeof(struct mmstall_snap_section))
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: section size %u",
			    h->section_size);
	table = (__u64)h->nr_sections * h->section_size;
	if (table > len - h->header_size)
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: %u sections do not fit",
			    h->nr_sections);
	if (h->hist_buckets != MMSTALL_HIST_BUCKETS ||
	    h->hist_sub_bits != MMSTALL_HIST_SUB_BITS ||
	    h->hist_min_shift != MMSTALL_HIST_MIN_SHIFT ||
	    h->hist_max_shift != MMSTALL_HIST_MAX_SHIFT)
		return fail(err, n, SNAP_EABI,
			    "ABI mismatch: module histogram %u buckets (%u/%u/%u), reader %u (%u/%u/%u)",
			    h->hist_buckets, h->hist_sub_bits,
			    h->hist_min_shift, h->hist_max_shift,
			    MMSTALL_HIST_BUCKETS, MMSTALL_HIST_SUB_BITS,
			    MMSTALL_HIST_MIN_SHIFT, MMSTALL_HIST_MAX_SHIFT);
	if (h->used_tasks > h->max_tasks || h->used_stats > h->max_stats)
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: slots used %u/%u, stats %u/%u",
			    h->used_tasks, h->max_tasks, h->used_stats,
			    h->max_stats);
	TERMINATE(h->version);
	TERMINATE(h->release);
	TERMINATE(h->slab);
	TERMINATE(h->preempt);
	return SNAP_OK;
}

static enum snap_err check_bounds(const struct mmstall_snap_section *sec,
				  __u32 i, __u64 table_end, size_t len,
				  char *err, size_t n)
{
	__u64 bytes = (__u64)sec->count * sec->rec_size;

	if (sec->offset > len || bytes > len - sec->offset)
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: section %u (type %u) out of bounds",
			    i, sec->type);
	if (bytes && sec->offset < table_end)
		return fail(err, n, SNAP_ECORRUPT,
			    "corrupt snapshot: section %u (type %u) overlaps the header",
			    i, sec->type);
	return SNAP_OK;
}

enum snap_err snap_decode(const void *data, size_t len, struct snap *snap,
			  char *err, size_t errlen)
{
	const unsigned char *buf = data;
	struct mmstall_snap_section sec;
	const struct sec_desc *d;
	enum snap_err ret;
	__u64 table_end;
	__u32 i;

	memset(snap, 0, sizeof(*snap));
	if (err && errlen)
		err[0] = '\0';
	ret = check_header(buf, len, &snap->hdr, err, errlen);
	if (ret)
		goto err_free;
	table_end = snap->hdr.header_size +
		    (__u64)snap->hdr.nr_sections * snap->hdr.section_size;
	for (i = 0; i < snap->hdr.nr_sections; i++) {
		memcpy(&sec, buf + snap->hdr.header_size +
		       (__u64)i * snap->hdr.section_size, sizeof(sec));
		ret = check_bounds(&sec, i, table_end, len, err, errlen);
		if (ret)
			goto err_free;
		d = find_desc(sec.type);
		if (!d)
			continue;	/* a newer module's section */
		ret = decode_section(buf, &sec, d, snap, err, errlen);
		if (ret)
			goto err_free;
	}
	ret = snap_link(snap, err, errlen);
	if (ret)
		goto err_free;
	return SNAP_OK;

err_free:
	snap_free(snap);
	return ret;
}

void snap_free(struct snap *snap)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sec_descs); i++)
		free(*(void **)((char *)snap + sec_descs[i].array));
	memset(snap, 0, sizeof(*snap));
}
