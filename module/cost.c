// SPDX-License-Identifier: GPL-2.0
/*
 * What tracing cost: the handlers' calls and sampled time (cost.h),
 * summed per class for the COSTS snapshot section and for status.
 */
#include <linux/math64.h>
#include <linux/seq_file.h>
#include "cost.h"
#include "probe.h"
#include "snapshot.h"

#define MMSTALL_NR_FEATURES	(MMSTALL_FEATURE_END - MMSTALL_FEATURE_BASE)
#define MMSTALL_NR_COST_CLASSES	(MMSTALL_NR_CLASSES + MMSTALL_NR_FEATURES)

static unsigned int mmstall_cost_class(unsigned int i)
{
	return i < MMSTALL_NR_CLASSES ? i :
	       MMSTALL_FEATURE_BASE + i - MMSTALL_NR_CLASSES;
}

/* Sums the attached probes of @class; false if it has none. */
static bool mmstall_cost_of_class(unsigned int class,
				  struct mmstall_cost_rec *r)
{
	struct mmstall_probe_pcpu sum;
	struct mmstall_probe *p;
	unsigned int i;

	memset(r, 0, sizeof(*r));
	r->class = class;
	mmstall_for_each_probe(p, i) {
		if (p->class != class || p->state != MMSTALL_STATE_ATTACHED)
			continue;
		mmstall_probe_cost(p, &sum);
		r->probes++;
		r->calls += sum.calls;
		r->sampled += sum.sampled;
		r->sampled_ns += sum.sampled_ns;
	}
	return r->probes != 0;
}

/* Estimated time of all calls: the sampled mean, in 1/16 ns, times calls. */
static u64 mmstall_cost_estimate_ns(const struct mmstall_cost_rec *r)
{
	if (!r->sampled)
		return 0;
	return (div64_u64(r->sampled_ns << 4, r->sampled) * r->calls) >> 4;
}

void mmstall_cost_show(struct seq_file *m)
{
	struct mmstall_cost_rec r;
	unsigned int i;

	seq_puts(m, "cost class calls sampled ns_per_call total_ns\n");
	for (i = 0; i < MMSTALL_NR_COST_CLASSES; i++) {
		if (!mmstall_cost_of_class(mmstall_cost_class(i), &r))
			continue;
		seq_printf(m, "cost %s %llu %llu %llu %llu\n",
			   mmstall_class_name(r.class), r.calls, r.sampled,
			   r.sampled ? div64_u64(r.sampled_ns, r.sampled) : 0,
			   mmstall_cost_estimate_ns(&r));
	}
}

static unsigned int mmstall_costs_max(void)
{
	return MMSTALL_NR_COST_CLASSES;
}

static unsigned int mmstall_costs_fill(void *recs, unsigned int max,
				       const struct mmstall_snap_ctx *ctx)
{
	struct mmstall_cost_rec *r = recs;
	unsigned int i, n = 0;

	for (i = 0; i < MMSTALL_NR_COST_CLASSES && n < max; i++)
		n += mmstall_cost_of_class(mmstall_cost_class(i), &r[n]);
	return n;
}

static const struct mmstall_section mmstall_cost_sections[] = {
	{
		.type = MMSTALL_SEC_COSTS,
		.rec_size = sizeof(struct mmstall_cost_rec),
		.max_records = mmstall_costs_max,
		.fill = mmstall_costs_fill,
	},
};

/* No probes of its own: it reads every other family's. */
struct mmstall_family mmstall_cost_family = {
	.name = "cost",
	.sections = mmstall_cost_sections,
	.nr_sections = ARRAY_SIZE(mmstall_cost_sections),
};
