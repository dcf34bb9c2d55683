/* SPDX-License-Identifier: GPL-2.0 */
/* The state of return-site timing (retsite.h), embedded in each probe. */
#ifndef _MMSTALL_RETSITE_TYPES_H
#define _MMSTALL_RETSITE_TYPES_H

#include <linux/atomic.h>
#include <linux/kprobes.h>
#include <linux/types.h>

struct mmstall_probe;

#define MMSTALL_RETSITE_MAX	64	/* return sites per function */
#define MMSTALL_RETSITE_BITS	12	/* calls in flight tracked: 4096 */
#define MMSTALL_RETSITE_PROBES	8	/* table slots tried per call */

/* A call in flight, keyed by the stack pointer its entry saw. */
struct mmstall_retsite_frame {
	atomic_long_t sp;		/* 0: free */
	u64 start_ns;
	u64 arg;			/* the family's */
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
	struct mmstall_retsite_frame *frames;	/* 1 << MMSTALL_RETSITE_BITS */
};

#endif /* _MMSTALL_RETSITE_TYPES_H */
