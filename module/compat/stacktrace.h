/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Saving the current stack: stack_trace_save() from 5.2, struct before.
 * From a kretprobe's return handler, where the unwinder would stop at the
 * trampoline, the walk starts at the probed function's caller instead
 * (kret_unwind.h).
 */
#ifndef _MMSTALL_COMPAT_STACKTRACE_H
#define _MMSTALL_COMPAT_STACKTRACE_H

#include <linux/stacktrace.h>
#include "kret_unwind.h"

#ifdef MMSTALL_HAVE_STACK_TRACE_SAVE
static inline unsigned int __mmstall_stack_save(unsigned long *entries,
						unsigned int max)
{
	return stack_trace_save(entries, max, 0);
}
#else /* !MMSTALL_HAVE_STACK_TRACE_SAVE */
static inline unsigned int __mmstall_stack_save(unsigned long *entries,
						unsigned int max)
{
	struct stack_trace trace = {
		.entries = entries,
		.max_entries = max,
	};

	save_stack_trace(&trace);
	return trace.nr_entries;
}
#endif /* MMSTALL_HAVE_STACK_TRACE_SAVE */

static inline unsigned int mmstall_stack_save(unsigned long *entries,
					      unsigned int max)
{
	const struct mmstall_walk_origin *o = mmstall_walk_origin_now();

	return o ? mmstall_walk_from(o, entries, max) :
		   __mmstall_stack_save(entries, max);
}

#endif /* _MMSTALL_COMPAT_STACKTRACE_H */
