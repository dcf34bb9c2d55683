// SPDX-License-Identifier: GPL-2.0
/* mmstall events: stream single slow stalls with their kernel stacks. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "event_parse.h"

#define PARAMS_DIR	"/sys/module/mmstall/parameters"
#define THRESHOLD_MAX_US	60000000UL	/* the module's 60 s */

static const char help[] =
"USAGE: mmstall events [-t MICROSECONDS] [-n COUNT] [--json] [-d DIR]\n"
"       mmstall events -f FILE [--json]\n"
"\n"
"Stream single stalls as they end: time (UTC), duration, pid, thread and\n"
"process name, class, lock, call site, and the stalled task's kernel\n"
"stack, symbolized by the module (no addresses).  Only stalls at least as\n"
"slow as the threshold are sent, and only they pay for a stack walk.\n"
"The module keeps them in a ring of 1024 while this runs; if the reader\n"
"falls behind, the oldest are dropped and a 'lost N' line says so (also\n"
"counted in lost.events).  One reader at a time.  Ctrl-C stops; the\n"
"threshold set with -t is put back.\n"
"\n"
"OPTIONS:\n"
"  -t, --threshold US  stalls at least this slow (default: the module's\n"
"                      event_threshold_ns, 1000 us unless changed)\n"
"  -n, --count N       stop after N events\n"
"  -j, --json          one JSON object per line; {\"lost\": N} for losses\n"
COMMON_HELP
"                   (-f: a saved stream, 'cat events > FILE')\n"
"\n"
"EXAMPLES:\n"
"  mmstall events -t 500            # stalls of 0.5 ms or more\n"
"  mmstall events -t 10000 -n 20    # the next 20 stalls over 10 ms\n"
"  mmstall events --json > stalls.ndjson\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The module parameter file: $MMSTALL_PARAMS or /sys/module/... */
static void param_path(char *buf, size_t len)
{
	const char *dir = getenv("MMSTALL_PARAMS");

	snprintf(buf, len, "%s/event_threshold_ns", dir ? dir : PARAMS_DIR);
}

static int threshold_rw(const char *value, char *old, size_t oldlen)
{
	char path[512];
	ssize_t n;
	int fd;

	param_path(path, sizeof(path));
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		errorf("%s: %s", path, strerror(errno));
		return errno == EACCES ? RC_PERM : RC_NO_MODULE;
	}
	n = old ? read(fd, old, oldlen - 1) : 0;
	if (old)
		old[n > 0 ? n : 0] = '\0';
	if (write(fd, value, strlen(value)) != (ssize_t)strlen(value)) {
		errorf("%s: write %s: %s", path, value, strerror(errno));
		close(fd);
		return RC_ERROR;
	}
	close(fd);
	return RC_OK;
}

struct events_opts {
	bool json;
	unsigned long count;	/* 0: no limit */
};

static void print_event(const struct events_opts *o, const struct mm_event *ev)
{
	if (o->json)
		event_print_json(stdout, ev);
	else
		event_print_text(stdout, ev);
	fflush(stdout);
}

static void print_lost(const struct events_opts *o, unsigned long long n)
{
	if (o->json)
		printf("{\"lost\": %llu}\n", n);
	else
		printf("# lost %llu events: the reader fell behind\n", n);
	fflush(stdout);
}

/* Reads @in until EOF, Ctrl-C or the count; returns an exit code. */
static int stream(FILE *in, const struct events_opts *o)
{
	unsigned long long lost;
	unsigned long seen = 0;
	struct mm_event ev;
	bool pending = false;
	char *line = NULL;
	size_t cap = 0;
	int rc = RC_OK;

	memset(&ev, 0, sizeof(ev));
	while (!stop && (!o->count || seen < o->count)) {
		if (getline(&line, &cap, in) < 0) {
			if (ferror(in) && errno != EINTR) {
				errorf("events: read: %s", strerror(errno));
				rc = RC_ERROR;
			}
			break;
		}
		switch (event_parse_line(line, &ev, &lost)) {
		case EVENT_LINE_EVENT:
			pending = true;
			break;
		case EVENT_LINE_FRAME:
			break;
		case EVENT_LINE_LOST:
			print_lost(o, lost);
			break;
		case EVENT_LINE_BAD:
			errorf("events: cannot parse: %.80s", line);
			pending = false;
			break;
		case EVENT_LINE_OTHER:
			break;
		}
		if (pending && event_complete(&ev)) {
			print_event(o, &ev);
			pending = false;
			seen++;
		}
	}
	if (pending && !stop)
		print_event(o, &ev);
	free(line);
	return rc;
}

static int parse_args(struct source *src, int argc, char **argv,
		      struct events_opts *o, unsigned long *threshold_us)
{
	static const struct option longopts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, "t:n:j" COMMON_SHORTOPTS,
				longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			rc = parse_uint(optarg, "threshold", threshold_us);
			if (rc)
				return rc;
			if (*threshold_us > THRESHOLD_MAX_US) {
				errorf("events: threshold above 60 s");
				return RC_USAGE;
			}
			break;
		case 'n':
			rc = parse_uint(optarg, "count", &o->count);
			if (rc)
				return rc;
			break;
		case 'j':
			o->json = true;
			break;
		default:
			rc = common_opt(c, src, help);
			if (rc)
				return rc;
		}
	}
	if (optind < argc) {
		errorf("events: unexpected argument '%s'", argv[optind]);
		return RC_USAGE;
	}
	return RC_OK;
}

int cmd_events(struct source *src, int argc, char **argv)
{
	unsigned long threshold_us = ULONG_MAX;
	struct events_opts o = { 0 };
	struct sigaction sa;
	char old[32] = "", val[32];
	FILE *in;
	int fd, rc;

	rc = parse_args(src, argc, argv, &o, &threshold_us);
	if (rc)
		return rc;
	if (src->file && threshold_us != ULONG_MAX) {
		errorf("events: -t sets the live module's threshold; not with -f");
		return RC_USAGE;
	}
	/* a second reader gets EBUSY: the module serves one at a time */
	rc = source_open(src, "events", O_RDONLY, &fd);
	if (rc)
		return rc;
	if (threshold_us != ULONG_MAX) {
		snprintf(val, sizeof(val), "%lu", threshold_us * 1000);
		rc = threshold_rw(val, old, sizeof(old));
		if (rc) {
			close(fd);
			return rc;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: read() returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	in = fdopen(fd, "r");
	if (!in) {
		close(fd);
		rc = RC_ERROR;
	} else {
		if (!src->file && isatty(STDERR_FILENO))
			fprintf(stderr, "# streaming slow stalls; Ctrl-C to stop\n");
		rc = stream(in, &o);
		fclose(in);
	}
	if (old[0] && threshold_rw(strtok(old, "\n"), NULL, 0))
		rc = rc ? rc : RC_ERROR;
	return rc;
}
