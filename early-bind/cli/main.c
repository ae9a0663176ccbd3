// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * early-bind: binds PCI functions to vfio-pci by address, chosen on the
 * kernel command line, from the initramfs before udev loads host drivers;
 * and the operator commands around it (list, check, status, bind,
 * release, snippet), built on the same code.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "engine/entry.h"
#include "engine/log.h"
#include "engine/rootfs.h"
#include "cli/style.h"
#include "engine/rootdir.h"

enum exit_status {
	EXIT_OK = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
};

/* In the order of the --help text. */
static const struct command *const commands[] = {
	&command_list,	  &command_check,   &command_status, &command_bind,
	&command_release, &command_snippet, &command_boot,   &command_validate,
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/*
 * A command's synopsis without its optional options ("[--json]"): the
 * list in --help shows what each takes as operands.
 */
static void operands_synopsis(const char *synopsis, char *buf, size_t size)
{
	const char *close;
	size_t n = 0;

	while (*synopsis && n + 1 < size) {
		close = strchr(synopsis, ']');
		if (strncmp(synopsis, " [--", 4) == 0 && close) {
			synopsis = close + 1;
			continue;
		}
		buf[n++] = *synopsis++;
	}
	buf[n] = '\0';
}

static void print_commands(FILE *f)
{
	char synopsis[128];
	size_t i;

	for (i = 0; i < N_COMMANDS; i++) {
		operands_synopsis(commands[i]->synopsis, synopsis, sizeof(synopsis));
		help_print_item(f, synopsis, commands[i]->summary);
	}
}

static void print_help(FILE *f)
{
	fputs("Usage: early-bind [OPTIONS] COMMAND [ARGS]\n"
	      "\n"
	      "Binds PCI functions to vfio-pci by address, chosen on the kernel command\n"
	      "line, from the initramfs before udev loads the host's drivers.\n"
	      "\n"
	      "Commands:\n",
	      f);
	print_commands(f);
	fputs("'early-bind COMMAND --help' describes each; the manual is early-bind(8).\n"
	      "\n"
	      "Options:\n",
	      f);
	options_print_overview(f);
	fputs("\n"
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
	printf("Usage: early-bind %s\n\n%s\nOptions:\n", c->synopsis, c->help);
	options_print_command_help(stdout, c);
}

int usage_error(const char *what, const char *arg)
{
	log_error("%s%s%s; see 'early-bind --help'", what, arg ? " " : "", arg ? arg : "");
	return -EINVAL;
}

static int usage_exit(const char *what, const char *arg)
{
	usage_error(what, arg);
	return EXIT_USAGE;
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
		log_error("'%s' changes drivers in /sys and needs root; run it with sudo, or add "
			  "--dry-run to see the plan",
			  command);
		return EXIT_FAILED;
	}
	log_to_kmsg_below(o->ctx.root_fd);
	return EXIT_OK;
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(name, commands[i]->name) == 0)
			return commands[i];
	return NULL;
}

static int check_usage(const struct command *c, const struct cli *cli, int argc, char **argv)
{
	/* --sysroot is global: validate, which reads no file, ignores it. */
	const char *option = options_not_taken(cli->given & ~TAKES_SYSROOT, c->takes);
	char what[64];

	if (option) {
		snprintf(what, sizeof(what), "'%s' does not take --%s", c->name, option);
		return usage_exit(what, NULL);
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
		log_error("cannot open --sysroot '%s': %s", path, strerror(errno));
	return fd;
}

static int refuse_writing_sysroot(const struct options *o, const char *why)
{
	log_error(
	    "--sysroot '%s' %s, so this would change this machine's drivers: nothing was "
	    "changed; drop --sysroot to act on this machine, or add --dry-run to see the plan",
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
	log_warning(
	    "the --sysroot tree's sys is this kernel's sysfs (a mount or a link to /sys), so "
	    "this reads the running system");
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
		log_error("out of memory");
		return EXIT_FAILED;
	}
	if (options_parse(argc, argv, &cli) < 0)
		return EXIT_USAGE;
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
