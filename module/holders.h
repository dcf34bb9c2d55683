/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Holders: the writer that owned mmap_lock when a task started to wait on
 * it, and how long its waiters waited.
 */
#ifndef _MMSTALL_HOLDERS_H
#define _MMSTALL_HOLDERS_H

#include <linux/types.h>
#include "table.h"

/* Reads the write owner of @sem into @id; false if none or unreadable. */
bool mmstall_holder_read(const void *sem, struct mmstall_task_id *id);

/* Charges a wait of @ns to holder @id. */
void mmstall_holder_blocked(const struct mmstall_task_id *id, u64 ns);

extern struct mmstall_family mmstall_holders_family;

#endif /* _MMSTALL_HOLDERS_H */
