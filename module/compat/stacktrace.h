/* SPDX-License-Identifier: GPL-2.0 */
/* Saving the current stack: stack_trace_save() from 5.2, struct before. */
#ifndef _MMSTALL_COMPAT_STACKTRACE_H
#define _MMSTALL_COMPAT_STACKTRACE_H

#include <linux/stacktrace.h>

#ifdef MMSTALL_HAVE_STACK_TRACE_SAVE
static inline unsigned int mmstall_stack_save(unsigned long *entries,
					      unsigned int max)
{
	return stack_trace_save(entries, max, 0);
}
#else /* !MMSTALL_HAVE_STACK_TRACE_SAVE */
static inline unsigned int mmstall_stack_save(unsigned long *entries,
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

#endif /* _MMSTALL_COMPAT_STACKTRACE_H */
