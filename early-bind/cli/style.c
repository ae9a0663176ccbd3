// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/style.h"

#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

static bool enabled;

void style_init(FILE *f)
{
	const char *no_color = getenv("NO_COLOR");

	enabled = isatty(fileno(f)) && !(no_color && no_color[0]);
}

const char *style_on(enum style s)
{
	static const char *const codes[] = {
		[STYLE_NONE] = "",	    [STYLE_OK] = "\033[32m",  [STYLE_WARN] = "\033[33m",
		[STYLE_ERROR] = "\033[31m", [STYLE_BOLD] = "\033[1m",
	};

	return enabled ? codes[s] : "";
}

const char *style_off(enum style s)
{
	return enabled && s != STYLE_NONE ? "\033[0m" : "";
}
