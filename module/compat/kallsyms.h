/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kallsyms_lookup_name() is exported from 2.6.33 to 5.6 and not after;
 * everywhere a kprobe registered on it tells its address (register_kprobe
 * resolves the name itself).  With IBT (6.2+) a kprobe on a function that
 * starts with ENDBR64 sits after it; the call must go to the ENDBR64.
 */
#ifndef _MMSTALL_COMPAT_KALLSYMS_H
#define _MMSTALL_COMPAT_KALLSYMS_H

#include <linux/kprobes.h>
#include <linux/string.h>
#include "uaccess.h"

typedef unsigned long (*mmstall_kallsyms_fn)(const char *name);

/* The address of kallsyms_lookup_name(), or NULL. */
static inline mmstall_kallsyms_fn mmstall_kallsyms_resolve(void)
{
	static const u8 endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;
	u8 before[4];

	if (register_kprobe(&kp))
		return NULL;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	if (!mmstall_copy_nofault(before, (void *)(addr - sizeof(before)),
				  sizeof(before)) &&
	    !memcmp(before, endbr64, sizeof(before)))
		addr -= sizeof(before);
	return (mmstall_kallsyms_fn)addr;
}

#endif /* _MMSTALL_COMPAT_KALLSYMS_H */
