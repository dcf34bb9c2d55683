/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Slow events: single stalls over event_threshold_ns, with the waiter's
 * kernel stack, kept in a ring while someone reads debugfs "events".
 */
#ifndef _MMSTALL_EVENTS_H
#define _MMSTALL_EVENTS_H

#include <linux/compiler.h>
#include <linux/types.h>

struct dentry;

extern bool mmstall_events_armed;	/* the events file is open */
extern unsigned long mmstall_event_threshold_ns;

void mmstall_event_record(unsigned int class, u64 ns, unsigned int lock,
			  unsigned int site);

/* Called where a stall of @ns is recorded, in the stalled task. */
static inline void mmstall_event_check(unsigned int class, u64 ns,
				       unsigned int lock, unsigned int site)
{
	if (unlikely(READ_ONCE(mmstall_events_armed)) &&
	    ns >= READ_ONCE(mmstall_event_threshold_ns))
		mmstall_event_record(class, ns, lock, site);
}

u64 mmstall_events_lost(void);
int mmstall_events_debugfs_init(struct dentry *dir);
void mmstall_events_exit(void);

#endif /* _MMSTALL_EVENTS_H */
