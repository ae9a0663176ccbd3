// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void table_init(struct table *t, size_t ncols, const char *indent)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->indent = indent;
}

int table_add(struct table *t, const char *const *cells)
{
	size_t n = (t->nrows + 1) * t->ncols, i;
	char **all = realloc(t->cells, n * sizeof(*all));
	enum style *styles;

	if (all)
		t->cells = all;
	styles = all ? realloc(t->styles, n * sizeof(*styles)) : NULL;
	if (!styles) {
		t->error = -ENOMEM;
		return -ENOMEM;
	}
	t->styles = styles;
	for (i = 0; i < t->ncols; i++) {
		all[t->nrows * t->ncols + i] = strdup(cells[i] ? cells[i] : "");
		styles[t->nrows * t->ncols + i] = STYLE_NONE;
		if (!all[t->nrows * t->ncols + i])
			t->error = -ENOMEM;
	}
	return (int)t->nrows++;
}

void table_style(struct table *t, size_t row, size_t col, enum style s)
{
	if (row < t->nrows && col < t->ncols)
		t->styles[row * t->ncols + col] = s;
}

static size_t width(const struct table *t, size_t col)
{
	size_t w = 0, r;

	for (r = 0; r < t->nrows; r++) {
		const char *cell = t->cells[r * t->ncols + col];
		size_t len = cell ? strlen(cell) : 0;

		if (len > w)
			w = len;
	}
	return w;
}

/* Columns up to the last non-empty one, so no row ends in spaces. */
static size_t used_columns(const struct table *t, size_t row)
{
	size_t n = t->ncols;

	while (n > 1 && !t->cells[row * t->ncols + n - 1][0])
		n--;
	return n;
}

int table_print(const struct table *t, FILE *f)
{
	size_t r, c, n;

	if (t->error)
		return t->error;
	for (r = 0; r < t->nrows; r++) {
		fputs(t->indent, f);
		n = used_columns(t, r);
		for (c = 0; c < n; c++) {
			const char *cell = t->cells[r * t->ncols + c];
			enum style s = t->styles[r * t->ncols + c];

			fprintf(f, "%s%s%s", style_on(s), cell, style_off(s));
			if (c + 1 < n)
				fprintf(f, "%*s", (int)(width(t, c) - strlen(cell) + 2), "");
		}
		fputc('\n', f);
	}
	return 0;
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->styles);
	memset(t, 0, sizeof(*t));
}
