// SPDX-License-Identifier: GPL-2.0-or-later
#include "group.h"

#include <string.h>

#include "bind.h"

enum member_effect group_member_effect(const struct pci_function *fn)
{
	if (pci_function_is_bridge(fn) || strcmp(fn->driver, VFIO_DRIVER) == 0 ||
	    strcmp(fn->driver, "pci-stub") == 0)
		return MEMBER_HARMLESS;
	return fn->driver[0] ? MEMBER_BLOCKS : MEMBER_UNBOUND;
}
