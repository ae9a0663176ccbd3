// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * early-bind: binds PCI functions to vfio-pci by address, chosen on the
 * kernel command line, from the initramfs before udev loads host drivers.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "commands.h"
#include "entry.h"
#include "log.h"

#ifndef VERSION
#define VERSION "0.1"
#endif

enum exit_status {
	EXIT_OK = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
};

static void print_help(FILE *f)
{
	fputs("Usage: early-bind [OPTIONS] COMMAND\n"
	      "\n"
	      "Binds PCI functions to vfio-pci by address, chosen on the kernel command\n"
	      "line, from the initramfs before udev loads the host's drivers.\n"
	      "\n"
	      "Commands:\n"
	      "  boot            bind what vfio.devices= asks for (run by the initramfs)\n"
	      "  validate VALUE  check the syntax of a vfio.devices= value; no device access\n"
	      "\n"
	      "Options:\n"
	      "  --cmdline STRING  read the parameter from STRING, not /proc/cmdline\n"
	      "  --sysroot DIR     use DIR/sys, DIR/proc, DIR/run, DIR/dev/kmsg and\n"
	      "                    DIR/lib/modules; modules are never really loaded\n"
	      "  --dry-run         print the plan, write nothing\n"
	      "  --force           act outside an initramfs (boot refuses otherwise)\n"
	      "  -h, --help        show this help\n"
	      "  --version         show the version\n"
	      "\n"
	      "Kernel parameter:\n"
	      "  vfio.devices=ENTRY[,ENTRY...]\n"
	      "  ENTRY := " ENTRY_GRAMMAR "\n"
	      "    hex, case-insensitive: DOMAIN up to 8 digits (0-7fffffff), BUS 00-ff,\n"
	      "    SLOT 00-1f, FUNC 0-7, VENDOR and DEVICE 4 digits each.\n"
	      "    Without .FUNC: every function present in the slot (VGA, audio, USB...).\n"
	      "    Without DOMAIN: the slot in whichever domain has it (refused if several).\n"
	      "    @VENDOR:DEVICE: refuse the entry unless the function (function 0 for a\n"
	      "    whole slot) has this ID, in case addresses shift.\n"
	      "    The last vfio.devices= wins; an empty value binds nothing.\n"
	      "  Example: vfio.devices=3b:00,0000:af:00.1@10de:10f7\n"
	      "\n"
	      "Exit status: 0 everything requested is on vfio-pci (or nothing was asked),\n"
	      "1 something failed (each failure is logged), 2 usage error.\n"
	      "Log lines go to the kernel log and stderr, prefixed \"early-bind: \".\n",
	      f);
}

/* The initramfs runs from rootfs: ramfs or tmpfs. A disk root means a running system. */
static bool in_initramfs(void)
{
	struct statfs s;

	if (statfs("/", &s) < 0)
		return false;
	return s.f_type == RAMFS_MAGIC || s.f_type == TMPFS_MAGIC;
}

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "early-bind: error: %s%s%s; see 'early-bind --help'\n", what,
		arg ? " " : "", arg ? arg : "");
	return EXIT_USAGE;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_CMDLINE = 256, OPT_SYSROOT, OPT_DRY_RUN, OPT_FORCE, OPT_VERSION };
	static const struct option longopts[] = {
		{ "cmdline", required_argument, NULL, OPT_CMDLINE },
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_CMDLINE:
			o->cmdline = optarg;
			break;
		case OPT_SYSROOT:
			o->sysroot = optarg;
			break;
		case OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case 'h':
			print_help(stdout);
			exit(EXIT_OK);
		case OPT_VERSION:
			puts("early-bind " VERSION);
			exit(EXIT_OK);
		default:
			return usage_error("unknown option or missing value:", argv[optind - 1]);
		}
	}
	return EXIT_OK;
}

static int open_root(struct options *o)
{
	o->root_fd = open(o->sysroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->root_fd < 0) {
		fprintf(stderr, "early-bind: error: cannot open --sysroot '%s': %s\n", o->sysroot, strerror(errno));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int run_boot(struct options *o)
{
	bool real_system = strcmp(o->sysroot, "/") == 0;

	if (real_system && !o->dry_run && !o->force && !in_initramfs()) {
		fputs("early-bind: error: 'boot' runs from the initramfs; this is a running system, so nothing was changed. "
		      "Use --dry-run to see the plan, or --force if you really mean to rebind now\n",
		      stderr);
		return EXIT_USAGE;
	}
	if (!o->dry_run)
		log_open_kmsg(o->root_fd);
	return cmd_boot(o) < 0 ? EXIT_FAILED : EXIT_OK;
}

static int run_validate(struct options *o, int argc, char **argv)
{
	if (argc != 1)
		return usage_error("validate takes one vfio.devices= value, e.g.", "early-bind validate 3b:00,af:00.1");
	(void)o;
	return cmd_validate(argv[0]) < 0 ? EXIT_FAILED : EXIT_OK;
}

static int run_boot_command(struct options *o, int argc, char **argv)
{
	int status;

	if (argc > 0)
		return usage_error("unexpected argument:", argv[0]);
	status = open_root(o);
	if (status != EXIT_OK)
		return status;
	status = run_boot(o);
	log_close();
	close(o->root_fd);
	return status;
}

static const struct command {
	const char *name;
	int (*run)(struct options *o, int argc, char **argv);
} commands[] = {
	{ "boot", run_boot_command },
	{ "validate", run_validate },
};

int main(int argc, char **argv)
{
	struct options o = { .sysroot = "/", .root_fd = -1 };
	const char *command;
	size_t i;
	int status;

	/* Options may come before and after the command. */
	status = parse_options(argc, argv, &o);
	if (status != EXIT_OK)
		return status;
	if (optind >= argc)
		return usage_error("no command given", NULL);
	command = argv[optind];
	/* getopt_long permutes: keep operands after the command in order. */
	argv += optind;
	argc -= optind;
	optind = 1;
	status = parse_options(argc, argv, &o);
	if (status != EXIT_OK)
		return status;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(command, commands[i].name) == 0)
			return commands[i].run(&o, argc - optind, argv + optind);
	return usage_error("unknown command:", command);
}
