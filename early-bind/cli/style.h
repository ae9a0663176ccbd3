/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdio.h>

/*
 * Colour for people: only when the output is a terminal and NO_COLOR
 * (https://no-color.org) is unset or empty, so pipes, files and the tests
 * get plain text.
 */

enum style {
	STYLE_NONE,
	STYLE_OK,    /* green */
	STYLE_WARN,  /* yellow */
	STYLE_ERROR, /* red */
	STYLE_BOLD,
};

/* Decides once for F (stdout in practice) whether to colour. */
void style_init(FILE *f);

/* Escape sequence that starts S, and the one that ends it; "" without colour. */
const char *style_on(enum style s);
const char *style_off(enum style s);
