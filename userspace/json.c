// SPDX-License-Identifier: GPL-2.0
/* A tiny streaming JSON writer. */
#include <inttypes.h>

#include "json.h"

void json_init(struct json *j, FILE *out, bool pretty)
{
	j->out = out;
	j->pretty = pretty;
	j->depth = 0;
	j->after_key = false;
	j->flat_depth = 0;
	j->has_items[0] = false;
}

static bool flat(const struct json *j)
{
	return !j->pretty || (j->flat_depth && j->depth >= j->flat_depth);
}

static void newline(struct json *j)
{
	int i;

	fputc('\n', j->out);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->out);
}

/* Before any value or key: a comma and a new line where needed. */
static void before_item(struct json *j)
{
	bool had;

	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0)
		return;
	had = j->has_items[j->depth];
	j->has_items[j->depth] = true;
	if (had)
		fputc(',', j->out);
	if (!flat(j))
		newline(j);
	else if (had && j->pretty)
		fputc(' ', j->out);
}

static void container_begin(struct json *j, char c)
{
	before_item(j);
	fputc(c, j->out);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->has_items[j->depth] = false;
}

static void container_end(struct json *j, char c)
{
	bool had = j->has_items[j->depth], was_flat = flat(j);

	if (j->flat_depth == j->depth)
		j->flat_depth = 0;
	if (j->depth > 0)
		j->depth--;
	if (had && !was_flat)
		newline(j);
	fputc(c, j->out);
}

void json_object_begin(struct json *j)
{
	container_begin(j, '{');
}

void json_object_begin_flat(struct json *j)
{
	container_begin(j, '{');
	if (!j->flat_depth)
		j->flat_depth = j->depth;
}

void json_object_end(struct json *j)
{
	container_end(j, '}');
}

void json_array_begin(struct json *j)
{
	container_begin(j, '[');
}

void json_array_end(struct json *j)
{
	container_end(j, ']');
}

void json_key(struct json *j, const char *key)
{
	before_item(j);
	json_write_string(j->out, key);
	fputs(j->pretty ? ": " : ":", j->out);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	before_item(j);
	json_write_string(j->out, s);
}

void json_u64(struct json *j, uint64_t v)
{
	before_item(j);
	fprintf(j->out, "%" PRIu64, v);
}

void json_s64(struct json *j, int64_t v)
{
	before_item(j);
	fprintf(j->out, "%" PRId64, v);
}

void json_fixed(struct json *j, double v, int decimals)
{
	before_item(j);
	fprintf(j->out, "%.*f", decimals, v);
}

void json_null(struct json *j)
{
	before_item(j);
	fputs("null", j->out);
}

void json_finish(struct json *j)
{
	fputc('\n', j->out);
	fflush(j->out);
}

int utf8_len(const unsigned char *s)
{
	unsigned int c = s[0];
	int n, i;
	uint32_t cp;

	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;	/* overlong, surrogate or out of range */
	return n;
}

void json_write_string(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int n;

	fputc('"', out);
	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\b':
			fputs("\\b", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(out, "\\u%04x", *s);
			} else if (*s < 0x80) {
				fputc(*s, out);
			} else {
				n = utf8_len(s);
				if (!n) {
					/* not UTF-8: the byte as U+00XX */
					fprintf(out, "\\u%04x", *s);
					break;
				}
				fwrite(s, 1, n, out);
				s += n;
				continue;
			}
		}
		s++;
	}
	fputc('"', out);
}
