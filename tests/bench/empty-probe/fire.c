// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/empty_probe/fire: call the probes registered on a pair
 * of tracepoints (whoever registered them: this module, mmstall, nobody)
 * N times in a row in the writing task, and time it.  The difference with
 * and without a tracer's probes is their cost per event, without the
 * workload around them (whose timing a slower handler changes in other
 * ways: a waiter that sleeps later, a lock handed over later).
 *
 *   echo "rwsem N GAP_NS" >fire     N pairs contention_begin(the task's
 *       mmap_lock, READ) and contention_end(mmap_lock, 0), GAP_NS apart
 *   echo "reclaim N GAP_NS" >fire   N pairs mm_vmscan_direct_reclaim_begin
 *       (order 0, GFP_KERNEL) and mm_vmscan_direct_reclaim_end(0)
 *   cat fire                        "event=E n=N gap_ns=G ns=T"
 *
 * The tracepoints are not exported to modules: their probes are called as
 * the tracepoint's iterator calls them, with the 6.1+ prototypes above.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include "compat/lock_tp.h"
#include "compat/tracepoint.h"
#include "empty_probe.h"

typedef void (*ep_probe2_t)(void *data, unsigned long a, unsigned long b);

struct ep_fire_result {
	char event[16];
	unsigned long n;
	unsigned long gap_ns;
	u64 ns;
};

static DEFINE_MUTEX(ep_fire_mutex);
static struct ep_fire_result ep_fire_last;

/* What the tracepoint's iterator does: every probe, preemption off. */
static void ep_fire_call(struct tracepoint *tp, unsigned long a,
			 unsigned long b)
{
	struct tracepoint_func *f;

	preempt_disable_notrace();
	f = rcu_dereference_sched(tp->funcs);
	if (f)
		for (; f->func; f++)
			((ep_probe2_t)f->func)(f->data, a, b);
	preempt_enable_notrace();
}

static int ep_fire_run(struct ep_fire_result *r)
{
	struct tracepoint *begin, *end;
	unsigned long ba, bb, ea;
	unsigned long i;
	u64 t0;

	if (!strcmp(r->event, "rwsem")) {
		if (!current->mm)
			return -EINVAL;
		begin = mmstall_tracepoint_find("contention_begin");
		end = mmstall_tracepoint_find("contention_end");
		ba = (unsigned long)&current->mm->mmap_lock;
		bb = MMSTALL_LCB_F_READ;
		ea = ba;
	} else if (!strcmp(r->event, "reclaim")) {
		begin = mmstall_tracepoint_find("mm_vmscan_direct_reclaim_begin");
		end = mmstall_tracepoint_find("mm_vmscan_direct_reclaim_end");
		ba = 0;
		bb = (__force unsigned long)GFP_KERNEL;
		ea = 0;
	} else {
		return -EINVAL;
	}
	if (!begin || !end)
		return -ENOENT;
	t0 = ktime_get_ns();
	for (i = 0; i < r->n; i++) {
		ep_fire_call(begin, ba, bb);
		if (r->gap_ns)
			ndelay(r->gap_ns);
		ep_fire_call(end, ea, 0);
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	r->ns = ktime_get_ns() - t0;
	return 0;
}

static ssize_t ep_fire_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct ep_fire_result r = { };
	char buf[64];
	int err;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (sscanf(buf, "%15s %lu %lu", r.event, &r.n, &r.gap_ns) != 3 ||
	    r.gap_ns > 1000000)
		return -EINVAL;
	mutex_lock(&ep_fire_mutex);
	err = ep_fire_run(&r);
	if (!err)
		ep_fire_last = r;
	mutex_unlock(&ep_fire_mutex);
	return err ? err : count;
}

static int ep_fire_show(struct seq_file *m, void *v)
{
	mutex_lock(&ep_fire_mutex);
	seq_printf(m, "event=%s n=%lu gap_ns=%lu ns=%llu\n", ep_fire_last.event,
		   ep_fire_last.n, ep_fire_last.gap_ns, ep_fire_last.ns);
	mutex_unlock(&ep_fire_mutex);
	return 0;
}

static int ep_fire_open(struct inode *inode, struct file *file)
{
	return single_open(file, ep_fire_show, NULL);
}

static const struct file_operations ep_fire_fops = {
	.owner = THIS_MODULE,
	.open = ep_fire_open,
	.read = seq_read,
	.write = ep_fire_write,
	.llseek = seq_lseek,
	.release = single_release,
};

void ep_fire_create(struct dentry *dir)
{
	debugfs_create_file("fire", 0600, dir, NULL, &ep_fire_fops);
}
