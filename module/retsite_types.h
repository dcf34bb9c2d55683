/* SPDX-License-Identifier: GPL-2.0 */
/* The state of return-site timing (retsite.h), embedded in each probe. */
#ifndef _MMSTALL_RETSITE_TYPES_H
#define _MMSTALL_RETSITE_TYPES_H

#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/types.h>

struct mmstall_probe;

#define MMSTALL_RETSITE_DEPTH	4	/* frames per task or CPU */
#define MMSTALL_RETSITE_MAX	64	/* return sites per function */

struct mmstall_retsite_frame {
	unsigned long sp;		/* at entry: where the return address is */
	u64 start_ns;
	u64 arg;			/* the family's */
};

struct mmstall_retsite_stack {
	unsigned int depth;
	struct mmstall_retsite_frame frame[MMSTALL_RETSITE_DEPTH];
};

struct mmstall_retsite_kprobe {
	struct kprobe kp;
	struct mmstall_probe *probe;
};

struct mmstall_retsites {
	unsigned int nr_sites;		/* registered */
	unsigned int nr_refused;	/* candidates register_kprobe refused */
	struct mmstall_retsite_kprobe *sites;
	struct kprobe **kps;		/* the registered ones, to unregister */
	struct mmstall_retsite_stack *task_stacks;	/* per task slot */
	struct mmstall_retsite_stack __percpu *irq_stacks;
};

#endif /* _MMSTALL_RETSITE_TYPES_H */
