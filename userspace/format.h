/* SPDX-License-Identifier: GPL-2.0 */
/* The report formatters and the pieces `status` shares with them. */
#ifndef MMSTALL_FORMAT_H
#define MMSTALL_FORMAT_H

#include <stdio.h>
#include "snapshot.h"

void report_text(FILE *out, const struct snap *snap);
void report_json(FILE *out, const struct snap *snap);

/* The header lines: versions, kernel, window, slots, lost counters. */
void print_summary(FILE *out, const struct snap *snap);
void print_probes(FILE *out, const struct snap *snap);

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
