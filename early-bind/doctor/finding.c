// SPDX-License-Identifier: GPL-2.0-or-later
#include "doctor/finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const severity_names[] = {
	[SEVERITY_OK] = "ok",
	[SEVERITY_WARN] = "warn",
	[SEVERITY_ERROR] = "error",
};

const char *severity_name(enum severity s)
{
	return severity_names[s];
}

void finding_add(struct findings *f, enum severity severity, const char *check, const char *subject,
		 const char *fmt, ...)
{
	struct finding *items = realloc(f->items, (f->count + 1) * sizeof(*items));
	struct finding *it;
	va_list ap;

	f->last_failed = !items;
	if (!items) {
		f->failed = true;
		return;
	}
	f->items = items;
	it = &items[f->count++];
	memset(it, 0, sizeof(*it));
	it->severity = severity;
	snprintf(it->check, sizeof(it->check), "%s", check);
	snprintf(it->subject, sizeof(it->subject), "%s", subject ? subject : "");
	va_start(ap, fmt);
	vsnprintf(it->message, sizeof(it->message), fmt, ap);
	va_end(ap);
}

void finding_fix(struct findings *f, const char *fmt, ...)
{
	va_list ap;

	if (f->count == 0 || f->last_failed)
		return;
	va_start(ap, fmt);
	vsnprintf(f->items[f->count - 1].fix, sizeof(f->items->fix), fmt, ap);
	va_end(ap);
}

size_t findings_count(const struct findings *f, enum severity severity)
{
	size_t i, n = 0;

	for (i = 0; i < f->count; i++)
		n += f->items[i].severity == severity;
	return n;
}

void findings_free(struct findings *f)
{
	free(f->items);
	memset(f, 0, sizeof(*f));
}
