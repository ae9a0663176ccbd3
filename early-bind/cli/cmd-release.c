// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `early-bind release`: hands a card back to the host after the VM stops,
 * with the engine bind uses. It does not touch the boot's state file.
 */
#include "cli/commands.h"
#include "engine/release.h"

static int cmd_release(const struct options *o, char **entries, int n)
{
	return act_on_entries(o, entries, n, release_value);
}

const struct command command_release = {
	.name = "release",
	.run = cmd_release,
	.takes = TAKES_SYSROOT | TAKES_DRY_RUN | CHANGES_DRIVERS,
	.min_args = 1,
	.max_args = -1,
	.synopsis = "release [--dry-run] ENTRY...",
	.summary = "give functions on vfio-pci back to the host's drivers",
	.help = "Gives the functions the ENTRYs name back to the host once the VM has\n"
		"stopped: clears driver_override, unbinds them from vfio-pci and lets the\n"
		"kernel probe the host's drivers. Refuses while a process (the VM) holds\n"
		"the IOMMU group open, and an SR-IOV physical function whose virtual\n"
		"functions are enabled (vfio-pci would disable them). Needs root. Exit\n"
		"status 0 when every function on vfio-pci left it.\n",
};
