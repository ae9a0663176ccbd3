/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "commands.h"

#define PARAMETER "vfio.devices"
#define VFIO_DRIVER "vfio-pci"

/*
 * Binds what VALUE (a vfio.devices= value) names and logs every step;
 * with SAVE, records it in the state file for `early-bind status`.
 * Returns 0 when everything requested ended on vfio-pci, else -errno.
 */
int bind_value(const struct options *o, const char *value, bool save);
