/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * Text built piece by piece in a caller's fixed buffer (on the stack, most
 * often). It always holds a string; what does not fit is cut off as
 * snprintf() cuts it, and later pieces are dropped, so that a long list
 * shortens a message instead of overrunning its buffer. CUT tells a caller
 * for whom a shortened text is an error (a path).
 */
struct textbuf {
	char *buf;
	size_t size; /* at least 1 */
	size_t len;  /* below size */
	bool cut;    /* something did not fit */
};

/* Starts SB on BUF, SIZE bytes (at least 1), empty. */
void textbuf_init(struct textbuf *sb, char *buf, size_t size);

/* Starts SB on BUF, SIZE bytes, after the string already in it. */
void textbuf_resume(struct textbuf *sb, char *buf, size_t size);

/* Appends the formatted text. */
void textbuf_add(struct textbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends a list item: SEP first, unless SB is still empty. */
void textbuf_item(struct textbuf *sb, const char *sep, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends ITEM to the ", "-separated list kept in BUF (SIZE bytes). */
void textbuf_list_add(char *buf, size_t size, const char *item);
