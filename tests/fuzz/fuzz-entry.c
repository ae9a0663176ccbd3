// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio.devices= entries: entry_parse() on unterminated bytes, and
 * entry_list_parse() on the input as a value. Properties: one item per
 * non-empty comma-separated part; an item is ok exactly when it has no
 * error; an ok entry formats to a canonical text that parses to the same
 * fields and formats to itself; a short buffer gets a terminated prefix.
 */
#include <errno.h>

#include "engine/entry.h"
#include "fuzz.h"

/* "7fffffff:ff:1f.7@ffff:ffff" and its terminator, with room to spare. */
#define FORMAT_MAX 64

static bool same_fields(const struct entry *a, const struct entry *b)
{
	return a->ok == b->ok && a->has_domain == b->has_domain && a->has_func == b->has_func &&
	       a->has_guard == b->has_guard && a->domain == b->domain && a->bus == b->bus &&
	       a->slot == b->slot && a->func == b->func && a->vendor == b->vendor &&
	       a->device == b->device;
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
	entry_format(e, text, sizeof(text));
	FUZZ_ASSERT(strlen(text) < sizeof(text) - 1);
	FUZZ_ASSERT(entry_parse(text, strlen(text), &back) == 0);
	FUZZ_ASSERT(same_fields(e, &back));
	entry_format(&back, again, sizeof(again));
	FUZZ_ASSERT(strcmp(text, again) == 0);
	check_format_prefixes(e, text);
}

static void check_entry(const struct entry *e)
{
	FUZZ_ASSERT(strlen(e->text) < sizeof(e->text));
	FUZZ_ASSERT(strlen(e->error) < sizeof(e->error));
	FUZZ_ASSERT(e->ok == (e->error[0] == '\0'));
	if (e->ok)
		check_round_trip(e);
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
