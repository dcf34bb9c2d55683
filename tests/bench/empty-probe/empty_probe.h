/* SPDX-License-Identifier: GPL-2.0 */
/* empty_probe.ko: what its files share. */
#ifndef _EMPTY_PROBE_H
#define _EMPTY_PROBE_H

struct dentry;

/* The fire file in @dir (fire.c). */
void ep_fire_create(struct dentry *dir);

#endif /* _EMPTY_PROBE_H */
