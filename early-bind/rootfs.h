/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/*
 * Whether the system under ROOT_FD runs from its initramfs: its root is
 * the kernel's rootfs (the last "/" line of proc/mounts has file system
 * type "rootfs", where a tmpfs root such as systemd.volatile=yes or a
 * diskless Alpine shows "tmpfs"), and it has what only an initramfs has:
 * etc/initrd-release (dracut, systemd's initrd) or initramfs-tools'
 * conf/initramfs.conf and scripts/init-top.
 */
bool rootfs_is_initramfs(int root_fd);
