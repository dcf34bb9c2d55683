/* SPDX-License-Identifier: GPL-2.0 */
/* What the report says of the running kernel: its slab allocator, preemption. */
#ifndef _MMSTALL_KERNEL_INFO_H
#define _MMSTALL_KERNEL_INFO_H

#include <linux/kconfig.h>

static inline const char *mmstall_slab_name(void)
{
	if (IS_ENABLED(CONFIG_SLAB))
		return "slab";
	if (IS_ENABLED(CONFIG_SLOB))
		return "slob";
	return "slub";
}

static inline const char *mmstall_preempt_name(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		return "rt";
	if (IS_ENABLED(CONFIG_PREEMPT_DYNAMIC))
		return "dynamic";
	if (IS_ENABLED(CONFIG_PREEMPT))
		return "full";
	if (IS_ENABLED(CONFIG_PREEMPT_VOLUNTARY))
		return "voluntary";
	return "none";
}

#endif /* _MMSTALL_KERNEL_INFO_H */
