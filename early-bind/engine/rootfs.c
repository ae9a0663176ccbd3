// SPDX-License-Identifier: GPL-2.0-or-later
/* Telling the initramfs from a running system, through the root fd. */
#include "engine/rootfs.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/rootdir.h"

/* proc/mounts or mountinfo of a machine with thousands of mounts stays far below. */
#define MOUNTS_MAX (4 << 20)

/* Whether the last mount on "/" (it hides those before it) has type "rootfs". */
static bool root_is_rootfs(int root_fd)
{
	char *data, *line, *next, *fields[3];
	bool rootfs = false;
	int i;

	if (root_read_all(root_fd, "proc/mounts", MOUNTS_MAX, &data) < 0)
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

/*
 * What each builder puts in its image: systemd's initrd (dracut with
 * systemd, mkinitcpio's busybox and systemd images) has etc/initrd-release;
 * dracut has written usr/lib/initrd-release since 059, and dracut-ng (106
 * on) makes etc/initrd-release only for systemd, so its classic init has
 * usr/lib/initrd-release alone; initramfs-tools has neither. No installed
 * system ships an initrd-release file: it names the initrd's OS.
 */
static bool has_initramfs_marker(int root_fd)
{
	return root_exists(root_fd, "etc/initrd-release") ||
	       root_exists(root_fd, "usr/lib/initrd-release") ||
	       (root_exists(root_fd, "conf/initramfs.conf") &&
		root_exists(root_fd, "scripts/init-top"));
}

bool rootfs_is_initramfs(int root_fd)
{
	return root_is_rootfs(root_fd) && has_initramfs_marker(root_fd);
}

/* Decodes mountinfo's "\040"-style escapes of one field into OUT; false when it is too long. */
static bool decode_field(const char *p, size_t len, char *out, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (n + 1 >= size)
			return false;
		if (p[i] == '\\' && i + 3 < len && p[i + 1] >= '0' && p[i + 1] <= '3' &&
		    p[i + 2] >= '0' && p[i + 2] <= '7' && p[i + 3] >= '0' && p[i + 3] <= '7') {
			out[n++] = (char)((p[i + 1] - '0') << 6 | (p[i + 2] - '0') << 3 |
					  (p[i + 3] - '0'));
			i += 3;
		} else {
			out[n++] = p[i];
		}
	}
	out[n] = '\0';
	return true;
}

/* The mount point: the fifth space-separated field of a mountinfo line. */
static bool mount_point(const char *line, size_t len, char *out, size_t size)
{
	const char *p = line, *end = line + len, *field;
	int i;

	for (i = 0; i < 4; i++) {
		p = memchr(p, ' ', (size_t)(end - p));
		if (!p)
			return false;
		p++;
	}
	field = p;
	p = memchr(p, ' ', (size_t)(end - p));
	return decode_field(field, (size_t)((p ? p : end) - field), out, size);
}

bool rootfs_mount_below(const char *mountinfo, const char *dir, char *found, size_t size)
{
	size_t dir_len = strlen(dir);
	const char *line = mountinfo;
	char point[PATH_MAX];

	while (dir_len > 1 && dir[dir_len - 1] == '/')
		dir_len--;
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (mount_point(line, len, point, sizeof(point)) &&
		    strncmp(point, dir, dir_len) == 0 && point[dir_len] == '/' &&
		    point[dir_len + 1]) {
			snprintf(found, size, "%s", point);
			return true;
		}
		line += len + (nl ? 1 : 0);
	}
	return false;
}

bool rootfs_mount_inside(const char *sysroot, char *found, size_t size)
{
	char dir[PATH_MAX], *mountinfo = NULL;
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	bool inside = true; /* when it cannot tell: as if there were one */

	snprintf(found, size, "/proc/self/mountinfo is unreadable, so it cannot tell");
	if (root >= 0 && realpath(sysroot, dir) &&
	    root_read_all(root, "proc/self/mountinfo", MOUNTS_MAX, &mountinfo) >= 0)
		inside = rootfs_mount_below(mountinfo, dir, found, size);
	free(mountinfo);
	if (root >= 0)
		close(root);
	return inside;
}
