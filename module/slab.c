// SPDX-License-Identifier: GPL-2.0
/*
 * slab_refill: time in the slab allocator's slow path, per task and per
 * cache (seed 002: write() stalled 40 ms in cache_alloc_refill for the
 * buffer_head cache).
 *
 * Timed on cache_alloc_refill (SLAB), ___slab_alloc (SLUB, 3.10+) or
 * __slab_alloc (SLUB, 2.6.32), whose first argument is the struct
 * kmem_cache: by return sites (retsite.h: a kprobe on the entry notes the
 * cache and the time, kprobes after each call to it record the stall with
 * the cache's name as its site), else by a kretprobe doing the same.
 *
 * This path is hot (every refill of a per-CPU slab), so the handlers take
 * no lock, walk no stack and compare no strings once warm:
 * - the cache's site id comes from a small lock-free table keyed by the
 *   kmem_cache pointer (claimed with cmpxchg, published with a release),
 *   checked against the cache's name pointer; only a cache seen for the
 *   first time has its name copied (nofault) and looked up;
 * - the per-cache totals (slab_caches) are per-CPU counters, written only by
 *   their CPU, summed when a snapshot is built: no shared cache line is
 *   written on the hot path, and every refill is counted, also those of
 *   tasks that found no slot or whose site list was full.
 * Refills on an interrupt stack count for their cache but not for the
 * interrupted task.
 *
 * The offset of the name in struct kmem_cache comes from the kernel's
 * header where it has one (see compat/slab.h) and is checked, or found,
 * at load time on a cache of our own.  If neither works, stalls are
 * recorded with the site "other:unknown" and a note says why.
 */
#include <linux/hash.h>
#include <linux/hardirq.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "compat/clock.h"
#include "compat/kprobes.h"
#include "compat/slab.h"
#include "compat/task_stack.h"
#include "compat/uaccess.h"
#include "cost.h"
#include "names.h"
#include "notes.h"
#include "probe.h"
#include "retsite.h"
#include "snapshot.h"
#include "table.h"

#define MMSTALL_SLAB_SITE_BITS	9
#define MMSTALL_SLAB_SITE_PROBES	8	/* slots tried per cache */
#define MMSTALL_SLAB_NAME_SCAN	512	/* bytes of kmem_cache searched */
#define MMSTALL_SLAB_PROBE_NAME	"mmstall_name_probe"

struct mmstall_slab_refill {
	u64 start_ns;
	const void *cache;
};

/* kmem_cache -> site id; name is the cache's name pointer when claimed. */
struct mmstall_slab_site {
	atomic_long_t cache;
	unsigned long name;
	unsigned int site;		/* 0 until published */
};

/* Per CPU and per dynamic name: the slab_caches totals. */
struct mmstall_slab_total {
	u64 count;
	u64 total_ns;
	u64 max_ns;
};

static struct mmstall_slab_site
	mmstall_slab_sites[1 << MMSTALL_SLAB_SITE_BITS];
static struct mmstall_slab_total __percpu *mmstall_slab_totals;
static long mmstall_slab_name_off = -1;

static unsigned long mmstall_slab_name_ptr(const void *cache)
{
	/* inside the cache being allocated from: alive during the call */
	return *(const unsigned long *)((const char *)cache +
					mmstall_slab_name_off);
}

/*
 * Copies a string that may be gone, a byte at a time (the kernel's own
 * strncpy_from_kernel_nofault() is not exported): only done the first time
 * a cache is seen.  Returns its length with the NUL, or < 0 if unreadable;
 * a longer string is cut to @count - 1 bytes and @count returned.
 */
static long mmstall_strncpy_nofault(char *dst, const char *src, long count)
{
	long i;

	for (i = 0; i < count; i++) {
		if (mmstall_copy_nofault(&dst[i], &src[i], 1))
			return -EFAULT;
		if (!dst[i])
			return i + 1;
	}
	dst[count - 1] = '\0';
	return count;
}

/* The slow lookup: copy the name (nofault) and find or add its id. */
static unsigned int mmstall_slab_name_site(unsigned long name_ptr)
{
	char name[MMSTALL_NAME_LEN];

	if (mmstall_strncpy_nofault(name, (const void *)name_ptr,
				    sizeof(name)) <= 1)
		return MMSTALL_SITE_UNKNOWN;
	return mmstall_name_id(name);
}

static unsigned int mmstall_slab_site_of(const void *cache)
{
	unsigned int i = hash_ptr(cache, MMSTALL_SLAB_SITE_BITS);
	unsigned int n, site;
	unsigned long name_ptr;
	long cur;

	if (mmstall_slab_name_off < 0)
		return MMSTALL_SITE_UNKNOWN;
	name_ptr = mmstall_slab_name_ptr(cache);
	for (n = 0; n < MMSTALL_SLAB_SITE_PROBES; n++) {
		struct mmstall_slab_site *e = &mmstall_slab_sites[i];

		cur = atomic_long_read(&e->cache);
		if (cur == (long)cache) {
			/* pairs with the release below: name and site set */
			site = smp_load_acquire(&e->site);
			if (site && e->name == name_ptr)
				return site;
			/* being filled in, or a new cache at an old address */
			return mmstall_slab_name_site(name_ptr);
		}
		if (cur == 0 &&
		    atomic_long_cmpxchg(&e->cache, 0, (long)cache) == 0) {
			site = mmstall_slab_name_site(name_ptr);
			e->name = name_ptr;
			/* publish name and site after the key is claimed */
			smp_store_release(&e->site, site);
			return site;
		}
		i = (i + 1) & ((1U << MMSTALL_SLAB_SITE_BITS) - 1);
	}
	return mmstall_slab_name_site(name_ptr);
}

/* This CPU's totals of @site; no other CPU writes them. */
static void mmstall_slab_total_add(unsigned int site, u64 ns)
{
	struct mmstall_slab_total *t;

	if (site < MMSTALL_SITE_DYNAMIC ||
	    site >= MMSTALL_SITE_DYNAMIC + MMSTALL_MAX_NAMES)
		return;
	t = this_cpu_ptr(&mmstall_slab_totals[site - MMSTALL_SITE_DYNAMIC]);
	t->total_ns += ns;
	if (ns > t->max_ns)
		t->max_ns = ns;
	/* count last: a snapshot that sees it sees the time too */
	smp_store_release(&t->count, t->count + 1);
}

/*
 * Records a refill of @cache that took @ns: for the cache always, for
 * @task (the current task's slot) unless in interrupt context (NULL).
 */
static void mmstall_slab_record(struct mmstall_task *task, const void *cache,
				s64 ns)
{
	struct mmstall_stat_rec *st;
	unsigned int site;

	if (!cache)
		return;
	if (ns < 0)
		ns = 0;
	site = mmstall_slab_site_of(cache);
	mmstall_slab_total_add(site, ns);
	if (!task)
		return;
	st = mmstall_task_stat(task, MMSTALL_CLASS_SLAB_REFILL);
	if (st)
		mmstall_stat_add(st, ns, MMSTALL_LOCK_OTHER, site);
}

/*
 * The slot of the task a refill is charged to: NULL for a refill on an
 * interrupt stack, which counts for its cache alone (the probed code's
 * stack, not in_interrupt(): an int3 handler runs as an NMI).  False if
 * the task should have one and found none (counted as lost).
 */
static bool mmstall_slab_task(struct pt_regs *regs, struct mmstall_task **task)
{
	*task = NULL;
	if (!mmstall_regs_on_task_stack(regs))
		return true;
	*task = mmstall_current_task();
	return *task;
}

/* --- return sites (retsite.h): the default -------------------------------- */

static int __mmstall_slab_enter(struct kprobe *kp, struct pt_regs *regs)
{
	struct mmstall_probe *p = mmstall_probe_of_kp(kp);
	struct mmstall_retsite_frame *f;

	if (mmstall_paused())
		return 0;
	mmstall_probe_hit(p);
	f = mmstall_retsite_push(p, regs);
	if (f) {
		f->arg = mmstall_regs_arg0(regs);
		f->start_ns = local_clock();
	}
	return 0;
}
MMSTALL_TIMED_KPROBE(mmstall_slab_enter);

static int __mmstall_slab_returned(struct mmstall_probe *p,
				   struct pt_regs *regs)
{
	struct mmstall_retsite_frame f;
	struct mmstall_task *task;

	if (!mmstall_retsite_pop(p, regs, &f) || mmstall_paused() ||
	    !mmstall_slab_task(regs, &task))
		return 0;
	mmstall_slab_record(task, (const void *)(unsigned long)f.arg,
			    local_clock() - f.start_ns);
	return 0;
}
MMSTALL_TIMED_RETSITE(mmstall_slab_returned);

/* --- the kretprobe: where no return site is found -------------------------- */

static int __mmstall_slab_entry(struct mmstall_probe *p,
				struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct mmstall_slab_refill *r = (void *)ri->data;

	if (mmstall_paused())
		return 1;
	r->cache = (const void *)mmstall_regs_arg0(regs);
	r->start_ns = local_clock();
	mmstall_probe_hit(p);
	return 0;
}
MMSTALL_TIMED_KRETPROBE_ENTRY(mmstall_slab_entry);

static int __mmstall_slab_return(struct mmstall_probe *p,
				 struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	struct mmstall_slab_refill *r = (void *)ri->data;
	struct mmstall_task *task;
	s64 ns = local_clock() - r->start_ns;

	if (mmstall_paused() || !mmstall_slab_task(regs, &task))
		return 0;
	mmstall_slab_record(task, r->cache, ns);
	return 0;
}
MMSTALL_TIMED_KRETPROBE_RETURN(mmstall_slab_return);

static const char * const mmstall_slab_refill_syms[] = {
	"cache_alloc_refill", "___slab_alloc", "__slab_alloc", NULL
};

static struct mmstall_probe mmstall_slab_probes[] = {
	{
		.class = MMSTALL_CLASS_SLAB_REFILL,
		.kind = MMSTALL_KIND_RETURN_SITES,
		.optional = true,	/* the kretprobe says what is missing */
		.symbols = mmstall_slab_refill_syms,
		.pre_handler = mmstall_slab_enter,
		.site_handler = mmstall_slab_returned,
	},
	{
		.class = MMSTALL_CLASS_SLAB_REFILL,
		.kind = MMSTALL_KIND_KRETPROBE,
		.symbols = mmstall_slab_refill_syms,
		.entry_handler = mmstall_slab_entry,
		.handler = mmstall_slab_return,
		.data_size = sizeof(struct mmstall_slab_refill),
		.fallback_of = &mmstall_slab_probes[0],
	},
};

/* Whether @cache's pointer at @off names MMSTALL_SLAB_PROBE_NAME. */
static bool mmstall_slab_name_at(const void *cache, long off)
{
	char name[sizeof(MMSTALL_SLAB_PROBE_NAME) + 1];
	const void *p;

	if (mmstall_copy_nofault(&p, (const char *)cache + off, sizeof(p)) ||
	    !p)
		return false;
	/* the length with its NUL: a longer string does not match */
	if (mmstall_strncpy_nofault(name, p, sizeof(name)) !=
	    sizeof(MMSTALL_SLAB_PROBE_NAME))
		return false;
	return !strcmp(name, MMSTALL_SLAB_PROBE_NAME);
}

/* A constructor keeps the cache from being merged with another. */
static void mmstall_slab_probe_ctor(void *obj)
{
}

/* The offset of the name in struct kmem_cache, or -1. */
static long mmstall_slab_find_name(const char **how)
{
	long off = MMSTALL_KMEM_CACHE_NAME_OFFSET;
	struct kmem_cache *c;

	c = kmem_cache_create(MMSTALL_SLAB_PROBE_NAME, 64, 0, 0,
			      mmstall_slab_probe_ctor);
	if (!c) {
		*how = "unavailable: cannot create a cache to find the name";
		return -1;
	}
	if (off >= 0 && mmstall_slab_name_at(c, off)) {
		*how = "struct kmem_cache from the kernel headers";
		goto out;
	}
	for (off = 0; off < MMSTALL_SLAB_NAME_SCAN; off += sizeof(void *))
		if (mmstall_slab_name_at(c, off))
			break;
	if (off < MMSTALL_SLAB_NAME_SCAN) {
		*how = "name found in struct kmem_cache at load";
	} else {
		*how = "unavailable: name not found in struct kmem_cache";
		off = -1;
	}
out:
	kmem_cache_destroy(c);
	return off;
}

static int mmstall_slab_init(void)
{
	const char *how;

	mmstall_slab_totals = __alloc_percpu(sizeof(struct mmstall_slab_total) *
					     MMSTALL_MAX_NAMES,
					     __alignof__(struct mmstall_slab_total));
	if (!mmstall_slab_totals)
		return -ENOMEM;
	memset(mmstall_slab_sites, 0, sizeof(mmstall_slab_sites));
	mmstall_slab_name_off = mmstall_slab_find_name(&how);
	mmstall_note("slab_cache_names", "%s", how);
	return 0;
}

static void mmstall_slab_exit(void)
{
	free_percpu(mmstall_slab_totals);
	mmstall_slab_totals = NULL;
}

static void mmstall_slab_reset(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(mmstall_slab_totals, cpu), 0,
		       sizeof(struct mmstall_slab_total) * MMSTALL_MAX_NAMES);
}

/*
 * Room for every name, not those known at layout: the snapshot's own
 * allocations may refill a cache seen for the first time, and that refill
 * is in the task stats copied before this section.
 */
static unsigned int mmstall_slab_caches_max(void)
{
	return MMSTALL_MAX_NAMES;
}

static unsigned int mmstall_slab_caches_fill(void *recs, unsigned int max,
					     const struct mmstall_snap_ctx *ctx)
{
	struct mmstall_slab_cache_rec *r = recs;
	const struct mmstall_slab_total *t;
	unsigned int i, n = 0;
	const char *name;
	u64 count;
	int cpu;

	max = min(max, mmstall_names_count());
	for (i = 0; i < max; i++) {
		name = mmstall_name_at(i);
		if (!name)
			continue;
		memset(&r[n], 0, sizeof(r[n]));
		for_each_possible_cpu(cpu) {
			t = per_cpu_ptr(&mmstall_slab_totals[i], cpu);
			/* pairs with mmstall_slab_total_add(): count last */
			count = smp_load_acquire(&t->count);
			if (!count)
				continue;
			r[n].count += count;
			r[n].total_ns += READ_ONCE(t->total_ns);
			r[n].max_ns = max_t(u64, r[n].max_ns,
					    READ_ONCE(t->max_ns));
		}
		if (!r[n].count)
			continue;
		strscpy(r[n].cache, name, sizeof(r[n].cache));
		n++;
	}
	return n;
}

static const struct mmstall_section mmstall_slab_sections[] = {
	{
		.type = MMSTALL_SEC_SLAB_CACHES,
		.rec_size = sizeof(struct mmstall_slab_cache_rec),
		.max_records = mmstall_slab_caches_max,
		.fill = mmstall_slab_caches_fill,
	},
};

struct mmstall_family mmstall_slab_family = {
	.name = "slab",
	.probes = mmstall_slab_probes,
	.nr_probes = ARRAY_SIZE(mmstall_slab_probes),
	.init = mmstall_slab_init,
	.exit = mmstall_slab_exit,
	.reset = mmstall_slab_reset,
	.sections = mmstall_slab_sections,
	.nr_sections = ARRAY_SIZE(mmstall_slab_sections),
};
