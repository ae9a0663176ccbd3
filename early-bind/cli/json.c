// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/json.h"

#include <stddef.h>

#include "engine/text.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->has_items[0] = false;
}

static void escape(FILE *f, const char *s)
{
	if (*s == '"' || *s == '\\')
		fprintf(f, "\\%c", *s);
	else
		fprintf(f, "\\u%04x", (unsigned char)*s);
}

static const struct text_escapes json_escapes = { "\"\\", escape, "\\ufffd" };

static void write_string(FILE *f, const char *value)
{
	fputc('"', f);
	text_write_escaped(f, value, &json_escapes);
	fputc('"', f);
}

/* Separator, newline and indentation before an item, then its key. */
static void begin_item(struct json *j, const char *key)
{
	int i;

	if (j->depth > 0) {
		fputs(j->has_items[j->depth] ? ",\n" : "\n", j->f);
		for (i = 0; i < j->depth; i++)
			fputs("  ", j->f);
	}
	j->has_items[j->depth] = true;
	if (key) {
		write_string(j->f, key);
		fputs(": ", j->f);
	}
}

static void open_container(struct json *j, const char *key, char bracket)
{
	begin_item(j, key);
	fputc(bracket, j->f);
	if (j->depth + 1 < JSON_DEPTH_MAX)
		j->depth++;
	j->has_items[j->depth] = false;
}

static void close_container(struct json *j, char bracket)
{
	int i;

	if (j->has_items[j->depth]) {
		fputc('\n', j->f);
		for (i = 0; i < j->depth - 1; i++)
			fputs("  ", j->f);
	}
	fputc(bracket, j->f);
	if (j->depth > 0)
		j->depth--;
	if (j->depth == 0)
		fputc('\n', j->f);
}

void json_begin_object(struct json *j, const char *key)
{
	open_container(j, key, '{');
}

void json_end_object(struct json *j)
{
	close_container(j, '}');
}

void json_begin_array(struct json *j, const char *key)
{
	open_container(j, key, '[');
}

void json_end_array(struct json *j)
{
	close_container(j, ']');
}

void json_string(struct json *j, const char *key, const char *value)
{
	begin_item(j, key);
	if (value)
		write_string(j->f, value);
	else
		fputs("null", j->f);
}

void json_string_or_null(struct json *j, const char *key, const char *value)
{
	json_string(j, key, value[0] ? value : NULL);
}

void json_int(struct json *j, const char *key, long long value)
{
	begin_item(j, key);
	fprintf(j->f, "%lld", value);
}

void json_int_or_null(struct json *j, const char *key, long long value)
{
	if (value < 0)
		json_string(j, key, NULL);
	else
		json_int(j, key, value);
}

void json_seconds_or_null(struct json *j, const char *key, unsigned long long us)
{
	if (us == 0) {
		json_string(j, key, NULL);
		return;
	}
	begin_item(j, key);
	fprintf(j->f, "%llu.%06llu", us / 1000000, us % 1000000);
}

void json_bool(struct json *j, const char *key, bool value)
{
	begin_item(j, key);
	fputs(value ? "true" : "false", j->f);
}

void json_hex4(struct json *j, const char *key, unsigned value)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%04x", value);
	json_string(j, key, buf);
}
