/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reclaim tracepoints' begin prototype (mm_vmscan_direct_reclaim_begin
 * and mm_vmscan_memcg_reclaim_begin share it):
 *   3.10, 4.4:       (int order, int may_writepage, gfp_t gfp_flags)
 *   4.18 (RHEL 8):   (int order, int may_writepage, gfp_t gfp_flags,
 *                    int classzone_idx)
 *   5.4 and later:   (int order, gfp_t gfp_flags)
 * chosen by Kbuild from include/trace/events/vmscan.h.  The _end events
 * are (unsigned long nr_reclaimed) everywhere.
 */
#ifndef _MMSTALL_COMPAT_VMSCAN_TP_H
#define _MMSTALL_COMPAT_VMSCAN_TP_H

#include <linux/types.h>

#if defined(MMSTALL_VMSCAN_BEGIN_CLASSZONE)
#define MMSTALL_VMSCAN_BEGIN_ARGS					\
	int order, int may_writepage, gfp_t gfp_flags, int classzone_idx
#elif defined(MMSTALL_VMSCAN_BEGIN_MAY_WRITEPAGE)
#define MMSTALL_VMSCAN_BEGIN_ARGS					\
	int order, int may_writepage, gfp_t gfp_flags
#else /* 5.4+ */
#define MMSTALL_VMSCAN_BEGIN_ARGS int order, gfp_t gfp_flags
#endif /* MMSTALL_VMSCAN_BEGIN_CLASSZONE, MMSTALL_VMSCAN_BEGIN_MAY_WRITEPAGE */

#endif /* _MMSTALL_COMPAT_VMSCAN_TP_H */
