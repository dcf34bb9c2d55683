// SPDX-License-Identifier: GPL-2.0
/* Output files written to FILE.tmp and renamed into place. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outfile.h"
#include "source.h"

int outfile_open(struct outfile *o, const char *path)
{
	size_t len;
	int fd;

	memset(o, 0, sizeof(*o));
	if (!path || !strcmp(path, "-")) {
		o->f = stdout;
		return RC_OK;
	}
	len = strlen(path) + sizeof(".tmp");
	o->tmp = malloc(len);
	if (!o->tmp) {
		errorf("out of memory");
		return RC_ERROR;
	}
	snprintf(o->tmp, len, "%s.tmp", path);
	o->path = path;
	fd = open(o->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		errorf("%s: %s", o->tmp, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return errno == EACCES || errno == EPERM ? RC_PERM : RC_ERROR;
	}
	o->f = fdopen(fd, "w");
	if (!o->f) {
		errorf("%s: %s", o->tmp, strerror(errno));
		close(fd);
		outfile_abort(o);
		return RC_ERROR;
	}
	return RC_OK;
}

void outfile_abort(struct outfile *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp) {
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
}

int outfile_commit(struct outfile *o)
{
	const char *what = o->tmp ? o->tmp : "stdout";
	int err = 0;

	errno = 0;
	if (fflush(o->f) || ferror(o->f))
		err = errno ? errno : EIO;
	if (o->f == stdout) {
		o->f = NULL;
		if (err) {
			errorf("%s: write: %s", what, strerror(err));
			return RC_ERROR;
		}
		return RC_OK;
	}
	if (fclose(o->f) && !err)
		err = errno;
	o->f = NULL;
	if (err) {
		errorf("%s: write: %s", what, strerror(err));
		outfile_abort(o);
		return RC_ERROR;
	}
	if (rename(o->tmp, o->path)) {
		errorf("rename %s to %s: %s", o->tmp, o->path,
		       strerror(errno));
		outfile_abort(o);
		return RC_ERROR;
	}
	free(o->tmp);
	o->tmp = NULL;
	return RC_OK;
}
