// SPDX-License-Identifier: GPL-2.0
/*
 * Feed files to format_all() as the fuzzer does, without libFuzzer: the
 * unit tests replay the seed corpus and every crash the fuzzer ever found
 * (tests/fuzz/regressions/) under ASan and UBSan.
 *
 * usage: replay PATH...   (a file, or a directory of files)
 * Prints TAP: one result per PATH, with how many inputs decoded.
 */
#include <dirent.h>
#include <sanitizer/common_interface_defs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "format_all.h"

static FILE *devnull;
static const char *current;	/* the input being replayed */

/* A sanitizer report or a failed check: say which input it was. */
static void say_current(void)
{
	if (current)
		fprintf(stderr, "replay: the input was %s\n", current);
}

static void on_abort(int sig)
{
	say_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int replay_file(const char *path, unsigned int *decoded)
{
	unsigned char *buf;
	struct stat st;
	size_t len;
	FILE *f;

	f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st)) {
		perror(path);
		if (f)
			fclose(f);
		return -1;
	}
	len = (size_t)st.st_size;
	buf = malloc(len ? len : 1);
	if (!buf || fread(buf, 1, len, f) != len) {
		perror(path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	current = path;
	*decoded += format_all(buf, len, devnull);
	current = NULL;
	free(buf);
	return 0;
}

static int replay_dir(const char *path, unsigned int *n,
		      unsigned int *decoded)
{
	char file[4096];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	d = opendir(path);
	if (!d) {
		perror(path);
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
		if (replay_file(file, decoded))
			rc = -1;
		(*n)++;
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned int n, decoded;
	struct stat st;
	int i, rc, failed = 0;

	devnull = fopen("/dev/null", "w");
	if (!devnull)
		return 1;
	__sanitizer_set_death_callback(say_current);
	signal(SIGABRT, on_abort);
	printf("TAP version 13\n1..%d\n", argc - 1);
	for (i = 1; i < argc; i++) {
		n = 0;
		decoded = 0;
		if (stat(argv[i], &st)) {
			perror(argv[i]);
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = replay_dir(argv[i], &n, &decoded);
		} else {
			n = 1;
			rc = replay_file(argv[i], &decoded);
		}
		failed |= rc;
		printf("%s %d - replay %s: %u inputs, %u decoded\n",
		       rc ? "not ok" : "ok", i, argv[i], n, decoded);
		fflush(stdout);
	}
	return failed ? 1 : 0;
}
