// SPDX-License-Identifier: GPL-2.0
/*
 * Write a synthetic snapshot for the command-line tests:
 * mksnap VARIANT FILE, VARIANT one of sb_variant()'s (sample, weird,
 * empty, mm_edge, many, hostile) or truncated, badabi, badmagic, corrupt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapbuild.h"

int main(int argc, char **argv)
{
	unsigned char *buf;
	struct sb b;
	size_t len;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: mksnap VARIANT FILE\n");
		return 2;
	}
	/* The broken ones are the sample, broken. */
	if (sb_variant(&b, argv[1]))
		sb_sample(&b);
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
