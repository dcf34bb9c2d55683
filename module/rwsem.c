// SPDX-License-Identifier: GPL-2.0
/*
 * rwsem_read / rwsem_write: time tasks spend waiting for rwsems.
 *
 * Where the kernel has the lock contention tracepoints (5.19+), they are
 * used: contention_begin marks a task queued on an rwsem (flags READ or
 * WRITE alone), contention_end its wake-up; the wait in between is kept in
 * the task's own slot.  Elsewhere, kretprobes on the slowpaths time them:
 * rwsem_down_{read,write}_slowpath (RHEL 8.3, 5.x, 6.x) or
 * rwsem_down_{read,write}_failed[_killable] (older).  The tracepoints also
 * avoid kretprobes on these hot sleeping functions, whose registration
 * under load is not safe on every kernel (6.1's rethook).
 *
 * At the start of a wait on mmap_lock the writer holding it is noted; at
 * its end the wait is recorded with its call site and charged to that
 * holder.  PREEMPT_RT builds rwsems on rt_mutex: its contention events
 * carry the RT flag (and also come from rwlock_t), and the slowpath
 * functions do not exist, so the classes are reported missing there.
 */
#include <linux/kprobes.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>
#include "compat/clock.h"
#include "compat/kprobes.h"
#include "compat/lock_tp.h"
#include "compat/mm.h"
#include "cost.h"
#include "holders.h"
#include "probe.h"
#include "site.h"
#include "table.h"

struct mmstall_rwsem_wait {
	u64 start_ns;
	const void *sem;		/* NULL: no wait pending */
	unsigned int class;
	unsigned int lock;
	bool has_holder;
	struct mmstall_holder_ref holder;	/* the writer that held it */
};

/* Pending tracepoint-timed waits, one per task slot. */
static struct mmstall_rwsem_wait *mmstall_rwsem_pending;

static void mmstall_rwsem_begin(struct mmstall_rwsem_wait *w,
				const void *sem, unsigned int class)
{
	struct mm_struct *mm = current->mm;

	w->class = class;
	w->lock = mm && sem == mmstall_mm_lock(mm) ?
		  MMSTALL_LOCK_MMAP : MMSTALL_LOCK_OTHER;
	w->has_holder = w->lock == MMSTALL_LOCK_MMAP &&
			mmstall_holder_read(sem, &w->holder);
	w->sem = sem;
	w->start_ns = local_clock();
}

/* The wait @w of @task (its slot, found once by the caller) ends. */
static void mmstall_rwsem_end(const struct mmstall_rwsem_wait *w,
			      struct mmstall_task *task)
{
	struct mmstall_stat_rec *st = NULL;
	s64 ns = local_clock() - w->start_ns;

	if (ns < 0)
		ns = 0;
	if (task)
		st = mmstall_task_stat(task, w->class);
	if (st)
		mmstall_stat_add(st, ns, w->lock, mmstall_site_of_current(ns));
	if (w->has_holder)
		mmstall_holder_blocked(&w->holder, ns);
}

enum {
	MMSTALL_RWSEM_TP_READ,
	MMSTALL_RWSEM_TP_WRITE,	/* shares TP_READ's contention_begin */
	MMSTALL_RWSEM_TP_END,
	MMSTALL_RWSEM_KRP_READ,
	MMSTALL_RWSEM_KRP_WRITE,
	MMSTALL_RWSEM_KRP_READ_KILLABLE,
	MMSTALL_RWSEM_KRP_WRITE_KILLABLE,
	MMSTALL_RWSEM_NR_PROBES,
};

static struct mmstall_probe mmstall_rwsem_probes[MMSTALL_RWSEM_NR_PROBES];

/* contention_begin: an rwsem wait starts if @p (by the flags) is set. */
static void __mmstall_rwsem_tp_begin(struct mmstall_probe *p, void *lock)
{
	struct mmstall_task *task;

	if (!p || mmstall_paused())
		return;
	mmstall_probe_hit(p);
	task = mmstall_current_task();
	if (task)
		mmstall_rwsem_begin(&mmstall_rwsem_pending[task->rec.slot],
				    lock, p->class);
}

/*
 * One handler for both classes (registered by rwsem_read's probe, @data):
 * every lock contention in the system calls it, so it is called once.
 * Events of other lock types are charged to rwsem_read's cost.
 */
static void mmstall_rwsem_tp_begin(void *data, void *lock, unsigned int flags)
{
	struct mmstall_probe *cost = data, *p = NULL;
	u64 t0;

	switch (flags) {
	case MMSTALL_LCB_F_READ:
		p = data;
		break;
	case MMSTALL_LCB_F_WRITE:
		p = &mmstall_rwsem_probes[MMSTALL_RWSEM_TP_WRITE];
		cost = p;
		break;
	}
	t0 = mmstall_cost_enter(cost);
	__mmstall_rwsem_tp_begin(p, lock);
	mmstall_cost_leave(cost, t0);
}

/* contention_end: fires for every lock type; only pending waits count. */
static void __mmstall_rwsem_tp_end(void *data, void *lock)
{
	struct mmstall_rwsem_wait *w;
	struct mmstall_task *task;

	if (mmstall_paused())
		return;
	task = mmstall_current_task_find();
	if (!task)
		return;
	w = &mmstall_rwsem_pending[task->rec.slot];
	if (!w->sem || w->sem != lock)
		return;
	mmstall_probe_hit(data);
	mmstall_rwsem_end(w, task);
	w->sem = NULL;
}

static void mmstall_rwsem_tp_end(void *data, void *lock, int ret)
{
	u64 t0 = mmstall_cost_enter(data);

	__mmstall_rwsem_tp_end(data, lock);
	mmstall_cost_leave(data, t0);
}

static int __mmstall_rwsem_entry(struct mmstall_probe *p,
				 struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	if (mmstall_paused())
		return 1;
	mmstall_rwsem_begin((void *)ri->data,
			    (const void *)mmstall_regs_arg0(regs), p->class);
	mmstall_probe_hit(p);
	return 0;
}
MMSTALL_TIMED_KRETPROBE_ENTRY(mmstall_rwsem_entry);

static int __mmstall_rwsem_return(struct mmstall_probe *p,
				  struct kretprobe_instance *ri,
				  struct pt_regs *regs)
{
	if (!mmstall_paused())
		mmstall_rwsem_end((void *)ri->data, mmstall_current_task());
	return 0;
}
MMSTALL_TIMED_KRETPROBE_RETURN(mmstall_rwsem_return);

/* PREEMPT_RT's contention events are not rwsem waits alone. */
static bool mmstall_rwsem_tp_wanted(void)
{
	return !IS_ENABLED(CONFIG_PREEMPT_RT);
}

static const char * const mmstall_contention_begin[] = {
	"contention_begin", NULL
};

static const char * const mmstall_contention_end[] = {
	"contention_end", NULL
};

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

#define MMSTALL_RWSEM_TP(cls, names, fn, share) {			\
	.class = cls,							\
	.kind = MMSTALL_KIND_TRACEPOINT,				\
	.optional = true,						\
	.symbols = names,						\
	.tp_probe = fn,							\
	.wanted = mmstall_rwsem_tp_wanted,				\
	.shares = share,						\
}

#define MMSTALL_RWSEM_KRP(cls, syms, opt, tp) {				\
	.class = cls,							\
	.kind = MMSTALL_KIND_KRETPROBE,					\
	.optional = opt,						\
	.symbols = syms,						\
	.entry_handler = mmstall_rwsem_entry,				\
	.handler = mmstall_rwsem_return,				\
	.data_size = sizeof(struct mmstall_rwsem_wait),			\
	.fallback_of = &mmstall_rwsem_probes[tp],			\
}

/*
 * The _killable variants exist only beside the _failed ones (RHEL 8.1):
 * they are optional, and not reported where the kernel has no such symbol.
 */
static struct mmstall_probe mmstall_rwsem_probes[MMSTALL_RWSEM_NR_PROBES] = {
	[MMSTALL_RWSEM_TP_READ] =
		MMSTALL_RWSEM_TP(MMSTALL_CLASS_RWSEM_READ,
				 mmstall_contention_begin,
				 mmstall_rwsem_tp_begin, NULL),
	[MMSTALL_RWSEM_TP_WRITE] =
		MMSTALL_RWSEM_TP(MMSTALL_CLASS_RWSEM_WRITE,
				 mmstall_contention_begin, NULL,
				 &mmstall_rwsem_probes[MMSTALL_RWSEM_TP_READ]),
	[MMSTALL_RWSEM_TP_END] =
		MMSTALL_RWSEM_TP(MMSTALL_FEATURE_RWSEM_WAIT_END,
				 mmstall_contention_end,
				 mmstall_rwsem_tp_end, NULL),
	[MMSTALL_RWSEM_KRP_READ] =
		MMSTALL_RWSEM_KRP(MMSTALL_CLASS_RWSEM_READ,
				  mmstall_rwsem_read_syms, false,
				  MMSTALL_RWSEM_TP_READ),
	[MMSTALL_RWSEM_KRP_WRITE] =
		MMSTALL_RWSEM_KRP(MMSTALL_CLASS_RWSEM_WRITE,
				  mmstall_rwsem_write_syms, false,
				  MMSTALL_RWSEM_TP_WRITE),
	[MMSTALL_RWSEM_KRP_READ_KILLABLE] =
		MMSTALL_RWSEM_KRP(MMSTALL_CLASS_RWSEM_READ,
				  mmstall_rwsem_read_killable_syms, true,
				  MMSTALL_RWSEM_TP_READ),
	[MMSTALL_RWSEM_KRP_WRITE_KILLABLE] =
		MMSTALL_RWSEM_KRP(MMSTALL_CLASS_RWSEM_WRITE,
				  mmstall_rwsem_write_killable_syms, true,
				  MMSTALL_RWSEM_TP_WRITE),
};

static int mmstall_rwsem_init(void)
{
	mmstall_rwsem_pending =
		vzalloc(array_size(mmstall_table.max_tasks,
				   sizeof(*mmstall_rwsem_pending)));
	return mmstall_rwsem_pending ? 0 : -ENOMEM;
}

static void mmstall_rwsem_exit(void)
{
	vfree(mmstall_rwsem_pending);
	mmstall_rwsem_pending = NULL;
}

static void mmstall_rwsem_reset(void)
{
	memset(mmstall_rwsem_pending, 0,
	       array_size(mmstall_table.max_tasks,
			  sizeof(*mmstall_rwsem_pending)));
}

struct mmstall_family mmstall_rwsem_family = {
	.name = "rwsem",
	.probes = mmstall_rwsem_probes,
	.nr_probes = ARRAY_SIZE(mmstall_rwsem_probes),
	.init = mmstall_rwsem_init,
	.exit = mmstall_rwsem_exit,
	.reset = mmstall_rwsem_reset,
};
