// SPDX-License-Identifier: GPL-2.0
/*
 * mmstall: read the mmstall module's snapshot and show where tasks stall
 * in memory management.  This file parses the global options and
 * dispatches to the subcommands.
 */
#include <string.h>

#include "cmd.h"

static const char usage[] =
"USAGE: mmstall [-d DIR] [-f FILE] COMMAND [OPTIONS]\n"
"\n"
"Show where tasks stall in memory management: rwsem (mmap_lock) waits,\n"
"slab refills, direct and memcg reclaim, compaction.  Reads the snapshot\n"
"of the mmstall kernel module (debugfs, root only) or a saved one.\n"
"\n"
"COMMANDS:\n"
"  status     module, kernel, probes and lost counters\n"
"  report     per-process and per-thread report (--json for bug reports)\n"
"  hist       latency histograms per class, bcc style\n"
"  top        refreshing per-task table\n"
"  reset      zero the counters and start a new window\n"
"  snapshot   save the raw snapshot: snapshot -o FILE\n"
"  export     the counters for Prometheus (node_exporter textfile)\n"
"  events     stream single slow stalls with their kernel stacks\n"
"\n"
"OPTIONS:\n"
COMMON_HELP
"  -V, --version    the reader's version and ABI\n"
"\n"
"EXIT STATUS:\n"
"  0 success         1 other error       2 bad command line\n"
"  3 not root        4 debugfs not mounted\n"
"  5 module not loaded                   6 ABI mismatch\n"
"  7 truncated snapshot                  8 corrupt snapshot\n"
"\n"
"EXAMPLES:\n"
"  mmstall status                 # is the module loaded, what attached\n"
"  mmstall report --json > r.json # attach this to a bug report\n"
"  mmstall report -d 60 -o r.txt  # reset, one minute, then report\n"
"  mmstall hist -C rwsem_write -m # mmap_lock write waits, in msecs\n"
"  mmstall top -s max 2 10        # every 2s, 10 times, sorted by max\n"
"  mmstall events -t 5000         # each stall of 5 ms+, with its stack\n"
"  mmstall -f saved.snap report   # read a saved snapshot offline\n"
"Run 'mmstall COMMAND --help' for the options of a command.\n";

static const struct {
	const char *name;
	int (*fn)(struct source *src, int argc, char **argv);
} commands[] = {
	{ "status", cmd_status },
	{ "report", cmd_report },
	{ "hist", cmd_hist },
	{ "top", cmd_top },
	{ "reset", cmd_reset },
	{ "snapshot", cmd_snapshot },
	{ "export", cmd_export },
	{ "events", cmd_events },
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct source src;
	size_t i;
	int c, rc;

	source_init(&src);
	while ((c = getopt_long(argc, argv, "+" COMMON_SHORTOPTS "V",
				longopts, NULL)) != -1) {
		if (c == 'V') {
			printf("mmstall %s (abi %u)\n", MMSTALL_VERSION,
			       MMSTALL_ABI_VERSION);
			return RC_OK;
		}
		rc = common_opt(c, &src, usage);
		if (rc == RC_HELP_DONE)
			return RC_OK;
		if (rc)
			return RC_USAGE;
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return RC_USAGE;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name))
			continue;
		argc -= optind;
		argv += optind;
		optind = 0;	/* getopt starts afresh on the new argv */
		rc = commands[i].fn(&src, argc, argv);
		return rc == RC_HELP_DONE ? RC_OK : rc;
	}
	errorf("unknown command '%s'; try 'mmstall --help'", argv[optind]);
	return RC_USAGE;
}
