/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Waiting for every probe handler in flight.  Handlers run with preemption
 * disabled; synchronize_rcu() waits for such sections from 4.20 on, before
 * that synchronize_sched() does.
 */
#ifndef _MMSTALL_COMPAT_RCU_H
#define _MMSTALL_COMPAT_RCU_H

#include <linux/rcupdate.h>

#ifdef MMSTALL_HAVE_SYNCHRONIZE_SCHED
static inline void mmstall_wait_for_handlers(void)
{
	synchronize_sched();
}
#else /* !MMSTALL_HAVE_SYNCHRONIZE_SCHED */
static inline void mmstall_wait_for_handlers(void)
{
	synchronize_rcu();
}
#endif /* MMSTALL_HAVE_SYNCHRONIZE_SCHED */

#endif /* _MMSTALL_COMPAT_RCU_H */
