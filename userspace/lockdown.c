// SPDX-License-Identifier: GPL-2.0
/* Kernel lockdown: which mode the kernel is in (lockdown.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockdown.h"

int lockdown_mode(char *buf, size_t size)
{
	const char *path = getenv("MMSTALL_LOCKDOWN_FILE");
	char line[128], *open, *close;
	FILE *f;

	if (!path)
		path = "/sys/kernel/security/lockdown";
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	/* "none [integrity] confidentiality": the mode in brackets */
	open = strchr(line, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close)
		return 0;
	*close = '\0';
	snprintf(buf, size, "%s", open + 1);
	return strcmp(open + 1, "none") != 0;
}
