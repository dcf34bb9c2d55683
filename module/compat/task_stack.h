/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which stack a probe hit: the current task's own kernel stack, or an
 * interrupt or exception stack.  It tells the context of the probed code
 * whatever the handler's own context: on x86 an int3 kprobe's handler
 * runs as an NMI (5.9+), so in_interrupt() there is always true.
 * task_stack_page() is in linux/sched/task_stack.h from 4.11, in
 * linux/sched.h before.
 */
#ifndef _MMSTALL_COMPAT_TASK_STACK_H
#define _MMSTALL_COMPAT_TASK_STACK_H

#include <linux/ptrace.h>
#include <linux/sched.h>
#ifdef MMSTALL_HAVE_SCHED_TASK_STACK_H
#include <linux/sched/task_stack.h>
#endif /* MMSTALL_HAVE_SCHED_TASK_STACK_H */

static inline bool mmstall_regs_on_task_stack(struct pt_regs *regs)
{
	unsigned long base = (unsigned long)task_stack_page(current);

	return kernel_stack_pointer(regs) - base < THREAD_SIZE;
}

#endif /* _MMSTALL_COMPAT_TASK_STACK_H */
