// SPDX-License-Identifier: GPL-2.0
/*
 * Slow events: each stall of at least event_threshold_ns, while the
 * debugfs file "events" is open, goes into a ring with the waiter's kernel
 * stack.  Only such stalls pay for the stack walk.
 *
 * The ring is one array for all CPUs: a writer reserves a sequence number
 * with one atomic increment (slow stalls are rare: no shared line is
 * touched for the others), marks its slot busy, fills it, then publishes
 * the number.  Writers never wait: when the reader falls behind by a whole
 * ring, the oldest events are overwritten, and the reader, finding newer
 * numbers than it expected, counts them lost and says so in the stream
 * ("lost N") and in the snapshot (lost.events).  One reader at a time.
 *
 * The text is made at read(): one line per event, then its stack, one
 * symbol per line.  No address is ever printed: a frame with no symbol
 * is "?".
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kallsyms.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include "compat/clock.h"
#include "compat/module.h"
#include "compat/stacktrace.h"
#include "events.h"
#include "names.h"
#include "probe.h"

#define MMSTALL_EVENTS		1024	/* ring slots, a power of two */
#define MMSTALL_EVENT_FRAMES	16
#define MMSTALL_EVENT_TEXT	(2 * PAGE_SIZE)

struct mmstall_event {
	u64 seq;		/* number + 1 once published; 0 while busy */
	u64 end_ns;		/* local_clock() at the stall's end */
	u64 dur_ns;
	u32 pid;
	u32 tgid;
	u16 class;
	u16 lock;
	u32 site;
	u32 nr_frames;
	char comm[MMSTALL_COMM_LEN];
	char process[MMSTALL_COMM_LEN];
	unsigned long frames[MMSTALL_EVENT_FRAMES];
};

bool mmstall_events_armed;
static struct mmstall_event *mmstall_ring;	/* kept until unload */
static atomic64_t mmstall_ring_head;		/* numbers reserved */
static atomic64_t mmstall_ring_lost;
static atomic_t mmstall_events_busy;		/* the file is open */
static DEFINE_MUTEX(mmstall_ring_mutex);

static const char * const mmstall_event_locks[] = MMSTALL_LOCK_NAMES;
static const char * const mmstall_event_sites[] = MMSTALL_SITE_NAMES;

/* Leading frames of this module's own handlers say nothing. */
static unsigned int mmstall_event_stack(unsigned long *frames)
{
	unsigned long raw[MMSTALL_EVENT_FRAMES + 8];
	unsigned int n, i = 0;

	n = mmstall_stack_save(raw, ARRAY_SIZE(raw));
	while (i < n && mmstall_in_this_module(raw[i]))
		i++;
	n = min_t(unsigned int, n - i, MMSTALL_EVENT_FRAMES);
	memcpy(frames, raw + i, n * sizeof(*frames));
	return n;
}

void mmstall_event_record(unsigned int class, u64 ns, unsigned int lock,
			  unsigned int site)
{
	struct mmstall_event *ring = READ_ONCE(mmstall_ring);
	struct task_struct *t = current;
	struct mmstall_event *e;
	u64 seq;

	if (!ring)
		return;
	seq = atomic64_inc_return(&mmstall_ring_head) - 1;
	e = &ring[seq & (MMSTALL_EVENTS - 1)];
	WRITE_ONCE(e->seq, 0);
	smp_wmb();	/* busy before the fields change */
	e->end_ns = local_clock();
	e->dur_ns = ns;
	e->pid = t->pid;
	e->tgid = t->tgid;
	e->class = class;
	e->lock = lock;
	e->site = site;
	memcpy(e->comm, t->comm, MMSTALL_COMM_LEN);
	memcpy(e->process, t->group_leader->comm, MMSTALL_COMM_LEN);
	e->nr_frames = MMSTALL_UNWINDER_GUESS ? 0 :
		       mmstall_event_stack(e->frames);
	/* pairs with the acquire in mmstall_events_take() */
	smp_store_release(&e->seq, seq + 1);
}

u64 mmstall_events_lost(void)
{
	return atomic64_read(&mmstall_ring_lost);
}

struct mmstall_events_reader {
	u64 next;		/* the next number to read */
	u64 lost;		/* lost since the last "lost" line */
	size_t len, off;	/* text made, text copied out */
	struct mmstall_event ev;
	char text[MMSTALL_EVENT_TEXT];
};

/* Copies event @r->next into @r->ev if it is published and intact. */
static int mmstall_events_take(struct mmstall_events_reader *r)
{
	struct mmstall_event *e = &mmstall_ring[r->next & (MMSTALL_EVENTS - 1)];
	/* pairs with the release in mmstall_event_record(): fields set */
	u64 seq = smp_load_acquire(&e->seq);

	if (seq == 0 || seq < r->next + 1)
		return -EAGAIN;		/* being written */
	if (seq == r->next + 1) {
		memcpy(&r->ev, e, sizeof(r->ev));
		smp_rmb();	/* the copy before the second look */
		if (READ_ONCE(e->seq) == seq)
			return 0;
	}
	return -ENOENT;			/* overwritten */
}

static void mmstall_events_escape(struct mmstall_events_reader *r,
				  const char *s, size_t max)
{
	size_t i;

	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = s[i];

		if (c <= ' ' || c >= 0x7f || c == '\\' || c == '=')
			r->len += scnprintf(r->text + r->len,
					    sizeof(r->text) - r->len,
					    "\\x%02x", c);
		else if (r->len + 1 < sizeof(r->text))
			r->text[r->len++] = c;
	}
	if (!i && r->len + 1 < sizeof(r->text))
		r->text[r->len++] = '-';
}

#define mmstall_events_put(r, fmt, ...)					\
	((r)->len += scnprintf((r)->text + (r)->len,			\
			       sizeof((r)->text) - (r)->len, fmt,	\
			       ##__VA_ARGS__))

static const char *mmstall_event_site_name(u32 site)
{
	if (site < ARRAY_SIZE(mmstall_event_sites))
		return site ? mmstall_event_sites[site] : "-";
	if (site >= MMSTALL_SITE_DYNAMIC)
		return mmstall_name_at(site - MMSTALL_SITE_DYNAMIC) ?: "-";
	return "-";
}

static void mmstall_events_format(struct mmstall_events_reader *r)
{
	const struct mmstall_event *e = &r->ev;
	char sym[KSYM_SYMBOL_LEN];
	u64 age = local_clock() - e->end_ns;
	unsigned int i;

	mmstall_events_put(r, "event time_ns=%llu pid=%u tgid=%u class=%s dur_ns=%llu lock=%s site=",
			   ktime_to_ns(ktime_get_real()) - age, e->pid, e->tgid,
			   mmstall_class_name(e->class),
			   e->dur_ns, e->lock < ARRAY_SIZE(mmstall_event_locks) ?
			   mmstall_event_locks[e->lock] : "?");
	mmstall_events_escape(r, mmstall_event_site_name(e->site),
			      MMSTALL_NAME_LEN);
	mmstall_events_put(r, " comm=");
	mmstall_events_escape(r, e->comm, MMSTALL_COMM_LEN);
	mmstall_events_put(r, " process=");
	mmstall_events_escape(r, e->process, MMSTALL_COMM_LEN);
	mmstall_events_put(r, " frames=%u\n", e->nr_frames);
	for (i = 0; i < e->nr_frames; i++) {
		sprint_symbol(sym, e->frames[i]);
		/* no symbol: kallsyms prints the address, which stays here */
		mmstall_events_put(r, "  %s\n",
				   strncmp(sym, "0x", 2) ? sym : "?");
	}
}

/* Makes the text of the next event (or of a loss); false if none yet. */
static bool mmstall_events_next(struct mmstall_events_reader *r)
{
	u64 head = atomic64_read(&mmstall_ring_head);
	u64 gone = 0;
	bool made = false;

	r->len = 0;
	r->off = 0;
	if (head - r->next > MMSTALL_EVENTS) {
		gone = head - MMSTALL_EVENTS - r->next;
		r->next = head - MMSTALL_EVENTS;
	}
	while (!made && r->next < head) {
		int err = mmstall_events_take(r);

		if (err == -EAGAIN)
			break;
		r->next++;
		if (err)
			gone++;
		else
			made = true;
	}
	if (gone) {
		atomic64_add(gone, &mmstall_ring_lost);
		r->lost += gone;
	}
	if (r->lost) {
		mmstall_events_put(r, "lost %llu\n", r->lost);
		r->lost = 0;
	}
	if (made)
		mmstall_events_format(r);
	return r->len != 0;
}

static ssize_t mmstall_events_read(struct file *file, char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct mmstall_events_reader *r = file->private_data;
	size_t done = 0, n;

	while (done < count) {
		if (r->off < r->len) {
			n = min(count - done, r->len - r->off);
			if (copy_to_user(ubuf + done, r->text + r->off, n))
				return done ? done : -EFAULT;
			r->off += n;
			done += n;
			continue;
		}
		if (mmstall_events_next(r))
			continue;
		if (done)
			break;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		/* no wake-ups from the probes: they take no lock */
		if (msleep_interruptible(50))
			return -ERESTARTSYS;
	}
	return done;
}

static int mmstall_events_ring_get(void)
{
	struct mmstall_event *ring;
	int err = 0;

	mutex_lock(&mmstall_ring_mutex);
	if (!mmstall_ring) {
		ring = vzalloc(array_size(MMSTALL_EVENTS, sizeof(*ring)));
		if (ring)
			/* pairs with READ_ONCE() in mmstall_event_record() */
			smp_store_release(&mmstall_ring, ring);
		else
			err = -ENOMEM;
	}
	mutex_unlock(&mmstall_ring_mutex);
	return err;
}

static int mmstall_events_open(struct inode *inode, struct file *file)
{
	struct mmstall_events_reader *r;
	int err;

	if (atomic_cmpxchg(&mmstall_events_busy, 0, 1))
		return -EBUSY;
	err = mmstall_events_ring_get();
	r = err ? NULL : kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r) {
		atomic_set(&mmstall_events_busy, 0);
		return err ?: -ENOMEM;
	}
	r->next = atomic64_read(&mmstall_ring_head);
	file->private_data = r;
	WRITE_ONCE(mmstall_events_armed, true);
	return nonseekable_open(inode, file);
}

static int mmstall_events_release(struct inode *inode, struct file *file)
{
	WRITE_ONCE(mmstall_events_armed, false);
	kfree(file->private_data);
	atomic_set(&mmstall_events_busy, 0);
	return 0;
}

static const struct file_operations mmstall_events_fops = {
	.owner = THIS_MODULE,
	.open = mmstall_events_open,
	.read = mmstall_events_read,
	.release = mmstall_events_release,
};

int mmstall_events_debugfs_init(struct dentry *dir)
{
	struct dentry *d = debugfs_create_file("events", 0400, dir, NULL,
					       &mmstall_events_fops);

	return IS_ERR_OR_NULL(d) ? -ENODEV : 0;
}

/* After the probes are gone: nothing writes the ring any more. */
void mmstall_events_exit(void)
{
	vfree(mmstall_ring);
	mmstall_ring = NULL;
}
