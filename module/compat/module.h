/* SPDX-License-Identifier: GPL-2.0 */
/* Whether an address is inside this module's code. */
#ifndef _MMSTALL_COMPAT_MODULE_H
#define _MMSTALL_COMPAT_MODULE_H

#include <linux/module.h>

static inline bool mmstall_in_this_module(unsigned long addr)
{
	return within_module(addr, THIS_MODULE);
}

#endif /* _MMSTALL_COMPAT_MODULE_H */
