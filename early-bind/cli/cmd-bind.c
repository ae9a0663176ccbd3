// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `early-bind bind` and `early-bind release`: the boot's engine at
 * runtime, to try a selection without rebooting and to hand a card back
 * to the host after the VM stops. Neither touches the boot's state file:
 * `status` keeps reporting what the boot did.
 */
#include <errno.h>

#include "engine/bind.h"
#include "cli/commands.h"
#include "engine/host.h"
#include "engine/release.h"
#include "engine/plan.h"

static int cmd_bind(const struct options *o, char **entries, int n)
{
	char value[CMDLINE_MAX];
	int err = plan_join(entries, n, value, sizeof(value));

	return err < 0 ? err : bind_value(&o->ctx, value, BIND_AT_RUNTIME);
}

static int cmd_release(const struct options *o, char **entries, int n)
{
	char value[CMDLINE_MAX];
	int err = plan_join(entries, n, value, sizeof(value));

	return err < 0 ? err : release_value(&o->ctx, value);
}

const struct command command_bind = {
	.name = "bind",
	.run = cmd_bind,
	.takes = TAKES_SYSROOT | TAKES_DRY_RUN | TAKES_FORCE | CHANGES_DRIVERS,
	.min_args = 1,
	.max_args = -1,
	.synopsis = "bind [--dry-run] [--force] ENTRY...",
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

const struct command command_release = {
	.name = "release",
	.run = cmd_release,
	.takes = TAKES_SYSROOT | TAKES_DRY_RUN | CHANGES_DRIVERS,
	.min_args = 1,
	.max_args = -1,
	.synopsis = "release [--dry-run] ENTRY...",
	.help = "Gives the functions the ENTRYs name back to the host once the VM has\n"
		"stopped: clears driver_override, unbinds them from vfio-pci and lets the\n"
		"kernel probe the host's drivers. Refuses while a process (the VM) holds\n"
		"the IOMMU group open. Needs root. Exit status 0 when every function on\n"
		"vfio-pci left it.\n",
};
