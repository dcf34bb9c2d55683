// SPDX-License-Identifier: GPL-2.0
/* The reader's parser of the module's slow-event stream. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../userspace/event_parse.h"

static const char ev_line[] =
	"event time_ns=1763790192123456789 pid=42 tgid=40 class=rwsem_write "
	"dur_ns=12345678 lock=mmap_lock site=other:do\\x3dx comm=a\\x22b\\x0a "
	"process=jit frames=2\n";

TEST(event_line_fields)
{
	unsigned long long lost = 0;
	struct mm_event ev;

	ASSERT_EQ(event_parse_line(ev_line, &ev, &lost), EVENT_LINE_EVENT);
	EXPECT_EQ(ev.time_ns, 1763790192123456789ULL);
	EXPECT_EQ(ev.pid, 42);
	EXPECT_EQ(ev.tgid, 40);
	EXPECT_EQ(ev.dur_ns, 12345678);
	EXPECT_STREQ(ev.class, "rwsem_write");
	EXPECT_STREQ(ev.lock, "mmap_lock");
	EXPECT_STREQ(ev.process, "jit");
	EXPECT_EQ(ev.nr_frames, 2);
	EXPECT_TRUE(!event_complete(&ev));
	EXPECT_EQ(event_parse_line("  down_write+0x1/0x2\n", &ev, &lost),
		  EVENT_LINE_FRAME);
	EXPECT_EQ(event_parse_line("  vm_munmap+0x5/0x90\n", &ev, &lost),
		  EVENT_LINE_FRAME);
	EXPECT_TRUE(event_complete(&ev));
	EXPECT_STREQ(ev.frame[1], "vm_munmap+0x5/0x90");
}

TEST(event_lost_and_other_lines)
{
	unsigned long long lost = 0;
	struct mm_event ev;

	memset(&ev, 0, sizeof(ev));
	EXPECT_EQ(event_parse_line("lost 17\n", &ev, &lost), EVENT_LINE_LOST);
	EXPECT_EQ(lost, 17);
	EXPECT_EQ(event_parse_line("lost x\n", &ev, &lost), EVENT_LINE_BAD);
	EXPECT_EQ(event_parse_line("\n", &ev, &lost), EVENT_LINE_OTHER);
	EXPECT_EQ(event_parse_line("hello\n", &ev, &lost), EVENT_LINE_OTHER);
	/* no class or pid, a bad number, a token without '=' */
	EXPECT_EQ(event_parse_line("event pid=1\n", &ev, &lost),
		  EVENT_LINE_BAD);
	EXPECT_EQ(event_parse_line("event pid=1x class=a\n", &ev, &lost),
		  EVENT_LINE_BAD);
	EXPECT_EQ(event_parse_line("event pid=1 class=a junk\n", &ev, &lost),
		  EVENT_LINE_BAD);
	/* unknown keys of a newer module are ignored */
	EXPECT_EQ(event_parse_line("event pid=1 class=a cpu=3 new=x\n", &ev,
				   &lost), EVENT_LINE_EVENT);
}

TEST(event_frames_are_bounded)
{
	unsigned long long lost;
	struct mm_event ev;
	int i;

	ASSERT_EQ(event_parse_line("event pid=1 class=a frames=99\n", &ev,
				   &lost), EVENT_LINE_EVENT);
	EXPECT_EQ(ev.nr_frames, EVENT_MAX_FRAMES);
	for (i = 0; i < 40; i++)
		event_parse_line("  f+0x1/0x2\n", &ev, &lost);
	EXPECT_EQ(ev.got_frames, EVENT_MAX_FRAMES);
	EXPECT_TRUE(event_complete(&ev));
}

TEST(event_unescape_and_outputs)
{
	unsigned long long lost;
	char raw[64], *text = NULL, *json = NULL;
	size_t n1 = 0, n2 = 0;
	struct mm_event ev;
	FILE *f;

	event_unescape(raw, sizeof(raw), "a\\x22b\\x0a\\x5cz\\xq");
	EXPECT_STREQ(raw, "a\"b\n\\z\\xq");
	ASSERT_EQ(event_parse_line(ev_line, &ev, &lost), EVENT_LINE_EVENT);
	event_parse_line("  down_write+0x1/0x2\n", &ev, &lost);
	f = open_memstream(&text, &n1);
	event_print_text(f, &ev);
	fclose(f);
	f = open_memstream(&json, &n2);
	event_print_json(f, &ev);
	fclose(f);
	EXPECT_CONTAINS(text, "2025-11-22T05:43:12.123456Z 12.3ms pid 42");
	EXPECT_CONTAINS(text, "a\"b\\x0a (jit) rwsem_write mmap_lock");
	EXPECT_CONTAINS(text, "site other:do=x\n    down_write+0x1/0x2\n");
	EXPECT_CONTAINS(json, "\"comm\":\"a\\\"b\\n\"");
	EXPECT_CONTAINS(json, "\"site\":\"other:do=x\"");
	EXPECT_CONTAINS(json, "\"stack\":[\"down_write+0x1/0x2\"]");
	EXPECT_TRUE(strchr(json, '\n') == json + strlen(json) - 1);
	free(text);
	free(json);
}
