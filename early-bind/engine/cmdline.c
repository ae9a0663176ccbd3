// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/cmdline.h"

#include <errno.h>
#include <string.h>

struct param {
	const char *name;
	size_t name_len;
	const char *value; /* NULL for a bare parameter */
	size_t value_len;
};

/* The kernel's isspace() (lib/ctype.c): C's spaces plus 0xA0, Latin-1's no-break space. */
static bool kernel_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (unsigned char)c == 0xa0;
}

static const char *skip_spaces(const char *p)
{
	while (kernel_space(*p))
		p++;
	return p;
}

bool cmdline_names_equal(const char *name, size_t len, const char *key)
{
	size_t i;

	if (strlen(key) != len)
		return false;
	for (i = 0; i < len; i++) {
		char a = name[i] == '-' ? '_' : name[i], b = key[i] == '-' ? '_' : key[i];

		if (a != b)
			return false;
	}
	return true;
}

/* Mirrors lib/cmdline.c next_arg(); returns the position after the param. */
static const char *next_param(const char *p, struct param *out)
{
	bool in_quote = false, quoted = false;
	const char *equals = NULL, *end;
	size_t i;

	if (*p == '"') {
		p++;
		in_quote = quoted = true;
	}
	for (i = 0; p[i]; i++) {
		if (kernel_space(p[i]) && !in_quote)
			break;
		if (!equals && p[i] == '=')
			equals = p + i;
		if (p[i] == '"')
			in_quote = !in_quote;
	}
	end = p + i;

	out->name = p;
	/* A quoted bare parameter loses its closing quote too, as in the kernel. */
	if (equals)
		out->name_len = (size_t)(equals - p);
	else
		out->name_len = quoted && i > 0 && p[i - 1] == '"' ? i - 1 : i;
	out->value = NULL;
	out->value_len = 0;
	if (equals) {
		const char *v = equals + 1, *v_end = end;

		if (*v == '"') {
			v++;
			if (v_end > v && v_end[-1] == '"')
				v_end--;
		} else if (quoted && v_end > v && v_end[-1] == '"') {
			v_end--;
		}
		out->value = v;
		out->value_len = (size_t)(v_end - v);
	}
	return end;
}

int cmdline_get_last(const char *cmdline, const char *key, char *value, size_t size)
{
	const char *p = cmdline, *found = NULL;
	size_t found_len = 0;

	for (;;) {
		struct param param;

		p = skip_spaces(p);
		if (!*p)
			break;
		p = next_param(p, &param);
		/* A bare "--" ends the kernel's parameters: the rest is init's (init/main.c). */
		if (!param.value && param.name_len == 2 && memcmp(param.name, "--", 2) == 0)
			break;
		if (param.value && cmdline_names_equal(param.name, param.name_len, key)) {
			found = param.value;
			found_len = param.value_len;
		}
	}
	if (!found)
		return 0;
	if (found_len >= size)
		return -E2BIG;
	memcpy(value, found, found_len);
	value[found_len] = '\0';
	return 1;
}

int cmdline_remove(const char *params, const char *key, char *out, size_t size)
{
	const char *p = params;
	size_t used = 0;

	if (size == 0)
		return -E2BIG;
	out[0] = '\0';
	for (;;) {
		const char *start, *end;
		struct param param;
		size_t len;

		p = skip_spaces(p);
		if (!*p)
			return 0;
		start = p;
		end = p = next_param(p, &param);
		if (cmdline_names_equal(param.name, param.name_len, key))
			continue;
		len = (size_t)(end - start);
		if (used + (used ? 1 : 0) + len >= size)
			return -E2BIG;
		if (used)
			out[used++] = ' ';
		memcpy(out + used, start, len);
		used += len;
		out[used] = '\0';
	}
}
