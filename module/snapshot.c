// SPDX-License-Identifier: GPL-2.0
/*
 * Building the binary snapshot: a header, a section table, then the
 * probes, dynamic names, task slots and stat blocks in use.  Built into a
 * private buffer at open() so a reader sees one coherent-enough copy;
 * counters of tasks still running may move while it is copied.
 */
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include "events.h"
#include "kernel_info.h"
#include "names.h"
#include "notes.h"
#include "params.h"
#include "probe.h"
#include "snapshot.h"
#include "table.h"

/* The core sections, then the notes, then each family's own. */
enum {
	MMSTALL_SEC_I_PROBES,
	MMSTALL_SEC_I_NAMES,
	MMSTALL_SEC_I_TASKS,
	MMSTALL_SEC_I_STATS,
	MMSTALL_SEC_I_NOTES,
	MMSTALL_NR_CORE_SECTIONS
};

struct mmstall_snap_layout {
	struct mmstall_snap_section *sec;
	unsigned int nr;
	size_t size;
};

static void mmstall_layout_add(struct mmstall_snap_layout *l, u32 type,
			       u32 count, u32 rec_size)
{
	struct mmstall_snap_section *sec = &l->sec[l->nr++];

	sec->type = type;
	sec->count = count;
	sec->rec_size = rec_size;
	sec->offset = l->size;
	l->size += (size_t)count * rec_size;
}

static unsigned int mmstall_family_sections(void)
{
	unsigned int fi, n = 0;

	for (fi = 0; fi < mmstall_nr_families; fi++)
		n += mmstall_families[fi]->nr_sections;
	return n;
}

static unsigned int mmstall_shown_probes(void)
{
	struct mmstall_probe *p;
	unsigned int i, n = 0;

	mmstall_for_each_probe(p, i)
		n += mmstall_probe_shown(p);
	return n;
}

static void mmstall_fill_header(struct mmstall_snap_header *h, size_t size,
				unsigned int nr_sections)
{
	struct mmstall_table *tb = &mmstall_table;
	struct mmstall_probe *p;
	unsigned int i;

	h->magic = MMSTALL_SNAP_MAGIC;
	h->abi = MMSTALL_ABI_VERSION;
	h->header_size = sizeof(*h);
	h->total_size = size;
	h->nr_sections = nr_sections;
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
	h->lost.events = mmstall_events_lost();
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

/* Copies the blocks in use whose task was copied. */
static unsigned int mmstall_fill_stats(struct mmstall_stat_rec *r,
				       unsigned int n,
				       const struct mmstall_snap_ctx *ctx)
{
	struct mmstall_stat_rec *st = mmstall_table.stats;
	unsigned int i, out = 0;

	for (i = 0; i < n; i++) {
		/* pairs with mmstall_stat_add(): skip blocks not yet used */
		if (!smp_load_acquire(&st[i].count))
			continue;
		if (!mmstall_snap_has_task(ctx, st[i].task))
			continue;
		memcpy(&r[out++], &st[i], sizeof(*r));
	}
	return out;
}

static unsigned int mmstall_fill_notes(struct mmstall_note_rec *r)
{
	unsigned int i, n = mmstall_notes_count();

	for (i = 0; i < n; i++)
		r[i] = *mmstall_note_at(i);
	return n;
}

/* Lays out and fills every family's sections after the core ones. */
static void mmstall_fill_family_sections(struct mmstall_snap_layout *l,
					 void *buf,
					 const struct mmstall_snap_ctx *ctx)
{
	const struct mmstall_section *fs;
	unsigned int fi, si, i = MMSTALL_NR_CORE_SECTIONS;

	for (fi = 0; fi < mmstall_nr_families; fi++) {
		fs = mmstall_families[fi]->sections;
		for (si = 0; si < mmstall_families[fi]->nr_sections; si++, i++)
			l->sec[i].count = fs[si].fill(buf + l->sec[i].offset,
						      l->sec[i].count, ctx);
	}
}

static void mmstall_layout_families(struct mmstall_snap_layout *l)
{
	const struct mmstall_section *fs;
	unsigned int fi, si;

	for (fi = 0; fi < mmstall_nr_families; fi++) {
		fs = mmstall_families[fi]->sections;
		for (si = 0; si < mmstall_families[fi]->nr_sections; si++)
			mmstall_layout_add(l, fs[si].type,
					   fs[si].max_records(),
					   fs[si].rec_size);
	}
}

/* Called with the control mutex held: no reset runs meanwhile. */
void *mmstall_snapshot_build(size_t *len)
{
	unsigned int nr_sections = MMSTALL_NR_CORE_SECTIONS +
				   mmstall_family_sections();
	unsigned int nr_tasks = mmstall_used_tasks();
	unsigned int nr_stats = mmstall_used_stats();
	struct mmstall_snap_layout l = { .nr = 0 };
	struct mmstall_snap_section *sec;
	struct mmstall_snap_ctx ctx;
	void *buf;

	sec = kcalloc(nr_sections, sizeof(*sec), GFP_KERNEL);
	if (!sec)
		return NULL;
	l.sec = sec;
	l.size = sizeof(struct mmstall_snap_header) + nr_sections * sizeof(*sec);
	mmstall_layout_add(&l, MMSTALL_SEC_PROBES, mmstall_shown_probes(),
			   sizeof(struct mmstall_probe_rec));
	/* room for every name: names are filled last, see below */
	mmstall_layout_add(&l, MMSTALL_SEC_NAMES, MMSTALL_MAX_NAMES,
			   sizeof(struct mmstall_name_rec));
	mmstall_layout_add(&l, MMSTALL_SEC_TASKS, nr_tasks,
			   sizeof(struct mmstall_task_rec));
	mmstall_layout_add(&l, MMSTALL_SEC_STATS, nr_stats,
			   sizeof(struct mmstall_stat_rec));
	mmstall_layout_add(&l, MMSTALL_SEC_NOTES, mmstall_notes_count(),
			   sizeof(struct mmstall_note_rec));
	mmstall_layout_families(&l);

	buf = vzalloc(l.size);
	if (!buf)
		goto out_free_sec;
	ctx.tasks = buf + sec[MMSTALL_SEC_I_TASKS].offset;
	ctx.nr_tasks = nr_tasks;
	mmstall_fill_probes(buf + sec[MMSTALL_SEC_I_PROBES].offset);
	mmstall_fill_tasks(buf + sec[MMSTALL_SEC_I_TASKS].offset, nr_tasks);
	sec[MMSTALL_SEC_I_STATS].count =
		mmstall_fill_stats(buf + sec[MMSTALL_SEC_I_STATS].offset,
				   nr_stats, &ctx);
	mmstall_fill_notes(buf + sec[MMSTALL_SEC_I_NOTES].offset);
	mmstall_fill_family_sections(&l, buf, &ctx);
	/*
	 * Names last: a name is published before any record holds its id,
	 * so every id copied above (even one added by a probe that fired
	 * while this snapshot was built, such as this reader's own slab
	 * refill) has its name in the table by now.
	 */
	smp_rmb();
	sec[MMSTALL_SEC_I_NAMES].count =
		mmstall_fill_names(buf + sec[MMSTALL_SEC_I_NAMES].offset,
				   mmstall_names_count());
	memcpy(buf + sizeof(struct mmstall_snap_header), sec,
	       nr_sections * sizeof(*sec));
	mmstall_fill_header(buf, l.size, nr_sections);
	*len = l.size;
out_free_sec:
	kfree(sec);
	return buf;
}

void mmstall_snapshot_free(void *buf)
{
	vfree(buf);
}
