/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Holders: the writer that owned mmap_lock when a task started to wait on
 * it, and how long its waiters waited.
 */
#ifndef _MMSTALL_HOLDERS_H
#define _MMSTALL_HOLDERS_H

#include <linux/types.h>
#include "table.h"

/*
 * A holder as read when a wait starts: its slot if it had one already
 * (then only its pid, tgid and start time were copied), else its id with
 * the names a new slot needs.
 */
struct mmstall_holder_ref {
	struct mmstall_task *task;
	struct mmstall_task_id id;
};

/* Reads the write owner of @sem into @ref; false if none or unreadable. */
bool mmstall_holder_read(const void *sem, struct mmstall_holder_ref *ref);

/* Charges a wait of @ns to the holder @ref names. */
void mmstall_holder_blocked(const struct mmstall_holder_ref *ref, u64 ns);

extern struct mmstall_family mmstall_holders_family;

#endif /* _MMSTALL_HOLDERS_H */
