/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Saving the current stack: stack_trace_save() from 5.2, struct before;
 * save_stack_trace() there ends the trace with ULONG_MAX when it has room
 * (through 5.1 and RHEL 8.1), which is not a frame and is dropped.
 * From a kretprobe's return handler, where the unwinder would stop at the
 * trampoline, the walk starts at the probed function's caller instead
 * (kret_unwind.h).
 *
 * MMSTALL_UNWINDER_GUESS: the "guess" unwinder, whose stale frames would
 * misname a call site.  CONFIG_UNWINDER_GUESS exists from 4.15; before
 * (RHEL 7) a kernel with neither ORC nor frame pointers guesses too.
 */
#ifndef _MMSTALL_COMPAT_STACKTRACE_H
#define _MMSTALL_COMPAT_STACKTRACE_H

#include <linux/kconfig.h>
#include <linux/stacktrace.h>
#include "kret_unwind.h"

#define MMSTALL_UNWINDER_GUESS						\
	(IS_ENABLED(CONFIG_UNWINDER_GUESS) ||				\
	 (!IS_ENABLED(CONFIG_UNWINDER_ORC) &&				\
	  !IS_ENABLED(CONFIG_FRAME_POINTER)))

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
	if (trace.nr_entries && entries[trace.nr_entries - 1] == ULONG_MAX)
		trace.nr_entries--;
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
