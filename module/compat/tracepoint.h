/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attaching to a tracepoint by name.  From 3.15 probes take the struct
 * tracepoint, found with for_each_kernel_tracepoint().  Before (RHEL 7's
 * 3.10), they register by name; registering an unknown name succeeds there
 * (it waits for a module to define it), so the tracepoint iterator first
 * checks that the kernel has it.  2.6.32 calls probes without their data
 * pointer, which every handler here needs: registering fails with
 * -EOPNOTSUPP, the probe shows as failed, and the kretprobe fallbacks are
 * used.  Kbuild reads include/linux/tracepoint.h to tell which.
 */
#ifndef _MMSTALL_COMPAT_TRACEPOINT_H
#define _MMSTALL_COMPAT_TRACEPOINT_H

#include <linux/errno.h>
#include <linux/tracepoint.h>
#include <linux/string.h>

#ifdef MMSTALL_HAVE_TP_FOR_EACH
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

static inline int mmstall_tracepoint_register(struct tracepoint *tp,
					      void *probe, void *data)
{
	return tracepoint_probe_register(tp, probe, data);
}

static inline void mmstall_tracepoint_unregister(struct tracepoint *tp,
						 void *probe, void *data)
{
	tracepoint_probe_unregister(tp, probe, data);
}
#else /* !MMSTALL_HAVE_TP_FOR_EACH: before 3.15, by name */

#ifdef MMSTALL_HAVE_TP_ITER_PTRS
/* 3.x: the iterator walks an array of pointers to tracepoints */
static inline struct tracepoint *
mmstall_tp_iter_at(const struct tracepoint_iter *iter)
{
	return iter->tracepoint ? *iter->tracepoint : NULL;
}
#else /* !MMSTALL_HAVE_TP_ITER_PTRS: 2.6.32, an array of tracepoints */
static inline struct tracepoint *
mmstall_tp_iter_at(const struct tracepoint_iter *iter)
{
	return iter->tracepoint;
}
#endif /* MMSTALL_HAVE_TP_ITER_PTRS */

/* The kernel's tracepoint named @name, or NULL. */
static inline struct tracepoint *mmstall_tracepoint_find(const char *name)
{
	struct tracepoint_iter iter;
	struct tracepoint *tp;

	tracepoint_iter_reset(&iter);
	for (tracepoint_iter_start(&iter); (tp = mmstall_tp_iter_at(&iter));
	     tracepoint_iter_next(&iter))
		if (!strcmp(tp->name, name))
			break;
	tracepoint_iter_stop(&iter);
	return tp;
}

#ifdef MMSTALL_HAVE_TP_DATA
static inline int mmstall_tracepoint_register(struct tracepoint *tp,
					      void *probe, void *data)
{
	return tracepoint_probe_register(tp->name, probe, data);
}

static inline void mmstall_tracepoint_unregister(struct tracepoint *tp,
						 void *probe, void *data)
{
	tracepoint_probe_unregister(tp->name, probe, data);
}
#else /* !MMSTALL_HAVE_TP_DATA: 2.6.32, probes get no data pointer */
static inline int mmstall_tracepoint_register(struct tracepoint *tp,
					      void *probe, void *data)
{
	return -EOPNOTSUPP;
}

static inline void mmstall_tracepoint_unregister(struct tracepoint *tp,
						 void *probe, void *data)
{
}
#endif /* MMSTALL_HAVE_TP_DATA */

#endif /* MMSTALL_HAVE_TP_FOR_EACH */

#endif /* _MMSTALL_COMPAT_TRACEPOINT_H */
