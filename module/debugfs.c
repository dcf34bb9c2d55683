// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/mmstall/, root only:
 *   snapshot  binary, see uapi/mmstall.h
 *   status    probes, lost counters, table use (text)
 *   tasks     one line per task and class (text)
 *   control   write "reset"; anything else is -EINVAL
 * A control mutex serializes reset against snapshot building.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include "cost.h"
#include "debugfs.h"
#include "events.h"
#include "kernel_info.h"
#include "names.h"
#include "notes.h"
#include "retsite.h"
#include "probe.h"
#include "snapshot.h"
#include "table.h"

static struct dentry *mmstall_dir;
static DEFINE_MUTEX(mmstall_ctl_mutex);

static const char * const mmstall_kind_names[] = MMSTALL_KIND_NAMES;
static const char * const mmstall_state_names[] = MMSTALL_STATE_NAMES;

struct mmstall_snap_file {
	void *buf;
	size_t len;
};

static int mmstall_snapshot_open(struct inode *inode, struct file *file)
{
	struct mmstall_snap_file *sf = kzalloc(sizeof(*sf), GFP_KERNEL);

	if (!sf)
		return -ENOMEM;
	mutex_lock(&mmstall_ctl_mutex);
	sf->buf = mmstall_snapshot_build(&sf->len);
	mutex_unlock(&mmstall_ctl_mutex);
	if (!sf->buf) {
		kfree(sf);
		return -ENOMEM;
	}
	file->private_data = sf;
	return 0;
}

static ssize_t mmstall_snapshot_read(struct file *file, char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	struct mmstall_snap_file *sf = file->private_data;

	return simple_read_from_buffer(ubuf, count, ppos, sf->buf, sf->len);
}

static int mmstall_snapshot_release(struct inode *inode, struct file *file)
{
	struct mmstall_snap_file *sf = file->private_data;

	mmstall_snapshot_free(sf->buf);
	kfree(sf);
	return 0;
}

static const struct file_operations mmstall_snapshot_fops = {
	.owner = THIS_MODULE,
	.open = mmstall_snapshot_open,
	.read = mmstall_snapshot_read,
	.release = mmstall_snapshot_release,
	.llseek = default_llseek,
};

static int mmstall_status_show(struct seq_file *m, void *v)
{
	struct mmstall_table *tb = &mmstall_table;
	struct mmstall_probe *p;
	unsigned int i;

	seq_printf(m, "version %s\nabi %d\nslab %s\npreempt %s\n",
		   MMSTALL_VERSION, MMSTALL_ABI_VERSION, mmstall_slab_name(),
		   mmstall_preempt_name());
	seq_printf(m, "tasks %u/%u\nstats %u/%u\ntable_kib %zu\n",
		   mmstall_used_tasks(), tb->max_tasks, mmstall_used_stats(),
		   tb->max_stats, mmstall_table_bytes() >> 10);
	seq_printf(m, "lost task_slots %lld stat_blocks %lld names %llu events %llu\n",
		   (long long)atomic64_read(&tb->lost_task_slots),
		   (long long)atomic64_read(&tb->lost_stat_blocks),
		   mmstall_names_lost(), mmstall_events_lost());
	seq_printf(m, "events %s threshold_ns %lu\n",
		   READ_ONCE(mmstall_events_armed) ? "reading" : "idle",
		   READ_ONCE(mmstall_event_threshold_ns));
	for (i = 0; i < mmstall_notes_count(); i++)
		seq_printf(m, "note %s %s\n", mmstall_note_at(i)->key,
			   mmstall_note_at(i)->value);
	seq_puts(m, "class target kind state hits missed error\n");
	mmstall_for_each_probe(p, i) {
		if (!mmstall_probe_shown(p))
			continue;
		seq_printf(m, "%s %s %s %s %llu %llu %d\n",
			   mmstall_probe_class_name(p), p->target,
			   mmstall_kind_names[p->kind],
			   mmstall_state_names[p->state],
			   mmstall_probe_hits(p), mmstall_probe_missed(p),
			   p->error);
	}
	mmstall_for_each_probe(p, i)
		if (p->state == MMSTALL_STATE_ATTACHED &&
		    p->kind == MMSTALL_KIND_RETURN_SITES)
			mmstall_retsites_show(m, p);
	mmstall_cost_show(m);
	return 0;
}

static int mmstall_status_open(struct inode *inode, struct file *file)
{
	return single_open(file, mmstall_status_show, NULL);
}

static const struct file_operations mmstall_status_fops = {
	.owner = THIS_MODULE,
	.open = mmstall_status_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/* tasks: iterates stat blocks; one line per task and class. */
static void *mmstall_tasks_start(struct seq_file *m, loff_t *pos)
{
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return *pos <= mmstall_used_stats() ? pos : NULL;
}

static void *mmstall_tasks_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return mmstall_tasks_start(m, pos);
}

static void mmstall_tasks_stop(struct seq_file *m, void *v)
{
}

static int mmstall_tasks_show(struct seq_file *m, void *v)
{
	const struct mmstall_stat_rec *st;
	const struct mmstall_task_rec *t;
	u64 count;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "pid tgid comm process class count total_ns max_ns\n");
		return 0;
	}
	st = &mmstall_table.stats[*(loff_t *)v - 1];
	/* pairs with mmstall_stat_add(): the wait is complete */
	count = smp_load_acquire(&st->count);
	if (!count || st->task >= mmstall_table.max_tasks ||
	    st->class >= MMSTALL_NR_CLASSES)
		return 0;
	t = &mmstall_table.tasks[st->task].rec;
	seq_printf(m, "%u %u %.16s %.16s %s %llu %llu %llu\n", t->pid,
		   t->tgid, t->comm, t->process,
		   mmstall_class_name(st->class), count, st->total_ns,
		   st->max_ns);
	return 0;
}

static const struct seq_operations mmstall_tasks_seq_ops = {
	.start = mmstall_tasks_start,
	.next = mmstall_tasks_next,
	.stop = mmstall_tasks_stop,
	.show = mmstall_tasks_show,
};

static int mmstall_tasks_open(struct inode *inode, struct file *file)
{
	return seq_open(file, &mmstall_tasks_seq_ops);
}

static const struct file_operations mmstall_tasks_fops = {
	.owner = THIS_MODULE,
	.open = mmstall_tasks_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release,
};

/* Whether the module is up: control commands run (mmstall_ctl_mutex). */
static bool mmstall_control_live;

static void mmstall_reset_locked(void)
{
	mmstall_pause();
	mmstall_table_clear();
	mmstall_probes_reset();
	mmstall_families_reset();
	mmstall_resume();
}

#define MMSTALL_CONTROL_MAX	32

/*
 * A control command, from debugfs control or from the control module
 * parameter (the path that works under lockdown, where debugfs files
 * cannot be written): "reset", with blanks around it, else -EINVAL;
 * -ENODEV before the module is up or once it is going.
 */
int mmstall_control(const char *buf)
{
	char cmd[MMSTALL_CONTROL_MAX];
	int err = 0;

	if (strscpy(cmd, buf, sizeof(cmd)) < 0 || strcmp(strim(cmd), "reset"))
		return -EINVAL;
	mutex_lock(&mmstall_ctl_mutex);
	if (mmstall_control_live)
		mmstall_reset_locked();
	else
		err = -ENODEV;
	mutex_unlock(&mmstall_ctl_mutex);
	return err;
}

static ssize_t mmstall_control_write(struct file *file,
				     const char __user *ubuf, size_t count,
				     loff_t *ppos)
{
	char cmd[MMSTALL_CONTROL_MAX];
	int err;

	if (count == 0 || count >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, count))
		return -EFAULT;
	cmd[count] = '\0';
	/* a NUL inside the write is not part of a command */
	if (strlen(cmd) != count)
		return -EINVAL;
	err = mmstall_control(cmd);
	if (err)
		return err;
	return count;
}

static const struct file_operations mmstall_control_fops = {
	.owner = THIS_MODULE,
	.write = mmstall_control_write,
	.llseek = noop_llseek,
};

int mmstall_debugfs_init(void)
{
	mmstall_dir = debugfs_create_dir("mmstall", NULL);
	if (IS_ERR_OR_NULL(mmstall_dir)) {
		pr_err("cannot create debugfs directory mmstall\n");
		mmstall_dir = NULL;
		return -ENODEV;
	}
	if (IS_ERR_OR_NULL(debugfs_create_file("snapshot", 0400, mmstall_dir,
					       NULL, &mmstall_snapshot_fops)) ||
	    IS_ERR_OR_NULL(debugfs_create_file("status", 0400, mmstall_dir,
					       NULL, &mmstall_status_fops)) ||
	    IS_ERR_OR_NULL(debugfs_create_file("tasks", 0400, mmstall_dir,
					       NULL, &mmstall_tasks_fops)) ||
	    IS_ERR_OR_NULL(debugfs_create_file("control", 0200, mmstall_dir,
					       NULL, &mmstall_control_fops)) ||
	    mmstall_events_debugfs_init(mmstall_dir)) {
		pr_err("cannot create debugfs files\n");
		mmstall_debugfs_exit();
		return -ENODEV;
	}
	mutex_lock(&mmstall_ctl_mutex);
	mmstall_control_live = true;
	mutex_unlock(&mmstall_ctl_mutex);
	return 0;
}

void mmstall_debugfs_exit(void)
{
	mutex_lock(&mmstall_ctl_mutex);
	mmstall_control_live = false;
	mutex_unlock(&mmstall_ctl_mutex);
	debugfs_remove_recursive(mmstall_dir);
	mmstall_dir = NULL;
}
