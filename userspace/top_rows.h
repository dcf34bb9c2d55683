/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rows of `mmstall top`: one per task and class that stalled, as
 * differences between two snapshots or since load, filtered and sorted,
 * and their lines of text.  No terminal here: top.c shows them.
 */
#ifndef MMSTALL_TOP_ROWS_H
#define MMSTALL_TOP_ROWS_H

#include <stddef.h>
#include "snapshot.h"
#include "stats.h"

enum top_sort {
	TOP_SORT_COUNT, TOP_SORT_TOTAL, TOP_SORT_MAX, TOP_SORT_CALLS,
	TOP_SORT_BLOCKED, TOP_NR_SORTS
};

/* "count", "total", "max", "calls", "blocked" */
const char *top_sort_name(enum top_sort key);
/* The key called @name, or -1. */
int top_sort_by_name(const char *name);

#define TOP_NO_CLASS	(-1)	/* a row of a task that did not stall */

struct top_row {
	const struct snap_task *task;	/* in the newer snapshot */
	int class;			/* or TOP_NO_CLASS */
	__u64 count;
	__u64 total_ns;
	__u64 max_ns;
	__u64 calls;		/* the task's mm calls */
	__u64 blocked_ns;	/* the task's holder time, all locks */
};

struct top_table {
	struct top_row *rows;
	size_t nr;
};

/*
 * The rows of @cur that @f lets through, as differences from @prev if not
 * NULL, sorted by @key (largest first, then pid and class).  Sorted by
 * calls or blocked, tasks that did not stall are rows too (class -).
 * Returns 0, or -1 if out of memory.  top_table_free() after use.
 */
int top_table_build(struct top_table *t, const struct snap *cur,
		    const struct snap *prev, const struct task_filter *f,
		    enum top_sort key);
void top_table_free(struct top_table *t);

/* Lines of text, no newline: every one fits in TOP_LINE_LEN bytes. */
#define TOP_LINE_LEN	256

/* "12:00:01 window 3.20s, lost: task_slots 0 ..." */
void top_title_line(char *buf, size_t len, const struct snap *cur);
/* "PID     COMM ..." */
void top_header_line(char *buf, size_t len);
void top_row_line(char *buf, size_t len, const struct top_row *r);

#endif /* MMSTALL_TOP_ROWS_H */
