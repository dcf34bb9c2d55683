// SPDX-License-Identifier: GPL-2.0
/* Runs the registered tests in order and prints TAP 13. */
#include <stdlib.h>

#include "harness.h"

static struct test *head, **tail = &head;

void harness_register(struct test *t)
{
	*tail = t;
	tail = &t->next;
}

int main(int argc, char **argv)
{
	int n = 0, failed = 0;
	struct test *t;

	for (t = head; t; t = t->next)
		n++;
	printf("TAP version 13\n1..%d\n", n);
	n = 0;
	for (t = head; t; t = t->next) {
		if (argc > 1 && !strstr(t->name, argv[1]))
			continue;
		fflush(stdout);
		t->fn(t);
		printf("%sok %d - %s\n", t->failed ? "not " : "", ++n,
		       t->name);
		fflush(stdout);
		failed += t->failed;
	}
	return failed ? 1 : 0;
}
