/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "engine/context.h"
#include "engine/vfio.h"

enum bind_mode {
	/* From the initramfs: nothing is in use yet; records the state file. */
	BIND_AT_BOOT,
	/*
	 * On a running system: refuses functions the host uses through a disk
	 * or a network interface that is up, unless --force; leaves the boot's
	 * state file alone.
	 */
	BIND_AT_RUNTIME,
};

/*
 * Binds what VALUE (a vfio.devices= value) names and logs every step.
 * Returns 0 when everything requested ended on vfio-pci, else -errno.
 */
int bind_value(const struct engine_context *ctx, const char *value, enum bind_mode mode);

/*
 * The boot could not read vfio.devices= (ERR: -EFBIG for a command line
 * too long, -E2BIG for a value too long, or another -errno): records that
 * in the state file, so that `status` says the boot ran and why it bound
 * nothing. Returns ERR.
 */
int bind_record_unreadable(const struct engine_context *ctx, int err);
