// SPDX-License-Identifier: GPL-2.0-or-later
#include "finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "style.h"
#include "text.h"

#define SEVERITY_COLUMN 7
#define CHECK_COLUMN 13

static const char *severity_name(enum severity s)
{
	return s == SEVERITY_OK ? "ok" : s == SEVERITY_WARN ? "warn" : "error";
}

void finding_add(struct findings *f, enum severity severity, const char *check,
		 const char *subject, const char *fmt, ...)
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

static enum style severity_style(enum severity s)
{
	return s == SEVERITY_OK ? STYLE_OK : s == SEVERITY_WARN ? STYLE_WARN : STYLE_ERROR;
}

static void print_one(const struct finding *it)
{
	char text[3 * FINDING_TEXT_MAX];
	enum style s = severity_style(it->severity);

	snprintf(text, sizeof(text), "%s%s%s%s%s", it->subject, it->subject[0] ? ": " : "",
		 it->message, it->fix[0] ? "; " : "", it->fix);
	printf("%s%-*s%s%-*s", style_on(s), SEVERITY_COLUMN, severity_name(it->severity),
	       style_off(s), CHECK_COLUMN, it->check);
	text_print_wrapped(stdout, text, SEVERITY_COLUMN + CHECK_COLUMN, SEVERITY_COLUMN + CHECK_COLUMN,
			   TEXT_WIDTH);
}

void findings_print_text(const struct findings *f)
{
	size_t i;

	for (i = 0; i < f->count; i++)
		print_one(&f->items[i]);
	printf("\n%zu ok, %zu %s, %zu %s\n", findings_count(f, SEVERITY_OK),
	       findings_count(f, SEVERITY_WARN),
	       findings_count(f, SEVERITY_WARN) == 1 ? "warning" : "warnings",
	       findings_count(f, SEVERITY_ERROR),
	       findings_count(f, SEVERITY_ERROR) == 1 ? "error" : "errors");
}

void findings_print_json(const struct findings *f)
{
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_begin_object(&j, NULL);
	json_int(&j, "version", 1);
	json_int(&j, "ok", (long long)findings_count(f, SEVERITY_OK));
	json_int(&j, "warnings", (long long)findings_count(f, SEVERITY_WARN));
	json_int(&j, "errors", (long long)findings_count(f, SEVERITY_ERROR));
	json_begin_array(&j, "findings");
	for (i = 0; i < f->count; i++) {
		const struct finding *it = &f->items[i];

		json_begin_object(&j, NULL);
		json_string(&j, "severity", severity_name(it->severity));
		json_string(&j, "check", it->check);
		json_string_or_null(&j, "subject", it->subject);
		json_string(&j, "message", it->message);
		json_string_or_null(&j, "fix", it->fix);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
}

void findings_free(struct findings *f)
{
	free(f->items);
	memset(f, 0, sizeof(*f));
}
