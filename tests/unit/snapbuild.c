// SPDX-License-Identifier: GPL-2.0
/* Test-only builder of synthetic snapshots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapbuild.h"

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

void sb_init(struct sb *b)
{
	struct mmstall_snap_header *h = &b->hdr;

	memset(b, 0, sizeof(*b));
	h->magic = MMSTALL_SNAP_MAGIC;
	h->abi = MMSTALL_ABI_VERSION;
	h->window_ns = 12500000000ULL;
	h->max_tasks = 64;
	h->used_tasks = 6;
	h->max_stats = 256;
	h->used_stats = 5;
	h->hist_buckets = MMSTALL_HIST_BUCKETS;
	h->hist_sub_bits = MMSTALL_HIST_SUB_BITS;
	h->hist_min_shift = MMSTALL_HIST_MIN_SHIFT;
	h->hist_max_shift = MMSTALL_HIST_MAX_SHIFT;
	h->lost.task_slots = 1;
	h->lost.stat_blocks = 2;
	h->lost.kretprobe_missed = 3;
	h->lost.events = 4;
	h->lost.names = 5;
	strcpy(h->version, MMSTALL_VERSION);
	strcpy(h->release, "5.15.0-test");
	strcpy(h->slab, "slub");
	strcpy(h->preempt, "voluntary");
	h->stack_threshold_ns = 1000000;
}

void sb_free(struct sb *b)
{
	unsigned int i;

	for (i = 0; i < b->nr_secs; i++)
		free(b->secs[i].data);
	b->nr_secs = 0;
}

static struct sb_section *section_of(struct sb *b, __u32 type, size_t rs)
{
	struct sb_section *s = NULL;
	unsigned int i;

	for (i = 0; i < b->nr_secs; i++)
		if (b->secs[i].type == type)
			s = &b->secs[i];
	if (!s) {
		if (b->nr_secs == SB_MAX_SECTIONS)
			abort();
		s = &b->secs[b->nr_secs++];
		memset(s, 0, sizeof(*s));
		s->type = type;
		s->rec_size = rs;
	}
	return s;
}

void sb_empty(struct sb *b, __u32 type, size_t size)
{
	section_of(b, type, size + b->rec_extra);
}

void sb_add(struct sb *b, __u32 type, const void *rec, size_t size)
{
	size_t rs = size + b->rec_extra;
	struct sb_section *s = section_of(b, type, rs);
	s->data = xrealloc(s->data, s->len + rs);
	memcpy(s->data + s->len, rec, size);
	memset(s->data + s->len + size, 0xee, b->rec_extra);
	s->len += rs;
	s->count++;
}

void sb_probe(struct sb *b, __u32 class, __u32 kind, __u32 state,
	      __s32 error, __u64 hits, __u64 missed, const char *target)
{
	struct mmstall_probe_rec r;

	memset(&r, 0, sizeof(r));
	r.class = class;
	r.kind = kind;
	r.state = state;
	r.error = error;
	r.hits = hits;
	r.missed = missed;
	strncpy(r.target, target, sizeof(r.target) - 1);
	sb_add(b, MMSTALL_SEC_PROBES, &r, sizeof(r));
}

void sb_name(struct sb *b, __u32 id, const char *name)
{
	struct mmstall_name_rec r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	strncpy(r.name, name, sizeof(r.name) - 1);
	sb_add(b, MMSTALL_SEC_NAMES, &r, sizeof(r));
}

void sb_task(struct sb *b, __u32 slot, __u32 pid, __u32 tgid,
	     const char *comm, const char *process)
{
	struct mmstall_task_rec r;

	memset(&r, 0, sizeof(r));
	r.slot = slot;
	r.pid = pid;
	r.tgid = tgid;
	/* Fills the field; a 16-byte name is left unterminated on purpose. */
	strncpy(r.comm, comm, sizeof(r.comm));
	strncpy(r.process, process, sizeof(r.process));
	sb_add(b, MMSTALL_SEC_TASKS, &r, sizeof(r));
}

void sb_stat_add(struct mmstall_stat_rec *st, __u64 ns, unsigned int lock,
		 __u32 site)
{
	unsigned int i;

	st->count++;
	st->total_ns += ns;
	if (ns > st->max_ns)
		st->max_ns = ns;
	st->hist[mmstall_hist_bucket(ns)]++;
	if (lock < MMSTALL_NR_LOCKS) {
		st->locks[lock].count++;
		st->locks[lock].total_ns += ns;
	}
	if (!site)
		return;
	/* as the module: the last entry collects what finds no room */
	for (i = 0; i < MMSTALL_SITES_PER_STAT - 1; i++)
		if (st->sites[i].site == site || !st->sites[i].site)
			break;
	if (i == MMSTALL_SITES_PER_STAT - 1)
		site = MMSTALL_SITE_MORE;
	st->sites[i].site = site;
	st->sites[i].count++;
	st->sites[i].total_ns += ns;
}

void sb_stat(struct sb *b, const struct mmstall_stat_rec *st)
{
	sb_add(b, MMSTALL_SEC_STATS, st, sizeof(*st));
}

void sb_note(struct sb *b, const char *key, const char *value)
{
	struct mmstall_note_rec r;

	memset(&r, 0, sizeof(r));
	strncpy(r.key, key, sizeof(r.key));
	strncpy(r.value, value, sizeof(r.value));
	sb_add(b, MMSTALL_SEC_NOTES, &r, sizeof(r));
}

void sb_mm_call(struct mmstall_mm_calls_rec *r, unsigned int call,
		__u64 len, __u32 n)
{
	unsigned int bucket = mmstall_bytes_bucket(len);

	/* uapi: a length of 2^63 or more has no bucket (see the report) */
	if (bucket >= MMSTALL_BYTES_BUCKETS) {
		fprintf(stderr, "sb_mm_call: length %llu has no bucket\n",
			(unsigned long long)len);
		abort();
	}
	r->calls[call] += n;
	r->bytes_hist[bucket] += n;
}

void sb_holder(struct sb *b, __u32 task, __u32 lock, __u64 waiters,
	       __u64 ns, __u64 max_ns)
{
	struct mmstall_holder_rec r;

	memset(&r, 0, sizeof(r));
	r.task = task;
	r.lock = lock;
	r.blocked_waiters = waiters;
	r.blocked_ns = ns;
	r.max_blocked_ns = max_ns;
	sb_add(b, MMSTALL_SEC_HOLDERS, &r, sizeof(r));
}

void sb_slabinfo(struct sb *b, __u32 task, __u64 reads, __u64 ns,
		 __u64 max_ns)
{
	struct mmstall_slabinfo_reader_rec r;

	memset(&r, 0, sizeof(r));
	r.task = task;
	r.reads = reads;
	r.total_ns = ns;
	r.max_ns = max_ns;
	sb_add(b, MMSTALL_SEC_SLABINFO_READERS, &r, sizeof(r));
}

void sb_slab_cache(struct sb *b, const char *cache, __u64 count, __u64 ns,
		   __u64 max_ns)
{
	struct mmstall_slab_cache_rec r;

	memset(&r, 0, sizeof(r));
	strncpy(r.cache, cache, sizeof(r.cache));
	r.count = count;
	r.total_ns = ns;
	r.max_ns = max_ns;
	sb_add(b, MMSTALL_SEC_SLAB_CACHES, &r, sizeof(r));
}

void sb_gfp_name(struct sb *b, __u32 gfp, const char *name)
{
	struct mmstall_gfp_name_rec r;

	memset(&r, 0, sizeof(r));
	r.gfp = gfp;
	strncpy(r.name, name, sizeof(r.name));
	sb_add(b, MMSTALL_SEC_GFP_NAMES, &r, sizeof(r));
}

unsigned char *sb_build(struct sb *b, size_t *len)
{
	size_t hs = sizeof(b->hdr) + b->hdr_extra;
	size_t ss = sizeof(struct mmstall_snap_section) + b->sec_extra;
	struct mmstall_snap_section sec;
	size_t off, total;
	unsigned char *buf;
	unsigned int i;

	total = hs + b->nr_secs * ss;
	for (i = 0; i < b->nr_secs; i++)
		total += b->secs[i].len;
	buf = xrealloc(NULL, total);
	memset(buf, 0xdd, total);
	b->hdr.header_size = hs;
	b->hdr.section_size = ss;
	b->hdr.nr_sections = b->nr_secs;
	b->hdr.total_size = total;
	memcpy(buf, &b->hdr, sizeof(b->hdr));
	off = hs + b->nr_secs * ss;
	for (i = 0; i < b->nr_secs; i++) {
		memset(&sec, 0, sizeof(sec));
		sec.type = b->secs[i].type;
		sec.count = b->secs[i].count;
		sec.rec_size = b->secs[i].rec_size;
		sec.offset = off;
		memcpy(buf + hs + i * ss, &sec, sizeof(sec));
		if (b->secs[i].len)
			memcpy(buf + off, b->secs[i].data, b->secs[i].len);
		off += b->secs[i].len;
	}
	*len = total;
	return buf;
}

/* Deterministic pseudo-random numbers for the sample. */
static __u64 sample_rand(__u64 *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

/* The sections beyond the stall classes; cli_tests.py mirrors them. */
static void sample_mm(struct sb *b)
{
	struct mmstall_mm_calls_rec mc;
	struct mmstall_reclaim_rec rc;

	sb_note(b, "holders", "from the rwsem owner field");
	sb_note(b, "write_hold", "off: load with hold_time=1");

	/* seed 001: traffic_server churning 64K mappings */
	memset(&mc, 0, sizeof(mc));
	mc.task = 11;
	sb_mm_call(&mc, MMSTALL_CALL_MMAP, 65536, 50000);
	sb_mm_call(&mc, MMSTALL_CALL_MUNMAP, 65536, 50000);
	sb_mm_call(&mc, MMSTALL_CALL_MADVISE, 4096, 10);
	mc.write_holds = 100000;
	mc.write_hold_ns = 2500000000ULL;
	mc.write_hold_max_ns = 3000000;
	sb_add(b, MMSTALL_SEC_MM_CALLS, &mc, sizeof(mc));
	memset(&mc, 0, sizeof(mc));
	mc.task = 12;
	sb_mm_call(&mc, MMSTALL_CALL_MMAP, 65536, 25000);
	sb_mm_call(&mc, MMSTALL_CALL_MUNMAP, 65535, 25000);
	sb_add(b, MMSTALL_SEC_MM_CALLS, &mc, sizeof(mc));
	memset(&mc, 0, sizeof(mc));
	mc.task = 3;
	sb_mm_call(&mc, MMSTALL_CALL_MMAP, 1 << 20, 30);
	sb_mm_call(&mc, MMSTALL_CALL_MUNMAP, 1 << 20, 100);
	sb_mm_call(&mc, MMSTALL_CALL_BRK, 0, 3);
	sb_mm_call(&mc, MMSTALL_CALL_MREMAP, (1ULL << 62) + 5, 1);
	sb_add(b, MMSTALL_SEC_MM_CALLS, &mc, sizeof(mc));

	sb_holder(b, 3, MMSTALL_LOCK_MMAP, 5, 3000000, 1000000);
	sb_holder(b, 11, MMSTALL_LOCK_MMAP, 40, 800000000, 50000000);
	sb_holder(b, 0, MMSTALL_LOCK_OTHER, 2, 1000000, 600000);

	sb_slabinfo(b, 5, 12, 480000000, 45000000);
	sb_slab_cache(b, "kmalloc-64", 3, 30000, 15000);
	sb_slab_cache(b, "buffer_head", 10, 405000000, 41000000);

	memset(&rc, 0, sizeof(rc));
	rc.task = 0;
	rc.class = MMSTALL_CLASS_DIRECT_RECLAIM;
	rc.order_count[0] = 1;
	rc.order_count[MMSTALL_ORDERS - 1] = 1;
	rc.nr_reclaimed = 512;
	rc.gfp[0].gfp = 0xcc0;
	rc.gfp[0].count = 1;
	rc.gfp[2].gfp = 0x100cca;
	rc.gfp[2].count = 1;
	sb_add(b, MMSTALL_SEC_RECLAIM, &rc, sizeof(rc));
	sb_gfp_name(b, 0xcc0, "GFP_KERNEL");
	sb_gfp_name(b, 0x400, "__GFP_DIRECT_RECLAIM");
}

void sb_sample(struct sb *b)
{
	struct mmstall_stat_rec st;
	__u64 seed = 42;
	int i;

	sb_init(b);
	sb_probe(b, MMSTALL_CLASS_RWSEM_READ, MMSTALL_KIND_KRETPROBE,
		 MMSTALL_STATE_ATTACHED, 0, 1000, 7,
		 "rwsem_down_read_slowpath");
	sb_probe(b, MMSTALL_CLASS_RWSEM_WRITE, MMSTALL_KIND_KRETPROBE,
		 MMSTALL_STATE_ATTACHED, 0, 500, 0,
		 "rwsem_down_write_slowpath");
	sb_probe(b, MMSTALL_CLASS_COMPACTION, MMSTALL_KIND_TRACEPOINT,
		 MMSTALL_STATE_FAILED, -22, 0, 0,
		 "mm_compaction_begin");
	sb_probe(b, MMSTALL_FEATURE_MM_CALLS, MMSTALL_KIND_KPROBE,
		 MMSTALL_STATE_ATTACHED, 0, 150143, 0, "__x64_sys_mmap");
	sb_probe(b, MMSTALL_FEATURE_WRITE_HOLD, MMSTALL_KIND_TRACEPOINT,
		 MMSTALL_STATE_OFF, 0, 0, 0, "mmap_lock_acquire_returned");
	sb_probe(b, MMSTALL_FEATURE_SLABINFO_READERS, MMSTALL_KIND_KPROBE,
		 MMSTALL_STATE_MISSING, -2, 0, 0, "slab_start");
	sb_name(b, 64, "other:do_mmap");
	sb_name(b, 65, "buffer_head");

	/* Process 100 "server": threads 100, 101, 102; process 200 "ss". */
	sb_task(b, 3, 101, 100, "tokio-runtime-w", "server");
	sb_task(b, 0, 100, 100, "server", "server");
	sb_task(b, 7, 102, 100, "tokio-runtime-w", "server");
	sb_task(b, 5, 200, 200, "ss", "ss");
	/* Process 300 "traffic_server": threads 300, 301; no stalls. */
	sb_task(b, 12, 301, 300, "ET_NET 1", "traffic_server");
	sb_task(b, 11, 300, 300, "ET_NET 0", "traffic_server");

	memset(&st, 0, sizeof(st));
	st.task = 3;
	st.class = MMSTALL_CLASS_RWSEM_WRITE;
	for (i = 0; i < 100; i++)
		sb_stat_add(&st, 20000 + sample_rand(&seed) % 5000000,
			    MMSTALL_LOCK_MMAP, MMSTALL_SITE_MUNMAP);
	for (i = 0; i < 30; i++)
		sb_stat_add(&st, 1000 + sample_rand(&seed) % 100000,
			    MMSTALL_LOCK_MMAP, 64);
	sb_stat_add(&st, 42000000, MMSTALL_LOCK_OTHER, 99);
	sb_stat(b, &st);

	memset(&st, 0, sizeof(st));
	st.task = 3;
	st.class = MMSTALL_CLASS_RWSEM_READ;
	for (i = 0; i < 50; i++)
		sb_stat_add(&st, 500 + sample_rand(&seed) % 20000,
			    MMSTALL_LOCK_MMAP, MMSTALL_SITE_PAGE_FAULT);
	sb_stat(b, &st);

	memset(&st, 0, sizeof(st));
	st.task = 7;
	st.class = MMSTALL_CLASS_RWSEM_READ;
	for (i = 0; i < 20; i++)
		sb_stat_add(&st, 3000 + sample_rand(&seed) % 200000,
			    MMSTALL_LOCK_MMAP, MMSTALL_SITE_MADVISE);
	sb_stat(b, &st);

	memset(&st, 0, sizeof(st));
	st.task = 5;
	st.class = MMSTALL_CLASS_SLAB_REFILL;
	for (i = 0; i < 10; i++)
		sb_stat_add(&st, 40000000 + sample_rand(&seed) % 1000000,
			    MMSTALL_NR_LOCKS, 65);
	sb_stat(b, &st);

	memset(&st, 0, sizeof(st));
	st.task = 0;
	st.class = MMSTALL_CLASS_DIRECT_RECLAIM;
	sb_stat_add(&st, 200ULL * 1000000000ULL, MMSTALL_NR_LOCKS, 0);
	sb_stat_add(&st, 100, MMSTALL_NR_LOCKS, 0);
	sb_stat(b, &st);

	sample_mm(b);
}

void sb_many(struct sb *b, const char *weird)
{
	struct mmstall_mm_calls_rec mc;
	struct mmstall_stat_rec st;
	unsigned int i, k, slot = 0;
	char name[MMSTALL_COMM_LEN];
	__u32 tgid;

	sb_init(b);
	memset(&b->hdr.lost, 0, sizeof(b->hdr.lost));
	sb_probe(b, MMSTALL_CLASS_RWSEM_WRITE, MMSTALL_KIND_KRETPROBE,
		 MMSTALL_STATE_ATTACHED, 0, 100, 0,
		 "rwsem_down_write_slowpath");
	sb_probe(b, MMSTALL_CLASS_RWSEM_READ, MMSTALL_KIND_KRETPROBE,
		 MMSTALL_STATE_ATTACHED, 0, 100, 0,
		 "rwsem_down_read_slowpath");
	for (i = 0; i < SB_MANY_PROCS; i++) {
		tgid = 1000 + 10 * i;
		if (i == SB_MANY_PROCS - 1)
			snprintf(name, sizeof(name), "%s", weird);
		else if (i == SB_MANY_OTHER)
			snprintf(name, sizeof(name), "other");
		else
			snprintf(name, sizeof(name), "proc%02u", i);
		sb_task(b, slot, tgid, tgid, name, name);
		memset(&st, 0, sizeof(st));
		st.task = slot;
		st.class = MMSTALL_CLASS_RWSEM_WRITE;
		for (k = 0; k <= i; k++)
			sb_stat_add(&st, (i + 1) * 100000ULL, MMSTALL_LOCK_MMAP,
				    MMSTALL_SITE_MUNMAP);
		sb_stat(b, &st);
		memset(&mc, 0, sizeof(mc));
		mc.task = slot;
		sb_mm_call(&mc, MMSTALL_CALL_MMAP, 4096, (i + 1) * 10);
		sb_add(b, MMSTALL_SEC_MM_CALLS, &mc, sizeof(mc));
		if (i == 3 || i == 7)
			sb_slabinfo(b, slot, i, i * 1000000ULL, 1000000);
		if (i == SB_MANY_PROCS - 1)
			sb_holder(b, slot, MMSTALL_LOCK_MMAP, 3, 5000000,
				  2000000);
		slot++;
		if (i % 2)
			continue;
		/* even processes: a second thread, one 1 us read wait */
		sb_task(b, slot, tgid + 1, tgid, "worker", name);
		memset(&st, 0, sizeof(st));
		st.task = slot;
		st.class = MMSTALL_CLASS_RWSEM_READ;
		sb_stat_add(&st, 1000, MMSTALL_LOCK_MMAP, MMSTALL_SITE_PAGE_FAULT);
		sb_stat(b, &st);
		slot++;
	}
	b->hdr.used_tasks = slot;
	b->hdr.used_stats = slot;
}

/* A new snapshot with one task, slot 2, and one 5 us stall of @class. */
static void one_stall(struct sb *b, __u32 pid, const char *comm,
		      const char *process, __u32 class)
{
	struct mmstall_stat_rec st;

	sb_init(b);
	sb_task(b, 2, pid, pid, comm, process);
	memset(&st, 0, sizeof(st));
	st.task = 2;
	st.class = class;
	sb_stat_add(&st, 5000, MMSTALL_NR_LOCKS, 0);
	sb_stat(b, &st);
}

/*
 * A memcg reclaim with its details, extreme lengths, and records a live
 * copy leaves behind (an orphan mm_calls record and reclaim record, two
 * holder records of one task and lock).
 */
static void sb_mm_edge(struct sb *b)
{
	struct mmstall_mm_calls_rec mc;
	struct mmstall_reclaim_rec rc;

	one_stall(b, 400, "postgres", "postgres", MMSTALL_CLASS_MEMCG_RECLAIM);
	memset(&rc, 0, sizeof(rc));
	rc.task = 2;
	rc.class = MMSTALL_CLASS_MEMCG_RECLAIM;
	rc.order_count[3] = 4;
	rc.nr_reclaimed = 32;
	rc.gfp[1].gfp = 0x100cca;
	rc.gfp[1].count = 4;
	strcpy(rc.memcg, "/system.slice/db.service");
	sb_add(b, MMSTALL_SEC_RECLAIM, &rc, sizeof(rc));
	rc.class = MMSTALL_CLASS_COMPACTION;	/* no such stall: orphan */
	sb_add(b, MMSTALL_SEC_RECLAIM, &rc, sizeof(rc));
	sb_gfp_name(b, 0x100cca, "GFP_HIGHUSER_MOVABLE|__GFP_COMP");

	memset(&mc, 0, sizeof(mc));
	mc.task = 2;
	sb_mm_call(&mc, MMSTALL_CALL_MREMAP, ~0ULL >> 1, 1);
	sb_mm_call(&mc, MMSTALL_CALL_BRK, 0, 2);
	sb_mm_call(&mc, MMSTALL_CALL_MPROTECT, 1, 3);
	sb_add(b, MMSTALL_SEC_MM_CALLS, &mc, sizeof(mc));
	mc.task = 9;				/* no such task: orphan */
	sb_add(b, MMSTALL_SEC_MM_CALLS, &mc, sizeof(mc));

	sb_holder(b, 2, MMSTALL_LOCK_MMAP, 1, 1000, 1000);
	sb_holder(b, 2, MMSTALL_LOCK_MMAP, 2, 5000, 4000);
	sb_empty(b, MMSTALL_SEC_SLABINFO_READERS,
		 sizeof(struct mmstall_slabinfo_reader_rec));
}

/*
 * @field of @size bytes filled with @text, repeated, and no NUL: a
 * module (or a corrupted file) that did not terminate a string.
 */
static void fill(char *field, size_t size, const char *text)
{
	size_t i, n = strlen(text);

	for (i = 0; i < size; i++)
		field[i] = text[i % n];
}

/* Escapes, quotes, newlines, bad UTF-8; and a kernel address. */
#define HOSTILE		"\"\\\n\r\t\033[2J\033]0;x\a\x7f\xff\xc3\x28 "
#define KADDR		"0xffffffff81234567"

void sb_hostile(struct sb *b)
{
	struct mmstall_mm_calls_rec mc;
	struct mmstall_reclaim_rec rc;
	struct mmstall_vmstat_rec vm;
	struct mmstall_probe_rec pr;
	struct mmstall_note_rec nr;
	struct mmstall_stat_rec st;
	struct mmstall_task_rec t;
	unsigned int i;

	sb_init(b);
	fill(b->hdr.version, sizeof(b->hdr.version), HOSTILE);
	fill(b->hdr.release, sizeof(b->hdr.release), "6.1 " KADDR HOSTILE);
	fill(b->hdr.slab, sizeof(b->hdr.slab), "\033[1m\n");
	fill(b->hdr.preempt, sizeof(b->hdr.preempt), HOSTILE);
	b->hdr.lost.events = ~0ULL;

	memset(&pr, 0, sizeof(pr));
	pr.class = MMSTALL_CLASS_RWSEM_WRITE;
	pr.kind = MMSTALL_KIND_KRETPROBE;
	pr.state = MMSTALL_STATE_FAILED;
	pr.error = -22;
	pr.hits = ~0ULL;
	pr.missed = 0xffff888012345678ULL;
	fill(pr.target, sizeof(pr.target), "fn+" KADDR HOSTILE);
	sb_add(b, MMSTALL_SEC_PROBES, &pr, sizeof(pr));
	pr.class = MMSTALL_FEATURE_MM_CALLS;
	pr.state = MMSTALL_STATE_ATTACHED;
	fill(pr.target, sizeof(pr.target), "ffff8880deadbeef");
	sb_add(b, MMSTALL_SEC_PROBES, &pr, sizeof(pr));

	sb_name(b, 64, "other:" KADDR);
	sb_name(b, 65, "other:ffffffffc0de0000+0x10");

	memset(&t, 0, sizeof(t));
	t.slot = 1;
	t.pid = 0xffffffff;
	t.tgid = 0xffffffff;
	fill(t.comm, sizeof(t.comm), HOSTILE);
	fill(t.process, sizeof(t.process), "ffff888012345678");
	sb_add(b, MMSTALL_SEC_TASKS, &t, sizeof(t));
	t.slot = 2;
	t.pid = 7;
	t.tgid = 7;
	fill(t.comm, sizeof(t.comm), "a\"b\\c\nd");
	fill(t.process, sizeof(t.process), "\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80");
	sb_add(b, MMSTALL_SEC_TASKS, &t, sizeof(t));

	for (i = 0; i < 2; i++) {
		memset(&st, 0, sizeof(st));
		st.task = 1 + i;
		st.class = i ? MMSTALL_CLASS_DIRECT_RECLAIM :
			       MMSTALL_CLASS_RWSEM_WRITE;
		sb_stat_add(&st, 0xffff888012345678ULL, MMSTALL_LOCK_MMAP, 64);
		sb_stat_add(&st, 1000, MMSTALL_LOCK_OTHER, 65);
		sb_stat_add(&st, 2000, MMSTALL_LOCK_OTHER, 99);
		st.count = ~0ULL;
		st.max_ns = ~0ULL;
		st.hist[MMSTALL_HIST_BUCKETS - 1] = 0xffffffff;
		sb_stat(b, &st);
	}

	memset(&nr, 0, sizeof(nr));
	fill(nr.key, sizeof(nr.key), HOSTILE);
	fill(nr.value, sizeof(nr.value), KADDR HOSTILE);
	sb_add(b, MMSTALL_SEC_NOTES, &nr, sizeof(nr));

	memset(&mc, 0, sizeof(mc));
	mc.task = 1;
	for (i = 0; i < MMSTALL_NR_CALLS; i++)
		mc.calls[i] = ~0ULL / MMSTALL_NR_CALLS;
	mc.bytes_hist[MMSTALL_BYTES_BUCKETS - 1] = ~0ULL;
	mc.write_hold_ns = ~0ULL;
	sb_add(b, MMSTALL_SEC_MM_CALLS, &mc, sizeof(mc));
	sb_holder(b, 1, MMSTALL_LOCK_MMAP, ~0ULL, 0xffffffff81234567ULL,
		  ~0ULL);
	sb_slabinfo(b, 2, ~0ULL, ~0ULL, ~0ULL);
	sb_slab_cache(b, "", 1, 2, 3);
	fill(((struct mmstall_slab_cache_rec *)
	      (b->secs[b->nr_secs - 1].data))->cache,
	     MMSTALL_NAME_LEN, KADDR HOSTILE);

	memset(&rc, 0, sizeof(rc));
	rc.task = 2;
	rc.class = MMSTALL_CLASS_DIRECT_RECLAIM;
	rc.order_count[MMSTALL_ORDERS - 1] = ~0ULL;
	rc.gfp[0].gfp = 0xcc0;
	rc.gfp[0].count = 1;
	rc.gfp[3].gfp = MMSTALL_GFP_OTHERS;
	rc.gfp[3].count = 2;
	fill(rc.memcg, sizeof(rc.memcg), "/" KADDR HOSTILE);
	sb_add(b, MMSTALL_SEC_RECLAIM, &rc, sizeof(rc));
	sb_gfp_name(b, 0xcc0, "");
	fill(((struct mmstall_gfp_name_rec *)
	      (b->secs[b->nr_secs - 1].data))->name, 128, HOSTILE KADDR);

	memset(&vm, 0, sizeof(vm));
	fill(vm.name, sizeof(vm.name), HOSTILE);
	vm.start = ~0ULL;
	vm.now = 1;
	sb_add(b, MMSTALL_SEC_VMSTAT, &vm, sizeof(vm));
	b->hdr.used_tasks = 2;
	b->hdr.used_stats = 2;
}

int sb_variant(struct sb *b, const char *name)
{
	if (!strcmp(name, "sample")) {
		sb_sample(b);
	} else if (!strcmp(name, "weird")) {
		one_stall(b, 300, "q\"b\\c\x01\x7f\xff", "tab\there",
			  MMSTALL_CLASS_COMPACTION);
	} else if (!strcmp(name, "many")) {
		sb_many(b, "a\"b\\c\nd");
	} else if (!strcmp(name, "mm_edge")) {
		sb_mm_edge(b);
	} else if (!strcmp(name, "empty")) {
		sb_init(b);
		b->hdr.used_tasks = 0;
		b->hdr.used_stats = 0;
	} else if (!strcmp(name, "hostile")) {
		sb_hostile(b);
	} else {
		return -1;
	}
	return 0;
}
