// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/metrics.h"

#include <string.h>

#include "engine/text.h"

void metrics_init(struct metrics *m, FILE *f, enum metrics_format format)
{
	m->f = f;
	m->format = format;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

void metrics_family(struct metrics *m, const char *name, const char *help)
{
	bool om = m->format == METRICS_OPENMETRICS;

	if (om && ends_with(name, "_info")) {
		/* OpenMetrics names an info family without the suffix its samples carry. */
		int n = (int)(strlen(name) - strlen("_info"));

		fprintf(m->f, "# HELP %.*s %s\n# TYPE %.*s info\n", n, name, help, n, name);
		return;
	}
	fprintf(m->f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
	if (om && ends_with(name, "_seconds"))
		fprintf(m->f, "# UNIT %s seconds\n", name);
}

/*
 * Both formats escape only the backslash, the double quote and the line
 * feed in a label value; another control character becomes U+FFFD, as
 * bytes that are not UTF-8 do.
 */
static void escape(FILE *f, const char *s)
{
	if (*s == '"' || *s == '\\')
		fprintf(f, "\\%c", *s);
	else if (*s == '\n')
		fputs("\\n", f);
	else
		fputs("\xef\xbf\xbd", f);
}

static const struct text_escapes label_escapes = { "\"\\", escape, "\xef\xbf\xbd" };

static void write_name(struct metrics *m, const char *name, const struct metrics_label *labels,
		       size_t n_labels)
{
	size_t i;

	fputs(name, m->f);
	if (n_labels == 0)
		return;
	fputc('{', m->f);
	for (i = 0; i < n_labels; i++) {
		fprintf(m->f, "%s%s=\"", i ? "," : "", labels[i].name);
		text_write_escaped(m->f, labels[i].value, &label_escapes);
		fputc('"', m->f);
	}
	fputc('}', m->f);
}

void metrics_sample(struct metrics *m, const char *name, const struct metrics_label *labels,
		    size_t n_labels, long long value)
{
	write_name(m, name, labels, n_labels);
	fprintf(m->f, " %lld\n", value);
}

void metrics_sample_seconds(struct metrics *m, const char *name, unsigned long long us)
{
	write_name(m, name, NULL, 0);
	fprintf(m->f, " %llu.%06llu\n", us / 1000000, us % 1000000);
}

void metrics_end(struct metrics *m)
{
	if (m->format == METRICS_OPENMETRICS)
		fputs("# EOF\n", m->f);
}
