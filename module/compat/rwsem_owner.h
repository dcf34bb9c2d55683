/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The writer that owns an rwsem, as the kernel records it: an
 * atomic_long_t with flag bits below the task pointer from 5.3 (and RHEL
 * 8.3), a plain task pointer before with CONFIG_RWSEM_SPIN_ON_OWNER, and
 * nothing at all on PREEMPT_RT or older kernels.
 */
#ifndef _MMSTALL_COMPAT_RWSEM_OWNER_H
#define _MMSTALL_COMPAT_RWSEM_OWNER_H

#include <linux/rwsem.h>

/* The low bits of the owner word are flags (reader-owned, ...). */
#define MMSTALL_RWSEM_OWNER_FLAGS	0x7UL
#define MMSTALL_RWSEM_READER_OWNED	0x1UL

#if defined(MMSTALL_HAVE_RWSEM_ATOMIC_OWNER) && !defined(CONFIG_PREEMPT_RT)
#define MMSTALL_RWSEM_OWNER_KNOWN	1
static inline unsigned long mmstall_rwsem_writer(const void *sem)
{
	const struct rw_semaphore *s = sem;
	unsigned long owner = atomic_long_read(&s->owner);

	if (owner & MMSTALL_RWSEM_READER_OWNED)
		return 0;
	return owner & ~MMSTALL_RWSEM_OWNER_FLAGS;
}
#elif defined(MMSTALL_HAVE_RWSEM_TASK_OWNER) && \
	defined(CONFIG_RWSEM_SPIN_ON_OWNER) /* 4.x with an owner pointer */
#define MMSTALL_RWSEM_OWNER_KNOWN	1
static inline unsigned long mmstall_rwsem_writer(const void *sem)
{
	const struct rw_semaphore *s = sem;
	unsigned long owner = (unsigned long)READ_ONCE(s->owner);

	if (owner & MMSTALL_RWSEM_READER_OWNED)
		return 0;
	return owner & ~MMSTALL_RWSEM_OWNER_FLAGS;
}
#else /* no owner recorded */
#define MMSTALL_RWSEM_OWNER_KNOWN	0
static inline unsigned long mmstall_rwsem_writer(const void *sem)
{
	return 0;
}
#endif /* MMSTALL_HAVE_RWSEM_ATOMIC_OWNER */

#endif /* _MMSTALL_COMPAT_RWSEM_OWNER_H */
