// SPDX-License-Identifier: GPL-2.0
/*
 * direct_reclaim, memcg_reclaim, compaction: allocations that stall to
 * free or move memory themselves (seed 003: a tmpfs copy that froze a box
 * with no swap).
 *
 * Reclaim is timed between the vmscan tracepoints *_reclaim_begin and
 * *_reclaim_end: begin notes the time, order and gfp mask in the task's own
 * slot (only the task writes it: no lock), end records the stall with the
 * pages reclaimed.  Where a kernel lacks a tracepoint, a kretprobe on
 * try_to_free_pages / try_to_free_mem_cgroup_pages does the same; that
 * fallback is a second probe of the class, declared after the tracepoints
 * and wanted only if one of them did not attach (probes attach in
 * declaration order).  Compaction is timed on try_to_compact_pages by
 * return sites (retsite.h): its return value tells a compaction that ran
 * from one skipped at once (COMPACT_SKIPPED), which is not counted, as the
 * kernel's compact_stall does not count it.  Where that cannot attach, a
 * kretprobe on __alloc_pages_direct_compact (static, not inlined on distro
 * kernels; it also times the allocation tried after compacting, and counts
 * skipped calls), else on try_to_compact_pages.  The compaction
 * tracepoints are not used: they time each zone's compact_zone(), with no
 * event where a direct compaction ends.  The mm_vmscan_wakeup_kswapd
 * tracepoint counts kswapd wakeups.
 *
 * Per task and class, a reclaim record (a preallocated pool) keeps the
 * orders, the first three gfp masks seen (the fourth entry counts the
 * rest), the pages reclaimed and, for memcg_reclaim, the task's memory
 * cgroup, named once, on its first memcg stall.  The stall's site is the
 * system call the task was in, named by one stack walk per syscall number.
 * At snapshot time the distinct gfp masks are named by the kernel's own
 * printk format (GFP_NAMES section).
 */
#include <linux/atomic.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "compat/clock.h"
#include "compat/compaction.h"
#include "compat/gfp.h"
#include "compat/kprobe_args.h"
#include "compat/kprobes.h"
#include "compat/memcg.h"
#include "compat/stacktrace.h"
#include "compat/syscall_site.h"
#include "compat/task_stack.h"
#include "compat/vmscan_tp.h"
#include "cost.h"
#include "names.h"
#include "notes.h"
#include "probe.h"
#include "reclaim.h"
#include "retsite.h"
#include "snapshot.h"
#include "table.h"

/* Classes timed between a begin and an end tracepoint. */
enum {
	MMSTALL_RC_DIRECT,
	MMSTALL_RC_MEMCG,
	MMSTALL_NR_RC_TP
};

/* Per class of the reclaim family: index in mmstall_reclaim_idx. */
enum {
	MMSTALL_RI_DIRECT,
	MMSTALL_RI_MEMCG,
	MMSTALL_RI_COMPACTION,
	MMSTALL_NR_RI
};

struct mmstall_reclaim_begin {
	u64 start_ns;			/* 0: no reclaim under way */
	u32 order;
	u32 gfp;
};

/* What a kretprobe's entry saw, for its return handler. */
struct mmstall_reclaim_call {
	u64 start_ns;
	u32 order;
	u32 gfp;
};

static struct mmstall_reclaim_begin (*mmstall_reclaim_begins)[MMSTALL_NR_RC_TP];
static u32 (*mmstall_reclaim_idx)[MMSTALL_NR_RI];	/* pool index + 1 */
static struct mmstall_reclaim_rec *mmstall_reclaim_pool;
static unsigned int mmstall_reclaim_pool_size;
static atomic_t mmstall_reclaim_pool_used;

/* Site ids by syscall number, found by a stack walk; 0: not yet. */
#define MMSTALL_RECLAIM_SYSCALLS	1024
static u32 mmstall_reclaim_sys_site[MMSTALL_RECLAIM_SYSCALLS];

static unsigned int mmstall_ri_of_class(unsigned int class)
{
	switch (class) {
	case MMSTALL_CLASS_MEMCG_RECLAIM:
		return MMSTALL_RI_MEMCG;
	case MMSTALL_CLASS_COMPACTION:
		return MMSTALL_RI_COMPACTION;
	default:
		return MMSTALL_RI_DIRECT;
	}
}

static bool mmstall_is_syscall_entry(const char *name)
{
	static const char * const prefixes[] = {
		"__x64_sys_", "__ia32_sys_", "__arm64_sys_", "__do_sys_",
		"__se_sys_", "sys_", "SyS_", "ksys_",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/*
 * The outermost syscall function on the stack, as "other:<function>".
 * Not with the "guess" unwinder, whose stale frames would misname it.
 */
static noinline unsigned int mmstall_reclaim_site_of_stack(void)
{
	unsigned long entries[48];
	char name[MMSTALL_NAME_LEN];
	unsigned int n;

	if (MMSTALL_UNWINDER_GUESS)
		return MMSTALL_SITE_UNKNOWN;
	n = mmstall_stack_save(entries, ARRAY_SIZE(entries));
	while (n--) {
		snprintf(name, sizeof(name), "other:%ps", (void *)entries[n]);
		name[6 + strcspn(name + 6, ". [")] = '\0';
		if (mmstall_is_syscall_entry(name + 6))
			return mmstall_name_id(name);
	}
	return MMSTALL_SITE_UNKNOWN;
}

/*
 * The site of a reclaim stall: a user page fault, an mm system call by
 * its name, else the system call's function, one stack walk per number.
 */
static unsigned int mmstall_reclaim_site(void)
{
	unsigned int site = mmstall_site_of_current_syscall();
	long nr;

	if (site != MMSTALL_SITE_UNKNOWN || (current->flags & PF_KTHREAD))
		return site;
	nr = syscall_get_nr(current, task_pt_regs(current));
	if (nr < 0 || nr >= MMSTALL_RECLAIM_SYSCALLS)
		return site;
	site = READ_ONCE(mmstall_reclaim_sys_site[nr]);
	if (site)
		return site;
	site = mmstall_reclaim_site_of_stack();
	if (site >= MMSTALL_SITE_DYNAMIC)
		WRITE_ONCE(mmstall_reclaim_sys_site[nr], site);
	return site;
}

/* The current task's record for @class, claimed from the pool. */
static struct mmstall_reclaim_rec *
mmstall_reclaim_rec_get(struct mmstall_task *task, unsigned int class)
{
	u32 *idx = &mmstall_reclaim_idx[task->rec.slot][mmstall_ri_of_class(class)];
	struct mmstall_reclaim_rec *r;
	unsigned int n;

	if (likely(*idx))
		return &mmstall_reclaim_pool[*idx - 1];
	if (atomic_read(&mmstall_reclaim_pool_used) >= mmstall_reclaim_pool_size)
		goto lost;
	n = atomic_inc_return(&mmstall_reclaim_pool_used) - 1;
	if (n >= mmstall_reclaim_pool_size)
		goto lost;
	r = &mmstall_reclaim_pool[n];
	r->task = task->rec.slot;
	r->class = class;
	*idx = n + 1;
	return r;
lost:
	atomic64_inc(&mmstall_table.lost_stat_blocks);
	return NULL;
}

static void mmstall_reclaim_count_gfp(struct mmstall_reclaim_rec *r, u32 gfp)
{
	struct mmstall_gfp_count *g = r->gfp;
	unsigned int i;

	for (i = 0; i < MMSTALL_GFP_PER_REC - 1; i++) {
		if (!g[i].count) {
			g[i].gfp = gfp;
			break;
		}
		if (g[i].gfp == gfp)
			break;
	}
	if (i == MMSTALL_GFP_PER_REC - 1)
		g[i].gfp = MMSTALL_GFP_OTHERS;
	/* the mask before its count: a snapshot never sees a stray mask */
	smp_store_release(&g[i].count, g[i].count + 1);
}

/* Record one stall of the current task, @task (its slot). */
static void mmstall_reclaim_record(struct mmstall_task *task,
				   unsigned int class, u64 start_ns,
				   unsigned int order, u32 gfp,
				   unsigned long nr_reclaimed)
{
	s64 ns = local_clock() - start_ns;
	struct mmstall_stat_rec *st;
	struct mmstall_reclaim_rec *r;

	if (ns < 0)
		ns = 0;
	st = mmstall_task_stat(task, class);
	if (!st)
		return;
	r = mmstall_reclaim_rec_get(task, class);
	if (r) {
		r->order_count[min_t(unsigned int, order,
				     MMSTALL_ORDERS - 1)]++;
		r->nr_reclaimed += nr_reclaimed;
		mmstall_reclaim_count_gfp(r, gfp);
		if (class == MMSTALL_CLASS_MEMCG_RECLAIM && !r->memcg[0]) {
			char name[MMSTALL_NAME_LEN];

			mmstall_memcg_name(name, sizeof(name));
			memcpy(r->memcg, name, sizeof(name));
		}
	}
	mmstall_stat_add(st, ns, MMSTALL_LOCK_OTHER, mmstall_reclaim_site());
}

/* --- tracepoints ------------------------------------------------------ */

static void __mmstall_reclaim_tp_begin(unsigned int rc, void *data,
				       int order, gfp_t gfp)
{
	struct mmstall_reclaim_begin *b;
	struct mmstall_task *task;

	if (mmstall_paused())
		return;
	mmstall_probe_hit(data);
	task = mmstall_current_task();
	if (!task)
		return;
	b = &mmstall_reclaim_begins[task->rec.slot][rc];
	b->order = order < 0 ? 0 : order;
	b->gfp = (__force u32)gfp;
	b->start_ns = local_clock();
}

static void mmstall_reclaim_tp_begin(unsigned int rc, void *data,
				     int order, gfp_t gfp)
{
	u64 t0 = mmstall_cost_enter(data);

	__mmstall_reclaim_tp_begin(rc, data, order, gfp);
	mmstall_cost_leave(data, t0);
}

static void __mmstall_reclaim_tp_end(unsigned int rc, void *data,
				     unsigned long nr_reclaimed)
{
	struct mmstall_probe *p = data;
	struct mmstall_reclaim_begin *b;
	struct mmstall_task *task;
	u64 start;

	if (mmstall_paused())
		return;
	mmstall_probe_hit(p);
	task = mmstall_current_task();
	if (!task)
		return;
	b = &mmstall_reclaim_begins[task->rec.slot][rc];
	start = b->start_ns;
	if (!start)
		return;
	b->start_ns = 0;
	mmstall_reclaim_record(task, p->class, start, b->order, b->gfp,
			       nr_reclaimed);
}

static void mmstall_reclaim_tp_end(unsigned int rc, void *data,
				   unsigned long nr_reclaimed)
{
	u64 t0 = mmstall_cost_enter(data);

	__mmstall_reclaim_tp_end(rc, data, nr_reclaimed);
	mmstall_cost_leave(data, t0);
}

static void mmstall_direct_begin(void *data, MMSTALL_VMSCAN_BEGIN_ARGS)
{
	mmstall_reclaim_tp_begin(MMSTALL_RC_DIRECT, data, order, gfp_flags);
}

static void mmstall_direct_end(void *data, unsigned long nr_reclaimed)
{
	mmstall_reclaim_tp_end(MMSTALL_RC_DIRECT, data, nr_reclaimed);
}

static void mmstall_memcg_begin(void *data, MMSTALL_VMSCAN_BEGIN_ARGS)
{
	mmstall_reclaim_tp_begin(MMSTALL_RC_MEMCG, data, order, gfp_flags);
}

static void mmstall_memcg_end(void *data, unsigned long nr_reclaimed)
{
	mmstall_reclaim_tp_end(MMSTALL_RC_MEMCG, data, nr_reclaimed);
}

static void mmstall_kswapd_wakeup(void *data, int nid, int zid, int order,
				  gfp_t gfp_flags)
{
	u64 t0 = mmstall_cost_enter(data);

	if (!mmstall_paused())
		mmstall_probe_hit(data);
	mmstall_cost_leave(data, t0);
}

/* --- kretprobes ---------------------------------------------------------- */

/*
 * The probe's arg packs where the order and the gfp mask are among the
 * function's arguments; an order slot of 0xf means order 0 (memcg).
 */
#define MMSTALL_ARGS(order, gfp)	((order) | ((gfp) << 4))
#define MMSTALL_ARG_NONE		0xf

static int __mmstall_reclaim_kentry(struct mmstall_probe *p,
				    struct kretprobe_instance *ri,
				    struct pt_regs *regs)
{
	struct mmstall_reclaim_call *c = (void *)ri->data;
	unsigned int oarg = p->arg & 0xf;

	if (mmstall_paused())
		return 1;
	mmstall_probe_hit(p);
	c->order = oarg == MMSTALL_ARG_NONE ? 0 : mmstall_regs_arg(regs, oarg);
	/* __alloc_pages_direct_compact() returns at once for order 0 */
	if (p->class == MMSTALL_CLASS_COMPACTION && !c->order)
		return 1;
	c->gfp = mmstall_regs_arg(regs, p->arg >> 4);
	c->start_ns = local_clock();
	return 0;
}
MMSTALL_TIMED_KRETPROBE_ENTRY(mmstall_reclaim_kentry);

static int __mmstall_reclaim_kreturn(struct mmstall_probe *p,
				     struct kretprobe_instance *ri,
				     struct pt_regs *regs)
{
	struct mmstall_reclaim_call *c = (void *)ri->data;
	struct mmstall_task *task;
	unsigned long nr = 0;

	if (mmstall_paused())
		return 0;
	task = mmstall_current_task();
	if (!task)
		return 0;
	if (p->class != MMSTALL_CLASS_COMPACTION)
		nr = mmstall_regs_ret(regs);
	mmstall_reclaim_record(task, p->class, c->start_ns, c->order, c->gfp,
			       nr);
	return 0;
}
MMSTALL_TIMED_KRETPROBE_RETURN(mmstall_reclaim_kreturn);

/* --- compaction by return sites ----------------------------------------- */

static int __mmstall_compact_enter(struct kprobe *kp, struct pt_regs *regs)
{
	struct mmstall_probe *p = mmstall_probe_of_kp(kp);
	struct mmstall_retsite_frame *f;
	u32 order, gfp;

	/* compaction only runs where the task may sleep: on its stack */
	if (mmstall_paused() || !mmstall_regs_on_task_stack(regs))
		return 0;
	mmstall_probe_hit(p);
	f = mmstall_retsite_push(p, regs);
	if (!f)
		return 0;
	order = mmstall_regs_arg(regs, MMSTALL_COMPACT_ORDER_ARG);
	gfp = mmstall_regs_arg(regs, MMSTALL_COMPACT_GFP_ARG);
	f->arg = order | (u64)gfp << 32;
	f->start_ns = local_clock();
	return 0;
}
MMSTALL_TIMED_KPROBE(mmstall_compact_enter);

static int __mmstall_compact_returned(struct mmstall_probe *p,
				      struct pt_regs *regs)
{
	struct mmstall_retsite_frame f;
	struct mmstall_task *task;

	if (!mmstall_retsite_pop(p, regs, &f) || mmstall_paused() ||
	    mmstall_regs_ret(regs) == COMPACT_SKIPPED)
		return 0;
	task = mmstall_current_task();
	if (task)
		mmstall_reclaim_record(task, p->class, f.start_ns, (u32)f.arg,
				       f.arg >> 32, 0);
	return 0;
}
MMSTALL_TIMED_RETSITE(mmstall_compact_returned);

/* --- the probes ---------------------------------------------------------- */

static const char * const mmstall_direct_begin_names[] = {
	"mm_vmscan_direct_reclaim_begin", NULL
};

static const char * const mmstall_direct_end_names[] = {
	"mm_vmscan_direct_reclaim_end", NULL
};

static const char * const mmstall_memcg_begin_names[] = {
	"mm_vmscan_memcg_reclaim_begin", NULL
};

static const char * const mmstall_memcg_end_names[] = {
	"mm_vmscan_memcg_reclaim_end", NULL
};

static const char * const mmstall_direct_syms[] = {
	"try_to_free_pages", NULL
};

static const char * const mmstall_memcg_syms[] = {
	"try_to_free_mem_cgroup_pages", NULL
};

static const char * const mmstall_compact_syms[] = {
	"try_to_compact_pages", NULL
};

static const char * const mmstall_direct_compact_syms[] = {
	"__alloc_pages_direct_compact", NULL
};

static const char * const mmstall_kswapd_wakeup_names[] = {
	"mm_vmscan_wakeup_kswapd", NULL
};

/* Indexes in mmstall_reclaim_probes[], for the fallbacks' wanted(). */
enum {
	MMSTALL_P_DIRECT_BEGIN,
	MMSTALL_P_DIRECT_END,
	MMSTALL_P_MEMCG_BEGIN,
	MMSTALL_P_MEMCG_END,
	MMSTALL_P_DIRECT_KRET,
	MMSTALL_P_MEMCG_KRET,
	MMSTALL_P_COMPACT,
	MMSTALL_P_COMPACT_KRET,
	MMSTALL_P_COMPACT_KRET_LAST,
	MMSTALL_P_KSWAPD_WAKEUP,
	MMSTALL_NR_RECLAIM_PROBES
};

static struct mmstall_probe mmstall_reclaim_probes[MMSTALL_NR_RECLAIM_PROBES];

static bool mmstall_tp_pair_attached(unsigned int begin)
{
	return mmstall_reclaim_probes[begin].state == MMSTALL_STATE_ATTACHED &&
	       mmstall_reclaim_probes[begin + 1].state ==
	       MMSTALL_STATE_ATTACHED;
}

static bool mmstall_direct_kret_wanted(void)
{
	return !mmstall_tp_pair_attached(MMSTALL_P_DIRECT_BEGIN);
}

static bool mmstall_memcg_kret_wanted(void)
{
	return !mmstall_tp_pair_attached(MMSTALL_P_MEMCG_BEGIN);
}

static bool mmstall_attached(unsigned int i)
{
	return mmstall_reclaim_probes[i].state == MMSTALL_STATE_ATTACHED;
}

/* The last resort: neither return sites nor __alloc_pages_direct_compact. */
static bool mmstall_compact_kret_last_wanted(void)
{
	return !mmstall_attached(MMSTALL_P_COMPACT) &&
	       !mmstall_attached(MMSTALL_P_COMPACT_KRET);
}

#define MMSTALL_RECLAIM_TP(cls, names, fn) {				\
	.class = cls,							\
	.kind = MMSTALL_KIND_TRACEPOINT,				\
	.symbols = names,						\
	.tp_probe = fn,							\
}

#define MMSTALL_RECLAIM_KRET(cls, syms, args, want) {			\
	.class = cls,							\
	.kind = MMSTALL_KIND_KRETPROBE,					\
	.symbols = syms,						\
	.entry_handler = mmstall_reclaim_kentry,			\
	.handler = mmstall_reclaim_kreturn,				\
	.data_size = sizeof(struct mmstall_reclaim_call),		\
	.arg = args,							\
	.wanted = want,							\
}

#define MMSTALL_COMPACT_TIMING_KRET					\
	"compaction and the allocation after it, skipped calls too"

static struct mmstall_probe mmstall_reclaim_probes[MMSTALL_NR_RECLAIM_PROBES] = {
	[MMSTALL_P_DIRECT_BEGIN] =
	MMSTALL_RECLAIM_TP(MMSTALL_CLASS_DIRECT_RECLAIM,
			   mmstall_direct_begin_names, mmstall_direct_begin),
	[MMSTALL_P_DIRECT_END] =
	MMSTALL_RECLAIM_TP(MMSTALL_CLASS_DIRECT_RECLAIM,
			   mmstall_direct_end_names, mmstall_direct_end),
	[MMSTALL_P_MEMCG_BEGIN] =
	MMSTALL_RECLAIM_TP(MMSTALL_CLASS_MEMCG_RECLAIM,
			   mmstall_memcg_begin_names, mmstall_memcg_begin),
	[MMSTALL_P_MEMCG_END] =
	MMSTALL_RECLAIM_TP(MMSTALL_CLASS_MEMCG_RECLAIM,
			   mmstall_memcg_end_names, mmstall_memcg_end),
	/* try_to_free_pages(zonelist, order, gfp_mask, nodemask) */
	[MMSTALL_P_DIRECT_KRET] =
	MMSTALL_RECLAIM_KRET(MMSTALL_CLASS_DIRECT_RECLAIM, mmstall_direct_syms,
			     MMSTALL_ARGS(1, 2), mmstall_direct_kret_wanted),
	/* try_to_free_mem_cgroup_pages(memcg, nr_pages, gfp_mask, ...) */
	[MMSTALL_P_MEMCG_KRET] =
	MMSTALL_RECLAIM_KRET(MMSTALL_CLASS_MEMCG_RECLAIM, mmstall_memcg_syms,
			     MMSTALL_ARGS(MMSTALL_ARG_NONE, 2),
			     mmstall_memcg_kret_wanted),
	[MMSTALL_P_COMPACT] = {
		.class = MMSTALL_CLASS_COMPACTION,
		.kind = MMSTALL_KIND_RETURN_SITES,
		.optional = true,	/* the kretprobe says what is missing */
		.symbols = mmstall_compact_syms,
		.pre_handler = mmstall_compact_enter,
		.site_handler = mmstall_compact_returned,
		.timing = "compactions run (not skipped), as compact_stall",
	},
	/* __alloc_pages_direct_compact(gfp_mask, order, ...) everywhere */
	[MMSTALL_P_COMPACT_KRET] = {
		.class = MMSTALL_CLASS_COMPACTION,
		.kind = MMSTALL_KIND_KRETPROBE,
		.symbols = mmstall_direct_compact_syms,
		.entry_handler = mmstall_reclaim_kentry,
		.handler = mmstall_reclaim_kreturn,
		.data_size = sizeof(struct mmstall_reclaim_call),
		.arg = MMSTALL_ARGS(1, 0),
		.fallback_of = &mmstall_reclaim_probes[MMSTALL_P_COMPACT],
		.timing = MMSTALL_COMPACT_TIMING_KRET,
	},
	[MMSTALL_P_COMPACT_KRET_LAST] = {
		.class = MMSTALL_CLASS_COMPACTION,
		.kind = MMSTALL_KIND_KRETPROBE,
		.optional = true,
		.symbols = mmstall_compact_syms,
		.entry_handler = mmstall_reclaim_kentry,
		.handler = mmstall_reclaim_kreturn,
		.data_size = sizeof(struct mmstall_reclaim_call),
		.arg = MMSTALL_ARGS(MMSTALL_COMPACT_ORDER_ARG,
				    MMSTALL_COMPACT_GFP_ARG),
		.wanted = mmstall_compact_kret_last_wanted,
		.timing = "compaction, skipped calls too",
	},
	[MMSTALL_P_KSWAPD_WAKEUP] = {
		.class = MMSTALL_FEATURE_KSWAPD_WAKEUPS,
		.kind = MMSTALL_KIND_TRACEPOINT,
		.symbols = mmstall_kswapd_wakeup_names,
		.tp_probe = mmstall_kswapd_wakeup,
	},
};

bool mmstall_kswapd_wakeups(u64 *n)
{
	struct mmstall_probe *p = &mmstall_reclaim_probes[MMSTALL_P_KSWAPD_WAKEUP];

	if (p->state != MMSTALL_STATE_ATTACHED)
		return false;
	*n = mmstall_probe_hits(p);
	return true;
}

/* --- family hooks and sections -------------------------------------------- */

static int mmstall_reclaim_init(void)
{
	unsigned int n = mmstall_table.max_tasks;

	mmstall_reclaim_pool_size = n;
	mmstall_reclaim_begins = vzalloc(array_size(n,
					 sizeof(*mmstall_reclaim_begins)));
	mmstall_reclaim_idx = vzalloc(array_size(n,
				      sizeof(*mmstall_reclaim_idx)));
	mmstall_reclaim_pool = vzalloc(array_size(n,
				       sizeof(*mmstall_reclaim_pool)));
	if (!mmstall_reclaim_begins || !mmstall_reclaim_idx ||
	    !mmstall_reclaim_pool) {
		vfree(mmstall_reclaim_begins);
		vfree(mmstall_reclaim_idx);
		vfree(mmstall_reclaim_pool);
		return -ENOMEM;
	}
	atomic_set(&mmstall_reclaim_pool_used, 0);
	if (!MMSTALL_HAVE_MEMCG_NAME)
		mmstall_note("memcg_reclaim",
			     "no cgroup names on this kernel");
	else if (MMSTALL_MEMCG_PATH_SLEEPS)
		mmstall_note("memcg_reclaim",
			     "cgroups named by inode (ino:N), PREEMPT_RT");
	return mmstall_vmstat_init();
}

static void mmstall_reclaim_exit(void)
{
	vfree(mmstall_reclaim_begins);
	vfree(mmstall_reclaim_idx);
	vfree(mmstall_reclaim_pool);
	mmstall_reclaim_begins = NULL;
	mmstall_reclaim_idx = NULL;
	mmstall_reclaim_pool = NULL;
}

static void mmstall_reclaim_reset(void)
{
	unsigned int n = mmstall_table.max_tasks;

	memset(mmstall_reclaim_begins, 0,
	       array_size(n, sizeof(*mmstall_reclaim_begins)));
	memset(mmstall_reclaim_idx, 0,
	       array_size(n, sizeof(*mmstall_reclaim_idx)));
	memset(mmstall_reclaim_pool, 0,
	       array_size(n, sizeof(*mmstall_reclaim_pool)));
	atomic_set(&mmstall_reclaim_pool_used, 0);
	mmstall_vmstat_reset();
}

static unsigned int mmstall_reclaim_used(void)
{
	return min_t(unsigned int, atomic_read(&mmstall_reclaim_pool_used),
		     mmstall_reclaim_pool_size);
}

static unsigned int mmstall_reclaim_max(void)
{
	return mmstall_reclaim_used();
}

static bool mmstall_reclaim_rec_used(const struct mmstall_reclaim_rec *r)
{
	unsigned int i;

	for (i = 0; i < MMSTALL_ORDERS; i++)
		if (READ_ONCE(r->order_count[i]))
			return true;
	return false;
}

static unsigned int mmstall_reclaim_fill(void *recs, unsigned int max,
					 const struct mmstall_snap_ctx *ctx)
{
	struct mmstall_reclaim_rec *r = recs;
	unsigned int i, n = 0, used = mmstall_reclaim_used();

	for (i = 0; i < used && n < max; i++) {
		const struct mmstall_reclaim_rec *src = &mmstall_reclaim_pool[i];

		if (!mmstall_reclaim_rec_used(src) ||
		    !mmstall_snap_has_task(ctx, READ_ONCE(src->task)))
			continue;
		r[n] = *src;
		r[n].memcg[MMSTALL_NAME_LEN - 1] = '\0';
		n++;
	}
	return n;
}

/* Distinct masks are few: bounded, searched linearly. */
#define MMSTALL_MAX_GFP_NAMES	256

static unsigned int mmstall_gfp_names_max(void)
{
	return min_t(unsigned int, MMSTALL_MAX_GFP_NAMES,
		     mmstall_reclaim_used() * MMSTALL_GFP_PER_REC);
}

static bool mmstall_gfp_named(const struct mmstall_gfp_name_rec *r,
			      unsigned int n, u32 gfp)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (r[i].gfp == gfp)
			return true;
	return false;
}

static unsigned int mmstall_gfp_names_fill(void *recs, unsigned int max,
					   const struct mmstall_snap_ctx *ctx)
{
	struct mmstall_gfp_name_rec *r = recs;
	unsigned int i, g, n = 0, used = mmstall_reclaim_used();

	for (i = 0; i < used; i++) {
		const struct mmstall_gfp_count *gc = mmstall_reclaim_pool[i].gfp;

		for (g = 0; g < MMSTALL_GFP_PER_REC; g++) {
			u32 gfp;

			/* pairs with mmstall_reclaim_count_gfp(): mask set */
			if (!smp_load_acquire(&gc[g].count))
				continue;
			gfp = READ_ONCE(gc[g].gfp);
			if (mmstall_gfp_named(r, n, gfp))
				continue;
			if (n == max)
				return n;
			r[n].gfp = gfp;
			if (gfp == MMSTALL_GFP_OTHERS)
				strscpy(r[n].name, "others", sizeof(r[n].name));
			else
				mmstall_gfp_format(r[n].name,
						   sizeof(r[n].name), gfp);
			n++;
		}
	}
	return n;
}

static const struct mmstall_section mmstall_reclaim_sections[] = {
	{
		.type = MMSTALL_SEC_RECLAIM,
		.rec_size = sizeof(struct mmstall_reclaim_rec),
		.max_records = mmstall_reclaim_max,
		.fill = mmstall_reclaim_fill,
	},
	{
		.type = MMSTALL_SEC_GFP_NAMES,
		.rec_size = sizeof(struct mmstall_gfp_name_rec),
		.max_records = mmstall_gfp_names_max,
		.fill = mmstall_gfp_names_fill,
	},
	{
		.type = MMSTALL_SEC_VMSTAT,
		.rec_size = sizeof(struct mmstall_vmstat_rec),
		.max_records = mmstall_vmstat_max,
		.fill = mmstall_vmstat_fill,
	},
};

struct mmstall_family mmstall_reclaim_family = {
	.name = "reclaim",
	.probes = mmstall_reclaim_probes,
	.nr_probes = ARRAY_SIZE(mmstall_reclaim_probes),
	.init = mmstall_reclaim_init,
	.exit = mmstall_reclaim_exit,
	.reset = mmstall_reclaim_reset,
	.sections = mmstall_reclaim_sections,
	.nr_sections = ARRAY_SIZE(mmstall_reclaim_sections),
};
