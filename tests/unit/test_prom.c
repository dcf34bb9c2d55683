// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus exposition: cumulative buckets, +Inf == _count, label
 * escaping, and the top-N cardinality with process="other".
 */
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "snapbuild.h"
#include "../../userspace/format.h"

static char *prom(struct sb *b, unsigned long top)
{
	char *text = NULL, err[256];
	unsigned char *buf;
	size_t size = 0, len;
	struct snap s;
	FILE *f;

	buf = sb_build(b, &len);
	sb_free(b);
	if (snap_decode(buf, len, &s, err, sizeof(err))) {
		printf("# decode: %s\n", err);
		free(buf);
		return NULL;
	}
	free(buf);
	f = open_memstream(&text, &size);
	if (report_prometheus(f, &s, top))
		printf("# report_prometheus failed\n");
	fclose(f);
	snap_free(&s);
	return text;
}

static char *label_value(const char *s)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f;

	f = open_memstream(&text, &size);
	prom_label_value(f, s);
	fclose(f);
	return text;
}

/* The value of the sample line that starts with @series + " ", or -1. */
static double sample(const char *text, const char *series)
{
	size_t n = strlen(series);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, series, n) && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

/* Lines starting with @prefix. */
static unsigned int count_lines(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p = text;
	unsigned int count = 0;

	while (p && *p) {
		if (!strncmp(p, prefix, n))
			count++;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return count;
}

/*
 * Every bucket series of @text: counts never decrease along le, the last
 * le is +Inf and equals _count.  Returns the number of series checked,
 * or -1 on a violation (with a diagnostic).
 */
static int check_buckets(const char *text)
{
	char series[512], prev[512] = "", count_name[600];
	const char *p = text, *le, *end;
	double v, last = -1;
	int nr = 0;
	size_t n;

	for (; p && *p; p = end ? end + 1 : NULL) {
		end = strchr(p, '\n');
		if (strncmp(p, "mmstall_stall_seconds_bucket{", 29))
			continue;
		le = strstr(p, ",le=\"");
		if (!le || (end && le > end))
			return -1;
		n = le - (p + 29);
		if (n >= sizeof(series))
			return -1;
		memcpy(series, p + 29, n);
		series[n] = '\0';
		if (strcmp(series, prev)) {
			snprintf(prev, sizeof(prev), "%s", series);
			last = -1;
			nr++;
		}
		v = strtod(strchr(le, '}') + 2, NULL);
		if (v < last) {
			printf("# not cumulative: %.*s\n", (int)(end - p), p);
			return -1;
		}
		last = v;
		if (!strncmp(le, ",le=\"+Inf\"}", 11)) {
			snprintf(count_name, sizeof(count_name),
				 "mmstall_stall_seconds_count{%s}", series);
			if (sample(text, count_name) != v) {
				printf("# +Inf %g != %s\n", v, count_name);
				return -1;
			}
		}
	}
	return nr;
}

TEST(prom_buckets_cumulative_sample)
{
	struct sb b;
	char *text;

	sb_sample(&b);
	text = prom(&b, 10);
	ASSERT_TRUE(text);
	/* server: rwsem_read, rwsem_write, direct_reclaim; ss: slab */
	EXPECT_EQ(check_buckets(text), 4);
	EXPECT_EQ(count_lines(text, "mmstall_stall_seconds_bucket{class=\"rwsem_write\",process=\"server\","), 16);
	EXPECT_TRUE(sample(text, "mmstall_stall_seconds_count{class=\"rwsem_write\",process=\"server\"}") == 131);
	/* threads 101 and 102 summed */
	EXPECT_TRUE(sample(text, "mmstall_stall_seconds_count{class=\"rwsem_read\",process=\"server\"}") == 70);
	/* 200 s: beyond the last finite bound, counted only in +Inf */
	EXPECT_TRUE(sample(text, "mmstall_stall_seconds_bucket{class=\"direct_reclaim\",process=\"server\",le=\"68.719476736\"}") == 1);
	EXPECT_TRUE(sample(text, "mmstall_stall_seconds_bucket{class=\"direct_reclaim\",process=\"server\",le=\"+Inf\"}") == 2);
	EXPECT_TRUE(sample(text, "mmstall_stall_seconds_bucket{class=\"direct_reclaim\",process=\"server\",le=\"0.000000256\"}") == 1);
	EXPECT_TRUE(sample(text, "mmstall_stall_seconds_sum{class=\"direct_reclaim\",process=\"server\"}") == 200.0000001);
	EXPECT_CONTAINS(text, "# TYPE mmstall_stall_seconds histogram\n");
	EXPECT_CONTAINS(text, "mmstall_window_seconds 12.5\n");
	EXPECT_CONTAINS(text, "mmstall_lost_total{what=\"kretprobe_missed\"} 3\n");
	EXPECT_CONTAINS(text, "mmstall_probe_attached{class=\"compaction\",target=\"mm_compaction_begin\"} 0\n");
	EXPECT_CONTAINS(text, "mmstall_probe_attached{class=\"mm_calls\",target=\"__x64_sys_mmap\"} 1\n");
	EXPECT_CONTAINS(text, "mmstall_mm_calls_total{process=\"traffic_server\",call=\"mmap\"} 75000\n");
	EXPECT_CONTAINS(text, "mmstall_slabinfo_reads_total{process=\"ss\"} 12\n");
	EXPECT_CONTAINS(text, "mmstall_slabinfo_read_seconds_total{process=\"ss\"} 0.48\n");
	EXPECT_CONTAINS(text, "mmstall_holder_blocked_seconds_total{process=\"traffic_server\"} 0.8\n");
	EXPECT_CONTAINS(text, "mmstall_up 1\n");
	free(text);
}

TEST(prom_label_escaping)
{
	char *v;

	v = label_value("a\"b\\c\nd");
	EXPECT_STREQ(v, "a\\\"b\\\\c\\nd");
	free(v);
	/* no escape in the format for these: the text \xNN */
	v = label_value("t\x01\x7f\xff");
	EXPECT_STREQ(v, "t\\\\x01\\\\x7f\\\\xff");
	free(v);
	/* UTF-8 passes; a tab, like any control byte, as the text report */
	v = label_value("caf\xc3\xa9 tab\there");
	EXPECT_STREQ(v, "caf\xc3\xa9 tab\\\\x09here");
	free(v);
}

TEST(prom_escaped_process_in_output)
{
	struct sb b;
	char *text;

	sb_many(&b, "q\"x\\y\nz");
	text = prom(&b, 3);
	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "mmstall_stall_seconds_count{class=\"rwsem_write\",process=\"q\\\"x\\\\y\\nz\"} 14\n");
	EXPECT_CONTAINS(text, "mmstall_holder_blocked_seconds_total{process=\"q\\\"x\\\\y\\nz\"} 0.005\n");
	/* no raw newline inside a sample line */
	EXPECT_TRUE(!strstr(text, "x\\\\y\nz"));
	free(text);
}

TEST(prom_top_n_other)
{
	struct sb b;
	char *text;

	sb_many(&b, "weird");
	text = prom(&b, 3);
	ASSERT_TRUE(text);
	EXPECT_EQ(check_buckets(text), 6);
	/* rwsem_write: weird, proc12, proc11, and the other 11 summed */
	EXPECT_EQ(count_lines(text, "mmstall_stall_seconds_count{class=\"rwsem_write\""), 4);
	EXPECT_TRUE(sample(text, "mmstall_stall_seconds_count{class=\"rwsem_write\",process=\"other\"}") == 66);
	EXPECT_TRUE(sample(text, "mmstall_stall_seconds_sum{class=\"rwsem_write\",process=\"other\"}") == 0.0506);
	/* even processes 0..10 have a reader thread: 6 waits */
	EXPECT_TRUE(sample(text, "mmstall_stall_seconds_count{class=\"rwsem_read\",process=\"other\"}") == 6);
	EXPECT_TRUE(sample(text, "mmstall_stall_seconds_count{class=\"rwsem_read\",process=\"proc12\"}") == 1);
	EXPECT_TRUE(sample(text, "mmstall_stall_seconds_count{class=\"rwsem_write\",process=\"proc10\"}") == -1);
	EXPECT_TRUE(sample(text, "mmstall_mm_calls_total{process=\"other\",call=\"mmap\"}") == 660);
	EXPECT_EQ(count_lines(text, "mmstall_mm_calls_total{"), 4 * MMSTALL_NR_CALLS);
	/* two readers, fewer than N: no "other" */
	EXPECT_EQ(count_lines(text, "mmstall_slabinfo_reads_total{"), 2);
	free(text);

	sb_many(&b, "weird");
	text = prom(&b, 0);		/* no limit */
	ASSERT_TRUE(text);
	EXPECT_EQ(count_lines(text, "mmstall_stall_seconds_count{class=\"rwsem_write\""), SB_MANY_PROCS);
	/* the process really called "other" is one series of its own */
	EXPECT_TRUE(sample(text, "mmstall_stall_seconds_count{class=\"rwsem_write\",process=\"other\"}") == SB_MANY_OTHER + 1);
	free(text);
}

TEST(prom_other_named_process_joins_other)
{
	struct sb b;
	char *text;

	/* top 12 keeps processes 13..2; 2 is "other": it joins 0 and 1 */
	sb_many(&b, "weird");
	text = prom(&b, 12);
	ASSERT_TRUE(text);
	EXPECT_EQ(count_lines(text, "mmstall_stall_seconds_count{class=\"rwsem_write\",process=\"other\"}"), 1);
	EXPECT_TRUE(sample(text, "mmstall_stall_seconds_count{class=\"rwsem_write\",process=\"other\"}") == 1 + 2 + 3);
	EXPECT_EQ(count_lines(text, "mmstall_stall_seconds_count{class=\"rwsem_write\""), 12);
	EXPECT_TRUE(check_buckets(text) > 0);
	free(text);
}

TEST(prom_empty)
{
	struct sb b;
	char *text;

	sb_init(&b);
	text = prom(&b, 10);
	ASSERT_TRUE(text);
	EXPECT_EQ(check_buckets(text), 0);
	EXPECT_CONTAINS(text, "# TYPE mmstall_stall_seconds histogram\n");
	EXPECT_CONTAINS(text, "mmstall_up 1\n");
	free(text);
}

/*
 * A crafted file where every task has a name of its own: grouping them
 * by name stays fast, and the top N are kept.
 */
TEST(prom_many_names)
{
	unsigned int i, nr = 200000;
	struct timespec t0, t1;
	char name[16], *text;
	struct sb b;

	sb_init(&b);
	b.hdr.max_tasks = nr;
	b.hdr.used_tasks = nr;
	for (i = 0; i < nr; i++) {
		snprintf(name, sizeof(name), "p%u", i);
		sb_task(&b, i, 10 + i, 10 + i, name, name);
		sb_slabinfo(&b, i, 1 + i, 1000 * (1 + i), 1000);
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	text = prom(&b, 10);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	ASSERT_TRUE(text != NULL);
	EXPECT_LE(t1.tv_sec - t0.tv_sec, 10);
	/* ranked by read time: the last task first; the rest as other */
	EXPECT_EQ(sample(text, "mmstall_slabinfo_reads_total{process=\"p199999\"}"),
		  200000);
	EXPECT_EQ(sample(text, "mmstall_slabinfo_reads_total{process=\"other\"}"),
		  (double)nr * (nr + 1) / 2 - (199991.0 + 200000) * 10 / 2);
	free(text);
}
