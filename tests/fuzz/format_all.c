// SPDX-License-Identifier: GPL-2.0
/*
 * Decode bytes as a snapshot and format them every way the reader can,
 * then check what came out: text has no byte a terminal would act on,
 * JSON and Prometheus no raw control byte, and JSON nothing that looks
 * like a kernel address.  A failed check is a crash for the fuzzer.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../../userspace/format.h"
#include "../../userspace/names.h"
#include "../../userspace/stats.h"
#include "../../userspace/top_rows.h"
#include "format_all.h"

static void top_rows(FILE *out, const struct snap *cur,
		     const struct snap *prev, const struct task_filter *f)
{
	char line[TOP_LINE_LEN];
	struct top_table t;
	size_t i;
	int key;

	top_title_line(line, sizeof(line), cur);
	fprintf(out, "%s\n", line);
	top_header_line(line, sizeof(line));
	fprintf(out, "%s\n", line);
	for (key = 0; key < TOP_NR_SORTS; key++) {
		if (top_table_build(&t, cur, prev, f, key))
			continue;
		for (i = 0; i < t.nr; i++) {
			top_row_line(line, sizeof(line), &t.rows[i]);
			fprintf(out, "%s\n", line);
		}
		top_table_free(&t);
	}
}

/* What a person reads: the report, status, hist and top. */
static void text_outputs(FILE *out, const struct snap *s)
{
	struct task_filter f = { .class = -1 };

	report_text(out, s);
	print_summary(out, s);
	print_probes(out, s);
	print_hists(out, s, &f, false);
	print_hists(out, s, &f, true);
	top_rows(out, s, NULL, &f);
	top_rows(out, s, s, &f);
	if (s->nr_tasks) {
		f.by_pid = true;
		f.pid = s->tasks[s->nr_tasks - 1].rec.tgid;
		f.comm = s->tasks[0].rec.comm;
	}
	f.class = MMSTALL_CLASS_RWSEM_WRITE;
	print_hists(out, s, &f, false);
	top_rows(out, s, NULL, &f);
}

static void fail(const char *what, const char *buf, size_t len, size_t at)
{
	size_t from = at > 40 ? at - 40 : 0;

	fprintf(stderr, "format_all: %s at byte %zu: ", what, at);
	fwrite(buf + from, 1, (at + 40 < len ? at + 40 : len) - from, stderr);
	fputc('\n', stderr);
	abort();
}

/* Nothing but printable ASCII and newlines (@ascii), or no C0 or DEL. */
static void check_bytes(const char *what, const char *buf, size_t len,
			int ascii)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\n')
			continue;
		if (p[i] < 0x20 || p[i] == 0x7f || (ascii && p[i] > 0x7f))
			fail(what, buf, len, i);
	}
}

/*
 * A run of 12 or more hex digits that starts with ffff is what a kernel
 * address printed in hex looks like (0xffff888012345678).
 */
static void check_addresses(const char *what, const char *buf, size_t len)
{
	size_t i = 0, start;

	while (i < len) {
		if (!isxdigit((unsigned char)buf[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < len && isxdigit((unsigned char)buf[i]))
			i++;
		if (i - start >= 12 && !strncasecmp(buf + start, "ffff", 4))
			fail(what, buf, len, start);
	}
}

typedef void (*formatter)(FILE *out, const struct snap *s);

static void prometheus_all(FILE *out, const struct snap *s)
{
	report_prometheus(out, s, 0);
	report_prometheus(out, s, 2);
}

/* Run @fn into memory, check, and copy to @out. */
static void checked(FILE *out, const struct snap *s, formatter fn,
		    const char *what, int ascii, int addresses)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	mem = open_memstream(&buf, &len);
	if (!mem)
		abort();
	fn(mem, s);
	if (fclose(mem))
		abort();
	check_bytes(what, buf, len, ascii);
	if (addresses)
		check_addresses(what, buf, len);
	fwrite(buf, 1, len, out);
	free(buf);
}

int format_all(const unsigned char *data, size_t len, FILE *out)
{
	struct snap snap;
	char err[256];

	if (snap_decode(data, len, &snap, err, sizeof(err))) {
		/* The message must be one terminated line. */
		if (!memchr(err, '\0', sizeof(err)) || strchr(err, '\n'))
			abort();
		return 0;
	}
	checked(out, &snap, text_outputs, "text", 1, 0);
	checked(out, &snap, report_json, "json", 0, 1);
	checked(out, &snap, prometheus_all, "prometheus", 0, 0);
	fflush(out);
	snap_free(&snap);
	return 1;
}
