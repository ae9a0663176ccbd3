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
#include "engine/selection.h"

int cmd_bind(const struct options *o, char **entries, int n)
{
	char value[CMDLINE_MAX];
	int err = selection_join(entries, n, value, sizeof(value));

	return err < 0 ? err : bind_value(&o->ctx, value, BIND_AT_RUNTIME);
}

int cmd_release(const struct options *o, char **entries, int n)
{
	char value[CMDLINE_MAX];
	int err = selection_join(entries, n, value, sizeof(value));

	return err < 0 ? err : release_value(&o->ctx, value);
}
