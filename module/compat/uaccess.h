/* SPDX-License-Identifier: GPL-2.0 */
/* Copying kernel memory that may be gone: copy_from_kernel_nofault() from 5.8. */
#ifndef _MMSTALL_COMPAT_UACCESS_H
#define _MMSTALL_COMPAT_UACCESS_H

#include <linux/uaccess.h>

#ifdef MMSTALL_HAVE_COPY_FROM_KERNEL_NOFAULT
static inline long mmstall_copy_nofault(void *dst, const void *src,
					size_t size)
{
	return copy_from_kernel_nofault(dst, src, size);
}
#else /* !MMSTALL_HAVE_COPY_FROM_KERNEL_NOFAULT */
static inline long mmstall_copy_nofault(void *dst, const void *src,
					size_t size)
{
	return probe_kernel_read(dst, (void *)src, size);	/* 2.6.32: not const */
}
#endif /* MMSTALL_HAVE_COPY_FROM_KERNEL_NOFAULT */

#endif /* _MMSTALL_COMPAT_UACCESS_H */
