/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test-only builder of synthetic snapshots, laid out as the module lays
 * them out: header, section table, sections.  Knobs make records, the
 * header and the section table larger than the reader knows, as a newer
 * module would.
 */
#ifndef MMSTALL_SNAPBUILD_H
#define MMSTALL_SNAPBUILD_H

#include <stddef.h>
#include "../../uapi/mmstall.h"

#define SB_MAX_SECTIONS	16

struct sb_section {
	__u32 type;
	__u32 count;
	__u32 rec_size;
	unsigned char *data;
	size_t len;
};

struct sb {
	struct mmstall_snap_header hdr;
	struct sb_section secs[SB_MAX_SECTIONS];
	unsigned int nr_secs;
	unsigned int rec_extra;		/* bytes added to every record */
	unsigned int hdr_extra;		/* bytes added to the header */
	unsigned int sec_extra;		/* bytes added to each table entry */
};

void sb_init(struct sb *b);
void sb_free(struct sb *b);
/* Append @size bytes of @rec (plus rec_extra bytes of 0xee). */
void sb_add(struct sb *b, __u32 type, const void *rec, size_t size);
/* A section of @type with no records (if it has none yet). */
void sb_empty(struct sb *b, __u32 type, size_t size);
void sb_probe(struct sb *b, __u32 class, __u32 kind, __u32 state,
	      __s32 error, __u64 hits, __u64 missed, const char *target);
void sb_name(struct sb *b, __u32 id, const char *name);
void sb_task(struct sb *b, __u32 slot, __u32 pid, __u32 tgid,
	     const char *comm, const char *process);
/* Record one stall of @ns into @st, as the module does. */
void sb_stat_add(struct mmstall_stat_rec *st, __u64 ns, unsigned int lock,
		 __u32 site);
void sb_stat(struct sb *b, const struct mmstall_stat_rec *st);
void sb_note(struct sb *b, const char *key, const char *value);
/* Record @n calls of @call with length argument @len into @r. */
void sb_mm_call(struct mmstall_mm_calls_rec *r, unsigned int call,
		__u64 len, __u32 n);
void sb_holder(struct sb *b, __u32 task, __u32 lock, __u64 waiters,
	       __u64 ns, __u64 max_ns);
void sb_slabinfo(struct sb *b, __u32 task, __u64 reads, __u64 ns,
		 __u64 max_ns);
void sb_slab_cache(struct sb *b, const char *cache, __u64 count, __u64 ns,
		   __u64 max_ns);
void sb_gfp_name(struct sb *b, __u32 gfp, const char *name);
/* The snapshot bytes (malloc'd, exactly *len bytes). */
unsigned char *sb_build(struct sb *b, size_t *len);

/*
 * The reference snapshot used across the tests: 6 probes (3 of them
 * features), 2 dynamic names, 6 tasks in 3 processes, 5 stat records,
 * 2 notes, 3 mm_calls records, 3 holders, 1 slabinfo reader, 2 slab
 * caches, 1 reclaim record, 2 gfp names.  cli_tests.py knows its values.
 */
void sb_sample(struct sb *b);

/*
 * Many processes, for the Prometheus export's cardinality: process i of
 * SB_MANY_PROCS has tgid 1000 + 10 i, one rwsem_write stat of i + 1
 * stalls of (i + 1) * 100 us each (so later processes stalled longer),
 * (i + 1) * 10 mmap calls of 4 KiB; even ones a second thread "worker"
 * with one 1 us rwsem_read wait.  Process SB_MANY_OTHER is named "other",
 * the last one @weird (the largest stall time), the rest "procNN".
 * Processes 3 and 7 read /proc/slabinfo i times; the last one held
 * mmap_lock while 3 waited 5 ms.  No lost counts.
 */
#define SB_MANY_PROCS	14
#define SB_MANY_OTHER	2
void sb_many(struct sb *b, const char *weird);

/*
 * Every string field filled to its end without a NUL, with quotes,
 * backslashes, newlines, terminal escapes, bytes that are not UTF-8 and
 * text that looks like a kernel address (0xffffffff81234567); counts and
 * times of all ones.  For the escaping and redaction checks.
 */
void sb_hostile(struct sb *b);

/*
 * The snapshot called @name: sample, weird, many, mm_edge (see mksnap.c),
 * empty, hostile.  Returns 0, or -1 (and @b untouched) for another name.
 */
int sb_variant(struct sb *b, const char *name);

#endif /* MMSTALL_SNAPBUILD_H */
