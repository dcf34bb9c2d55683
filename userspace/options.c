// SPDX-License-Identifier: GPL-2.0
/* Option handling shared by the subcommands. */
#include <errno.h>
#include <stdlib.h>

#include "cmd.h"

int common_opt(int c, struct source *src, const char *help)
{
	switch (c) {
	case 'd':
		src->dir = optarg;
		return RC_OK;
	case 'f':
		src->file = optarg;
		return RC_OK;
	case 'h':
		fputs(help, stdout);
		return RC_HELP_DONE;
	case '?':
		fputs("Try 'mmstall --help' or 'mmstall COMMAND --help'.\n",
		      stderr);
		return RC_USAGE;
	default:
		return -1;
	}
}

int parse_uint(const char *s, const char *what, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-') {
		errorf("invalid %s: '%s'", what, s);
		return RC_USAGE;
	}
	return RC_OK;
}
