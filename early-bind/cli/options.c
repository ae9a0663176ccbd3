// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The option table: each option's name, value, the field it fills, the
 * commands that take it and its help, in one row. The getopt array, the
 * usage check and both helps are built from it.
 */
#include "cli/options.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "engine/deadline.h"

#ifndef VERSION
#define VERSION "0.1"
#endif

/* Where the help's text column starts ("  --cmdline STRING  " is the longest label). */
#define HELP_COLUMN 20

struct option_row {
	const char *name; /* without "--" */
	char short_name;  /* 'h', or 0 */
	const char *arg;  /* the value's name in the help; NULL: a flag */
	size_t field;	  /* offsetof(struct cli, ...): the field it fills */
	/* Optional: checks ARG and fills FIELD; 0, or -EINVAL once it printed why. */
	int (*parse)(const char *arg, void *field);
	unsigned bit; /* the TAKES_* bit; 0: not a command's (--help, --version) */
	/* In 'early-bind C --help'; NULL: not there (--format's is the command's formats). */
	const char *help;
	/* In 'early-bind --help'; NULL: the same as help, "": not there. */
	const char *overview;
};

/*
 * The field, its type checked: _Generic without a match does not compile.
 * (clang-format 14 and 19 disagree on the space before its colon.)
 */
/* clang-format off */
#define FIELD(member, type)                                                                        \
	offsetof(struct cli, member) + _Generic(((struct cli *)0)->member, type : 0)
/* clang-format on */
/* A flag sets a bool; a value is kept as a string, or checked and stored by PARSE. */
#define FLAG(member) .field = FIELD(member, bool)
#define VALUE(name, member) .arg = name, .field = FIELD(member, const char *)
#define PARSED(name, member, type, fn) .arg = name, .field = FIELD(member, type), .parse = fn

/* Whole seconds, 1 to DEADLINE_MAX_S: a boot that waits for ever is what the deadline prevents. */
static int parse_deadline(const char *arg, void *field)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = *arg >= '1' && *arg <= '9' ? strtoul(arg, &end, 10) : 0;
	if (v == 0 || errno || *end || v > DEADLINE_MAX_S)
		return usage_error("--deadline takes whole seconds from 1 to 3600:", arg);
	*(unsigned *)field = (unsigned)v;
	return 0;
}

static int show_version(const char *arg, void *field)
{
	(void)arg;
	(void)field;
	puts("early-bind " VERSION);
	exit(0);
}

/*
 * In the order of 'early-bind C --help'; 'early-bind --help' lists them in
 * the order of their TAKES_* bits, which the usage check follows too.
 */
static const struct option_row option_table[] = {
	{ .name = "json",
	  FLAG(o.json),
	  .bit = TAKES_JSON,
	  .help = "machine-readable output (schema: early-bind(8))",
	  .overview = "machine-readable output (list, check, status)" },
	{ .name = "format",
	  VALUE("FORMAT", o.format),
	  .bit = TAKES_FORMAT,
	  .overview = "status: text, json, openmetrics or prometheus;\n"
		      "snippet: vagrant, libvirt or qemu" },
	{ .name = "cmdline",
	  VALUE("STRING", o.ctx.cmdline),
	  .bit = TAKES_CMDLINE,
	  .help = "read the parameter from STRING, not /proc/cmdline" },
	{ .name = "dry-run",
	  FLAG(o.ctx.dry_run),
	  .bit = TAKES_DRY_RUN,
	  .help = "print the plan, write nothing" },
	{ .name = "force",
	  FLAG(o.ctx.force),
	  .bit = TAKES_FORCE,
	  .help = "boot: run outside an initramfs; bind: take functions\n"
		  "the host uses (a disk, a network interface up, a display)" },
	{ .name = "deadline",
	  PARSED("SECS", o.deadline, unsigned, parse_deadline),
	  .bit = TAKES_DEADLINE,
	  .help = "boot: return after SECS (15) and change no driver after\n"
		  "that, even when a driver's unbind still blocks",
	  .overview = "" },
	{ .name = "output",
	  VALUE("FILE", o.output),
	  .bit = TAKES_OUTPUT,
	  .help = "write FILE instead of stdout, replacing it in one step\n"
		  "(a temporary file in its directory, then renamed)",
	  .overview = "status: write FILE (atomically) instead of stdout" },
	{ .name = "sysroot",
	  VALUE("DIR", o.ctx.sysroot),
	  .bit = TAKES_SYSROOT,
	  .help = "read and write DIR/sys, DIR/proc, DIR/run, DIR/boot...\n"
		  "instead of the running system; loads no module",
	  .overview = "use DIR/sys, DIR/proc, DIR/run, DIR/dev/kmsg, DIR/boot and\n"
		      "DIR/lib/modules; modules are never really loaded" },
	{ .name = "help", .short_name = 'h', FLAG(help), .help = "show this help" },
	{ .name = "version", .parse = show_version, .overview = "show the version" },
};

#define N_OPTIONS (sizeof(option_table) / sizeof(option_table[0]))
/* getopt's value for option_table[i]: past every character. */
#define OPTION_VALUE 256

static const struct option_row *option_of_bit(unsigned bit)
{
	size_t i;

	for (i = 0; i < N_OPTIONS; i++)
		if (option_table[i].bit == bit)
			return &option_table[i];
	return NULL;
}

static const struct option_row *option_of_value(int value)
{
	size_t i;

	if (value >= OPTION_VALUE && (size_t)(value - OPTION_VALUE) < N_OPTIONS)
		return &option_table[value - OPTION_VALUE];
	for (i = 0; i < N_OPTIONS; i++)
		if (option_table[i].short_name && option_table[i].short_name == value)
			return &option_table[i];
	return NULL;
}

static int take_option(const struct option_row *row, const char *arg, struct cli *cli)
{
	void *field = (char *)cli + row->field;
	int err = 0;

	if (row->parse)
		err = row->parse(arg, field);
	else if (row->arg)
		*(const char **)field = arg;
	else
		*(bool *)field = true;
	if (err == 0)
		cli->given |= row->bit;
	return err;
}

int options_parse(int argc, char **argv, struct cli *cli)
{
	struct option longopts[N_OPTIONS + 1];
	char shorts[N_OPTIONS + 2] = "-";
	size_t i, n_shorts = 1;
	int c;

	for (i = 0; i < N_OPTIONS; i++) {
		const struct option_row *row = &option_table[i];
		int has_arg = row->arg ? required_argument : no_argument;

		longopts[i] = (struct option){ row->name, has_arg, NULL, OPTION_VALUE + (int)i };
		if (row->short_name)
			shorts[n_shorts++] = row->short_name;
	}
	memset(&longopts[N_OPTIONS], 0, sizeof(longopts[N_OPTIONS]));
	shorts[n_shorts] = '\0';
	opterr = 0;
	/*
	 * "-": operands come back in order as 1, so options are taken anywhere
	 * (GNU style) whatever POSIXLY_CORRECT says, and "--" ends them.
	 */
	while ((c = getopt_long(argc, argv, shorts, longopts, NULL)) != -1) {
		const struct option_row *row = option_of_value(c);

		if (c == 1) {
			cli->operands[cli->n_operands++] = optarg;
			continue;
		}
		if (!row)
			return usage_error("unknown option or missing value:", argv[optind - 1]);
		if (take_option(row, optarg, cli) < 0)
			return -EINVAL;
	}
	while (optind < argc)
		cli->operands[cli->n_operands++] = argv[optind++];
	return 0;
}

const char *options_not_taken(unsigned given, unsigned takes)
{
	const struct option_row *row;
	unsigned bit;

	for (bit = 1; bit; bit <<= 1) {
		row = option_of_bit(bit);
		if (row && (given & bit) && !(takes & bit))
			return row->name;
	}
	return NULL;
}

void help_print_item(FILE *f, const char *label, const char *text)
{
	int width = fprintf(f, "  %s", label);
	const char *end;

	if (width > HELP_COLUMN - 2) {
		fputc('\n', f);
		width = 0;
	}
	fprintf(f, "%*s", HELP_COLUMN - width, "");
	while ((end = strchr(text, '\n'))) {
		fprintf(f, "%.*s\n%*s", (int)(end - text), text, HELP_COLUMN, "");
		text = end + 1;
	}
	fprintf(f, "%s\n", text);
}

static void print_option(FILE *f, const struct option_row *row, const char *text)
{
	char label[64];
	int n = row->short_name ? snprintf(label, sizeof(label), "-%c, ", row->short_name) : 0;

	snprintf(label + n, sizeof(label) - (size_t)n, "--%s%s%s", row->name, row->arg ? " " : "",
		 row->arg ? row->arg : "");
	help_print_item(f, label, text);
}

void options_print_command_help(FILE *f, const struct command *c)
{
	const struct option_row *row;

	for (row = option_table; row < option_table + N_OPTIONS; row++) {
		if (row->bit && (c->takes & row->bit))
			print_option(f, row, row->bit == TAKES_FORMAT ? c->formats : row->help);
		else if (!row->bit && row->help)
			print_option(f, row, row->help);
	}
}

static void print_overview_line(FILE *f, const struct option_row *row)
{
	const char *text = row->overview ? row->overview : row->help;

	if (*text)
		print_option(f, row, text);
}

void options_print_overview(FILE *f)
{
	const struct option_row *row;
	unsigned bit;

	for (bit = 1; bit; bit <<= 1)
		if ((row = option_of_bit(bit)))
			print_overview_line(f, row);
	for (row = option_table; row < option_table + N_OPTIONS; row++)
		if (!row->bit)
			print_overview_line(f, row);
}
