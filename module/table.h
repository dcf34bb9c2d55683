/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-task slots and per-class stat blocks, all preallocated at load.
 * The hot path finds the current task's slot with a lock-free hash and
 * updates only its own slot: no lock, no allocation.
 */
#ifndef _MMSTALL_TABLE_H
#define _MMSTALL_TABLE_H

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/types.h>
#include "../uapi/mmstall.h"

struct mmstall_task {
	struct mmstall_task_rec rec;
	u32 stat[MMSTALL_NR_CLASSES];	/* stat block + 1, 0 = none yet */
};

struct mmstall_table {
	unsigned int max_tasks;
	unsigned int max_stats;
	unsigned int index_bits;
	atomic_t used_tasks;
	atomic_t used_stats;
	atomic_t paused;		/* set while reset clears the table */
	unsigned int gen;		/* bumped by each reset */
	struct mmstall_index_entry *index;
	struct mmstall_task *tasks;
	struct mmstall_stat_rec *stats;
	atomic64_t lost_task_slots;
	atomic64_t lost_stat_blocks;
	u64 window_start_ns;
};

extern struct mmstall_table mmstall_table;

/* Who a task is: enough to key its slot and fill it in. */
struct mmstall_task_id {
	pid_t pid;
	pid_t tgid;
	u64 start_ns;
	char comm[MMSTALL_COMM_LEN];
	char process[MMSTALL_COMM_LEN];
};

int mmstall_table_init(unsigned int max_tasks);
void mmstall_table_exit(void);
void mmstall_pause(void);
void mmstall_resume(void);
void mmstall_table_clear(void);
void mmstall_task_id_current(struct mmstall_task_id *id);
struct mmstall_task *mmstall_task_get(const struct mmstall_task_id *id);
struct mmstall_task *mmstall_current_task(void);
struct mmstall_task *mmstall_current_task_find(void);
struct mmstall_task *mmstall_task_find(const struct mmstall_task_id *id);
size_t mmstall_table_bytes(void);

static inline bool mmstall_paused(void)
{
	return atomic_read(&mmstall_table.paused);
}

/* @task's stat block for @class, or NULL (counted as lost). */
struct mmstall_stat_rec *mmstall_task_stat(struct mmstall_task *task,
					   enum mmstall_class class);

/* The current task's stat block for @class, or NULL (counted as lost). */
static inline struct mmstall_stat_rec *
mmstall_current_stat(enum mmstall_class class)
{
	struct mmstall_task *task = mmstall_current_task();

	return task ? mmstall_task_stat(task, class) : NULL;
}

void mmstall_stat_add(struct mmstall_stat_rec *st, u64 ns,
		      unsigned int lock, unsigned int site);

static inline unsigned int mmstall_used_tasks(void)
{
	return min_t(unsigned int, atomic_read(&mmstall_table.used_tasks),
		     mmstall_table.max_tasks);
}

static inline unsigned int mmstall_used_stats(void)
{
	return min_t(unsigned int, atomic_read(&mmstall_table.used_stats),
		     mmstall_table.max_stats);
}

#endif /* _MMSTALL_TABLE_H */
