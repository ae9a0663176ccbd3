// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/iomem: iomem_parse() on the input as the file's text, then
 * iomem_framebuffer_in() for the first owners it names. Properties: names
 * are terminated and hold no newline; the addresses count as hidden
 * exactly when every range ends at 0; a framebuffer found is one of the
 * ranges, named as one, inside a range named as the owner.
 */
#include "fuzz.h"
#include "engine/iomem.h"

/* Each lookup scans the ranges once; a few owners cover the paths. */
#define OWNERS_MAX 8

static void check_lookup(const struct iomem *iomem, const char *owner)
{
	const struct iomem_range *fb, *bar = NULL;
	size_t i;

	fb = iomem_framebuffer_in(iomem, owner, &bar);
	if (!fb)
		return;
	/* The framebuffers are kept apart, sorted: fb is one of them, and one of the ranges. */
	FUZZ_ASSERT(bar && fb >= iomem->framebuffers &&
		    fb < iomem->framebuffers + iomem->n_framebuffers);
	for (i = 0; i < iomem->count; i++)
		if (memcmp(&iomem->items[i], fb, sizeof(*fb)) == 0)
			break;
	FUZZ_ASSERT(i < iomem->count);
	FUZZ_ASSERT(bar >= iomem->items && bar < iomem->items + iomem->count);
	FUZZ_ASSERT(strcmp(bar->name, owner) == 0);
	FUZZ_ASSERT(fb->start >= bar->start && fb->end <= bar->end);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	struct iomem iomem;
	bool all_zero = true;
	size_t i;

	FUZZ_ASSERT(iomem_parse(text, &iomem) == 0);
	for (i = 0; i < iomem.count; i++) {
		const struct iomem_range *r = &iomem.items[i];

		FUZZ_ASSERT(strnlen(r->name, sizeof(r->name)) < sizeof(r->name));
		FUZZ_ASSERT(!strchr(r->name, '\n'));
		all_zero = all_zero && r->end == 0;
	}
	FUZZ_ASSERT(iomem.hidden == all_zero);
	for (i = 0; i < iomem.count && i < OWNERS_MAX; i++)
		check_lookup(&iomem, iomem.items[i].name);
	check_lookup(&iomem, "");
	iomem_free(&iomem);
	free(text);
	return 0;
}
