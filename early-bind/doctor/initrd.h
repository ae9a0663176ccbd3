/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "doctor/cpio.h"

/*
 * Reads an initramfs image the way the kernel unpacks it
 * (init/initramfs.c): uncompressed cpio archives (an early microcode or
 * ACPI prefix) and compressed ones one after the other, NUL padding
 * between. gzip, zstd, xz and lzma are read; bzip2, lz4 and lzo are only
 * recognised.
 */

struct initrd_info {
	const char *compression; /* of the last compressed archive, or "none" */
	bool early_cpio;	 /* an uncompressed archive precedes a compressed one */
};

/*
 * Calls FN with the name of every entry of the image at PATH (relative to
 * ROOT_FD). Returns 0, -errno from opening it, -ENOTSUP for a compression
 * it cannot read (INFO->compression names it), or -EBADMSG when the image
 * is not an initramfs or is cut short.
 */
int initrd_scan(int root_fd, const char *path, cpio_entry_fn fn, void *arg,
		struct initrd_info *info);
