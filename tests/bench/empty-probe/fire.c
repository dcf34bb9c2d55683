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
 *   cat fire    "event=E n=N gap_ns=G batch=B ns=T base_ns=T0 med_diff_ns=D"
 *
 * The events go in batches of B, each paired with the same loop without
 * calling the probes (before or after it, in turn): ns and base_ns are the sums of the two kinds, D the
 * median over the pairs of (batch with - batch without).  So (T - T0) / N
 * is the probes' cost per event, and D / B the same from the pairs that
 * nothing else disturbed.
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
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include "compat/lock_tp.h"
#include "compat/tracepoint.h"
#include "empty_probe.h"

typedef void (*ep_probe2_t)(void *data, unsigned long a, unsigned long b);

#define EP_FIRE_BATCH	100	/* events per timed batch */

struct ep_fire_result {
	char event[16];
	unsigned long n;
	unsigned long gap_ns;
	u64 ns;			/* batches that called the probes */
	u64 base_ns;		/* the same batches without the calls */
	s64 med_diff_ns;	/* median over pairs of whole batches */
};

struct ep_fire_pair {
	struct tracepoint *begin, *end;
	unsigned long ba, bb, ea;
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

/* One batch of @n events, the probes called or not; its ns, or 0. */
static u64 ep_fire_batch(const struct ep_fire_pair *tp, unsigned long n,
			 unsigned long gap_ns, bool call)
{
	u64 t0 = ktime_get_ns();
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (call)
			ep_fire_call(tp->begin, tp->ba, tp->bb);
		if (gap_ns)
			ndelay(gap_ns);
		if (call)
			ep_fire_call(tp->end, tp->ea, 0);
	}
	return ktime_get_ns() - t0;
}

static int ep_fire_pair_of(const char *event, struct ep_fire_pair *tp)
{
	if (!strcmp(event, "rwsem")) {
		if (!current->mm)
			return -EINVAL;
		tp->begin = mmstall_tracepoint_find("contention_begin");
		tp->end = mmstall_tracepoint_find("contention_end");
		tp->ba = (unsigned long)&current->mm->mmap_lock;
		tp->bb = MMSTALL_LCB_F_READ;
		tp->ea = tp->ba;
	} else if (!strcmp(event, "reclaim")) {
		tp->begin = mmstall_tracepoint_find("mm_vmscan_direct_reclaim_begin");
		tp->end = mmstall_tracepoint_find("mm_vmscan_direct_reclaim_end");
		tp->ba = 0;
		tp->bb = (__force unsigned long)GFP_KERNEL;
		tp->ea = 0;
	} else {
		return -EINVAL;
	}
	return tp->begin && tp->end ? 0 : -ENOENT;
}

static int ep_fire_cmp(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Batches with and without the calls alternate, so that what slows the
 * whole machine (a busy host under emulation) slows both alike; the
 * median of the pairs' differences leaves out the pairs it hit.
 */
static int ep_fire_run(struct ep_fire_result *r)
{
	unsigned long done, k, pairs = 0;
	struct ep_fire_pair tp;
	s64 *diff;
	u64 ns, base;
	int err;

	err = ep_fire_pair_of(r->event, &tp);
	if (err)
		return err;
	diff = kvmalloc_array(r->n / EP_FIRE_BATCH + 1, sizeof(*diff),
			      GFP_KERNEL);
	if (!diff)
		return -ENOMEM;
	for (done = 0; done < r->n; done += k) {
		k = min_t(unsigned long, EP_FIRE_BATCH, r->n - done);
		/* which comes first alternates from one pair to the next */
		if (pairs & 1) {
			base = ep_fire_batch(&tp, k, r->gap_ns, false);
			ns = ep_fire_batch(&tp, k, r->gap_ns, true);
		} else {
			ns = ep_fire_batch(&tp, k, r->gap_ns, true);
			base = ep_fire_batch(&tp, k, r->gap_ns, false);
		}
		r->ns += ns;
		r->base_ns += base;
		if (k == EP_FIRE_BATCH)
			diff[pairs++] = (s64)(ns - base);
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		cond_resched();
	}
	if (!err && pairs) {
		sort(diff, pairs, sizeof(*diff), ep_fire_cmp, NULL);
		r->med_diff_ns = diff[pairs / 2];
	}
	kvfree(diff);
	return err;
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
	seq_printf(m, "event=%s n=%lu gap_ns=%lu batch=%d ns=%llu base_ns=%llu med_diff_ns=%lld\n",
		   ep_fire_last.event, ep_fire_last.n, ep_fire_last.gap_ns,
		   EP_FIRE_BATCH, ep_fire_last.ns, ep_fire_last.base_ns,
		   ep_fire_last.med_diff_ns);
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
