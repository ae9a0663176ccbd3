// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/entry.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/text.h"

#define FIELD_SHOWN_MAX 16

struct field {
	const char *name;
	unsigned max_digits;
	unsigned min_digits;
	uint32_t max_value;
	const char *range; /* as written in messages */
};

static const struct field DOMAIN_FIELD = { "domain", 8, 1, DOMAIN_MAX, "0-7fffffff" };
static const struct field BUS_FIELD = { "bus", 2, 1, 0xff, "00-ff" };
static const struct field SLOT_FIELD = { "slot", 2, 1, 0x1f, "00-1f" };
static const struct field FUNC_FIELD = { "function", 1, 1, 7, "0-7" };
static const struct field VENDOR_FIELD = { "vendor ID", 4, 4, 0xffff, "4 hex digits" };
static const struct field DEVICE_FIELD = { "device ID", 4, 4, 0xffff, "4 hex digits" };

static int fail(struct entry *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->error, sizeof(e->error), fmt, ap);
	va_end(ap);
	e->ok = false;
	return -EINVAL;
}

static int parse_field(struct entry *e, const struct field *f, const char *s, size_t len,
		       uint32_t *out)
{
	char shown[FIELD_SHOWN_MAX + 4];
	uint32_t value = 0;
	size_t i;

	text_printable(s, len, FIELD_SHOWN_MAX, shown);
	if (len == 0)
		return fail(e, "%s is missing; expected " ENTRY_GRAMMAR, f->name);
	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return fail(e, "%s '%s' is not hexadecimal", f->name, shown);
	if (len > f->max_digits)
		return fail(e, "%s '%s' has more than %u hex digit%s", f->name, shown,
			    f->max_digits, f->max_digits == 1 ? "" : "s");
	if (len < f->min_digits)
		return fail(e, "%s '%s' must have %u hex digits", f->name, shown, f->min_digits);
	for (i = 0; i < len; i++) {
		char c = (char)tolower((unsigned char)s[i]);

		value = value * 16 + (uint32_t)(isdigit((unsigned char)c) ? c - '0' : c - 'a' + 10);
	}
	if (value > f->max_value)
		return fail(e, "%s '%s' is out of range (%s)", f->name, shown, f->range);
	*out = value;
	return 0;
}

static const char *find(const char *s, size_t len, char c)
{
	return memchr(s, c, len);
}

static size_t count(const char *s, size_t len, char c)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		n += s[i] == c;
	return n;
}

static int parse_guard(struct entry *e, const char *s, size_t len)
{
	const char *colon = find(s, len, ':');
	uint32_t vendor, device;

	if (!colon || count(s, len, ':') != 1)
		return fail(e, "guard must be @VENDOR:DEVICE, e.g. @10de:1e07");
	if (parse_field(e, &VENDOR_FIELD, s, (size_t)(colon - s), &vendor) < 0 ||
	    parse_field(e, &DEVICE_FIELD, colon + 1, len - (size_t)(colon - s) - 1, &device) < 0)
		return -EINVAL;
	e->has_guard = true;
	e->vendor = (uint16_t)vendor;
	e->device = (uint16_t)device;
	return 0;
}

/* SLOT[.FUNC] */
static int parse_slot_func(struct entry *e, const char *s, size_t len)
{
	const char *dot = find(s, len, '.');
	size_t slot_len = dot ? (size_t)(dot - s) : len;
	uint32_t slot, func;

	if (count(s, len, '.') > 1)
		return fail(e, "more than one '.'; expected " ENTRY_GRAMMAR);
	if (parse_field(e, &SLOT_FIELD, s, slot_len, &slot) < 0)
		return -EINVAL;
	e->slot = (uint8_t)slot;
	if (!dot)
		return 0;
	if (parse_field(e, &FUNC_FIELD, dot + 1, len - slot_len - 1, &func) < 0)
		return -EINVAL;
	e->has_func = true;
	e->func = (uint8_t)func;
	return 0;
}

static int parse_address(struct entry *e, const char *s, size_t len)
{
	size_t colons = count(s, len, ':');
	const char *first, *second;
	uint32_t value;

	if (colons < 1 || colons > 2)
		return fail(e, "expected " ENTRY_GRAMMAR ", e.g. 3b:00 or 0000:3b:00.1");
	first = find(s, len, ':');
	if (colons == 2) {
		if (parse_field(e, &DOMAIN_FIELD, s, (size_t)(first - s), &value) < 0)
			return -EINVAL;
		e->has_domain = true;
		e->domain = value;
		len -= (size_t)(first + 1 - s);
		s = first + 1;
		first = find(s, len, ':');
	}
	second = first + 1;
	if (parse_field(e, &BUS_FIELD, s, (size_t)(first - s), &value) < 0)
		return -EINVAL;
	e->bus = (uint8_t)value;
	return parse_slot_func(e, second, len - (size_t)(second - s));
}

/* The slot or function named last becomes a bridge the path passes. */
static int add_hop(struct entry *e)
{
	if (!e->has_func)
		return fail(
		    e,
		    "a path passes bridges, so slot %02x before '/' needs its function, e.g. %02x.0/",
		    e->slot, e->slot);
	if (e->n_path == ENTRY_PATH_MAX)
		return fail(
		    e,
		    "path passes more than %d bridges (its '/'); no machine is that deep, check the entry",
		    ENTRY_PATH_MAX);
	e->path[e->n_path].slot = e->slot;
	e->path[e->n_path].func = e->func;
	e->n_path++;
	e->has_func = false;
	e->slot = 0;
	e->func = 0;
	return 0;
}

/* [DOMAIN:]BUS:SLOT[.FUNC], then for a path each /SLOT[.FUNC]. */
static int parse_location(struct entry *e, const char *s, size_t len)
{
	const char *slash = find(s, len, '/');
	const char *end = s + len;

	if (parse_address(e, s, slash ? (size_t)(slash - s) : len) < 0)
		return -EINVAL;
	while (slash) {
		s = slash + 1;
		slash = find(s, (size_t)(end - s), '/');
		if (add_hop(e) < 0 ||
		    parse_slot_func(e, s, slash ? (size_t)(slash - s) : (size_t)(end - s)) < 0)
			return -EINVAL;
	}
	return 0;
}

int entry_parse(const char *text, size_t len, struct entry *e)
{
	const char *at;

	memset(e, 0, sizeof(*e));
	text_printable(text, len, sizeof(e->text) - 4, e->text);
	if (count(text, len, '@') > 1)
		return fail(e, "more than one '@'; expected " ENTRY_GRAMMAR);
	at = find(text, len, '@');
	if (parse_location(e, text, at ? (size_t)(at - text) : len) < 0)
		return -EINVAL;
	if (at && parse_guard(e, at + 1, len - (size_t)(at + 1 - text)) < 0)
		return -EINVAL;
	e->ok = true;
	return 0;
}

int entry_list_parse(const char *value, struct entry_list *list)
{
	const char *p = value;

	list->items = NULL;
	list->count = 0;
	while (*p) {
		size_t len = strcspn(p, ",");

		if (len > 0) {
			struct entry *items =
			    realloc(list->items, (list->count + 1) * sizeof(*items));

			if (!items) {
				entry_list_free(list);
				return -ENOMEM;
			}
			list->items = items;
			(void)entry_parse(p, len, &list->items[list->count++]);
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

void entry_list_free(struct entry_list *list)
{
	free(list->items);
	list->items = NULL;
	list->count = 0;
}

void entry_format(const struct entry *e, char *buf, size_t size)
{
	uint8_t k;
	int n = 0;

	if (e->has_domain)
		n = snprintf(buf, size, "%04x:", e->domain);
	if (n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, "%02x:", e->bus);
	for (k = 0; k < e->n_path && n >= 0 && (size_t)n < size; k++)
		n += snprintf(buf + n, size - (size_t)n, "%02x.%x/", e->path[k].slot,
			      e->path[k].func);
	if (n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, "%02x", e->slot);
	if (e->has_func && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, ".%x", e->func);
	if (e->has_guard && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "@%04x:%04x", e->vendor, e->device);
}
