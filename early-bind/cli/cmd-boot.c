// SPDX-License-Identifier: GPL-2.0-or-later
/* `early-bind boot`: what the initramfs runs before udev loads drivers. */
#include "engine/bind.h"
#include "cli/commands.h"
#include "engine/host.h"

int cmd_boot(const struct options *o)
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
