/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory cgroup of the current task, named for memcg_reclaim: its path
 * in the cgroup hierarchy ("/jobs/a"), computed with kernfs_path(), which
 * takes kernfs_rename_lock with interrupts off: cheap enough where a reclaim
 * stall has already cost microseconds.  On PREEMPT_RT that lock sleeps and
 * probe handlers run with preemption off, so there the name is the cgroup
 * directory's inode number instead ("ino:1234": find /sys/fs/cgroup -inum).
 * Kernels before 3.15 (SUBSYS(mem_cgroup)) get no name.
 */
#ifndef _MMSTALL_COMPAT_MEMCG_H
#define _MMSTALL_COMPAT_MEMCG_H

#include <linux/cgroup.h>
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#define MMSTALL_MEMCG_PATH_SLEEPS	IS_ENABLED(CONFIG_PREEMPT_RT)

#if defined(CONFIG_MEMCG) && defined(MMSTALL_HAVE_MEMORY_CGRP_ID)
#define MMSTALL_HAVE_MEMCG_NAME	1

#ifdef MMSTALL_HAVE_CGROUP_INO
static inline unsigned long mmstall_cgroup_ino(struct cgroup *cgrp)
{
	return cgroup_ino(cgrp);
}
#else /* !MMSTALL_HAVE_CGROUP_INO */
static inline unsigned long mmstall_cgroup_ino(struct cgroup *cgrp)
{
	return cgrp->kn->ino;
}
#endif /* MMSTALL_HAVE_CGROUP_INO */

#ifdef MMSTALL_CGROUP_PATH_RETURNS_PTR
/* 3.15 to 4.4: the path, or NULL if it does not fit */
static inline bool mmstall_cgroup_path(struct cgroup *cgrp, char *buf,
				       size_t len)
{
	return cgroup_path(cgrp, buf, len) != NULL;
}
#else /* !MMSTALL_CGROUP_PATH_RETURNS_PTR: its length, or an error */
static inline bool mmstall_cgroup_path(struct cgroup *cgrp, char *buf,
				       size_t len)
{
	return cgroup_path(cgrp, buf, len) >= 0;
}
#endif /* MMSTALL_CGROUP_PATH_RETURNS_PTR */

/* Called from a probe handler: preemption is off, the task is current. */
static inline void mmstall_memcg_name(char *buf, size_t len)
{
	struct cgroup *cgrp;

	rcu_read_lock();
	cgrp = task_cgroup(current, memory_cgrp_id);
	if (MMSTALL_MEMCG_PATH_SLEEPS)
		snprintf(buf, len, "ino:%lu", mmstall_cgroup_ino(cgrp));
	else if (!mmstall_cgroup_path(cgrp, buf, len))
		buf[0] = '\0';
	rcu_read_unlock();
}
#else /* !(CONFIG_MEMCG && MMSTALL_HAVE_MEMORY_CGRP_ID) */
#define MMSTALL_HAVE_MEMCG_NAME	0

static inline void mmstall_memcg_name(char *buf, size_t len)
{
	buf[0] = '\0';
}
#endif /* CONFIG_MEMCG && MMSTALL_HAVE_MEMORY_CGRP_ID */

#endif /* _MMSTALL_COMPAT_MEMCG_H */
