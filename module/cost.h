/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What tracing costs: every handler is bracketed by mmstall_cost_enter()
 * and mmstall_cost_leave().  Entering counts the call; one call in
 * MMSTALL_COST_SAMPLE per CPU (the first one included) also reads the
 * clock on both sides.  The time of all calls is then estimated as
 * calls * sampled_ns / sampled, at two clock reads per sampled call.
 *
 * What is measured is the time spent in mmstall's own handler code; the
 * kernel's dispatch to it (the kprobe trap or ftrace trampoline, the
 * tracepoint call) is not included (`make bench` measures that part).
 */
#ifndef _MMSTALL_COST_H
#define _MMSTALL_COST_H

#include "compat/clock.h"
#include "compat/kprobes.h"
#include "compat/kret_unwind.h"
#include "probe.h"

#define MMSTALL_COST_SAMPLE	16	/* a power of two */

struct seq_file;

/* The per-class cost lines of the status file. */
void mmstall_cost_show(struct seq_file *m);

static __always_inline u64 mmstall_cost_enter(struct mmstall_probe *p)
{
	u64 n = this_cpu_inc_return(p->pc->calls);

	if ((n & (MMSTALL_COST_SAMPLE - 1)) != 1)
		return 0;
	return local_clock() | 1;
}

static __always_inline void mmstall_cost_leave(struct mmstall_probe *p,
					       u64 t0)
{
	s64 ns;

	if (likely(!t0))
		return;
	/* t0 has its low bit set: the same clock value gives -1 */
	ns = local_clock() - t0;
	this_cpu_add(p->pc->sampled_ns, ns > 0 ? ns : 0);
	this_cpu_inc(p->pc->sampled);
}

/*
 * Kprobe and kretprobe handlers, all of one type, are timed by a wrapper:
 * write the handler as __NAME, then MMSTALL_TIMED_KPROBE(NAME),
 * MMSTALL_TIMED_KRETPROBE_ENTRY(NAME) or MMSTALL_TIMED_KRETPROBE_RETURN(NAME)
 * defines NAME around it.  The kretprobe wrappers also keep where a stack
 * walk from the return handler starts (compat/kret_unwind.h).
 */
#define MMSTALL_TIMED_KPROBE(name)					\
static int name(struct kprobe *kp, struct pt_regs *regs)		\
{									\
	struct mmstall_probe *p = mmstall_probe_of_kp(kp);		\
	u64 t0 = mmstall_cost_enter(p);					\
	int ret = __##name(kp, regs);					\
									\
	mmstall_cost_leave(p, t0);					\
	return ret;							\
}

/*
 * From 5.11 a kretprobe instance names its kretprobe through
 * get_kretprobe(), NULL once unregister_kretprobe() has begun while
 * handlers still run: the wrappers look it up once, skip the call then,
 * and pass the probe down (__NAME(p, ri, regs)).
 */
#define MMSTALL_TIMED_KRETPROBE_ENTRY(name)				\
static int name(struct kretprobe_instance *ri, struct pt_regs *regs)	\
{									\
	struct kretprobe *krp = mmstall_kretprobe_of(ri);		\
	struct mmstall_probe *p;					\
	u64 t0;								\
	int ret;							\
									\
	if (unlikely(!krp))						\
		return 1;	/* being unregistered: no return */	\
	p = mmstall_probe_of_krp(krp);					\
	t0 = mmstall_cost_enter(p);					\
	mmstall_kret_origin_save(ri, p->data_size, regs);		\
	ret = __##name(p, ri, regs);					\
	mmstall_cost_leave(p, t0);					\
	return ret;							\
}

#define MMSTALL_TIMED_KRETPROBE_RETURN(name)				\
static int name(struct kretprobe_instance *ri, struct pt_regs *regs)	\
{									\
	struct kretprobe *krp = mmstall_kretprobe_of(ri);		\
	struct mmstall_walk_origin origin;				\
	struct mmstall_probe *p;					\
	u64 t0;								\
	int ret;							\
									\
	if (unlikely(!krp))						\
		return 0;						\
	p = mmstall_probe_of_krp(krp);					\
	t0 = mmstall_cost_enter(p);					\
	mmstall_kret_origin_set(&origin, ri, p->data_size, regs);	\
	ret = __##name(p, ri, regs);					\
	mmstall_kret_origin_clear();					\
	mmstall_cost_leave(p, t0);					\
	return ret;							\
}

#endif /* _MMSTALL_COST_H */
