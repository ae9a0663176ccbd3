/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>
#include <stdio.h>

/*
 * Copies at most MAX bytes of S (LEN bytes) into BUF for a message, with
 * non-printable bytes as '?' and "..." when shortened, so that hostile
 * input neither floods the log nor forges log lines. BUF must hold
 * MAX + 4 bytes.
 */
void text_printable(const char *s, size_t len, size_t max, char *buf);

/*
 * How a format writes text from outside (pci.ids names): SPECIAL lists the
 * bytes it must escape, ESCAPE writes the character at S (one of them, or
 * a control character: below 0x20, or 0x7f), and INVALID stands for each
 * byte that does not start a UTF-8 character an XML or JSON reader takes.
 */
struct text_escapes {
	const char *special;
	void (*escape)(FILE *f, const char *s);
	const char *invalid;
};

/*
 * Writes S to F as well-formed UTF-8 through E: the one sanitiser of the
 * JSON writer and the XML comments, so that neither passes on bytes the
 * other would refuse.
 */
void text_write_escaped(FILE *f, const char *s, const struct text_escapes *e);

/* Output for people fits an 80-column terminal. */
#define TEXT_WIDTH 80

/*
 * Prints TEXT to F in lines of at most WIDTH columns, breaking at spaces,
 * for output read on an 80-column terminal. The cursor is at COLUMN when
 * it starts; later lines are indented by INDENT.
 */
void text_print_wrapped(FILE *f, const char *text, int column, int indent, int width);
