// SPDX-License-Identifier: GPL-2.0
/*
 * Return-site timing (see retsite.h): finding a function's return sites,
 * registering kprobes on them, and pairing returns with entries.
 *
 * The return sites are the addresses after every direct call to the
 * function in the kernel's text (_stext.._etext), found by decoding each
 * byte as a call (compat/call_insn.h).  A byte sequence that only looks
 * like a call lies inside another instruction: register_kprobe() decodes
 * the containing function from its start and refuses an address that is
 * not an instruction boundary, and what it refuses is counted.  A function
 * that is also reached by a jump from another function (a tail call)
 * would return past every site: it is not timed this way, and its class
 * falls back to the kretprobe.
 */
#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "compat/call_insn.h"
#include "compat/kallsyms.h"
#include "compat/uaccess.h"
#include "notes.h"
#include "retsite.h"

#define MMSTALL_SCAN_CHUNK	4096

static mmstall_kallsyms_fn mmstall_lookup_name;
static unsigned long mmstall_text_start, mmstall_text_end;

/* What a scan of the text found for one function. */
struct mmstall_scan {
	unsigned long target;
	const char *name;
	unsigned int nr_sites;
	unsigned int nr_tails;
	bool overflow;
	unsigned long sites[MMSTALL_RETSITE_MAX];
};

/* Without the text range, every class keeps its kretprobe (a note says). */
void mmstall_retsites_init(void)
{
	if (!MMSTALL_HAVE_CALL_INSN)
		return;
	mmstall_lookup_name = mmstall_kallsyms_resolve();
	if (!mmstall_lookup_name)
		return;
	mmstall_text_start = mmstall_lookup_name("_stext");
	mmstall_text_end = mmstall_lookup_name("_etext");
	if (mmstall_text_end <= mmstall_text_start)
		mmstall_text_start = mmstall_text_end = 0;
}

/* Whether @ip lies in the function @name itself (or its .cold part). */
static bool mmstall_in_function(unsigned long ip, const char *name)
{
	char sym[KSYM_SYMBOL_LEN];
	size_t n = strlen(name);

	sprint_symbol_no_offset(sym, ip);
	return !strncmp(sym, name, n) && (sym[n] == '\0' || sym[n] == '.');
}

static void mmstall_scan_bytes(struct mmstall_scan *s, const u8 *b,
			       unsigned long addr, size_t len)
{
	unsigned long ret;
	size_t i;

	for (i = 0; i < len; i++) {
		if (mmstall_call_target(b + i, addr + i, &ret) == s->target) {
			if (s->nr_sites < MMSTALL_RETSITE_MAX)
				s->sites[s->nr_sites++] = ret;
			else
				s->overflow = true;
		} else if (mmstall_jump_target(b + i, addr + i) == s->target &&
			   !mmstall_in_function(addr + i, s->name)) {
			s->nr_tails++;
		}
	}
}

/* Scans the kernel's text for calls and jumps to @s->target. */
static int mmstall_scan_text(struct mmstall_scan *s)
{
	unsigned long addr, len;
	u8 *buf;

	buf = kmalloc(MMSTALL_SCAN_CHUNK + MMSTALL_INSN_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (addr = mmstall_text_start; addr < mmstall_text_end;
	     addr += MMSTALL_SCAN_CHUNK) {
		len = min_t(unsigned long, MMSTALL_SCAN_CHUNK,
			    mmstall_text_end - addr);
		/* the bytes after the chunk complete its last instructions */
		memset(buf + len, 0, MMSTALL_INSN_MAX);
		if (mmstall_copy_nofault(buf, (void *)addr,
					 len + MMSTALL_INSN_MAX) &&
		    mmstall_copy_nofault(buf, (void *)addr, len))
			continue;
		mmstall_scan_bytes(s, buf, addr, len);
		cond_resched();
	}
	kfree(buf);
	return 0;
}

static int mmstall_retsites_register(struct mmstall_probe *p,
				     const struct mmstall_scan *s)
{
	struct mmstall_retsites *rs = &p->rs;
	unsigned int i;

	rs->sites = kcalloc(s->nr_sites, sizeof(*rs->sites), GFP_KERNEL);
	rs->kps = kcalloc(s->nr_sites, sizeof(*rs->kps), GFP_KERNEL);
	if (!rs->sites || !rs->kps)
		return -ENOMEM;
	for (i = 0; i < s->nr_sites; i++) {
		struct mmstall_retsite_kprobe *site = &rs->sites[i];

		site->probe = p;
		site->kp.addr = (kprobe_opcode_t *)s->sites[i];
		site->kp.pre_handler = p->site_handler;
		if (register_kprobe(&site->kp))
			rs->nr_refused++;
		else
			rs->kps[rs->nr_sites++] = &site->kp;
	}
	return rs->nr_sites ? 0 : -ENOENT;
}

static void mmstall_retsites_free(struct mmstall_retsites *rs)
{
	if (rs->nr_sites)
		unregister_kprobes(rs->kps, rs->nr_sites);
	kfree(rs->sites);
	kfree(rs->kps);
	vfree(rs->frames);
	memset(rs, 0, sizeof(*rs));
}

/* Says why @p's class is not timed by return sites. */
static __printf(2, 3) int mmstall_retsites_not(struct mmstall_probe *p,
						const char *fmt, ...)
{
	char key[32], why[96];
	va_list args;

	va_start(args, fmt);
	vsnprintf(why, sizeof(why), fmt, args);
	va_end(args);
	snprintf(key, sizeof(key), "return_sites:%s",
		 mmstall_probe_class_name(p));
	mmstall_note(key, "%s", why);
	return -ENOENT;
}

/* Scans for @sym's return sites and registers their kprobes. */
static int mmstall_retsites_find(struct mmstall_probe *p, const char *sym,
				 struct mmstall_scan *s)
{
	struct mmstall_retsites *rs = &p->rs;
	int err;

	s->name = sym;
	s->target = mmstall_lookup_name(sym);
	if (!s->target)
		return -ENOENT;
	err = mmstall_scan_text(s);
	if (err)
		return err;
	if (s->nr_tails)
		return mmstall_retsites_not(p, "%s is tail-called from %u places",
					    sym, s->nr_tails);
	if (!s->nr_sites)
		return mmstall_retsites_not(p, "no call to %s found", sym);
	if (s->overflow)
		return mmstall_retsites_not(p, "%s has over %u callers", sym,
					    MMSTALL_RETSITE_MAX);
	rs->frames = vzalloc(sizeof(*rs->frames) << MMSTALL_RETSITE_BITS);
	if (!rs->frames)
		return -ENOMEM;
	err = mmstall_retsites_register(p, s);
	if (err == -ENOENT)
		return mmstall_retsites_not(p, "%s: all %u return sites refused",
					    sym, rs->nr_refused);
	return err;
}

/*
 * Registers the return sites of @sym, then the entry kprobe (in that
 * order: a call entered before its return sites exist would be left
 * unpaired).  -ENOENT when the function cannot be timed this way.
 */
int mmstall_retsites_attach(struct mmstall_probe *p, const char *sym)
{
	struct mmstall_scan *s;
	int err;

	memset(&p->rs, 0, sizeof(p->rs));
	if (!mmstall_text_end)
		return mmstall_retsites_not(p, "no kernel text range");
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	err = mmstall_retsites_find(p, sym, s);
	if (!err) {
		memset(&p->krp, 0, sizeof(p->krp));
		p->krp.kp.symbol_name = sym;
		p->krp.kp.pre_handler = p->pre_handler;
		err = register_kprobe(&p->krp.kp);
	}
	if (err)
		mmstall_retsites_free(&p->rs);
	kfree(s);
	return err;
}

void mmstall_retsites_detach(struct mmstall_probe *p)
{
	unregister_kprobe(&p->krp.kp);
	mmstall_retsites_free(&p->rs);
}

/* "return_site CLASS FUNCTION+0xOFF" for each registered site (status). */
void mmstall_retsites_show(struct seq_file *m, const struct mmstall_probe *p)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned int i;

	for (i = 0; i < p->rs.nr_sites; i++) {
		sprint_symbol(sym, (unsigned long)p->rs.kps[i]->addr);
		sym[strcspn(sym, "/")] = '\0';
		seq_printf(m, "return_site %s %s\n",
			   mmstall_probe_class_name(p), sym);
	}
}

void mmstall_retsites_reset(struct mmstall_probe *p)
{
	if (p->rs.frames)
		memset(p->rs.frames, 0,
		       sizeof(*p->rs.frames) << MMSTALL_RETSITE_BITS);
}

static void mmstall_retsite_missed(struct mmstall_probe *p)
{
	this_cpu_inc(p->pc->missed);
}

/*
 * Only the task (or interrupt) whose stack holds @sp enters or leaves
 * the call keyed by it: the key is claimed and freed with cmpxchg, and
 * the frame's other fields are only read by the one that claimed it.
 */
struct mmstall_retsite_frame *
mmstall_retsite_push(struct mmstall_probe *p, struct pt_regs *regs)
{
	unsigned long sp = mmstall_entry_sp(regs);
	unsigned int i = hash_long(sp, MMSTALL_RETSITE_BITS), n;
	struct mmstall_retsite_frame *f;
	long cur;

	for (n = 0; n < MMSTALL_RETSITE_PROBES; n++) {
		f = &p->rs.frames[(i + n) & ((1U << MMSTALL_RETSITE_BITS) - 1)];
		cur = atomic_long_read(&f->sp);
		if (cur == (long)sp) {
			/* a call at this address ended without a return seen */
			mmstall_retsite_missed(p);
			return f;
		}
		if (!cur && atomic_long_cmpxchg(&f->sp, 0, sp) == 0)
			return f;
	}
	mmstall_retsite_missed(p);
	return NULL;
}

bool mmstall_retsite_pop(struct mmstall_probe *p, struct pt_regs *regs,
			 struct mmstall_retsite_frame *out)
{
	unsigned long sp = mmstall_entry_sp_at_return(regs);
	unsigned int i = hash_long(sp, MMSTALL_RETSITE_BITS), n;
	struct mmstall_retsite_frame *f;

	for (n = 0; n < MMSTALL_RETSITE_PROBES; n++) {
		f = &p->rs.frames[(i + n) & ((1U << MMSTALL_RETSITE_BITS) - 1)];
		if (atomic_long_read(&f->sp) != (long)sp)
			continue;
		out->start_ns = f->start_ns;
		out->arg = f->arg;
		/* frees the slot after its fields are read (full barrier) */
		return atomic_long_cmpxchg(&f->sp, sp, 0) == (long)sp;
	}
	return false;	/* a call entered before the probes, or not tracked */
}
