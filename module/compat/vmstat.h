/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vm event counters that tell a reclaim story, by their /proc/vmstat
 * names, as ranges of enum vm_event_item summed.  Up to 4.7 the scan and
 * steal counters were kept per zone (pgscan_direct_normal, ...); from 4.8
 * reclaim is per node and they are single counters, while allocstall went
 * per zone.  Kbuild reads include/linux/vm_event_item.h (linux/vmstat.h
 * on 2.6.32) to tell which.
 */
#ifndef _MMSTALL_COMPAT_VMSTAT_H
#define _MMSTALL_COMPAT_VMSTAT_H

#include <linux/mm.h>
#include <linux/vmstat.h>

struct mmstall_vm_counter {
	const char *name;
	unsigned int first;	/* enum vm_event_item */
	unsigned int n;		/* items summed from @first */
};

#define MMSTALL_VM_ONE(item)	.first = (item), .n = 1
/* Every zone's counter of @item, DMA to MOVABLE. */
#define MMSTALL_VM_ZONES(item)						\
	.first = item##_NORMAL - ZONE_NORMAL,				\
	.n = item##_MOVABLE - (item##_NORMAL - ZONE_NORMAL) + 1

#ifdef MMSTALL_HAVE_ALLOCSTALL_ZONES
#define MMSTALL_VM_ALLOCSTALL	MMSTALL_VM_ZONES(ALLOCSTALL)
#else /* !MMSTALL_HAVE_ALLOCSTALL_ZONES: before 4.8 */
#define MMSTALL_VM_ALLOCSTALL	MMSTALL_VM_ONE(ALLOCSTALL)
#endif /* MMSTALL_HAVE_ALLOCSTALL_ZONES */

#ifdef MMSTALL_HAVE_PGSCAN_ZONES
#define MMSTALL_VM_SCAN(item)	MMSTALL_VM_ZONES(item)
#else /* !MMSTALL_HAVE_PGSCAN_ZONES: 4.8 and later */
#define MMSTALL_VM_SCAN(item)	MMSTALL_VM_ONE(item)
#endif /* MMSTALL_HAVE_PGSCAN_ZONES */

/* Items a kernel does not count have n = 0 and are not reported. */
#define MMSTALL_VM_NONE		.first = 0, .n = 0

/* 2.6.32 counts pages stolen per zone, and kswapd's alone (KSWAPD_STEAL) */
#ifdef MMSTALL_HAVE_PGSTEAL_SPLIT
#define MMSTALL_VM_STEAL_DIRECT		MMSTALL_VM_SCAN(PGSTEAL_DIRECT)
#define MMSTALL_VM_STEAL_KSWAPD		MMSTALL_VM_SCAN(PGSTEAL_KSWAPD)
#else /* !MMSTALL_HAVE_PGSTEAL_SPLIT */
#define MMSTALL_VM_STEAL_DIRECT		MMSTALL_VM_NONE
#define MMSTALL_VM_STEAL_KSWAPD		MMSTALL_VM_ONE(KSWAPD_STEAL)
#endif /* MMSTALL_HAVE_PGSTEAL_SPLIT */

#ifdef CONFIG_COMPACTION
#define MMSTALL_VM_COMPACT(item)	MMSTALL_VM_ONE(item)
#else /* !CONFIG_COMPACTION */
#define MMSTALL_VM_COMPACT(item)	MMSTALL_VM_NONE
#endif /* CONFIG_COMPACTION */

#ifdef CONFIG_VM_EVENT_COUNTERS
#define MMSTALL_HAVE_VM_EVENTS	1
#define MMSTALL_NR_VM_EVENTS	NR_VM_EVENT_ITEMS

static const struct mmstall_vm_counter mmstall_vm_counters[] = {
	{ "allocstall", MMSTALL_VM_ALLOCSTALL },
	{ "pgscan_direct", MMSTALL_VM_SCAN(PGSCAN_DIRECT) },
	{ "pgsteal_direct", MMSTALL_VM_STEAL_DIRECT },
	{ "pgscan_kswapd", MMSTALL_VM_SCAN(PGSCAN_KSWAPD) },
	{ "pgsteal_kswapd", MMSTALL_VM_STEAL_KSWAPD },
	{ "pageoutrun", MMSTALL_VM_ONE(PAGEOUTRUN) },
	{ "kswapd_low_wmark_hit_quickly",
	  MMSTALL_VM_ONE(KSWAPD_LOW_WMARK_HIT_QUICKLY) },
	{ "kswapd_high_wmark_hit_quickly",
	  MMSTALL_VM_ONE(KSWAPD_HIGH_WMARK_HIT_QUICKLY) },
	{ "compact_stall", MMSTALL_VM_COMPACT(COMPACTSTALL) },
	{ "compact_fail", MMSTALL_VM_COMPACT(COMPACTFAIL) },
	{ "compact_success", MMSTALL_VM_COMPACT(COMPACTSUCCESS) },
};
#else /* !CONFIG_VM_EVENT_COUNTERS */
#define MMSTALL_HAVE_VM_EVENTS	0
#define MMSTALL_NR_VM_EVENTS	1

static const struct mmstall_vm_counter mmstall_vm_counters[] = {
	{ "allocstall", MMSTALL_VM_NONE },
};
#endif /* CONFIG_VM_EVENT_COUNTERS */

#endif /* _MMSTALL_COMPAT_VMSTAT_H */
