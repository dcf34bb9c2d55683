/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Direct calls and jumps in kernel text, for finding a function's return
 * sites (retsite.c).  x86-64: call rel32 (e8), jmp rel32 (e9) and jcc
 * rel32 (0f 80-8f), the forms gcc emits for calls and tail calls between
 * functions.  Elsewhere no instruction is decoded: no return site is
 * found, and the classes fall back to their kretprobes.
 */
#ifndef _MMSTALL_COMPAT_CALL_INSN_H
#define _MMSTALL_COMPAT_CALL_INSN_H

#include <linux/ptrace.h>
#include <linux/string.h>
#include <linux/types.h>

/* The longest instruction looked at, in bytes. */
#define MMSTALL_INSN_MAX	6

#ifdef CONFIG_X86_64
#define MMSTALL_HAVE_CALL_INSN	1

static inline unsigned long mmstall_rel32_target(const u8 *b,
						 unsigned long next)
{
	s32 rel;

	memcpy(&rel, b, sizeof(rel));
	return next + (long)rel;
}

/*
 * If the instruction at @ip (its bytes at @b) is a direct call, its
 * target, and in @ret the address it returns to; else 0.
 */
static inline unsigned long mmstall_call_target(const u8 *b, unsigned long ip,
						unsigned long *ret)
{
	if (b[0] != 0xe8)
		return 0;
	*ret = ip + 5;
	return mmstall_rel32_target(b + 1, ip + 5);
}

/* If it is a direct jump (a tail call where it leaves the function). */
static inline unsigned long mmstall_jump_target(const u8 *b, unsigned long ip)
{
	if (b[0] == 0xe9)
		return mmstall_rel32_target(b + 1, ip + 5);
	if (b[0] == 0x0f && (b[1] & 0xf0) == 0x80)
		return mmstall_rel32_target(b + 2, ip + 6);
	return 0;
}

/*
 * The stack pointer a probed function's entry sees (the address of its
 * return address), from a kprobe at a return site of it: the return
 * popped one word.
 */
static inline unsigned long mmstall_entry_sp_at_return(struct pt_regs *regs)
{
	return regs->sp - sizeof(unsigned long);
}

static inline unsigned long mmstall_entry_sp(struct pt_regs *regs)
{
	return regs->sp;
}
#else /* !CONFIG_X86_64 */
#define MMSTALL_HAVE_CALL_INSN	0

static inline unsigned long mmstall_call_target(const u8 *b, unsigned long ip,
						unsigned long *ret)
{
	return 0;
}

static inline unsigned long mmstall_jump_target(const u8 *b, unsigned long ip)
{
	return 0;
}

static inline unsigned long mmstall_entry_sp_at_return(struct pt_regs *regs)
{
	return 0;
}

static inline unsigned long mmstall_entry_sp(struct pt_regs *regs)
{
	return 0;
}
#endif /* CONFIG_X86_64 */

#endif /* _MMSTALL_COMPAT_CALL_INSN_H */
