/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/* Options every subcommand shares; main() fills them. */
struct options {
	const char *sysroot; /* "/" unless --sysroot */
	int root_fd;         /* every file is opened relative to it */
	const char *cmdline; /* --cmdline, or NULL to read proc/cmdline */
	const char *format;  /* snippet --format, or NULL */
	bool dry_run;
	bool force;
	bool json;
};

/* Whether the commands act on this machine rather than a --sysroot tree. */
static inline bool options_real_system(const struct options *o)
{
	return o->sysroot[0] == '/' && o->sysroot[1] == '\0';
}

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
