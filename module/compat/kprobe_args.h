/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A probed function's arguments at its entry, and its return value:
 * regs_get_kernel_argument() from 4.20, the x86-64 registers before.
 */
#ifndef _MMSTALL_COMPAT_KPROBE_ARGS_H
#define _MMSTALL_COMPAT_KPROBE_ARGS_H

#include <linux/ptrace.h>

#ifdef MMSTALL_HAVE_REGS_KERNEL_ARG
static inline unsigned long mmstall_regs_arg(struct pt_regs *regs,
					     unsigned int n)
{
	return regs_get_kernel_argument(regs, n);
}
#else /* !MMSTALL_HAVE_REGS_KERNEL_ARG: before 4.20, x86-64 only */
static inline unsigned long mmstall_regs_arg(struct pt_regs *regs,
					     unsigned int n)
{
	switch (n) {
	case 0:
		return regs->di;
	case 1:
		return regs->si;
	case 2:
		return regs->dx;
	case 3:
		return regs->cx;
	case 4:
		return regs->r8;
	default:
		return regs->r9;
	}
}
#endif /* MMSTALL_HAVE_REGS_KERNEL_ARG */

static inline unsigned long mmstall_regs_ret(struct pt_regs *regs)
{
	return regs_return_value(regs);
}

#endif /* _MMSTALL_COMPAT_KPROBE_ARGS_H */
