// SPDX-License-Identifier: GPL-2.0
/* mmstall export: the counters for a monitoring system (Prometheus). */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "format.h"
#include "outfile.h"

static const char help[] =
"USAGE: mmstall export --prometheus [-o FILE] [-t N] [-i SECONDS]\n"
"                      [-d DIR] [-f FILE]\n"
"\n"
"Write the counters since load or reset in the Prometheus text format,\n"
"for node_exporter's textfile collector (--collector.textfile.directory):\n"
"  mmstall_stall_seconds            histogram per class and process, le in\n"
"                                   seconds (powers of two nanoseconds)\n"
"  mmstall_slabinfo_reads_total, mmstall_slabinfo_read_seconds_total,\n"
"  mmstall_mm_calls_total{call}, mmstall_holder_blocked_seconds_total\n"
"                                   counters per process\n"
"  mmstall_lost_total{what}, mmstall_probe_attached{class,target},\n"
"  mmstall_window_seconds, mmstall_info, mmstall_up\n"
"Threads are summed per process name.  Each per-process family keeps its\n"
"top N processes (stall time, reads time, calls, blocked time) and sums\n"
"the rest as process=\"other\", so the number of series stays bounded.\n"
"A reset zeroes the counters; Prometheus's rate() treats that as a\n"
"counter reset.  FILE is written as FILE.tmp, then renamed, so the\n"
"collector never reads half a file.  With -i, when the snapshot cannot\n"
"be read (module unloaded), FILE holds just mmstall_up 0.\n"
"\n"
"OPTIONS:\n"
"  -p, --prometheus       the Prometheus text format (the only one, and\n"
"                         required, so that others can be added)\n"
"  -o, --output FILE      write to FILE (default: stdout); name it *.prom\n"
"                         in the collector's directory\n"
"  -t, --top N            processes kept by name per family (default 10,\n"
"                         0: all)\n"
"  -i, --interval SECONDS rewrite FILE every SECONDS until SIGINT or\n"
"                         SIGTERM (for a service), instead of once\n"
COMMON_HELP
"\n"
"EXAMPLES:\n"
"  mmstall export --prometheus | less\n"
"  mmstall export --prometheus -o /var/lib/node_exporter/mmstall.prom\n"
"  mmstall export --prometheus -t 5 -i 15 -o mmstall.prom   # a service\n"
"  mmstall -f saved.snap export --prometheus -o saved.prom\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
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

/*
 * Read the snapshot and write the file once.  When @looping, a snapshot
 * that cannot be read still writes mmstall_up 0.  *@out_failed: the
 * output could not be written (looping cannot help that).
 */
static int export_once(struct source *src, const char *output,
		       unsigned long top, bool looping, bool *out_failed)
{
	struct outfile o;
	struct snap snap;
	int rc, lrc;

	*out_failed = false;
	lrc = source_load(src, &snap);
	if (lrc && !looping)
		return lrc;
	rc = outfile_open(&o, output);
	if (rc) {
		if (!lrc)
			snap_free(&snap);
		*out_failed = true;
		return rc;
	}
	if (lrc) {
		prometheus_down(o.f);
	} else {
		if (report_prometheus(o.f, &snap, top)) {
			errorf("out of memory");
			outfile_abort(&o);
			snap_free(&snap);
			return RC_ERROR;
		}
		snap_free(&snap);
	}
	rc = outfile_commit(&o);
	if (rc)
		*out_failed = true;
	return lrc ? lrc : rc;
}

int cmd_export(struct source *src, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "prometheus", no_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "top", required_argument, NULL, 't' },
		{ "interval", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	const char *output = NULL;
	unsigned long top = 10;
	double interval = 0;
	bool prometheus = false, out_failed;
	struct sigaction sa;
	char *end;
	int c, rc;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "po:t:i:",
				longopts, NULL)) != -1) {
		rc = RC_OK;
		switch (c) {
		case 'p':
			prometheus = true;
			break;
		case 'o':
			output = optarg;
			break;
		case 't':
			rc = parse_uint(optarg, "top", &top);
			break;
		case 'i':
			interval = strtod(optarg, &end);
			if (*end || end == optarg || !(interval > 0) ||
			    interval > 86400) {
				errorf("invalid interval '%s'", optarg);
				return RC_USAGE;
			}
			break;
		default:
			rc = common_opt(c, src, help);
		}
		if (rc)
			return rc;
	}
	if (optind < argc) {
		errorf("export: unexpected argument '%s'", argv[optind]);
		return RC_USAGE;
	}
	if (!prometheus) {
		errorf("export: say which format: --prometheus");
		return RC_USAGE;
	}
	if (!interval)
		return export_once(src, output, top, false, &out_failed);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		rc = export_once(src, output, top, true, &out_failed);
		if (out_failed)
			return rc;
		nap(interval);
	}
	return RC_OK;
}
