/* SPDX-License-Identifier: GPL-2.0 */
/* The binary snapshot read from debugfs (layout in uapi/mmstall.h). */
#ifndef _MMSTALL_SNAPSHOT_H
#define _MMSTALL_SNAPSHOT_H

#include <linux/types.h>

#include "../uapi/mmstall.h"

/* What family sections see of the snapshot being built. */
struct mmstall_snap_ctx {
	const struct mmstall_task_rec *tasks;	/* as copied */
	unsigned int nr_tasks;
};

/* Whether a record of task slot @slot may go into the snapshot. */
static inline bool mmstall_snap_has_task(const struct mmstall_snap_ctx *ctx,
					 u32 slot)
{
	return slot < ctx->nr_tasks &&
	       (ctx->tasks[slot].flags & MMSTALL_TASK_VALID);
}

void *mmstall_snapshot_build(size_t *len);
void mmstall_snapshot_free(void *buf);

#endif /* _MMSTALL_SNAPSHOT_H */
