/* SPDX-License-Identifier: GPL-2.0 */
/* A task's start time, used to tell a reused pid from its old owner. */
#ifndef _MMSTALL_COMPAT_SCHED_H
#define _MMSTALL_COMPAT_SCHED_H

#include <linux/sched.h>

#ifdef MMSTALL_HAVE_U64_START_TIME
static inline u64 mmstall_task_start_ns(const struct task_struct *t)
{
	return t->start_time;
}
#else /* !MMSTALL_HAVE_U64_START_TIME: a struct timespec before 4.x */
static inline u64 mmstall_task_start_ns(const struct task_struct *t)
{
	return (u64)t->start_time.tv_sec * NSEC_PER_SEC +
	       t->start_time.tv_nsec;
}
#endif /* MMSTALL_HAVE_U64_START_TIME */

#endif /* _MMSTALL_COMPAT_SCHED_H */
