// SPDX-License-Identifier: GPL-2.0-or-later
/* `early-bind boot`: what the initramfs runs before udev loads drivers. */
#include <errno.h>
#include <string.h>

#include "bind.h"
#include "cmdline.h"
#include "commands.h"
#include "log.h"
#include "sysfs.h"

#define CMDLINE_MAX 8192

/* Returns 1 with VALUE set, 0 when the parameter is absent, or -errno. */
static int read_parameter(const struct options *o, char *value, size_t size)
{
	char cmdline[CMDLINE_MAX];
	int r;

	if (o->cmdline) {
		r = cmdline_get_last(o->cmdline, PARAMETER, value, size);
	} else {
		r = sysfs_read(o->root_fd, "proc/cmdline", cmdline, sizeof(cmdline));
		if (r < 0) {
			log_error("cannot read /proc/cmdline: %s; nothing was bound", strerror(-r));
			return r;
		}
		r = cmdline_get_last(cmdline, PARAMETER, value, size);
	}
	if (r == -E2BIG)
		log_error(PARAMETER "= is longer than %zu bytes; nothing was bound", size - 1);
	return r;
}

int cmd_boot(const struct options *o)
{
	static char value[CMDLINE_MAX];
	int err;

	err = read_parameter(o, value, sizeof(value));
	if (err <= 0)
		return err; /* absent: nothing to do, and nothing logged */
	return bind_value(o, value, true);
}
