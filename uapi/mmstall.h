/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mmstall: the ABI shared by the kernel module and the reader.
 *
 * The module exposes /sys/kernel/debug/mmstall/snapshot: one
 * struct mmstall_snap_header, then a table of struct mmstall_snap_section,
 * then the sections themselves.  Each section states its record size, so a
 * reader skips what it does not know and a record may grow at its end
 * without an ABI bump.  Renaming or removing anything here bumps
 * MMSTALL_ABI_VERSION, the only place the version is set.
 */
#ifndef _UAPI_MMSTALL_H
#define _UAPI_MMSTALL_H

#include <linux/types.h>

#define MMSTALL_VERSION		"0.1.0"
#define MMSTALL_ABI_VERSION	1
#define MMSTALL_SNAP_MAGIC	0x314c4c4154534d4dULL	/* "MMSTALL1" */

#define MMSTALL_COMM_LEN	16
#define MMSTALL_NAME_LEN	64

/* Stall classes: the names used everywhere (debugfs, CLI, JSON). */
enum mmstall_class {
	MMSTALL_CLASS_RWSEM_READ,
	MMSTALL_CLASS_RWSEM_WRITE,
	MMSTALL_CLASS_SLAB_REFILL,
	MMSTALL_CLASS_DIRECT_RECLAIM,
	MMSTALL_CLASS_MEMCG_RECLAIM,
	MMSTALL_CLASS_COMPACTION,
	MMSTALL_NR_CLASSES
};

#define MMSTALL_CLASS_NAMES {						\
	"rwsem_read", "rwsem_write", "slab_refill",			\
	"direct_reclaim", "memcg_reclaim", "compaction" }

/*
 * Probes that feed no stall class name a feature instead: a probe
 * record's class is then MMSTALL_FEATURE_BASE or above.
 */
#define MMSTALL_FEATURE_BASE	32

enum mmstall_feature {
	MMSTALL_FEATURE_MM_CALLS = MMSTALL_FEATURE_BASE,
	MMSTALL_FEATURE_WRITE_HOLD,
	MMSTALL_FEATURE_SLABINFO_READERS,
	MMSTALL_FEATURE_KSWAPD_WAKEUPS,	/* mm_vmscan_wakeup_kswapd: hits */
	MMSTALL_FEATURE_RWSEM_WAIT_END,	/* ends rwsem_read/_write waits */
	MMSTALL_FEATURE_END
};

#define MMSTALL_FEATURE_NAMES {						\
	"mm_calls", "write_hold", "slabinfo_readers", "kswapd_wakeups",	\
	"rwsem_wait_end" }

/* Lock identity of an rwsem wait.  Raw addresses are never exported. */
enum mmstall_lock {
	MMSTALL_LOCK_MMAP,
	MMSTALL_LOCK_OTHER,
	MMSTALL_NR_LOCKS
};

#define MMSTALL_LOCK_NAMES { "mmap_lock", "other" }

/*
 * Call sites.  Ids below MMSTALL_SITE_DYNAMIC have fixed names; ids from
 * MMSTALL_SITE_DYNAMIC on are named by the NAMES section (for example
 * "other:do_mmap", or a slab cache name).  0 marks an unused entry.
 */
enum mmstall_site {
	MMSTALL_SITE_NONE,
	MMSTALL_SITE_MUNMAP,
	MMSTALL_SITE_MMAP,
	MMSTALL_SITE_MREMAP,
	MMSTALL_SITE_MPROTECT,
	MMSTALL_SITE_MADVISE,
	MMSTALL_SITE_BRK,
	MMSTALL_SITE_PAGE_FAULT,
	MMSTALL_SITE_EXIT,
	MMSTALL_SITE_FORK,
	MMSTALL_SITE_UNKNOWN,	/* no stack walk (fast wait) and no mm syscall */
	MMSTALL_SITE_MORE,	/* the per-stat site list was full */
	MMSTALL_SITE_NAMES_FULL,	/* the dynamic name table was full */
	MMSTALL_NR_FIXED_SITES
};

#define MMSTALL_SITE_NAMES {						\
	"", "munmap", "mmap", "mremap", "mprotect", "madvise", "brk",	\
	"page_fault", "exit", "fork", "other:unknown", "other:more",	\
	"other:names_full" }

#define MMSTALL_SITE_DYNAMIC	64

/* Probe kinds and states, as reported by status and the report. */
enum mmstall_probe_kind {
	MMSTALL_KIND_KPROBE = 1,
	MMSTALL_KIND_KRETPROBE,
	MMSTALL_KIND_TRACEPOINT,
	/*
	 * A kprobe on the function's entry and kprobes on the instructions
	 * after each call to it (its return sites), found at load: a
	 * return timed without rewriting return addresses.
	 */
	MMSTALL_KIND_RETURN_SITES,
	MMSTALL_KIND_END	/* one past the last kind */
};

#define MMSTALL_KIND_NAMES						\
	{ "", "kprobe", "kretprobe", "tracepoint", "return_sites" }

enum mmstall_probe_state {
	MMSTALL_STATE_ATTACHED = 1,
	MMSTALL_STATE_MISSING,	/* no candidate symbol or tracepoint */
	MMSTALL_STATE_FAILED,	/* present, but registering failed */
	MMSTALL_STATE_OFF,	/* not asked for (a module parameter) */
};

#define MMSTALL_STATE_NAMES { "", "attached", "missing", "failed", "off" }

/*
 * Log-linear latency histogram: bucket 0 holds [0, 2^MIN_SHIFT) ns; then
 * each power of two from 2^MIN_SHIFT to 2^MAX_SHIFT is split into
 * 2^SUB_BITS equal buckets; the last bucket holds everything above.
 * A value is known to within one bucket: reported at the bucket's middle,
 * the relative error is at most 1 / 2^(SUB_BITS + 1) = 12.5%.
 */
#define MMSTALL_HIST_SUB_BITS	2
#define MMSTALL_HIST_MIN_SHIFT	8
#define MMSTALL_HIST_MAX_SHIFT	36
#define MMSTALL_HIST_BUCKETS						\
	(2 + (MMSTALL_HIST_MAX_SHIFT - MMSTALL_HIST_MIN_SHIFT + 1) *	\
	 (1 << MMSTALL_HIST_SUB_BITS))

static inline unsigned int mmstall_hist_bucket(__u64 ns)
{
	unsigned int e, sub;

	if (ns < (1ULL << MMSTALL_HIST_MIN_SHIFT))
		return 0;
	e = 63 - __builtin_clzll(ns);
	if (e > MMSTALL_HIST_MAX_SHIFT)
		return MMSTALL_HIST_BUCKETS - 1;
	sub = (ns >> (e - MMSTALL_HIST_SUB_BITS)) &
	      ((1U << MMSTALL_HIST_SUB_BITS) - 1);
	return 1 + ((e - MMSTALL_HIST_MIN_SHIFT) << MMSTALL_HIST_SUB_BITS) +
	       sub;
}

/* Lowest value of bucket @b; the bucket holds [low(b), low(b + 1)). */
static inline __u64 mmstall_hist_low(unsigned int b)
{
	unsigned int e, sub;

	if (b == 0)
		return 0;
	if (b >= MMSTALL_HIST_BUCKETS - 1)
		return 1ULL << (MMSTALL_HIST_MAX_SHIFT + 1);
	e = MMSTALL_HIST_MIN_SHIFT + ((b - 1) >> MMSTALL_HIST_SUB_BITS);
	sub = (b - 1) & ((1U << MMSTALL_HIST_SUB_BITS) - 1);
	return ((1ULL << MMSTALL_HIST_SUB_BITS) + sub) <<
	       (e - MMSTALL_HIST_SUB_BITS);
}

/* Snapshot layout. */
enum mmstall_section_type {
	MMSTALL_SEC_PROBES = 1,	/* struct mmstall_probe_rec */
	MMSTALL_SEC_NAMES,	/* struct mmstall_name_rec */
	MMSTALL_SEC_TASKS,	/* struct mmstall_task_rec */
	MMSTALL_SEC_STATS,	/* struct mmstall_stat_rec */
	MMSTALL_SEC_NOTES,	/* struct mmstall_note_rec */
	MMSTALL_SEC_MM_CALLS,	/* struct mmstall_mm_calls_rec */
	MMSTALL_SEC_HOLDERS,	/* struct mmstall_holder_rec */
	MMSTALL_SEC_SLABINFO_READERS,	/* struct mmstall_slabinfo_reader_rec */
	MMSTALL_SEC_SLAB_CACHES,	/* struct mmstall_slab_cache_rec */
	MMSTALL_SEC_RECLAIM,	/* struct mmstall_reclaim_rec */
	MMSTALL_SEC_GFP_NAMES,	/* struct mmstall_gfp_name_rec */
	MMSTALL_SEC_VMSTAT,	/* struct mmstall_vmstat_rec */
	MMSTALL_SEC_COSTS,	/* struct mmstall_cost_rec */
};

struct mmstall_lost {
	__u64 task_slots;	/* events of tasks that found no free slot */
	__u64 stat_blocks;	/* events with no free per-class block */
	/*
	 * returns missed: maxactive exhausted (kretprobes), or calls whose
	 * return could not be paired with their entry (return_sites)
	 */
	__u64 kretprobe_missed;
	__u64 events;		/* slow-event ring overflow */
	__u64 names;		/* dynamic site names that found no room */
};

struct mmstall_snap_header {
	__u64 magic;		/* MMSTALL_SNAP_MAGIC */
	__u32 abi;		/* MMSTALL_ABI_VERSION */
	__u32 header_size;	/* sizeof(struct mmstall_snap_header) */
	__u64 total_size;	/* bytes in the whole snapshot */
	__u32 nr_sections;	/* struct mmstall_snap_section that follow */
	__u32 section_size;	/* sizeof(struct mmstall_snap_section) */
	__u64 window_ns;	/* since load or the last reset */
	__u32 max_tasks;	/* task slots preallocated */
	__u32 used_tasks;	/* task slots in use */
	__u32 max_stats;	/* per-class stat blocks preallocated */
	__u32 used_stats;
	__u32 hist_buckets;	/* MMSTALL_HIST_BUCKETS */
	__u32 hist_sub_bits;	/* MMSTALL_HIST_SUB_BITS */
	__u32 hist_min_shift;	/* MMSTALL_HIST_MIN_SHIFT */
	__u32 hist_max_shift;	/* MMSTALL_HIST_MAX_SHIFT */
	struct mmstall_lost lost;
	char version[16];	/* module version, MMSTALL_VERSION */
	char release[65];	/* kernel release (uname -r) */
	char slab[7];		/* "slab", "slub" or "slob" */
	char preempt[16];	/* "none", "voluntary", "full", "rt", ... */
	__u64 stack_threshold_ns;	/* waits this slow get a stack walk */
};

struct mmstall_snap_section {
	__u32 type;		/* enum mmstall_section_type */
	__u32 count;		/* records */
	__u32 rec_size;		/* bytes per record */
	__u32 reserved;
	__u64 offset;		/* from the start of the snapshot */
};

struct mmstall_probe_rec {
	__u32 class;		/* enum mmstall_class or enum mmstall_feature */
	__u32 kind;		/* enum mmstall_probe_kind */
	__u32 state;		/* enum mmstall_probe_state */
	__s32 error;		/* -errno of the last failure, or 0 */
	__u64 hits;		/* handler calls */
	__u64 missed;		/* nmissed; unpaired calls (return_sites) */
	char target[MMSTALL_NAME_LEN];	/* function or tracepoint */
};

struct mmstall_name_rec {
	__u32 id;		/* site id, >= MMSTALL_SITE_DYNAMIC */
	__u32 reserved;
	char name[MMSTALL_NAME_LEN];
};

#define MMSTALL_TASK_VALID	0x1	/* the slot is filled in */

struct mmstall_task_rec {
	__u32 slot;		/* referenced by mmstall_stat_rec.task */
	__u32 pid;		/* thread id */
	__u32 tgid;		/* process id */
	__u32 flags;		/* MMSTALL_TASK_* */
	char comm[MMSTALL_COMM_LEN];	/* thread name */
	char process[MMSTALL_COMM_LEN];	/* thread-group leader's name */
};

#define MMSTALL_SITES_PER_STAT	8

struct mmstall_site_count {
	__u32 site;		/* enum mmstall_site or a dynamic id */
	__u32 reserved;
	__u64 count;
	__u64 total_ns;
};

struct mmstall_lock_count {
	__u64 count;
	__u64 total_ns;
};

struct mmstall_stat_rec {
	__u32 task;		/* mmstall_task_rec.slot */
	__u32 class;		/* enum mmstall_class */
	__u64 count;
	__u64 total_ns;
	__u64 max_ns;
	struct mmstall_lock_count locks[MMSTALL_NR_LOCKS];
	struct mmstall_site_count sites[MMSTALL_SITES_PER_STAT];
	__u32 hist[MMSTALL_HIST_BUCKETS];
};

/*
 * Notes: what a family wants status and the report to say about how it
 * traces on this kernel, as key and value ("holders", "unavailable: ...").
 */
struct mmstall_note_rec {
	char key[32];
	char value[96];
};

/* mmap-family calls per task, the culprits of seeds 000 and 001. */
enum mmstall_mm_call {
	MMSTALL_CALL_MMAP,
	MMSTALL_CALL_MUNMAP,
	MMSTALL_CALL_MREMAP,
	MMSTALL_CALL_MPROTECT,
	MMSTALL_CALL_MADVISE,
	MMSTALL_CALL_BRK,
	MMSTALL_NR_CALLS
};

#define MMSTALL_CALL_NAMES {						\
	"mmap", "munmap", "mremap", "mprotect", "madvise", "brk" }

/*
 * Bucket 0 holds 0 bytes; bucket b in 1..62 holds [2^(b-1), 2^b) bytes;
 * the last bucket, 63, holds 2^62 bytes or more (lengths come from user
 * space before the kernel checks them).
 */
#define MMSTALL_BYTES_BUCKETS	64

static inline unsigned int mmstall_bytes_bucket(__u64 bytes)
{
	unsigned int b = bytes ? 64 - __builtin_clzll(bytes) : 0;

	return b < MMSTALL_BYTES_BUCKETS ? b : MMSTALL_BYTES_BUCKETS - 1;
}

struct mmstall_mm_calls_rec {
	__u32 task;		/* mmstall_task_rec.slot */
	__u32 reserved;
	__u64 calls[MMSTALL_NR_CALLS];
	__u64 write_holds;	/* write holds of mmap_lock timed */
	__u64 write_hold_ns;	/* time mmap_lock was held for write */
	__u64 write_hold_max_ns;
	__u64 bytes_hist[MMSTALL_BYTES_BUCKETS];	/* length argument */
};

/* A task that held a lock for write while others waited for it. */
struct mmstall_holder_rec {
	__u32 task;		/* mmstall_task_rec.slot of the holder */
	__u32 lock;		/* enum mmstall_lock */
	__u64 blocked_waiters;	/* waits that found it the owner */
	__u64 blocked_ns;	/* their total time */
	__u64 max_blocked_ns;
};

/* A reader of /proc/slabinfo: time from its walk's start to its stop. */
struct mmstall_slabinfo_reader_rec {
	__u32 task;
	__u32 reserved;
	__u64 reads;		/* walks started (open + read to the end) */
	__u64 total_ns;
	__u64 max_ns;
};

/* Slab slowpath time per cache, all tasks together. */
struct mmstall_slab_cache_rec {
	char cache[MMSTALL_NAME_LEN];
	__u64 count;
	__u64 total_ns;
	__u64 max_ns;
};

/* Details of reclaim and compaction stalls per task and class. */
#define MMSTALL_ORDERS		16
#define MMSTALL_GFP_PER_REC	4

struct mmstall_gfp_count {
	__u32 gfp;		/* raw mask: named by the GFP_NAMES section */
	__u32 reserved;
	__u64 count;
};

struct mmstall_reclaim_rec {
	__u32 task;
	__u32 class;		/* direct_reclaim, memcg_reclaim, compaction */
	__u64 order_count[MMSTALL_ORDERS];	/* last: this order or more */
	__u64 nr_reclaimed;	/* pages, where the kernel reports it */
	struct mmstall_gfp_count gfp[MMSTALL_GFP_PER_REC];	/* last: others */
	char memcg[MMSTALL_NAME_LEN];	/* cgroup path, memcg_reclaim */
};

/* The kernel's own names of the gfp masks seen ("GFP_KERNEL|__GFP_..."). */
struct mmstall_gfp_name_rec {
	__u32 gfp;
	__u32 reserved;
	char name[128];
};

/* The mask of the last gfp entry of a reclaim record once it counts others. */
#define MMSTALL_GFP_OTHERS	0xffffffffU

/*
 * A vm event counter at the start of the window (load or reset) and when
 * the snapshot was taken, named as in /proc/vmstat ("allocstall" sums the
 * per-zone counters).  The module also counts "kswapd_wakeups" (start 0).
 */
struct mmstall_vmstat_rec {
	char name[32];
	__u64 start;
	__u64 now;
};

/*
 * What tracing cost over the window, per class or feature: every call
 * of its probes' handlers is counted, and one in a few is timed with the
 * clock on both sides.  The time of all calls is estimated as
 * calls * sampled_ns / sampled.  The kernel's dispatch to a handler (the
 * kprobe trap, the tracepoint call) is not included.
 */
struct mmstall_cost_rec {
	__u32 class;		/* enum mmstall_class or enum mmstall_feature */
	__u32 probes;		/* attached probes of this class */
	__u64 calls;		/* handler calls, events or not */
	__u64 sampled;		/* calls timed */
	__u64 sampled_ns;	/* their time in the handlers */
};

#endif /* _UAPI_MMSTALL_H */
