// SPDX-License-Identifier: GPL-2.0
/* The report's memory context: /proc parsers and the vmstat section. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "snapbuild.h"
#include "../../userspace/context.h"
#include "../../userspace/format.h"

static const char zoneinfo[] =
"Node 0, zone      DMA\n"
"  per-node stats\n"
"      nr_inactive_anon 12\n"
"  pages free     3900\n"
"        boost    0\n"
"        min      33\n"
"        low      41\n"
"        high     49\n"
"        promo    57\n"
"        spanned  4095\n"
"        present  3998\n"
"        managed  3920\n"
"Node 0, zone    DMA32\n"
"  pages free     1200\n"
"        min      1500\n"
"        low      1875\n"
"        high     2250\n"
"        managed  120000\n"
"Node 0, zone  Movable\n"
"  pages free     0\n"
"        min      0\n"
"        low      0\n"
"        high     0\n"
"        managed  0\n";

static const char psi[] =
"some avg10=1.50 avg60=0.25 avg300=0.05 total=123456\n"
"full avg10=0.75 avg60=0.00 avg300=0.00 total=6543\n";

static void parse(struct mm_context *ctx)
{
	FILE *f;

	memset(ctx, 0, sizeof(*ctx));
	ctx->read = true;
	f = fmemopen((void *)zoneinfo, strlen(zoneinfo), "r");
	context_parse_zoneinfo(ctx, f);
	fclose(f);
	f = fmemopen((void *)psi, strlen(psi), "r");
	context_parse_psi(ctx, f);
	fclose(f);
}

TEST(context_parse_proc)
{
	struct mm_context ctx;

	parse(&ctx);
	ASSERT_EQ(ctx.nr_zones, 3);
	EXPECT_STREQ(ctx.zones[0].zone, "DMA");
	EXPECT_EQ(ctx.zones[0].free, 3900);
	EXPECT_EQ(ctx.zones[0].min, 33);
	EXPECT_EQ(ctx.zones[0].low, 41);
	EXPECT_EQ(ctx.zones[0].high, 49);
	EXPECT_EQ(ctx.zones[0].managed, 3920);
	EXPECT_STREQ(ctx.zones[1].zone, "DMA32");
	EXPECT_EQ(ctx.zones[1].free, 1200);
	EXPECT_EQ(ctx.zones[1].high, 2250);
	EXPECT_TRUE(ctx.has_psi);
	EXPECT_TRUE(ctx.full.present);
	EXPECT_EQ(ctx.some.total_us, 123456);
	EXPECT_TRUE(ctx.some.avg10 > 1.49 && ctx.some.avg10 < 1.51);
}

static void vmstat(struct sb *b, const char *name, __u64 start, __u64 now)
{
	struct mmstall_vmstat_rec r;

	memset(&r, 0, sizeof(r));
	snprintf(r.name, sizeof(r.name), "%s", name);
	r.start = start;
	r.now = now;
	sb_add(b, MMSTALL_SEC_VMSTAT, &r, sizeof(r));
}

static char *render(void (*fn)(FILE *out, const struct snap *snap),
		    const struct mm_context *ctx)
{
	char *text = NULL, err[256];
	unsigned char *buf;
	size_t size = 0, len;
	struct snap s;
	struct sb b;
	FILE *f;

	sb_sample(&b);
	vmstat(&b, "allocstall", 10, 15);
	vmstat(&b, "pgscan_direct", 100, 4200);
	vmstat(&b, "kswapd_wakeups", 0, 7);
	buf = sb_build(&b, &len);
	sb_free(&b);
	if (snap_decode(buf, len, &s, err, sizeof(err))) {
		printf("# decode: %s\n", err);
		free(buf);
		return NULL;
	}
	free(buf);
	s.context = ctx;
	f = open_memstream(&text, &size);
	fn(f, &s);
	fclose(f);
	snap_free(&s);
	return text;
}

TEST(context_json_live)
{
	struct mm_context ctx;
	char *text;

	parse(&ctx);
	text = render(report_json, &ctx);
	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "\"context\": {");
	EXPECT_CONTAINS(text, "\"source\": \"live\"");
	EXPECT_CONTAINS(text, "\"allocstall\": 5");
	EXPECT_CONTAINS(text, "\"pgscan_direct\": 4100");
	EXPECT_CONTAINS(text, "\"kswapd_wakeups\": 7");
	EXPECT_CONTAINS(text, "\"total_us\": 123456");
	EXPECT_CONTAINS(text, "\"zone\": \"DMA32\", \"free\": 1200, \"min\": 1500");
	/* an empty zone is left out */
	EXPECT_TRUE(!strstr(text, "Movable"));
	free(text);
}

TEST(context_json_saved)
{
	char *text = render(report_json, NULL);

	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "\"source\": \"file\"");
	EXPECT_CONTAINS(text, "\"allocstall\": 5");
	EXPECT_CONTAINS(text, "\"psi_memory\": null");
	EXPECT_CONTAINS(text, "\"zones\": []");
	free(text);
}

TEST(context_text)
{
	struct mm_context ctx;
	char *text;

	parse(&ctx);
	text = render(report_text, &ctx);
	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "\nCONTEXT (");
	EXPECT_CONTAINS(text, "vmstat: allocstall +5, pgscan_direct +4100, kswapd_wakeups +7\n");
	EXPECT_CONTAINS(text, "psi memory: some avg10=1.50 avg60=0.25 avg300=0.05 total=123456us;");
	EXPECT_CONTAINS(text, "below min: allocations reclaim directly");
	free(text);
	text = render(report_text, NULL);
	ASSERT_TRUE(text);
	EXPECT_CONTAINS(text, "psi, zones: not read (a saved snapshot)\n");
	free(text);
}
