/* SPDX-License-Identifier: GPL-2.0 */
/* The binary snapshot read from debugfs (layout in uapi/mmstall.h). */
#ifndef _MMSTALL_SNAPSHOT_H
#define _MMSTALL_SNAPSHOT_H

#include <linux/types.h>

void *mmstall_snapshot_build(size_t *len);
void mmstall_snapshot_free(void *buf);

#endif /* _MMSTALL_SNAPSHOT_H */
