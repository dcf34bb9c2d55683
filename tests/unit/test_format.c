// SPDX-License-Identifier: GPL-2.0
/* The text formatters print the names people look for. */
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "snapbuild.h"
#include "../../userspace/format.h"
#include "../../userspace/names.h"
#include "../../userspace/stats.h"
#include "../../userspace/top_rows.h"

static char *render(void (*fn)(FILE *out, const struct snap *snap),
		    struct sb *b)
{
	char *text = NULL, err[256];
	unsigned char *buf;
	size_t size = 0, len;
	struct snap s;
	FILE *f;

	buf = sb_build(b, &len);
	if (snap_decode(buf, len, &s, err, sizeof(err))) {
		printf("# decode: %s\n", err);
		free(buf);
		return NULL;
	}
	free(buf);
	f = open_memstream(&text, &size);
	fn(f, &s);
	fclose(f);
	snap_free(&s);
	return text;
}

TEST(text_report_names)
{
	struct sb b;
	char *text;

	sb_sample(&b);
	text = render(report_text, &b);
	sb_free(&b);
	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "5.15.0-test");
	EXPECT_CONTAINS(text, "rwsem_write");
	EXPECT_CONTAINS(text, "rwsem_read");
	EXPECT_CONTAINS(text, "slab_refill");
	EXPECT_CONTAINS(text, "direct_reclaim");
	EXPECT_CONTAINS(text, "munmap");
	EXPECT_CONTAINS(text, "madvise");
	EXPECT_CONTAINS(text, "page_fault");
	EXPECT_CONTAINS(text, "other:do_mmap");
	EXPECT_CONTAINS(text, "other:#99");
	EXPECT_CONTAINS(text, "buffer_head");
	EXPECT_CONTAINS(text, "mmap_lock");
	EXPECT_CONTAINS(text, "tokio-runtime-w");
	EXPECT_CONTAINS(text, "rwsem_down_write_slowpath");
	EXPECT_CONTAINS(text, "failed");
	EXPECT_CONTAINS(text, "kretprobe_missed 3");
	EXPECT_CONTAINS(text, "12.5s");
	free(text);
}

TEST(text_escapes_names)
{
	struct sb b;
	char *text;

	sb_init(&b);
	sb_task(&b, 1, 1, 1, "a\nb\\c\xff", "p\x1b[2J");
	text = render(report_text, &b);
	sb_free(&b);
	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "a\\x0ab\\\\c\\xff");
	EXPECT_CONTAINS(text, "p\\x1b[2J");
	EXPECT_TRUE(!strchr(text, '\x1b'));
	free(text);
}

TEST(status_probes)
{
	struct sb b;
	char *text;

	sb_sample(&b);
	text = render(print_probes, &b);
	sb_free(&b);
	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "compaction");
	EXPECT_CONTAINS(text, "tracepoint");
	EXPECT_CONTAINS(text, "mm_compaction_begin");
	EXPECT_CONTAINS(text, "-22");
	free(text);
}

TEST(names)
{
	char buf[32];

	EXPECT_EQ(class_by_name("compaction"), MMSTALL_CLASS_COMPACTION);
	EXPECT_EQ(class_by_name("nope"), -1);
	EXPECT_STREQ(class_name(MMSTALL_CLASS_MEMCG_RECLAIM),
		     "memcg_reclaim");
	EXPECT_STREQ(lock_name(MMSTALL_LOCK_MMAP), "mmap_lock");
	EXPECT_STREQ(site_name(NULL, MMSTALL_SITE_EXIT, buf, sizeof(buf)),
		     "exit");
	EXPECT_STREQ(site_name(NULL, 77, buf, sizeof(buf)), "other:#77");
}

TEST(text_report_mm_sections)
{
	struct sb b;
	char *text;

	sb_sample(&b);
	text = render(report_text, &b);
	sb_free(&b);
	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "note: holders: from the rwsem owner field\n");
	EXPECT_CONTAINS(text, "note: write_hold: off: load with hold_time=1\n");
	EXPECT_CONTAINS(text, "\nMM CALLS (");
	EXPECT_CONTAINS(text, "    MMAP   MUNMAP   MREMAP MPROTECT  MADVISE      BRK");
	EXPECT_CONTAINS(text, "300      traffic_server      75000    75000        0        0       10        0 64K-128K     2.50s in 100000 (max 3.00ms)\n");
	EXPECT_CONTAINS(text, "  301    ET_NET 1            25000    25000        0        0        0        0 32K-64K      -\n");
	EXPECT_CONTAINS(text, "  101    tokio-runtime-w        30      100        1        0        0        3 1M-2M        -\n");
	EXPECT_CONTAINS(text, "calls of process 300 traffic_server:\n");
	EXPECT_CONTAINS(text, "     65536 -> 131071     : 125000   |");
	EXPECT_CONTAINS(text, "\nHOLDERS (who held mmap_lock for write while others waited)\n");
	EXPECT_CONTAINS(text, "300      ET_NET 0         traffic_server   mmap_lock        40     800ms    50.0ms\n");
	EXPECT_CONTAINS(text, "\nSLABINFO READERS (");
	EXPECT_CONTAINS(text, "200      ss               ss                     12     480ms    45.0ms\n");
	EXPECT_CONTAINS(text, "\nSLAB CACHES (");
	EXPECT_CONTAINS(text, "buffer_head                      10     405ms    41.0ms\n");
	EXPECT_CONTAINS(text, "      reclaim: orders 0:1, 15+:1; gfp GFP_KERNEL 1, 0x100cca 1; 512 pages reclaimed\n");
	EXPECT_CONTAINS(text, "301 ET_NET 1 (process 300 traffic_server)\n    (no stalls)\n");
	/* the holders come in order of blocked time */
	EXPECT_TRUE(strstr(text, "300      ET_NET 0         traffic_server   mmap_lock") <
		    strstr(text, "101      tokio-runtime-w  server"));
	free(text);
}

TEST(text_report_mm_absent)
{
	struct sb b;
	char *text;

	sb_init(&b);
	sb_empty(&b, MMSTALL_SEC_HOLDERS, sizeof(struct mmstall_holder_rec));
	text = render(report_text, &b);
	sb_free(&b);
	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "MM CALLS (mmap-family system calls: per process, then its threads)\n(not in this snapshot");
	EXPECT_CONTAINS(text, "while others waited)\n(none recorded)\n");
	EXPECT_TRUE(!strstr(text, "note:"));
	free(text);
}

TEST(text_reclaim_memcg_escaped)
{
	struct mmstall_reclaim_rec rc;
	struct mmstall_stat_rec st;
	struct sb b;
	char *text;

	sb_init(&b);
	sb_task(&b, 1, 10, 10, "t", "t");
	memset(&st, 0, sizeof(st));
	st.task = 1;
	st.class = MMSTALL_CLASS_MEMCG_RECLAIM;
	sb_stat_add(&st, 1000, MMSTALL_NR_LOCKS, 0);
	sb_stat(&b, &st);
	memset(&rc, 0, sizeof(rc));
	rc.task = 1;
	rc.class = MMSTALL_CLASS_MEMCG_RECLAIM;
	strcpy(rc.memcg, "/a\nb");
	sb_add(&b, MMSTALL_SEC_RECLAIM, &rc, sizeof(rc));
	sb_note(&b, "k\x1b", "v\n");
	text = render(report_text, &b);
	sb_free(&b);
	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "      reclaim: orders -; gfp -; 0 pages reclaimed; memcg /a\\x0ab\n");
	EXPECT_CONTAINS(text, "note: k\\x1b: v\\x0a\n");
	free(text);
}

TEST(status_feature_probes)
{
	struct sb b;
	char *text;

	sb_sample(&b);
	text = render(print_probes, &b);
	sb_free(&b);
	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "\nmm_calls         kprobe      attached        150143");
	EXPECT_CONTAINS(text, "\nwrite_hold       tracepoint  off ");
	EXPECT_CONTAINS(text, "\nslabinfo_readers kprobe      missing ");
	free(text);
	sb_sample(&b);
	text = render(print_summary, &b);
	sb_free(&b);
	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "note: holders: from the rwsem owner field\n");
	free(text);
}

TEST(mm_names)
{
	char buf[16];

	EXPECT_STREQ(class_name(MMSTALL_FEATURE_MM_CALLS), "mm_calls");
	EXPECT_STREQ(class_name(MMSTALL_FEATURE_WRITE_HOLD), "write_hold");
	EXPECT_STREQ(class_name(MMSTALL_FEATURE_SLABINFO_READERS),
		     "slabinfo_readers");
	EXPECT_STREQ(class_name(MMSTALL_FEATURE_END), "unknown");
	EXPECT_STREQ(class_name(MMSTALL_NR_CLASSES), "unknown");
	EXPECT_EQ(class_by_name("mm_calls"), -1);	/* not a stall class */
	EXPECT_STREQ(state_name(MMSTALL_STATE_OFF), "off");
	EXPECT_STREQ(call_name(MMSTALL_CALL_MPROTECT), "mprotect");
	EXPECT_STREQ(gfp_name(NULL, 0x100cca, buf, sizeof(buf)), "0x100cca");
	EXPECT_STREQ(gfp_name(NULL, 0, buf, sizeof(buf)), "0x0");
}

/*
 * Many tasks, each its own process and name (or all threads of one
 * process), with a stall, calls, a hold and a /proc/slabinfo read (a
 * crafted file can be that large): every output is made in seconds of
 * CPU, none compares all pairs.
 */
static void many_tasks(struct test *_t, bool one_process)
{
	struct task_filter f = { .class = -1 };
	struct mmstall_mm_calls_rec mc;
	struct mmstall_stat_rec st;
	unsigned int i, nr = 60000;
	struct timespec t0, t1;
	struct top_table tt;
	unsigned char *buf;
	struct snap s;
	char err[256];
	struct sb b;
	size_t len;
	FILE *null;
	char name[16];

	sb_init(&b);
	b.hdr.max_tasks = nr;
	b.hdr.used_tasks = nr;
	b.hdr.max_stats = nr;
	b.hdr.used_stats = nr;
	for (i = 0; i < nr; i++) {
		snprintf(name, sizeof(name), "p%u", i);
		sb_task(&b, i, 10 + i, one_process ? 10 : 10 + i, name,
			one_process ? "p0" : name);
		memset(&st, 0, sizeof(st));
		st.task = i;
		st.class = i % MMSTALL_NR_CLASSES;
		sb_stat_add(&st, 1000 + i, MMSTALL_LOCK_MMAP, 64 + i);
		sb_stat(&b, &st);
		memset(&mc, 0, sizeof(mc));
		mc.task = i;
		sb_mm_call(&mc, MMSTALL_CALL_MMAP, 4096, 1 + i);
		sb_add(&b, MMSTALL_SEC_MM_CALLS, &mc, sizeof(mc));
		sb_holder(&b, i, MMSTALL_LOCK_MMAP, 1, i, i);
		sb_slabinfo(&b, i, 1, i, i);
	}
	buf = sb_build(&b, &len);
	sb_free(&b);
	ASSERT_EQ(snap_decode(buf, len, &s, err, sizeof(err)), SNAP_OK);
	free(buf);
	null = fopen("/dev/null", "w");
	ASSERT_TRUE(null != NULL);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	report_text(null, &s);
	report_json(null, &s);
	EXPECT_EQ(report_prometheus(null, &s, 10), 0);
	print_hists(null, &s, &f, false);
	ASSERT_EQ(top_table_build(&tt, &s, &s, &f, TOP_SORT_CALLS), 0);
	top_table_free(&tt);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	fclose(null);
	EXPECT_LE(t1.tv_sec - t0.tv_sec, 10);
	printf("# %u tasks%s: every output in %.2f s of CPU\n", nr,
	       one_process ? " of one process" : "",
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	snap_free(&s);
}

TEST(outputs_of_many_processes_fast)
{
	many_tasks(_t, false);
}

TEST(outputs_of_many_threads_fast)
{
	many_tasks(_t, true);
}
