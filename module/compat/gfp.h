/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own name of a gfp mask: the %pGg printk format, which came
 * with include/trace/events/mmflags.h in 4.5.  Older kernels get the hex.
 */
#ifndef _MMSTALL_COMPAT_GFP_H
#define _MMSTALL_COMPAT_GFP_H

#include <linux/gfp.h>
#include <linux/kernel.h>

#ifdef MMSTALL_HAVE_PRINTK_GFP
static inline void mmstall_gfp_format(char *buf, size_t len, u32 mask)
{
	gfp_t gfp = (__force gfp_t)mask;

	snprintf(buf, len, "%pGg", &gfp);
}
#else /* !MMSTALL_HAVE_PRINTK_GFP: before 4.5 */
static inline void mmstall_gfp_format(char *buf, size_t len, u32 mask)
{
	snprintf(buf, len, "%#x", mask);
}
#endif /* MMSTALL_HAVE_PRINTK_GFP */

#endif /* _MMSTALL_COMPAT_GFP_H */
