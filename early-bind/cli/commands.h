/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "engine/context.h"

/* Options every subcommand shares; main() fills them. */
struct options {
	struct engine_context ctx; /* --sysroot, --cmdline, --dry-run, --force */
	const char *format;	   /* snippet's and status's --format, or NULL */
	const char *output;	   /* status --output FILE, or NULL: stdout */
	unsigned deadline;	   /* boot --deadline seconds; 0: the default */
	bool json;
};

/* Options a command accepts, as bits; CHANGES_DRIVERS marks bind and release. */
enum {
	TAKES_SYSROOT = 1 << 0,
	TAKES_CMDLINE = 1 << 1,
	TAKES_DRY_RUN = 1 << 2,
	TAKES_FORCE = 1 << 3,
	TAKES_JSON = 1 << 4,
	TAKES_FORMAT = 1 << 5,
	TAKES_DEADLINE = 1 << 6,
	TAKES_OUTPUT = 1 << 7,
	CHANGES_DRIVERS = 1 << 8, /* needs root unless --dry-run; logs to the kernel log */
};

/*
 * One subcommand, defined in its own cmd-*.c file (as kmod's tools/ do);
 * main() parses the options, checks the operands against this record and
 * maps what run() returns to the exit status.
 */
struct command {
	const char *name;
	/* ARGS: the N operands after the command; returns 0 or -errno. */
	int (*run)(const struct options *o, char **args, int n);
	/* Optional: a usage check that needs the options; 0, or -EINVAL once it printed why. */
	int (*check_usage)(const struct options *o);
	unsigned takes; /* TAKES_* and CHANGES_DRIVERS bits */
	int min_args;
	int max_args;	      /* -1: any number */
	const char *synopsis; /* 'early-bind --help' lists it without its optional options */
	const char *summary;  /* its line(s) in 'early-bind --help' */
	const char *help;
	const char *formats; /* what --format takes, for the help: "vagrant, libvirt or qemu" */
};

extern const struct command command_list, command_check, command_status, command_bind,
    command_release, command_snippet, command_boot, command_validate;

/* Prints "early-bind: WHAT ARG" and the pointer to --help; returns -EINVAL. */
int usage_error(const char *what, const char *arg);

/*
 * Joins the ENTRY operands into one vfio.devices= value and runs ACT on it
 * (bind and release); 0 or -errno.
 */
int act_on_entries(const struct options *o, char **entries, int n,
		   int (*act)(const struct engine_context *ctx, const char *value));
