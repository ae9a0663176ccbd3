// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `early-bind bind`: the boot's engine at runtime, to try a selection
 * without rebooting. It does not touch the boot's state file: `status`
 * keeps reporting what the boot did.
 */
#include "engine/bind.h"
#include "cli/commands.h"

static int bind_at_runtime(const struct engine_context *ctx, const char *value)
{
	return bind_value(ctx, value, BIND_AT_RUNTIME);
}

static int cmd_bind(const struct options *o, char **entries, int n)
{
	return act_on_entries(o, entries, n, bind_at_runtime);
}

const struct command command_bind = {
	.name = "bind",
	.run = cmd_bind,
	.takes = TAKES_SYSROOT | TAKES_DRY_RUN | TAKES_FORCE | CHANGES_DRIVERS,
	.min_args = 1,
	.max_args = -1,
	.synopsis = "bind [--dry-run] [--force] ENTRY...",
	.summary = "bind to vfio-pci now, without rebooting",
	.help = "Binds the functions the ENTRYs name to vfio-pci now, with the engine the\n"
		"boot uses: refuses bridges, honours @VENDOR:DEVICE guards, takes functions\n"
		"from the drivers that hold them and loads vfio-pci. Refuses a function\n"
		"the host uses through a disk or a network interface that is up, or a GPU\n"
		"it draws on (a process has its /dev/dri node open, or the framebuffer\n"
		"console is on it): that would pull them from under the host; --force\n"
		"takes it anyway. Every step is logged to stderr and the kernel log.\n"
		"Needs root; does not touch the boot's state file. Exit status 0 when\n"
		"everything named ended on vfio-pci.\n",
};
