// SPDX-License-Identifier: GPL-2.0
/*
 * Dynamic site names.  Only slow paths add or look up names (a wait that
 * already got a stack walk), so a linear scan is fine; entries are claimed
 * with an atomic counter and published with a release store, no lock.  Two
 * CPUs adding the same name at once may both get an entry; the reader
 * merges sites by name.
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "names.h"

static struct mmstall_name mmstall_names[MMSTALL_MAX_NAMES];
static atomic_t mmstall_names_used = ATOMIC_INIT(0);
static atomic64_t mmstall_names_full = ATOMIC64_INIT(0);

unsigned int mmstall_names_count(void)
{
	return min_t(unsigned int, atomic_read(&mmstall_names_used),
		     MMSTALL_MAX_NAMES);
}

/* The name of entry @i, or NULL while it is being written. */
const char *mmstall_name_at(unsigned int i)
{
	if (i >= MMSTALL_MAX_NAMES)
		return NULL;
	/* pairs with the release in mmstall_name_id(): name written */
	if (!smp_load_acquire(&mmstall_names[i].ready))
		return NULL;
	return mmstall_names[i].name;
}

u64 mmstall_names_lost(void)
{
	return atomic64_read(&mmstall_names_full);
}

unsigned int mmstall_name_id(const char *name)
{
	unsigned int i, n = mmstall_names_count();
	const char *s;

	for (i = 0; i < n; i++) {
		s = mmstall_name_at(i);
		if (s && !strncmp(s, name, MMSTALL_NAME_LEN - 1))
			return MMSTALL_SITE_DYNAMIC + i;
	}
	if (atomic_read(&mmstall_names_used) >= MMSTALL_MAX_NAMES)
		goto full;
	i = atomic_inc_return(&mmstall_names_used) - 1;
	if (i >= MMSTALL_MAX_NAMES)
		goto full;
	strscpy(mmstall_names[i].name, name, MMSTALL_NAME_LEN);
	/* publish the name to mmstall_name_at() */
	smp_store_release(&mmstall_names[i].ready, 1);
	/* and before the caller stores the id: see mmstall_snapshot_build() */
	smp_wmb();
	return MMSTALL_SITE_DYNAMIC + i;
full:
	atomic64_inc(&mmstall_names_full);
	return MMSTALL_SITE_NAMES_FULL;
}
