/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * Loads vfio-pci and, where they are modules, the backends vfio_iommu_type1
 * and iommufd with libkmod:
 * their dependencies and softdeps in the order modprobe would use,
 * modprobe.d options included, but never our own vfio.devices= parameter:
 * libkmod hands every "vfio.*" on /proc/cmdline to module vfio as an
 * option, and the kernel would log "vfio: unknown parameter 'devices'
 * ignored".
 *
 * SYSROOT "/" loads into the running kernel. Any other SYSROOT only
 * resolves the plan against SYSROOT/lib/modules/RELEASE and logs it:
 * a fixture tree must never load modules into the machine running it.
 * DRY_RUN resolves the plan and loads nothing.
 * Returns 0 (also when they are built in or already loaded, and when the
 * kernel has no such backend), or -errno when vfio-pci cannot be found or
 * loaded, with WHY saying which and why.
 */
int modules_load_vfio_pci(const char *sysroot, const char *release, bool dry_run, char *why,
			  size_t why_size);
