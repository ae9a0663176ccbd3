// SPDX-License-Identifier: GPL-2.0-or-later
/* What bind and release share: the ENTRY operands as one vfio.devices= value. */
#include "cli/commands.h"
#include "engine/host.h"
#include "engine/plan.h"

int act_on_entries(const struct options *o, char **entries, int n,
		   int (*act)(const struct engine_context *ctx, const char *value))
{
	char value[CMDLINE_MAX];
	int err = plan_join(entries, n, value, sizeof(value));

	return err < 0 ? err : act(&o->ctx, value);
}
