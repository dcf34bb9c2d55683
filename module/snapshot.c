// SPDX-License-Identifier: GPL-2.0
/*
 * Building the binary snapshot: a header, a section table, then the
 * probes, dynamic names, task slots and stat blocks in use.  Built into a
 * private buffer at open() so a reader sees one coherent-enough copy;
 * counters of tasks still running may move while it is copied.
 */
#include <linux/ktime.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include "kernel_info.h"
#include "names.h"
#include "params.h"
#include "probe.h"
#include "snapshot.h"
#include "table.h"

enum { MMSTALL_NR_SECTIONS = 4 };

struct mmstall_snap_layout {
	struct mmstall_snap_section sec[MMSTALL_NR_SECTIONS];
	size_t size;
};

static void mmstall_layout_add(struct mmstall_snap_layout *l, unsigned int i,
			       u32 type, u32 count, u32 rec_size)
{
	l->sec[i].type = type;
	l->sec[i].count = count;
	l->sec[i].rec_size = rec_size;
	l->sec[i].offset = l->size;
	l->size += (size_t)count * rec_size;
}

static unsigned int mmstall_shown_probes(void)
{
	struct mmstall_probe *p;
	unsigned int i, n = 0;

	mmstall_for_each_probe(p, i)
		n += mmstall_probe_shown(p);
	return n;
}

static void mmstall_fill_header(struct mmstall_snap_header *h, size_t size)
{
	struct mmstall_table *tb = &mmstall_table;
	struct mmstall_probe *p;
	unsigned int i;

	h->magic = MMSTALL_SNAP_MAGIC;
	h->abi = MMSTALL_ABI_VERSION;
	h->header_size = sizeof(*h);
	h->total_size = size;
	h->nr_sections = MMSTALL_NR_SECTIONS;
	h->section_size = sizeof(struct mmstall_snap_section);
	h->window_ns = ktime_to_ns(ktime_get()) - tb->window_start_ns;
	h->max_tasks = tb->max_tasks;
	h->used_tasks = mmstall_used_tasks();
	h->max_stats = tb->max_stats;
	h->used_stats = mmstall_used_stats();
	h->hist_buckets = MMSTALL_HIST_BUCKETS;
	h->hist_sub_bits = MMSTALL_HIST_SUB_BITS;
	h->hist_min_shift = MMSTALL_HIST_MIN_SHIFT;
	h->hist_max_shift = MMSTALL_HIST_MAX_SHIFT;
	h->lost.task_slots = atomic64_read(&tb->lost_task_slots);
	h->lost.stat_blocks = atomic64_read(&tb->lost_stat_blocks);
	h->lost.names = mmstall_names_lost();
	mmstall_for_each_probe(p, i)
		h->lost.kretprobe_missed += mmstall_probe_missed(p);
	strscpy(h->version, MMSTALL_VERSION, sizeof(h->version));
	strscpy(h->release, utsname()->release, sizeof(h->release));
	strscpy(h->slab, mmstall_slab_name(), sizeof(h->slab));
	strscpy(h->preempt, mmstall_preempt_name(), sizeof(h->preempt));
	h->stack_threshold_ns = READ_ONCE(mmstall_stack_threshold_ns);
}

static void mmstall_fill_probes(struct mmstall_probe_rec *r)
{
	struct mmstall_probe *p;
	unsigned int i;

	mmstall_for_each_probe(p, i) {
		if (!mmstall_probe_shown(p))
			continue;
		r->class = p->class;
		r->kind = p->kind;
		r->state = p->state;
		r->error = p->error;
		r->hits = mmstall_probe_hits(p);
		r->missed = mmstall_probe_missed(p);
		strscpy(r->target, p->target, sizeof(r->target));
		r++;
	}
}

static unsigned int mmstall_fill_names(struct mmstall_name_rec *r,
				       unsigned int n)
{
	unsigned int i, out = 0;
	const char *s;

	for (i = 0; i < n; i++) {
		s = mmstall_name_at(i);
		if (!s)
			continue;
		r[out].id = MMSTALL_SITE_DYNAMIC + i;
		strscpy(r[out].name, s, sizeof(r[out].name));
		out++;
	}
	return out;
}

/* Copies the slots filled in; a slot still being claimed is left zero. */
static void mmstall_fill_tasks(struct mmstall_task_rec *r, unsigned int n)
{
	const struct mmstall_task *t = mmstall_table.tasks;
	unsigned int i;

	for (i = 0; i < n; i++) {
		/* pairs with mmstall_task_new(): slot filled */
		if (smp_load_acquire(&t[i].rec.flags) & MMSTALL_TASK_VALID)
			r[i] = t[i].rec;
	}
}

/* Copies the blocks in use whose task is among the @nr_tasks copied. */
static unsigned int mmstall_fill_stats(struct mmstall_stat_rec *r,
				       unsigned int n,
				       const struct mmstall_task_rec *tasks,
				       unsigned int nr_tasks)
{
	struct mmstall_stat_rec *st = mmstall_table.stats;
	unsigned int i, out = 0;

	for (i = 0; i < n; i++) {
		/* pairs with mmstall_stat_add(): skip blocks not yet used */
		if (!smp_load_acquire(&st[i].count))
			continue;
		if (st[i].task >= nr_tasks ||
		    !(tasks[st[i].task].flags & MMSTALL_TASK_VALID))
			continue;
		memcpy(&r[out++], &st[i], sizeof(*r));
	}
	return out;
}

/* Called with the control mutex held: no reset runs meanwhile. */
void *mmstall_snapshot_build(size_t *len)
{
	struct mmstall_snap_layout l = { .size = 0 };
	unsigned int nr_probes = mmstall_shown_probes();
	unsigned int nr_names = mmstall_names_count();
	unsigned int nr_tasks = mmstall_used_tasks();
	unsigned int nr_stats = mmstall_used_stats();
	struct mmstall_snap_header *h;
	struct mmstall_snap_section *sec;
	void *buf;

	l.size = sizeof(*h) + sizeof(l.sec);
	mmstall_layout_add(&l, 0, MMSTALL_SEC_PROBES, nr_probes,
			   sizeof(struct mmstall_probe_rec));
	mmstall_layout_add(&l, 1, MMSTALL_SEC_NAMES, nr_names,
			   sizeof(struct mmstall_name_rec));
	mmstall_layout_add(&l, 2, MMSTALL_SEC_TASKS, nr_tasks,
			   sizeof(struct mmstall_task_rec));
	mmstall_layout_add(&l, 3, MMSTALL_SEC_STATS, nr_stats,
			   sizeof(struct mmstall_stat_rec));
	buf = vzalloc(l.size);
	if (!buf)
		return NULL;

	h = buf;
	sec = buf + sizeof(*h);
	mmstall_fill_probes(buf + l.sec[0].offset);
	l.sec[1].count = mmstall_fill_names(buf + l.sec[1].offset, nr_names);
	mmstall_fill_tasks(buf + l.sec[2].offset, nr_tasks);
	l.sec[3].count = mmstall_fill_stats(buf + l.sec[3].offset, nr_stats,
					    buf + l.sec[2].offset, nr_tasks);
	memcpy(sec, l.sec, sizeof(l.sec));
	mmstall_fill_header(h, l.size);
	*len = l.size;
	return buf;
}

void mmstall_snapshot_free(void *buf)
{
	vfree(buf);
}
