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

/* Room for one more row, doubling: a row at a time would copy every cell again. */
static int grow(struct table *t)
{
	size_t capacity = t->capacity ? 2 * t->capacity : 16;
	char **all;
	enum style *styles;

	if (t->nrows < t->capacity)
		return 0;
	all = realloc(t->cells, capacity * t->ncols * sizeof(*all));
	if (!all)
		return -ENOMEM;
	t->cells = all;
	styles = realloc(t->styles, capacity * t->ncols * sizeof(*styles));
	if (!styles)
		return -ENOMEM;
	t->styles = styles;
	t->capacity = capacity;
	return 0;
}

int table_add(struct table *t, const char *const *cells)
{
	size_t i, at = t->nrows * t->ncols;

	if (grow(t) < 0) {
		t->error = -ENOMEM;
		return -ENOMEM;
	}
	for (i = 0; i < t->ncols; i++) {
		t->cells[at + i] = strdup(cells[i] ? cells[i] : "");
		t->styles[at + i] = STYLE_NONE;
		if (!t->cells[at + i])
			t->error = -ENOMEM;
	}
	return (int)t->nrows++;
}

void table_style(struct table *t, size_t row, size_t col, enum style s)
{
	if (row < t->nrows && col < t->ncols)
		t->styles[row * t->ncols + col] = s;
}

/* Each column's width, the longest of its cells: once, not per printed cell. */
static size_t *widths(const struct table *t)
{
	size_t *w = calloc(t->ncols, sizeof(*w)), r, c, len;

	for (r = 0; w && r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			len = strlen(t->cells[r * t->ncols + c]);
			if (len > w[c])
				w[c] = len;
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
	size_t r, c, n, *w;

	if (t->error)
		return t->error;
	w = widths(t);
	if (!w)
		return -ENOMEM;
	for (r = 0; r < t->nrows; r++) {
		fputs(t->indent, f);
		n = used_columns(t, r);
		for (c = 0; c < n; c++) {
			const char *cell = t->cells[r * t->ncols + c];
			enum style s = t->styles[r * t->ncols + c];

			fprintf(f, "%s%s%s", style_on(s), cell, style_off(s));
			if (c + 1 < n)
				fprintf(f, "%*s", (int)(w[c] - strlen(cell) + 2), "");
		}
		fputc('\n', f);
	}
	free(w);
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

const char *table_or_dash(const char *text)
{
	return text[0] ? text : "-";
}
