/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The report sections beyond the stall classes: notes, mm calls, lock
 * holders, slabinfo readers, slab caches and reclaim details.
 */
#ifndef MMSTALL_FORMAT_MM_H
#define MMSTALL_FORMAT_MM_H

#include <stdio.h>
#include "json.h"
#include "snapshot.h"

/* JSON: each writes the value of its top-level key. */
void json_notes(struct json *j, const struct snap *snap);
void json_mm_calls(struct json *j, const struct snap *snap);
void json_holders(struct json *j, const struct snap *snap);
void json_slabinfo_readers(struct json *j, const struct snap *snap);
void json_slab_caches(struct json *j, const struct snap *snap);
/* The keys a reclaim record adds to a tasks[].stalls[] object. */
void json_reclaim_keys(struct json *j, const struct snap *snap,
		       const struct mmstall_reclaim_rec *r);

/* Text: "note: key: value" lines. */
void print_notes(FILE *out, const struct snap *snap);
/* Text: the sections after THREADS. */
void print_mm_sections(FILE *out, const struct snap *snap);
/* Text: one "reclaim:" line under a stall, indented by @indent. */
void print_reclaim(FILE *out, const char *indent, const struct snap *snap,
		   const struct mmstall_reclaim_rec *r);

/*
 * The power-of-two range most calls' length argument fell in, high end
 * excluded ("64K-128K"), or "-" if none.
 */
const char *fmt_len_mode(char *buf, size_t len,
			 const struct mmstall_mm_calls_rec *r);

#endif /* MMSTALL_FORMAT_MM_H */
