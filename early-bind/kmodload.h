/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/*
 * Loads vfio-pci with libkmod: its dependencies and softdeps (vfio,
 * vfio_iommu_type1, ...) in the order modprobe would use, modprobe.d
 * options included, but never our own vfio.devices= parameter: libkmod
 * hands every "vfio.*" on /proc/cmdline to module vfio as an option, and
 * the kernel would log "vfio: unknown parameter 'devices' ignored".
 *
 * SYSROOT "/" loads into the running kernel. Any other SYSROOT only
 * resolves the plan against SYSROOT/lib/modules/RELEASE and logs it:
 * a fixture tree must never load modules into the machine running it.
 * Returns 0 (also when vfio-pci is built in or already loaded) or -errno.
 */
int modules_load_vfio_pci(const char *sysroot, const char *release);
