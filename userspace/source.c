// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the snapshot from debugfs or a file, writing the control file,
 * and telling the user precisely why that failed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "lockdown.h"
#include "source.h"

#define DEBUGFS_MAGIC		0x64626720
#define MAX_SNAPSHOT_BYTES	(1UL << 30)

static char last_error[512];

void errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	fprintf(stderr, "mmstall: %s\n", last_error);
}

const char *errorf_last(void)
{
	return last_error;
}

void source_init(struct source *src)
{
	const char *env = getenv("MMSTALL_DEBUGFS");

	src->dir = env && *env ? env : MMSTALL_DEFAULT_DIR;
	src->file = NULL;
}

static bool dir_is_empty(const char *path)
{
	struct dirent *de;
	bool empty = true;
	DIR *d;

	d = opendir(path);
	if (!d)
		return false;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = false;
			break;
		}
	}
	closedir(d);
	return empty;
}

static bool is_mountpoint(const char *path)
{
	char up[PATH_MAX];
	struct stat st, pst;

	if (snprintf(up, sizeof(up), "%s/..", path) >= (int)sizeof(up))
		return false;
	if (stat(path, &st) || stat(up, &pst))
		return false;
	return st.st_dev != pst.st_dev || st.st_ino == pst.st_ino;
}

/*
 * @path under the module's directory @dir could not be opened (@err):
 * say why, as precisely as the file system lets us.
 */
static int diagnose(const char *dir, const char *path, int err)
{
	char parent[PATH_MAX], mode[32];
	struct statfs sfs;
	struct stat st;
	char *slash;

	if ((err == EACCES || err == EPERM) && lockdown_mode(mode, sizeof(mode))) {
		errorf("%s: %s: debugfs is locked down (%s): only its read-only files open",
		       path, strerror(err), mode);
		return RC_PERM;
	}
	if (err == EACCES || err == EPERM) {
		errorf("%s: permission denied: run as root", path);
		return RC_PERM;
	}
	if (err != ENOENT) {
		errorf("%s: %s", path, strerror(err));
		return RC_ERROR;
	}
	if (!stat(dir, &st)) {
		errorf("%s: %s (is the module from this release?)", path,
		       strerror(err));
		return RC_ERROR;
	}
	if (errno == EACCES) {
		errorf("%s: permission denied: run as root", dir);
		return RC_PERM;
	}
	snprintf(parent, sizeof(parent), "%s", dir);
	while ((slash = strrchr(parent, '/')) && !slash[1] && slash > parent)
		*slash = '\0';	/* trailing slashes */
	slash = strrchr(parent, '/');
	if (slash == parent)
		parent[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(parent, sizeof(parent), ".");

	if (!statfs(parent, &sfs) && sfs.f_type == DEBUGFS_MAGIC) {
		errorf("mmstall module is not loaded: insmod mmstall.ko");
		return RC_NO_MODULE;
	}
	if (stat(parent, &st) || dir_is_empty(parent) ||
	    !is_mountpoint(parent)) {
		errorf("debugfs is not mounted: mount -t debugfs none %s",
		       parent);
		return RC_NO_DEBUGFS;
	}
	errorf("mmstall module is not loaded: insmod mmstall.ko");
	return RC_NO_MODULE;
}

static int read_all(int fd, const char *path, unsigned char **bufp,
		    size_t *lenp)
{
	size_t len = 0, cap = 1 << 16;
	unsigned char *buf, *nbuf;
	ssize_t n;

	buf = malloc(cap);
	if (!buf) {
		errorf("out of memory");
		return RC_ERROR;
	}
	for (;;) {
		if (len == cap) {
			if (cap >= MAX_SNAPSHOT_BYTES) {
				errorf("%s: larger than %lu bytes", path,
				       MAX_SNAPSHOT_BYTES);
				goto err_free;
			}
			nbuf = realloc(buf, cap * 2);
			if (!nbuf) {
				errorf("out of memory");
				goto err_free;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			errorf("%s: read: %s", path, strerror(errno));
			goto err_free;
		}
		if (n == 0)
			break;
		len += n;
	}
	*bufp = buf;
	*lenp = len;
	return RC_OK;

err_free:
	free(buf);
	return RC_ERROR;
}

static int open_in_dir(const struct source *src, const char *name,
		       int flags, char *path, size_t pathlen, int *fdp)
{
	int fd;

	snprintf(path, pathlen, "%s/%s", src->dir, name);
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return diagnose(src->dir, path, errno);
	*fdp = fd;
	return RC_OK;
}

int source_open(const struct source *src, const char *name, int flags,
		int *fd)
{
	char path[PATH_MAX];

	if (src->file) {
		snprintf(path, sizeof(path), "%s", src->file);
		*fd = open(path, flags | O_CLOEXEC);
		if (*fd >= 0)
			return RC_OK;
		errorf("%s: %s", path, strerror(errno));
		return errno == EACCES ? RC_PERM : RC_ERROR;
	}
	return open_in_dir(src, name, flags, path, sizeof(path), fd);
}

int source_read_raw(const struct source *src, unsigned char **buf,
		    size_t *len)
{
	char path[PATH_MAX];
	int fd = -1, rc;

	if (src->file) {
		snprintf(path, sizeof(path), "%s", src->file);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			errorf("%s: %s", path, strerror(errno));
			return errno == EACCES ? RC_PERM : RC_ERROR;
		}
	} else {
		rc = open_in_dir(src, "snapshot", O_RDONLY, path, sizeof(path),
				 &fd);
		if (rc)
			return rc;
	}
	rc = read_all(fd, path, buf, len);
	close(fd);
	return rc;
}

int snap_err_rc(enum snap_err e)
{
	switch (e) {
	case SNAP_OK:
		return RC_OK;
	case SNAP_ETRUNC:
		return RC_TRUNCATED;
	case SNAP_EABI:
		return RC_ABI;
	case SNAP_EMAGIC:
	case SNAP_ECORRUPT:
		return RC_CORRUPT;
	default:
		return RC_ERROR;
	}
}

int source_load(const struct source *src, struct snap *snap)
{
	unsigned char *buf;
	enum snap_err e;
	char err[256];
	size_t len;
	int rc;

	rc = source_read_raw(src, &buf, &len);
	if (rc)
		return rc;
	e = snap_decode(buf, len, snap, err, sizeof(err));
	free(buf);
	if (e) {
		errorf("%s: %s", src->file ? src->file : src->dir, err);
		return snap_err_rc(e);
	}
	return RC_OK;
}

/*
 * Opens the module's control file for writing: debugfs control, else,
 * when the kernel is locked down (debugfs refuses writes then), the
 * module's control parameter, saying so.
 */
static int open_control(const struct source *src, char *path, size_t len,
			int *fdp)
{
	char mode[32];
	int err;

	snprintf(path, len, "%s/control", src->dir);
	*fdp = open(path, O_WRONLY | O_CLOEXEC);
	if (*fdp >= 0)
		return RC_OK;
	err = errno;
	if ((err == EPERM || err == EACCES) && lockdown_mode(mode, sizeof(mode))) {
		*fdp = open(LOCKDOWN_CONTROL, O_WRONLY | O_CLOEXEC);
		if (*fdp >= 0) {
			fprintf(stderr, "mmstall: debugfs is locked down (%s): using %s\n",
				mode, LOCKDOWN_CONTROL);
			snprintf(path, len, "%s", LOCKDOWN_CONTROL);
			return RC_OK;
		}
		errorf("debugfs is locked down (%s) and %s cannot be written: %s (a module older than this reader?)",
		       mode, LOCKDOWN_CONTROL, strerror(errno));
		return errno == ENOENT ? RC_NO_MODULE : RC_PERM;
	}
	return diagnose(src->dir, path, err);
}

int source_control(const struct source *src, const char *cmd)
{
	size_t len = strlen(cmd);
	char path[PATH_MAX];
	ssize_t n;
	int fd = -1, rc;

	if (src->file) {
		errorf("-f reads a saved snapshot: there is no module to control");
		return RC_USAGE;
	}
	rc = open_control(src, path, sizeof(path), &fd);
	if (rc)
		return rc;
	do {
		n = write(fd, cmd, len);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len) {
		int err = n < 0 ? errno : EIO;

		errorf("%s: write \"%s\": %s", path, cmd, strerror(err));
		close(fd);
		return err == EACCES || err == EPERM ? RC_PERM : RC_ERROR;
	}
	if (close(fd)) {
		errorf("%s: close: %s", path, strerror(errno));
		return RC_ERROR;
	}
	return RC_OK;
}
