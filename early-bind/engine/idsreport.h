/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "engine/context.h"
#include "engine/pcidev.h"
#include "engine/state.h"

/*
 * vfio-pci's own ids= as modprobe passes it when vfio-pci loads: the
 * kernel command line (--cmdline or proc/cmdline, CMDLINE) or modprobe.d
 * below the root (not for a built-in vfio-pci, see modprobe.h). Returns 1 with VALUE and SOURCE
 * (modprobe.h, made printable), 0 when unset, or -errno.
 */
int ids_read(const struct engine_context *ctx, const char *cmdline, char *value, size_t size,
	     char *source, size_t source_size);

/*
 * Just before early-bind loads vfio-pci: logs every function of FNS that
 * vfio-pci's own ids= makes it take beyond the request (REQUESTED,
 * parallel to FNS), with where the option is and how to remove it, and
 * fills REC. Nothing when ids= is unset, or at runtime (RUNTIME) when
 * vfio-pci is loaded already, since modprobe then applies no option.
 * Returns 0, -E2BIG when ids= is too long for the kernel to load vfio-pci
 * with it, or -ENOMEM; both are logged as errors.
 */
int ids_report(const struct engine_context *ctx, const struct pci_function_list *fns,
	       const bool *requested, bool runtime, struct state_ids *rec);
