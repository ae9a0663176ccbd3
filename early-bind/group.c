// SPDX-License-Identifier: GPL-2.0-or-later
#include "group.h"

#include <string.h>

#include "bind.h"

enum member_effect group_member_effect(const struct pci_function *fn)
{
	size_t len = strlen(fn->driver);

	/* Vendor variants (mlx5_vfio_pci, nvgrace_gpu_vfio_pci) are vfio-pci too. */
	if (pci_function_is_bridge(fn) || strcmp(fn->driver, "pci-stub") == 0 ||
	    (len >= 8 && (strcmp(fn->driver + len - 8, VFIO_DRIVER) == 0 ||
			  strcmp(fn->driver + len - 8, "vfio_pci") == 0)))
		return MEMBER_HARMLESS;
	return fn->driver[0] ? MEMBER_BLOCKS : MEMBER_UNBOUND;
}
