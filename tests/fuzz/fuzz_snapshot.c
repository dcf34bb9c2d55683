// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: any bytes as a snapshot, formatted every way. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "format_all.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;

	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		if (!devnull)
			abort();
	}
	format_all(data, size, devnull);
	return 0;
}
