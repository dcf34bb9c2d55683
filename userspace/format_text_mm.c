// SPDX-License-Identifier: GPL-2.0
/*
 * The text report's sections beyond the stall classes: notes, mm calls,
 * lock holders, slabinfo readers, slab caches, reclaim details.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "format_mm.h"
#include "names.h"
#include "stats.h"

#define COMM_ESC	(4 * MMSTALL_COMM_LEN + 1)

void print_notes(FILE *out, const struct snap *snap)
{
	char key[4 * sizeof(snap->notes->key) + 1];
	char value[4 * sizeof(snap->notes->value) + 1];
	size_t i;

	for (i = 0; i < snap->nr_notes; i++)
		fprintf(out, "note: %s: %s\n",
			text_escape(key, sizeof(key), snap->notes[i].key),
			text_escape(value, sizeof(value),
				    snap->notes[i].value));
}

/* "(none recorded)", or why there is nothing at all; true if empty. */
static bool nothing(FILE *out, const void *array, size_t n)
{
	if (!array)
		fprintf(out, "(not in this snapshot: the module does not send it)\n");
	else if (!n)
		fprintf(out, "(none recorded)\n");
	return !n;
}

/* A power of two in binary units where exact: "512", "64K", "2G". */
static const char *fmt_size(char *buf, size_t len, __u64 v)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	while (v && !(v & 1023) && u < 5) {
		v >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)v, units[u]);
	return buf;
}

/* Length bucket @b as "low-high", high excluded: "64K-128K". */
static const char *fmt_bucket(char *buf, size_t len, unsigned int b)
{
	char lo[24], hi[24];

	if (!b) {
		snprintf(buf, len, "0");
		return buf;
	}
	fmt_size(lo, sizeof(lo), 1ULL << (b - 1));
	if (b >= MMSTALL_BYTES_BUCKETS - 1)
		snprintf(hi, sizeof(hi), "16E");
	else
		fmt_size(hi, sizeof(hi), 1ULL << b);
	snprintf(buf, len, "%s-%s", lo, hi);
	return buf;
}

const char *fmt_len_mode(char *buf, size_t len,
			 const struct mmstall_mm_calls_rec *r)
{
	unsigned int b, best = 0;

	for (b = 1; b < MMSTALL_BYTES_BUCKETS; b++)
		if (r->bytes_hist[b] > r->bytes_hist[best])
			best = b;
	if (!r->bytes_hist[best]) {
		snprintf(buf, len, "-");
		return buf;
	}
	return fmt_bucket(buf, len, best);
}

static void print_calls_row(FILE *out, const char *id, const char *name,
			    const struct mmstall_mm_calls_rec *r)
{
	char mode[64], t1[32], t2[32];
	unsigned int c;

	fprintf(out, "%-8s %-16s", id, name);
	for (c = 0; c < MMSTALL_NR_CALLS; c++)
		fprintf(out, " %8llu", (unsigned long long)r->calls[c]);
	fprintf(out, " %-12s", fmt_len_mode(mode, sizeof(mode), r));
	if (r->write_holds)
		fprintf(out, " %s in %llu (max %s)",
			fmt_ns(t1, sizeof(t1), r->write_hold_ns),
			(unsigned long long)r->write_holds,
			fmt_ns(t2, sizeof(t2), r->write_hold_max_ns));
	else
		fprintf(out, " -");
	fputc('\n', out);
}

static const char *upper(char *buf, size_t len, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = toupper((unsigned char)s[i]);
	buf[i] = '\0';
	return buf;
}

struct mm_proc {
	__u32 tgid;
	const char *name;
	size_t threads;
	struct mmstall_mm_calls_rec sum;
	__u64 total;
};

static int cmp_proc(const void *x, const void *y)
{
	const struct mm_proc *a = x, *b = y;

	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	return (a->tgid > b->tgid) - (a->tgid < b->tgid);
}

/* Processes with mm calls, most calls first; NULL if none. */
/* Where a record of @refs is, by its task's process. */
struct ref_pos {
	__u32 tgid;
	size_t pos;
};

static int cmp_ref_pos(const void *x, const void *y)
{
	const struct ref_pos *a = x, *b = y;

	if (a->tgid != b->tgid)
		return a->tgid < b->tgid ? -1 : 1;
	return (a->pos > b->pos) - (a->pos < b->pos);
}

/*
 * @refs by process, each process's in their order: a process's threads
 * found without a scan of every record (a crafted file can have many).
 * malloc'd; NULL if there are none or memory ran out.
 */
static struct ref_pos *refs_by_tgid(const struct rec_ref *refs, size_t n)
{
	struct ref_pos *r;
	size_t i;

	if (!n)
		return NULL;
	r = calloc(n, sizeof(*r));
	if (!r)
		return NULL;
	for (i = 0; i < n; i++) {
		r[i].tgid = refs[i].task->rec.tgid;
		r[i].pos = i;
	}
	qsort(r, n, sizeof(*r), cmp_ref_pos);
	return r;
}

/* The first entry of process @tgid in @r, or @n. */
static size_t first_of(const struct ref_pos *r, size_t n, __u32 tgid)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r[mid].tgid < tgid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct mm_proc *mm_procs(const struct snap *snap, size_t *nr)
{
	struct mm_proc *p, *procs;
	const struct snap_task *t;
	size_t i, n = 0;

	*nr = 0;
	procs = calloc(snap->nr_tasks + 1, sizeof(*procs));
	if (!procs)
		return NULL;
	for (i = 0; i < snap->nr_tasks; i++) {
		t = &snap->tasks[i];
		if (t->mm_calls < 0)
			continue;
		/* tasks are sorted by tgid: a process is a run */
		if (!n || procs[n - 1].tgid != t->rec.tgid) {
			procs[n].tgid = t->rec.tgid;
			procs[n].name = t->rec.process;
			n++;
		}
		p = &procs[n - 1];
		mm_calls_add(&p->sum, &snap->mm_calls[t->mm_calls]);
		p->threads++;
	}
	for (i = 0; i < n; i++)
		procs[i].total = mm_calls_total(&procs[i].sum);
	if (n)
		qsort(procs, n, sizeof(*procs), cmp_proc);
	*nr = n;
	return procs;
}

static void print_bytes_hist(FILE *out, const struct mm_proc *p)
{
	__u64 rows[LOG2_ROWS + 1] = { 0 };
	unsigned int b, r, first = LOG2_ROWS, nr = 0;
	char esc[COMM_ESC];

	/* bucket b > 0 is [2^(b-1), 2^b): bcc's row b - 1 */
	for (b = 0; b < MMSTALL_BYTES_BUCKETS && b <= LOG2_ROWS; b++) {
		if (!p->sum.bytes_hist[b])
			continue;
		r = b ? b - 1 : 0;
		rows[r] += p->sum.bytes_hist[b];
		if (r + 1 > nr)
			nr = r + 1;
		if (r < first)
			first = r;
	}
	if (!nr)
		return;
	fprintf(out, "\nlength argument of the calls of process %u %s:\n",
		p->tgid, text_escape(esc, sizeof(esc), p->name));
	print_log2_hist_from(out, rows, first, nr, "bytes");
}

static void print_mm_calls(FILE *out, const struct snap *snap)
{
	char esc[COMM_ESC], id[32], name[16];
	struct mm_proc *procs;
	struct ref_pos *by_tgid;
	struct rec_ref *refs;
	const struct snap_task *t;
	size_t i, j, k, nr, nrefs;
	unsigned int c;

	fprintf(out, "\nMM CALLS (mmap-family system calls: per process, then its threads)\n");
	procs = mm_procs(snap, &nr);
	if (nothing(out, snap->mm_calls, nr)) {
		free(procs);
		return;
	}
	nrefs = rec_refs(snap, REC_MM_CALLS, &refs);
	by_tgid = refs_by_tgid(refs, nrefs);
	if (nrefs && !by_tgid)
		nrefs = 0;	/* out of memory: processes only */
	fprintf(out, "%-8s %-16s", "PID", "NAME");
	for (c = 0; c < MMSTALL_NR_CALLS; c++)
		fprintf(out, " %8s", upper(name, sizeof(name), call_name(c)));
	fprintf(out, " %-12s %s\n", "LENGTH", "WRITE HOLD");
	for (i = 0; i < nr; i++) {
		snprintf(id, sizeof(id), "%u", procs[i].tgid);
		print_calls_row(out, id, text_escape(esc, sizeof(esc),
						     procs[i].name),
				&procs[i].sum);
		for (j = first_of(by_tgid, nrefs, procs[i].tgid);
		     j < nrefs && by_tgid[j].tgid == procs[i].tgid; j++) {
			k = by_tgid[j].pos;
			t = refs[k].task;
			/* a process of one thread, its leader: one row */
			if (procs[i].threads == 1 && t->rec.pid == t->rec.tgid)
				continue;
			snprintf(id, sizeof(id), "  %u", t->rec.pid);
			print_calls_row(out, id,
					text_escape(esc, sizeof(esc),
						    t->rec.comm),
					refs[k].rec);
		}
	}
	fprintf(out, "LENGTH: the power-of-two range of most calls' length argument, high end excluded.\n");
	fprintf(out, "WRITE HOLD: time mmap_lock was held for write, in so many holds (module parameter hold_time=1).\n");
	print_bytes_hist(out, &procs[0]);
	free(by_tgid);
	free(refs);
	free(procs);
}

static void print_holders(FILE *out, const struct snap *snap)
{
	char comm[COMM_ESC], proc[COMM_ESC], t1[32], t2[32];
	const struct mmstall_holder_rec *r;
	struct rec_ref *refs;
	size_t i, n;

	fprintf(out, "\nHOLDERS (who held mmap_lock for write while others waited)\n");
	n = rec_refs(snap, REC_HOLDERS, &refs);
	if (nothing(out, snap->holders, n))
		return;
	fprintf(out, "%-8s %-16s %-16s %-10s %8s %9s %9s\n", "PID", "COMM",
		"PROCESS", "LOCK", "WAITERS", "BLOCKED", "MAX");
	for (i = 0; i < n; i++) {
		r = refs[i].rec;
		fprintf(out, "%-8u %-16s %-16s %-10s %8llu %9s %9s\n",
			refs[i].task->rec.pid,
			text_escape(comm, sizeof(comm), refs[i].task->rec.comm),
			text_escape(proc, sizeof(proc),
				    refs[i].task->rec.process),
			lock_name(r->lock),
			(unsigned long long)r->blocked_waiters,
			fmt_ns(t1, sizeof(t1), r->blocked_ns),
			fmt_ns(t2, sizeof(t2), r->max_blocked_ns));
	}
	free(refs);
}

static void print_slabinfo_readers(FILE *out, const struct snap *snap)
{
	char comm[COMM_ESC], proc[COMM_ESC], t1[32], t2[32];
	const struct mmstall_slabinfo_reader_rec *r;
	struct rec_ref *refs;
	size_t i, n;

	fprintf(out, "\nSLABINFO READERS (who walked /proc/slabinfo, and for how long)\n");
	n = rec_refs(snap, REC_SLABINFO, &refs);
	if (nothing(out, snap->slabinfo_readers, n))
		return;
	fprintf(out, "%-8s %-16s %-16s %8s %9s %9s\n", "PID", "COMM",
		"PROCESS", "READS", "TOTAL", "MAX");
	for (i = 0; i < n; i++) {
		r = refs[i].rec;
		fprintf(out, "%-8u %-16s %-16s %8llu %9s %9s\n",
			refs[i].task->rec.pid,
			text_escape(comm, sizeof(comm), refs[i].task->rec.comm),
			text_escape(proc, sizeof(proc),
				    refs[i].task->rec.process),
			(unsigned long long)r->reads,
			fmt_ns(t1, sizeof(t1), r->total_ns),
			fmt_ns(t2, sizeof(t2), r->max_ns));
	}
	free(refs);
}

static void print_slab_caches(FILE *out, const struct snap *snap)
{
	char esc[4 * MMSTALL_NAME_LEN + 1], t1[32], t2[32];
	const struct mmstall_slab_cache_rec *r;
	size_t i;

	fprintf(out, "\nSLAB CACHES (slab slowpath time per cache, all tasks)\n");
	if (nothing(out, snap->slab_caches, snap->nr_slab_caches))
		return;
	fprintf(out, "%-24s %10s %9s %9s\n", "CACHE", "COUNT", "TOTAL",
		"MAX");
	for (i = 0; i < snap->nr_slab_caches; i++) {
		r = &snap->slab_caches[i];
		fprintf(out, "%-24s %10llu %9s %9s\n",
			text_escape(esc, sizeof(esc), r->cache),
			(unsigned long long)r->count,
			fmt_ns(t1, sizeof(t1), r->total_ns),
			fmt_ns(t2, sizeof(t2), r->max_ns));
	}
}

void print_mm_sections(FILE *out, const struct snap *snap)
{
	print_mm_calls(out, snap);
	print_holders(out, snap);
	print_slabinfo_readers(out, snap);
	print_slab_caches(out, snap);
}

void print_reclaim(FILE *out, const char *indent, const struct snap *snap,
		   const struct mmstall_reclaim_rec *r)
{
	char buf[16], esc[4 * 128 + 1];
	const char *sep = " ";
	unsigned int i;

	fprintf(out, "%sreclaim: orders", indent);
	for (i = 0; i < MMSTALL_ORDERS; i++) {
		if (!r->order_count[i])
			continue;
		fprintf(out, "%s%u%s:%llu", sep, i,
			i == MMSTALL_ORDERS - 1 ? "+" : "",
			(unsigned long long)r->order_count[i]);
		sep = ", ";
	}
	if (*sep == ' ')
		fprintf(out, " -");
	fprintf(out, "; gfp");
	sep = " ";
	for (i = 0; i < MMSTALL_GFP_PER_REC; i++) {
		if (!r->gfp[i].count)
			continue;
		fprintf(out, "%s%s %llu", sep,
			text_escape(esc, sizeof(esc),
				    gfp_name(snap, r->gfp[i].gfp, buf,
					     sizeof(buf))),
			(unsigned long long)r->gfp[i].count);
		sep = ", ";
	}
	if (*sep == ' ')
		fprintf(out, " -");
	fprintf(out, "; %llu pages reclaimed",
		(unsigned long long)r->nr_reclaimed);
	if (r->memcg[0])
		fprintf(out, "; memcg %s",
			text_escape(esc, sizeof(esc), r->memcg));
	fputc('\n', out);
}
