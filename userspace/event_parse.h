/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The text of the module's debugfs "events" file, one line at a time:
 *
 *   event time_ns=N pid=N tgid=N class=C dur_ns=N lock=L site=S \
 *         comm=S process=S frames=N
 *     symbol+0xoff/0xsize [module]        (frames lines, two spaces)
 *   lost N                                (events the reader missed)
 *
 * Values have no spaces: the module writes bytes outside '!'..'~', '\'
 * and '=' as \xNN.  Pure functions, for the unit tests.
 */
#ifndef MMSTALL_EVENT_PARSE_H
#define MMSTALL_EVENT_PARSE_H

#include <stdbool.h>
#include <stdio.h>
#include "../uapi/mmstall.h"

#define EVENT_MAX_FRAMES	16
#define EVENT_FRAME_LEN		128
#define EVENT_VALUE_LEN		(4 * MMSTALL_NAME_LEN + 1)

struct mm_event {
	__u64 time_ns;		/* wall clock, ns since the epoch */
	__u64 dur_ns;
	unsigned int pid, tgid;
	char class[32];
	char lock[16];
	/* as the module escaped them: safe to print */
	char site[EVENT_VALUE_LEN];
	char comm[EVENT_VALUE_LEN];
	char process[EVENT_VALUE_LEN];
	unsigned int nr_frames;	/* announced */
	unsigned int got_frames;
	char frame[EVENT_MAX_FRAMES][EVENT_FRAME_LEN];
};

enum event_line {
	EVENT_LINE_EVENT,	/* an event's first line: @ev reset and filled */
	EVENT_LINE_FRAME,	/* one more frame of @ev */
	EVENT_LINE_LOST,	/* *@lost set */
	EVENT_LINE_OTHER,	/* blank or unknown: ignored */
	EVENT_LINE_BAD,		/* an event line that does not parse */
};

enum event_line event_parse_line(const char *line, struct mm_event *ev,
				 unsigned long long *lost);

/* Whether every frame the event line announced has arrived. */
static inline bool event_complete(const struct mm_event *ev)
{
	return ev->got_frames >= ev->nr_frames;
}

/* @s with each \xNN turned back into its byte. */
void event_unescape(char *dst, size_t len, const char *s);

/* One event for people: a header line, then the stack indented. */
void event_print_text(FILE *out, const struct mm_event *ev);
/* One event as one line of JSON (NDJSON). */
void event_print_json(FILE *out, const struct mm_event *ev);

#endif /* MMSTALL_EVENT_PARSE_H */
