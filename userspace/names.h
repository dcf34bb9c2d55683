/* SPDX-License-Identifier: GPL-2.0 */
/* Names of classes, locks, sites, probe kinds and states. */
#ifndef MMSTALL_NAMES_H
#define MMSTALL_NAMES_H

#include <stddef.h>
#include "snapshot.h"

const char *class_name(unsigned int class);
/* The class called @name, or -1. */
int class_by_name(const char *name);
const char *lock_name(unsigned int lock);
const char *kind_name(unsigned int kind);
const char *state_name(unsigned int state);
/*
 * The name of call site @site: fixed names from the uapi header, dynamic
 * ones from the snapshot, "other:#<id>" for a dynamic id it does not name.
 */
const char *site_name(const struct snap *snap, __u32 site, char *buf,
		      size_t len);

#endif /* MMSTALL_NAMES_H */
