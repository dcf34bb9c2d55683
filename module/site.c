// SPDX-License-Identifier: GPL-2.0
/*
 * The call site of a wait.
 *
 * The system call the task is in (or its user page fault) names it when
 * that is an mm path (munmap, mmap, ..., exit, fork): no stack walk.
 * Other waits of at least stack_threshold_ns get one stack walk, and the
 * innermost frame that belongs to a known path names the site; failing
 * that, the first frame outside the locking code gives "other:<function>".
 * Frames are named through kallsyms once and the answer is kept in a
 * lock-free cache keyed by return address, so a warm walk costs a few hash
 * lookups per frame.
 */
#include <linux/kallsyms.h>
#include <linux/hash.h>
#include <linux/string.h>
#include <linux/atomic.h>
#include "compat/module.h"
#include "compat/stacktrace.h"
#include "compat/syscall_site.h"
#include "names.h"
#include "notes.h"
#include "params.h"
#include "site.h"

#define MMSTALL_STACK_DEPTH	32
#define MMSTALL_FRAME_CACHE_BITS	10

/* Frame classes kept in the cache besides site ids. */
#define MMSTALL_FRAME_SKIP	0x10000	/* locking or tracing internals */
#define MMSTALL_FRAME_PLAIN	0x20000	/* a candidate for other:<fn> */

struct mmstall_site_fn {
	const char *name;
	unsigned int site;
};

/* Function names across 2.6.32-6.12 that identify a path taking mmap_lock. */
static const struct mmstall_site_fn mmstall_site_fns[] = {
	{ "__vm_munmap", MMSTALL_SITE_MUNMAP },
	{ "vm_munmap", MMSTALL_SITE_MUNMAP },
	{ "__x64_sys_munmap", MMSTALL_SITE_MUNMAP },
	{ "__do_sys_munmap", MMSTALL_SITE_MUNMAP },
	{ "sys_munmap", MMSTALL_SITE_MUNMAP },
	{ "SyS_munmap", MMSTALL_SITE_MUNMAP },
	{ "vm_mmap_pgoff", MMSTALL_SITE_MMAP },
	{ "ksys_mmap_pgoff", MMSTALL_SITE_MMAP },
	{ "vm_mmap", MMSTALL_SITE_MMAP },
	{ "sys_mmap_pgoff", MMSTALL_SITE_MMAP },
	{ "SyS_mmap_pgoff", MMSTALL_SITE_MMAP },
	{ "__do_sys_mremap", MMSTALL_SITE_MREMAP },
	{ "__x64_sys_mremap", MMSTALL_SITE_MREMAP },
	{ "sys_mremap", MMSTALL_SITE_MREMAP },
	{ "SyS_mremap", MMSTALL_SITE_MREMAP },
	{ "do_mprotect_pkey", MMSTALL_SITE_MPROTECT },
	{ "__x64_sys_mprotect", MMSTALL_SITE_MPROTECT },
	{ "sys_mprotect", MMSTALL_SITE_MPROTECT },
	{ "SyS_mprotect", MMSTALL_SITE_MPROTECT },
	{ "do_madvise", MMSTALL_SITE_MADVISE },
	{ "vector_madvise", MMSTALL_SITE_MADVISE },
	{ "__x64_sys_madvise", MMSTALL_SITE_MADVISE },
	{ "__do_sys_process_madvise", MMSTALL_SITE_MADVISE },
	{ "sys_madvise", MMSTALL_SITE_MADVISE },
	{ "SyS_madvise", MMSTALL_SITE_MADVISE },
	{ "__do_sys_brk", MMSTALL_SITE_BRK },
	{ "__x64_sys_brk", MMSTALL_SITE_BRK },
	{ "sys_brk", MMSTALL_SITE_BRK },
	{ "SyS_brk", MMSTALL_SITE_BRK },
	{ "lock_mm_and_find_vma", MMSTALL_SITE_PAGE_FAULT },
	{ "do_user_addr_fault", MMSTALL_SITE_PAGE_FAULT },
	{ "exc_page_fault", MMSTALL_SITE_PAGE_FAULT },
	{ "__do_page_fault", MMSTALL_SITE_PAGE_FAULT },
	{ "do_page_fault", MMSTALL_SITE_PAGE_FAULT },
	{ "exit_mm", MMSTALL_SITE_EXIT },
	{ "exit_mmap", MMSTALL_SITE_EXIT },
	{ "do_exit", MMSTALL_SITE_EXIT },
	{ "dup_mmap", MMSTALL_SITE_FORK },
	{ "dup_mm", MMSTALL_SITE_FORK },
	{ "copy_process", MMSTALL_SITE_FORK },
};

/* Prefixes of frames that are the lock itself or the tracing machinery. */
static const char * const mmstall_skip_prefixes[] = {
	"down_", "__down_", "rwsem_", "__rwsem", "mmap_read_lock",
	"mmap_write_lock", "rethook", "arch_rethook", "kretprobe",
	"__kretprobe", "pre_handler_kretprobe", "kprobe", "stack_trace",
	"arch_stack_walk", "unwind_", "__traceiter_", "trace_contention",
};

struct mmstall_frame_entry {
	atomic_long_t addr;
	unsigned int class;		/* 0 until published */
	unsigned int plain_site;	/* a PLAIN frame's other:<fn>, 0 = not yet */
};

static struct mmstall_frame_entry
	mmstall_frame_cache[1 << MMSTALL_FRAME_CACHE_BITS];

/* Copy a symbol's bare name: no offset, no ".constprop.0", no [module]. */
static void mmstall_frame_name(unsigned long addr, char *buf, size_t len)
{
	char sym[KSYM_SYMBOL_LEN];
	size_t n;

	sprint_symbol_no_offset(sym, addr);
	n = strcspn(sym, ". [");
	if (n >= len)
		n = len - 1;
	memcpy(buf, sym, n);
	buf[n] = '\0';
}

static unsigned int mmstall_frame_classify(unsigned long addr)
{
	char name[MMSTALL_NAME_LEN];
	unsigned int i;

	if (mmstall_in_this_module(addr))
		return MMSTALL_FRAME_SKIP;
	mmstall_frame_name(addr, name, sizeof(name));
	for (i = 0; i < ARRAY_SIZE(mmstall_site_fns); i++)
		if (!strcmp(name, mmstall_site_fns[i].name))
			return mmstall_site_fns[i].site;
	for (i = 0; i < ARRAY_SIZE(mmstall_skip_prefixes); i++)
		if (!strncmp(name, mmstall_skip_prefixes[i],
			     strlen(mmstall_skip_prefixes[i])))
			return MMSTALL_FRAME_SKIP;
	return MMSTALL_FRAME_PLAIN;
}

static struct mmstall_frame_entry *mmstall_frame_entry(unsigned long addr)
{
	return &mmstall_frame_cache[hash_long(addr, MMSTALL_FRAME_CACHE_BITS)];
}

static unsigned int mmstall_frame_class(unsigned long addr)
{
	struct mmstall_frame_entry *e = mmstall_frame_entry(addr);
	unsigned int class;
	long cur;

	cur = atomic_long_read(&e->addr);
	if (cur == (long)addr) {
		/* pairs with the release below: class set */
		class = smp_load_acquire(&e->class);
		if (class)
			return class;
	}
	class = mmstall_frame_classify(addr);
	if (cur == 0 && atomic_long_cmpxchg(&e->addr, 0, addr) == 0)
		/* publish the class after the address is claimed */
		smp_store_release(&e->class, class);
	return class;
}

/*
 * The innermost known path on the stack; else, in @plain, the first frame
 * outside the locking code (0 if none).  MMSTALL_SITE_NONE if no known
 * path was found.
 */
static unsigned int mmstall_site_of_stack(unsigned long *plain)
{
	unsigned long entries[MMSTALL_STACK_DEPTH];
	unsigned int i, n, class;

	*plain = 0;
	n = mmstall_stack_save(entries, ARRAY_SIZE(entries));
	for (i = 0; i < n; i++) {
		class = mmstall_frame_class(entries[i]);
		if (class < MMSTALL_FRAME_SKIP)
			return class;
		if (class == MMSTALL_FRAME_PLAIN && !*plain)
			*plain = entries[i];
	}
	return MMSTALL_SITE_NONE;
}

/* Says in status how call sites are named on this kernel. */
void mmstall_site_init(void)
{
	if (MMSTALL_UNWINDER_GUESS)
		mmstall_note("call_sites",
			     "system call only (guess unwinder: no stack walks)");
	else
		mmstall_note("call_sites",
			     "system call; else a stack walk over stack_threshold_ns");
}

/*
 * The system call (or user page fault) the task is in names the site when
 * it is an mm path: no stack walk, which is most of a handler's cost.
 * Otherwise a slow wait gets one walk: the innermost known path on the
 * stack (a page fault inside read(), say), else "other:<function>" from
 * the first frame outside the locking code.  The "guess" unwinder reports
 * every stale text address left on the stack, so on such kernels no stack
 * walk is done at all.
 */
/*
 * "other:<function>" of a frame outside the locking code.  Its name id is
 * kept in the frame's cache entry: a kallsyms lookup and a scan of the
 * names cost ten times the stack walk itself.
 */
static unsigned int mmstall_plain_site(unsigned long addr)
{
	struct mmstall_frame_entry *e = mmstall_frame_entry(addr);
	char name[MMSTALL_NAME_LEN] = "other:";
	bool cached = atomic_long_read(&e->addr) == (long)addr;
	unsigned int site;

	if (cached) {
		site = READ_ONCE(e->plain_site);
		if (site)
			return site;
	}
	mmstall_frame_name(addr, name + 6, sizeof(name) - 6);
	site = mmstall_name_id(name);
	/* an entry never changes its address: the id stays right */
	if (cached && site >= MMSTALL_SITE_DYNAMIC)
		WRITE_ONCE(e->plain_site, site);
	return site;
}

unsigned int mmstall_site_of_current(u64 wait_ns)
{
	unsigned int site = mmstall_site_of_current_syscall();
	unsigned long plain = 0;

	if (site != MMSTALL_SITE_UNKNOWN || MMSTALL_UNWINDER_GUESS ||
	    wait_ns < READ_ONCE(mmstall_stack_threshold_ns))
		return site;
	site = mmstall_site_of_stack(&plain);
	if (site != MMSTALL_SITE_NONE)
		return site;
	return plain ? mmstall_plain_site(plain) : MMSTALL_SITE_UNKNOWN;
}
