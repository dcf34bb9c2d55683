/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output files that appear whole or not at all: written to FILE.tmp in
 * the same directory, then renamed over FILE, so a reader (a person, a
 * node_exporter textfile collector) never sees half a report.
 */
#ifndef MMSTALL_OUTFILE_H
#define MMSTALL_OUTFILE_H

#include <stdio.h>

struct outfile {
	FILE *f;		/* write here */
	const char *path;	/* NULL: stdout */
	char *tmp;		/* path.tmp, malloc'd; NULL for stdout */
};

/*
 * Open @path ("-" or NULL: stdout) for writing.  Returns an exit code
 * (RC_OK, or RC_PERM/RC_ERROR with a message on stderr).
 */
int outfile_open(struct outfile *o, const char *path);

/*
 * Flush, check for write errors, close and rename into place.  On any
 * error the temporary file is removed and the old FILE, if any, stays.
 */
int outfile_commit(struct outfile *o);

/* Give up: close and remove the temporary file. */
void outfile_abort(struct outfile *o);

#endif /* MMSTALL_OUTFILE_H */
