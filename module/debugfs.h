/* SPDX-License-Identifier: GPL-2.0 */
/* /sys/kernel/debug/mmstall/: snapshot, status, tasks, control. */
#ifndef _MMSTALL_DEBUGFS_H
#define _MMSTALL_DEBUGFS_H

int mmstall_debugfs_init(void);
void mmstall_debugfs_exit(void);
int mmstall_control(const char *cmd);

#endif /* _MMSTALL_DEBUGFS_H */
