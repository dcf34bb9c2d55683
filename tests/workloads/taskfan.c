// SPDX-License-Identifier: GPL-2.0
/*
 * taskfan: more live tasks than mmstall has task slots, each known to hit
 * a probe exactly once.
 *
 * Writes "reset" to mmstall's control file, then forks N children that
 * each call madvise(2) once (one hit of the mm_calls madvise kprobe) and
 * wait, so that all N are alive at once.  With the N children alive it
 * copies the debugfs status and snapshot files to STATUS and SNAPSHOT,
 * then lets the children exit.  Between the reset and the copies neither
 * the parent nor the children make any other system call that mmstall
 * probes (no mmap, munmap, mremap, mprotect, brk, no other madvise:
 * static buffers, raw read/write), so in a quiet guest the window's probe
 * hits are exactly the N madvise calls, and each child either has a task
 * slot or is counted once in lost.task_slots.
 *
 * Usage: taskfan [-n CHILDREN] [-D MMSTALL_DEBUGFS_DIR] -s STATUS -o SNAPSHOT
 * Prints "taskfan: children=N" on success.
 *
 * Build: gcc -O2 -Wall -static -pthread taskfan.c -o taskfan
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CHILDREN	1024
#define COPY_MAX	(8 << 20)

static char page[4096] __attribute__((aligned(4096)));
static char copy_buf[COPY_MAX];
static pid_t children[MAX_CHILDREN];

static void die(const char *what)
{
	fprintf(stderr, "taskfan: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Copy debugfs file SRC to DST with raw read/write and a static buffer. */
static void copy_file(const char *src, const char *dst)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(src, O_RDONLY);
	if (fd < 0)
		die(src);
	while ((n = read(fd, copy_buf + len, COPY_MAX - len)) > 0)
		len += n;
	if (n < 0)
		die(src);
	if (len == COPY_MAX) {
		errno = EFBIG;
		die(src);
	}
	close(fd);
	fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, copy_buf, len) != (ssize_t)len)
		die(dst);
	close(fd);
}

static void child(int ready, int go)
{
	char c = 1;

	prctl(PR_SET_NAME, "taskfan-child");
	if (madvise(page, sizeof(page), MADV_NORMAL))
		_exit(2);
	if (write(ready, &c, 1) != 1)
		_exit(3);
	/* EOF once the parent closes its end: all exit together */
	while (read(go, &c, 1) > 0)
		;
	_exit(0);
}

int main(int argc, char **argv)
{
	const char *dir = "/sys/kernel/debug/mmstall";
	const char *status = NULL, *snapshot = NULL;
	char path[4096];
	int ready[2], go[2];
	int n = 64, i, opt, fd, got, st, bad = 0;
	char c;

	while ((opt = getopt(argc, argv, "n:D:s:o:")) != -1) {
		switch (opt) {
		case 'n':
			n = atoi(optarg);
			break;
		case 'D':
			dir = optarg;
			break;
		case 's':
			status = optarg;
			break;
		case 'o':
			snapshot = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (n < 1 || n > MAX_CHILDREN || !status || !snapshot)
		goto usage;
	if (pipe(ready) || pipe(go))
		die("pipe");
	/* fault the buffers in now, outside the window */
	memset(copy_buf, 0, sizeof(copy_buf));
	page[0] = 1;

	snprintf(path, sizeof(path), "%s/control", dir);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, "reset", 5) != 5)
		die(path);
	close(fd);

	for (i = 0; i < n; i++) {
		children[i] = fork();
		if (children[i] < 0)
			die("fork");
		if (children[i] == 0) {
			close(ready[0]);
			close(go[1]);
			child(ready[1], go[0]);
		}
	}
	close(ready[1]);
	close(go[0]);
	for (got = 0; got < n && read(ready[0], &c, 1) == 1; got++)
		;

	snprintf(path, sizeof(path), "%s/status", dir);
	copy_file(path, status);
	snprintf(path, sizeof(path), "%s/snapshot", dir);
	copy_file(path, snapshot);

	close(go[1]);
	for (i = 0; i < n; i++) {
		if (waitpid(children[i], &st, 0) < 0 ||
		    !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	}
	if (got != n || bad) {
		fprintf(stderr, "taskfan: %d of %d children ready, %d failed\n",
			got, n, bad);
		return 1;
	}
	printf("taskfan: children=%d\n", n);
	return 0;
usage:
	fprintf(stderr,
		"usage: taskfan [-n CHILDREN] [-D DIR] -s STATUS -o SNAPSHOT\n");
	return 2;
}
