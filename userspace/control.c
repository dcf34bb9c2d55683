// SPDX-License-Identifier: GPL-2.0
/* mmstall reset and mmstall snapshot: the commands that move bytes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char reset_help[] =
"USAGE: mmstall reset [-d DIR]\n"
"\n"
"Zero every counter and histogram and start a new window.  Task slots of\n"
"exited tasks are freed.  Probes stay attached.\n"
"\n"
"OPTIONS:\n"
COMMON_HELP
"\n"
"EXAMPLES:\n"
"  mmstall reset; sleep 60; mmstall report   # one minute of stalls\n";

static const char snapshot_help[] =
"USAGE: mmstall snapshot [-d DIR] -o FILE\n"
"\n"
"Save the raw binary snapshot to FILE ('-' for stdout), to read later\n"
"with 'mmstall -f FILE report' on any machine, or to attach to a bug\n"
"report.  The snapshot is checked after it is saved.\n"
"\n"
"OPTIONS:\n"
"  -o, --output FILE  where to write the snapshot\n"
COMMON_HELP
"\n"
"EXAMPLES:\n"
"  mmstall snapshot -o /tmp/mmstall.snap\n"
"  mmstall -f /tmp/mmstall.snap report --json\n";

static int no_args(const char *cmd, int argc, char **argv)
{
	if (optind < argc) {
		errorf("%s: unexpected argument '%s'", cmd, argv[optind]);
		return RC_USAGE;
	}
	return RC_OK;
}

int cmd_reset(struct source *src, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		rc = common_opt(c, src, reset_help);
		if (rc)
			return rc;
	}
	rc = no_args("reset", argc, argv);
	if (rc)
		return rc;
	return source_control(src, "reset");
}

static int write_file(const char *path, const unsigned char *buf,
		      size_t len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;

	if (!f) {
		errorf("%s: %s", path, strerror(errno));
		return errno == EACCES ? RC_PERM : RC_ERROR;
	}
	if (fwrite(buf, 1, len, f) != len || fflush(f) || ferror(f)) {
		errorf("%s: write: %s", path, strerror(errno));
		if (f != stdout)
			fclose(f);
		return RC_ERROR;
	}
	if (f != stdout && fclose(f)) {
		errorf("%s: close: %s", path, strerror(errno));
		return RC_ERROR;
	}
	return RC_OK;
}

int cmd_snapshot(struct source *src, int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	const char *output = NULL;
	unsigned char *buf;
	struct snap snap;
	enum snap_err e;
	char err[256];
	size_t len;
	int c, rc;

	while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "o:", longopts,
				NULL)) != -1) {
		if (c == 'o') {
			output = optarg;
			continue;
		}
		rc = common_opt(c, src, snapshot_help);
		if (rc)
			return rc;
	}
	rc = no_args("snapshot", argc, argv);
	if (rc)
		return rc;
	if (!output) {
		errorf("snapshot: -o FILE is required");
		return RC_USAGE;
	}
	rc = source_read_raw(src, &buf, &len);
	if (rc)
		return rc;
	rc = write_file(output, buf, len);
	if (!rc) {
		/* Saved as read, even if broken: it is evidence. */
		e = snap_decode(buf, len, &snap, err, sizeof(err));
		if (e) {
			errorf("%s saved, but: %s", output, err);
			rc = snap_err_rc(e);
		}
		snap_free(&snap);
	}
	free(buf);
	return rc;
}
