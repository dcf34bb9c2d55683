/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dynamic site names ("other:<function>", slab cache names): a fixed table
 * filled lock-free on slow paths; ids start at MMSTALL_SITE_DYNAMIC.
 */
#ifndef _MMSTALL_NAMES_H
#define _MMSTALL_NAMES_H

#include "../uapi/mmstall.h"

#define MMSTALL_MAX_NAMES	256

struct mmstall_name {
	int ready;
	char name[MMSTALL_NAME_LEN];
};

unsigned int mmstall_name_id(const char *name);
unsigned int mmstall_names_count(void);
const char *mmstall_name_at(unsigned int i);
u64 mmstall_names_lost(void);

#endif /* _MMSTALL_NAMES_H */
