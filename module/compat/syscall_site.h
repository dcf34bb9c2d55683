/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The call site of a wait, from the system call the task is in (or the
 * user page fault it takes): the cheap classification used for fast waits
 * that get no stack walk.  Syscall
 * numbers differ per architecture and some do not exist everywhere.
 */
#ifndef _MMSTALL_COMPAT_SYSCALL_SITE_H
#define _MMSTALL_COMPAT_SYSCALL_SITE_H

#include <linux/sched.h>
#ifdef MMSTALL_HAVE_SCHED_TASK_STACK_H
#include <linux/sched/task_stack.h>
#endif /* MMSTALL_HAVE_SCHED_TASK_STACK_H */
#include <linux/unistd.h>
#include <asm/syscall.h>
#include "../uapi/mmstall.h"

static inline unsigned int mmstall_site_of_syscall(long nr)
{
	switch (nr) {
	case __NR_munmap:
		return MMSTALL_SITE_MUNMAP;
#ifdef __NR_mmap
	case __NR_mmap:
#endif /* __NR_mmap */
#ifdef __NR_mmap2
	case __NR_mmap2:
#endif /* __NR_mmap2 */
		return MMSTALL_SITE_MMAP;
	case __NR_mremap:
		return MMSTALL_SITE_MREMAP;
	case __NR_mprotect:
#ifdef __NR_pkey_mprotect
	case __NR_pkey_mprotect:
#endif /* __NR_pkey_mprotect */
		return MMSTALL_SITE_MPROTECT;
	case __NR_madvise:
#ifdef __NR_process_madvise
	case __NR_process_madvise:
#endif /* __NR_process_madvise */
		return MMSTALL_SITE_MADVISE;
	case __NR_brk:
		return MMSTALL_SITE_BRK;
	case __NR_exit:
	case __NR_exit_group:
		return MMSTALL_SITE_EXIT;
	case __NR_clone:
#ifdef __NR_fork
	case __NR_fork:
#endif /* __NR_fork */
#ifdef __NR_vfork
	case __NR_vfork:
#endif /* __NR_vfork */
#ifdef __NR_clone3
	case __NR_clone3:
#endif /* __NR_clone3 */
		return MMSTALL_SITE_FORK;
	}
	return MMSTALL_SITE_UNKNOWN;
}

/*
 * A task not in a system call entered the kernel by an exception or an
 * interrupt: the entry code marks that with syscall number -1 (x86 sets
 * orig_ax to -1 once it has read a page fault's error code; arm64 uses
 * NO_SYSCALL).  Of those, only a page fault takes mmap_lock, save rare
 * return-to-user work such as NUMA balancing.
 */
static inline unsigned int mmstall_site_of_current_syscall(void)
{
	struct task_struct *t = current;
	long nr;

	if (t->flags & PF_KTHREAD)
		return MMSTALL_SITE_UNKNOWN;
	nr = syscall_get_nr(t, task_pt_regs(t));
	if (nr == -1)
		return MMSTALL_SITE_PAGE_FAULT;
	return mmstall_site_of_syscall(nr);
}

#endif /* _MMSTALL_COMPAT_SYSCALL_SITE_H */
