// SPDX-License-Identifier: GPL-2.0
/* mmstall report: everything, as text or as JSON. */
#include <stdbool.h>
#include <stdlib.h>

#include "cmd.h"
#include "context.h"
#include "format.h"

static const char help[] =
"USAGE: mmstall report [-d DIR] [-f FILE] [--json]\n"
"\n"
"Report the stalls recorded since load or reset: per process (threads\n"
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
"  -j, --json       one JSON object (the keys are a stable contract)\n"
COMMON_HELP
"\n"
"EXAMPLES:\n"
"  mmstall report\n"
"  mmstall report --json > mmstall.json   # attach to a bug report\n"
"  mmstall -f saved.snap report\n";

int cmd_report(struct source *src, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct mm_context ctx;
	struct snap snap;
	const char *proc;
	bool json = false;
	int c, rc;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "j", longopts,
				NULL)) != -1) {
		if (c == 'j') {
			json = true;
			continue;
		}
		rc = common_opt(c, src, help);
		if (rc)
			return rc;
	}
	if (optind < argc) {
		errorf("report: unexpected argument '%s'", argv[optind]);
		return RC_USAGE;
	}
	rc = source_load(src, &snap);
	if (rc)
		return rc;
	if (!src->file) {
		proc = getenv("MMSTALL_PROC");
		context_read(&ctx, proc && *proc ? proc : "/proc");
		snap.context = &ctx;
	}
	if (json)
		report_json(stdout, &snap);
	else
		report_text(stdout, &snap);
	snap_free(&snap);
	if (fflush(stdout) || ferror(stdout)) {
		errorf("writing the report failed");
		return RC_ERROR;
	}
	return RC_OK;
}
