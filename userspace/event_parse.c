// SPDX-License-Identifier: GPL-2.0
/* Parsing and printing the module's slow events (see event_parse.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event_parse.h"
#include "format.h"
#include "json.h"
#include "stats.h"

static void copy_value(char *dst, size_t len, const char *v, size_t n)
{
	if (n >= len)
		n = len - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static bool parse_u64(const char *v, size_t n, __u64 *out)
{
	char buf[24], *end;

	if (!n || n >= sizeof(buf))
		return false;
	memcpy(buf, v, n);
	buf[n] = '\0';
	if (buf[0] < '0' || buf[0] > '9')
		return false;
	*out = strtoull(buf, &end, 10);
	return *end == '\0';
}

/* One key=value token of an event line into @ev; false if malformed. */
static bool event_field(struct mm_event *ev, const char *tok, size_t n)
{
	const char *eq = memchr(tok, '=', n);
	size_t klen, vlen;
	const char *v;
	__u64 u;

	if (!eq)
		return false;
	klen = eq - tok;
	v = eq + 1;
	vlen = n - klen - 1;
#define KEY(k) (klen == sizeof(k) - 1 && !memcmp(tok, k, klen))
	if (KEY("class"))
		copy_value(ev->class, sizeof(ev->class), v, vlen);
	else if (KEY("lock"))
		copy_value(ev->lock, sizeof(ev->lock), v, vlen);
	else if (KEY("site"))
		copy_value(ev->site, sizeof(ev->site), v, vlen);
	else if (KEY("comm"))
		copy_value(ev->comm, sizeof(ev->comm), v, vlen);
	else if (KEY("process"))
		copy_value(ev->process, sizeof(ev->process), v, vlen);
	else if (!KEY("time_ns") && !KEY("dur_ns") && !KEY("pid") &&
		 !KEY("tgid") && !KEY("frames"))
		return true;	/* a newer module's key: ignored */
	else if (!parse_u64(v, vlen, &u))
		return false;
	else if (KEY("time_ns"))
		ev->time_ns = u;
	else if (KEY("dur_ns"))
		ev->dur_ns = u;
	else if (KEY("pid"))
		ev->pid = (unsigned int)u;
	else if (KEY("tgid"))
		ev->tgid = (unsigned int)u;
	else
		ev->nr_frames = u > EVENT_MAX_FRAMES ? EVENT_MAX_FRAMES :
						       (unsigned int)u;
#undef KEY
	return true;
}

enum event_line event_parse_line(const char *line, struct mm_event *ev,
				 unsigned long long *lost)
{
	const char *p, *end;
	__u64 u;

	if (!strncmp(line, "  ", 2)) {
		if (ev->got_frames < EVENT_MAX_FRAMES) {
			copy_value(ev->frame[ev->got_frames], EVENT_FRAME_LEN,
				   line + 2, strcspn(line + 2, "\n"));
			ev->got_frames++;
		}
		return EVENT_LINE_FRAME;
	}
	if (!strncmp(line, "lost ", 5)) {
		p = line + 5;
		if (!parse_u64(p, strcspn(p, " \n"), &u))
			return EVENT_LINE_BAD;
		*lost = u;
		return EVENT_LINE_LOST;
	}
	if (strncmp(line, "event ", 6))
		return EVENT_LINE_OTHER;
	memset(ev, 0, sizeof(*ev));
	for (p = line + 6; *p && *p != '\n'; p = end) {
		while (*p == ' ')
			p++;
		end = p + strcspn(p, " \n");
		if (end > p && !event_field(ev, p, end - p))
			return EVENT_LINE_BAD;
	}
	if (!ev->class[0] || !ev->pid)
		return EVENT_LINE_BAD;
	return EVENT_LINE_EVENT;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void event_unescape(char *dst, size_t len, const char *s)
{
	size_t o = 0;

	while (*s && o + 1 < len) {
		if (s[0] == '\\' && s[1] == 'x' && hexval(s[2]) >= 0 &&
		    hexval(s[3]) >= 0) {
			dst[o++] = (char)(hexval(s[2]) << 4 | hexval(s[3]));
			s += 4;
		} else {
			dst[o++] = *s++;
		}
	}
	dst[o] = '\0';
}

/* "2026-11-22T05:43:12.123456Z" */
static const char *fmt_time(char *buf, size_t len, __u64 ns)
{
	time_t sec = (time_t)(ns / 1000000000ULL);
	struct tm tm;
	char day[24];

	if (!gmtime_r(&sec, &tm) ||
	    !strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(day, sizeof(day), "%llu", (unsigned long long)sec);
	snprintf(buf, len, "%s.%06lluZ", day,
		 (unsigned long long)(ns % 1000000000ULL / 1000));
	return buf;
}

/* A value as people read it: the module's escapes undone, then the
 * bytes a terminal must not see escaped again (spaces stay spaces). */
static const char *shown(char *buf, size_t len, const char *v)
{
	char raw[EVENT_VALUE_LEN];

	event_unescape(raw, sizeof(raw), v);
	return text_escape(buf, len, raw);
}

void event_print_text(FILE *out, const struct mm_event *ev)
{
	char t[40], d[32], comm[EVENT_VALUE_LEN], proc[EVENT_VALUE_LEN];
	char site[EVENT_VALUE_LEN];
	unsigned int i;

	fprintf(out, "%s %s pid %u tgid %u %s (%s) %s", fmt_time(t, sizeof(t),
		ev->time_ns), fmt_ns(d, sizeof(d), ev->dur_ns), ev->pid,
		ev->tgid, shown(comm, sizeof(comm), ev->comm),
		shown(proc, sizeof(proc), ev->process), ev->class);
	if (!strncmp(ev->class, "rwsem_", 6))
		fprintf(out, " %s", ev->lock);
	fprintf(out, " site %s\n", shown(site, sizeof(site), ev->site));
	for (i = 0; i < ev->got_frames && i < EVENT_MAX_FRAMES; i++)
		fprintf(out, "    %s\n", ev->frame[i]);
}

static void json_unescaped(struct json *j, const char *k, const char *v)
{
	char raw[EVENT_VALUE_LEN];

	event_unescape(raw, sizeof(raw), v);
	json_kv_string(j, k, raw);
}

void event_print_json(FILE *out, const struct mm_event *ev)
{
	struct json j;
	unsigned int i;
	char t[40];

	json_init(&j, out, false);
	json_object_begin(&j);
	json_kv_string(&j, "time", fmt_time(t, sizeof(t), ev->time_ns));
	json_kv_u64(&j, "time_ns", ev->time_ns);
	json_kv_u64(&j, "pid", ev->pid);
	json_kv_u64(&j, "tgid", ev->tgid);
	json_unescaped(&j, "comm", ev->comm);
	json_unescaped(&j, "process", ev->process);
	json_kv_string(&j, "class", ev->class);
	json_kv_u64(&j, "dur_ns", ev->dur_ns);
	if (!strncmp(ev->class, "rwsem_", 6))
		json_kv_string(&j, "lock", ev->lock);
	json_unescaped(&j, "site", ev->site);
	json_key(&j, "stack");
	json_array_begin(&j);
	for (i = 0; i < ev->got_frames && i < EVENT_MAX_FRAMES; i++)
		json_string(&j, ev->frame[i]);
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}
