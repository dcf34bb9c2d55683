/* SPDX-License-Identifier: GPL-2.0 */
/*
 * try_to_compact_pages()'s arguments: (gfp_mask, order, ...) from 4.0,
 * (zonelist, order, gfp_mask, ...) before (RHEL 6 and 7).  Kbuild greps
 * the prototype in linux/compaction.h.  COMPACT_SKIPPED, its result when
 * no zone was compacted, is in the same header everywhere.
 */
#ifndef _MMSTALL_COMPAT_COMPACTION_H
#define _MMSTALL_COMPAT_COMPACTION_H

#include <linux/compaction.h>

#define MMSTALL_COMPACT_ORDER_ARG	1
#ifdef MMSTALL_COMPACT_ZONELIST_FIRST
#define MMSTALL_COMPACT_GFP_ARG		2
#else /* !MMSTALL_COMPACT_ZONELIST_FIRST: 4.0+ */
#define MMSTALL_COMPACT_GFP_ARG		0
#endif /* MMSTALL_COMPACT_ZONELIST_FIRST */

#endif /* _MMSTALL_COMPAT_COMPACTION_H */
