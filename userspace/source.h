/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where snapshots come from: the module's debugfs directory or a saved
 * file.  Every function here prints one line on stderr on failure and
 * returns one of the exit codes below.
 */
#ifndef MMSTALL_SOURCE_H
#define MMSTALL_SOURCE_H

#include <stddef.h>
#include "snapshot.h"

#define MMSTALL_DEFAULT_DIR	"/sys/kernel/debug/mmstall"

/* Exit codes, documented in `mmstall --help`. */
enum rc {
	RC_OK = 0,
	RC_ERROR = 1,		/* any other error (I/O, memory) */
	RC_USAGE = 2,		/* bad command line */
	RC_PERM = 3,		/* permission denied: not root */
	RC_NO_DEBUGFS = 4,	/* debugfs is not mounted */
	RC_NO_MODULE = 5,	/* the module is not loaded */
	RC_ABI = 6,		/* ABI mismatch between module and reader */
	RC_TRUNCATED = 7,	/* truncated snapshot */
	RC_CORRUPT = 8,		/* corrupt snapshot, or not a snapshot */
};

struct source {
	const char *dir;	/* the module's debugfs directory */
	const char *file;	/* a saved snapshot instead, or NULL */
};

/* The directory from $MMSTALL_DEBUGFS, or the default; no file. */
void source_init(struct source *src);

/* The raw snapshot bytes; free(*buf) after use. */
int source_read_raw(const struct source *src, unsigned char **buf,
		    size_t *len);

/* Read and decode a snapshot; snap_free() after use. */
int source_load(const struct source *src, struct snap *snap);

/* Open debugfs file @name of the module, or the saved file (-f). */
int source_open(const struct source *src, const char *name, int flags,
		int *fd);

/* Write @cmd to the module's control file. */
int source_control(const struct source *src, const char *cmd);

/* The exit code of a decode error. */
int snap_err_rc(enum snap_err e);

/* "mmstall: <message>" on stderr. */
void errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The last message of errorf(), without "mmstall: " ("" if none). */
const char *errorf_last(void);

#endif /* MMSTALL_SOURCE_H */
