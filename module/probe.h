/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attach points.  Each stall family declares a table of probes; a probe
 * names its class, its kind and the candidate symbols to try in order.
 * A probe that cannot attach degrades to "missing" or "failed" with the
 * errno, and the module goes on without it.
 */
#ifndef _MMSTALL_PROBE_H
#define _MMSTALL_PROBE_H

#include <linux/kprobes.h>
#include <linux/percpu.h>
#include "../uapi/mmstall.h"
#include "retsite_types.h"

/*
 * Per-CPU counters of a probe.  @hits counts the events the probe fed
 * (a wait begun, a call counted); @calls counts every entry into its
 * handlers, events or not.  One call in MMSTALL_COST_SAMPLE is timed
 * (see cost.h): @sampled of them took @sampled_ns in all.
 */
struct mmstall_probe_pcpu {
	u64 hits;
	u64 calls;
	u64 sampled;
	u64 sampled_ns;
	u64 missed;	/* return_sites: calls whose return went unpaired */
};

struct mmstall_probe {
	/* declared by the family */
	unsigned int class;		/* a stall class or a feature */
	enum mmstall_probe_kind kind;
	bool optional;			/* not reported when missing or off */
	const char * const *symbols;	/* candidates, NULL-terminated */
	kretprobe_handler_t entry_handler;	/* kretprobe */
	kretprobe_handler_t handler;		/* kretprobe */
	size_t data_size;			/* kretprobe */
	kprobe_pre_handler_t pre_handler;	/* kprobe; return_sites: entry */
	kprobe_pre_handler_t site_handler;	/* return_sites: a return */
	void *tp_probe;				/* tracepoint: its handler */
	unsigned int arg;		/* the family's own, e.g. a call id */
	const char *timing;		/* what it times, for the notes */
	bool (*wanted)(void);		/* optional: false leaves it "off" */
	/* tried only if that probe did not attach; hidden if it did */
	const struct mmstall_probe *fallback_of;
	/* registered by that probe (one handler for both): attached with it */
	const struct mmstall_probe *shares;

	/* set when attaching */
	const char *target;
	enum mmstall_probe_state state;
	int error;
	struct mmstall_probe_pcpu __percpu *pc;
	unsigned long missed_base;	/* nmissed at the last reset */
	struct kretprobe krp;		/* krp.kp alone for a kprobe */
	struct tracepoint *tp;
	struct mmstall_retsites rs;	/* return_sites */
};

struct mmstall_snap_ctx;

/*
 * A snapshot section a family adds.  @max_records bounds what @fill may
 * write; @fill returns how many records it wrote.
 */
struct mmstall_section {
	u32 type;			/* enum mmstall_section_type */
	u32 rec_size;
	unsigned int (*max_records)(void);
	unsigned int (*fill)(void *recs, unsigned int max,
			     const struct mmstall_snap_ctx *ctx);
};

struct mmstall_family {
	const char *name;
	struct mmstall_probe *probes;
	unsigned int nr_probes;
	/* optional: before the probes attach, after they detach */
	int (*init)(void);
	void (*exit)(void);
	/* optional: clear the family's data, handlers quiesced */
	void (*reset)(void);
	const struct mmstall_section *sections;
	unsigned int nr_sections;
};

extern struct mmstall_family mmstall_rwsem_family;
extern struct mmstall_family mmstall_holders_family;
extern struct mmstall_family mmstall_mm_calls_family;
extern struct mmstall_family mmstall_slab_family;
extern struct mmstall_family mmstall_slabinfo_family;
extern struct mmstall_family mmstall_reclaim_family;
extern struct mmstall_family mmstall_cost_family;

extern struct mmstall_family *const mmstall_families[];
extern const unsigned int mmstall_nr_families;

struct mmstall_probe *mmstall_probe_at(unsigned int i);
/* A stall class's or a feature's name ("?" if neither). */
const char *mmstall_class_name(unsigned int class);
const char *mmstall_probe_class_name(const struct mmstall_probe *p);

/* Every probe of every family, in declaration order. */
#define mmstall_for_each_probe(p, i)					\
	for ((i) = 0; ((p) = mmstall_probe_at(i)); (i)++)

int mmstall_families_init(void);
void mmstall_families_exit(void);
void mmstall_families_reset(void);
int mmstall_probes_attach(void);
void mmstall_probes_detach(void);
void mmstall_probes_reset(void);
u64 mmstall_probe_hits(const struct mmstall_probe *p);
void mmstall_probe_cost(const struct mmstall_probe *p,
			struct mmstall_probe_pcpu *sum);
u64 mmstall_probe_missed(const struct mmstall_probe *p);

/* Whether status and snapshots show this probe. */
static inline bool mmstall_probe_shown(const struct mmstall_probe *p)
{
	if (p->fallback_of &&
	    p->fallback_of->state == MMSTALL_STATE_ATTACHED)
		return false;
	return !(p->optional && (p->state == MMSTALL_STATE_MISSING ||
				 p->state == MMSTALL_STATE_OFF));
}

static inline struct mmstall_probe *
mmstall_probe_of_krp(struct kretprobe *krp)
{
	return container_of(krp, struct mmstall_probe, krp);
}

static inline struct mmstall_probe *mmstall_probe_of_kp(struct kprobe *kp)
{
	return container_of(kp, struct mmstall_probe, krp.kp);
}

static inline void mmstall_probe_hit(struct mmstall_probe *p)
{
	this_cpu_inc(p->pc->hits);
}

#endif /* _MMSTALL_PROBE_H */
