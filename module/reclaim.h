/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reclaim family (reclaim.c) and the vm event counters it reports as
 * the window's context (vmstat.c).
 */
#ifndef _MMSTALL_RECLAIM_H
#define _MMSTALL_RECLAIM_H

#include <linux/types.h>

struct mmstall_snap_ctx;

/* kswapd wakeups since load or reset; false: not counted here. */
bool mmstall_kswapd_wakeups(u64 *n);

/* Process context: the counters at the window's start. */
int mmstall_vmstat_init(void);
void mmstall_vmstat_reset(void);
unsigned int mmstall_vmstat_max(void);
unsigned int mmstall_vmstat_fill(void *recs, unsigned int max,
				 const struct mmstall_snap_ctx *ctx);

#endif /* _MMSTALL_RECLAIM_H */
