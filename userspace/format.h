/* SPDX-License-Identifier: GPL-2.0 */
/* The report formatters and the pieces `status` shares with them. */
#ifndef MMSTALL_FORMAT_H
#define MMSTALL_FORMAT_H

#include <stdbool.h>
#include <stdio.h>
#include "snapshot.h"

void report_text(FILE *out, const struct snap *snap);
void report_json(FILE *out, const struct snap *snap);

/*
 * Prometheus text format for node_exporter's textfile collector.  @top:
 * processes kept by name per family, the rest summed as "other" (0: all).
 * Returns 0, or -1 if out of memory (the output is then incomplete).
 */
int report_prometheus(FILE *out, const struct snap *snap, unsigned long top);
/* What to expose when the snapshot could not be read: mmstall_up 0. */
void prometheus_down(FILE *out);
/*
 * @s as a label value: backslash, double quote and newline escaped as the
 * format says; other control bytes and bytes that are not UTF-8 as the
 * text \xNN (the format has no escape for them).
 */
void prom_label_value(FILE *out, const char *s);

/* The header lines: versions, kernel, window, slots, lost counters. */
void print_summary(FILE *out, const struct snap *snap);
void print_probes(FILE *out, const struct snap *snap);

/*
 * `mmstall hist`: a power-of-two histogram per class, summed over the
 * tasks @f lets through, in usecs or @msecs.
 */
struct task_filter;
void print_hists(FILE *out, const struct snap *snap,
		 const struct task_filter *f, bool msecs);

/*
 * bcc's picture of a power-of-two histogram: a header naming @unit, then
 * "low -> high : count |****|" for rows 0 to @nr - 1, 40-character bars.
 */
void print_log2_hist(FILE *out, const __u64 *rows, unsigned int nr,
		     const char *unit);
/* The same from row @first on. */
void print_log2_hist_from(FILE *out, const __u64 *rows, unsigned int first,
			  unsigned int nr, const char *unit);

/*
 * @s with backslashes and non-printable bytes as \\ and \xNN, so a
 * thread name cannot garble a terminal or a table.
 */
const char *text_escape(char *buf, size_t len, const char *s);

#endif /* MMSTALL_FORMAT_H */
