// SPDX-License-Identifier: GPL-2.0
/* Kernel addresses in strings of the snapshot, replaced. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "redact.h"

#define MIN_DIGITS	12

unsigned int redact_kernel_addresses(char *s)
{
	size_t rlen = strlen(REDACTED_ADDR), start, end, i = 0;
	unsigned int n = 0;

	while (s[i]) {
		if (!isxdigit((unsigned char)s[i])) {
			i++;
			continue;
		}
		start = i;
		while (isxdigit((unsigned char)s[i]))
			i++;
		end = i;
		if (end - start < MIN_DIGITS || strncasecmp(s + start, "ffff", 4))
			continue;
		if (start >= 2 && s[start - 2] == '0' &&
		    (s[start - 1] == 'x' || s[start - 1] == 'X'))
			start -= 2;
		/* never longer: MIN_DIGITS > strlen(REDACTED_ADDR) */
		memcpy(s + start, REDACTED_ADDR, rlen);
		memmove(s + start + rlen, s + end, strlen(s + end) + 1);
		i = start + rlen;
		n++;
	}
	return n;
}
