/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The current task's system call arguments, from its saved user
 * registers: independent of how the syscall entry is wrapped (sys_X,
 * SyS_X, __x64_sys_X with a pt_regs argument).
 */
#ifndef _MMSTALL_COMPAT_SYSCALL_ARGS_H
#define _MMSTALL_COMPAT_SYSCALL_ARGS_H

#include <linux/sched.h>
#include <asm/syscall.h>
#ifdef MMSTALL_HAVE_SCHED_TASK_STACK_H
#include <linux/sched/task_stack.h>
#endif /* MMSTALL_HAVE_SCHED_TASK_STACK_H */

#ifdef CONFIG_X86_64
static inline unsigned long mmstall_syscall_arg(unsigned int n)
{
	const struct pt_regs *regs = task_pt_regs(current);

	switch (n) {
	case 0:
		return regs->di;
	case 1:
		return regs->si;
	case 2:
		return regs->dx;
	case 3:
		return regs->r10;
	case 4:
		return regs->r8;
	default:
		return regs->r9;
	}
}
#else /* !CONFIG_X86_64: the 5.1+ generic accessor */
static inline unsigned long mmstall_syscall_arg(unsigned int n)
{
	unsigned long args[6];

	syscall_get_arguments(current, task_pt_regs(current), args);
	return args[n < 6 ? n : 5];
}
#endif /* CONFIG_X86_64 */

#endif /* _MMSTALL_COMPAT_SYSCALL_ARGS_H */
