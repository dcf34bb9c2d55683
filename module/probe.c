// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching the families' probes.  For each probe, the candidate symbols
 * are tried in order; the first that registers wins.  A probe whose every
 * candidate is absent is "missing"; one that exists but would not register
 * is "failed" with the errno.  Neither stops the module from loading.
 */
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/string.h>
#include "compat/kret_unwind.h"
#include "compat/tracepoint.h"
#include "notes.h"
#include "params.h"
#include "probe.h"
#include "retsite.h"

struct mmstall_family *const mmstall_families[] = {
	&mmstall_rwsem_family,
	&mmstall_holders_family,
	&mmstall_mm_calls_family,
	&mmstall_reclaim_family,
	&mmstall_slab_family,
	&mmstall_slabinfo_family,
	&mmstall_cost_family,
};

const unsigned int mmstall_nr_families = ARRAY_SIZE(mmstall_families);

DEFINE_PER_CPU(const struct mmstall_walk_origin *, mmstall_walk_origin);

int mmstall_families_init(void)
{
	unsigned int fi;
	int err;

	for (fi = 0; fi < mmstall_nr_families; fi++) {
		if (!mmstall_families[fi]->init)
			continue;
		err = mmstall_families[fi]->init();
		if (err) {
			pr_err("cannot set up the %s family: error %d\n",
			       mmstall_families[fi]->name, err);
			while (fi--)
				if (mmstall_families[fi]->exit)
					mmstall_families[fi]->exit();
			return err;
		}
	}
	return 0;
}

void mmstall_families_exit(void)
{
	unsigned int fi;

	for (fi = mmstall_nr_families; fi--; )
		if (mmstall_families[fi]->exit)
			mmstall_families[fi]->exit();
}

/* Called with handlers quiesced (see mmstall_table_clear()). */
void mmstall_families_reset(void)
{
	unsigned int fi;

	for (fi = 0; fi < mmstall_nr_families; fi++)
		if (mmstall_families[fi]->reset)
			mmstall_families[fi]->reset();
}

static const char * const mmstall_class_names[] = MMSTALL_CLASS_NAMES;
static const char * const mmstall_feature_names[] = MMSTALL_FEATURE_NAMES;

const char *mmstall_class_name(unsigned int class)
{
	if (class < MMSTALL_NR_CLASSES)
		return mmstall_class_names[class];
	if (class >= MMSTALL_FEATURE_BASE && class < MMSTALL_FEATURE_END)
		return mmstall_feature_names[class - MMSTALL_FEATURE_BASE];
	return "?";
}

const char *mmstall_probe_class_name(const struct mmstall_probe *p)
{
	return mmstall_class_name(p->class);
}

struct mmstall_probe *mmstall_probe_at(unsigned int i)
{
	unsigned int fi;

	for (fi = 0; fi < mmstall_nr_families; fi++) {
		if (i < mmstall_families[fi]->nr_probes)
			return &mmstall_families[fi]->probes[i];
		i -= mmstall_families[fi]->nr_probes;
	}
	return NULL;
}

static int mmstall_kprobe_try(struct mmstall_probe *p, const char *sym)
{
	if (p->kind == MMSTALL_KIND_RETURN_SITES)
		return mmstall_retsites_attach(p, sym);
	memset(&p->krp, 0, sizeof(p->krp));
	p->krp.kp.symbol_name = sym;
	if (p->kind == MMSTALL_KIND_KPROBE) {
		p->krp.kp.pre_handler = p->pre_handler;
		return register_kprobe(&p->krp.kp);
	}
	p->krp.entry_handler = p->entry_handler;
	p->krp.handler = p->handler;
	p->krp.data_size = MMSTALL_KRET_DATA_SIZE(p->data_size);
	p->krp.maxactive = mmstall_maxactive;
	return register_kretprobe(&p->krp);
}

static int mmstall_tracepoint_try(struct mmstall_probe *p, const char *name)
{
	p->tp = mmstall_tracepoint_find(name);
	if (!p->tp)
		return -ENOENT;
	return mmstall_tracepoint_register(p->tp, p->tp_probe, p);
}

static void mmstall_probe_attach(struct mmstall_probe *p)
{
	const char * const *sym;
	int err = -ENOENT;

	p->state = MMSTALL_STATE_MISSING;
	p->target = p->symbols[0];
	for (sym = p->symbols; *sym; sym++) {
		int ret = p->kind == MMSTALL_KIND_TRACEPOINT ?
			  mmstall_tracepoint_try(p, *sym) :
			  mmstall_kprobe_try(p, *sym);

		if (!ret) {
			p->state = MMSTALL_STATE_ATTACHED;
			p->target = *sym;
			p->error = 0;
			return;
		}
		/* keep the most telling error: a present but refused symbol */
		if (ret != -ENOENT && err == -ENOENT) {
			err = ret;
			p->target = *sym;
			p->state = MMSTALL_STATE_FAILED;
		}
	}
	p->error = err;
	if (!mmstall_probe_shown(p))
		return;
	pr_info("%s: %s %s (error %d)\n", p->target,
		p->state == MMSTALL_STATE_FAILED ? "failed" : "missing",
		"probe not attached, its class is degraded", err);
}

/*
 * Whether to attach @p: its family may turn it off (a parameter, a kernel
 * where it would mislead), and a fallback is needed only if the preferred
 * probe did not attach (probes attach in declaration order).
 */
static bool mmstall_probe_enabled(const struct mmstall_probe *p)
{
	if (p->fallback_of &&
	    p->fallback_of->state == MMSTALL_STATE_ATTACHED)
		return false;
	/* kretprobes=0 turns every kretprobe off, fallbacks included */
	if (p->kind == MMSTALL_KIND_KRETPROBE && !mmstall_kretprobes)
		return false;
	if (p->kind == MMSTALL_KIND_RETURN_SITES && !mmstall_return_sites)
		return false;
	return !p->wanted || p->wanted();
}

/* Says in status whether kretprobes may be used. */
static void mmstall_kretprobes_note(void)
{
	if (mmstall_kretprobes)
		mmstall_note("kretprobes", "on (fallbacks where nothing else attaches)");
	else
		mmstall_note("kretprobes", "off (kretprobes=0): no kretprobe fallback");
}

static const char * const mmstall_kind_names[] = MMSTALL_KIND_NAMES;

/*
 * Appends what @p times to @buf for the class's note: "kind target", or
 * ", target" after a probe of the same kind (@last).
 */
static void mmstall_timing_add(char *buf, size_t size,
			       const struct mmstall_probe *p,
			       enum mmstall_probe_kind *last)
{
	size_t n = strlen(buf);
	const char *timing = p->timing ? p->timing : "";
	const char *sep = p->timing ? ": " : "";

	if (p->kind == MMSTALL_KIND_RETURN_SITES) {
		scnprintf(buf + n, size - n,
			  "%s%s entry and %u return sites (%u refused)%s%s",
			  n ? "; " : "", p->target, p->rs.nr_sites,
			  p->rs.nr_refused, sep, timing);
	} else if (n && *last == p->kind) {
		scnprintf(buf + n, size - n, ", %s%s%s", p->target, sep,
			  timing);
	} else {
		scnprintf(buf + n, size - n, "%s%s %s%s%s", n ? "; " : "",
			  mmstall_kind_names[p->kind], p->target, sep, timing);
	}
	*last = p->kind;
}

/*
 * Notes "timing:CLASS" for each class or feature with an attached probe:
 * what timed it, so that a report says what was measured.
 */
static void mmstall_timing_notes(void)
{
	const struct mmstall_probe *p, *q;
	enum mmstall_probe_kind last;
	char key[32], buf[96];
	unsigned int i, j;

	mmstall_for_each_probe(p, i) {
		if (p->state != MMSTALL_STATE_ATTACHED)
			continue;
		/* once per class: at its first attached probe */
		for (j = 0; j < i; j++) {
			q = mmstall_probe_at(j);
			if (q->class == p->class &&
			    q->state == MMSTALL_STATE_ATTACHED)
				break;
		}
		if (j < i)
			continue;
		buf[0] = '\0';
		last = 0;
		for (j = i; (q = mmstall_probe_at(j)); j++)
			if (q->class == p->class &&
			    q->state == MMSTALL_STATE_ATTACHED)
				mmstall_timing_add(buf, sizeof(buf), q, &last);
		snprintf(key, sizeof(key), "timing:%s",
			 mmstall_probe_class_name(p));
		mmstall_note(key, "%s", buf);
	}
}

int mmstall_probes_attach(void)
{
	struct mmstall_probe *p;
	unsigned int i;

	mmstall_for_each_probe(p, i) {
		p->pc = alloc_percpu(struct mmstall_probe_pcpu);
		if (!p->pc) {
			mmstall_probes_detach();
			return -ENOMEM;
		}
	}
	mmstall_kretprobes_note();
	mmstall_retsites_init();
	mmstall_for_each_probe(p, i) {
		if (!mmstall_probe_enabled(p)) {
			p->state = MMSTALL_STATE_OFF;
			p->target = p->symbols[0];
		} else if (p->shares) {
			/* declared after the probe whose registration it shares */
			p->state = p->shares->state;
			p->target = p->shares->target;
			p->error = p->shares->error;
		} else {
			mmstall_probe_attach(p);
		}
	}
	mmstall_timing_notes();
	return 0;
}

static void mmstall_probe_detach(struct mmstall_probe *p)
{
	if (p->state != MMSTALL_STATE_ATTACHED || p->shares)
		return;
	if (p->kind == MMSTALL_KIND_TRACEPOINT)
		mmstall_tracepoint_unregister(p->tp, p->tp_probe, p);
	else if (p->kind == MMSTALL_KIND_RETURN_SITES)
		mmstall_retsites_detach(p);
	else if (p->kind == MMSTALL_KIND_KPROBE)
		unregister_kprobe(&p->krp.kp);
	else
		unregister_kretprobe(&p->krp);
}

/*
 * Unregistering waits for kprobe handlers in flight, and pending kretprobe
 * returns are dropped; tracepoint handlers need one more grace period.
 */
void mmstall_probes_detach(void)
{
	struct mmstall_probe *p;
	unsigned int i;

	mmstall_for_each_probe(p, i)
		mmstall_probe_detach(p);
	tracepoint_synchronize_unregister();
	mmstall_for_each_probe(p, i) {
		p->state = 0;
		free_percpu(p->pc);
		p->pc = NULL;
	}
}

u64 mmstall_probe_hits(const struct mmstall_probe *p)
{
	struct mmstall_probe_pcpu sum;

	mmstall_probe_cost(p, &sum);
	return sum.hits;
}

/* Sums the probe's per-CPU counters (all zero before it is set up). */
void mmstall_probe_cost(const struct mmstall_probe *p,
			struct mmstall_probe_pcpu *sum)
{
	const struct mmstall_probe_pcpu *c;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	if (!p->pc)
		return;
	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(p->pc, cpu);
		sum->hits += READ_ONCE(c->hits);
		sum->calls += READ_ONCE(c->calls);
		sum->sampled += READ_ONCE(c->sampled);
		sum->sampled_ns += READ_ONCE(c->sampled_ns);
		sum->missed += READ_ONCE(c->missed);
	}
}

static unsigned long mmstall_probe_nmissed(const struct mmstall_probe *p)
{
	if (p->state != MMSTALL_STATE_ATTACHED)
		return 0;
	if (p->kind == MMSTALL_KIND_KRETPROBE)
		return READ_ONCE(p->krp.nmissed);
	if (p->kind == MMSTALL_KIND_KPROBE ||
	    p->kind == MMSTALL_KIND_RETURN_SITES)
		return READ_ONCE(p->krp.kp.nmissed);
	return 0;
}

/* Returns or hits missed since the last reset; unpaired calls included. */
u64 mmstall_probe_missed(const struct mmstall_probe *p)
{
	struct mmstall_probe_pcpu sum;

	mmstall_probe_cost(p, &sum);
	return mmstall_probe_nmissed(p) - p->missed_base + sum.missed;
}

/* Called with handlers quiesced (see mmstall_table_clear()). */
void mmstall_probes_reset(void)
{
	struct mmstall_probe *p;
	unsigned int i;
	int cpu;

	mmstall_for_each_probe(p, i) {
		for_each_possible_cpu(cpu)
			memset(per_cpu_ptr(p->pc, cpu), 0, sizeof(*p->pc));
		p->missed_base = mmstall_probe_nmissed(p);
		if (p->state == MMSTALL_STATE_ATTACHED &&
		    p->kind == MMSTALL_KIND_RETURN_SITES)
			mmstall_retsites_reset(p);
	}
}
