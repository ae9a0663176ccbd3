// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `early-bind validate VALUE`: the boot's own parser on a vfio.devices=
 * value, for boot-menu generators and people editing their config. Reads
 * no device: a value can be checked on another machine.
 */
#include <errno.h>

#include "cli/commands.h"
#include "engine/entry.h"
#include "engine/log.h"

static int cmd_validate(const struct options *o, char **args, int n)
{
	struct entry_list list;
	size_t i;
	int err = 0;

	(void)o;
	(void)n;
	if (entry_list_parse(args[0], &list) < 0) {
		log_error("out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < list.count; i++) {
		if (list.items[i].ok)
			continue;
		log_error("entry '%s': %s", list.items[i].text, list.items[i].error);
		err = -EINVAL;
	}
	entry_list_free(&list);
	return err;
}

const struct command command_validate = {
	.name = "validate",
	.run = cmd_validate,
	.takes = 0,
	.min_args = 1,
	.max_args = 1,
	.synopsis = "validate VALUE",
	.summary = "check the syntax of a vfio.devices= value; no device access",
	.help = "Checks the syntax of a vfio.devices= value with the boot's own parser.\n"
		"Reads no device, so a value can be checked on another machine.\n",
};
