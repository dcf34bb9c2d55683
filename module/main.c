// SPDX-License-Identifier: GPL-2.0
/*
 * mmstall: traces memory-management stalls (rwsem slowpaths, slab refill,
 * reclaim, compaction) per task, without BPF, and exposes them in debugfs.
 *
 * Load order: table, families' own data, probes, debugfs.  Unload in
 * reverse: debugfs first so no reader sees freed memory, then the probes
 * (unregistering waits for handlers in flight), then the data.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include "../uapi/mmstall.h"
#include "compat/version.h"
#include "debugfs.h"
#include "events.h"
#include "params.h"
#include "probe.h"
#include "site.h"
#include "table.h"

unsigned int mmstall_max_tasks = 4096;
unsigned int mmstall_maxactive = 512;
unsigned long mmstall_stack_threshold_ns = 10000;
unsigned long mmstall_event_threshold_ns = 1000000;
bool mmstall_kretprobes = true;
bool mmstall_return_sites = true;

#define MMSTALL_MAX_TASKS_MIN		16U
#define MMSTALL_MAX_TASKS_MAX		1048576U
#define MMSTALL_MAXACTIVE_MIN		1U
#define MMSTALL_MAXACTIVE_MAX		4096U
#define MMSTALL_THRESHOLD_MAX_NS	(60ULL * NSEC_PER_SEC)

static int mmstall_param_range(const char *val, const struct kernel_param *kp,
			       u64 min, u64 max, u64 *out)
{
	if (kstrtou64(val, 0, out) || *out < min || *out > max) {
		pr_err("invalid %s=%s: must be an integer from %llu to %llu\n",
		       kp->name, val, min, max);
		return -EINVAL;
	}
	return 0;
}

static int mmstall_set_max_tasks(const char *val, const struct kernel_param *kp)
{
	u64 v;
	int err = mmstall_param_range(val, kp, MMSTALL_MAX_TASKS_MIN,
				      MMSTALL_MAX_TASKS_MAX, &v);

	if (!err)
		*(unsigned int *)kp->arg = v;
	return err;
}

static int mmstall_set_maxactive(const char *val, const struct kernel_param *kp)
{
	u64 v;
	int err = mmstall_param_range(val, kp, MMSTALL_MAXACTIVE_MIN,
				      MMSTALL_MAXACTIVE_MAX, &v);

	if (!err)
		*(unsigned int *)kp->arg = v;
	return err;
}

static int mmstall_set_threshold(const char *val, const struct kernel_param *kp)
{
	u64 v;
	int err = mmstall_param_range(val, kp, 0, MMSTALL_THRESHOLD_MAX_NS, &v);

	if (!err)
		WRITE_ONCE(*(unsigned long *)kp->arg, v);
	return err;
}

static const struct kernel_param_ops mmstall_max_tasks_ops = {
	.set = mmstall_set_max_tasks,
	.get = param_get_uint,
};

static const struct kernel_param_ops mmstall_maxactive_ops = {
	.set = mmstall_set_maxactive,
	.get = param_get_uint,
};

static const struct kernel_param_ops mmstall_threshold_ops = {
	.set = mmstall_set_threshold,
	.get = param_get_ulong,
};

module_param_cb(max_tasks, &mmstall_max_tasks_ops, &mmstall_max_tasks, 0444);
MODULE_PARM_DESC(max_tasks,
		 "task slots preallocated at load (16-1048576, default 4096)");
module_param_cb(maxactive, &mmstall_maxactive_ops, &mmstall_maxactive, 0444);
MODULE_PARM_DESC(maxactive,
		 "concurrent sleepers tracked per kretprobe (1-4096, default 512)");
module_param_cb(stack_threshold_ns, &mmstall_threshold_ops,
		&mmstall_stack_threshold_ns, 0644);
MODULE_PARM_DESC(stack_threshold_ns,
		 "waits at least this long get a stack walk for their call site (default 10000)");
module_param_cb(event_threshold_ns, &mmstall_threshold_ops,
		&mmstall_event_threshold_ns, 0644);
MODULE_PARM_DESC(event_threshold_ns,
		 "stalls at least this long go to debugfs events, with their stack, while it is read (default 1000000)");

/*
 * kretprobes time what nothing else can: the rwsem slowpaths before the
 * lock contention tracepoints (5.19), and the fallbacks of the classes
 * timed by kprobes.  0 turns every one of them off.
 */
module_param_named(kretprobes, mmstall_kretprobes, bool, 0444);
MODULE_PARM_DESC(kretprobes,
		 "allow kretprobes where nothing else times a class (default 1; 0: none)");

/*
 * slab_refill and compaction are timed by kprobes on their functions'
 * return sites (retsite.h), where they can be found, and the slabinfo
 * readers by kprobes alone; 0 leaves those off, and the kretprobes time
 * them instead.
 */
module_param_named(return_sites, mmstall_return_sites, bool, 0444);
MODULE_PARM_DESC(return_sites,
		 "time slab_refill, compaction and slabinfo reads without kretprobes (default 1; 0: kretprobes)");

/*
 * /sys/module/mmstall/parameters/control: the commands of debugfs control
 * ("reset"), for kernels in lockdown, where debugfs refuses every write.
 * Root only; nothing to read (no get: reading it is -EPERM).
 */
static int mmstall_control_set(const char *val, const struct kernel_param *kp)
{
	return mmstall_control(val);
}

static const struct kernel_param_ops mmstall_control_ops = {
	.set = mmstall_control_set,
};

module_param_cb(control, &mmstall_control_ops, NULL, 0200);
MODULE_PARM_DESC(control,
		 "write \"reset\" as to debugfs control (works under lockdown)");

static int __init mmstall_init(void)
{
	int err;

	err = mmstall_table_init(mmstall_max_tasks);
	if (err) {
		pr_err("cannot allocate tables for %u tasks\n",
		       mmstall_max_tasks);
		return err;
	}
	mmstall_site_init();
	err = mmstall_families_init();
	if (err)
		goto err_free_table;
	err = mmstall_probes_attach();
	if (err)
		goto err_exit_families;
	err = mmstall_debugfs_init();
	if (err)
		goto err_detach_probes;
	pr_info("loaded: version %s, abi %d, %u task slots, %zu KiB of tables\n",
		MMSTALL_VERSION, MMSTALL_ABI_VERSION, mmstall_max_tasks,
		mmstall_table_bytes() >> 10);
	return 0;

err_detach_probes:
	mmstall_probes_detach();
	mmstall_events_exit();
err_exit_families:
	mmstall_families_exit();
err_free_table:
	mmstall_table_exit();
	return err;
}

static void __exit mmstall_exit(void)
{
	mmstall_debugfs_exit();
	mmstall_probes_detach();
	mmstall_events_exit();
	mmstall_families_exit();
	mmstall_table_exit();
	pr_info("unloaded\n");
}

module_init(mmstall_init);
module_exit(mmstall_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Per-task memory-management stall tracing without BPF");
MODULE_VERSION(MMSTALL_VERSION);
