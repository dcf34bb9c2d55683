/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attaching to a tracepoint by name.  From 3.15 probes take the struct
 * tracepoint, found with for_each_kernel_tracepoint(); older kernels
 * (RHEL 6/7) register by name and are handled here when supported.
 */
#ifndef _MMSTALL_COMPAT_TRACEPOINT_H
#define _MMSTALL_COMPAT_TRACEPOINT_H

#include <linux/tracepoint.h>
#include <linux/string.h>

struct mmstall_tp_find {
	const char *name;
	struct tracepoint *tp;
};

static inline void mmstall_tp_match(struct tracepoint *tp, void *priv)
{
	struct mmstall_tp_find *f = priv;

	if (!f->tp && !strcmp(tp->name, f->name))
		f->tp = tp;
}

/* The kernel's tracepoint named @name, or NULL. */
static inline struct tracepoint *mmstall_tracepoint_find(const char *name)
{
	struct mmstall_tp_find f = { .name = name };

	for_each_kernel_tracepoint(mmstall_tp_match, &f);
	return f.tp;
}

#endif /* _MMSTALL_COMPAT_TRACEPOINT_H */
