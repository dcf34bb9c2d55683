/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands and what their option parsers share. */
#ifndef MMSTALL_CMD_H
#define MMSTALL_CMD_H

#include <getopt.h>
#include <stdio.h>
#include "source.h"

/* Options every subcommand takes, also accepted before its name. */
#define COMMON_SHORTOPTS	"hd:f:"
#define COMMON_LONGOPTS							\
	{ "help", no_argument, NULL, 'h' },				\
	{ "dir", required_argument, NULL, 'd' },			\
	{ "file", required_argument, NULL, 'f' }

#define COMMON_HELP							\
"  -d, --dir DIR    the module's debugfs directory\n"			\
"                   (default $MMSTALL_DEBUGFS or " MMSTALL_DEFAULT_DIR ")\n" \
"  -f, --file FILE  read a saved snapshot (mmstall snapshot -o FILE)\n"	\
"  -h, --help       this help\n"

/*
 * Handle an option from COMMON_SHORTOPTS.  Returns -1 if @c is not one,
 * else the exit code (RC_OK to go on; -h prints @help and returns a
 * negative code that callers turn into exit 0).
 */
#define RC_HELP_DONE	(-2)
int common_opt(int c, struct source *src, const char *help);

/* Unsigned decimal or exit code RC_USAGE with a message. */
int parse_uint(const char *s, const char *what, unsigned long *out);

int cmd_status(struct source *src, int argc, char **argv);
int cmd_report(struct source *src, int argc, char **argv);
int cmd_hist(struct source *src, int argc, char **argv);
int cmd_top(struct source *src, int argc, char **argv);
int cmd_reset(struct source *src, int argc, char **argv);
int cmd_snapshot(struct source *src, int argc, char **argv);
int cmd_export(struct source *src, int argc, char **argv);
int cmd_events(struct source *src, int argc, char **argv);

#endif /* MMSTALL_CMD_H */
