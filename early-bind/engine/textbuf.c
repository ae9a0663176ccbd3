// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void textbuf_init(struct textbuf *sb, char *buf, size_t size)
{
	sb->buf = buf;
	sb->size = size;
	sb->len = 0;
	sb->cut = false;
	buf[0] = '\0';
}

void textbuf_resume(struct textbuf *sb, char *buf, size_t size)
{
	sb->buf = buf;
	sb->size = size;
	sb->len = strnlen(buf, size - 1);
	sb->cut = false;
	buf[sb->len] = '\0';
}

static void add(struct textbuf *sb, const char *fmt, va_list ap)
{
	int n = vsnprintf(sb->buf + sb->len, sb->size - sb->len, fmt, ap);

	if (n < 0) {
		sb->buf[sb->len] = '\0';
		sb->cut = true;
	} else if ((size_t)n >= sb->size - sb->len) {
		sb->len = sb->size - 1;
		sb->cut = true;
	} else {
		sb->len += (size_t)n;
	}
}

void textbuf_add(struct textbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(sb, fmt, ap);
	va_end(ap);
}

void textbuf_item(struct textbuf *sb, const char *sep, const char *fmt, ...)
{
	va_list ap;

	if (sb->len)
		textbuf_add(sb, "%s", sep);
	va_start(ap, fmt);
	add(sb, fmt, ap);
	va_end(ap);
}

void textbuf_list_add(char *buf, size_t size, const char *item)
{
	struct textbuf sb;

	textbuf_resume(&sb, buf, size);
	textbuf_item(&sb, ", ", "%s", item);
}
