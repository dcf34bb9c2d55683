// SPDX-License-Identifier: GPL-2.0
/*
 * Notes are set at load time only (process context, before debugfs
 * exists), so they need no locking; a later note with the same key
 * replaces the earlier one.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include "notes.h"

static struct mmstall_note_rec mmstall_notes[MMSTALL_MAX_NOTES];
static unsigned int mmstall_nr_notes;

void mmstall_note(const char *key, const char *fmt, ...)
{
	struct mmstall_note_rec *n = NULL;
	unsigned int i;
	va_list args;

	for (i = 0; i < mmstall_nr_notes; i++)
		if (!strcmp(mmstall_notes[i].key, key))
			n = &mmstall_notes[i];
	if (!n) {
		if (mmstall_nr_notes == MMSTALL_MAX_NOTES)
			return;
		n = &mmstall_notes[mmstall_nr_notes++];
		strscpy(n->key, key, sizeof(n->key));
	}
	va_start(args, fmt);
	vsnprintf(n->value, sizeof(n->value), fmt, args);
	va_end(args);
}

unsigned int mmstall_notes_count(void)
{
	return mmstall_nr_notes;
}

const struct mmstall_note_rec *mmstall_note_at(unsigned int i)
{
	return i < mmstall_nr_notes ? &mmstall_notes[i] : NULL;
}

void mmstall_notes_clear(void)
{
	memset(mmstall_notes, 0, sizeof(mmstall_notes));
	mmstall_nr_notes = 0;
}
