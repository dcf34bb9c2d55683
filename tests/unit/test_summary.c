// SPDX-License-Identifier: GPL-2.0
/* The report's SUMMARY names the culprits the records show, and no more. */
#include <stdlib.h>

#include "harness.h"
#include "snapbuild.h"
#include "../../userspace/summary.h"

/* The summary of @b's snapshot, its lines joined by newlines. */
static char *summarize(struct sb *b, struct summary *s)
{
	char *text = NULL, err[256];
	unsigned char *buf;
	size_t size = 0, len, i;
	struct snap snap;
	FILE *f;

	buf = sb_build(b, &len);
	sb_free(b);
	if (snap_decode(buf, len, &snap, err, sizeof(err))) {
		printf("# decode: %s\n", err);
		free(buf);
		return NULL;
	}
	free(buf);
	summary_build(s, &snap);
	snap_free(&snap);
	f = open_memstream(&text, &size);
	for (i = 0; i < s->nr; i++)
		fprintf(f, "%s\n", s->line[i]);
	fclose(f);
	return text;
}

TEST(summary_sample_culprits)
{
	struct summary s;
	struct sb b;
	char *text;

	sb_sample(&b);
	text = summarize(&b, &s);
	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "rwsem waits: process server (pid 100): 2 threads waited");
	EXPECT_CONTAINS(text, "on mmap_lock; most in munmap (100 waits,");
	EXPECT_CONTAINS(text, "mmap_lock holder that blocked waiters longest: ET_NET 0 (pid 300, process traffic_server), 40 waits behind it, 800ms in total.");
	EXPECT_CONTAINS(text, "slab refills: process ss (pid 200)");
	EXPECT_CONTAINS(text, "most for cache buffer_head (10,");
	EXPECT_CONTAINS(text, "reclaim and compaction: process server (pid 100): 1 thread stalled 200s in 2 direct_reclaim stalls");
	EXPECT_CONTAINS(text, "mmap-family calls: process traffic_server (pid 300) made the most: 150010 (12001/s; mmap 75000, munmap 75000, madvise 10), a length in [64K, 128K) for 125000 of them.");
	EXPECT_CONTAINS(text, "/proc/slabinfo: read 12 times by process ss (pid 200), 480ms in total (max 45.0ms).");
	EXPECT_CONTAINS(text, "lost: task_slots 1, stat_blocks 2, kretprobe_missed 3, events 4, names 5: the counts above are lower bounds.");
	EXPECT_CONTAINS(text, "no attached probe, so nothing recorded whatever happened: compaction, write_hold (off), slabinfo_readers.");
	EXPECT_TRUE(!strstr(text, "nothing recorded in"));
	EXPECT_LE(s.nr, 10);
	free(text);
}

/* Two processes wait on mmap_lock; the second, later in pid order, longer. */
TEST(summary_names_the_longest_waiter)
{
	struct mmstall_stat_rec st;
	struct summary s;
	struct sb b;
	char *text;
	int i;

	sb_init(&b);
	memset(&b.hdr.lost, 0, sizeof(b.hdr.lost));
	sb_task(&b, 0, 10, 10, "many-short", "many-short");
	sb_task(&b, 1, 20, 20, "few-long", "few-long");
	sb_task(&b, 2, 21, 20, "few-long-2", "few-long");
	memset(&st, 0, sizeof(st));
	st.task = 0;
	st.class = MMSTALL_CLASS_RWSEM_READ;
	for (i = 0; i < 1000; i++)	/* 1000 x 10 us = 10 ms */
		sb_stat_add(&st, 10000, MMSTALL_LOCK_MMAP,
			    MMSTALL_SITE_PAGE_FAULT);
	sb_stat(&b, &st);
	for (i = 1; i <= 2; i++) {	/* 2 x 2 x 4 ms = 16 ms */
		memset(&st, 0, sizeof(st));
		st.task = i;
		st.class = MMSTALL_CLASS_RWSEM_WRITE;
		sb_stat_add(&st, 4000000, MMSTALL_LOCK_OTHER,
			    MMSTALL_SITE_MMAP);
		sb_stat_add(&st, 4000000, MMSTALL_LOCK_OTHER,
			    MMSTALL_SITE_MMAP);
		sb_stat(&b, &st);
	}
	/* a holder of mmap_lock only: not the lock they waited on */
	sb_holder(&b, 0, MMSTALL_LOCK_MMAP, 5, 1000000, 500000);
	text = summarize(&b, &s);
	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "rwsem waits: process few-long (pid 20): 2 threads waited 16.0ms in 4 waits (max 4.00ms); 16.0ms of it on other; most in mmap (4 waits, 16.0ms).");
	EXPECT_TRUE(!strstr(text, "many-short"));
	EXPECT_TRUE(!strstr(text, "holder"));
	EXPECT_TRUE(!strstr(text, "lost"));
	EXPECT_TRUE(!strstr(text, "mmap-family"));
	EXPECT_TRUE(!strstr(text, "slabinfo"));
	EXPECT_TRUE(!strstr(text, "reclaim"));
	EXPECT_TRUE(!strstr(text, "no attached probe"));
	EXPECT_EQ(s.nr, 1);
	free(text);
}

TEST(summary_nothing_recorded)
{
	struct summary s;
	struct sb b;
	char *text;

	sb_init(&b);
	b.hdr.lost.task_slots = 0;
	b.hdr.lost.stat_blocks = 0;
	b.hdr.lost.kretprobe_missed = 0;
	b.hdr.lost.events = 0;
	b.hdr.lost.names = 7;
	sb_probe(&b, MMSTALL_CLASS_RWSEM_READ, MMSTALL_KIND_KRETPROBE,
		 MMSTALL_STATE_MISSING, -2, 0, 0, "rwsem_down_read_slowpath");
	sb_probe(&b, MMSTALL_CLASS_RWSEM_READ, MMSTALL_KIND_KRETPROBE,
		 MMSTALL_STATE_ATTACHED, 0, 0, 0, "rwsem_down_read_failed");
	sb_probe(&b, MMSTALL_CLASS_SLAB_REFILL, MMSTALL_KIND_KPROBE,
		 MMSTALL_STATE_MISSING, -2, 0, 0, "cache_alloc_refill");
	text = summarize(&b, &s);
	ASSERT_TRUE(text);
	EXPECT_STREQ(text,
		     "nothing recorded in the 12.5s window: no stalls, no mmap-family calls, no /proc/slabinfo reads.\n"
		     "lost: names 7.\n"
		     "no attached probe, so nothing recorded whatever happened: slab_refill.\n");
	free(text);
}

TEST(summary_reclaim_classes)
{
	struct mmstall_stat_rec st;
	struct summary s;
	struct sb b;
	char *text;

	sb_init(&b);
	sb_task(&b, 0, 30, 30, "cp", "cp");
	sb_task(&b, 1, 40, 40, "kworker", "kworker");
	memset(&st, 0, sizeof(st));
	st.task = 0;
	st.class = MMSTALL_CLASS_DIRECT_RECLAIM;
	sb_stat_add(&st, 3000000000ULL, MMSTALL_NR_LOCKS, 0);
	sb_stat(&b, &st);
	st.class = MMSTALL_CLASS_COMPACTION;
	sb_stat(&b, &st);
	memset(&st, 0, sizeof(st));
	st.task = 1;
	st.class = MMSTALL_CLASS_MEMCG_RECLAIM;
	sb_stat_add(&st, 1000000, MMSTALL_NR_LOCKS, 0);
	sb_stat(&b, &st);
	text = summarize(&b, &s);
	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "reclaim and compaction: process cp (pid 30): 1 thread stalled 6.00s in 2 stalls (max 3.00s): direct_reclaim 3.00s in 1, compaction 3.00s in 1.");
	EXPECT_TRUE(!strstr(text, "rwsem"));
	free(text);
}
