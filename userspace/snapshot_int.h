/* SPDX-License-Identifier: GPL-2.0 */
/* What the two halves of the decoder share: snapshot.c, snapshot_link.c. */
#ifndef MMSTALL_SNAPSHOT_INT_H
#define MMSTALL_SNAPSHOT_INT_H

#include "snapshot.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Write the message to @err and return @code. */
enum snap_err snap_fail(char *err, size_t errlen, enum snap_err code,
			const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Tie the decoded records together: drop unpublished tasks, attach
 * per-task records to their task (dropping or merging what a live copy
 * left behind), sort, and reject what no live copy explains.
 */
enum snap_err snap_link(struct snap *s, char *err, size_t n);

#endif /* MMSTALL_SNAPSHOT_INT_H */
