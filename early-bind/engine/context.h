/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/*
 * What the engine needs to know of the machine it acts on and how; the
 * command line fills it from its options.
 */
struct engine_context {
	const char *sysroot; /* "/" unless --sysroot */
	int root_fd;	     /* every file is opened relative to it */
	const char *cmdline; /* --cmdline, or NULL to read proc/cmdline */
	bool dry_run;
	bool force;
};

/* Whether SYSROOT is this machine's root rather than a --sysroot tree. */
static inline bool sysroot_is_real(const char *sysroot)
{
	return sysroot[0] == '/' && sysroot[1] == '\0';
}

/* What goes before an absolute path to find it under SYSROOT: "" on this machine. */
static inline const char *sysroot_prefix(const char *sysroot)
{
	return sysroot_is_real(sysroot) ? "" : sysroot;
}

/* Whether the engine acts on this machine rather than a --sysroot tree. */
static inline bool context_real_system(const struct engine_context *ctx)
{
	return sysroot_is_real(ctx->sysroot);
}
