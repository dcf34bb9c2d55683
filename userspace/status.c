// SPDX-License-Identifier: GPL-2.0
/* mmstall status: is the module there, and what did it attach. */
#include "cmd.h"
#include "cost.h"
#include "format.h"

static const char help[] =
"USAGE: mmstall status [-d DIR] [-f FILE]\n"
"\n"
"Show the module's version and ABI, the kernel (release, slab allocator,\n"
"preemption model), the window since load or reset, every probe (class,\n"
"target, kind, state, hits, missed returns, errno of a failure), the lost\n"
"counters, the task slots in use and the module's notes.  A probe's class\n"
"is a stall class or a feature (mm_calls, write_hold, slabinfo_readers).\n"
"A probe 'missing' means the kernel has no such function or tracepoint:\n"
"that class records nothing; 'off' means a module parameter left it off.\n"
"\n"
"OPTIONS:\n"
COMMON_HELP
"\n"
"EXAMPLES:\n"
"  mmstall status\n"
"  mmstall -d /mnt/debug/mmstall status\n";

int cmd_status(struct source *src, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct snap snap;
	int c, rc;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		rc = common_opt(c, src, help);
		if (rc)
			return rc;
	}
	if (optind < argc) {
		errorf("status: unexpected argument '%s'", argv[optind]);
		return RC_USAGE;
	}
	rc = source_load(src, &snap);
	if (rc)
		return rc;
	print_summary(stdout, &snap);
	fputs("\n", stdout);
	print_probes(stdout, &snap);
	if (snap.costs) {
		fputs("\n", stdout);
		print_costs(stdout, &snap);
	}
	snap_free(&snap);
	return RC_OK;
}
