// SPDX-License-Identifier: GPL-2.0
/* Names of classes, locks, sites, probe kinds and states. */
#include <stdio.h>
#include <string.h>

#include "names.h"

static const char *const class_names[] = MMSTALL_CLASS_NAMES;
static const char *const lock_names[] = MMSTALL_LOCK_NAMES;
static const char *const site_names[] = MMSTALL_SITE_NAMES;
static const char *const kind_names[] = MMSTALL_KIND_NAMES;
static const char *const state_names[] = MMSTALL_STATE_NAMES;
static const char *const feature_names[] = MMSTALL_FEATURE_NAMES;
static const char *const call_names[] = MMSTALL_CALL_NAMES;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

_Static_assert(ARRAY_SIZE(class_names) == MMSTALL_NR_CLASSES,
	       "a class without a name");
_Static_assert(ARRAY_SIZE(lock_names) == MMSTALL_NR_LOCKS,
	       "a lock without a name");
_Static_assert(ARRAY_SIZE(site_names) == MMSTALL_NR_FIXED_SITES,
	       "a site without a name");
_Static_assert(ARRAY_SIZE(feature_names) ==
	       MMSTALL_FEATURE_END - MMSTALL_FEATURE_BASE,
	       "a feature without a name");
_Static_assert(ARRAY_SIZE(state_names) == MMSTALL_STATE_OFF + 1,
	       "a probe state without a name");
_Static_assert(ARRAY_SIZE(call_names) == MMSTALL_NR_CALLS,
	       "an mm call without a name");
_Static_assert(MMSTALL_NR_CLASSES <= MMSTALL_FEATURE_BASE,
	       "classes and features overlap");

static const char *lookup(const char *const *names, size_t n, unsigned int i)
{
	return i < n ? names[i] : "unknown";
}

const char *class_name(unsigned int class)
{
	if (class >= MMSTALL_FEATURE_BASE)
		return lookup(feature_names, ARRAY_SIZE(feature_names),
			      class - MMSTALL_FEATURE_BASE);
	return lookup(class_names, ARRAY_SIZE(class_names), class);
}

int class_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(class_names); i++)
		if (!strcmp(name, class_names[i]))
			return (int)i;
	return -1;
}

const char *lock_name(unsigned int lock)
{
	return lookup(lock_names, ARRAY_SIZE(lock_names), lock);
}

const char *kind_name(unsigned int kind)
{
	return lookup(kind_names, ARRAY_SIZE(kind_names), kind);
}

const char *state_name(unsigned int state)
{
	return lookup(state_names, ARRAY_SIZE(state_names), state);
}

const char *call_name(unsigned int call)
{
	return lookup(call_names, ARRAY_SIZE(call_names), call);
}

const char *gfp_name(const struct snap *snap, __u32 gfp, char *buf,
		     size_t len)
{
	const char *name = snap ? snap_gfp_name(snap, gfp) : NULL;

	if (name && name[0])
		return name;
	if (gfp == MMSTALL_GFP_OTHERS)
		return "others";
	snprintf(buf, len, "0x%x", gfp);
	return buf;
}

const char *site_name(const struct snap *snap, __u32 site, char *buf,
		      size_t len)
{
	const char *name;

	if (site < MMSTALL_NR_FIXED_SITES)
		return site_names[site];
	name = snap ? snap_dynamic_name(snap, site) : NULL;
	if (name)
		return name;
	snprintf(buf, len, "other:#%u", site);
	return buf;
}
