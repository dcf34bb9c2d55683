/* SPDX-License-Identifier: GPL-2.0 */
/* Naming the call site of a wait: a stack walk for slow waits only. */
#ifndef _MMSTALL_SITE_H
#define _MMSTALL_SITE_H

#include <linux/types.h>

void mmstall_site_init(void);
unsigned int mmstall_site_of_current(u64 wait_ns);

#endif /* _MMSTALL_SITE_H */
