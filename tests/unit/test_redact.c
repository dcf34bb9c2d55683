// SPDX-License-Identifier: GPL-2.0
/* Kernel addresses in the snapshot's strings are replaced, and only they. */
#include <stdlib.h>

#include "harness.h"
#include "snapbuild.h"
#include "../../userspace/redact.h"
#include "../../userspace/snapshot.h"

#define EXPECT_REDACT(in, out, n) do {					\
	char _b[128];							\
	snprintf(_b, sizeof(_b), "%s", in);				\
	EXPECT_EQ(redact_kernel_addresses(_b), n);			\
	EXPECT_STREQ(_b, out);						\
} while (0)

TEST(redact_addresses)
{
	EXPECT_REDACT("0xffffffff81234567", "[addr]", 1);
	EXPECT_REDACT("fn+0xffff888012345678/0x10", "fn+[addr]/0x10", 1);
	EXPECT_REDACT("ffff88801234567", "[addr]", 1);	/* a 15-byte comm */
	EXPECT_REDACT("ffff00001111", "[addr]", 1);	/* 12 digits */
	EXPECT_REDACT("FFFF888012345678", "[addr]", 1);
	EXPECT_REDACT("x ffff888012345678 y 0XFFFFFFFF81000000 z",
		      "x [addr] y [addr] z", 1 + 1);
	EXPECT_REDACT("a0xffffffff81234567b", "a[addr]", 1);
	/* not addresses: too short, or not starting with ffff */
	EXPECT_REDACT("0xffffffff", "0xffffffff", 0);
	EXPECT_REDACT("ffff0000111", "ffff0000111", 0);
	EXPECT_REDACT("deadbeefffff8888", "deadbeefffff8888", 0);
	EXPECT_REDACT("other:do_mmap", "other:do_mmap", 0);
	EXPECT_REDACT("", "", 0);
}

TEST(redact_in_decoded_strings)
{
	struct mmstall_stat_rec st;
	unsigned char *buf;
	struct snap snap;
	char err[256];
	struct sb b;
	size_t len;

	sb_init(&b);
	strcpy(b.hdr.release, "6.1 at 0xffffffff81000000");
	sb_probe(&b, MMSTALL_CLASS_RWSEM_READ, MMSTALL_KIND_KPROBE,
		 MMSTALL_STATE_ATTACHED, 0, 1, 0, "ffffffffc0123456");
	sb_name(&b, 64, "other:0xffffffff81234567");
	sb_task(&b, 1, 10, 10, "ffff888012345678", "ok");
	memset(&st, 0, sizeof(st));
	st.task = 1;
	st.class = MMSTALL_CLASS_RWSEM_READ;
	sb_stat_add(&st, 1000, MMSTALL_LOCK_MMAP, 64);
	sb_stat(&b, &st);
	sb_note(&b, "k", "at 0xffff888000001000");
	sb_slab_cache(&b, "cache-ffff888000002000", 1, 1, 1);
	buf = sb_build(&b, &len);
	sb_free(&b);
	ASSERT_EQ(snap_decode(buf, len, &snap, err, sizeof(err)), SNAP_OK);
	free(buf);
	EXPECT_STREQ(snap.hdr.release, "6.1 at [addr]");
	EXPECT_STREQ(snap.probes[0].target, "[addr]");
	EXPECT_STREQ(snap_dynamic_name(&snap, 64), "other:[addr]");
	EXPECT_STREQ(snap.tasks[0].rec.comm, "[addr]");
	EXPECT_STREQ(snap.tasks[0].rec.process, "ok");
	EXPECT_STREQ(snap.notes[0].value, "at [addr]");
	EXPECT_STREQ(snap.slab_caches[0].cache, "cache-[addr]");
	snap_free(&snap);
}
