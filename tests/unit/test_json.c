// SPDX-License-Identifier: GPL-2.0
/* The JSON writer: structure and string escaping. */
#include <stdlib.h>

#include "harness.h"
#include "../../userspace/json.h"

static char *escaped(const char *s)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	json_write_string(f, s);
	fclose(f);
	return text;
}

#define EXPECT_ESCAPE(in, out) do {					\
	char *_e = escaped(in);						\
	EXPECT_STREQ(_e, out);						\
	free(_e);							\
} while (0)

TEST(json_escape)
{
	EXPECT_ESCAPE("plain", "\"plain\"");
	EXPECT_ESCAPE("a\"b\\c", "\"a\\\"b\\\\c\"");
	EXPECT_ESCAPE("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"");
	EXPECT_ESCAPE("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	EXPECT_ESCAPE("\xff", "\"\\u00ff\"");
	EXPECT_ESCAPE("caf\xc3\xa9", "\"caf\xc3\xa9\"");	/* valid */
	EXPECT_ESCAPE("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
	EXPECT_ESCAPE("\xc0\xaf", "\"\\u00c0\\u00af\"");	/* overlong */
	EXPECT_ESCAPE("\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"");
	EXPECT_ESCAPE("\xe2\x82", "\"\\u00e2\\u0082\"");	/* cut short */
	EXPECT_ESCAPE("\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\"");
}

TEST(json_structure)
{
	char *text = NULL;
	size_t size = 0;
	struct json j;
	FILE *f = open_memstream(&text, &size);

	json_init(&j, f, false);
	json_object_begin(&j);
	json_key(&j, "a");
	json_array_begin(&j);
	json_u64(&j, 1);
	json_s64(&j, -2);
	json_array_end(&j);
	json_key(&j, "b");
	json_object_begin(&j);
	json_object_end(&j);
	json_kv_string(&j, "c", "x");
	json_key(&j, "d");
	json_null(&j);
	json_key(&j, "e");
	json_fixed(&j, 1.5, 3);
	json_key(&j, "f");
	json_array_begin(&j);
	json_array_end(&j);
	json_object_end(&j);
	fclose(f);
	EXPECT_STREQ(text,
		     "{\"a\":[1,-2],\"b\":{},\"c\":\"x\",\"d\":null,\"e\":1.500,\"f\":[]}");
	free(text);
}

TEST(json_pretty_flat)
{
	char *text = NULL;
	size_t size = 0;
	struct json j;
	FILE *f = open_memstream(&text, &size);

	json_init(&j, f, true);
	json_object_begin(&j);
	json_key(&j, "hist");
	json_array_begin(&j);
	json_object_begin_flat(&j);
	json_kv_u64(&j, "le_ns", 255);
	json_kv_u64(&j, "count", 2);
	json_object_end(&j);
	json_object_begin_flat(&j);
	json_object_end(&j);
	json_array_end(&j);
	json_key(&j, "e");
	json_array_begin(&j);
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
	fclose(f);
	EXPECT_STREQ(text,
		     "{\n  \"hist\": [\n    {\"le_ns\": 255, \"count\": 2},\n    {}\n  ],\n  \"e\": []\n}\n");
	free(text);
}
