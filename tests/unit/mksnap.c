// SPDX-License-Identifier: GPL-2.0
/*
 * Write a synthetic snapshot for the command-line tests:
 * mksnap VARIANT FILE, VARIANT one of sample, weird, empty, truncated,
 * badabi, badmagic, corrupt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapbuild.h"

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
