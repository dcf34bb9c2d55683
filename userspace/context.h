/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory context of a report: what the machine looks like now
 * (/proc/pressure/memory, the free pages and watermarks of each zone in
 * /proc/zoneinfo), read by the reader when it reads a live module, next to
 * the vm event counters over the window that the snapshot carries.
 */
#ifndef MMSTALL_CONTEXT_H
#define MMSTALL_CONTEXT_H

#include <stdbool.h>
#include <stdio.h>
#include "json.h"
#include "snapshot.h"

#define CONTEXT_MAX_ZONES	64

/* One line of /proc/pressure/memory: "some avg10=... total=...". */
struct psi_line {
	bool present;
	double avg10, avg60, avg300;
	unsigned long long total_us;
};

struct zone_wm {
	int node;
	char zone[16];
	unsigned long long free, min, low, high, managed;	/* pages */
};

struct mm_context {
	bool read;		/* false: a saved snapshot, nothing read */
	bool has_psi;		/* /proc/pressure/memory was readable */
	struct psi_line some, full;
	bool has_zones;
	size_t nr_zones;
	struct zone_wm zones[CONTEXT_MAX_ZONES];
};

/*
 * Read the context from @proc (normally "/proc", $MMSTALL_PROC for tests).
 * Files that are absent leave their part out; never fails.
 */
void context_read(struct mm_context *ctx, const char *proc);

/* Parsers, for the unit tests: the contents of each file. */
void context_parse_psi(struct mm_context *ctx, FILE *f);
void context_parse_zoneinfo(struct mm_context *ctx, FILE *f);

/* The "context" key's value, and the text section. */
void json_context(struct json *j, const struct snap *snap);
void print_context(FILE *out, const struct snap *snap);

#endif /* MMSTALL_CONTEXT_H */
