// SPDX-License-Identifier: GPL-2.0
/*
 * slabinfo_readers: who reads /proc/slabinfo, how often, for how long
 * (seed 002: a monitor running `ss` read it and held the locks that the
 * allocator needed).
 *
 * /proc/slabinfo is a seq_file: each read(2) that needs records calls the
 * iterator's start (slab_start, 4.4+: takes slab_mutex), walks records and
 * calls its stop (slab_stop: drops slab_mutex).  Kprobes on all three: start
 * begins a walk, the first show after it stamps the time (the mutex is
 * held by then), and stop adds the time since then to the task's total.
 * Where show cannot be probed, a kretprobe on start stamps the time when
 * start returns instead.
 *
 * What a "read" is: one walk of the file from its beginning, that is a
 * start at position 0.  A program that opens the file, reads it to the
 * end (any number of read(2) calls) and closes it does one read; reading
 * it again after lseek(fd, 0, SEEK_SET) is another.  seq_file may stop
 * and restart at position 0 within one read(2), when the first record
 * does not fit its buffer: a start at position 0 on the same seq_file
 * whose last stop was still at position 0 continues the walk instead of
 * starting one.  (A read(2) at a position seq_file has to seek to also
 * walks from 0, and counts as a read: it holds the mutex that long.)
 * total_ns sums the time of every start..stop; max_ns is the longest
 * single read (the sum of its start..stop spans).
 *
 * Each task's record is written only by the task itself, from its own
 * probe handlers: no atomics, no lock.
 *
 * Kernels before 4.4 name their iterator s_start/s_stop, as do unrelated
 * seq_files (kernel/trace), so a probe by name could not tell them apart:
 * there the feature is reported missing.
 */
#include <linux/kprobes.h>
#include <linux/seq_file.h>
#include <linux/vmalloc.h>
#include "compat/clock.h"
#include "compat/kprobes.h"
#include "cost.h"
#include "params.h"
#include "probe.h"
#include "snapshot.h"
#include "table.h"

struct mmstall_slabinfo_task {
	u64 reads;
	u64 total_ns;
	u64 max_ns;
	u64 start_ns;		/* of the start..stop in progress, or 0 */
	bool started;		/* start called, no show since */
	u64 walk_ns;		/* of the read in progress */
	const void *stop_file;	/* seq_file of the last stop */
	bool stop_at_zero;	/* its position was still 0 */
};

static struct mmstall_slabinfo_task *mmstall_slabinfo;

struct mmstall_slabinfo_start {
	struct seq_file *m;
};

/*
 * slab_start() called on @m: the task's slabinfo record, NULL if none.
 * A start at position 0 begins a read unless it continues one (above).
 */
static struct mmstall_slabinfo_task *
mmstall_slabinfo_begin(const struct seq_file *m)
{
	struct mmstall_slabinfo_task *t;
	struct mmstall_task *task;

	task = mmstall_current_task();
	if (!task)
		return NULL;
	t = &mmstall_slabinfo[task->rec.slot];
	/* start() reads but does not move the position */
	if (READ_ONCE(m->index) == 0 &&
	    !(t->stop_file == m && t->stop_at_zero)) {
		t->walk_ns = 0;
		WRITE_ONCE(t->reads, t->reads + 1);
	}
	return t;
}

/* slab_start(), before it takes slab_mutex: the first show stamps it. */
static int __mmstall_slabinfo_start_pre(struct kprobe *kp,
					struct pt_regs *regs)
{
	struct mmstall_slabinfo_task *t;

	if (mmstall_paused())
		return 0;
	mmstall_probe_hit(mmstall_probe_of_kp(kp));
	t = mmstall_slabinfo_begin((struct seq_file *)mmstall_regs_arg0(regs));
	if (t) {
		t->start_ns = 0;
		t->started = true;
	}
	return 0;
}
MMSTALL_TIMED_KPROBE(mmstall_slabinfo_start_pre);

/* slab_show(): the walk holds slab_mutex; its first show starts the time. */
static int __mmstall_slabinfo_show_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct mmstall_slabinfo_task *t;
	struct mmstall_task *task;

	if (mmstall_paused())
		return 0;
	mmstall_probe_hit(mmstall_probe_of_kp(kp));
	task = mmstall_current_task_find();
	if (!task)
		return 0;
	t = &mmstall_slabinfo[task->rec.slot];
	if (t->started) {
		t->started = false;
		t->start_ns = local_clock();
	}
	return 0;
}
MMSTALL_TIMED_KPROBE(mmstall_slabinfo_show_pre);

/* The fallback without a show probe: a kretprobe on slab_start(). */
static int __mmstall_slabinfo_start_entry(struct mmstall_probe *p,
					  struct kretprobe_instance *ri,
					  struct pt_regs *regs)
{
	struct mmstall_slabinfo_start *s = (void *)ri->data;

	if (mmstall_paused())
		return 1;
	s->m = (struct seq_file *)mmstall_regs_arg0(regs);
	mmstall_probe_hit(p);
	return 0;
}
MMSTALL_TIMED_KRETPROBE_ENTRY(mmstall_slabinfo_start_entry);

/* slab_start() returned: slab_mutex is held and the walk begins. */
static int __mmstall_slabinfo_start_return(struct mmstall_probe *p,
					   struct kretprobe_instance *ri,
					   struct pt_regs *regs)
{
	struct mmstall_slabinfo_start *s = (void *)ri->data;
	struct mmstall_slabinfo_task *t;

	if (mmstall_paused())
		return 0;
	t = mmstall_slabinfo_begin(s->m);
	if (t)
		t->start_ns = local_clock();
	return 0;
}
MMSTALL_TIMED_KRETPROBE_RETURN(mmstall_slabinfo_start_return);

/* slab_stop(), before it drops slab_mutex. */
static int __mmstall_slabinfo_stop_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct seq_file *m = (struct seq_file *)mmstall_regs_arg0(regs);
	struct mmstall_slabinfo_task *t;
	struct mmstall_task *task;
	s64 ns;

	if (mmstall_paused())
		return 0;
	mmstall_probe_hit(mmstall_probe_of_kp(kp));
	task = mmstall_current_task();
	if (!task)
		return 0;
	t = &mmstall_slabinfo[task->rec.slot];
	/* no show since start (nothing to walk), or begun before load */
	if (!t->start_ns) {
		t->started = false;
		t->stop_file = m;
		t->stop_at_zero = READ_ONCE(m->index) == 0;
		return 0;
	}
	ns = local_clock() - t->start_ns;
	if (ns < 0)
		ns = 0;
	t->start_ns = 0;
	t->started = false;
	t->walk_ns += ns;
	t->stop_file = m;
	t->stop_at_zero = READ_ONCE(m->index) == 0;
	WRITE_ONCE(t->total_ns, t->total_ns + ns);
	if (t->walk_ns > t->max_ns)
		WRITE_ONCE(t->max_ns, t->walk_ns);
	return 0;
}
MMSTALL_TIMED_KPROBE(mmstall_slabinfo_stop_pre);

static const char * const mmstall_slabinfo_start_syms[] = {
	"slab_start", NULL
};

static const char * const mmstall_slabinfo_show_syms[] = {
	"slab_show", NULL
};

static const char * const mmstall_slabinfo_stop_syms[] = {
	"slab_stop", NULL
};

static bool mmstall_slabinfo_show_attached(void);

/* return_sites=0 asks for the kretprobes: slab_start's too */
static bool mmstall_slabinfo_show_wanted(void)
{
	return mmstall_return_sites;
}

/* Attached in this order: show decides how start is probed. */
static struct mmstall_probe mmstall_slabinfo_probes[] = {
	{
		.class = MMSTALL_FEATURE_SLABINFO_READERS,
		.kind = MMSTALL_KIND_KPROBE,
		.optional = true,	/* the kretprobe says what is missing */
		.symbols = mmstall_slabinfo_show_syms,
		.pre_handler = mmstall_slabinfo_show_pre,
		.wanted = mmstall_slabinfo_show_wanted,
	},
	{
		.class = MMSTALL_FEATURE_SLABINFO_READERS,
		.kind = MMSTALL_KIND_KPROBE,
		.optional = true,
		.symbols = mmstall_slabinfo_start_syms,
		.pre_handler = mmstall_slabinfo_start_pre,
		.wanted = mmstall_slabinfo_show_attached,
	},
	{
		.class = MMSTALL_FEATURE_SLABINFO_READERS,
		.kind = MMSTALL_KIND_KRETPROBE,
		.symbols = mmstall_slabinfo_start_syms,
		.entry_handler = mmstall_slabinfo_start_entry,
		.handler = mmstall_slabinfo_start_return,
		.data_size = sizeof(struct mmstall_slabinfo_start),
		.fallback_of = &mmstall_slabinfo_probes[0],
	},
	{
		.class = MMSTALL_FEATURE_SLABINFO_READERS,
		.kind = MMSTALL_KIND_KPROBE,
		.symbols = mmstall_slabinfo_stop_syms,
		.pre_handler = mmstall_slabinfo_stop_pre,
	},
};

static bool mmstall_slabinfo_show_attached(void)
{
	return mmstall_slabinfo_probes[0].state == MMSTALL_STATE_ATTACHED;
}

static int mmstall_slabinfo_init(void)
{
	mmstall_slabinfo = vzalloc(array_size(mmstall_table.max_tasks,
					      sizeof(*mmstall_slabinfo)));
	return mmstall_slabinfo ? 0 : -ENOMEM;
}

static void mmstall_slabinfo_exit(void)
{
	vfree(mmstall_slabinfo);
	mmstall_slabinfo = NULL;
}

static void mmstall_slabinfo_reset(void)
{
	memset(mmstall_slabinfo, 0, array_size(mmstall_table.max_tasks,
					       sizeof(*mmstall_slabinfo)));
}

static unsigned int mmstall_slabinfo_max(void)
{
	return mmstall_used_tasks();
}

static unsigned int mmstall_slabinfo_fill(void *recs, unsigned int max,
					  const struct mmstall_snap_ctx *ctx)
{
	struct mmstall_slabinfo_reader_rec *r = recs;
	const struct mmstall_slabinfo_task *t;
	unsigned int slot, n = 0;

	for (slot = 0; slot < ctx->nr_tasks && n < max; slot++) {
		t = &mmstall_slabinfo[slot];
		if (!READ_ONCE(t->reads) && !READ_ONCE(t->total_ns))
			continue;
		if (!mmstall_snap_has_task(ctx, slot))
			continue;
		r[n].task = slot;
		r[n].reserved = 0;
		r[n].reads = READ_ONCE(t->reads);
		r[n].total_ns = READ_ONCE(t->total_ns);
		r[n].max_ns = READ_ONCE(t->max_ns);
		n++;
	}
	return n;
}

static const struct mmstall_section mmstall_slabinfo_sections[] = {
	{
		.type = MMSTALL_SEC_SLABINFO_READERS,
		.rec_size = sizeof(struct mmstall_slabinfo_reader_rec),
		.max_records = mmstall_slabinfo_max,
		.fill = mmstall_slabinfo_fill,
	},
};

struct mmstall_family mmstall_slabinfo_family = {
	.name = "slabinfo",
	.probes = mmstall_slabinfo_probes,
	.nr_probes = ARRAY_SIZE(mmstall_slabinfo_probes),
	.init = mmstall_slabinfo_init,
	.exit = mmstall_slabinfo_exit,
	.reset = mmstall_slabinfo_reset,
	.sections = mmstall_slabinfo_sections,
	.nr_sections = ARRAY_SIZE(mmstall_slabinfo_sections),
};
