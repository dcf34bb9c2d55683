/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What tracing cost during the window: the module's own handler time
 * per class (the COSTS section), estimated from sampled calls.
 */
#ifndef MMSTALL_COST_H
#define MMSTALL_COST_H

#include <stdio.h>
#include "json.h"
#include "snapshot.h"

/* Estimated handler time of all calls of @r, in ns. */
__u64 cost_total_ns(const struct mmstall_cost_rec *r);
/* Mean handler time per call, in ns (0 if none was timed). */
double cost_ns_per_call(const struct mmstall_cost_rec *r);
/* The sum over every class. */
__u64 cost_snapshot_ns(const struct snap *snap);

/* "TRACING COST" table; nothing if the snapshot has no COSTS section. */
void print_costs(FILE *out, const struct snap *snap);
/* The "cost" key's value: total, share of one CPU, and per class. */
void json_costs(struct json *j, const struct snap *snap);

#endif /* MMSTALL_COST_H */
