/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether the system under ROOT_FD runs from its initramfs: its root is
 * the kernel's rootfs (the last "/" line of proc/mounts has file system
 * type "rootfs", where a tmpfs root such as systemd.volatile=yes or a
 * diskless Alpine shows "tmpfs"), and it has what only an initramfs has:
 * etc/initrd-release (systemd's initrd: dracut with systemd, mkinitcpio),
 * usr/lib/initrd-release (dracut; dracut-ng's classic init has only this
 * one) or initramfs-tools' conf/initramfs.conf and scripts/init-top.
 */
bool rootfs_is_initramfs(int root_fd);

/*
 * Whether MOUNTINFO (the text of /proc/self/mountinfo) has a mount point
 * strictly below DIR (an absolute path without links): a bind mount of
 * /sys or a devtmpfs inside a --sysroot tree is the running kernel's.
 * Copies the first into FOUND (SIZE bytes, octal escapes decoded).
 */
bool rootfs_mount_below(const char *mountinfo, const char *dir, char *found, size_t size);

/*
 * Whether the running system has a mount point inside directory SYSROOT
 * (read from /proc/self/mountinfo; true when that cannot be read, so a
 * caller refusing on it fails closed). FOUND names it, or why it cannot tell.
 */
bool rootfs_mount_inside(const char *sysroot, char *found, size_t size);
