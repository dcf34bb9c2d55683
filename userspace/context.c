// SPDX-License-Identifier: GPL-2.0
/*
 * The report's memory context: the vm event counters over the window
 * (from the snapshot's VMSTAT section: allocstall, pgscan_direct, ...),
 * and, when the reader reads a live module, memory pressure and each
 * zone's free pages against its min/low/high watermarks, read now.
 * Below min, allocations reclaim directly; below low, kswapd wakes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "format.h"

static void parse_psi_line(struct psi_line *p, const char *line)
{
	p->present = sscanf(line, "%*s avg10=%lf avg60=%lf avg300=%lf total=%llu",
			    &p->avg10, &p->avg60, &p->avg300,
			    &p->total_us) == 4;
}

void context_parse_psi(struct mm_context *ctx, FILE *f)
{
	char line[256];

	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "some ", 5))
			parse_psi_line(&ctx->some, line);
		else if (!strncmp(line, "full ", 5))
			parse_psi_line(&ctx->full, line);
	}
	ctx->has_psi = ctx->some.present;
}

/*
 * "Node 0, zone   Normal", then "  pages free     1234", then "min",
 * "low", "high" (and more: "promo", "spanned", "present", "managed")
 * each as "        NAME VALUE".
 */
void context_parse_zoneinfo(struct mm_context *ctx, FILE *f)
{
	struct zone_wm *z = NULL;
	char line[256], key[32];
	unsigned long long v;
	int node;

	ctx->has_zones = true;
	while (fgets(line, sizeof(line), f)) {
		char zone[16];

		if (sscanf(line, "Node %d, zone %15s", &node, zone) == 2) {
			z = NULL;
			if (ctx->nr_zones == CONTEXT_MAX_ZONES)
				continue;
			z = &ctx->zones[ctx->nr_zones++];
			memset(z, 0, sizeof(*z));
			z->node = node;
			snprintf(z->zone, sizeof(z->zone), "%s", zone);
			continue;
		}
		if (!z)
			continue;
		if (sscanf(line, " pages free %llu", &v) == 1) {
			z->free = v;
			continue;
		}
		if (sscanf(line, " %31s %llu", key, &v) != 2)
			continue;
		if (!strcmp(key, "min"))
			z->min = v;
		else if (!strcmp(key, "low"))
			z->low = v;
		else if (!strcmp(key, "high"))
			z->high = v;
		else if (!strcmp(key, "managed"))
			z->managed = v;
	}
}

void context_read(struct mm_context *ctx, const char *proc)
{
	char path[4096];
	FILE *f;

	memset(ctx, 0, sizeof(*ctx));
	ctx->read = true;
	snprintf(path, sizeof(path), "%s/pressure/memory", proc);
	f = fopen(path, "r");
	if (f) {
		context_parse_psi(ctx, f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/zoneinfo", proc);
	f = fopen(path, "r");
	if (f) {
		context_parse_zoneinfo(ctx, f);
		fclose(f);
	}
}

/* Zones with no memory (an empty Movable or Device zone) are left out. */
static bool zone_shown(const struct zone_wm *z)
{
	return z->managed || z->free;
}

static unsigned long long vm_delta(const struct mmstall_vmstat_rec *r)
{
	return r->now >= r->start ? r->now - r->start : 0;
}

static void json_psi_line(struct json *j, const char *key,
			  const struct psi_line *p)
{
	if (!p->present)
		return;
	json_key(j, key);
	json_object_begin_flat(j);
	json_key(j, "avg10");
	json_fixed(j, p->avg10, 2);
	json_key(j, "avg60");
	json_fixed(j, p->avg60, 2);
	json_key(j, "avg300");
	json_fixed(j, p->avg300, 2);
	json_kv_u64(j, "total_us", p->total_us);
	json_object_end(j);
}

void json_context(struct json *j, const struct snap *snap)
{
	const struct mm_context *ctx = snap->context;
	size_t i;

	json_object_begin(j);
	json_kv_string(j, "source", ctx && ctx->read ? "live" : "file");
	json_key(j, "vmstat_delta");
	if (snap->vmstats) {
		json_object_begin(j);
		for (i = 0; i < snap->nr_vmstats; i++)
			json_kv_u64(j, snap->vmstats[i].name,
				    vm_delta(&snap->vmstats[i]));
		json_object_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "psi_memory");
	if (ctx && ctx->has_psi) {
		json_object_begin(j);
		json_psi_line(j, "some", &ctx->some);
		json_psi_line(j, "full", &ctx->full);
		json_object_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "zones");
	json_array_begin(j);
	for (i = 0; ctx && i < ctx->nr_zones; i++) {
		const struct zone_wm *z = &ctx->zones[i];

		if (!zone_shown(z))
			continue;
		json_object_begin_flat(j);
		json_kv_u64(j, "node", z->node);
		json_kv_string(j, "zone", z->zone);
		json_kv_u64(j, "free", z->free);
		json_kv_u64(j, "min", z->min);
		json_kv_u64(j, "low", z->low);
		json_kv_u64(j, "high", z->high);
		json_kv_u64(j, "managed", z->managed);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

static void print_psi_line(FILE *out, const char *key,
			   const struct psi_line *p)
{
	if (p->present)
		fprintf(out, " %s avg10=%.2f avg60=%.2f avg300=%.2f total=%lluus;",
			key, p->avg10, p->avg60, p->avg300, p->total_us);
}

static const char *zone_state(const struct zone_wm *z)
{
	if (z->free < z->min)
		return "below min: allocations reclaim directly";
	if (z->free < z->low)
		return "below low: kswapd wakes";
	if (z->free < z->high)
		return "below high: kswapd works";
	return "";
}

void print_context(FILE *out, const struct snap *snap)
{
	const struct mm_context *ctx = snap->context;
	char esc[4 * sizeof(snap->vmstats->name) + 1];
	size_t i;

	fprintf(out, "\nCONTEXT (vm events over the window; pressure and watermarks now)\n");
	fprintf(out, "vmstat:");
	if (!snap->vmstats || !snap->nr_vmstats)
		fprintf(out, " (the module reports no vm event counters)");
	for (i = 0; i < snap->nr_vmstats; i++)
		fprintf(out, "%s %s +%llu", i ? "," : "",
			text_escape(esc, sizeof(esc), snap->vmstats[i].name),
			vm_delta(&snap->vmstats[i]));
	fputc('\n', out);
	if (!ctx || !ctx->read) {
		fprintf(out, "psi, zones: not read (a saved snapshot)\n");
		return;
	}
	fprintf(out, "psi memory:");
	if (ctx->has_psi) {
		print_psi_line(out, "some", &ctx->some);
		print_psi_line(out, "full", &ctx->full);
	} else {
		fprintf(out, " (no /proc/pressure/memory: CONFIG_PSI off, or psi=0)");
	}
	fputc('\n', out);
	if (!ctx->nr_zones) {
		fprintf(out, "zones: (no /proc/zoneinfo)\n");
		return;
	}
	fprintf(out, "%-4s %-8s %10s %10s %10s %10s  (pages)\n", "NODE", "ZONE",
		"FREE", "MIN", "LOW", "HIGH");
	for (i = 0; i < ctx->nr_zones; i++) {
		const struct zone_wm *z = &ctx->zones[i];

		if (!zone_shown(z))
			continue;
		fprintf(out, "%-4d %-8s %10llu %10llu %10llu %10llu  %s\n",
			z->node, text_escape(esc, sizeof(esc), z->zone),
			z->free, z->min, z->low, z->high, zone_state(z));
	}
}
