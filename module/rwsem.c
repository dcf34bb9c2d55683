// SPDX-License-Identifier: GPL-2.0
/*
 * rwsem_read / rwsem_write: time spent in the rwsem slowpaths.
 *
 * kretprobes on rwsem_down_{read,write}_slowpath (4.18 RHEL 8.3, 5.x,
 * 6.x) or rwsem_down_{read,write}_failed[_killable] (older).  The entry
 * handler notes the time, whether the semaphore is the task's own
 * mmap_lock, and the writer that holds it; the return handler records the
 * wait with its call site and charges it to that holder.
 * The _killable variants exist only beside the _failed ones (RHEL 8.1):
 * they are optional, and not reported where the kernel has no such symbol.
 * PREEMPT_RT builds rwsems on rt_mutex and has none of these: the classes
 * are then reported missing.
 */
#include <linux/kprobes.h>
#include <linux/sched.h>
#include "compat/clock.h"
#include "compat/kprobes.h"
#include "compat/mm.h"
#include "holders.h"
#include "probe.h"
#include "site.h"
#include "table.h"

struct mmstall_rwsem_wait {
	u64 start_ns;
	unsigned int lock;
	bool has_holder;
	struct mmstall_task_id holder;	/* the writer that held it */
};

static int mmstall_rwsem_entry(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct mmstall_rwsem_wait *w = (void *)ri->data;
	const void *sem = (const void *)mmstall_regs_arg0(regs);
	struct mm_struct *mm = current->mm;

	if (mmstall_paused())
		return 1;
	w->lock = mm && sem == mmstall_mm_lock(mm) ?
		  MMSTALL_LOCK_MMAP : MMSTALL_LOCK_OTHER;
	w->has_holder = w->lock == MMSTALL_LOCK_MMAP &&
			mmstall_holder_read(sem, &w->holder);
	w->start_ns = local_clock();
	mmstall_probe_hit(mmstall_probe_of_krp(mmstall_kretprobe_of(ri)));
	return 0;
}

static int mmstall_rwsem_return(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct mmstall_rwsem_wait *w = (void *)ri->data;
	struct mmstall_probe *p = mmstall_probe_of_krp(mmstall_kretprobe_of(ri));
	struct mmstall_stat_rec *st;
	s64 ns = local_clock() - w->start_ns;

	if (mmstall_paused())
		return 0;
	if (ns < 0)
		ns = 0;
	st = mmstall_current_stat(p->class);
	if (st)
		mmstall_stat_add(st, ns, w->lock, mmstall_site_of_current(ns));
	if (w->has_holder)
		mmstall_holder_blocked(&w->holder, ns);
	return 0;
}

static const char * const mmstall_rwsem_read_syms[] = {
	"rwsem_down_read_slowpath", "rwsem_down_read_failed", NULL
};

static const char * const mmstall_rwsem_read_killable_syms[] = {
	"rwsem_down_read_failed_killable", NULL
};

static const char * const mmstall_rwsem_write_syms[] = {
	"rwsem_down_write_slowpath", "rwsem_down_write_failed", NULL
};

static const char * const mmstall_rwsem_write_killable_syms[] = {
	"rwsem_down_write_failed_killable", NULL
};

#define MMSTALL_RWSEM_PROBE(cls, syms, opt) {			\
	.class = cls,							\
	.optional = opt,						\
	.kind = MMSTALL_KIND_KRETPROBE,					\
	.symbols = syms,						\
	.entry_handler = mmstall_rwsem_entry,				\
	.handler = mmstall_rwsem_return,				\
	.data_size = sizeof(struct mmstall_rwsem_wait),			\
}

static struct mmstall_probe mmstall_rwsem_probes[] = {
	MMSTALL_RWSEM_PROBE(MMSTALL_CLASS_RWSEM_READ,
			    mmstall_rwsem_read_syms, false),
	MMSTALL_RWSEM_PROBE(MMSTALL_CLASS_RWSEM_WRITE,
			    mmstall_rwsem_write_syms, false),
	MMSTALL_RWSEM_PROBE(MMSTALL_CLASS_RWSEM_READ,
			    mmstall_rwsem_read_killable_syms, true),
	MMSTALL_RWSEM_PROBE(MMSTALL_CLASS_RWSEM_WRITE,
			    mmstall_rwsem_write_killable_syms, true),
};

struct mmstall_family mmstall_rwsem_family = {
	.name = "rwsem",
	.probes = mmstall_rwsem_probes,
	.nr_probes = ARRAY_SIZE(mmstall_rwsem_probes),
};
