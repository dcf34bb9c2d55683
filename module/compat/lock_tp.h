/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lock contention tracepoints, contention_begin(lock, flags) and
 * contention_end(lock, ret), from 5.19 (6.1 in Debian).  The flag values
 * are those of include/trace/events/lock.h; an rwsem wait has READ or
 * WRITE alone, while spinlocks, percpu rwsems, mutexes and PREEMPT_RT
 * locks add a flag of their own.
 */
#ifndef _MMSTALL_COMPAT_LOCK_TP_H
#define _MMSTALL_COMPAT_LOCK_TP_H

#define MMSTALL_LCB_F_READ	(1U << 1)
#define MMSTALL_LCB_F_WRITE	(1U << 2)

#endif /* _MMSTALL_COMPAT_LOCK_TP_H */
