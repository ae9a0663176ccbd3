/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>
#include <stdio.h>

#include "cli/style.h"

/*
 * Rows of text cells printed in aligned columns, for the human output.
 * Widths come from the plain text, so colour never shifts a column; the
 * last column is not padded.
 */

struct table {
	size_t ncols;
	size_t nrows;
	size_t capacity;    /* rows allocated, grown by doubling */
	char **cells;	    /* nrows * ncols copies */
	enum style *styles; /* one per cell */
	const char *indent; /* printed before each row */
	int error;	    /* -ENOMEM once an add failed */
};

void table_init(struct table *t, size_t ncols, const char *indent);
/* Adds a row of NCOLS cells (NULL is an empty cell); returns its index or -ENOMEM. */
int table_add(struct table *t, const char *const *cells);
void table_style(struct table *t, size_t row, size_t col, enum style s);
/* Prints every row; returns 0 or the first error of the adds. */
int table_print(const struct table *t, FILE *f);
void table_free(struct table *t);

/* TEXT as a cell, "-" when it is empty (a function without a driver). */
const char *table_or_dash(const char *text);
