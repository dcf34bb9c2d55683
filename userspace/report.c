// SPDX-License-Identifier: GPL-2.0
/* mmstall report: everything, as text or as JSON, now or over -d SECONDS. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "context.h"
#include "format.h"
#include "outfile.h"

static const char help[] =
"USAGE: mmstall report [-d SECONDS] [-o FILE] [--json] [--dir DIR]\n"
"                      [-f FILE]\n"
"\n"
"Report the stalls recorded since load or reset, or with -d, reset and\n"
"report the next SECONDS.  It opens with a SUMMARY: in a few sentences,\n"
"the process whose threads waited longest for an rwsem (on which lock,\n"
"in which call, and the holder that blocked waiters longest), for slab\n"
"refills, for reclaim and compaction; the process with the most\n"
"mmap-family calls and their usual length; who read /proc/slabinfo; the\n"
"lost counters; what has no attached probe.  Then per process (threads\n"
"summed) and per thread, for each class the count, total and maximum\n"
"wait, p50 and p99, and where it came from (call site, lock).  p50 and\n"
"p99 come from a log-linear histogram and are within 12.5% of the true\n"
"value.  Then the probes and the lost counters: a non-zero lost counter\n"
"means the numbers are a lower bound.  Then, where the module records\n"
"them: mmap-family calls per process and thread with their length,\n"
"who held mmap_lock for write while others waited, who read\n"
"/proc/slabinfo, slab slowpath time per cache, and the order, gfp flags\n"
"and pages reclaimed of reclaim and compaction stalls.  'note:' lines\n"
"say how the module traces on this kernel.  Last, the memory context: vm\n"
"event counters over the window (allocstall, pgscan_direct, compact_stall,\n"
"kswapd's work), and when reading a live module, /proc/pressure/memory\n"
"and each zone's free pages against its min/low/high watermarks, now.\n"
"\n"
"OPTIONS:\n"
"  -d, --duration SECONDS  reset the counters, collect for SECONDS, then\n"
"                   report; a progress line goes to stderr when it is a\n"
"                   terminal, and Ctrl-C ends the window early.  (A -d\n"
"                   argument that is not a number is the debugfs DIR,\n"
"                   as in older versions: prefer --dir.)\n"
"  -o, --output FILE  write the report to FILE, whole or not at all\n"
"                   (FILE.tmp, then renamed)\n"
"  -j, --json       one JSON object (the keys are a stable contract;\n"
"                   \"summary\" holds the SUMMARY's sentences)\n"
"      --dir DIR    the module's debugfs directory\n"
"                   (default $MMSTALL_DEBUGFS or " MMSTALL_DEFAULT_DIR ")\n"
"  -f, --file FILE  read a saved snapshot (mmstall snapshot -o FILE)\n"
"  -h, --help       this help\n"
"\n"
"EXAMPLES:\n"
"  mmstall report\n"
"  mmstall report -d 60 -o mmstall.txt   # one minute, from now\n"
"  mmstall report -d 60 --json -o mmstall.json   # attach to a bug report\n"
"  mmstall report --json > mmstall.json  # since load or the last reset\n"
"  mmstall -f saved.snap report\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Reset, then wait @secs (less if SIGINT or SIGTERM comes), showing what
 * is left on stderr if it is a terminal.
 */
static int collect(struct source *src, double secs)
{
	struct sigaction sa, old_int, old_term;
	bool tty = isatty(STDERR_FILENO);
	double start, left, step;
	struct timespec ts;
	int rc;

	rc = source_control(src, "reset");
	if (rc)
		return rc;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	start = now_sec();
	while (!stop && (left = secs - (now_sec() - start)) > 0) {
		if (tty)
			fprintf(stderr,
				"\rmmstall: collecting for %.0fs, %.0fs left (Ctrl-C: report now) ",
				secs, left + 0.499);
		step = left < 1 ? left : 1;
		ts.tv_sec = (time_t)step;
		ts.tv_nsec = (long)((step - (double)ts.tv_sec) * 1e9);
		while (!stop && nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	if (tty)
		fputs("\r\033[K", stderr);
	if (stop)
		errorf("stopped after %.1fs: reporting that", now_sec() - start);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return RC_OK;
}

/* -d's argument: SECONDS if it is a number, else (older usage) DIR. */
static int parse_d(struct source *src, const char *arg, double *secs)
{
	char *end;
	double v;

	v = strtod(arg, &end);
	if (end == arg || *end) {
		src->dir = arg;
		return RC_OK;
	}
	if (!(v > 0) || v > 7 * 86400) {
		errorf("invalid duration '%s': seconds, more than 0", arg);
		return RC_USAGE;
	}
	*secs = v;
	return RC_OK;
}

int cmd_report(struct source *src, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "dir", required_argument, NULL, 'D' },
		{ "file", required_argument, NULL, 'f' },
		{ "duration", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	const char *proc, *output = NULL;
	struct mm_context ctx;
	struct outfile o;
	struct snap snap;
	double secs = 0;
	bool json = false;
	int c, rc;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "jo:", longopts,
				NULL)) != -1) {
		rc = RC_OK;
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'o':
			output = optarg;
			break;
		case 'd':
			rc = parse_d(src, optarg, &secs);
			break;
		case 'D':
			src->dir = optarg;
			break;
		default:
			rc = common_opt(c, src, help);
		}
		if (rc)
			return rc;
	}
	if (optind < argc) {
		errorf("report: unexpected argument '%s'", argv[optind]);
		return RC_USAGE;
	}
	if (secs && src->file) {
		errorf("report: -d resets the module and waits: not with -f FILE");
		return RC_USAGE;
	}
	if (secs) {
		rc = collect(src, secs);
		if (rc)
			return rc;
	}
	rc = source_load(src, &snap);
	if (rc)
		return rc;
	if (!src->file) {
		proc = getenv("MMSTALL_PROC");
		context_read(&ctx, proc && *proc ? proc : "/proc");
		snap.context = &ctx;
	}
	rc = outfile_open(&o, output);
	if (rc) {
		snap_free(&snap);
		return rc;
	}
	if (json)
		report_json(o.f, &snap);
	else
		report_text(o.f, &snap);
	snap_free(&snap);
	rc = outfile_commit(&o);
	if (rc)
		errorf("writing the report failed");
	return rc;
}
