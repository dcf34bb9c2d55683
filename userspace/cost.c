// SPDX-License-Identifier: GPL-2.0
/* The tracing cost the module measured of itself (see cost.h). */
#include "cost.h"
#include "names.h"
#include "stats.h"

__u64 cost_total_ns(const struct mmstall_cost_rec *r)
{
	if (!r->sampled)
		return 0;
	return (__u64)((double)r->sampled_ns / r->sampled * r->calls);
}

double cost_ns_per_call(const struct mmstall_cost_rec *r)
{
	return r->sampled ? (double)r->sampled_ns / r->sampled : 0;
}

__u64 cost_snapshot_ns(const struct snap *snap)
{
	__u64 sum = 0;
	size_t i;

	for (i = 0; i < snap->nr_costs; i++)
		sum += cost_total_ns(&snap->costs[i]);
	return sum;
}

/* Handler time as a share of one CPU over the window, in percent. */
static double cost_cpu_percent(const struct snap *snap)
{
	if (!snap->hdr.window_ns)
		return 0;
	return 100.0 * cost_snapshot_ns(snap) / snap->hdr.window_ns;
}

void print_costs(FILE *out, const struct snap *snap)
{
	char t[32];
	size_t i;

	if (!snap->costs)
		return;
	fprintf(out,
		"TRACING COST: %s in mmstall's handlers over the window (%.3f%% of one CPU)\n",
		fmt_ns(t, sizeof(t), cost_snapshot_ns(snap)),
		cost_cpu_percent(snap));
	fprintf(out, "  %-16s %14s %10s %12s\n", "CLASS", "CALLS",
		"NS/CALL", "TOTAL");
	for (i = 0; i < snap->nr_costs; i++) {
		const struct mmstall_cost_rec *r = &snap->costs[i];

		fprintf(out, "  %-16s %14llu %10.0f %12s\n",
			class_name(r->class), (unsigned long long)r->calls,
			cost_ns_per_call(r),
			fmt_ns(t, sizeof(t), cost_total_ns(r)));
	}
	fputs("  (handler code only, from one call in 16 timed; the kernel's dispatch\n"
	      "   to a probe, a trap or a tracepoint call, comes on top)\n", out);
}

void json_costs(struct json *j, const struct snap *snap)
{
	size_t i;

	if (!snap->costs) {
		json_null(j);
		return;
	}
	json_object_begin(j);
	json_kv_u64(j, "handler_ns", cost_snapshot_ns(snap));
	json_key(j, "cpu_percent");
	json_fixed(j, cost_cpu_percent(snap), 4);
	json_key(j, "classes");
	json_array_begin(j);
	for (i = 0; i < snap->nr_costs; i++) {
		const struct mmstall_cost_rec *r = &snap->costs[i];

		json_object_begin(j);
		json_kv_string(j, "class", class_name(r->class));
		json_kv_u64(j, "probes", r->probes);
		json_kv_u64(j, "calls", r->calls);
		json_kv_u64(j, "sampled", r->sampled);
		json_kv_u64(j, "sampled_ns", r->sampled_ns);
		json_key(j, "ns_per_call");
		json_fixed(j, cost_ns_per_call(r), 1);
		json_kv_u64(j, "handler_ns", cost_total_ns(r));
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}
