// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * early-bind: binds PCI functions to vfio-pci by address, chosen on the
 * kernel command line, from the initramfs before udev loads host drivers;
 * and the operator commands around it (list, check, status, bind,
 * release, snippet), built on the same code.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cli/commands.h"
#include "engine/deadline.h"
#include "engine/entry.h"
#include "engine/log.h"
#include "engine/rootfs.h"
#include "cli/style.h"
#include "engine/rootdir.h"

#ifndef VERSION
#define VERSION "0.1"
#endif

enum exit_status {
	EXIT_OK = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
};

struct cli {
	struct options o;
	unsigned given; /* TAKES_* bits of the options on the command line */
	bool help;
	char **operands; /* the command, then its arguments; argc slots */
	int n_operands;
};

static const struct {
	unsigned bit;
	const char *text;
} option_help[] = {
	{ TAKES_JSON, "  --json            machine-readable output (schema: early-bind(8))\n" },
	{ TAKES_FORMAT, "  --format FORMAT   " },
	{ TAKES_CMDLINE,
	  "  --cmdline STRING  read the parameter from STRING, not /proc/cmdline\n" },
	{ TAKES_DRY_RUN, "  --dry-run         print the plan, write nothing\n" },
	{ TAKES_FORCE, "  --force           boot: run outside an initramfs; bind: take functions\n"
		       "                    the host uses (a disk, a network interface up, a display)\n" },
	{ TAKES_DEADLINE,
	  "  --deadline SECS   boot: return after SECS (15) and change no driver after\n"
	  "                    that, even when a driver's unbind still blocks\n" },
	{ TAKES_OUTPUT, "  --output FILE     write FILE instead of stdout, replacing it in one step\n"
			"                    (a temporary file in its directory, then renamed)\n" },
	{ TAKES_SYSROOT,
	  "  --sysroot DIR     read and write DIR/sys, DIR/proc, DIR/run, DIR/boot...\n"
	  "                    instead of the running system; loads no module\n" },
};

static void print_help(FILE *f)
{
	fputs("Usage: early-bind [OPTIONS] COMMAND [ARGS]\n"
	      "\n"
	      "Binds PCI functions to vfio-pci by address, chosen on the kernel command\n"
	      "line, from the initramfs before udev loads the host's drivers.\n"
	      "\n"
	      "Commands:\n"
	      "  list              display cards, their functions, drivers, IOMMU groups\n"
	      "                    and the vfio.devices= value that takes each card\n"
	      "  check [ENTRY...]  preflight: CPU, IOMMU, initramfs, groups, display...\n"
	      "  status            what the last boot asked and did, and what holds now\n"
	      "  bind ENTRY...     bind to vfio-pci now, without rebooting\n"
	      "  release ENTRY...  give functions on vfio-pci back to the host's drivers\n"
	      "  snippet --format vagrant|libvirt|qemu ENTRY...\n"
	      "                    what to paste into the VM's configuration\n"
	      "  boot              bind what vfio.devices= asks for (run by the initramfs)\n"
	      "  validate VALUE    check the syntax of a vfio.devices= value; no device access\n"
	      "'early-bind COMMAND --help' describes each; the manual is early-bind(8).\n"
	      "\n"
	      "Options:\n"
	      "  --sysroot DIR     use DIR/sys, DIR/proc, DIR/run, DIR/dev/kmsg, DIR/boot and\n"
	      "                    DIR/lib/modules; modules are never really loaded\n"
	      "  --cmdline STRING  read the parameter from STRING, not /proc/cmdline\n"
	      "  --dry-run         print the plan, write nothing\n"
	      "  --force           boot: run outside an initramfs; bind: take functions\n"
	      "                    the host uses (a disk, a network interface up, a display)\n"
	      "  --json            machine-readable output (list, check, status)\n"
	      "  --format FORMAT   status: text, json, openmetrics or prometheus;\n"
	      "                    snippet: vagrant, libvirt or qemu\n"
	      "  --output FILE     status: write FILE (atomically) instead of stdout\n"
	      "  -h, --help        show this help\n"
	      "  --version         show the version\n"
	      "\n"
	      "Kernel parameter:\n"
	      "  vfio.devices=ENTRY[,ENTRY...]\n"
	      "  ENTRY := " ENTRY_GRAMMAR "\n"
	      "         | " ENTRY_PATH_GRAMMAR "\n"
	      "    hex, case-insensitive: DOMAIN up to 8 digits (0-7fffffff), BUS 00-ff,\n"
	      "    SLOT 00-1f, FUNC 0-7, VENDOR and DEVICE 4 digits each.\n"
	      "    Without .FUNC: every function present in the slot (VGA, audio, USB...).\n"
	      "    Without DOMAIN: the slot in whichever domain has it (refused if several).\n"
	      "    @VENDOR:DEVICE: refuse the entry unless the function (function 0 for a\n"
	      "    whole slot) has this ID, in case addresses shift.\n"
	      "    A path names a device by its place: a bridge on a root bus, each bridge\n"
	      "    behind it (/SLOT.FUNC), then the slot or function (00:1c.4/00): it\n"
	      "    stays right when firmware numbers the buses differently.\n"
	      "    The last vfio.devices= wins; an empty value binds nothing.\n"
	      "  Example: vfio.devices=3b:00,0000:af:00.1@10de:10f7\n"
	      "\n"
	      "Exit status: 0 success (boot: everything requested is on vfio-pci, or nothing\n"
	      "was asked; check: no error found), 1 something failed (each failure is\n"
	      "logged), 2 usage error.\n"
	      "Log lines go to stderr (and, for boot, bind and release, the kernel log),\n"
	      "prefixed \"early-bind: \".\n",
	      f);
}

static void print_command_help(const struct command *c)
{
	size_t i;

	printf("Usage: early-bind %s\n\n%s\nOptions:\n", c->synopsis, c->help);
	for (i = 0; i < sizeof(option_help) / sizeof(option_help[0]); i++) {
		if (!(c->takes & option_help[i].bit))
			continue;
		fputs(option_help[i].text, stdout);
		if (option_help[i].bit == TAKES_FORMAT)
			printf("%s\n", c->formats);
	}
	fputs("  -h, --help        show this help\n", stdout);
}

int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "early-bind: error: %s%s%s; see 'early-bind --help'\n", what,
		arg ? " " : "", arg ? arg : "");
	return -EINVAL;
}

static int usage_exit(const char *what, const char *arg)
{
	usage_error(what, arg);
	return EXIT_USAGE;
}

/* Collects the operands (the command and its arguments) in order into CLI. */
/* Whole seconds, 1 to DEADLINE_MAX_S: a boot that waits for ever is what the deadline prevents. */
static int parse_deadline(const char *arg, unsigned *seconds)
{
	char *end;
	unsigned long v;

	if (*arg < '1' || *arg > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || *end || v > DEADLINE_MAX_S)
		return -EINVAL;
	*seconds = (unsigned)v;
	return 0;
}

static int parse_options(int argc, char **argv, struct cli *cli)
{
	enum {
		OPT_CMDLINE = 256,
		OPT_SYSROOT,
		OPT_DRY_RUN,
		OPT_FORCE,
		OPT_JSON,
		OPT_FORMAT,
		OPT_DEADLINE,
		OPT_OUTPUT,
		OPT_VERSION
	};
	static const struct option longopts[] = {
		{ "cmdline", required_argument, NULL, OPT_CMDLINE },
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "deadline", required_argument, NULL, OPT_DEADLINE },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	/*
	 * "-": operands come back in order as 1, so options are taken anywhere
	 * (GNU style) whatever POSIXLY_CORRECT says, and "--" ends them.
	 */
	while ((c = getopt_long(argc, argv, "-h", longopts, NULL)) != -1) {
		switch (c) {
		case 1:
			cli->operands[cli->n_operands++] = optarg;
			break;
		case OPT_CMDLINE:
			cli->o.ctx.cmdline = optarg;
			cli->given |= TAKES_CMDLINE;
			break;
		case OPT_SYSROOT:
			cli->o.ctx.sysroot = optarg;
			cli->given |= TAKES_SYSROOT;
			break;
		case OPT_DRY_RUN:
			cli->o.ctx.dry_run = true;
			cli->given |= TAKES_DRY_RUN;
			break;
		case OPT_FORCE:
			cli->o.ctx.force = true;
			cli->given |= TAKES_FORCE;
			break;
		case OPT_JSON:
			cli->o.json = true;
			cli->given |= TAKES_JSON;
			break;
		case OPT_FORMAT:
			cli->o.format = optarg;
			cli->given |= TAKES_FORMAT;
			break;
		case OPT_DEADLINE:
			if (parse_deadline(optarg, &cli->o.deadline) < 0)
				return usage_exit("--deadline takes whole seconds from 1 to 3600:", optarg);
			cli->given |= TAKES_DEADLINE;
			break;
		case OPT_OUTPUT:
			cli->o.output = optarg;
			cli->given |= TAKES_OUTPUT;
			break;
		case 'h':
			cli->help = true;
			break;
		case OPT_VERSION:
			puts("early-bind " VERSION);
			exit(EXIT_OK);
		default:
			return usage_exit("unknown option or missing value:", argv[optind - 1]);
		}
	}
	while (optind < argc)
		cli->operands[cli->n_operands++] = argv[optind++];
	return EXIT_OK;
}

/*
 * No entry or value starts with '-': one that does is a mistyped option,
 * or would be read as one by whatever runs next.
 */
static int check_operands(const struct cli *cli)
{
	int i;

	for (i = 0; i < cli->n_operands; i++)
		if (cli->operands[i][0] == '-')
			return usage_exit("an argument cannot start with '-':", cli->operands[i]);
	return EXIT_OK;
}

static int status_of(int err)
{
	return err < 0 ? EXIT_FAILED : EXIT_OK;
}

/* bind and release change drivers: root on the real system, and logged to dmesg. */
static int may_change_drivers(const struct options *o, const char *command)
{
	if (o->ctx.dry_run)
		return EXIT_OK;
	if (context_real_system(&o->ctx) && geteuid() != 0) {
		fprintf(stderr,
			"early-bind: error: '%s' changes drivers in /sys and needs root; run it "
			"with sudo, or add --dry-run to see the plan\n",
			command);
		return EXIT_FAILED;
	}
	log_to_kmsg_below(o->ctx.root_fd);
	return EXIT_OK;
}

/* In the order of the --help text. */
static const struct command *const commands[] = {
	&command_list,	  &command_check,   &command_status, &command_bind,
	&command_release, &command_snippet, &command_boot,   &command_validate,
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(name, commands[i]->name) == 0)
			return commands[i];
	return NULL;
}

static int check_usage(const struct command *c, const struct cli *cli, int argc, char **argv)
{
	/* In the order of the TAKES_* bits. */
	static const char *const names[] = { "--sysroot", "--cmdline",	"--dry-run", "--force",
					     "--json",	  "--format",	"--deadline", "--output" };
	char what[64];
	size_t i;

	/* --sysroot is global: validate, which reads no file, ignores it. */
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((cli->given & (1u << i) & ~TAKES_SYSROOT) && !(c->takes & (1u << i))) {
			snprintf(what, sizeof(what), "'%s' does not take", c->name);
			return usage_exit(what, names[i]);
		}
	}
	if (argc < c->min_args) {
		snprintf(what, sizeof(what), "'%s' needs an argument:", c->name);
		return usage_exit(what, c->synopsis);
	}
	if (c->max_args >= 0 && argc > c->max_args)
		return usage_exit("unexpected argument:", argv[c->max_args]);
	return EXIT_OK;
}

/* The same directory as "/" (//, /., /proc/self/root, a link to /) is the running system. */
static bool is_root_directory(int fd)
{
	struct stat dir, root;

	return fstat(fd, &dir) == 0 && stat("/", &root) == 0 && dir.st_dev == root.st_dev &&
	       dir.st_ino == root.st_ino;
}

/*
 * A tree whose sys is the kernel's sysfs (a bind mount, or sys -> /sys,
 * which libpci follows) reaches this machine's devices.
 */
static bool has_kernel_sysfs(int fd)
{
	struct statfs s;
	int sys = openat(fd, "sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
	bool kernel;

	if (sys < 0)
		return false;
	kernel = fstatfs(sys, &s) == 0 && s.f_type == SYSFS_MAGIC;
	close(sys);
	return kernel;
}

static int open_directory(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "early-bind: error: cannot open --sysroot '%s': %s\n", path,
			strerror(errno));
	return fd;
}

static int refuse_writing_sysroot(const struct options *o, const char *why)
{
	fprintf(stderr,
		"early-bind: error: --sysroot '%s' %s, so this would change this machine's "
		"drivers: nothing was changed; drop --sysroot to act on this machine, or add "
		"--dry-run to see the plan\n",
		o->ctx.sysroot, why);
	return EXIT_USAGE;
}

/*
 * Opens the root, deciding by identity rather than by name whether it is
 * the running system: then sysroot becomes "/", so the root check, the
 * boot's refusal and real module loading apply. A command that WRITES
 * never acts on the running system through --sysroot: that option asks
 * for a tree, and acting on this machine instead is the worst surprise.
 */
static int open_root(struct options *o, bool given, bool writes)
{
	char mount[PATH_MAX];
	bool kernel_sysfs;

	o->ctx.root_fd = open_directory(o->ctx.sysroot);
	if (o->ctx.root_fd < 0)
		return EXIT_USAGE;
	if (is_root_directory(o->ctx.root_fd)) {
		if (given && writes)
			return refuse_writing_sysroot(o, "is this machine's root directory");
		o->ctx.sysroot = "/";
		return EXIT_OK;
	}
	kernel_sysfs = has_kernel_sysfs(o->ctx.root_fd);
	if (writes && kernel_sysfs)
		return refuse_writing_sysroot(
		    o, "has this kernel's sysfs as its sys (a mount or a link to /sys)");
	if (writes && rootfs_mount_inside(o->ctx.sysroot, mount, sizeof(mount))) {
		char why[PATH_MAX + 64];

		snprintf(why, sizeof(why), "holds a mount point (%s), which may be this kernel's",
			 mount);
		return refuse_writing_sysroot(o, why);
	}
	if (!kernel_sysfs)
		return EXIT_OK;
	fputs("early-bind: warning: the --sysroot tree's sys is this kernel's sysfs (a mount or a "
	      "link to /sys), so this reads the running system\n",
	      stderr);
	close(o->ctx.root_fd);
	o->ctx.sysroot = "/";
	o->ctx.root_fd = open_directory(o->ctx.sysroot);
	return o->ctx.root_fd < 0 ? EXIT_USAGE : EXIT_OK;
}

static int run_command(const struct command *c, struct cli *cli, int argc, char **argv)
{
	int status = check_usage(c, cli, argc, argv);

	if (status != EXIT_OK)
		return status;
	if (c->takes & TAKES_SYSROOT) {
		/* Commands that take --dry-run change drivers unless given it. */
		status = open_root(&cli->o, cli->given & TAKES_SYSROOT,
				   (c->takes & TAKES_DRY_RUN) && !cli->o.ctx.dry_run);
		if (status != EXIT_OK)
			return status;
	}
	if (c->check_usage && c->check_usage(&cli->o) < 0)
		status = EXIT_USAGE;
	else if (c->takes & CHANGES_DRIVERS)
		status = may_change_drivers(&cli->o, c->name);
	if (status == EXIT_OK) {
		style_init(stdout);
		status = status_of(c->run(&cli->o, argv, argc));
	}
	log_to_stderr_only();
	if (cli->o.ctx.root_fd >= 0)
		close(cli->o.ctx.root_fd);
	return status;
}

int main(int argc, char **argv)
{
	struct cli cli = { .o = { .ctx = { .sysroot = "/", .root_fd = -1 } } };
	const struct command *c;
	int status;

	cli.operands = calloc((size_t)argc + 1, sizeof(*cli.operands));
	if (!cli.operands) {
		fputs("early-bind: error: out of memory\n", stderr);
		return EXIT_FAILED;
	}
	status = parse_options(argc, argv, &cli);
	if (status != EXIT_OK)
		return status;
	if (cli.n_operands == 0 && cli.help) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (cli.n_operands == 0)
		return usage_exit("no command given", NULL);
	status = check_operands(&cli);
	if (status != EXIT_OK)
		return status;
	c = find_command(cli.operands[0]);
	if (!c)
		return usage_exit("unknown command:", cli.operands[0]);
	if (cli.help) {
		print_command_help(c);
		return EXIT_OK;
	}
	return run_command(c, &cli, cli.n_operands - 1, cli.operands + 1);
}
