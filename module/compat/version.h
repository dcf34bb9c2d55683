/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The oldest kernel mmstall supports.  Keep in step with
 * BUILD_EXCLUSIVE_KERNEL in dkms/dkms.conf.
 */
#ifndef _MMSTALL_COMPAT_VERSION_H
#define _MMSTALL_COMPAT_VERSION_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 32)
#error "mmstall needs Linux 2.6.32 or later"
#endif /* LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 32) */

#endif /* _MMSTALL_COMPAT_VERSION_H */
