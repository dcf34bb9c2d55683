// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding of the sections beyond the stall classes: notes, mm calls,
 * holders, slabinfo readers, slab caches, reclaim details, gfp names, and
 * probe records that name a feature.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "snapbuild.h"
#include "../../userspace/snapshot.h"
#include "../../userspace/stats.h"

/* Build @b (freed), decode an exact-size copy; the sanitizers watch. */
static enum snap_err build_decode(struct sb *b, struct snap *s, char *err)
{
	unsigned char *buf;
	enum snap_err e;
	size_t len;

	buf = sb_build(b, &len);
	sb_free(b);
	e = snap_decode(buf, len, s, err, 256);
	free(buf);
	return e;
}

static const struct snap_task *task(const struct snap *s, __u32 pid)
{
	size_t i;

	for (i = 0; i < s->nr_tasks; i++)
		if (s->tasks[i].rec.pid == pid)
			return &s->tasks[i];
	return NULL;
}

TEST(decode_sample_mm)
{
	const struct mmstall_mm_calls_rec *mc;
	const struct mmstall_reclaim_rec *rc;
	const struct snap_task *t;
	struct snap s;
	struct sb b;
	char err[256];

	sb_sample(&b);
	ASSERT_EQ(build_decode(&b, &s, err), SNAP_OK);
	EXPECT_EQ(s.probes[3].class, MMSTALL_FEATURE_MM_CALLS);
	EXPECT_EQ(s.probes[4].state, MMSTALL_STATE_OFF);
	EXPECT_EQ(s.nr_notes, 2);
	EXPECT_STREQ(s.notes[0].key, "holders");
	EXPECT_STREQ(s.notes[1].value, "off: load with hold_time=1");
	EXPECT_EQ(s.nr_mm_calls, 3);
	EXPECT_EQ(s.nr_holders, 3);
	EXPECT_EQ(s.nr_slabinfo_readers, 1);
	EXPECT_EQ(s.nr_reclaims, 1);
	EXPECT_EQ(s.fixups.orphan_records + s.fixups.merged_records, 0);

	t = task(&s, 300);
	ASSERT_TRUE(t && t->mm_calls >= 0);
	mc = &s.mm_calls[t->mm_calls];
	EXPECT_EQ(mc->calls[MMSTALL_CALL_MMAP], 50000);
	EXPECT_EQ(mc->bytes_hist[17], 100000);
	EXPECT_EQ(mm_calls_total(mc), 100010);
	EXPECT_TRUE(t->holder[MMSTALL_LOCK_MMAP] >= 0);
	EXPECT_EQ(t->holder[MMSTALL_LOCK_OTHER], -1);
	EXPECT_EQ(s.holders[t->holder[MMSTALL_LOCK_MMAP]].blocked_waiters,
		  40);
	EXPECT_EQ(t->slabinfo, -1);

	t = task(&s, 100);
	ASSERT_TRUE(t);
	EXPECT_EQ(t->mm_calls, -1);
	EXPECT_TRUE(t->holder[MMSTALL_LOCK_OTHER] >= 0);
	ASSERT_TRUE(t->reclaim[MMSTALL_CLASS_DIRECT_RECLAIM] >= 0);
	rc = &s.reclaims[t->reclaim[MMSTALL_CLASS_DIRECT_RECLAIM]];
	EXPECT_EQ(rc->nr_reclaimed, 512);
	EXPECT_EQ(rc->order_count[MMSTALL_ORDERS - 1], 1);
	EXPECT_EQ(t->reclaim[MMSTALL_CLASS_COMPACTION], -1);

	t = task(&s, 200);
	ASSERT_TRUE(t && t->slabinfo >= 0);
	EXPECT_EQ(s.slabinfo_readers[t->slabinfo].reads, 12);

	/* sorted by total time */
	ASSERT_EQ(s.nr_slab_caches, 2);
	EXPECT_STREQ(s.slab_caches[0].cache, "buffer_head");
	EXPECT_STREQ(s.slab_caches[1].cache, "kmalloc-64");

	EXPECT_STREQ(snap_gfp_name(&s, 0xcc0), "GFP_KERNEL");
	EXPECT_STREQ(snap_gfp_name(&s, 0x400), "__GFP_DIRECT_RECLAIM");
	EXPECT_TRUE(snap_gfp_name(&s, 0x100cca) == NULL);
	snap_free(&s);
}

/* Sections absent: NULL arrays; present but empty: non-NULL. */
TEST(absent_and_empty_sections)
{
	struct snap s;
	struct sb b;
	char err[256];

	sb_init(&b);
	ASSERT_EQ(build_decode(&b, &s, err), SNAP_OK);
	EXPECT_TRUE(!s.notes && !s.mm_calls && !s.holders &&
		    !s.slabinfo_readers && !s.slab_caches && !s.reclaims &&
		    !s.gfp_names);
	snap_free(&s);

	sb_init(&b);
	sb_empty(&b, MMSTALL_SEC_NOTES, sizeof(struct mmstall_note_rec));
	sb_empty(&b, MMSTALL_SEC_HOLDERS, sizeof(struct mmstall_holder_rec));
	ASSERT_EQ(build_decode(&b, &s, err), SNAP_OK);
	EXPECT_TRUE(s.notes && s.holders && !s.mm_calls);
	EXPECT_EQ(s.nr_notes + s.nr_holders, 0);
	snap_free(&s);
}

/* The first record of @type in a sample whose field at @off is @v. */
static enum snap_err poke(__u32 type, size_t off, __u32 v, char *err)
{
	struct mmstall_snap_header *h;
	struct mmstall_snap_section *sec;
	unsigned char *buf;
	enum snap_err e = SNAP_ENOMEM;
	struct snap s;
	struct sb b;
	unsigned int i;
	size_t len;

	sb_sample(&b);
	buf = sb_build(&b, &len);
	sb_free(&b);
	h = (void *)buf;
	for (i = 0; i < h->nr_sections; i++) {
		sec = (void *)(buf + h->header_size + i * h->section_size);
		if (sec->type != type)
			continue;
		memcpy(buf + sec->offset + off, &v, sizeof(v));
		e = snap_decode(buf, len, &s, err, 256);
		snap_free(&s);
		break;
	}
	free(buf);
	return e;
}

#define POKE(type, st, field, v)	poke(type, offsetof(st, field), v, err)

TEST(mm_ids_out_of_range)
{
	char err[256];

	EXPECT_EQ(POKE(MMSTALL_SEC_PROBES, struct mmstall_probe_rec, class,
		       MMSTALL_FEATURE_BASE - 1), SNAP_ECORRUPT);
	EXPECT_CONTAINS(err, "probe 0 has class 31");
	EXPECT_EQ(POKE(MMSTALL_SEC_PROBES, struct mmstall_probe_rec, class,
		       MMSTALL_FEATURE_END), SNAP_ECORRUPT);
	EXPECT_EQ(POKE(MMSTALL_SEC_PROBES, struct mmstall_probe_rec, class,
		       MMSTALL_FEATURE_END - 1), SNAP_OK);
	EXPECT_EQ(POKE(MMSTALL_SEC_PROBES, struct mmstall_probe_rec, class,
		       MMSTALL_FEATURE_BASE), SNAP_OK);
	EXPECT_EQ(POKE(MMSTALL_SEC_PROBES, struct mmstall_probe_rec, state,
		       MMSTALL_STATE_OFF), SNAP_OK);
	EXPECT_EQ(POKE(MMSTALL_SEC_PROBES, struct mmstall_probe_rec, state,
		       MMSTALL_STATE_OFF + 1), SNAP_ECORRUPT);

	EXPECT_EQ(POKE(MMSTALL_SEC_HOLDERS, struct mmstall_holder_rec, lock,
		       MMSTALL_NR_LOCKS), SNAP_ECORRUPT);
	EXPECT_CONTAINS(err, "holder 0 has lock 2");
	EXPECT_EQ(POKE(MMSTALL_SEC_RECLAIM, struct mmstall_reclaim_rec, class,
		       MMSTALL_NR_CLASSES), SNAP_ECORRUPT);
	EXPECT_CONTAINS(err, "reclaim record 0 has class 6");

	/* a slot >= max_tasks is corrupt; a slot not copied, an orphan */
	EXPECT_EQ(POKE(MMSTALL_SEC_MM_CALLS, struct mmstall_mm_calls_rec,
		       task, 64), SNAP_ECORRUPT);
	EXPECT_CONTAINS(err, "mm_calls record 0 refers to task slot 64 of 64");
	EXPECT_EQ(POKE(MMSTALL_SEC_MM_CALLS, struct mmstall_mm_calls_rec,
		       task, 63), SNAP_OK);
	EXPECT_EQ(POKE(MMSTALL_SEC_HOLDERS, struct mmstall_holder_rec, task,
		       64), SNAP_ECORRUPT);
	EXPECT_EQ(POKE(MMSTALL_SEC_HOLDERS, struct mmstall_holder_rec, task,
		       63), SNAP_OK);
	EXPECT_EQ(POKE(MMSTALL_SEC_SLABINFO_READERS,
		       struct mmstall_slabinfo_reader_rec, task, 64),
		  SNAP_ECORRUPT);
	EXPECT_CONTAINS(err, "slabinfo reader 0 refers to task slot 64");
	EXPECT_EQ(POKE(MMSTALL_SEC_SLABINFO_READERS,
		       struct mmstall_slabinfo_reader_rec, task, 63), SNAP_OK);
	EXPECT_EQ(POKE(MMSTALL_SEC_RECLAIM, struct mmstall_reclaim_rec, task,
		       64), SNAP_ECORRUPT);
	EXPECT_EQ(POKE(MMSTALL_SEC_RECLAIM, struct mmstall_reclaim_rec, task,
		       63), SNAP_OK);

	/* the sample's gfp names are 0xcc0 and 0x400 */
	EXPECT_EQ(POKE(MMSTALL_SEC_GFP_NAMES, struct mmstall_gfp_name_rec,
		       gfp, 0x400), SNAP_ECORRUPT);
	EXPECT_CONTAINS(err, "gfp mask 0x400 named twice");
}

TEST(mm_records_small_rec_size)
{
	static const __u32 types[] = {
		MMSTALL_SEC_NOTES, MMSTALL_SEC_MM_CALLS, MMSTALL_SEC_HOLDERS,
		MMSTALL_SEC_SLABINFO_READERS, MMSTALL_SEC_SLAB_CACHES,
		MMSTALL_SEC_RECLAIM, MMSTALL_SEC_GFP_NAMES,
	};
	struct mmstall_snap_section *sec;
	struct mmstall_snap_header *h;
	unsigned char *buf;
	unsigned int i, k;
	struct snap s;
	struct sb b;
	char err[256];
	size_t len;

	for (k = 0; k < sizeof(types) / sizeof(types[0]); k++) {
		sb_sample(&b);
		buf = sb_build(&b, &len);
		sb_free(&b);
		h = (void *)buf;
		for (i = 0; i < h->nr_sections; i++) {
			sec = (void *)(buf + h->header_size +
				       i * h->section_size);
			if (sec->type == types[k])
				sec->rec_size -= 4;
		}
		_CHECK(snap_decode(buf, len, &s, err, sizeof(err)) ==
		       SNAP_ECORRUPT, false, "section type %u", types[k]);
		EXPECT_CONTAINS(err, "at least");
		free(buf);
	}
}

/* Records a live copy can leave behind: dropped or merged, and counted. */
TEST(mm_orphans_and_merges)
{
	const struct mmstall_mm_calls_rec *mc;
	struct mmstall_mm_calls_rec m;
	struct mmstall_reclaim_rec rc;
	const struct mmstall_reclaim_rec *r;
	const struct snap_task *t;
	struct snap s;
	struct sb b;
	char err[256];

	sb_sample(&b);
	memset(&m, 0, sizeof(m));
	m.task = 9;				/* no such task: orphan */
	sb_mm_call(&m, MMSTALL_CALL_MMAP, 4096, 1);
	sb_add(&b, MMSTALL_SEC_MM_CALLS, &m, sizeof(m));
	memset(&m, 0, sizeof(m));
	m.task = 11;				/* pid 300 again: merged */
	sb_mm_call(&m, MMSTALL_CALL_BRK, 4096, 7);
	m.write_holds = 1;
	m.write_hold_ns = 9000000;
	m.write_hold_max_ns = 9000000;
	sb_add(&b, MMSTALL_SEC_MM_CALLS, &m, sizeof(m));
	sb_holder(&b, 11, MMSTALL_LOCK_MMAP, 1, 100, 100);	/* merged */
	sb_holder(&b, 11, MMSTALL_LOCK_OTHER, 1, 100, 100);	/* new */
	sb_holder(&b, 9, MMSTALL_LOCK_MMAP, 1, 100, 100);	/* orphan */
	sb_slabinfo(&b, 5, 1, 50000000, 50000000);		/* merged */
	sb_slabinfo(&b, 9, 1, 1, 1);				/* orphan */
	memset(&rc, 0, sizeof(rc));
	rc.task = 5;		/* pid 200 has no compaction stat: orphan */
	rc.class = MMSTALL_CLASS_COMPACTION;
	sb_add(&b, MMSTALL_SEC_RECLAIM, &rc, sizeof(rc));
	rc.task = 0;		/* pid 100 direct reclaim again: merged */
	rc.class = MMSTALL_CLASS_DIRECT_RECLAIM;
	rc.order_count[0] = 2;
	rc.nr_reclaimed = 8;
	rc.gfp[0].gfp = 0x100cca;
	rc.gfp[0].count = 3;
	rc.gfp[1].gfp = 0x1;
	rc.gfp[1].count = 1;
	rc.gfp[2].gfp = 0x2;
	rc.gfp[2].count = 1;	/* no room left: dropped */
	strcpy(rc.memcg, "/x");
	sb_add(&b, MMSTALL_SEC_RECLAIM, &rc, sizeof(rc));
	ASSERT_EQ(build_decode(&b, &s, err), SNAP_OK);

	EXPECT_EQ(s.fixups.orphan_records, 4);
	EXPECT_EQ(s.fixups.merged_records, 4);
	EXPECT_EQ(s.fixups.orphan_stats + s.fixups.merged_stats, 0);
	EXPECT_EQ(s.nr_mm_calls, 3);
	EXPECT_EQ(s.nr_holders, 4);

	t = task(&s, 300);
	ASSERT_TRUE(t && t->mm_calls >= 0);
	mc = &s.mm_calls[t->mm_calls];
	EXPECT_EQ(mc->calls[MMSTALL_CALL_BRK], 7);
	EXPECT_EQ(mc->calls[MMSTALL_CALL_MMAP], 50000);
	EXPECT_EQ(mc->write_holds, 100001);
	EXPECT_EQ(mc->write_hold_max_ns, 9000000);
	EXPECT_EQ(mc->bytes_hist[13], 17);
	EXPECT_EQ(s.holders[t->holder[MMSTALL_LOCK_MMAP]].blocked_waiters,
		  41);
	EXPECT_EQ(s.holders[t->holder[MMSTALL_LOCK_MMAP]].max_blocked_ns,
		  50000000);
	EXPECT_TRUE(t->holder[MMSTALL_LOCK_OTHER] >= 0);

	t = task(&s, 200);
	ASSERT_TRUE(t && t->slabinfo >= 0);
	EXPECT_EQ(s.slabinfo_readers[t->slabinfo].reads, 13);
	EXPECT_EQ(s.slabinfo_readers[t->slabinfo].max_ns, 50000000);
	EXPECT_EQ(t->reclaim[MMSTALL_CLASS_COMPACTION], -1);

	t = task(&s, 100);
	ASSERT_TRUE(t && t->reclaim[MMSTALL_CLASS_DIRECT_RECLAIM] >= 0);
	r = &s.reclaims[t->reclaim[MMSTALL_CLASS_DIRECT_RECLAIM]];
	EXPECT_EQ(r->order_count[0], 3);
	EXPECT_EQ(r->nr_reclaimed, 520);
	EXPECT_STREQ(r->memcg, "/x");
	EXPECT_EQ(r->gfp[0].gfp, 0xcc0);
	EXPECT_EQ(r->gfp[0].count, 1);
	EXPECT_EQ(r->gfp[1].gfp, 0x1);		/* the free entry */
	EXPECT_EQ(r->gfp[2].gfp, 0x100cca);
	EXPECT_EQ(r->gfp[2].count, 4);
	EXPECT_EQ(r->gfp[3].gfp, 0x2);
	snap_free(&s);
}

TEST(notes_unique_and_terminated)
{
	struct mmstall_note_rec n;
	struct snap s;
	struct sb b;
	char err[256];

	sb_init(&b);
	sb_note(&b, "a", "first");
	sb_note(&b, "b", "x");
	sb_note(&b, "a", "second");
	memset(&n, 'k', sizeof(n));
	sb_add(&b, MMSTALL_SEC_NOTES, &n, sizeof(n));
	ASSERT_EQ(build_decode(&b, &s, err), SNAP_OK);
	ASSERT_EQ(s.nr_notes, 3);
	EXPECT_STREQ(s.notes[0].key, "a");
	EXPECT_STREQ(s.notes[0].value, "second");
	EXPECT_STREQ(s.notes[1].key, "b");
	EXPECT_EQ(strlen(s.notes[2].key), sizeof(n.key) - 1);
	EXPECT_EQ(strlen(s.notes[2].value), sizeof(n.value) - 1);
	snap_free(&s);
}

/*
 * A crafted file of many notes (400000, 100000 keys) decodes in moments
 * of CPU:
 * comparing each note with every key kept before took minutes.
 */
TEST(notes_many_decode_fast)
{
	struct mmstall_note_rec *recs;
	struct timespec t0, t1;
	unsigned int i, nr = 400000, keys = 100000;
	struct sb b;
	struct snap s;
	char err[256];

	recs = calloc(nr, sizeof(*recs));
	ASSERT_TRUE(recs != NULL);
	sb_init(&b);
	for (i = 0; i < nr; i++) {
		snprintf(recs[i].key, sizeof(recs[i].key), "k%u",
			 (i * 7919) % keys);
		snprintf(recs[i].value, sizeof(recs[i].value), "v%u", i);
	}
	/* one section of nr records, without nr reallocations */
	sb_add(&b, MMSTALL_SEC_NOTES, recs, sizeof(*recs));
	free(b.secs[b.nr_secs - 1].data);
	b.secs[b.nr_secs - 1].data = (unsigned char *)recs;
	b.secs[b.nr_secs - 1].len = (size_t)nr * sizeof(*recs);
	b.secs[b.nr_secs - 1].count = nr;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	ASSERT_EQ(build_decode(&b, &s, err), SNAP_OK);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	EXPECT_LE(t1.tv_sec - t0.tv_sec, 10);
	ASSERT_EQ(s.nr_notes, keys);
	/* first came k0 (i 0), then k7919 (i 1); last values win */
	EXPECT_STREQ(s.notes[0].key, "k0");
	EXPECT_STREQ(s.notes[0].value, "v300000");
	EXPECT_STREQ(s.notes[1].key, "k7919");
	EXPECT_STREQ(s.notes[1].value, "v300001");
	snap_free(&s);
}

TEST(mm_strings_terminated)
{
	struct mmstall_slab_cache_rec c;
	struct mmstall_gfp_name_rec g;
	struct mmstall_reclaim_rec rc;
	struct mmstall_stat_rec st;
	const struct snap_task *t;
	struct snap s;
	struct sb b;
	char err[256];

	sb_init(&b);
	memset(&c, 'c', sizeof(c));
	sb_add(&b, MMSTALL_SEC_SLAB_CACHES, &c, sizeof(c));
	memset(&g, 'g', sizeof(g));
	g.gfp = 1;
	sb_add(&b, MMSTALL_SEC_GFP_NAMES, &g, sizeof(g));
	sb_task(&b, 1, 10, 10, "t", "t");
	memset(&st, 0, sizeof(st));
	st.task = 1;
	st.class = MMSTALL_CLASS_MEMCG_RECLAIM;
	sb_stat_add(&st, 1000, MMSTALL_NR_LOCKS, 0);
	sb_stat(&b, &st);
	memset(&rc, 'm', sizeof(rc));
	rc.task = 1;
	rc.class = MMSTALL_CLASS_MEMCG_RECLAIM;
	sb_add(&b, MMSTALL_SEC_RECLAIM, &rc, sizeof(rc));
	ASSERT_EQ(build_decode(&b, &s, err), SNAP_OK);
	EXPECT_EQ(strlen(s.slab_caches[0].cache), MMSTALL_NAME_LEN - 1);
	EXPECT_EQ(strlen(snap_gfp_name(&s, 1)), sizeof(g.name) - 1);
	t = task(&s, 10);
	ASSERT_TRUE(t && t->reclaim[MMSTALL_CLASS_MEMCG_RECLAIM] >= 0);
	EXPECT_EQ(strlen(s.reclaims[0].memcg), MMSTALL_NAME_LEN - 1);
	snap_free(&s);
}

TEST(bytes_bucket_bounds)
{
	unsigned int b;

	EXPECT_EQ(bytes_le(0), 0);
	EXPECT_EQ(bytes_le(1), 1);
	EXPECT_EQ(bytes_le(17), 131071);
	EXPECT_EQ(bytes_le(62), (1ULL << 62) - 1);
	EXPECT_EQ(bytes_le(63), ~0ULL);
	for (b = 1; b < 63; b++) {
		EXPECT_EQ(mmstall_bytes_bucket(bytes_le(b)), b);
		EXPECT_EQ(mmstall_bytes_bucket(bytes_le(b) + 1), b + 1);
	}
	/* the last bucket takes every length from 2^62 up */
	EXPECT_EQ(mmstall_bytes_bucket(1ULL << 62), 63);
	EXPECT_EQ(mmstall_bytes_bucket(~0ULL), 63);
}
