/* SPDX-License-Identifier: GPL-2.0 */
/* A task's start time, used to tell a reused pid from its old owner. */
#ifndef _MMSTALL_COMPAT_SCHED_H
#define _MMSTALL_COMPAT_SCHED_H

#include <linux/sched.h>
#include "uaccess.h"

#ifdef MMSTALL_HAVE_U64_START_TIME
static inline u64 mmstall_task_start_ns(const struct task_struct *t)
{
	return t->start_time;
}

/* The same, for a task that may be gone: 0 if unreadable. */
static inline u64 mmstall_task_start_ns_nofault(const struct task_struct *t)
{
	u64 v;

	return mmstall_copy_nofault(&v, &t->start_time, sizeof(v)) ? 0 : v;
}
#else /* !MMSTALL_HAVE_U64_START_TIME: a struct timespec before 4.x */
static inline u64 mmstall_task_start_ns(const struct task_struct *t)
{
	return (u64)t->start_time.tv_sec * NSEC_PER_SEC +
	       t->start_time.tv_nsec;
}

static inline u64 mmstall_task_start_ns_nofault(const struct task_struct *t)
{
	struct timespec v;

	if (mmstall_copy_nofault(&v, &t->start_time, sizeof(v)))
		return 0;
	return (u64)v.tv_sec * NSEC_PER_SEC + v.tv_nsec;
}
#endif /* MMSTALL_HAVE_U64_START_TIME */

#endif /* _MMSTALL_COMPAT_SCHED_H */
