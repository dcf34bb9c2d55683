/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SUMMARY that opens a report: a few sentences naming the top
 * culprits, each computed from the snapshot and saying only what its
 * records show.
 */
#ifndef MMSTALL_SUMMARY_H
#define MMSTALL_SUMMARY_H

#include <stdio.h>
#include "json.h"
#include "snapshot.h"

#define SUMMARY_MAX_LINES	10
#define SUMMARY_LINE_LEN	400

struct summary {
	size_t nr;
	char line[SUMMARY_MAX_LINES][SUMMARY_LINE_LEN];
};

/*
 * In this order, each line only if the snapshot has something for it:
 * the process whose threads waited longest for an rwsem (lock, call
 * site, and the holder that blocked waiters longest), the same for slab
 * refills, for reclaim and compaction, the process with the most
 * mmap-family calls (how many, their dominant length), who read
 * /proc/slabinfo, the non-zero lost counters, what has no attached probe.
 * "Nothing recorded" if there are no stalls, calls or reads at all.
 */
void summary_build(struct summary *s, const struct snap *snap);

/* "SUMMARY ..." and the lines, indented; then a blank line. */
void print_report_summary(FILE *out, const struct snap *snap);
/* The "summary" key's value: an array of the lines. */
void json_report_summary(struct json *j, const struct snap *snap);

#endif /* MMSTALL_SUMMARY_H */
