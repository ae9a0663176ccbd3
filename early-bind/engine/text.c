// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/text.h"

#include <ctype.h>
#include <string.h>

void text_printable(const char *s, size_t len, size_t max, char *buf)
{
	size_t shown = len > max ? max : len, i;

	for (i = 0; i < shown; i++)
		buf[i] = isprint((unsigned char)s[i]) ? s[i] : '?';
	strcpy(buf + shown, shown < len ? "..." : "");
}

/*
 * Length of the UTF-8 character starting at S, or 0 when it is not one
 * that XML and JSON both take: a stray byte, an overlong form, a UTF-16
 * surrogate, anything above U+10FFFF, or the noncharacters U+FFFE and
 * U+FFFF, which XML forbids.
 */
static size_t utf8_length(const unsigned char *s)
{
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f) ||
	    (s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe))
		return 0;
	return n;
}

void text_write_escaped(FILE *f, const char *text, const struct text_escapes *e)
{
	const unsigned char *s = (const unsigned char *)text;

	while (*s) {
		size_t n = utf8_length(s);

		if (n == 0) {
			fputs(e->invalid, f);
			n = 1;
		} else if (*s < 0x20 || *s == 0x7f || strchr(e->special, *s)) {
			e->escape(f, (const char *)s);
		} else {
			fwrite(s, 1, n, f);
		}
		s += n;
	}
}

void text_print_wrapped(FILE *f, const char *text, int column, int indent, int width)
{
	size_t room = (size_t)(width - column), len;

	for (;;) {
		len = strlen(text);
		if (len > room) {
			len = room;
			while (len > 0 && text[len] != ' ')
				len--;
			if (len == 0)
				len = strcspn(text, " "); /* one long word: keep it whole */
		}
		fprintf(f, "%.*s\n", (int)len, text);
		text += len;
		while (*text == ' ')
			text++;
		if (!*text)
			return;
		fprintf(f, "%*s", indent, "");
		room = (size_t)(width - indent);
	}
}
