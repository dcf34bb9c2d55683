// SPDX-License-Identifier: GPL-2.0
/*
 * Write a synthetic snapshot for the command-line tests:
 * mksnap VARIANT FILE, VARIANT one of sample, weird, empty, mm_edge, many,
 * truncated, badabi, badmagic, corrupt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapbuild.h"

/*
 * A memcg reclaim with its details, extreme lengths, and records a live
 * copy leaves behind (an orphan mm_calls record and reclaim record, two
 * holder records of one task and lock).
 */
static void mm_edge(struct sb *b)
{
	struct mmstall_mm_calls_rec mc;
	struct mmstall_reclaim_rec rc;
	struct mmstall_stat_rec st;

	sb_init(b);
	sb_task(b, 2, 400, 400, "postgres", "postgres");
	memset(&st, 0, sizeof(st));
	st.task = 2;
	st.class = MMSTALL_CLASS_MEMCG_RECLAIM;
	sb_stat_add(&st, 5000, MMSTALL_NR_LOCKS, 0);
	sb_stat(b, &st);
	memset(&rc, 0, sizeof(rc));
	rc.task = 2;
	rc.class = MMSTALL_CLASS_MEMCG_RECLAIM;
	rc.order_count[3] = 4;
	rc.nr_reclaimed = 32;
	rc.gfp[1].gfp = 0x100cca;
	rc.gfp[1].count = 4;
	strcpy(rc.memcg, "/system.slice/db.service");
	sb_add(b, MMSTALL_SEC_RECLAIM, &rc, sizeof(rc));
	rc.class = MMSTALL_CLASS_COMPACTION;	/* no such stall: orphan */
	sb_add(b, MMSTALL_SEC_RECLAIM, &rc, sizeof(rc));
	sb_gfp_name(b, 0x100cca, "GFP_HIGHUSER_MOVABLE|__GFP_COMP");

	memset(&mc, 0, sizeof(mc));
	mc.task = 2;
	sb_mm_call(&mc, MMSTALL_CALL_MREMAP, ~0ULL >> 1, 1);
	sb_mm_call(&mc, MMSTALL_CALL_BRK, 0, 2);
	sb_mm_call(&mc, MMSTALL_CALL_MPROTECT, 1, 3);
	sb_add(b, MMSTALL_SEC_MM_CALLS, &mc, sizeof(mc));
	mc.task = 9;				/* no such task: orphan */
	sb_add(b, MMSTALL_SEC_MM_CALLS, &mc, sizeof(mc));

	sb_holder(b, 2, MMSTALL_LOCK_MMAP, 1, 1000, 1000);
	sb_holder(b, 2, MMSTALL_LOCK_MMAP, 2, 5000, 4000);
	sb_empty(b, MMSTALL_SEC_SLABINFO_READERS,
		 sizeof(struct mmstall_slabinfo_reader_rec));
}

int main(int argc, char **argv)
{
	struct mmstall_stat_rec st;
	unsigned char *buf;
	struct sb b;
	size_t len;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: mksnap VARIANT FILE\n");
		return 2;
	}
	if (!strcmp(argv[1], "weird")) {
		sb_init(&b);
		sb_task(&b, 2, 300, 300, "q\"b\\c\x01\x7f\xff", "tab\there");
		memset(&st, 0, sizeof(st));
		st.task = 2;
		st.class = MMSTALL_CLASS_COMPACTION;
		sb_stat_add(&st, 5000, MMSTALL_NR_LOCKS, 0);
		sb_stat(&b, &st);
	} else if (!strcmp(argv[1], "many")) {
		sb_many(&b, "a\"b\\c\nd");
	} else if (!strcmp(argv[1], "mm_edge")) {
		mm_edge(&b);
	} else if (!strcmp(argv[1], "empty")) {
		sb_init(&b);
		b.hdr.used_tasks = 0;
		b.hdr.used_stats = 0;
	} else {
		sb_sample(&b);
	}
	buf = sb_build(&b, &len);
	sb_free(&b);
	if (!strcmp(argv[1], "truncated"))
		len -= 100;
	else if (!strcmp(argv[1], "badabi"))
		((struct mmstall_snap_header *)buf)->abi = 2;
	else if (!strcmp(argv[1], "badmagic"))
		buf[3] ^= 0x20;
	else if (!strcmp(argv[1], "corrupt"))
		((struct mmstall_snap_header *)buf)->section_size = 4;
	f = fopen(argv[2], "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	free(buf);
	return 0;
}
