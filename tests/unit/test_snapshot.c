// SPDX-License-Identifier: GPL-2.0
/* Decoding and validation of snapshots, including hostile ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "snapbuild.h"
#include "../../userspace/format.h"
#include "../../userspace/snapshot.h"

static enum snap_err decode_copy(const unsigned char *buf, size_t len,
				 struct snap *s, char *err, size_t errlen)
{
	/* An exact-size copy, so the sanitizer sees any over-read. */
	unsigned char *copy = malloc(len ? len : 1);
	enum snap_err e;

	memcpy(copy, buf, len);
	e = snap_decode(copy, len, s, err, errlen);
	free(copy);
	return e;
}

/* Build the sample, let @mutate change the bytes, decode. */
static enum snap_err decode_mutated(void (*mutate)(unsigned char *buf,
						  size_t len),
				    char *err)
{
	struct snap s;
	struct sb b;
	unsigned char *buf;
	enum snap_err e;
	size_t len;

	sb_sample(&b);
	buf = sb_build(&b, &len);
	sb_free(&b);
	if (mutate)
		mutate(buf, len);
	e = decode_copy(buf, len, &s, err, 256);
	snap_free(&s);
	free(buf);
	return e;
}

static struct mmstall_snap_section *section(unsigned char *buf, __u32 type)
{
	struct mmstall_snap_header *h = (void *)buf;
	struct mmstall_snap_section *sec;
	unsigned int i;

	for (i = 0; i < h->nr_sections; i++) {
		sec = (void *)(buf + h->header_size + i * h->section_size);
		if (sec->type == type)
			return sec;
	}
	return NULL;
}

TEST(decode_sample)
{
	const struct snap_task *t;
	struct snap s;
	struct sb b;
	unsigned char *buf;
	char err[256];
	size_t len;

	sb_sample(&b);
	buf = sb_build(&b, &len);
	sb_free(&b);
	ASSERT_EQ(decode_copy(buf, len, &s, err, sizeof(err)), SNAP_OK);
	free(buf);
	EXPECT_EQ(s.nr_probes, 6);
	EXPECT_EQ(s.nr_names, 2);
	EXPECT_EQ(s.nr_tasks, 6);
	EXPECT_EQ(s.nr_stats, 5);
	EXPECT_STREQ(s.hdr.release, "5.15.0-test");
	EXPECT_STREQ(s.probes[2].target, "mm_compaction_begin");
	EXPECT_EQ(s.probes[2].error, -22);
	/* sorted by tgid, pid */
	EXPECT_EQ(s.tasks[0].rec.pid, 100);
	EXPECT_EQ(s.tasks[1].rec.pid, 101);
	EXPECT_EQ(s.tasks[2].rec.pid, 102);
	EXPECT_EQ(s.tasks[3].rec.pid, 200);
	EXPECT_EQ(s.tasks[4].rec.pid, 300);
	EXPECT_EQ(s.tasks[5].rec.pid, 301);
	t = &s.tasks[1];
	ASSERT_TRUE(t->stat[MMSTALL_CLASS_RWSEM_WRITE] >= 0);
	EXPECT_EQ(s.stats[t->stat[MMSTALL_CLASS_RWSEM_WRITE]].count, 131);
	EXPECT_EQ(t->stat[MMSTALL_CLASS_COMPACTION], -1);
	EXPECT_STREQ(snap_dynamic_name(&s, 64), "other:do_mmap");
	EXPECT_STREQ(snap_dynamic_name(&s, 65), "buffer_head");
	EXPECT_TRUE(snap_dynamic_name(&s, 99) == NULL);
	snap_free(&s);
}

TEST(truncated_at_every_offset)
{
	struct snap s;
	struct sb b;
	unsigned char *buf;
	char err[256];
	size_t len, n;
	enum snap_err e;

	sb_sample(&b);
	buf = sb_build(&b, &len);
	sb_free(&b);
	for (n = 0; n < len; n++) {
		e = decode_copy(buf, n, &s, err, sizeof(err));
		_CHECK(e == SNAP_ETRUNC, true, "length %zu: %d %s", n, e, err);
		EXPECT_EQ(s.nr_tasks, 0);
	}
	EXPECT_EQ(decode_copy(buf, len, &s, err, sizeof(err)), SNAP_OK);
	snap_free(&s);
	free(buf);
}

TEST(trailing_bytes)
{
	struct snap s;
	struct sb b;
	unsigned char *buf;
	char err[256];
	size_t len;

	sb_sample(&b);
	buf = sb_build(&b, &len);
	sb_free(&b);
	buf = realloc(buf, len + 8);
	memset(buf + len, 0, 8);
	EXPECT_EQ(decode_copy(buf, len + 8, &s, err, sizeof(err)),
		  SNAP_ECORRUPT);
	free(buf);
}

static void bad_magic(unsigned char *buf, size_t len)
{
	(void)len;
	buf[0] ^= 1;
}

static void swapped_magic(unsigned char *buf, size_t len)
{
	__u64 m = __builtin_bswap64(MMSTALL_SNAP_MAGIC);

	(void)len;
	memcpy(buf, &m, sizeof(m));
}

TEST(wrong_magic)
{
	char err[256];

	EXPECT_EQ(decode_mutated(bad_magic, err), SNAP_EMAGIC);
	EXPECT_CONTAINS(err, "not an mmstall snapshot");
	EXPECT_EQ(decode_mutated(swapped_magic, err), SNAP_EMAGIC);
	EXPECT_CONTAINS(err, "byte order");
}

static void abi_2(unsigned char *buf, size_t len)
{
	((struct mmstall_snap_header *)buf)->abi = 2;
	/* an ABI change may change everything after the version */
	memset(buf + 16, 0xab, len - 16);
}

static void hist_geometry(unsigned char *buf, size_t len)
{
	(void)len;
	((struct mmstall_snap_header *)buf)->hist_sub_bits = 3;
}

TEST(wrong_abi)
{
	char err[256];

	EXPECT_EQ(decode_mutated(abi_2, err), SNAP_EABI);
	EXPECT_STREQ(err, "ABI mismatch: module 2, reader 1");
	EXPECT_EQ(decode_mutated(hist_geometry, err), SNAP_EABI);
	EXPECT_CONTAINS(err, "ABI mismatch");
}

static void probes_past_end(unsigned char *buf, size_t len)
{
	section(buf, MMSTALL_SEC_PROBES)->offset = len - 8;
}

static void offset_huge(unsigned char *buf, size_t len)
{
	(void)len;
	section(buf, MMSTALL_SEC_STATS)->offset = ~0ULL - 4;
}

static void count_overflow(unsigned char *buf, size_t len)
{
	struct mmstall_snap_section *sec = section(buf, MMSTALL_SEC_TASKS);

	(void)len;
	sec->count = 0xffffffff;
	sec->rec_size = 0xffffffff;
}

static void overlaps_header(unsigned char *buf, size_t len)
{
	(void)len;
	section(buf, MMSTALL_SEC_NAMES)->offset = 8;
}

static void too_many_sections(unsigned char *buf, size_t len)
{
	(void)len;
	((struct mmstall_snap_header *)buf)->nr_sections = 0x10000000;
}

static void small_header_size(unsigned char *buf, size_t len)
{
	(void)len;
	((struct mmstall_snap_header *)buf)->header_size = 16;
}

static void small_section_size(unsigned char *buf, size_t len)
{
	(void)len;
	((struct mmstall_snap_header *)buf)->section_size = 8;
}

static void small_rec_size(unsigned char *buf, size_t len)
{
	(void)len;
	section(buf, MMSTALL_SEC_STATS)->rec_size -= 8;
}

TEST(section_out_of_bounds)
{
	char err[256];

	EXPECT_EQ(decode_mutated(probes_past_end, err), SNAP_ECORRUPT);
	EXPECT_CONTAINS(err, "out of bounds");
	EXPECT_EQ(decode_mutated(offset_huge, err), SNAP_ECORRUPT);
	EXPECT_EQ(decode_mutated(count_overflow, err), SNAP_ECORRUPT);
	EXPECT_EQ(decode_mutated(overlaps_header, err), SNAP_ECORRUPT);
	EXPECT_EQ(decode_mutated(too_many_sections, err), SNAP_ECORRUPT);
	EXPECT_EQ(decode_mutated(small_header_size, err), SNAP_ECORRUPT);
	EXPECT_EQ(decode_mutated(small_section_size, err), SNAP_ECORRUPT);
	EXPECT_EQ(decode_mutated(small_rec_size, err), SNAP_ECORRUPT);
	EXPECT_CONTAINS(err, "at least");
}

/* Bigger records, header and table entries: read the known prefix. */
TEST(bigger_sizes_accepted)
{
	struct snap s1, s2;
	struct sb b;
	unsigned char *buf;
	char err[256];
	size_t len, i;

	sb_sample(&b);
	buf = sb_build(&b, &len);
	sb_free(&b);
	ASSERT_EQ(decode_copy(buf, len, &s1, err, sizeof(err)), SNAP_OK);
	free(buf);

	sb_init(&b);
	b.rec_extra = 24;
	b.hdr_extra = 40;
	b.sec_extra = 16;
	{
		struct sb tmp;

		sb_sample(&tmp);
		for (i = 0; i < tmp.nr_secs; i++) {
			size_t rs = tmp.secs[i].rec_size, k;

			for (k = 0; k < tmp.secs[i].count; k++)
				sb_add(&b, tmp.secs[i].type,
				       tmp.secs[i].data + k * rs, rs);
		}
		b.hdr = tmp.hdr;
		sb_free(&tmp);
	}
	buf = sb_build(&b, &len);
	sb_free(&b);
	_CHECK(decode_copy(buf, len, &s2, err, sizeof(err)) == SNAP_OK, true,
	       "%s", err);
	free(buf);
	EXPECT_EQ(s2.nr_tasks, s1.nr_tasks);
	EXPECT_EQ(s2.nr_stats, s1.nr_stats);
	EXPECT_TRUE(!memcmp(s1.stats, s2.stats,
			    s1.nr_stats * sizeof(*s1.stats)));
	EXPECT_TRUE(!memcmp(s1.tasks, s2.tasks,
			    s1.nr_tasks * sizeof(*s1.tasks)));
	EXPECT_TRUE(!memcmp(s1.probes, s2.probes,
			    s1.nr_probes * sizeof(*s1.probes)));
#define SAME(arr, nr) do {						\
	EXPECT_EQ(s2.nr, s1.nr);					\
	EXPECT_TRUE(s1.nr && !memcmp(s1.arr, s2.arr,			\
				     s1.nr * sizeof(*s1.arr)));		\
} while (0)
	SAME(notes, nr_notes);
	SAME(mm_calls, nr_mm_calls);
	SAME(holders, nr_holders);
	SAME(slabinfo_readers, nr_slabinfo_readers);
	SAME(slab_caches, nr_slab_caches);
	SAME(reclaims, nr_reclaims);
	SAME(gfp_names, nr_gfp_names);
#undef SAME
	snap_free(&s1);
	snap_free(&s2);
}

TEST(unknown_section_skipped)
{
	static const unsigned char junk[40] = { 1, 2, 3 };
	struct snap s;
	struct sb b;
	unsigned char *buf;
	char err[256];
	size_t len;

	sb_sample(&b);
	sb_add(&b, 99, junk, sizeof(junk));
	sb_add(&b, 99, junk, sizeof(junk));
	buf = sb_build(&b, &len);
	sb_free(&b);
	EXPECT_EQ(decode_copy(buf, len, &s, err, sizeof(err)), SNAP_OK);
	EXPECT_EQ(s.nr_tasks, 6);
	snap_free(&s);
	free(buf);
}

TEST(empty_snapshot)
{
	struct snap s;
	struct sb b;
	unsigned char *buf;
	char err[256];
	size_t len;

	sb_init(&b);
	b.hdr.used_tasks = 0;
	b.hdr.used_stats = 0;
	buf = sb_build(&b, &len);
	EXPECT_EQ(decode_copy(buf, len, &s, err, sizeof(err)), SNAP_OK);
	EXPECT_EQ(s.nr_tasks + s.nr_stats + s.nr_probes, 0);
	snap_free(&s);
	free(buf);
}

/* Corrupt one field of the first record of @type at @off to @v. */
static enum snap_err poke(__u32 type, size_t off, __u32 v)
{
	struct mmstall_snap_section *sec;
	struct snap s;
	struct sb b;
	unsigned char *buf;
	enum snap_err e;
	char err[256];
	size_t len;

	sb_sample(&b);
	buf = sb_build(&b, &len);
	sb_free(&b);
	sec = section(buf, type);
	memcpy(buf + sec->offset + off, &v, sizeof(v));
	e = decode_copy(buf, len, &s, err, sizeof(err));
	snap_free(&s);
	free(buf);
	return e;
}

#define POKE(type, st, field, v)					\
	poke(type, offsetof(st, field), v)

TEST(ids_out_of_range)
{
	EXPECT_EQ(POKE(MMSTALL_SEC_PROBES, struct mmstall_probe_rec, class,
		       MMSTALL_NR_CLASSES), SNAP_ECORRUPT);
	EXPECT_EQ(POKE(MMSTALL_SEC_PROBES, struct mmstall_probe_rec, kind, 0),
		  SNAP_ECORRUPT);
	EXPECT_EQ(POKE(MMSTALL_SEC_PROBES, struct mmstall_probe_rec, kind,
		       MMSTALL_KIND_END), SNAP_ECORRUPT);
	EXPECT_EQ(POKE(MMSTALL_SEC_PROBES, struct mmstall_probe_rec, kind,
		       MMSTALL_KIND_RETURN_SITES), SNAP_OK);
	EXPECT_EQ(POKE(MMSTALL_SEC_PROBES, struct mmstall_probe_rec, state,
		       9), SNAP_ECORRUPT);
	EXPECT_EQ(POKE(MMSTALL_SEC_STATS, struct mmstall_stat_rec, class,
		       MMSTALL_NR_CLASSES), SNAP_ECORRUPT);
	EXPECT_EQ(POKE(MMSTALL_SEC_STATS, struct mmstall_stat_rec,
		       sites[1].site, MMSTALL_NR_FIXED_SITES), SNAP_ECORRUPT);
	EXPECT_EQ(POKE(MMSTALL_SEC_STATS, struct mmstall_stat_rec,
		       sites[1].site, MMSTALL_SITE_DYNAMIC - 1),
		  SNAP_ECORRUPT);
	EXPECT_EQ(POKE(MMSTALL_SEC_STATS, struct mmstall_stat_rec,
		       sites[1].site, MMSTALL_SITE_DYNAMIC + 1000), SNAP_OK);
	EXPECT_EQ(POKE(MMSTALL_SEC_STATS, struct mmstall_stat_rec, task, 64),
		  SNAP_ECORRUPT);	/* >= max_tasks */
	EXPECT_EQ(POKE(MMSTALL_SEC_STATS, struct mmstall_stat_rec, task, 63),
		  SNAP_OK);		/* not copied yet: dropped */
	EXPECT_EQ(POKE(MMSTALL_SEC_STATS, struct mmstall_stat_rec, task, 7),
		  SNAP_OK);
	EXPECT_EQ(POKE(MMSTALL_SEC_NAMES, struct mmstall_name_rec, id, 12),
		  SNAP_ECORRUPT);
	EXPECT_EQ(POKE(MMSTALL_SEC_NAMES, struct mmstall_name_rec, id, 65),
		  SNAP_ECORRUPT);	/* named twice */
	EXPECT_EQ(POKE(MMSTALL_SEC_TASKS, struct mmstall_task_rec, slot, 64),
		  SNAP_ECORRUPT);	/* >= max_tasks */
	EXPECT_EQ(POKE(MMSTALL_SEC_TASKS, struct mmstall_task_rec, slot, 5),
		  SNAP_ECORRUPT);	/* twice */
}

/* A task slot claimed but not filled when the module copied it. */
TEST(unpublished_task_skipped)
{
	struct mmstall_stat_rec st;
	struct snap s;
	struct sb b;
	unsigned char *buf;
	char err[256];
	size_t len;

	sb_sample(&b);
	sb_task(&b, 0, 0, 0, "", "");	/* zeroed, slot 0 again */
	sb_task(&b, 9, 0, 0, "", "");
	memset(&st, 0, sizeof(st));
	st.task = 9;			/* its stat: not copied either */
	st.class = MMSTALL_CLASS_RWSEM_READ;
	sb_stat_add(&st, 1000, MMSTALL_LOCK_MMAP, MMSTALL_SITE_MMAP);
	sb_stat(&b, &st);
	buf = sb_build(&b, &len);
	sb_free(&b);
	ASSERT_EQ(decode_copy(buf, len, &s, err, sizeof(err)), SNAP_OK);
	free(buf);
	EXPECT_EQ(s.nr_tasks, 6);
	EXPECT_EQ(s.nr_stats, 5);
	EXPECT_EQ(s.fixups.unpublished_tasks, 2);
	EXPECT_EQ(s.fixups.orphan_stats, 1);
	EXPECT_EQ(s.fixups.merged_stats, 0);
	snap_free(&s);
}

/* An interrupt may claim a second block for the same task and class. */
TEST(two_stats_for_one_class_merged)
{
	struct mmstall_stat_rec st;
	const struct mmstall_stat_rec *m;
	struct snap s;
	struct sb b;
	unsigned char *buf;
	char err[256];
	size_t len, i;
	unsigned int k;

	sb_sample(&b);
	memset(&st, 0, sizeof(st));
	st.task = 5;
	st.class = MMSTALL_CLASS_SLAB_REFILL;
	sb_stat_add(&st, 50000000, MMSTALL_NR_LOCKS, 65);
	sb_stat_add(&st, 1000, MMSTALL_NR_LOCKS, 64);
	for (k = 0; k < 10; k++)
		sb_stat_add(&st, 1000, MMSTALL_NR_LOCKS, 100 + k);
	sb_stat(&b, &st);
	buf = sb_build(&b, &len);
	sb_free(&b);
	ASSERT_EQ(decode_copy(buf, len, &s, err, sizeof(err)), SNAP_OK);
	free(buf);
	EXPECT_EQ(s.nr_stats, 5);
	EXPECT_EQ(s.fixups.merged_stats, 1);
	for (i = 0; i < s.nr_tasks && s.tasks[i].rec.pid != 200; i++)
		;
	ASSERT_TRUE(i < s.nr_tasks);
	ASSERT_TRUE(s.tasks[i].stat[MMSTALL_CLASS_SLAB_REFILL] >= 0);
	m = &s.stats[s.tasks[i].stat[MMSTALL_CLASS_SLAB_REFILL]];
	EXPECT_EQ(m->count, 22);
	EXPECT_EQ(m->max_ns, 50000000);
	EXPECT_EQ(m->hist[mmstall_hist_bucket(50000000)], 1);
	EXPECT_EQ(m->sites[0].site, 65);
	EXPECT_EQ(m->sites[0].count, 11);
	EXPECT_EQ(m->sites[1].site, 64);
	EXPECT_EQ(m->sites[MMSTALL_SITES_PER_STAT - 1].site,
		  MMSTALL_SITE_MORE);
	for (k = 0, len = 0; k < MMSTALL_SITES_PER_STAT; k++)
		len += m->sites[k].count;
	EXPECT_EQ(len, 22);
	snap_free(&s);
}

TEST(duplicate_section)
{
	struct snap s;
	struct sb b;
	unsigned char *buf;
	char err[256];
	size_t len;

	sb_sample(&b);
	b.secs[b.nr_secs] = b.secs[0];
	b.secs[b.nr_secs].data = malloc(b.secs[0].len);
	memcpy(b.secs[b.nr_secs].data, b.secs[0].data, b.secs[0].len);
	b.nr_secs++;
	buf = sb_build(&b, &len);
	sb_free(&b);
	EXPECT_EQ(decode_copy(buf, len, &s, err, sizeof(err)), SNAP_ECORRUPT);
	EXPECT_CONTAINS(err, "two");
	free(buf);
}

TEST(strings_force_terminated)
{
	struct mmstall_snap_header *h;
	struct snap s;
	struct sb b;
	unsigned char *buf;
	char err[256];
	size_t len;

	sb_init(&b);
	sb_task(&b, 1, 1, 1, "0123456789abcdefXYZ", "fedcba9876543210");
	sb_probe(&b, 0, 1, 1, 0, 0, 0, "x");
	buf = sb_build(&b, &len);
	sb_free(&b);
	h = (void *)buf;
	memset(h->version, 'v', sizeof(h->version));
	memset(h->release, 'r', sizeof(h->release));
	memset(h->slab, 's', sizeof(h->slab));
	memset(h->preempt, 'p', sizeof(h->preempt));
	memset(section(buf, MMSTALL_SEC_PROBES)->offset + buf +
	       offsetof(struct mmstall_probe_rec, target), 't',
	       MMSTALL_NAME_LEN);
	ASSERT_EQ(decode_copy(buf, len, &s, err, sizeof(err)), SNAP_OK);
	EXPECT_EQ(strlen(s.tasks[0].rec.comm), MMSTALL_COMM_LEN - 1);
	EXPECT_EQ(strlen(s.tasks[0].rec.process), MMSTALL_COMM_LEN - 1);
	EXPECT_EQ(strlen(s.hdr.version), sizeof(s.hdr.version) - 1);
	EXPECT_EQ(strlen(s.hdr.release), sizeof(s.hdr.release) - 1);
	EXPECT_EQ(strlen(s.hdr.slab), sizeof(s.hdr.slab) - 1);
	EXPECT_EQ(strlen(s.hdr.preempt), sizeof(s.hdr.preempt) - 1);
	EXPECT_EQ(strlen(s.probes[0].target), MMSTALL_NAME_LEN - 1);
	snap_free(&s);
	free(buf);
}

/*
 * Random corruption: every decode must fail cleanly or give a snapshot
 * the formatters can print.  The sanitizers catch the rest.
 */
TEST(random_corruption)
{
	unsigned char *buf, *copy;
	unsigned int seed = 1, i, k, flips, ok = 0;
	struct snap s;
	struct sb b;
	char err[256];
	size_t len, pos;
	FILE *null;

	null = fopen("/dev/null", "w");
	ASSERT_TRUE(null);
	sb_sample(&b);
	buf = sb_build(&b, &len);
	sb_free(&b);
	copy = malloc(len);
	for (i = 0; i < 3000; i++) {
		memcpy(copy, buf, len);
		flips = 1 + rand_r(&seed) % 4;
		for (k = 0; k < flips; k++) {
			/* favour the header and the section table */
			pos = rand_r(&seed) % (k & 1 ? len : 400);
			copy[pos % len] = rand_r(&seed);
		}
		if (snap_decode(copy, len, &s, err, sizeof(err)) == SNAP_OK) {
			ok++;
			report_text(null, &s);
			report_json(null, &s);
			snap_free(&s);
		}
	}
	printf("# %u of 3000 corrupted snapshots still decoded\n", ok);
	fclose(null);
	free(copy);
	free(buf);
}
