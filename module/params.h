/* SPDX-License-Identifier: GPL-2.0 */
/* Module parameters, validated when they are set (see main.c). */
#ifndef _MMSTALL_PARAMS_H
#define _MMSTALL_PARAMS_H

extern unsigned int mmstall_max_tasks;
extern unsigned int mmstall_maxactive;
extern unsigned long mmstall_stack_threshold_ns;
extern bool mmstall_kretprobes;
extern bool mmstall_return_sites;

#endif /* _MMSTALL_PARAMS_H */
