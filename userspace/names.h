/* SPDX-License-Identifier: GPL-2.0 */
/* Names of classes, locks, sites, probe kinds and states. */
#ifndef MMSTALL_NAMES_H
#define MMSTALL_NAMES_H

#include <stddef.h>
#include "snapshot.h"

/* A stall class, or the feature a probe record names (see uapi). */
const char *class_name(unsigned int class);
/* The stall class called @name, or -1. */
int class_by_name(const char *name);
const char *lock_name(unsigned int lock);
const char *kind_name(unsigned int kind);
const char *state_name(unsigned int state);
/* "mmap", "munmap", ...: enum mmstall_mm_call */
const char *call_name(unsigned int call);
/* The kernel's name of gfp mask @gfp from the snapshot, else "0x..." */
const char *gfp_name(const struct snap *snap, __u32 gfp, char *buf,
		     size_t len);
/*
 * The name of call site @site: fixed names from the uapi header, dynamic
 * ones from the snapshot, "other:#<id>" for a dynamic id it does not name.
 */
const char *site_name(const struct snap *snap, __u32 site, char *buf,
		      size_t len);

#endif /* MMSTALL_NAMES_H */
