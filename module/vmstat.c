// SPDX-License-Identifier: GPL-2.0
/*
 * The window's context: the vm event counters that tell a reclaim story
 * (allocstall, pgscan_direct, compact_stall, kswapd's work, ...), read with
 * all_vm_events() at load and reset and again at each snapshot, so the
 * reader shows what happened over the window.  all_vm_events() sums every
 * CPU's counters under cpus_read_lock(): process context only, which
 * init, reset and snapshots are (the latter two under the control mutex,
 * which also serializes the shared buffer).
 */
#include <linux/string.h>
#include "compat/vmstat.h"
#include "notes.h"
#include "reclaim.h"
#include "snapshot.h"

static unsigned long mmstall_vm_events[MMSTALL_NR_VM_EVENTS];
static u64 mmstall_vm_start[ARRAY_SIZE(mmstall_vm_counters)];

static u64 mmstall_vm_counter_sum(const struct mmstall_vm_counter *c)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < c->n; i++)
		sum += mmstall_vm_events[c->first + i];
	return sum;
}

/* Reads every counter into mmstall_vm_events; false: none on this kernel. */
static bool mmstall_vm_events_read(void)
{
	if (!MMSTALL_HAVE_VM_EVENTS)
		return false;
	all_vm_events(mmstall_vm_events);
	return true;
}

void mmstall_vmstat_reset(void)
{
	unsigned int i;

	if (!mmstall_vm_events_read())
		return;
	for (i = 0; i < ARRAY_SIZE(mmstall_vm_counters); i++)
		mmstall_vm_start[i] =
			mmstall_vm_counter_sum(&mmstall_vm_counters[i]);
}

int mmstall_vmstat_init(void)
{
	if (!MMSTALL_HAVE_VM_EVENTS)
		mmstall_note("vmstat",
			     "no vm event counters on this kernel (CONFIG_VM_EVENT_COUNTERS off): kswapd_wakeups only");
	mmstall_vmstat_reset();
	return 0;
}

unsigned int mmstall_vmstat_max(void)
{
	return ARRAY_SIZE(mmstall_vm_counters) + 1;
}

static void mmstall_vmstat_rec_set(struct mmstall_vmstat_rec *r,
				   const char *name, u64 start, u64 now)
{
	strscpy(r->name, name, sizeof(r->name));
	r->start = start;
	r->now = now;
}

unsigned int mmstall_vmstat_fill(void *recs, unsigned int max,
				 const struct mmstall_snap_ctx *ctx)
{
	struct mmstall_vmstat_rec *r = recs;
	unsigned int i, n = 0;
	u64 wakeups;

	if (max && mmstall_vm_events_read()) {
		for (i = 0; i < ARRAY_SIZE(mmstall_vm_counters) && n < max;
		     i++) {
			const struct mmstall_vm_counter *c =
				&mmstall_vm_counters[i];

			if (c->n)
				mmstall_vmstat_rec_set(&r[n++], c->name,
						       mmstall_vm_start[i],
						       mmstall_vm_counter_sum(c));
		}
	}
	if (n < max && mmstall_kswapd_wakeups(&wakeups))
		mmstall_vmstat_rec_set(&r[n++], "kswapd_wakeups", 0, wakeups);
	return n;
}
