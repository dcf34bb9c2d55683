// SPDX-License-Identifier: GPL-2.0
/*
 * empty_probe.ko: the yardstick of the mmstall bench (tests/bench).  It puts
 * empty probes on the points its parameters name and counts their hits, so
 * that the bench can measure what a bare kprobe, kretprobe or tracepoint
 * costs on the points mmstall uses, and how much mmstall's handlers add.
 * Test-only: it is loaded in bench guests, never on a real machine.
 *
 *   kprobes=SYM[,SYM...]        kprobes with an empty pre-handler; SYM may
 *                               be FUNCTION+0xOFF (mmstall's return sites)
 *   kretprobes=SYM[,SYM...]     kretprobes, empty entry and return handlers
 *   tracepoints=NAME[,NAME...]  tracepoints, an empty probe
 *   maxactive=N, data_size=N    of the kretprobes (mmstall's: 512, 16)
 *
 * Each handler only increments a per-CPU hit counter.  The contention_begin
 * probe also counts rwsem waits (flags READ or WRITE alone), the unit of
 * mmstall's rwsem hits.  /sys/kernel/debug/empty_probe/hits has one line
 * per probe: "KIND NAME HITS RWSEM_WAITS".  A point that does not register
 * fails the load.  Loaded without parameters it registers nothing and
 * serves its fire file alone (fire.c).
 */
#include <linux/debugfs.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "compat/lock_tp.h"
#include "compat/tracepoint.h"
#include "empty_probe.h"

#define EP_MAX_PROBES	64

enum ep_kind { EP_KPROBE, EP_KRETPROBE, EP_TRACEPOINT };

static const char * const ep_kind_names[] = {
	[EP_KPROBE] = "kprobe",
	[EP_KRETPROBE] = "kretprobe",
	[EP_TRACEPOINT] = "tracepoint",
};

struct ep_hits {
	u64 hits;
	u64 rwsem_waits;
};

struct ep_probe {
	enum ep_kind kind;
	const char *name;
	unsigned int offset;		/* kprobes: FUNCTION+0xOFF */
	bool registered;
	struct ep_hits __percpu *hits;
	struct kretprobe krp;		/* krp.kp alone for a kprobe */
	struct tracepoint *tp;
	void *tp_fn;
};

static char *ep_kprobes = "";
module_param_named(kprobes, ep_kprobes, charp, 0444);
MODULE_PARM_DESC(kprobes, "symbols to kprobe, comma-separated");

static char *ep_kretprobes = "";
module_param_named(kretprobes, ep_kretprobes, charp, 0444);
MODULE_PARM_DESC(kretprobes, "symbols to kretprobe, comma-separated");

static char *ep_tracepoints = "";
module_param_named(tracepoints, ep_tracepoints, charp, 0444);
MODULE_PARM_DESC(tracepoints, "tracepoints to attach to, comma-separated");

static int ep_maxactive = 512;
module_param_named(maxactive, ep_maxactive, int, 0444);
MODULE_PARM_DESC(maxactive, "kretprobe instances (default 512, as mmstall)");

static int ep_data_size = 16;
module_param_named(data_size, ep_data_size, int, 0444);
MODULE_PARM_DESC(data_size, "kretprobe per-instance data bytes (default 16)");

static struct ep_probe ep_probes[EP_MAX_PROBES];
static unsigned int ep_nr_probes;
static char *ep_names;			/* the parameters' copies, split */
static struct dentry *ep_dir;

static int ep_kprobe_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct ep_probe *p = container_of(kp, struct ep_probe, krp.kp);

	this_cpu_inc(p->hits->hits);
	return 0;
}

static int ep_kretprobe_entry(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct kretprobe *krp = get_kretprobe(ri);

	if (krp)
		this_cpu_inc(container_of(krp, struct ep_probe, krp)->hits->hits);
	return 0;
}

static int ep_kretprobe_return(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	return 0;
}

/* Any tracepoint: its own arguments are not read. */
static void ep_tracepoint(void *data)
{
	struct ep_probe *p = data;

	this_cpu_inc(p->hits->hits);
}

static void ep_contention_begin(void *data, void *lock, unsigned int flags)
{
	struct ep_probe *p = data;

	this_cpu_inc(p->hits->hits);
	if (flags == MMSTALL_LCB_F_READ || flags == MMSTALL_LCB_F_WRITE)
		this_cpu_inc(p->hits->rwsem_waits);
}

static int ep_register(struct ep_probe *p)
{
	switch (p->kind) {
	case EP_KPROBE:
		p->krp.kp.symbol_name = p->name;
		p->krp.kp.offset = p->offset;
		p->krp.kp.pre_handler = ep_kprobe_pre;
		return register_kprobe(&p->krp.kp);
	case EP_KRETPROBE:
		p->krp.kp.symbol_name = p->name;
		p->krp.entry_handler = ep_kretprobe_entry;
		p->krp.handler = ep_kretprobe_return;
		p->krp.maxactive = ep_maxactive;
		p->krp.data_size = ep_data_size;
		return register_kretprobe(&p->krp);
	default:
		p->tp = mmstall_tracepoint_find(p->name);
		if (!p->tp)
			return -ENOENT;
		p->tp_fn = strcmp(p->name, "contention_begin") ?
			   (void *)ep_tracepoint : (void *)ep_contention_begin;
		return tracepoint_probe_register(p->tp, p->tp_fn, p);
	}
}

static void ep_unregister(struct ep_probe *p)
{
	if (!p->registered)
		return;
	if (p->kind == EP_KPROBE)
		unregister_kprobe(&p->krp.kp);
	else if (p->kind == EP_KRETPROBE)
		unregister_kretprobe(&p->krp);
	else
		tracepoint_probe_unregister(p->tp, p->tp_fn, p);
}

/* Splits @list (a copy the module keeps) into probes of @kind. */
static int ep_add_list(char *list, enum ep_kind kind)
{
	char *name, *plus;

	while ((name = strsep(&list, ",")) != NULL) {
		if (!*name)
			continue;
		if (ep_nr_probes == EP_MAX_PROBES) {
			pr_err("more than %d probes\n", EP_MAX_PROBES);
			return -E2BIG;
		}
		plus = strchr(name, '+');
		if (plus) {
			*plus++ = '\0';
			if (kind != EP_KPROBE ||
			    kstrtouint(plus, 0, &ep_probes[ep_nr_probes].offset))
				return -EINVAL;
		}
		ep_probes[ep_nr_probes].kind = kind;
		ep_probes[ep_nr_probes].name = name;
		ep_nr_probes++;
	}
	return 0;
}

static int ep_hits_show(struct seq_file *m, void *v)
{
	const struct ep_hits *h;
	u64 hits, waits;
	unsigned int i;
	int cpu;

	for (i = 0; i < ep_nr_probes; i++) {
		hits = 0;
		waits = 0;
		for_each_possible_cpu(cpu) {
			h = per_cpu_ptr(ep_probes[i].hits, cpu);
			hits += READ_ONCE(h->hits);
			waits += READ_ONCE(h->rwsem_waits);
		}
		seq_printf(m, "%s %s", ep_kind_names[ep_probes[i].kind],
			   ep_probes[i].name);
		if (ep_probes[i].offset)
			seq_printf(m, "+%#x", ep_probes[i].offset);
		seq_printf(m, " %llu %llu\n", hits, waits);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ep_hits);

static void ep_cleanup(void)
{
	unsigned int i;

	debugfs_remove_recursive(ep_dir);
	for (i = 0; i < ep_nr_probes; i++)
		ep_unregister(&ep_probes[i]);
	tracepoint_synchronize_unregister();
	for (i = 0; i < ep_nr_probes; i++)
		free_percpu(ep_probes[i].hits);
	kfree(ep_names);
}

static int __init ep_init(void)
{
	size_t lk = strlen(ep_kprobes), lr = strlen(ep_kretprobes);
	unsigned int i;
	int err;

	ep_names = kasprintf(GFP_KERNEL, "%s%c%s%c%s", ep_kprobes, '\0',
			     ep_kretprobes, '\0', ep_tracepoints);
	if (!ep_names)
		return -ENOMEM;
	err = ep_add_list(ep_names, EP_KPROBE);
	if (!err)
		err = ep_add_list(ep_names + lk + 1, EP_KRETPROBE);
	if (!err)
		err = ep_add_list(ep_names + lk + lr + 2, EP_TRACEPOINT);
	for (i = 0; !err && i < ep_nr_probes; i++) {
		struct ep_probe *p = &ep_probes[i];

		p->hits = alloc_percpu(struct ep_hits);
		if (!p->hits) {
			err = -ENOMEM;
			break;
		}
		err = ep_register(p);
		if (err)
			pr_err("%s %s: error %d\n", ep_kind_names[p->kind],
			       p->name, err);
		p->registered = !err;
	}
	if (!err) {
		ep_dir = debugfs_create_dir("empty_probe", NULL);
		debugfs_create_file("hits", 0400, ep_dir, NULL, &ep_hits_fops);
		ep_fire_create(ep_dir);
		return 0;
	}
	ep_cleanup();
	return err;
}

static void __exit ep_exit(void)
{
	ep_cleanup();
}

module_init(ep_init);
module_exit(ep_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mmstall bench: empty probes on named points, hits counted");
