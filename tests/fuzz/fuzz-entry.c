// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio.devices= entries: entry_parse() on unterminated bytes, and
 * entry_list_parse() on the input as a value. Properties: one item per
 * non-empty comma-separated part; an item is ok exactly when it has no
 * error; an ok entry formats to a canonical text that parses to the same
 * fields and formats to itself; a short buffer gets a terminated prefix.
 * On a fixed tree with a switch and a second domain, an ok entry that
 * resolves names the same functions as the path topology_path() gives
 * for its first function (with the entry's guard).
 */
#include <errno.h>

#include "engine/entry.h"
#include "engine/resolve.h"
#include "engine/topology.h"
#include "fuzz.h"

/* "7fffffff:ff:1f.7/" ENTRY_PATH_MAX times "1f.7/", "1f.7@ffff:ffff", room to spare. */
#define FORMAT_MAX 96

/* Braced initialisers: clang-format 14, 19 and 21 lay them out differently. */
/* clang-format off */
#define FN(n, d, b, s, f, ven, dev, cls, sec, sub)                                                 \
	{                                                                                          \
		.name = n, .domain = d, .bus = b, .slot = s, .func = f, .vendor = ven,             \
		.device = dev, .class_id = cls, .header_type = (cls) == 0x0604,                    \
		.secondary_bus = sec, .subordinate_bus = sub, .iommu_group = -1                    \
	}
/* clang-format on */

/* A root port with a card's switch behind it, a plain slot, a second domain. */
static struct pci_function tree_fns[] = {
	FN("0000:00:01.0", 0, 0x00, 0x01, 0, 0x8086, 0x460d, 0x0604, 0x01, 0x03),
	FN("0000:00:02.0", 0, 0x00, 0x02, 0, 0x8086, 0x4680, 0x0300, 0, 0),
	FN("0000:00:1c.4", 0, 0x00, 0x1c, 4, 0x8086, 0x7abc, 0x0604, 0x04, 0x04),
	FN("0000:01:00.0", 0, 0x01, 0x00, 0, 0x1002, 0x1478, 0x0604, 0x02, 0x03),
	FN("0000:02:00.0", 0, 0x02, 0x00, 0, 0x1002, 0x1479, 0x0604, 0x03, 0x03),
	FN("0000:03:00.0", 0, 0x03, 0x00, 0, 0x1002, 0x73bf, 0x0300, 0, 0),
	FN("0000:03:00.1", 0, 0x03, 0x00, 1, 0x1002, 0xab28, 0x0403, 0, 0),
	FN("0000:04:00.0", 0, 0x04, 0x00, 0, 0x10de, 0x2206, 0x0300, 0, 0),
	FN("0000:04:00.1", 0, 0x04, 0x00, 1, 0x10de, 0x1aef, 0x0403, 0, 0),
	FN("10000:00:01.0", 0x10000, 0x00, 0x01, 0, 0x8086, 0x464d, 0x0604, 0x01, 0x01),
	FN("10000:01:00.0", 0x10000, 0x01, 0x00, 0, 0x10de, 0x2206, 0x0300, 0, 0),
};

static const struct pci_function_list tree = {
	tree_fns,
	sizeof(tree_fns) / sizeof(tree_fns[0]),
	NULL,
};

static bool same_path(const struct entry *a, const struct entry *b)
{
	uint8_t k;

	if (a->n_path != b->n_path)
		return false;
	for (k = 0; k < a->n_path; k++)
		if (a->path[k].slot != b->path[k].slot || a->path[k].func != b->path[k].func)
			return false;
	return true;
}

static bool same_fields(const struct entry *a, const struct entry *b)
{
	return a->ok == b->ok && a->has_domain == b->has_domain && a->has_func == b->has_func &&
	       a->has_guard == b->has_guard && a->domain == b->domain && a->bus == b->bus &&
	       a->slot == b->slot && a->func == b->func && a->vendor == b->vendor &&
	       a->device == b->device && same_path(a, b);
}

static void check_format_prefixes(const struct entry *e, const char *full)
{
	size_t len = strlen(full), size;

	for (size = 1; size <= len + 1; size++) {
		char *buf = malloc(size);

		FUZZ_ASSERT(buf);
		entry_format(e, buf, size);
		FUZZ_ASSERT(strlen(buf) == size - 1 && strncmp(buf, full, size - 1) == 0);
		free(buf);
	}
}

static void check_round_trip(const struct entry *e)
{
	char text[FORMAT_MAX], again[FORMAT_MAX];
	struct entry back;

	FUZZ_ASSERT(e->domain <= DOMAIN_MAX && e->slot <= 0x1f && e->func <= 7);
	FUZZ_ASSERT(e->has_func || e->func == 0);
	FUZZ_ASSERT(e->n_path <= ENTRY_PATH_MAX);
	for (uint8_t k = 0; k < e->n_path; k++)
		FUZZ_ASSERT(e->path[k].slot <= 0x1f && e->path[k].func <= 7);
	entry_format(e, text, sizeof(text));
	FUZZ_ASSERT(strlen(text) < sizeof(text) - 1);
	FUZZ_ASSERT(entry_parse(text, strlen(text), &back) == 0);
	FUZZ_ASSERT(same_fields(e, &back));
	entry_format(&back, again, sizeof(again));
	FUZZ_ASSERT(strcmp(text, again) == 0);
	check_format_prefixes(e, text);
}

/* What E names on the tree, named again by the path of its first function. */
static void check_resolves_by_path(const struct entry *e)
{
	size_t m[RESOLVE_MATCHES_MAX], again[RESOLVE_MATCHES_MAX], n, n_again;
	char why[RESOLVE_ERROR_MAX], path[FORMAT_MAX];
	struct entry by_path;
	size_t len;

	if (resolve_entry(e, &tree, m, &n, why, sizeof(why)) < 0) {
		FUZZ_ASSERT(n == 0 && why[0] && strlen(why) < sizeof(why));
		return;
	}
	FUZZ_ASSERT(n > 0 && n <= RESOLVE_MATCHES_MAX);
	FUZZ_ASSERT(topology_path(&tree, m[0], e->has_func, path, sizeof(path)) == 0);
	len = strlen(path);
	if (e->has_guard)
		snprintf(path + len, sizeof(path) - len, "@%04x:%04x", e->vendor, e->device);
	FUZZ_ASSERT(entry_parse(path, strlen(path), &by_path) == 0);
	FUZZ_ASSERT(resolve_entry(&by_path, &tree, again, &n_again, why, sizeof(why)) == 0);
	FUZZ_ASSERT(n_again == n && memcmp(again, m, n * sizeof(m[0])) == 0);
}

static void check_entry(const struct entry *e)
{
	FUZZ_ASSERT(strlen(e->text) < sizeof(e->text));
	FUZZ_ASSERT(strlen(e->error) < sizeof(e->error));
	FUZZ_ASSERT(e->ok == (e->error[0] == '\0'));
	if (e->ok) {
		check_round_trip(e);
		check_resolves_by_path(e);
	}
}

static size_t non_empty_items(const char *value)
{
	size_t n = 0, len;

	for (; *value; value += len + (value[len] == ',')) {
		len = strcspn(value, ",");
		n += len > 0;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw = malloc(size ? size : 1), *value;
	struct entry_list list;
	struct entry e;
	size_t i;
	int r;

	FUZZ_ASSERT(raw);
	memcpy(raw, data, size);
	r = entry_parse(raw, size, &e);
	FUZZ_ASSERT(r == (e.ok ? 0 : -EINVAL));
	check_entry(&e);
	free(raw);

	value = fuzz_string(data, size);
	FUZZ_ASSERT(entry_list_parse(value, &list) == 0);
	FUZZ_ASSERT(list.count == non_empty_items(value));
	for (i = 0; i < list.count; i++)
		check_entry(&list.items[i]);
	entry_list_free(&list);
	free(value);
	return 0;
}
