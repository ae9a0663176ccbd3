// SPDX-License-Identifier: GPL-2.0-or-later
/* Telling the initramfs from a running system, through the root fd. */
#include "rootfs.h"

#include <stdlib.h>
#include <string.h>

#include "sysfs.h"

/* proc/mounts of a machine with thousands of mounts stays far below. */
#define MOUNTS_MAX (4 << 20)

/* Whether the last mount on "/" (it hides those before it) has type "rootfs". */
static bool root_is_rootfs(int root_fd)
{
	char *data, *line, *next, *fields[3];
	bool rootfs = false;
	int i;

	if (sysfs_read_all(root_fd, "proc/mounts", MOUNTS_MAX, &data) < 0)
		return false;
	for (line = data; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* DEVICE MOUNTPOINT TYPE OPTIONS... */
		for (i = 0; i < 3; i++)
			fields[i] = strsep(&line, " ");
		if (fields[2] && strcmp(fields[1], "/") == 0)
			rootfs = strcmp(fields[2], "rootfs") == 0;
	}
	free(data);
	return rootfs;
}

static bool has_initramfs_marker(int root_fd)
{
	return sysfs_exists(root_fd, "etc/initrd-release") ||
	       (sysfs_exists(root_fd, "conf/initramfs.conf") &&
		sysfs_exists(root_fd, "scripts/init-top"));
}

bool rootfs_is_initramfs(int root_fd)
{
	return root_is_rootfs(root_fd) && has_initramfs_marker(root_fd);
}
