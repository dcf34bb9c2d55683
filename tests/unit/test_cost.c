// SPDX-License-Identifier: GPL-2.0
/* The module's self-accounting: COSTS decoded, estimated and shown. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "snapbuild.h"
#include "../../userspace/cost.h"
#include "../../userspace/format.h"

static void sb_cost(struct sb *b, __u32 class, __u64 calls, __u64 sampled,
		    __u64 sampled_ns)
{
	struct mmstall_cost_rec r = {
		.class = class, .probes = 2, .calls = calls,
		.sampled = sampled, .sampled_ns = sampled_ns,
	};

	sb_add(b, MMSTALL_SEC_COSTS, &r, sizeof(r));
}

static int decode(struct sb *b, struct snap *s)
{
	unsigned char *buf;
	char err[256];
	size_t len;
	int rc;

	buf = sb_build(b, &len);
	rc = snap_decode(buf, len, s, err, sizeof(err));
	if (rc)
		printf("# decode: %s\n", err);
	free(buf);
	return rc;
}

static char *render(void (*fn)(FILE *out, const struct snap *snap),
		    const struct snap *s)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	fn(f, s);
	fclose(f);
	return text;
}

TEST(cost_estimate_from_samples)
{
	struct snap s;
	struct sb b;

	sb_sample(&b);
	/* 1000 calls, 63 timed for 6300 ns: 100 ns each, 100 us in all */
	sb_cost(&b, MMSTALL_CLASS_RWSEM_WRITE, 1000, 63, 6300);
	sb_cost(&b, MMSTALL_FEATURE_MM_CALLS, 50, 0, 0);
	ASSERT_EQ(decode(&b, &s), 0);
	sb_free(&b);
	ASSERT_EQ(s.nr_costs, 2);
	EXPECT_EQ(cost_total_ns(&s.costs[0]), 100000);
	EXPECT_EQ(cost_total_ns(&s.costs[1]), 0);
	EXPECT_EQ(cost_snapshot_ns(&s), 100000);
	snap_free(&s);
}

TEST(cost_in_text_and_json)
{
	char *text, *json;
	struct snap s;
	struct sb b;

	sb_sample(&b);
	sb_cost(&b, MMSTALL_CLASS_RWSEM_READ, 32, 2, 500);
	ASSERT_EQ(decode(&b, &s), 0);
	sb_free(&b);
	text = render(report_text, &s);
	json = render(report_json, &s);
	snap_free(&s);
	ASSERT_TRUE(text && json);
	EXPECT_CONTAINS(text, "TRACING COST");
	EXPECT_CONTAINS(text, "tracing cost: ");
	EXPECT_CONTAINS(text, "rwsem_read");
	EXPECT_CONTAINS(json, "\"cost\"");
	EXPECT_CONTAINS(json, "\"handler_ns\": 8000");
	free(text);
	free(json);
}

TEST(cost_absent_is_said_nowhere)
{
	char *text;
	struct snap s;
	struct sb b;

	sb_sample(&b);
	ASSERT_EQ(decode(&b, &s), 0);
	sb_free(&b);
	text = render(report_text, &s);
	ASSERT_TRUE(s.costs == NULL);
	snap_free(&s);
	ASSERT_TRUE(text);
	EXPECT_TRUE(strstr(text, "TRACING COST") == NULL);
	free(text);
}

TEST(cost_bad_class_is_corrupt)
{
	struct snap s;
	struct sb b;

	sb_sample(&b);
	sb_cost(&b, 17, 1, 1, 1);
	EXPECT_EQ(decode(&b, &s), SNAP_ECORRUPT);
	sb_free(&b);
}
