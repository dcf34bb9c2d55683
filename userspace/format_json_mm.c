// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON report's sections beyond the stall classes (see DESIGN.md).
 * A section the snapshot lacks is written empty: its key is always there.
 */
#include <stdlib.h>

#include "format_mm.h"
#include "names.h"
#include "stats.h"

void json_notes(struct json *j, const struct snap *snap)
{
	size_t i;

	json_object_begin(j);
	for (i = 0; i < snap->nr_notes; i++)
		json_kv_string(j, snap->notes[i].key, snap->notes[i].value);
	json_object_end(j);
}

static void json_task_id(struct json *j, const struct snap_task *t)
{
	json_kv_u64(j, "pid", t->rec.pid);
	json_kv_u64(j, "tgid", t->rec.tgid);
	json_kv_string(j, "comm", t->rec.comm);
	json_kv_string(j, "process", t->rec.process);
}

static void json_bytes_hist(struct json *j,
			    const struct mmstall_mm_calls_rec *r)
{
	unsigned int b;

	json_array_begin(j);
	for (b = 0; b < MMSTALL_BYTES_BUCKETS; b++) {
		if (!r->bytes_hist[b])
			continue;
		json_object_begin_flat(j);
		json_kv_u64(j, "le_bytes", bytes_le(b));
		json_kv_u64(j, "count", r->bytes_hist[b]);
		json_object_end(j);
	}
	json_array_end(j);
}

void json_mm_calls(struct json *j, const struct snap *snap)
{
	const struct mmstall_mm_calls_rec *r;
	struct rec_ref *refs;
	unsigned int c;
	size_t i, n;

	n = rec_refs(snap, REC_MM_CALLS, &refs);
	json_array_begin(j);
	for (i = 0; i < n; i++) {
		r = refs[i].rec;
		json_object_begin(j);
		json_task_id(j, refs[i].task);
		json_key(j, "calls");
		json_object_begin_flat(j);
		for (c = 0; c < MMSTALL_NR_CALLS; c++)
			json_kv_u64(j, call_name(c), r->calls[c]);
		json_object_end(j);
		json_key(j, "bytes_hist");
		json_bytes_hist(j, r);
		json_kv_u64(j, "write_hold_ns", r->write_hold_ns);
		json_kv_u64(j, "write_holds", r->write_holds);
		json_kv_u64(j, "write_hold_max_ns", r->write_hold_max_ns);
		json_object_end(j);
	}
	json_array_end(j);
	free(refs);
}

void json_holders(struct json *j, const struct snap *snap)
{
	const struct mmstall_holder_rec *r;
	struct rec_ref *refs;
	size_t i, n;

	n = rec_refs(snap, REC_HOLDERS, &refs);
	json_array_begin(j);
	for (i = 0; i < n; i++) {
		r = refs[i].rec;
		json_object_begin(j);
		json_task_id(j, refs[i].task);
		json_kv_string(j, "lock", lock_name(r->lock));
		json_kv_u64(j, "blocked_waiters", r->blocked_waiters);
		json_kv_u64(j, "blocked_ns", r->blocked_ns);
		json_kv_u64(j, "max_blocked_ns", r->max_blocked_ns);
		json_object_end(j);
	}
	json_array_end(j);
	free(refs);
}

void json_slabinfo_readers(struct json *j, const struct snap *snap)
{
	const struct mmstall_slabinfo_reader_rec *r;
	struct rec_ref *refs;
	size_t i, n;

	n = rec_refs(snap, REC_SLABINFO, &refs);
	json_array_begin(j);
	for (i = 0; i < n; i++) {
		r = refs[i].rec;
		json_object_begin(j);
		json_task_id(j, refs[i].task);
		json_kv_u64(j, "reads", r->reads);
		json_kv_u64(j, "total_ns", r->total_ns);
		json_kv_u64(j, "max_ns", r->max_ns);
		json_object_end(j);
	}
	json_array_end(j);
	free(refs);
}

void json_slab_caches(struct json *j, const struct snap *snap)
{
	const struct mmstall_slab_cache_rec *r;
	size_t i;

	json_array_begin(j);
	for (i = 0; i < snap->nr_slab_caches; i++) {
		r = &snap->slab_caches[i];
		json_object_begin(j);
		json_kv_string(j, "cache", r->cache);
		json_kv_u64(j, "count", r->count);
		json_kv_u64(j, "total_ns", r->total_ns);
		json_kv_u64(j, "max_ns", r->max_ns);
		json_object_end(j);
	}
	json_array_end(j);
}

void json_reclaim_keys(struct json *j, const struct snap *snap,
		       const struct mmstall_reclaim_rec *r)
{
	unsigned int i;
	char buf[16];

	json_key(j, "orders");
	json_array_begin(j);
	for (i = 0; i < MMSTALL_ORDERS; i++) {
		if (!r->order_count[i])
			continue;
		json_object_begin_flat(j);
		json_kv_u64(j, "order", i);
		json_kv_u64(j, "count", r->order_count[i]);
		json_object_end(j);
	}
	json_array_end(j);
	json_key(j, "gfp");
	json_array_begin(j);
	for (i = 0; i < MMSTALL_GFP_PER_REC; i++) {
		if (!r->gfp[i].count)
			continue;
		json_object_begin_flat(j);
		json_kv_string(j, "flags", gfp_name(snap, r->gfp[i].gfp, buf,
						    sizeof(buf)));
		json_kv_u64(j, "mask", r->gfp[i].gfp);
		json_kv_u64(j, "count", r->gfp[i].count);
		json_object_end(j);
	}
	json_array_end(j);
	json_kv_u64(j, "nr_reclaimed", r->nr_reclaimed);
	if (r->memcg[0])
		json_kv_string(j, "memcg", r->memcg);
}
