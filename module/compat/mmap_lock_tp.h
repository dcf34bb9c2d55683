/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mmap_lock tracepoints (5.15+): mmap_lock_acquire_returned and
 * mmap_lock_released.  Up to 6.12 they carry the memcg path of the mm.
 */
#ifndef _MMSTALL_COMPAT_MMAP_LOCK_TP_H
#define _MMSTALL_COMPAT_MMAP_LOCK_TP_H

#include <linux/mm_types.h>

#ifdef MMSTALL_HAVE_MMAP_LOCK_TP_MEMCG
#define MMSTALL_MMAP_LOCK_TP_ARGS					\
	struct mm_struct *mm, const char *memcg_path, bool write
#else /* !MMSTALL_HAVE_MMAP_LOCK_TP_MEMCG */
#define MMSTALL_MMAP_LOCK_TP_ARGS struct mm_struct *mm, bool write
#endif /* MMSTALL_HAVE_MMAP_LOCK_TP_MEMCG */

#endif /* _MMSTALL_COMPAT_MMAP_LOCK_TP_H */
