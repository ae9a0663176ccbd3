/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "engine/context.h"

/*
 * Gives the functions VALUE (a vfio.devices= value) names back to the
 * host: for each one on vfio-pci, clears driver_override, unbinds it and
 * asks the kernel to probe, so the host's own driver (if any) takes it.
 * Refuses a function whose IOMMU group a process (the VM) holds open.
 * Logs every step; returns 0 when every function went back to the host,
 * else the first failure's -errno (-EINVAL: an entry was refused, -EBUSY:
 * a VM holds the group or vfio-pci took the function again).
 */
int release_value(const struct engine_context *ctx, const char *value);
