// SPDX-License-Identifier: GPL-2.0
/* mmstall hist: bcc-style latency histograms, one per class. */
#include <stdbool.h>
#include <string.h>

#include "cmd.h"
#include "format.h"
#include "names.h"
#include "stats.h"

#define BAR_WIDTH	40

static const char help[] =
"USAGE: mmstall hist [-d DIR] [-f FILE] [-p PID] [-c COMM] [-C CLASS] [-m]\n"
"\n"
"Print a power-of-two latency histogram for each stall class, summed\n"
"over the matching tasks, as bcc's tools do.  The module keeps four\n"
"buckets per power of two; each is counted in the row of its middle.\n"
"\n"
"OPTIONS:\n"
"  -p, --pid PID      only tasks whose thread id or process id is PID\n"
"  -c, --comm COMM    only tasks whose thread or process name is COMM\n"
"  -C, --class CLASS  only this class: rwsem_read, rwsem_write,\n"
"                     slab_refill, direct_reclaim, memcg_reclaim,\n"
"                     compaction\n"
"  -m, --milliseconds show msecs instead of usecs\n"
COMMON_HELP
"\n"
"EXAMPLES:\n"
"  mmstall hist                    # every class, every task\n"
"  mmstall hist -C rwsem_write -m  # mmap_lock write waits, in msecs\n"
"  mmstall hist -p 1234            # process 1234 and its threads\n"
"  mmstall hist -c ss -C slab_refill\n";

void print_log2_hist(FILE *out, const __u64 *rows, unsigned int nr,
		     const char *unit)
{
	print_log2_hist_from(out, rows, 0, nr, unit);
}

void print_log2_hist_from(FILE *out, const __u64 *rows, unsigned int first,
			  unsigned int nr, const char *unit)
{
	int width = nr <= 32 ? 10 : 20, pad = width / 2;
	char bar[BAR_WIDTH + 1];
	unsigned long long low, high;
	__u64 max = 0;
	unsigned int r;
	int stars;

	for (r = 0; r < nr; r++)
		if (rows[r] > max)
			max = rows[r];
	fprintf(out, "%*s%-*s : count    distribution\n", pad, "",
		2 * width + 4 - pad, unit);
	for (r = first; r < nr; r++) {
		low = r ? 1ULL << r : 0;
		high = r < 63 ? (1ULL << (r + 1)) - 1 : ~0ULL;
		stars = max ? (int)(rows[r] * BAR_WIDTH / max) : 0;
		memset(bar, '*', stars);
		bar[stars] = '\0';
		fprintf(out, "%*llu -> %-*llu : %-8llu |%-*s|\n", width, low,
			width, high, (unsigned long long)rows[r], BAR_WIDTH,
			bar);
	}
}

static void print_class(FILE *out, unsigned int class,
			const struct stall_agg *a, bool msecs)
{
	__u64 unit = msecs ? 1000000 : 1000, rows[LOG2_ROWS];
	const char *uname = msecs ? "msecs" : "usecs";
	unsigned int nr;

	nr = hist_log2_rows(a->hist, unit, rows);
	fprintf(out, "\nclass = %s\n", class_name(class));
	print_log2_hist(out, rows, nr, uname);
	fprintf(out,
		"count %llu, avg %llu %s, p50 %llu %s, p99 %llu %s, max %llu %s, total %llu %s\n",
		(unsigned long long)a->count,
		(unsigned long long)(a->count ? a->total_ns / a->count / unit :
						0), uname,
		(unsigned long long)(hist_percentile(a->hist, a->max_ns,
						     P50) / unit), uname,
		(unsigned long long)(hist_percentile(a->hist, a->max_ns,
						     P99) / unit), uname,
		(unsigned long long)(a->max_ns / unit), uname,
		(unsigned long long)(a->total_ns / unit), uname);
}

void print_hists(FILE *out, const struct snap *snap,
		 const struct task_filter *f, bool msecs)
{
	struct stall_agg a;
	bool any = false;
	unsigned int c;
	size_t i;

	for (c = 0; c < MMSTALL_NR_CLASSES; c++) {
		if (f->class >= 0 && c != (unsigned int)f->class)
			continue;
		agg_init(&a);
		for (i = 0; i < snap->nr_tasks; i++) {
			const struct snap_task *t = &snap->tasks[i];

			if (t->stat[c] >= 0 && task_matches(f, t))
				agg_add(&a, &snap->stats[t->stat[c]]);
		}
		if (a.count) {
			print_class(out, c, &a, msecs);
			any = true;
		}
		agg_free(&a);
	}
	if (!any)
		fprintf(out, "no stalls recorded for the selected tasks and classes\n");
}

int cmd_hist(struct source *src, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'c' },
		{ "class", required_argument, NULL, 'C' },
		{ "milliseconds", no_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	struct task_filter f = { .class = -1 };
	bool msecs = false;
	unsigned long pid;
	struct snap snap;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, COMMON_SHORTOPTS "p:c:C:m",
				  longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			rc = parse_uint(optarg, "pid", &pid);
			if (rc)
				return rc;
			f.by_pid = true;
			f.pid = (__u32)pid;
			break;
		case 'c':
			f.comm = optarg;
			break;
		case 'C':
			f.class = class_by_name(optarg);
			if (f.class < 0) {
				errorf("unknown class '%s'; see 'mmstall hist --help'",
				       optarg);
				return RC_USAGE;
			}
			break;
		case 'm':
			msecs = true;
			break;
		default:
			rc = common_opt(opt, src, help);
			if (rc)
				return rc;
		}
	}
	if (optind < argc) {
		errorf("hist: unexpected argument '%s'", argv[optind]);
		return RC_USAGE;
	}
	rc = source_load(src, &snap);
	if (rc)
		return rc;
	print_hists(stdout, &snap, &f, msecs);
	snap_free(&snap);
	return RC_OK;
}
