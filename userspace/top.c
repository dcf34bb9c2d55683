// SPDX-License-Identifier: GPL-2.0
/* mmstall top: a refreshing per-task table of stalls. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "format.h"
#include "names.h"
#include "stats.h"

static const char help[] =
"USAGE: mmstall top [-d DIR] [-f FILE] [-s KEY] [-p PID] [-c COMM]\n"
"                   [-C CLASS] [-r ROWS] [-a] [interval] [count]\n"
"\n"
"Every interval (seconds, default 1), print the tasks that stalled in it:\n"
"one row per task and class with the number of stalls and their total\n"
"time in the interval, and the longest since load or reset.  CALLS is the\n"
"task's mmap-family system calls in the interval, BLOCKED the time others\n"
"waited for a lock it held for write.  Sorted by calls or blocked, tasks\n"
"that did not stall are listed too (class -).  Stops after count\n"
"refreshes (default: until Ctrl-C).  The screen is cleared between\n"
"refreshes only when the output is a terminal.\n"
"\n"
"OPTIONS:\n"
"  -s, --sort KEY     total (default), max, count (stalls), calls\n"
"                     (mmap-family calls) or blocked (waiters' time)\n"
"  -p, --pid PID      only tasks whose thread id or process id is PID\n"
"  -c, --comm COMM    only tasks whose thread or process name is COMM\n"
"  -C, --class CLASS  only this class\n"
"  -r, --rows ROWS    at most ROWS rows (default 20, 0: all)\n"
"  -a, --all          counts since load or reset, not per interval\n"
"                     (implied by -f: a saved snapshot does not change)\n"
COMMON_HELP
"\n"
"EXAMPLES:\n"
"  mmstall top               # every second, sorted by total time\n"
"  mmstall top -s max 5      # every 5 seconds, sorted by the longest\n"
"  mmstall top -s calls      # who churns the address space\n"
"  mmstall top -C rwsem_write 1 10 > top.log\n";

enum sort_key {
	SORT_COUNT, SORT_TOTAL, SORT_MAX, SORT_CALLS, SORT_BLOCKED
};

static const char *const sort_names[] = {
	[SORT_COUNT] = "count", [SORT_TOTAL] = "total", [SORT_MAX] = "max",
	[SORT_CALLS] = "calls", [SORT_BLOCKED] = "blocked",
};

#define NO_CLASS	(-1)	/* a row of a task that did not stall */

struct top_row {
	const struct snap_task *task;
	int class;
	__u64 count;
	__u64 total_ns;
	__u64 max_ns;
	__u64 calls;		/* the task's mm calls */
	__u64 blocked_ns;	/* the task's holder time, all locks */
};

struct top_opts {
	struct task_filter filter;
	enum sort_key sort;
	unsigned long rows;
	bool all;
	double interval;
	unsigned long count;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static enum sort_key sort_by;

static __u64 sort_value(const struct top_row *r)
{
	switch (sort_by) {
	case SORT_COUNT:
		return r->count;
	case SORT_MAX:
		return r->max_ns;
	case SORT_CALLS:
		return r->calls;
	case SORT_BLOCKED:
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
		      const struct top_opts *o, struct top_row *rows)
{
	bool others = (o->sort == SORT_CALLS || o->sort == SORT_BLOCKED) &&
		      o->filter.class < 0;
	const struct mmstall_stat_rec *st, *ps;
	const struct snap_task *t, *pt;
	size_t i, n = 0, first;
	__u64 calls, blocked;
	int c;

	for (i = 0; i < cur->nr_tasks; i++) {
		t = &cur->tasks[i];
		if (!task_matches(&o->filter, t))
			continue;
		pt = prev_task(prev, t);
		calls = delta(task_calls(cur, t), task_calls(prev, pt));
		blocked = delta(task_blocked(cur, t), task_blocked(prev, pt));
		first = n;
		for (c = 0; c < MMSTALL_NR_CLASSES; c++) {
			if (t->stat[c] < 0 ||
			    (o->filter.class >= 0 && c != o->filter.class))
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
			rows[n].class = NO_CLASS;
			rows[n].calls = calls;
			rows[n].blocked_ns = blocked;
			n++;
		}
	}
	return n;
}

static void print_table(const struct snap *cur, const struct snap *prev,
			const struct top_opts *o, bool tty)
{
	char comm[4 * MMSTALL_COMM_LEN + 1], proc[4 * MMSTALL_COMM_LEN + 1];
	const struct mmstall_lost *l = &cur->hdr.lost;
	char now[16], win[32], t1[32], t2[32], t3[32];
	struct top_row *rows;
	time_t tnow = time(NULL);
	size_t i, n;

	rows = calloc(cur->nr_tasks * (MMSTALL_NR_CLASSES + 1) + 1,
		      sizeof(*rows));
	if (!rows) {
		errorf("out of memory");
		return;
	}
	n = collect(cur, prev, o, rows);
	sort_by = o->sort;
	qsort(rows, n, sizeof(*rows), cmp_row);

	if (tty)
		fputs("\033[H\033[2J", stdout);
	strftime(now, sizeof(now), "%H:%M:%S", localtime(&tnow));
	printf("%s window %s, lost: task_slots %llu stat_blocks %llu kretprobe_missed %llu events %llu\n",
	       now, fmt_ns(win, sizeof(win), cur->hdr.window_ns),
	       (unsigned long long)l->task_slots,
	       (unsigned long long)l->stat_blocks,
	       (unsigned long long)l->kretprobe_missed,
	       (unsigned long long)l->events);
	printf("%-7s %-15s %-15s %-14s %7s %8s %8s %9s %8s\n", "PID", "COMM",
	       "PROCESS", "CLASS", "COUNT", "TOTAL", "MAX", "CALLS",
	       "BLOCKED");
	for (i = 0; i < n && (!o->rows || i < o->rows); i++) {
		text_escape(comm, sizeof(comm), rows[i].task->rec.comm);
		text_escape(proc, sizeof(proc), rows[i].task->rec.process);
		printf("%-7u %-15.15s %-15.15s %-14s %7llu %8s %8s %9llu %8s\n",
		       rows[i].task->rec.pid, comm, proc,
		       rows[i].class == NO_CLASS ? "-" :
						   class_name(rows[i].class),
		       (unsigned long long)rows[i].count,
		       fmt_ns(t1, sizeof(t1), rows[i].total_ns),
		       fmt_ns(t2, sizeof(t2), rows[i].max_ns),
		       (unsigned long long)rows[i].calls,
		       fmt_ns(t3, sizeof(t3), rows[i].blocked_ns));
	}
	if (!tty)
		putchar('\n');
	fflush(stdout);
	free(rows);
}

/* Sleep @secs, or less if a signal stops us. */
static void nap(double secs)
{
	struct timespec ts;

	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (!stop && nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int parse_sort(const char *arg, enum sort_key *key)
{
	unsigned int k;

	for (k = 0; k < sizeof(sort_names) / sizeof(sort_names[0]); k++) {
		if (!strcmp(arg, sort_names[k])) {
			*key = k;
			return RC_OK;
		}
	}
	errorf("invalid sort key '%s': total, max, count, calls or blocked",
	       arg);
	return RC_USAGE;
}

static int parse_args(struct source *src, int argc, char **argv,
		      struct top_opts *o)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "sort", required_argument, NULL, 's' },
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'c' },
		{ "class", required_argument, NULL, 'C' },
		{ "rows", required_argument, NULL, 'r' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long pid;
	char *end;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, COMMON_SHORTOPTS "s:p:c:C:r:a",
				  longopts, NULL)) != -1) {
		rc = RC_OK;
		switch (opt) {
		case 's':
			rc = parse_sort(optarg, &o->sort);
			break;
		case 'p':
			rc = parse_uint(optarg, "pid", &pid);
			o->filter.by_pid = true;
			o->filter.pid = (__u32)pid;
			break;
		case 'c':
			o->filter.comm = optarg;
			break;
		case 'C':
			o->filter.class = class_by_name(optarg);
			if (o->filter.class < 0) {
				errorf("unknown class '%s'; see 'mmstall top --help'",
				       optarg);
				return RC_USAGE;
			}
			break;
		case 'r':
			rc = parse_uint(optarg, "rows", &o->rows);
			break;
		case 'a':
			o->all = true;
			break;
		default:
			rc = common_opt(opt, src, help);
		}
		if (rc)
			return rc;
	}
	if (optind < argc) {
		o->interval = strtod(argv[optind], &end);
		if (*end || end == argv[optind] || !(o->interval > 0) ||
		    o->interval > 86400) {
			errorf("invalid interval '%s'", argv[optind]);
			return RC_USAGE;
		}
		optind++;
	}
	if (optind < argc) {
		rc = parse_uint(argv[optind], "count", &o->count);
		if (rc)
			return rc;
		optind++;
	}
	if (optind < argc) {
		errorf("top: unexpected argument '%s'", argv[optind]);
		return RC_USAGE;
	}
	return RC_OK;
}

int cmd_top(struct source *src, int argc, char **argv)
{
	struct top_opts o = {
		.filter = { .class = -1 }, .sort = SORT_TOTAL, .rows = 20,
		.interval = 1,
	};
	struct snap prev, cur;
	bool tty = isatty(STDOUT_FILENO), have_prev = false;
	struct sigaction sa;
	unsigned long i;
	int rc;

	rc = parse_args(src, argc, argv, &o);
	if (rc)
		return rc;
	if (src->file)
		o.all = true;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (!o.all) {
		rc = source_load(src, &prev);
		if (rc)
			return rc;
		have_prev = true;
	}
	for (i = 0; !stop && (!o.count || i < o.count); i++) {
		if (i || !o.all)
			nap(o.interval);
		if (stop)
			break;
		rc = source_load(src, &cur);
		if (rc)
			break;
		/* A reset in between: everything in cur is new. */
		if (have_prev && cur.hdr.window_ns < prev.hdr.window_ns) {
			snap_free(&prev);
			have_prev = false;
		}
		print_table(&cur, have_prev ? &prev : NULL, &o, tty);
		if (have_prev)
			snap_free(&prev);
		if (o.all) {
			snap_free(&cur);
		} else {
			prev = cur;
			have_prev = true;
		}
	}
	if (have_prev)
		snap_free(&prev);
	return rc;
}
