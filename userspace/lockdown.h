/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel lockdown (Secure Boot servers): debugfs then refuses every write,
 * and the reader controls the module through its control parameter.
 */
#ifndef MMSTALL_LOCKDOWN_H
#define MMSTALL_LOCKDOWN_H

#include <stddef.h>

/* The control path that works under lockdown: the module's parameter. */
#define LOCKDOWN_CONTROL "/sys/module/mmstall/parameters/control"

/*
 * The kernel's lockdown mode into @buf ("integrity", "confidentiality"):
 * 1 when locked down, 0 when not or when the kernel has no lockdown LSM.
 * MMSTALL_LOCKDOWN_FILE overrides /sys/kernel/security/lockdown (tests).
 */
int lockdown_mode(char *buf, size_t size);

#endif /* MMSTALL_LOCKDOWN_H */
