// SPDX-License-Identifier: GPL-2.0-or-later
/* `early-bind boot`: what the initramfs runs before udev loads drivers. */
#include <errno.h>
#include <stdio.h>

#include "cli/commands.h"
#include "engine/bind.h"
#include "engine/host.h"
#include "engine/log.h"
#include "engine/progress.h"
#include "engine/rootfs.h"

/*
 * A --sysroot tree is held to the same rule as this machine, so that the
 * fixture cases exercise the decision the boot makes.
 */
static int boot_check_usage(const struct options *o)
{
	if (o->ctx.dry_run || o->ctx.force || rootfs_is_initramfs(o->ctx.root_fd))
		return 0;
	fprintf(stderr,
		"early-bind: error: 'boot' runs from the initramfs; %s is a running system "
		"(its root is not the kernel's rootfs holding etc/initrd-release, "
		"usr/lib/initrd-release or initramfs-tools' conf/initramfs.conf and "
		"scripts/init-top), so nothing was changed. "
		"Use --dry-run to see the plan, or --force if you really mean to rebind now\n",
		context_real_system(&o->ctx) ? "this" : "the --sysroot tree");
	return -EINVAL;
}

static int bind_requested(const struct options *o)
{
	char value[CMDLINE_MAX];
	int err;

	err = host_read_parameter(&o->ctx, value, sizeof(value), "nothing was bound");
	if (err < 0)
		return bind_record_unreadable(&o->ctx, err);
	if (err == 0)
		return 0; /* absent: nothing to do, and nothing logged */
	return bind_value(&o->ctx, value, BIND_AT_BOOT);
}

static int cmd_boot(const struct options *o, char **args, int n)
{
	int err;

	(void)args;
	(void)n;
	if (!o->ctx.dry_run) {
		log_to_kmsg_below(o->ctx.root_fd);
		progress_begin(o->ctx.root_fd);
	}
	err = bind_requested(o);
	progress_end();
	return err;
}

const struct command command_boot = {
	.name = "boot",
	.run = cmd_boot,
	.check_usage = boot_check_usage,
	.takes = TAKES_SYSROOT | TAKES_CMDLINE | TAKES_DRY_RUN | TAKES_FORCE,
	.min_args = 0,
	.max_args = 0,
	.synopsis = "boot [--cmdline STRING] [--dry-run] [--force]",
	.help = "Binds what vfio.devices= on the kernel command line asks for and records\n"
		"it in /run/early-bind/state. The initramfs runs it before udev; on a\n"
		"running system it refuses unless --dry-run or --force.\n",
};
