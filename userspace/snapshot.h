/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding and validation of the binary snapshot.  Pure functions on a
 * buffer: no I/O, so the unit tests can feed any bytes.
 */
#ifndef MMSTALL_SNAPSHOT_H
#define MMSTALL_SNAPSHOT_H

#include <stddef.h>
#include "../uapi/mmstall.h"

struct mm_context;

/* Decode results; each has its own exit code (see errors.h). */
enum snap_err {
	SNAP_OK = 0,
	SNAP_ETRUNC,		/* fewer bytes than the snapshot says */
	SNAP_EMAGIC,		/* not an mmstall snapshot */
	SNAP_EABI,		/* another ABI version or histogram layout */
	SNAP_ECORRUPT,		/* inconsistent content */
	SNAP_ENOMEM,
};

/*
 * A task and the records it owns: indexes into the arrays of struct
 * snap, -1 for none.
 */
struct snap_task {
	struct mmstall_task_rec rec;
	int stat[MMSTALL_NR_CLASSES];		/* stats */
	int reclaim[MMSTALL_NR_CLASSES];	/* reclaims */
	int holder[MMSTALL_NR_LOCKS];		/* holders */
	int mm_calls;				/* mm_calls */
	int slabinfo;				/* slabinfo_readers */
};

/* Benign effects of copying live tables, repaired by the decoder. */
struct snap_fixups {
	__u64 unpublished_tasks;	/* slot claimed, record not filled */
	__u64 orphan_stats;		/* stats of a task not copied */
	__u64 merged_stats;		/* two records, one task and class */
	/*
	 * The same for the other per-task records (mm calls, holders,
	 * slabinfo readers, reclaim details); reclaim details of a task
	 * and class without a stat record count as orphans too.
	 */
	__u64 orphan_records;
	__u64 merged_records;
};

/*
 * The decoded snapshot.  Every record is copied into a struct of the size
 * this reader knows, strings are NUL-terminated and ids are in range.
 * Tasks are sorted by (tgid, pid, slot), names by id, gfp names by mask,
 * slab caches by total time (largest first); notes have unique keys.
 * An array is NULL if its section was absent, non-NULL (maybe with no
 * records) if present.  Per-task records are reached through struct
 * snap_task; their order in the arrays means nothing.
 */
struct snap {
	struct mmstall_snap_header hdr;
	struct mmstall_probe_rec *probes;
	size_t nr_probes;
	struct mmstall_name_rec *names;
	size_t nr_names;
	struct snap_task *tasks;
	size_t nr_tasks;
	struct mmstall_stat_rec *stats;
	size_t nr_stats;
	struct mmstall_note_rec *notes;
	size_t nr_notes;
	struct mmstall_mm_calls_rec *mm_calls;
	size_t nr_mm_calls;
	struct mmstall_holder_rec *holders;
	size_t nr_holders;
	struct mmstall_slabinfo_reader_rec *slabinfo_readers;
	size_t nr_slabinfo_readers;
	struct mmstall_slab_cache_rec *slab_caches;
	size_t nr_slab_caches;
	struct mmstall_reclaim_rec *reclaims;
	size_t nr_reclaims;
	struct mmstall_gfp_name_rec *gfp_names;
	size_t nr_gfp_names;
	struct mmstall_vmstat_rec *vmstats;
	size_t nr_vmstats;
	struct mmstall_cost_rec *costs;
	size_t nr_costs;
	/* Read by the caller, not decoded: see context.h.  NULL: none. */
	const struct mm_context *context;
	struct snap_fixups fixups;
};

/*
 * Decode @len bytes at @buf into @snap.  On error, @snap is left empty
 * and a one-line message is written to @err.
 */
enum snap_err snap_decode(const void *buf, size_t len, struct snap *snap,
			  char *err, size_t errlen);
void snap_free(struct snap *snap);

/* The name of dynamic site @id, or NULL if the snapshot has none. */
const char *snap_dynamic_name(const struct snap *snap, __u32 id);

/* The kernel's name of gfp mask @gfp, or NULL if the snapshot has none. */
const char *snap_gfp_name(const struct snap *snap, __u32 gfp);

#endif /* MMSTALL_SNAPSHOT_H */
