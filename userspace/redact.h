/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel addresses never leave the reader.  The module exports none, but a
 * string it copies from the kernel (a symbol it could not name, a cgroup
 * path, a thread name chosen to look like one) might hold one, and a
 * report is meant to be attached to public bug trackers.
 */
#ifndef MMSTALL_REDACT_H
#define MMSTALL_REDACT_H

#define REDACTED_ADDR	"[addr]"

/*
 * In the NUL-terminated @s, replace every run of 12 or more hex digits
 * that starts with "ffff" (as a kernel address prints in hex, with its
 * "0x" if any) by REDACTED_ADDR.  Returns how many it replaced.
 */
unsigned int redact_kernel_addresses(char *s);

#endif /* MMSTALL_REDACT_H */
