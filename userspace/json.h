/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny streaming JSON writer: it places commas, newlines and indentation
 * itself, and escapes strings (quotes, backslashes, control characters,
 * and bytes that are not valid UTF-8 as \u00XX).
 */
#ifndef MMSTALL_JSON_H
#define MMSTALL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	32

struct json {
	FILE *out;
	bool pretty;
	int depth;
	bool after_key;
	int flat_depth;		/* containers this deep print on one line */
	bool has_items[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *out, bool pretty);
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
/* An object printed on one line, even when pretty: {"le_ns": 1, ...} */
void json_object_begin_flat(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_u64(struct json *j, uint64_t v);
void json_s64(struct json *j, int64_t v);
/* A fixed-point number with @decimals digits after the point. */
void json_fixed(struct json *j, double v, int decimals);
void json_null(struct json *j);
/* Ends the document with a newline. */
void json_finish(struct json *j);

/* Length of the valid UTF-8 sequence at @s (2 to 4), or 0. */
int utf8_len(const unsigned char *s);

/* Write @s as a JSON string literal, quotes included. */
void json_write_string(FILE *out, const char *s);

static inline void json_kv_string(struct json *j, const char *k,
				  const char *v)
{
	json_key(j, k);
	json_string(j, v);
}

static inline void json_kv_u64(struct json *j, const char *k, uint64_t v)
{
	json_key(j, k);
	json_u64(j, v);
}

static inline void json_kv_s64(struct json *j, const char *k, int64_t v)
{
	json_key(j, k);
	json_s64(j, v);
}

#endif /* MMSTALL_JSON_H */
