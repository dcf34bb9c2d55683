/* SPDX-License-Identifier: GPL-2.0 */
/* Whether an address is inside this module's code: within_module() from 3.19. */
#ifndef _MMSTALL_COMPAT_MODULE_H
#define _MMSTALL_COMPAT_MODULE_H

#include <linux/module.h>

#ifdef MMSTALL_HAVE_WITHIN_MODULE
static inline bool mmstall_in_this_module(unsigned long addr)
{
	return within_module(addr, THIS_MODULE);
}
#else /* !MMSTALL_HAVE_WITHIN_MODULE */
static inline bool mmstall_in_this_module(unsigned long addr)
{
	return within_module_core(addr, THIS_MODULE) ||
	       within_module_init(addr, THIS_MODULE);
}
#endif /* MMSTALL_HAVE_WITHIN_MODULE */

#endif /* _MMSTALL_COMPAT_MODULE_H */
