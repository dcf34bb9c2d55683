// SPDX-License-Identifier: GPL-2.0
/*
 * mm_calls: who churns the address space.
 *
 * A kprobe on each mmap-family system call counts the calls per task and
 * keeps a log2 histogram of their length argument (read from the task's
 * saved user registers, whatever the syscall wrapper).  This is cheap: one
 * slot lookup and three increments of the task's own slot.
 *
 * With hold_time=1, the mmap_lock tracepoints (5.15+) also time how long
 * each task held mmap_lock for write.  That puts a tracepoint call on every
 * mmap_lock operation of the system (and, up to 6.12, a memcg path lookup
 * in the kernel's own tracepoint code), so it is off by default.
 */
#include <linux/kprobes.h>
#include <linux/mm_types.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>
#include "compat/clock.h"
#include "compat/mmap_lock_tp.h"
#include "compat/syscall_args.h"
#include "compat/tracepoint.h"
#include "cost.h"
#include "notes.h"
#include "probe.h"
#include "snapshot.h"
#include "table.h"

static bool mmstall_mm_calls_on = true;
module_param_named(mm_calls, mmstall_mm_calls_on, bool, 0444);
MODULE_PARM_DESC(mm_calls,
		 "count mmap-family calls with a kprobe on each system call (default on)");

static bool mmstall_hold_time;
module_param_named(hold_time, mmstall_hold_time, bool, 0444);
MODULE_PARM_DESC(hold_time,
		 "time mmap_lock write holds with the mmap_lock tracepoints (5.15+; costs a tracepoint per lock operation; default off)");

static struct mmstall_mm_calls_rec *mmstall_mm_calls;
static u64 *mmstall_hold_start;		/* per slot, 0 = not holding */

static unsigned long mmstall_mm_call_len(unsigned int call)
{
	struct mm_struct *mm = current->mm;
	unsigned long brk;

	switch (call) {
	case MMSTALL_CALL_MREMAP:
		return mmstall_syscall_arg(2);	/* new_len */
	case MMSTALL_CALL_BRK:
		brk = mmstall_syscall_arg(0);
		if (!brk || !mm)
			return 0;
		return brk > mm->brk ? brk - mm->brk : mm->brk - brk;
	default:
		return mmstall_syscall_arg(1);	/* len */
	}
}

static int __mmstall_mm_call_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct mmstall_probe *p = mmstall_probe_of_kp(kp);
	struct mmstall_mm_calls_rec *r;
	struct mmstall_task *task;

	if (mmstall_paused())
		return 0;
	mmstall_probe_hit(p);
	task = mmstall_current_task();
	if (!task)
		return 0;
	r = &mmstall_mm_calls[task->rec.slot];
	r->calls[p->arg]++;
	r->bytes_hist[mmstall_bytes_bucket(mmstall_mm_call_len(p->arg))]++;
	return 0;
}
MMSTALL_TIMED_KPROBE(mmstall_mm_call_pre);

static void mmstall_hold_end(struct mmstall_task *task)
{
	struct mmstall_mm_calls_rec *r = &mmstall_mm_calls[task->rec.slot];
	u64 *start = &mmstall_hold_start[task->rec.slot];
	s64 ns;

	if (!*start)
		return;
	ns = local_clock() - *start;
	*start = 0;
	if (ns < 0)
		ns = 0;
	r->write_holds++;
	r->write_hold_ns += ns;
	if (ns > r->write_hold_max_ns)
		r->write_hold_max_ns = ns;
}

/* A write acquire starts a hold; a read acquire ends one (a downgrade). */
static void __mmstall_tp_acquired(void *data, struct mm_struct *mm,
				  bool write, bool success)
{
	struct mmstall_task *task;

	if (mmstall_paused() || !success || mm != current->mm)
		return;
	mmstall_probe_hit(data);
	task = mmstall_current_task();
	if (!task)
		return;
	if (write)
		mmstall_hold_start[task->rec.slot] = local_clock();
	else
		mmstall_hold_end(task);
}

static void mmstall_tp_acquired(void *data, MMSTALL_MMAP_LOCK_TP_ARGS,
				bool success)
{
	u64 t0 = mmstall_cost_enter(data);

	__mmstall_tp_acquired(data, mm, write, success);
	mmstall_cost_leave(data, t0);
}

static void __mmstall_tp_released(void *data, struct mm_struct *mm,
				  bool write)
{
	struct mmstall_task *task;

	if (mmstall_paused() || !write || mm != current->mm)
		return;
	mmstall_probe_hit(data);
	task = mmstall_current_task();
	if (task)
		mmstall_hold_end(task);
}

static void mmstall_tp_released(void *data, MMSTALL_MMAP_LOCK_TP_ARGS)
{
	u64 t0 = mmstall_cost_enter(data);

	__mmstall_tp_released(data, mm, write);
	mmstall_cost_leave(data, t0);
}

static bool mmstall_mm_calls_wanted(void)
{
	return mmstall_mm_calls_on;
}

static bool mmstall_hold_time_wanted(void)
{
	return mmstall_hold_time;
}

#define MMSTALL_CALL_SYMS(name)						\
	static const char * const mmstall_##name##_syms[] = {		\
		"__x64_sys_" #name, "__arm64_sys_" #name,		\
		"sys_" #name, NULL }

MMSTALL_CALL_SYMS(mmap);
MMSTALL_CALL_SYMS(munmap);
MMSTALL_CALL_SYMS(mremap);
MMSTALL_CALL_SYMS(mprotect);
MMSTALL_CALL_SYMS(madvise);
MMSTALL_CALL_SYMS(brk);

static const char * const mmstall_tp_acquired_names[] = {
	"mmap_lock_acquire_returned", NULL
};

static const char * const mmstall_tp_released_names[] = {
	"mmap_lock_released", NULL
};

#define MMSTALL_CALL_PROBE(name, call) {				\
	.class = MMSTALL_FEATURE_MM_CALLS,				\
	.kind = MMSTALL_KIND_KPROBE,					\
	.symbols = mmstall_##name##_syms,				\
	.pre_handler = mmstall_mm_call_pre,				\
	.arg = call,							\
	.wanted = mmstall_mm_calls_wanted,				\
}

#define MMSTALL_HOLD_PROBE(names, fn) {					\
	.class = MMSTALL_FEATURE_WRITE_HOLD,				\
	.kind = MMSTALL_KIND_TRACEPOINT,				\
	.symbols = names,						\
	.tp_probe = fn,							\
	.wanted = mmstall_hold_time_wanted,				\
}

static struct mmstall_probe mmstall_mm_call_probes[] = {
	MMSTALL_CALL_PROBE(mmap, MMSTALL_CALL_MMAP),
	MMSTALL_CALL_PROBE(munmap, MMSTALL_CALL_MUNMAP),
	MMSTALL_CALL_PROBE(mremap, MMSTALL_CALL_MREMAP),
	MMSTALL_CALL_PROBE(mprotect, MMSTALL_CALL_MPROTECT),
	MMSTALL_CALL_PROBE(madvise, MMSTALL_CALL_MADVISE),
	MMSTALL_CALL_PROBE(brk, MMSTALL_CALL_BRK),
	MMSTALL_HOLD_PROBE(mmstall_tp_acquired_names, mmstall_tp_acquired),
	MMSTALL_HOLD_PROBE(mmstall_tp_released_names, mmstall_tp_released),
};

/* What status says of write_hold: asked for, and does the kernel have it. */
static const char *mmstall_hold_note(void)
{
	bool have = mmstall_tracepoint_find(mmstall_tp_released_names[0]);

	if (mmstall_hold_time)
		return have ? "mmap_lock tracepoints" :
			      "none: this kernel has no mmap_lock tracepoints";
	return have ? "off (load with hold_time=1)" :
		      "off (this kernel has no mmap_lock tracepoints)";
}

static int mmstall_mm_calls_init(void)
{
	unsigned int n = mmstall_table.max_tasks;

	mmstall_mm_calls = vzalloc(array_size(n, sizeof(*mmstall_mm_calls)));
	mmstall_hold_start = vzalloc(array_size(n, sizeof(u64)));
	if (!mmstall_mm_calls || !mmstall_hold_start) {
		vfree(mmstall_mm_calls);
		vfree(mmstall_hold_start);
		return -ENOMEM;
	}
	if (!mmstall_mm_calls_on)
		mmstall_note("mm_calls", "off (loaded with mm_calls=0)");
	mmstall_note("write_hold", "%s", mmstall_hold_note());
	return 0;
}

static void mmstall_mm_calls_exit(void)
{
	vfree(mmstall_mm_calls);
	vfree(mmstall_hold_start);
	mmstall_mm_calls = NULL;
	mmstall_hold_start = NULL;
}

static void mmstall_mm_calls_reset(void)
{
	unsigned int n = mmstall_table.max_tasks;

	memset(mmstall_mm_calls, 0, array_size(n, sizeof(*mmstall_mm_calls)));
	memset(mmstall_hold_start, 0, array_size(n, sizeof(u64)));
}

static unsigned int mmstall_mm_calls_max(void)
{
	return mmstall_used_tasks();
}

static bool mmstall_mm_calls_used(const struct mmstall_mm_calls_rec *r)
{
	unsigned int i;

	for (i = 0; i < MMSTALL_NR_CALLS; i++)
		if (READ_ONCE(r->calls[i]))
			return true;
	return READ_ONCE(r->write_holds) != 0;
}

static unsigned int mmstall_mm_calls_fill(void *recs, unsigned int max,
					  const struct mmstall_snap_ctx *ctx)
{
	struct mmstall_mm_calls_rec *r = recs;
	unsigned int slot, n = 0;

	for (slot = 0; slot < ctx->nr_tasks && n < max; slot++) {
		if (!mmstall_mm_calls_used(&mmstall_mm_calls[slot]) ||
		    !mmstall_snap_has_task(ctx, slot))
			continue;
		r[n] = mmstall_mm_calls[slot];
		r[n].task = slot;
		n++;
	}
	return n;
}

static const struct mmstall_section mmstall_mm_calls_sections[] = {
	{
		.type = MMSTALL_SEC_MM_CALLS,
		.rec_size = sizeof(struct mmstall_mm_calls_rec),
		.max_records = mmstall_mm_calls_max,
		.fill = mmstall_mm_calls_fill,
	},
};

struct mmstall_family mmstall_mm_calls_family = {
	.name = "mm_calls",
	.probes = mmstall_mm_call_probes,
	.nr_probes = ARRAY_SIZE(mmstall_mm_call_probes),
	.init = mmstall_mm_calls_init,
	.exit = mmstall_mm_calls_exit,
	.reset = mmstall_mm_calls_reset,
	.sections = mmstall_mm_calls_sections,
	.nr_sections = ARRAY_SIZE(mmstall_mm_calls_sections),
};
