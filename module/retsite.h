/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Return-site timing: a probed function's return seen without rewriting
 * its return address.  A kprobe on the function's entry pushes a frame
 * (the entry's stack pointer, a start time, one word of the family's);
 * kprobes on the instruction after each call to it, found at load by
 * decoding its callers' calls, pop the frame whose stack pointer the
 * return left one word higher.  Unloading never leaves a return
 * trampoline behind, and nothing is rewritten on the task's stack.
 *
 * Frames live in a small lock-free table of the function's calls in
 * flight, keyed by the entry's stack pointer: a stack address belongs to
 * one frame of one task (or of one CPU's interrupt stack) at a time, so
 * sleeping calls, nested calls and calls in interrupts need nothing else,
 * and the entry needs no task lookup.  A call that finds no free slot,
 * or a frame left behind (its return went elsewhere, or a return-site
 * hit the kprobes skipped) that a later call at the same stack address
 * finds, is counted in the probe's missed calls, never paired with
 * another return.
 */
#ifndef _MMSTALL_RETSITE_H
#define _MMSTALL_RETSITE_H

#include <linux/kprobes.h>
#include "probe.h"
#include "retsite_types.h"
#include "table.h"

int mmstall_retsites_attach(struct mmstall_probe *p, const char *sym);
void mmstall_retsites_detach(struct mmstall_probe *p);
/* Handlers quiesced: forget every pending frame. */
void mmstall_retsites_reset(struct mmstall_probe *p);
void mmstall_retsites_init(void);
struct seq_file;
void mmstall_retsites_show(struct seq_file *m, const struct mmstall_probe *p);

/* At the entry: a frame for this call to fill in, or NULL (counted). */
struct mmstall_retsite_frame *
mmstall_retsite_push(struct mmstall_probe *p, struct pt_regs *regs);
/* At a return site: the frame of the call that returned, or false. */
bool mmstall_retsite_pop(struct mmstall_probe *p, struct pt_regs *regs,
			 struct mmstall_retsite_frame *out);

static inline struct mmstall_probe *mmstall_probe_of_site(struct kprobe *kp)
{
	return container_of(kp, struct mmstall_retsite_kprobe, kp)->probe;
}

/*
 * A return-site handler, timed like the others (cost.h): write it as
 * __NAME, then MMSTALL_TIMED_RETSITE(NAME).
 */
#define MMSTALL_TIMED_RETSITE(name)					\
static int name(struct kprobe *kp, struct pt_regs *regs)		\
{									\
	struct mmstall_probe *p = mmstall_probe_of_site(kp);		\
	u64 t0 = mmstall_cost_enter(p);					\
	int ret = __##name(p, regs);					\
									\
	mmstall_cost_leave(p, t0);					\
	return ret;							\
}

#endif /* _MMSTALL_RETSITE_H */
