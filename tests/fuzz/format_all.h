/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decode bytes as a snapshot and, if they decode, format them every way
 * the reader can: the text report, status, hist, top's rows, JSON and
 * Prometheus.  Shared by the libFuzzer target and the unit tests' replay
 * of the corpus and of past crashes.
 */
#ifndef MMSTALL_FORMAT_ALL_H
#define MMSTALL_FORMAT_ALL_H

#include <stddef.h>
#include <stdio.h>

/* Returns 1 if the bytes decoded, 0 if the decoder rejected them. */
int format_all(const unsigned char *data, size_t len, FILE *out);

#endif /* MMSTALL_FORMAT_ALL_H */
