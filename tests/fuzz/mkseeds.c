// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer's seed corpus: every synthetic snapshot of snapbuild.c, whole
 * and broken in the ways a decoder must survive: truncated, a corrupt
 * header or section table, huge counts, overlapping sections, offsets out
 * of bounds, records too small, duplicated and unknown section types;
 * and the same snapshots as a newer module would lay them out (larger
 * header, table entries and records).
 *
 * usage: mkseeds DIR   (writes one file per seed; prints their number)
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/snapbuild.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const variants[] = {
	"sample", "weird", "many", "mm_edge", "empty", "hostile",
};

static const char *dir;
static unsigned int written;

static void emit(const char *base, const char *what, const void *buf,
		 size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%s", dir, base, what);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
	written++;
}

/* A copy of @buf with @size bytes at @off replaced by @val. */
static void emit_patched(const char *base, const char *what,
			 const unsigned char *buf, size_t len, size_t off,
			 const void *val, size_t size)
{
	unsigned char *copy = malloc(len);

	if (!copy)
		exit(1);
	memcpy(copy, buf, len);
	memcpy(copy + off, val, size);
	emit(base, what, copy, len);
	free(copy);
}

#define PATCH_HDR(field, v) do {					\
	__typeof__(((struct mmstall_snap_header *)0)->field) val_ = (v); \
	emit_patched(base, "hdr-" #field "-" #v, buf, len,		\
		     offsetof(struct mmstall_snap_header, field), &val_,	\
		     sizeof(val_));					\
} while (0)

static void header_mutations(const char *base, const unsigned char *buf,
			     size_t len)
{
	struct mmstall_snap_header h;
	__u64 bswapped = __builtin_bswap64(MMSTALL_SNAP_MAGIC);

	memcpy(&h, buf, sizeof(h));
	PATCH_HDR(magic, bswapped);
	PATCH_HDR(abi, MMSTALL_ABI_VERSION + 1);
	PATCH_HDR(header_size, 0);
	PATCH_HDR(header_size, 0xffffffff);
	PATCH_HDR(header_size, (__u32)len);
	PATCH_HDR(total_size, len + 1);
	PATCH_HDR(total_size, len - 1);
	PATCH_HDR(nr_sections, 0);
	PATCH_HDR(nr_sections, h.nr_sections + 1);
	PATCH_HDR(nr_sections, 0xffffffff);
	PATCH_HDR(section_size, 4);
	PATCH_HDR(section_size, 0xffffffff);
	PATCH_HDR(section_size, h.section_size + 8);
	PATCH_HDR(max_tasks, 0);
	PATCH_HDR(max_tasks, 1);
	PATCH_HDR(used_tasks, 0xffffffff);
	PATCH_HDR(hist_buckets, MMSTALL_HIST_BUCKETS + 1);
	PATCH_HDR(window_ns, 0);
}

#define PATCH_SEC(field, v) do {					\
	__typeof__(sec.field) val_ = (v);				\
	snprintf(what, sizeof(what), "sec%u-%s-%s", i, #field, #v);	\
	emit_patched(base, what, buf, len, entry +			\
		     offsetof(struct mmstall_snap_section, field), &val_,	\
		     sizeof(val_));					\
} while (0)

static void section_mutations(const char *base, const unsigned char *buf,
			      size_t len)
{
	struct mmstall_snap_section sec, first;
	struct mmstall_snap_header h;
	char what[64];
	size_t entry;
	unsigned int i;

	memcpy(&h, buf, sizeof(h));
	if (!h.nr_sections)
		return;
	memcpy(&first, buf + h.header_size, sizeof(first));
	for (i = 0; i < h.nr_sections; i++) {
		entry = h.header_size + (size_t)i * h.section_size;
		memcpy(&sec, buf + entry, sizeof(sec));
		PATCH_SEC(count, 0);
		PATCH_SEC(count, sec.count + 1);
		PATCH_SEC(count, 0xffffffff);
		PATCH_SEC(rec_size, 0);
		PATCH_SEC(rec_size, 1);
		PATCH_SEC(rec_size, sec.rec_size - 1);
		PATCH_SEC(rec_size, 0xffffffff);
		PATCH_SEC(offset, 0);
		PATCH_SEC(offset, len);
		PATCH_SEC(offset, ~0ULL);
		PATCH_SEC(offset, sec.offset + 1);
		PATCH_SEC(offset, first.offset);
		PATCH_SEC(type, 0);
		PATCH_SEC(type, 999);
		PATCH_SEC(type, first.type);
	}
}

static void truncations(const char *base, const unsigned char *buf,
			size_t len)
{
	const struct mmstall_snap_header *h = (const void *)buf;
	size_t cuts[] = {
		0, 4, 8, 12, 16, sizeof(*h) - 1, h->header_size,
		h->header_size + h->section_size / 2, len / 2, len - 1,
	};
	char what[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cuts); i++) {
		if (cuts[i] > len)
			continue;
		snprintf(what, sizeof(what), "cut%zu", cuts[i]);
		emit(base, what, buf, cuts[i]);
	}
}

int main(int argc, char **argv)
{
	unsigned char *buf;
	char base[64];
	unsigned int i;
	struct sb b;
	size_t len;

	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds DIR\n");
		return 2;
	}
	dir = argv[1];
	for (i = 0; i < ARRAY_SIZE(variants); i++) {
		sb_variant(&b, variants[i]);
		buf = sb_build(&b, &len);
		sb_free(&b);
		emit(variants[i], "whole", buf, len);
		truncations(variants[i], buf, len);
		header_mutations(variants[i], buf, len);
		section_mutations(variants[i], buf, len);
		free(buf);

		/* A newer module: everything larger than this reader knows. */
		sb_variant(&b, variants[i]);
		b.rec_extra = 8;
		b.hdr_extra = 16;
		b.sec_extra = 8;
		buf = sb_build(&b, &len);
		sb_free(&b);
		snprintf(base, sizeof(base), "%s-newer", variants[i]);
		emit(base, "whole", buf, len);
		section_mutations(base, buf, len);
		free(buf);
	}
	printf("%u\n", written);
	return 0;
}
