/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/* Options every subcommand shares; main() fills them. */
struct options {
	const char *sysroot; /* "/" unless --sysroot */
	int root_fd;         /* every file is opened relative to it */
	const char *cmdline; /* --cmdline, or NULL to read proc/cmdline */
	bool dry_run;
	bool force;
};

/* Each returns 0 or -errno; main() maps that to the exit status. */
int cmd_boot(const struct options *o);
int cmd_validate(const char *value);
