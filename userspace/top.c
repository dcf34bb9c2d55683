// SPDX-License-Identifier: GPL-2.0
/*
 * mmstall top: a refreshing per-task table of stalls.  On a terminal it
 * is interactive (top_ui.c); otherwise, or with -b, it prints one table
 * per interval.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "names.h"
#include "top.h"

static const char help[] =
"USAGE: mmstall top [-d DIR] [-f FILE] [-s KEY] [-p PID] [-c COMM]\n"
"                   [-C CLASS] [-r ROWS] [-a] [-b] [interval] [count]\n"
"\n"
"Every interval (seconds, default 1), show the tasks that stalled in it:\n"
"one row per task and class with the number of stalls and their total\n"
"time in the interval, and the longest since load or reset.  CALLS is the\n"
"task's mmap-family system calls in the interval, BLOCKED the time others\n"
"waited for a lock it held for write.  Sorted by calls or blocked, tasks\n"
"that did not stall are listed too (class -).  Stops after count\n"
"refreshes (default: until q or Ctrl-C).\n"
"\n"
"On a terminal, top takes the screen and reads keys: c t m k b sort by\n"
"count, total, max, calls, blocked (s: the next key); / shows one thread\n"
"or process name, p one pid, l cycles the class, = clears the filters;\n"
"a switches between per interval and since load; space reads the\n"
"snapshot now; h lists the keys; q or Ctrl-C quits and gives the\n"
"terminal back as it was.  The table follows the terminal's size.\n"
"Otherwise (output to a file or pipe, or -b) it prints a table per\n"
"interval.\n"
"\n"
"OPTIONS:\n"
"  -s, --sort KEY     total (default), max, count (stalls), calls\n"
"                     (mmap-family calls) or blocked (waiters' time)\n"
"  -p, --pid PID      only tasks whose thread id or process id is PID\n"
"  -c, --comm COMM    only tasks whose thread or process name is COMM\n"
"  -C, --class CLASS  only this class\n"
"  -r, --rows ROWS    at most ROWS rows (default 20, 0: all; on a\n"
"                     terminal, at most what fits)\n"
"  -a, --all          counts since load or reset, not per interval\n"
"                     (implied by -f: a saved snapshot does not change)\n"
"  -b, --batch        print tables, no keys, even on a terminal\n"
COMMON_HELP
"\n"
"EXAMPLES:\n"
"  mmstall top               # every second, sorted by total time\n"
"  mmstall top -s max 5      # every 5 seconds, sorted by the longest\n"
"  mmstall top -s calls      # who churns the address space\n"
"  mmstall top -C rwsem_write 1 10 > top.log\n"
"  mmstall -f saved.snap top -s count   # browse a saved snapshot\n";

struct top_opts {
	struct top_view view;
	bool batch;
	double interval;
	unsigned long count;
};

static volatile sig_atomic_t stop, resized, suspended;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

static void on_tstp(int sig)
{
	(void)sig;
	suspended = 1;
}

static void handle(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sleep @secs, or less if a signal stops us. */
static void nap(double secs)
{
	struct timespec ts;

	if (secs <= 0)
		return;
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (!stop && nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* One table on stdout, for a file, a pipe, or -b. */
static void print_table(const struct snap *cur, const struct snap *prev,
			const struct top_view *v, bool clear, bool blank)
{
	char buf[TOP_LINE_LEN];
	struct top_table t;
	size_t i;

	if (top_table_build(&t, cur, prev, &v->filter, v->sort)) {
		errorf("out of memory");
		return;
	}
	if (clear)
		fputs("\033[H\033[2J", stdout);
	top_title_line(buf, sizeof(buf), cur);
	puts(buf);
	top_header_line(buf, sizeof(buf));
	puts(buf);
	for (i = 0; i < t.nr && (!v->rows || i < v->rows); i++) {
		top_row_line(buf, sizeof(buf), &t.rows[i]);
		puts(buf);
	}
	if (blank)
		putchar('\n');
	fflush(stdout);
	top_table_free(&t);
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
		{ "batch", no_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	struct top_view *v = &o->view;
	unsigned long pid;
	char *end;
	int opt, rc, k;

	while ((opt = getopt_long(argc, argv, COMMON_SHORTOPTS "s:p:c:C:r:ab",
				  longopts, NULL)) != -1) {
		rc = RC_OK;
		switch (opt) {
		case 's':
			k = top_sort_by_name(optarg);
			if (k < 0) {
				errorf("invalid sort key '%s': total, max, count, calls or blocked",
				       optarg);
				return RC_USAGE;
			}
			v->sort = k;
			break;
		case 'p':
			rc = parse_uint(optarg, "pid", &pid);
			v->filter.by_pid = true;
			v->filter.pid = (__u32)pid;
			break;
		case 'c':
			v->filter.comm = optarg;
			break;
		case 'C':
			v->filter.class = class_by_name(optarg);
			if (v->filter.class < 0) {
				errorf("unknown class '%s'; see 'mmstall top --help'",
				       optarg);
				return RC_USAGE;
			}
			break;
		case 'r':
			rc = parse_uint(optarg, "rows", &v->rows);
			break;
		case 'a':
			v->all = true;
			break;
		case 'b':
			o->batch = true;
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

/*
 * The snapshots on show: @cur, and @base, the one before it that per
 * interval counts are taken from (none in the first interval, after a
 * reset, or for a saved snapshot).
 */
struct top_data {
	struct snap cur, base;
	bool have_cur, have_base;
};

static const struct snap *shown_base(const struct top_data *d,
				     const struct top_view *v)
{
	return d->have_base && !v->all ? &d->base : NULL;
}

/* Read a new snapshot: the current one becomes the base. */
static int refresh(struct source *src, struct top_data *d,
		   const struct top_view *v)
{
	struct snap next;
	int rc;

	rc = source_load(src, &next);
	if (rc)
		return rc;
	snap_free(&d->base);
	d->have_base = false;
	/* A reset in between: everything in next is new. */
	if (d->have_cur && !v->saved &&
	    next.hdr.window_ns >= d->cur.hdr.window_ns) {
		d->base = d->cur;
		d->have_base = true;
	} else {
		snap_free(&d->cur);
	}
	d->cur = next;
	d->have_cur = true;
	return RC_OK;
}

/* Give the terminal back while stopped by Ctrl-Z, take it again after. */
static void suspend(struct top_ui *ui)
{
	suspended = 0;
	top_ui_leave(ui);
	handle(SIGTSTP, SIG_DFL);
	raise(SIGTSTP);
	/* here again after SIGCONT */
	handle(SIGTSTP, on_tstp);
	if (top_ui_enter(ui, ui->v))
		stop = 1;
}

/*
 * Wait until @deadline for keys (@ui) or a signal.  Returns what to do:
 * TOP_REFRESH at the deadline.
 */
static enum top_action wait_keys(struct top_ui *ui, double deadline)
{
	unsigned char keys[64];
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	double left;
	ssize_t n;
	int rc;

	for (;;) {
		if (stop)
			return TOP_QUIT;
		if (suspended) {
			suspend(ui);
			return TOP_REDRAW;
		}
		if (resized) {
			resized = 0;
			top_ui_resize(ui);
			return TOP_REDRAW;
		}
		left = deadline - now_sec();
		if (left <= 0)
			return TOP_REFRESH;
		rc = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (rc < 0 && errno != EINTR)
			return TOP_QUIT;
		if (rc <= 0)
			continue;
		if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
			return TOP_QUIT;
		n = read(STDIN_FILENO, keys, sizeof(keys));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return TOP_QUIT;
		rc = top_ui_keys(ui, keys, (size_t)n);
		if (rc != TOP_NONE)
			return rc;
	}
}

static int run_interactive(struct source *src, struct top_opts *o)
{
	struct top_data d = { .have_cur = false };
	struct top_view *v = &o->view;
	struct top_ui ui;
	unsigned long shown = 0;
	double next;
	int rc = RC_OK, act;

	/* Before any output; one write per screen: no flicker. */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	rc = refresh(src, &d, v);
	if (rc)
		return rc;
	if (top_ui_enter(&ui, v)) {
		errorf("top: cannot set up the terminal: use -b");
		snap_free(&d.cur);
		return RC_ERROR;
	}
	handle(SIGWINCH, on_winch);
	handle(SIGTSTP, on_tstp);
	next = now_sec() + (v->all ? 0 : o->interval);
	act = v->all ? TOP_REFRESH : TOP_REDRAW;
	if (act == TOP_REFRESH)
		next = now_sec();
	for (;;) {
		if (act == TOP_QUIT)
			break;
		if (act == TOP_REFRESH) {
			if (shown || !v->all) {
				rc = refresh(src, &d, v);
				if (rc)
					break;
			}
			shown++;
			next = now_sec() + o->interval;
		}
		top_ui_draw(&ui, shown ? &d.cur : NULL,
			    shown_base(&d, v), o->interval);
		if (o->count && shown >= o->count)
			break;
		act = wait_keys(&ui, next);
	}
	top_ui_leave(&ui);
	handle(SIGWINCH, SIG_DFL);
	handle(SIGTSTP, SIG_DFL);
	/* It went to the alternate screen, gone now: say it again. */
	if (rc)
		fprintf(stderr, "mmstall: %s\n", errorf_last());
	/* What was on the screen stays on the terminal after a count. */
	if (!rc && o->count && shown >= o->count)
		print_table(&d.cur, shown_base(&d, v), v, false, false);
	snap_free(&d.cur);
	snap_free(&d.base);
	return rc;
}

static int run_batch(struct source *src, struct top_opts *o)
{
	struct top_data d = { .have_cur = false };
	struct top_view *v = &o->view;
	bool tty = isatty(STDOUT_FILENO);
	unsigned long i;
	int rc = RC_OK;

	if (!v->all) {
		rc = refresh(src, &d, v);
		if (rc)
			return rc;
	}
	for (i = 0; !stop && (!o->count || i < o->count); i++) {
		if (i || !v->all)
			nap(o->interval);
		if (stop)
			break;
		rc = refresh(src, &d, v);
		if (rc)
			break;
		print_table(&d.cur, shown_base(&d, v), v, tty, !tty);
	}
	snap_free(&d.cur);
	snap_free(&d.base);
	return rc;
}

int cmd_top(struct source *src, int argc, char **argv)
{
	struct top_opts o = {
		.view = { .filter = { .class = -1 }, .sort = TOP_SORT_TOTAL,
			  .rows = 20 },
		.interval = 1,
	};
	int rc;

	rc = parse_args(src, argc, argv, &o);
	if (rc)
		return rc;
	if (src->file)
		o.view.all = o.view.saved = true;

	handle(SIGINT, on_stop);
	handle(SIGTERM, on_stop);
	handle(SIGHUP, on_stop);
	if (!o.batch && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return run_interactive(src, &o);
	return run_batch(src, &o);
}
