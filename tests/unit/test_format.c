// SPDX-License-Identifier: GPL-2.0
/* The text formatters print the names people look for. */
#include <stdlib.h>

#include "harness.h"
#include "snapbuild.h"
#include "../../userspace/format.h"
#include "../../userspace/names.h"

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
