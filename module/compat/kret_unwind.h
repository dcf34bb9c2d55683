/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stack walks from a kretprobe's return handler.
 *
 * Until the ORC unwinder learned to see through the kretprobe trampoline
 * (unwind_recover_ret_addr(), with rethook), a walk from a return handler
 * ends at kretprobe_trampoline: the probed function's caller and all above
 * it are lost (seen on Debian's 5.10: every stack was the trampoline's
 * three frames).  On such kernels the entry handler keeps the address of
 * the return address slot (regs->sp at the entry), after the family's own
 * data in the instance, and the return handler lets a walk start at the
 * caller as the probed function left it: ip the real return address, sp
 * just above the slot, bp as the callee restored it.  That is the state the
 * unwinder would have reached had the trampoline not been there.
 *
 * Elsewhere (the unwinder copes, or frame pointers, or no ORC) nothing is
 * kept and walks start where they are.
 */
#ifndef _MMSTALL_COMPAT_KRET_UNWIND_H
#define _MMSTALL_COMPAT_KRET_UNWIND_H

#include <linux/hardirq.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>

struct mmstall_walk_origin {
	unsigned long ip, sp, bp;
};

/* Set by a return handler around the family's handler (probe.c). */
DECLARE_PER_CPU(const struct mmstall_walk_origin *, mmstall_walk_origin);

#if defined(CONFIG_UNWINDER_ORC) && !defined(MMSTALL_UNWIND_SEES_KRETPROBES)
#include <asm/unwind.h>

/* The instance data: the family's, then the return slot's address. */
#define MMSTALL_KRET_DATA_SIZE(size) \
	(ALIGN(size, sizeof(long)) + sizeof(unsigned long))

static inline unsigned long *
mmstall_kret_slot(struct kretprobe_instance *ri, size_t data_size)
{
	return (unsigned long *)(ri->data + ALIGN(data_size, sizeof(long)));
}

static inline void mmstall_kret_origin_save(struct kretprobe_instance *ri,
					    size_t data_size,
					    struct pt_regs *regs)
{
	*mmstall_kret_slot(ri, data_size) = kernel_stack_pointer(regs);
}

static inline void mmstall_kret_origin_set(struct mmstall_walk_origin *o,
					   struct kretprobe_instance *ri,
					   size_t data_size,
					   struct pt_regs *regs)
{
	o->ip = (unsigned long)ri->ret_addr;
	o->sp = *mmstall_kret_slot(ri, data_size) + sizeof(long);
	o->bp = regs->bp;
	this_cpu_write(mmstall_walk_origin, o);
}

static inline void mmstall_kret_origin_clear(void)
{
	this_cpu_write(mmstall_walk_origin, NULL);
}

/*
 * The origin of a walk made now: the one its return handler set, unless
 * an interrupt came in on top of that handler.
 */
static inline const struct mmstall_walk_origin *mmstall_walk_origin_now(void)
{
	return in_interrupt() ? NULL : this_cpu_read(mmstall_walk_origin);
}

/* The caller's frame, then what the unwinder finds above it. */
static inline unsigned int
mmstall_walk_from(const struct mmstall_walk_origin *o, unsigned long *entries,
		  unsigned int max)
{
	struct unwind_state state;
	struct pt_regs regs;
	unsigned long addr;
	unsigned int n = 0;

	if (!max)
		return 0;
	memset(&regs, 0, sizeof(regs));
	regs.ip = o->ip;
	regs.sp = o->sp;
	regs.bp = o->bp;
	regs.cs = __KERNEL_CS;
	entries[n++] = o->ip;
	for (unwind_start(&state, current, &regs, NULL);
	     !unwind_done(&state) && n < max; unwind_next_frame(&state)) {
		addr = unwind_get_return_address(&state);
		if (!addr)
			break;
		entries[n++] = addr;
	}
	return n;
}
#else /* the unwinder copes, or no ORC */
#define MMSTALL_KRET_DATA_SIZE(size)	(size)

static inline void mmstall_kret_origin_save(struct kretprobe_instance *ri,
					    size_t data_size,
					    struct pt_regs *regs)
{
}

static inline void mmstall_kret_origin_set(struct mmstall_walk_origin *o,
					   struct kretprobe_instance *ri,
					   size_t data_size,
					   struct pt_regs *regs)
{
}

static inline void mmstall_kret_origin_clear(void)
{
}

static inline const struct mmstall_walk_origin *mmstall_walk_origin_now(void)
{
	return NULL;
}

static inline unsigned int
mmstall_walk_from(const struct mmstall_walk_origin *o, unsigned long *entries,
		  unsigned int max)
{
	return 0;
}
#endif /* CONFIG_UNWINDER_ORC && !MMSTALL_UNWIND_SEES_KRETPROBES */

#endif /* _MMSTALL_COMPAT_KRET_UNWIND_H */
