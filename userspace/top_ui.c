// SPDX-License-Identifier: GPL-2.0
/*
 * The interactive screen of `mmstall top`: keys change the sort and the
 * filters, the table fits the terminal and follows its size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "names.h"
#include "top.h"

#define KEY_ESC		0x1b
#define KEY_DEL		0x7f
#define HEAD_LINES	3	/* title, status, column names */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const help_lines[] = {
	"Keys:",
	"  c t m k b   sort by count, total, max, calls, blocked",
	"  s           next sort key",
	"  /           show one thread or process name (empty: all)",
	"  p           show one pid, thread or process (empty: all)",
	"  l           next class: all, rwsem_read, rwsem_write, ...",
	"  =           clear the filters",
	"  a           since load or reset / per interval",
	"  space       read the snapshot now",
	"  Ctrl-L      redraw",
	"  h ?         this help; any key goes back",
	"  q Ctrl-C    quit",
};

int top_ui_enter(struct top_ui *u, struct top_view *v)
{
	memset(u, 0, sizeof(*u));
	u->v = v;
	if (term_enter(&u->term, STDIN_FILENO, STDOUT_FILENO))
		return -1;
	top_ui_resize(u);
	return 0;
}

void top_ui_leave(struct top_ui *u)
{
	fflush(stdout);
	term_leave(&u->term);
}

void top_ui_resize(struct top_ui *u)
{
	term_size(STDOUT_FILENO, &u->height, &u->width);
	u->clear = true;
}

/* Line @y (0-based) of the screen: @s cut to the width, the rest blank. */
static void line(struct top_ui *u, unsigned int y, const char *s)
{
	if (y >= u->height)
		return;
	printf("\033[%u;1H%.*s\033[K", y + 1, (int)u->width, s);
}

static void status_line(struct top_ui *u, char *buf, size_t len)
{
	const struct top_view *v = u->v;
	char comm[4 * MMSTALL_COMM_LEN + 1];
	size_t o;

	if (u->prompt) {
		snprintf(buf, len, "%s (Enter: show, empty: all, Esc: cancel): %.*s_",
			 u->prompt == 'p' ? "pid" : "name",
			 (int)u->input_len, u->input);
		return;
	}
	o = snprintf(buf, len, "sort %s, %s", top_sort_name(v->sort),
		     v->all ? "since load or reset" : "per interval");
	if (v->filter.by_pid && o < len)
		o += snprintf(buf + o, len - o, ", pid %u", v->filter.pid);
	if (v->filter.comm && o < len)
		o += snprintf(buf + o, len - o, ", name %s",
			      text_escape(comm, sizeof(comm), v->filter.comm));
	if (v->filter.class >= 0 && o < len)
		o += snprintf(buf + o, len - o, ", class %s",
			      class_name(v->filter.class));
	if (o < len)
		snprintf(buf + o, len - o, "%s%s", u->msg[0] ? "  " : "   h: keys",
			 u->msg);
}

void top_ui_draw(struct top_ui *u, const struct snap *cur,
		 const struct snap *prev, double interval)
{
	char buf[TOP_LINE_LEN];
	struct top_table t = { NULL, 0 };
	unsigned int y, max;
	size_t i;

	if (u->clear)
		fputs("\033[H\033[2J", stdout);
	u->clear = false;
	if (cur) {
		top_title_line(buf, sizeof(buf), cur);
	} else {
		snprintf(buf, sizeof(buf), "measuring the first interval (%gs)",
			 interval);
	}
	line(u, 0, buf);
	status_line(u, buf, sizeof(buf));
	line(u, 1, buf);
	y = 2;
	if (u->help) {
		for (i = 0; i < ARRAY_SIZE(help_lines); i++)
			line(u, y++, help_lines[i]);
	} else if (cur) {
		if (top_table_build(&t, cur, prev, &u->v->filter, u->v->sort)) {
			line(u, y++, "out of memory");
		} else {
			top_header_line(buf, sizeof(buf));
			line(u, y++, buf);
			max = u->height > HEAD_LINES ? u->height - HEAD_LINES : 0;
			if (u->v->rows && u->v->rows < max)
				max = (unsigned int)u->v->rows;
			for (i = 0; i < t.nr && i < max; i++) {
				top_row_line(buf, sizeof(buf), &t.rows[i]);
				line(u, y++, buf);
			}
			if (!t.nr)
				line(u, y++, "(no stalls)");
			top_table_free(&t);
		}
	}
	if (y < u->height)
		printf("\033[%u;1H\033[J", y + 1);
	fflush(stdout);
}

static void apply_prompt(struct top_ui *u)
{
	struct task_filter *f = &u->v->filter;
	unsigned long pid;
	char *end;

	u->input[u->input_len] = '\0';
	if (u->prompt == '/') {
		if (!u->input_len) {
			f->comm = NULL;
			return;
		}
		memcpy(u->v->comm, u->input, u->input_len);
		u->v->comm[u->input_len] = '\0';	/* input_len < COMM_LEN */
		f->comm = u->v->comm;
		return;
	}
	if (!u->input_len) {
		f->by_pid = false;
		return;
	}
	pid = strtoul(u->input, &end, 10);
	if (*end || u->input[0] < '0' || u->input[0] > '9' ||
	    pid > 0xffffffffUL) {
		snprintf(u->msg, sizeof(u->msg), "not a pid: %.32s", u->input);
		return;
	}
	f->by_pid = true;
	f->pid = (__u32)pid;
}

/* A key while a value is typed in. */
static enum top_action prompt_key(struct top_ui *u, unsigned char c)
{
	size_t max = u->prompt == 'p' ? 10 : MMSTALL_COMM_LEN - 1;

	switch (c) {
	case '\r':
	case '\n':
		apply_prompt(u);
		u->prompt = 0;
		return TOP_REDRAW;
	case KEY_ESC:
		u->prompt = 0;
		return TOP_REDRAW;
	case KEY_DEL:
	case '\b':
		if (u->input_len)
			u->input_len--;
		return TOP_REDRAW;
	case CTRL('u'):
		u->input_len = 0;
		return TOP_REDRAW;
	default:
		if (c >= 0x20 && c < 0x7f && u->input_len < max)
			u->input[u->input_len++] = (char)c;
		return TOP_REDRAW;
	}
}

/* A key of the table's screen. */
static enum top_action table_key(struct top_ui *u, unsigned char c)
{
	struct top_view *v = u->v;

	if (u->help) {
		u->help = false;
		return c == 'q' ? TOP_QUIT : TOP_REDRAW;
	}
	switch (c) {
	case 'q':
	case 'Q':
		return TOP_QUIT;
	case 'c':
		v->sort = TOP_SORT_COUNT;
		break;
	case 't':
		v->sort = TOP_SORT_TOTAL;
		break;
	case 'm':
		v->sort = TOP_SORT_MAX;
		break;
	case 'k':
		v->sort = TOP_SORT_CALLS;
		break;
	case 'b':
		v->sort = TOP_SORT_BLOCKED;
		break;
	case 's':
		v->sort = (v->sort + 1) % TOP_NR_SORTS;
		break;
	case '/':
	case 'p':
		u->prompt = c;
		u->input_len = 0;
		break;
	case 'l':
		v->filter.class = v->filter.class + 1 < MMSTALL_NR_CLASSES ?
				  v->filter.class + 1 : -1;
		break;
	case '=':
		v->filter.by_pid = false;
		v->filter.comm = NULL;
		v->filter.class = -1;
		break;
	case 'a':
		if (v->saved)
			snprintf(u->msg, sizeof(u->msg),
				 "a saved snapshot: always since load");
		else
			v->all = !v->all;
		break;
	case ' ':
		return TOP_REFRESH;
	case CTRL('l'):
		u->clear = true;
		break;
	case 'h':
	case '?':
		u->help = true;
		break;
	default:
		return TOP_NONE;
	}
	return TOP_REDRAW;
}

enum top_action top_ui_keys(struct top_ui *u, const unsigned char *buf,
			    size_t n)
{
	enum top_action act = TOP_NONE, a;
	size_t i;

	for (i = 0; i < n; i++) {
		if (buf[i] == KEY_ESC && !u->prompt) {
			/* An arrow or function key's sequence: ignored. */
			break;
		}
		if (buf[i] != KEY_ESC)
			u->msg[0] = '\0';
		a = u->prompt ? prompt_key(u, buf[i]) : table_key(u, buf[i]);
		if (a == TOP_QUIT)
			return a;
		if (a > act)
			act = a;
		if (buf[i] == KEY_ESC)
			break;	/* the rest of an escape sequence */
	}
	return act;
}
