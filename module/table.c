// SPDX-License-Identifier: GPL-2.0
/*
 * Per-task slots and per-class stat blocks.
 *
 * A task is keyed by its pid and start time, so a reused pid gets a slot of
 * its own.  The index is an open-addressing hash at most half full, claimed
 * with cmpxchg; slots and stat blocks come from bump counters.  Only the
 * task itself writes its slot (probe handlers run in its context with
 * preemption disabled), so the counters need no atomics.  Exited tasks keep
 * their slot until reset.
 */
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/ktime.h>
#include "compat/rcu.h"
#include "compat/sched.h"
#include "events.h"
#include "table.h"

struct mmstall_index_entry {
	atomic64_t key;
	u32 slot;			/* task slot + 1, 0 = not yet published */
};

#define MMSTALL_SLOT_LOST	U32_MAX

struct mmstall_table mmstall_table;

static u64 mmstall_task_key(const struct mmstall_task_id *id)
{
	return BIT_ULL(63) | ((u64)id->pid << 32) |
	       (u32)(id->start_ns ^ (id->start_ns >> 32));
}

void mmstall_task_id_current(struct mmstall_task_id *id)
{
	struct task_struct *t = current;

	id->pid = t->pid;
	id->tgid = t->tgid;
	id->start_ns = mmstall_task_start_ns(t);
	memcpy(id->comm, t->comm, MMSTALL_COMM_LEN);
	memcpy(id->process, t->group_leader->comm, MMSTALL_COMM_LEN);
}

/*
 * The last slot each CPU found, for the next handler of the same task: a
 * system call's kprobe and the rwsem wait inside it, a slab refill after
 * another, a wait's end with nothing else between.  A hit costs a few
 * loads and no hash walk.  A task_struct reused by a new task has another
 * start time, and a reset bumps the table's generation.  Handlers in an
 * interrupt see the same current task, so they write the same entry.
 */
struct mmstall_task_cache {
	const struct task_struct *task;
	u64 start_ns;
	unsigned int gen;
	struct mmstall_task *slot;
};

static struct mmstall_task_cache __percpu *mmstall_task_cache;

size_t mmstall_table_bytes(void)
{
	struct mmstall_table *tb = &mmstall_table;

	return (sizeof(struct mmstall_index_entry) << tb->index_bits) +
	       (size_t)tb->max_tasks * sizeof(struct mmstall_task) +
	       (size_t)tb->max_stats * sizeof(struct mmstall_stat_rec);
}

int mmstall_table_init(unsigned int max_tasks)
{
	struct mmstall_table *tb = &mmstall_table;

	tb->max_tasks = max_tasks;
	tb->max_stats = 2 * max_tasks;
	tb->index_bits = ilog2(roundup_pow_of_two(2 * max_tasks));
	tb->index = vzalloc(sizeof(*tb->index) << tb->index_bits);
	tb->tasks = vzalloc(array_size(max_tasks, sizeof(*tb->tasks)));
	tb->stats = vzalloc(array_size(tb->max_stats, sizeof(*tb->stats)));
	mmstall_task_cache = alloc_percpu(struct mmstall_task_cache);
	if (!tb->index || !tb->tasks || !tb->stats || !mmstall_task_cache) {
		mmstall_table_exit();
		return -ENOMEM;
	}
	tb->window_start_ns = ktime_to_ns(ktime_get());
	return 0;
}

void mmstall_table_exit(void)
{
	struct mmstall_table *tb = &mmstall_table;

	vfree(tb->index);
	vfree(tb->tasks);
	vfree(tb->stats);
	free_percpu(mmstall_task_cache);
	mmstall_task_cache = NULL;
	tb->index = NULL;
	tb->tasks = NULL;
	tb->stats = NULL;
}

/*
 * Stop and restart recording.  Handlers check the pause flag first; once
 * every handler that started before it was set has finished, nothing
 * writes the tables.  Called with the control mutex held.
 */
void mmstall_pause(void)
{
	atomic_set(&mmstall_table.paused, 1);
	mmstall_wait_for_handlers();
}

void mmstall_resume(void)
{
	/* the cleared tables are visible before handlers may write again */
	smp_wmb();
	atomic_set(&mmstall_table.paused, 0);
}

/* Empty the table; recording is paused. */
void mmstall_table_clear(void)
{
	struct mmstall_table *tb = &mmstall_table;

	memset(tb->index, 0, sizeof(*tb->index) << tb->index_bits);
	memset(tb->tasks, 0, array_size(tb->max_tasks, sizeof(*tb->tasks)));
	memset(tb->stats, 0, array_size(tb->max_stats, sizeof(*tb->stats)));
	atomic_set(&tb->used_tasks, 0);
	atomic_set(&tb->used_stats, 0);
	atomic64_set(&tb->lost_task_slots, 0);
	atomic64_set(&tb->lost_stat_blocks, 0);
	/* drops every CPU's cached slot (mmstall_current_lookup()) */
	WRITE_ONCE(tb->gen, tb->gen + 1);
	tb->window_start_ns = ktime_to_ns(ktime_get());
}

static void mmstall_task_fill_comm(struct mmstall_task_rec *rec,
				   const struct mmstall_task_id *id)
{
	memcpy(rec->comm, id->comm, MMSTALL_COMM_LEN);
	rec->comm[MMSTALL_COMM_LEN - 1] = '\0';
	memcpy(rec->process, id->process, MMSTALL_COMM_LEN);
	rec->process[MMSTALL_COMM_LEN - 1] = '\0';
}

static struct mmstall_task *mmstall_task_new(struct mmstall_index_entry *e,
					     const struct mmstall_task_id *id)
{
	struct mmstall_table *tb = &mmstall_table;
	struct mmstall_task *task;
	unsigned int n;

	n = atomic_inc_return(&tb->used_tasks) - 1;
	if (n >= tb->max_tasks) {
		WRITE_ONCE(e->slot, MMSTALL_SLOT_LOST);
		return NULL;
	}
	task = &tb->tasks[n];
	task->rec.slot = n;
	task->rec.pid = id->pid;
	task->rec.tgid = id->tgid;
	mmstall_task_fill_comm(&task->rec, id);
	/* publish the filled slot to snapshots */
	smp_store_release(&task->rec.flags, MMSTALL_TASK_VALID);
	/* publish the filled slot to lookups */
	smp_store_release(&e->slot, n + 1);
	return task;
}

/*
 * The slot of task @id.  With @claim, an absent task gets a slot on first
 * use; NULL then means the table is full (counted as lost), or another CPU
 * is still filling the slot in.  Without, NULL means it has none.
 */
static struct mmstall_task *mmstall_task_lookup(const struct mmstall_task_id *id,
						bool claim)
{
	struct mmstall_table *tb = &mmstall_table;
	u64 key = mmstall_task_key(id);
	unsigned int mask = (1U << tb->index_bits) - 1;
	unsigned int i = hash_64(key, tb->index_bits);
	unsigned int probes;

	for (probes = 0; probes <= mask; probes++, i = (i + 1) & mask) {
		struct mmstall_index_entry *e = &tb->index[i];
		u64 cur = atomic64_read(&e->key);
		u32 slot;

		if (cur == 0) {
			if (!claim)
				return NULL;
			if (atomic_read(&tb->used_tasks) >= tb->max_tasks)
				break;
			cur = atomic64_cmpxchg(&e->key, 0, key);
			if (cur == 0)
				return mmstall_task_new(e, id);
		}
		if (cur != key)
			continue;
		/* pairs with mmstall_task_new(): slot filled */
		slot = smp_load_acquire(&e->slot);
		if (slot == 0 || slot == MMSTALL_SLOT_LOST)
			break;
		return &tb->tasks[slot - 1];
	}
	if (claim)
		atomic64_inc(&tb->lost_task_slots);
	return NULL;
}

struct mmstall_task *mmstall_task_get(const struct mmstall_task_id *id)
{
	return mmstall_task_lookup(id, true);
}

/* The slot of task @id (pid and start time) if it has one; never claims. */
struct mmstall_task *mmstall_task_find(const struct mmstall_task_id *id)
{
	return mmstall_task_lookup(id, false);
}

static struct mmstall_task *mmstall_current_lookup(bool claim)
{
	/* handlers run with preemption disabled */
	struct mmstall_task_cache *c = this_cpu_ptr(mmstall_task_cache);
	struct task_struct *t = current;
	struct mmstall_task_id id = {
		.pid = t->pid,
		.start_ns = mmstall_task_start_ns(t),
	};
	struct mmstall_task *task;
	unsigned int gen;

	/* pairs with the smp_wmb() in mmstall_resume(): the new generation */
	smp_rmb();
	gen = READ_ONCE(mmstall_table.gen);
	if (c->task == t && c->start_ns == id.start_ns && c->gen == gen)
		return c->slot;
	task = mmstall_task_find(&id);
	if (!task && claim) {
		mmstall_task_id_current(&id);
		task = mmstall_task_get(&id);
	}
	if (task) {
		c->task = t;
		c->start_ns = id.start_ns;
		c->gen = gen;
		c->slot = task;
	}
	return task;
}

/* The current task's slot if it has one; never claims a slot. */
struct mmstall_task *mmstall_current_task_find(void)
{
	return mmstall_current_lookup(false);
}

/*
 * The current task's slot, claimed on first use.  Its names are compared
 * in place: a thread may rename itself, or exec, after its slot was made.
 */
struct mmstall_task *mmstall_current_task(void)
{
	struct task_struct *t = current;
	struct mmstall_task *task = mmstall_current_lookup(true);
	struct mmstall_task_id id;

	if (task && unlikely(memcmp(task->rec.comm, t->comm,
				    MMSTALL_COMM_LEN - 1) ||
			     memcmp(task->rec.process, t->group_leader->comm,
				    MMSTALL_COMM_LEN - 1))) {
		mmstall_task_id_current(&id);
		mmstall_task_fill_comm(&task->rec, &id);
	}
	return task;
}

struct mmstall_stat_rec *mmstall_task_stat(struct mmstall_task *task,
					   enum mmstall_class class)
{
	struct mmstall_table *tb = &mmstall_table;
	struct mmstall_stat_rec *st;
	unsigned int n;

	if (likely(task->stat[class]))
		return &tb->stats[task->stat[class] - 1];
	if (atomic_read(&tb->used_stats) >= tb->max_stats)
		goto lost;
	n = atomic_inc_return(&tb->used_stats) - 1;
	if (n >= tb->max_stats)
		goto lost;
	st = &tb->stats[n];
	st->task = task->rec.slot;
	st->class = class;
	task->stat[class] = n + 1;
	return st;
lost:
	atomic64_inc(&tb->lost_stat_blocks);
	return NULL;
}

static struct mmstall_site_count *
mmstall_stat_site(struct mmstall_stat_rec *st, unsigned int site)
{
	struct mmstall_site_count *sc = st->sites;
	unsigned int i;

	for (i = 0; i < MMSTALL_SITES_PER_STAT - 1; i++) {
		if (sc[i].site == site)
			return &sc[i];
		if (sc[i].site == MMSTALL_SITE_NONE) {
			sc[i].site = site;
			return &sc[i];
		}
	}
	sc[i].site = MMSTALL_SITE_MORE;
	return &sc[i];
}

void mmstall_stat_add(struct mmstall_stat_rec *st, u64 ns,
		      unsigned int lock, unsigned int site)
{
	struct mmstall_site_count *sc = mmstall_stat_site(st, site);

	st->total_ns += ns;
	if (ns > st->max_ns)
		st->max_ns = ns;
	st->hist[mmstall_hist_bucket(ns)]++;
	st->locks[lock].count++;
	st->locks[lock].total_ns += ns;
	sc->count++;
	sc->total_ns += ns;
	/* count last: a reader that sees it sees a complete wait */
	smp_store_release(&st->count, st->count + 1);
	mmstall_event_check(st->class, ns, lock, site);
}
