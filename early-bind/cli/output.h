/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

/*
 * --output FILE: the output goes to a temporary file in FILE's directory,
 * renamed over FILE once complete, so that a reader (node_exporter's
 * textfile collector, an orchestrator's agent) sees the old content or the
 * new, never part of it. FILE is a path of the running system as given,
 * never inside --sysroot. Without FILE the output is stdout.
 */
struct output {
	FILE *f;
	const char *path; /* NULL: stdout */
	char tmp[PATH_MAX];
};

/* Opens the temporary file (or takes stdout); 0 or -errno, logged. */
int output_open(struct output *out, const char *path);

/*
 * KEEP: renames the temporary file over FILE (readable by all, as a
 * collector running as its own user needs); otherwise removes it and
 * FILE too, so that no earlier figures stand for what could not be
 * written. Returns 0 or -errno, logged.
 */
int output_close(struct output *out, bool keep);
