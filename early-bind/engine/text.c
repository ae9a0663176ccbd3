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
