/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Notes on how this kernel is traced ("holders" -> "unavailable: ..."),
 * set by families at load and shown by status and the report.
 */
#ifndef _MMSTALL_NOTES_H
#define _MMSTALL_NOTES_H

#include "../uapi/mmstall.h"

#define MMSTALL_MAX_NOTES	32

__printf(2, 3) void mmstall_note(const char *key, const char *fmt, ...);
unsigned int mmstall_notes_count(void);
const struct mmstall_note_rec *mmstall_note_at(unsigned int i);
void mmstall_notes_clear(void);

#endif /* _MMSTALL_NOTES_H */
