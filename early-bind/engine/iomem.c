// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/iomem.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "  a0000000-a07e8fff : efifb" (nesting shown by indentation, not needed here) */
static bool parse_line(const char *line, struct iomem_range *r)
{
	int name_at = 0;

	if (sscanf(line, " %" SCNx64 "-%" SCNx64 " : %n", &r->start, &r->end, &name_at) != 2 ||
	    name_at == 0)
		return false;
	snprintf(r->name, sizeof(r->name), "%.*s", (int)strcspn(line + name_at, "\n"),
		 line + name_at);
	return true;
}

static bool is_framebuffer(const char *name)
{
	static const char *const names[] = { "BOOTFB", "efifb", "vesafb", "simpledrm",
					     "simple-framebuffer" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static int by_start(const void *a, const void *b)
{
	const struct iomem_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The framebuffers sorted, with their running least end from the back. */
static int index_framebuffers(struct iomem *iomem)
{
	size_t i, n = 0;

	for (i = 0; i < iomem->count; i++)
		n += is_framebuffer(iomem->items[i].name);
	if (n == 0)
		return 0;
	iomem->framebuffers = malloc(n * sizeof(*iomem->framebuffers));
	iomem->ends_first = malloc(n * sizeof(*iomem->ends_first));
	if (!iomem->framebuffers || !iomem->ends_first)
		return -ENOMEM;
	for (i = 0; i < iomem->count; i++)
		if (is_framebuffer(iomem->items[i].name))
			iomem->framebuffers[iomem->n_framebuffers++] = iomem->items[i];
	qsort(iomem->framebuffers, n, sizeof(*iomem->framebuffers), by_start);
	iomem->ends_first[n - 1] = n - 1;
	for (i = n - 1; i-- > 0;)
		iomem->ends_first[i] =
		    iomem->framebuffers[i].end <= iomem->framebuffers[iomem->ends_first[i + 1]].end
			? i
			: iomem->ends_first[i + 1];
	return 0;
}

int iomem_parse(const char *text, struct iomem *iomem)
{
	struct iomem_range r, *items;
	size_t capacity = 0;

	memset(iomem, 0, sizeof(*iomem));
	iomem->hidden = true;
	for (; *text; text += strcspn(text, "\n"), text += *text == '\n') {
		if (!parse_line(text, &r))
			continue;
		/* Doubling: a range at a time would copy the whole list per line. */
		if (iomem->count == capacity) {
			capacity = capacity ? 2 * capacity : 64;
			items = realloc(iomem->items, capacity * sizeof(*items));
			if (!items) {
				iomem_free(iomem);
				return -ENOMEM;
			}
			iomem->items = items;
		}
		iomem->items[iomem->count++] = r;
		if (r.end != 0)
			iomem->hidden = false;
	}
	if (index_framebuffers(iomem) < 0) {
		iomem_free(iomem);
		return -ENOMEM;
	}
	return 0;
}

void iomem_free(struct iomem *iomem)
{
	free(iomem->items);
	free(iomem->framebuffers);
	free(iomem->ends_first);
	memset(iomem, 0, sizeof(*iomem));
}

/*
 * The framebuffer inside B, or NULL. A framebuffer starting after B's end
 * also ends after it, so among those starting at or after B's start, the
 * one that ends first decides.
 */
static const struct iomem_range *framebuffer_inside(const struct iomem *iomem,
						    const struct iomem_range *b)
{
	size_t lo = 0, hi = iomem->n_framebuffers, mid;
	const struct iomem_range *fb;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (iomem->framebuffers[mid].start < b->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == iomem->n_framebuffers)
		return NULL;
	fb = &iomem->framebuffers[iomem->ends_first[lo]];
	return fb->end <= b->end ? fb : NULL;
}

const struct iomem_range *iomem_framebuffer_in(const struct iomem *iomem, const char *owner,
					       const struct iomem_range **bar)
{
	const struct iomem_range *fb;
	size_t i;

	for (i = 0; i < iomem->count; i++) {
		if (strcmp(iomem->items[i].name, owner) != 0)
			continue;
		fb = framebuffer_inside(iomem, &iomem->items[i]);
		if (fb) {
			*bar = &iomem->items[i];
			return fb;
		}
	}
	return NULL;
}
