/* SPDX-License-Identifier: GPL-2.0 */
/* local_clock(), declared in linux/sched/clock.h from 4.11. */
#ifndef _MMSTALL_COMPAT_CLOCK_H
#define _MMSTALL_COMPAT_CLOCK_H

#ifdef MMSTALL_HAVE_SCHED_CLOCK_H
#include <linux/sched/clock.h>
#else /* !MMSTALL_HAVE_SCHED_CLOCK_H */
#include <linux/sched.h>
#endif /* MMSTALL_HAVE_SCHED_CLOCK_H */

#endif /* _MMSTALL_COMPAT_CLOCK_H */
