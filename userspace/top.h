/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmstall top: what the table shows (the command line sets it, keys
 * change it), and the interactive screen of top_ui.c.
 */
#ifndef MMSTALL_TOP_H
#define MMSTALL_TOP_H

#include <stdbool.h>
#include <stddef.h>
#include "term.h"
#include "top_rows.h"

struct top_view {
	struct task_filter filter;
	enum top_sort sort;
	unsigned long rows;	/* at most this many rows, 0: no limit */
	bool all;		/* since load or reset, not per interval */
	bool saved;		/* a saved snapshot: always since load */
	char comm[MMSTALL_COMM_LEN];	/* the name filter typed in */
};

enum top_action {
	TOP_NONE,		/* nothing to show */
	TOP_REDRAW,		/* the view changed: draw the same data */
	TOP_REFRESH,		/* read a new snapshot now */
	TOP_QUIT,
};

struct top_ui {
	struct term term;
	struct top_view *v;
	unsigned int height, width;
	int prompt;		/* 0, or the key whose value is typed */
	char input[32];
	size_t input_len;
	bool help;		/* the key list instead of the table */
	bool clear;		/* clear the whole screen at the next draw */
	char msg[96];		/* until the next key */
};

/* Take the terminal (stdin, stdout); 0, or -1 if they are no terminal. */
int top_ui_enter(struct top_ui *u, struct top_view *v);
/* Give it back as it was. */
void top_ui_leave(struct top_ui *u);
/* The terminal changed size: read the new one. */
void top_ui_resize(struct top_ui *u);
/* Act on @n bytes read from the keyboard. */
enum top_action top_ui_keys(struct top_ui *u, const unsigned char *buf,
			    size_t n);
/*
 * Draw the table of @cur (differences from @prev if not NULL), or, if
 * @cur is NULL, a screen that says the first interval is being measured.
 */
void top_ui_draw(struct top_ui *u, const struct snap *cur,
		 const struct snap *prev, double interval);

#endif /* MMSTALL_TOP_H */
