/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal test harness printing TAP 13, in the spirit of the kernel's
 * kselftest_harness.h: TEST(name) { ... } registers a test; ASSERT_*
 * stops the test on failure, EXPECT_* records it and goes on.
 */
#ifndef MMSTALL_HARNESS_H
#define MMSTALL_HARNESS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct test {
	const char *name;
	void (*fn)(struct test *t);
	bool failed;
	struct test *next;
};

void harness_register(struct test *t);

#define TEST(name)							\
	static void test_##name(struct test *_t);			\
	static struct test _test_##name = { #name, test_##name,		\
					    false, NULL };		\
	__attribute__((constructor)) static void _reg_##name(void)	\
	{								\
		harness_register(&_test_##name);			\
	}								\
	static void test_##name(struct test *_t)

#define _CHECK(cond, fatal, fmt, ...) do {				\
	if (!(cond)) {							\
		printf("# %s:%d: " fmt "\n", __FILE__, __LINE__,	\
		       ##__VA_ARGS__);					\
		_t->failed = true;					\
		if (fatal)						\
			return;						\
	}								\
} while (0)

#define _CMP(a, op, b, fatal) do {					\
	unsigned long long _a = (unsigned long long)(a);		\
	unsigned long long _b = (unsigned long long)(b);		\
	_CHECK(_a op _b, fatal, "%s %s %s: %llu vs %llu", #a, #op, #b,	\
	       _a, _b);							\
} while (0)

#define ASSERT_TRUE(c)		_CHECK(c, true, "%s is false", #c)
#define EXPECT_TRUE(c)		_CHECK(c, false, "%s is false", #c)
#define ASSERT_EQ(a, b)		_CMP(a, ==, b, true)
#define EXPECT_EQ(a, b)		_CMP(a, ==, b, false)
#define ASSERT_NE(a, b)		_CMP(a, !=, b, true)
#define EXPECT_NE(a, b)		_CMP(a, !=, b, false)
#define EXPECT_LE(a, b)		_CMP(a, <=, b, false)
#define EXPECT_GE(a, b)		_CMP(a, >=, b, false)
#define ASSERT_STREQ(a, b) do {						\
	const char *_x = (a), *_y = (b);				\
	_CHECK(!strcmp(_x, _y), true, "%s == %s: \"%s\" vs \"%s\"",	\
	       #a, #b, _x, _y);						\
} while (0)
#define EXPECT_STREQ(a, b) do {						\
	const char *_x = (a), *_y = (b);				\
	_CHECK(!strcmp(_x, _y), false, "%s == %s: \"%s\" vs \"%s\"",	\
	       #a, #b, _x, _y);						\
} while (0)
#define EXPECT_CONTAINS(hay, needle) do {				\
	const char *_h = (hay), *_n = (needle);				\
	_CHECK(strstr(_h, _n), false, "output lacks \"%s\"", _n);	\
} while (0)

#endif /* MMSTALL_HARNESS_H */
