/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where struct kmem_cache keeps its name.  The structure is in
 * linux/slab_def.h (SLAB) and linux/slub_def.h (SLUB), with a layout that
 * differs between the two and across versions; from 5.17 those headers
 * use mm/'s private struct slab and cannot be included by a module, and
 * from 6.8 the structure is private to mm/.  MMSTALL_KMEM_CACHE_NAME_OFFSET
 * is offsetof(name) where a header can be included (Kbuild checks), else
 * -1: slab.c then finds the offset at load time on a cache of its own (and
 * checks the header's offset the same way).
 */
#ifndef _MMSTALL_COMPAT_SLAB_H
#define _MMSTALL_COMPAT_SLAB_H

#include <linux/kconfig.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/stddef.h>

#if defined(CONFIG_SLAB) && defined(MMSTALL_HAVE_SLAB_DEF_H)
#include <linux/slab_def.h>
#define MMSTALL_KMEM_CACHE_NAME_OFFSET	\
	((long)offsetof(struct kmem_cache, name))
#elif defined(CONFIG_SLUB) && defined(MMSTALL_HAVE_SLUB_DEF_H)
#include <linux/slub_def.h>
#define MMSTALL_KMEM_CACHE_NAME_OFFSET	\
	((long)offsetof(struct kmem_cache, name))
#else /* no public struct kmem_cache (6.8+, SLOB) */
#define MMSTALL_KMEM_CACHE_NAME_OFFSET	(-1L)
#endif /* CONFIG_SLAB && MMSTALL_HAVE_SLAB_DEF_H */

#endif /* _MMSTALL_COMPAT_SLAB_H */
