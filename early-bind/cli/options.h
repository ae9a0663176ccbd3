/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "cli/commands.h"

/* The command line as main() reads it. */
struct cli {
	struct options o;
	unsigned given; /* TAKES_* bits of the options on the command line */
	bool help;
	char **operands; /* the command, then its arguments; argc slots */
	int n_operands;
};

/*
 * Fills CLI from ARGV with the option table; 0, or -EINVAL once it
 * printed the usage error.
 */
int options_parse(int argc, char **argv, struct cli *cli);

/* The first option in GIVEN (TAKES_* bits) that TAKES lacks, without "--"; NULL: none. */
const char *options_not_taken(unsigned given, unsigned takes);

/* The "Options:" lines of 'early-bind C --help' and of 'early-bind --help'. */
void options_print_command_help(FILE *f, const struct command *c);
void options_print_overview(FILE *f);

/* "  LABEL  TEXT", TEXT's lines in the help's second column (a long LABEL on a line of its own). */
void help_print_item(FILE *f, const char *label, const char *text);
