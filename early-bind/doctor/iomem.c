// SPDX-License-Identifier: GPL-2.0-or-later
#include "doctor/iomem.h"

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

int iomem_parse(const char *text, struct iomem *iomem)
{
	struct iomem_range r, *items;

	memset(iomem, 0, sizeof(*iomem));
	iomem->hidden = true;
	for (; *text; text += strcspn(text, "\n"), text += *text == '\n') {
		if (!parse_line(text, &r))
			continue;
		items = realloc(iomem->items, (iomem->count + 1) * sizeof(*items));
		if (!items) {
			iomem_free(iomem);
			return -ENOMEM;
		}
		iomem->items = items;
		items[iomem->count++] = r;
		if (r.end != 0)
			iomem->hidden = false;
	}
	return 0;
}

void iomem_free(struct iomem *iomem)
{
	free(iomem->items);
	memset(iomem, 0, sizeof(*iomem));
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

const struct iomem_range *iomem_framebuffer_in(const struct iomem *iomem, const char *owner,
					       const struct iomem_range **bar)
{
	size_t i, k;

	for (i = 0; i < iomem->count; i++) {
		const struct iomem_range *b = &iomem->items[i];

		if (strcmp(b->name, owner) != 0)
			continue;
		for (k = 0; k < iomem->count; k++) {
			const struct iomem_range *fb = &iomem->items[k];

			if (is_framebuffer(fb->name) && fb->start >= b->start && fb->end <= b->end) {
				*bar = b;
				return fb;
			}
		}
	}
	return NULL;
}
