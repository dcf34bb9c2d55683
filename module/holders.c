// SPDX-License-Identifier: GPL-2.0
/*
 * Holders of mmap_lock.
 *
 * When a task enters an rwsem slowpath for its mm's lock, the rwsem's
 * owner word names the writer that holds it (where the kernel records
 * one).  That task may exit at any moment, so nothing in it is
 * dereferenced: its pid, start time and names are copied with the
 * kernel's nofault helpers and checked for plausibility.  When the wait
 * ends, its time is charged to the holder's slot with atomics, since
 * many waiters charge one holder at once.
 */
#include <linux/atomic.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/threads.h>
#include <linux/vmalloc.h>
#include "compat/rwsem_owner.h"
#include "compat/sched.h"
#include "compat/uaccess.h"
#include "holders.h"
#include "notes.h"
#include "probe.h"
#include "snapshot.h"

struct mmstall_holder {
	atomic64_t waiters;
	atomic64_t ns;
	atomic64_t max_ns;
};

static struct mmstall_holder *mmstall_holders;

static bool mmstall_copy_comm(char *dst, const char *src)
{
	if (mmstall_copy_nofault(dst, src, MMSTALL_COMM_LEN))
		return false;
	dst[MMSTALL_COMM_LEN - 1] = '\0';
	return true;
}

static bool mmstall_pid_plausible(pid_t pid)
{
	return pid > 0 && pid <= PID_MAX_LIMIT;
}

/*
 * Most waits queue behind a holder that already has a slot (it made
 * syscalls or waited itself): its names are not copied again then.
 */
bool mmstall_holder_read(const void *sem, struct mmstall_holder_ref *ref)
{
	struct task_struct *t = (struct task_struct *)mmstall_rwsem_writer(sem);
	struct mmstall_task_id *id = &ref->id;
	struct task_struct *leader;

	if (!t)
		return false;
	if (mmstall_copy_nofault(&id->pid, &t->pid, sizeof(id->pid)) ||
	    mmstall_copy_nofault(&id->tgid, &t->tgid, sizeof(id->tgid)) ||
	    !mmstall_pid_plausible(id->pid) || !mmstall_pid_plausible(id->tgid))
		return false;
	id->start_ns = mmstall_task_start_ns_nofault(t);
	ref->task = mmstall_task_find(id);
	if (ref->task && READ_ONCE(ref->task->rec.tgid) == id->tgid)
		return true;
	ref->task = NULL;
	return !mmstall_copy_nofault(&leader, &t->group_leader,
				     sizeof(leader)) &&
	       mmstall_copy_comm(id->comm, t->comm) &&
	       mmstall_copy_comm(id->process, leader->comm);
}

void mmstall_holder_blocked(const struct mmstall_holder_ref *ref, u64 ns)
{
	struct mmstall_task *task = ref->task;
	struct mmstall_holder *h;
	s64 max;

	if (!task)
		task = mmstall_task_get(&ref->id);
	else if (READ_ONCE(task->rec.pid) != ref->id.pid)
		return;		/* a reset gave the slot to another task */
	if (!task)
		return;
	h = &mmstall_holders[task->rec.slot];
	atomic64_inc(&h->waiters);
	atomic64_add(ns, &h->ns);
	max = atomic64_read(&h->max_ns);
	while ((s64)ns > max) {
		s64 old = atomic64_cmpxchg(&h->max_ns, max, ns);

		if (old == max)
			break;
		max = old;
	}
}

static int mmstall_holders_init(void)
{
	mmstall_holders = vzalloc(array_size(mmstall_table.max_tasks,
					     sizeof(*mmstall_holders)));
	if (!mmstall_holders)
		return -ENOMEM;
	if (MMSTALL_RWSEM_OWNER_KNOWN)
		mmstall_note("holders", "from the rwsem owner field");
	else
		mmstall_note("holders",
			     "unavailable: this kernel records no rwsem owner");
	return 0;
}

static void mmstall_holders_exit(void)
{
	vfree(mmstall_holders);
	mmstall_holders = NULL;
}

static void mmstall_holders_reset(void)
{
	memset(mmstall_holders, 0,
	       array_size(mmstall_table.max_tasks, sizeof(*mmstall_holders)));
}

static unsigned int mmstall_holders_max(void)
{
	return mmstall_used_tasks();
}

static unsigned int mmstall_holders_fill(void *recs, unsigned int max,
					 const struct mmstall_snap_ctx *ctx)
{
	struct mmstall_holder_rec *r = recs;
	unsigned int slot, n = 0;

	for (slot = 0; slot < ctx->nr_tasks && n < max; slot++) {
		struct mmstall_holder *h = &mmstall_holders[slot];
		u64 waiters = atomic64_read(&h->waiters);

		if (!waiters || !mmstall_snap_has_task(ctx, slot))
			continue;
		r[n].task = slot;
		r[n].lock = MMSTALL_LOCK_MMAP;
		r[n].blocked_waiters = waiters;
		r[n].blocked_ns = atomic64_read(&h->ns);
		r[n].max_blocked_ns = atomic64_read(&h->max_ns);
		n++;
	}
	return n;
}

static const struct mmstall_section mmstall_holders_sections[] = {
	{
		.type = MMSTALL_SEC_HOLDERS,
		.rec_size = sizeof(struct mmstall_holder_rec),
		.max_records = mmstall_holders_max,
		.fill = mmstall_holders_fill,
	},
};

struct mmstall_family mmstall_holders_family = {
	.name = "holders",
	.init = mmstall_holders_init,
	.exit = mmstall_holders_exit,
	.reset = mmstall_holders_reset,
	.sections = mmstall_holders_sections,
	.nr_sections = ARRAY_SIZE(mmstall_holders_sections),
};
