/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel helpers that older kernels lack (or declare differently), under
 * their own names, so that the .c files read as for a current kernel.
 * Kbuild includes this header first in every file (-include) and says,
 * from the target tree's headers, which ones are needed:
 *   array_size()        linux/overflow.h, 4.18 (RHEL 7.9 has the header,
 *                       but nothing includes it)
 *   strscpy()           4.3; declared __must_check up to 4.x, which warns
 *                       where a truncated copy is fine: called through a
 *                       plain inline there
 *   smp_load_acquire(), smp_store_release()   3.14
 *   sprint_symbol_no_offset()                 3.4
 *   module_param_cb(), struct kernel_param_ops 2.6.36
 *   MODULE_PARM_DESC()  in linux/module.h before 2.6.36, not moduleparam.h
 *   READ_ONCE()         RHEL 6's cannot read a const object
 *   hash_ptr()          takes a const pointer from 3.x
 *   __verify_pcpu_ptr() RHEL 6 backported this_cpu_inc_return() without it
 */
#ifndef _MMSTALL_COMPAT_MISSING_H
#define _MMSTALL_COMPAT_MISSING_H

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

#ifdef MMSTALL_HAVE_OVERFLOW_H
#include <linux/overflow.h>
#endif /* MMSTALL_HAVE_OVERFLOW_H */

#ifndef SIZE_MAX
#define SIZE_MAX	(~(size_t)0)
#endif /* SIZE_MAX */

#ifndef MMSTALL_HAVE_ARRAY_SIZE
/* a * b, or SIZE_MAX if that overflows (an allocation then fails) */
static inline size_t array_size(size_t a, size_t b)
{
	if (b && a > SIZE_MAX / b)
		return SIZE_MAX;
	return a * b;
}
#endif /* MMSTALL_HAVE_ARRAY_SIZE */

#ifndef MMSTALL_HAVE_STRSCPY
/* Copies a NUL-terminated string; -E2BIG if it had to be truncated. */
static inline ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t len;

	if (!size)
		return -E2BIG;
	len = strnlen(src, size);
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}
#endif /* MMSTALL_HAVE_STRSCPY */

#ifdef MMSTALL_STRSCPY_MUST_CHECK
static inline ssize_t mmstall_strscpy(char *dst, const char *src, size_t size)
{
	return strscpy(dst, src, size);
}

#define strscpy(dst, src, size)	mmstall_strscpy(dst, src, size)
#endif /* MMSTALL_STRSCPY_MUST_CHECK */

#ifdef MMSTALL_READ_ONCE_NOT_CONST
#undef READ_ONCE
#define READ_ONCE(x)	ACCESS_ONCE(x)
#endif /* MMSTALL_READ_ONCE_NOT_CONST */

#ifndef MMSTALL_HAVE_SMP_ACQUIRE
#include <asm/system.h>	/* smp_mb() */
/* A full barrier orders the store after all earlier accesses. */
#define smp_store_release(p, v)						\
	do {								\
		/* earlier accesses before the store */			\
		smp_mb();						\
		WRITE_ONCE(*(p), (v));					\
	} while (0)
/* A full barrier orders the load before all later accesses. */
#define smp_load_acquire(p)						\
	({								\
		typeof(*(p)) ___v = READ_ONCE(*(p));			\
		/* the load before later accesses */			\
		smp_mb();						\
		___v;							\
	})
#endif /* MMSTALL_HAVE_SMP_ACQUIRE */

#ifdef MMSTALL_NEED_VERIFY_PCPU_PTR
#define __verify_pcpu_ptr(ptr)	do { } while (0)
#endif /* MMSTALL_NEED_VERIFY_PCPU_PTR */

#ifdef MMSTALL_HASH_PTR_NOT_CONST
#include <linux/hash.h>
#define hash_ptr(ptr, bits)	hash_ptr((void *)(ptr), bits)
#endif /* MMSTALL_HASH_PTR_NOT_CONST */

#ifndef MMSTALL_HAVE_SPRINT_SYMBOL_NO_OFFSET
#include <linux/kallsyms.h>
/* "function [module]" without the "+0x12/0x40" */
static inline int sprint_symbol_no_offset(char *buf, unsigned long addr)
{
	char *plus;

	sprint_symbol(buf, addr);
	plus = strchr(buf, '+');
	if (plus)
		*plus = '\0';
	return strlen(buf);
}
#endif /* MMSTALL_HAVE_SPRINT_SYMBOL_NO_OFFSET */

#ifdef MMSTALL_MODULEPARAM_NO_DESC
#include <linux/module.h>
#endif /* MMSTALL_MODULEPARAM_NO_DESC */

#ifndef MMSTALL_HAVE_PARAM_OPS
#include <linux/moduleparam.h>
/* 2.6.32: module_param_call() with a setter and a getter */
struct kernel_param_ops {
	int (*set)(const char *val, const struct kernel_param *kp);
	int (*get)(char *buffer, struct kernel_param *kp);
};

#define module_param_cb(name, ops, arg, perm)				\
	static int mmstall_param_set_##name(const char *val,		\
					    struct kernel_param *kp)	\
	{								\
		return (ops)->set(val, kp);				\
	}								\
	static int mmstall_param_get_##name(char *buffer,		\
					    struct kernel_param *kp)	\
	{								\
		/* NULL: write-only, as params.c says from 2.6.36 */	\
		return (ops)->get ? (ops)->get(buffer, kp) : -EPERM;	\
	}								\
	module_param_call(name, mmstall_param_set_##name,		\
			  mmstall_param_get_##name, arg, perm)
#endif /* MMSTALL_HAVE_PARAM_OPS */

#endif /* _MMSTALL_COMPAT_MISSING_H */
