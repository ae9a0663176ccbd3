/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "engine/context.h"

/* Options every subcommand shares; main() fills them. */
struct options {
	struct engine_context ctx; /* --sysroot, --cmdline, --dry-run, --force */
	const char *format;        /* snippet --format, or NULL */
	bool json;
};

/*
 * Each returns 0 or -errno; main() maps that to the exit status. ENTRIES
 * are vfio.devices= entries given as arguments, N of them.
 */
int cmd_boot(const struct options *o);
int cmd_validate(const char *value);
int cmd_list(const struct options *o);
int cmd_check(const struct options *o, char **entries, int n);
int cmd_status(const struct options *o);
int cmd_bind(const struct options *o, char **entries, int n);
int cmd_release(const struct options *o, char **entries, int n);
int cmd_snippet(const struct options *o, char **entries, int n);
