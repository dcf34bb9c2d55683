/* SPDX-License-Identifier: GPL-2.0 */
/* The mm_struct's own rwsem: mmap_lock from 5.8, mmap_sem before. */
#ifndef _MMSTALL_COMPAT_MM_H
#define _MMSTALL_COMPAT_MM_H

#include <linux/mm_types.h>

#ifdef MMSTALL_HAVE_MMAP_LOCK
static inline const void *mmstall_mm_lock(const struct mm_struct *mm)
{
	return &mm->mmap_lock;
}
#else /* !MMSTALL_HAVE_MMAP_LOCK */
static inline const void *mmstall_mm_lock(const struct mm_struct *mm)
{
	return &mm->mmap_sem;
}
#endif /* MMSTALL_HAVE_MMAP_LOCK */

#endif /* _MMSTALL_COMPAT_MM_H */
