// SPDX-License-Identifier: GPL-2.0
/* The rows of `mmstall top`, and their lines of text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "names.h"
#include "top_rows.h"

static const char *const sort_names[TOP_NR_SORTS] = {
	[TOP_SORT_COUNT] = "count", [TOP_SORT_TOTAL] = "total",
	[TOP_SORT_MAX] = "max", [TOP_SORT_CALLS] = "calls",
	[TOP_SORT_BLOCKED] = "blocked",
};

const char *top_sort_name(enum top_sort key)
{
	return (unsigned int)key < TOP_NR_SORTS ? sort_names[key] : "?";
}

int top_sort_by_name(const char *name)
{
	int k;

	for (k = 0; k < TOP_NR_SORTS; k++)
		if (!strcmp(name, sort_names[k]))
			return k;
	return -1;
}

/* qsort() has no context argument. */
static enum top_sort sort_by;

static __u64 sort_value(const struct top_row *r)
{
	switch (sort_by) {
	case TOP_SORT_COUNT:
		return r->count;
	case TOP_SORT_MAX:
		return r->max_ns;
	case TOP_SORT_CALLS:
		return r->calls;
	case TOP_SORT_BLOCKED:
		return r->blocked_ns;
	default:
		return r->total_ns;
	}
}

static int cmp_row(const void *x, const void *y)
{
	const struct top_row *a = x, *b = y;
	__u64 va = sort_value(a), vb = sort_value(b);

	if (va != vb)
		return va > vb ? -1 : 1;
	if (a->task->rec.pid != b->task->rec.pid)
		return a->task->rec.pid < b->task->rec.pid ? -1 : 1;
	return (a->class > b->class) - (a->class < b->class);
}

static int cmp_task(const void *x, const void *y)
{
	const struct snap_task *a = x, *b = y;

	if (a->rec.tgid != b->rec.tgid)
		return a->rec.tgid < b->rec.tgid ? -1 : 1;
	if (a->rec.pid != b->rec.pid)
		return a->rec.pid < b->rec.pid ? -1 : 1;
	return (a->rec.slot > b->rec.slot) - (a->rec.slot < b->rec.slot);
}

/* The same task in @prev, or NULL. */
static const struct snap_task *prev_task(const struct snap *prev,
					 const struct snap_task *t)
{
	if (!prev || !prev->nr_tasks)
		return NULL;
	return bsearch(t, prev->tasks, prev->nr_tasks, sizeof(*prev->tasks),
		       cmp_task);
}

static __u64 delta(__u64 cur, __u64 prev)
{
	return cur >= prev ? cur - prev : cur;
}

static __u64 task_calls(const struct snap *s, const struct snap_task *t)
{
	return t && t->mm_calls >= 0 ?
	       mm_calls_total(&s->mm_calls[t->mm_calls]) : 0;
}

static __u64 task_blocked(const struct snap *s, const struct snap_task *t)
{
	unsigned int l;
	__u64 sum = 0;

	for (l = 0; t && l < MMSTALL_NR_LOCKS; l++)
		if (t->holder[l] >= 0)
			sum += s->holders[t->holder[l]].blocked_ns;
	return sum;
}

/* Rows of @cur, as differences from @prev if not NULL. */
static size_t collect(const struct snap *cur, const struct snap *prev,
		      const struct task_filter *f, enum top_sort key,
		      struct top_row *rows)
{
	bool others = (key == TOP_SORT_CALLS || key == TOP_SORT_BLOCKED) &&
		      f->class < 0;
	const struct mmstall_stat_rec *st, *ps;
	const struct snap_task *t, *pt;
	size_t i, n = 0, first;
	__u64 calls, blocked;
	int c;

	for (i = 0; i < cur->nr_tasks; i++) {
		t = &cur->tasks[i];
		if (!task_matches(f, t))
			continue;
		pt = prev_task(prev, t);
		calls = delta(task_calls(cur, t), task_calls(prev, pt));
		blocked = delta(task_blocked(cur, t), task_blocked(prev, pt));
		first = n;
		for (c = 0; c < MMSTALL_NR_CLASSES; c++) {
			if (t->stat[c] < 0 || (f->class >= 0 && c != f->class))
				continue;
			st = &cur->stats[t->stat[c]];
			ps = NULL;
			if (pt && pt->stat[c] >= 0)
				ps = &prev->stats[pt->stat[c]];
			memset(&rows[n], 0, sizeof(rows[n]));
			rows[n].task = t;
			rows[n].class = c;
			rows[n].count = delta(st->count, ps ? ps->count : 0);
			rows[n].total_ns = delta(st->total_ns,
						 ps ? ps->total_ns : 0);
			rows[n].max_ns = st->max_ns;
			rows[n].calls = calls;
			rows[n].blocked_ns = blocked;
			if (rows[n].count)
				n++;
		}
		if (n == first && others && (calls || blocked)) {
			memset(&rows[n], 0, sizeof(rows[n]));
			rows[n].task = t;
			rows[n].class = TOP_NO_CLASS;
			rows[n].calls = calls;
			rows[n].blocked_ns = blocked;
			n++;
		}
	}
	return n;
}

int top_table_build(struct top_table *t, const struct snap *cur,
		    const struct snap *prev, const struct task_filter *f,
		    enum top_sort key)
{
	t->nr = 0;
	t->rows = calloc(cur->nr_tasks * (MMSTALL_NR_CLASSES + 1) + 1,
			 sizeof(*t->rows));
	if (!t->rows)
		return -1;
	t->nr = collect(cur, prev, f, key, t->rows);
	sort_by = key;
	if (t->nr)
		qsort(t->rows, t->nr, sizeof(*t->rows), cmp_row);
	return 0;
}

void top_table_free(struct top_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->nr = 0;
}

void top_title_line(char *buf, size_t len, const struct snap *cur)
{
	const struct mmstall_lost *l = &cur->hdr.lost;
	time_t tnow = time(NULL);
	char now[16], win[32];
	struct tm tm;

	if (!localtime_r(&tnow, &tm) ||
	    !strftime(now, sizeof(now), "%H:%M:%S", &tm))
		snprintf(now, sizeof(now), "--:--:--");
	snprintf(buf, len,
		 "%s window %s, lost: task_slots %llu stat_blocks %llu kretprobe_missed %llu events %llu",
		 now, fmt_ns(win, sizeof(win), cur->hdr.window_ns),
		 (unsigned long long)l->task_slots,
		 (unsigned long long)l->stat_blocks,
		 (unsigned long long)l->kretprobe_missed,
		 (unsigned long long)l->events);
}

void top_header_line(char *buf, size_t len)
{
	snprintf(buf, len, "%-7s %-15s %-15s %-14s %7s %8s %8s %9s %8s",
		 "PID", "COMM", "PROCESS", "CLASS", "COUNT", "TOTAL", "MAX",
		 "CALLS", "BLOCKED");
}

void top_row_line(char *buf, size_t len, const struct top_row *r)
{
	char comm[4 * MMSTALL_COMM_LEN + 1], proc[4 * MMSTALL_COMM_LEN + 1];
	char t1[32], t2[32], t3[32];

	text_escape(comm, sizeof(comm), r->task->rec.comm);
	text_escape(proc, sizeof(proc), r->task->rec.process);
	snprintf(buf, len,
		 "%-7u %-15.15s %-15.15s %-14s %7llu %8s %8s %9llu %8s",
		 r->task->rec.pid, comm, proc,
		 r->class == TOP_NO_CLASS ? "-" : class_name(r->class),
		 (unsigned long long)r->count,
		 fmt_ns(t1, sizeof(t1), r->total_ns),
		 fmt_ns(t2, sizeof(t2), r->max_ns),
		 (unsigned long long)r->calls,
		 fmt_ns(t3, sizeof(t3), r->blocked_ns));
}
