// SPDX-License-Identifier: GPL-2.0-or-later
/* How `early-bind check` shows the doctor's findings: text or JSON. */
#include "cli/findings-print.h"

#include <stdio.h>

#include "cli/json.h"
#include "cli/style.h"
#include "engine/text.h"

#define SEVERITY_COLUMN 7
#define CHECK_COLUMN 13

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
	text_print_wrapped(stdout, text, SEVERITY_COLUMN + CHECK_COLUMN,
			   SEVERITY_COLUMN + CHECK_COLUMN, TEXT_WIDTH);
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
