// SPDX-License-Identifier: GPL-2.0
/* The text report, for people. */
#include <stdio.h>
#include <string.h>

#include "context.h"
#include "cost.h"
#include "format.h"
#include "format_mm.h"
#include "names.h"
#include "stats.h"
#include "summary.h"

const char *text_escape(char *buf, size_t len, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	for (; *p && o + 5 < len; p++) {
		if (*p == '\\') {
			buf[o++] = '\\';
			buf[o++] = '\\';
		} else if (*p < 0x20 || *p >= 0x7f) {
			o += snprintf(buf + o, len - o, "\\x%02x", *p);
		} else {
			buf[o++] = *p;
		}
	}
	buf[o] = '\0';
	return buf;
}

void print_summary(FILE *out, const struct snap *snap)
{
	const struct mmstall_snap_header *h = &snap->hdr;
	const struct snap_fixups *f = &snap->fixups;
	char t1[32], t2[32], e[3][4 * sizeof(h->release) + 1];

	fprintf(out, "module:  mmstall %s, abi %u (reader %s, abi %u)\n",
		text_escape(e[0], sizeof(e[0]), h->version), h->abi,
		MMSTALL_VERSION, MMSTALL_ABI_VERSION);
	fprintf(out, "kernel:  %s, %s, preempt %s\n",
		text_escape(e[0], sizeof(e[0]), h->release),
		text_escape(e[1], sizeof(e[1]), h->slab),
		text_escape(e[2], sizeof(e[2]), h->preempt));
	fprintf(out, "window:  %s since load or reset; stack walk over %s\n",
		fmt_ns(t1, sizeof(t1), h->window_ns),
		fmt_ns(t2, sizeof(t2), h->stack_threshold_ns));
	fprintf(out, "slots:   tasks %u/%u, stat blocks %u/%u\n",
		h->used_tasks, h->max_tasks, h->used_stats, h->max_stats);
	fprintf(out,
		"lost:    task_slots %llu, stat_blocks %llu, kretprobe_missed %llu, events %llu, names %llu\n",
		(unsigned long long)h->lost.task_slots,
		(unsigned long long)h->lost.stat_blocks,
		(unsigned long long)h->lost.kretprobe_missed,
		(unsigned long long)h->lost.events,
		(unsigned long long)h->lost.names);
	if (f->unpublished_tasks || f->orphan_stats || f->merged_stats ||
	    f->orphan_records || f->merged_records)
		fprintf(out,
			"reader:  a live copy: %llu task slots not yet filled, %llu stats of tasks not copied, %llu stats merged, %llu other records dropped, %llu merged\n",
			(unsigned long long)f->unpublished_tasks,
			(unsigned long long)f->orphan_stats,
			(unsigned long long)f->merged_stats,
			(unsigned long long)f->orphan_records,
			(unsigned long long)f->merged_records);
	print_notes(out, snap);
}

void print_probes(FILE *out, const struct snap *snap)
{
	char target[4 * MMSTALL_NAME_LEN + 1];
	size_t i;

	fprintf(out, "%-16s %-11s %-9s %12s %8s %6s  %s\n", "CLASS", "KIND",
		"STATE", "HITS", "MISSED", "ERROR", "TARGET");
	for (i = 0; i < snap->nr_probes; i++) {
		const struct mmstall_probe_rec *p = &snap->probes[i];

		fprintf(out, "%-16s %-11s %-9s %12llu %8llu %6d  %s\n",
			class_name(p->class), kind_name(p->kind),
			state_name(p->state), (unsigned long long)p->hits,
			(unsigned long long)p->missed, p->error,
			text_escape(target, sizeof(target), p->target));
	}
	if (!snap->nr_probes)
		fprintf(out, "(no probes)\n");
}

static void print_stall_header(FILE *out, const char *indent)
{
	fprintf(out, "%s%-15s %10s %9s %9s %9s %9s\n", indent, "CLASS",
		"COUNT", "TOTAL", "MAX", "P50", "P99");
}

static void print_stall(FILE *out, const char *indent, unsigned int class,
			const struct stall_agg *a)
{
	char t[4][32];

	fprintf(out, "%s%-15s %10llu %9s %9s %9s %9s\n", indent,
		class_name(class), (unsigned long long)a->count,
		fmt_ns(t[0], sizeof(t[0]), a->total_ns),
		fmt_ns(t[1], sizeof(t[1]), a->max_ns),
		fmt_ns(t[2], sizeof(t[2]), hist_percentile(a->hist, a->max_ns,
							    P50)),
		fmt_ns(t[3], sizeof(t[3]), hist_percentile(a->hist, a->max_ns,
							    P99)));
}

/* Sites, and for rwsem waits the locks: other classes take no lock. */
static void print_breakdown(FILE *out, const struct snap *snap,
			    unsigned int class, struct stall_agg *a)
{
	char buf[32], t[32], esc[4 * MMSTALL_NAME_LEN + 1];
	const char *sep = "";
	unsigned int l;
	size_t i;

	agg_sort_sites(a);
	if (a->nr_sites) {
		fprintf(out, "      sites:");
		for (i = 0; i < a->nr_sites; i++) {
			const char *name = site_name(snap, a->sites[i].site,
						     buf, sizeof(buf));

			fprintf(out, "%s %s %llu/%s", sep,
				text_escape(esc, sizeof(esc), name),
				(unsigned long long)a->sites[i].count,
				fmt_ns(t, sizeof(t), a->sites[i].total_ns));
			sep = ",";
		}
		fputc('\n', out);
	}
	if (class != MMSTALL_CLASS_RWSEM_READ &&
	    class != MMSTALL_CLASS_RWSEM_WRITE)
		return;
	sep = "";
	for (l = 0; l < MMSTALL_NR_LOCKS; l++) {
		if (!a->locks[l].count)
			continue;
		fprintf(out, "%s%s %llu/%s", *sep ? sep : "      locks: ",
			lock_name(l), (unsigned long long)a->locks[l].count,
			fmt_ns(t, sizeof(t), a->locks[l].total_ns));
		sep = ", ";
	}
	if (*sep)
		fputc('\n', out);
}

/* Threads [first, last) of one process, every class summed. */
static void print_process(FILE *out, const struct snap *snap, size_t first,
			  size_t last)
{
	char esc[4 * MMSTALL_COMM_LEN + 1];
	const struct snap_task *t0 = &snap->tasks[first];
	struct stall_agg a;
	unsigned int c;
	size_t i;
	char id[96];

	for (c = 0; c < MMSTALL_NR_CLASSES; c++) {
		agg_init(&a);
		for (i = first; i < last; i++) {
			int st = snap->tasks[i].stat[c];

			if (st >= 0)
				agg_add(&a, &snap->stats[st]);
		}
		if (a.count) {
			snprintf(id, sizeof(id), "%-8u %-17s ", t0->rec.tgid,
				 text_escape(esc, sizeof(esc),
					     t0->rec.process));
			print_stall(out, id, c, &a);
		}
		agg_free(&a);
	}
}

static void print_thread(FILE *out, const struct snap *snap,
			 const struct snap_task *t)
{
	char comm[4 * MMSTALL_COMM_LEN + 1], proc[4 * MMSTALL_COMM_LEN + 1];
	struct stall_agg a;
	unsigned int c;

	fprintf(out, "%u %s (process %u %s)\n", t->rec.pid,
		text_escape(comm, sizeof(comm), t->rec.comm), t->rec.tgid,
		text_escape(proc, sizeof(proc), t->rec.process));
	for (c = 0; c < MMSTALL_NR_CLASSES; c++)
		if (t->stat[c] >= 0)
			break;
	if (c == MMSTALL_NR_CLASSES) {
		fprintf(out, "    (no stalls)\n");
		return;
	}
	print_stall_header(out, "    ");
	for (c = 0; c < MMSTALL_NR_CLASSES; c++) {
		if (t->stat[c] < 0)
			continue;
		agg_init(&a);
		agg_add(&a, &snap->stats[t->stat[c]]);
		print_stall(out, "    ", c, &a);
		print_breakdown(out, snap, c, &a);
		if (t->reclaim[c] >= 0)
			print_reclaim(out, "      ", snap,
				      &snap->reclaims[t->reclaim[c]]);
		agg_free(&a);
	}
}

void report_text(FILE *out, const struct snap *snap)
{
	size_t i, first;
	char hdr[64];

	print_report_summary(out, snap);
	print_summary(out, snap);
	fprintf(out, "\nPROBES\n");
	print_probes(out, snap);
	if (snap->costs) {
		fputc('\n', out);
		print_costs(out, snap);
	}

	fprintf(out, "\nPROCESSES (all threads together)\n");
	snprintf(hdr, sizeof(hdr), "%-8s %-17s ", "TGID", "PROCESS");
	print_stall_header(out, hdr);
	for (first = 0; first < snap->nr_tasks; first = i) {
		for (i = first + 1; i < snap->nr_tasks; i++)
			if (snap->tasks[i].rec.tgid !=
			    snap->tasks[first].rec.tgid)
				break;
		print_process(out, snap, first, i);
	}
	if (!snap->nr_stats)
		fprintf(out, "(no stalls recorded)\n");

	fprintf(out, "\nTHREADS\n");
	for (i = 0; i < snap->nr_tasks; i++)
		print_thread(out, snap, &snap->tasks[i]);
	if (!snap->nr_tasks)
		fprintf(out, "(no tasks)\n");
	print_mm_sections(out, snap);
	print_context(out, snap);
	fprintf(out,
		"\np50 and p99 are the middle of a histogram bucket: within 12.5%% of the true value.\n");
}
