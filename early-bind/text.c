// SPDX-License-Identifier: GPL-2.0-or-later
#include "text.h"

#include <ctype.h>
#include <string.h>

void text_printable(const char *s, size_t len, size_t max, char *buf)
{
	size_t shown = len > max ? max : len, i;

	for (i = 0; i < shown; i++)
		buf[i] = isprint((unsigned char)s[i]) ? s[i] : '?';
	strcpy(buf + shown, shown < len ? "..." : "");
}
