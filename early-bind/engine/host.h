/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

#include "engine/context.h"
#include "engine/pcidev.h"

#define CMDLINE_MAX 8192

/*
 * The running kernel's release, or SYSROOT/proc/sys/kernel/osrelease;
 * 0 or -errno (-ENODATA when that file is empty).
 */
int host_kernel_release(const struct engine_context *ctx, char *buf, size_t size);

/*
 * The kernel command line: --cmdline, or SYSROOT/proc/cmdline read whole
 * into BUF. Sets *TEXT to it; returns 0 or -errno, -EFBIG when it does
 * not fit in SIZE (never a cut line).
 */
int host_cmdline(const struct engine_context *ctx, char *buf, size_t size, const char **text);

/*
 * The value of the last vfio.devices= in --cmdline or SYSROOT/proc/cmdline.
 * Returns 1 with VALUE set, 0 when the parameter is absent, or -errno,
 * logged as an error ending with "; CONSEQUENCE".
 */
int host_read_parameter(const struct engine_context *ctx, char *value, size_t size,
			const char *consequence);

/*
 * Reads the PCI functions, with their names from pci.ids (numbers when
 * the database is absent, with a warning when it is unreadable: names are
 * a help only), and the boot display among displays without boot_vga
 * (bootdisplay.h). Returns 0 or -errno, which the caller reports.
 */
int host_read_functions(const struct engine_context *ctx, struct pci_function_list *fns);
