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

int cmd_validate(const char *value)
{
	struct entry_list list;
	size_t i;
	int err = 0;

	if (entry_list_parse(value, &list) < 0) {
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
