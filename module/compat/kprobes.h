/* SPDX-License-Identifier: GPL-2.0 */
/* kprobe API differences: how a kretprobe instance names its kretprobe. */
#ifndef _MMSTALL_COMPAT_KPROBES_H
#define _MMSTALL_COMPAT_KPROBES_H

#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include "kprobe_args.h"

#ifdef MMSTALL_HAVE_GET_KRETPROBE
static inline struct kretprobe *
mmstall_kretprobe_of(struct kretprobe_instance *ri)
{
	return get_kretprobe(ri);
}
#else /* !MMSTALL_HAVE_GET_KRETPROBE: 5.10 and older */
static inline struct kretprobe *
mmstall_kretprobe_of(struct kretprobe_instance *ri)
{
	return ri->rp;
}
#endif /* MMSTALL_HAVE_GET_KRETPROBE */

/* The first argument of a probed function, at its entry. */
static inline unsigned long mmstall_regs_arg0(struct pt_regs *regs)
{
	return mmstall_regs_arg(regs, 0);
}

#endif /* _MMSTALL_COMPAT_KPROBES_H */
