// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host's disks and network interfaces are found through sys/class:
 * each entry links to its device, whose path holds every PCI function
 * above it, so "/ADDR/" in the link target means "at or behind ADDR".
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostuse.h"
#include "sysfs.h"

#define IFF_UP_FLAG 0x1 /* IFF_UP of <net/if.h>, as sys/class/net/DEV/flags shows it */

struct host_class {
	const char *dir;
	const char *what;
	const char *state; /* what counts() proved, for the message */
	bool (*counts)(int root_fd, const char *entry);
};

/* Partitions are named with their disk already. */
static bool is_whole_disk(int root_fd, const char *entry)
{
	char path[PATH_MAX];

	return path_format(path, sizeof(path), "%s/partition", entry) == 0 &&
	       !sysfs_exists(root_fd, path);
}

static bool is_up(int root_fd, const char *entry)
{
	char path[PATH_MAX], flags[32];

	if (path_format(path, sizeof(path), "%s/flags", entry) < 0 ||
	    sysfs_read(root_fd, path, flags, sizeof(flags)) < 0)
		return false;
	return strtoul(flags, NULL, 16) & IFF_UP_FLAG;
}

static const struct host_class host_classes[] = {
	{ "sys/class/block", "disk", "", is_whole_disk },
	{ "sys/class/net", "network interface", " up", is_up },
};

static bool links_below(int root_fd, const char *entry, const char *needle)
{
	char target[PATH_MAX];

	return sysfs_link_target(root_fd, entry, target, sizeof(target)) == 0 &&
	       strstr(target, needle) != NULL;
}

static void append(char *buf, size_t size, const struct host_class *c, const char *name)
{
	size_t len = strlen(buf);

	snprintf(buf + len, size - len, "%s%s %s%s", len ? ", " : "", c->what, name, c->state);
}

static int scan_class(int root_fd, const struct host_class *c, const char *needle, char *buf,
		      size_t size)
{
	char entry[PATH_MAX];
	struct dirent *d;
	DIR *dir = sysfs_opendir(root_fd, c->dir);
	int found = 0;

	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' ||
		    path_format(entry, sizeof(entry), "%s/%s", c->dir, d->d_name) < 0)
			continue;
		if (!links_below(root_fd, entry, needle) || !c->counts(root_fd, entry))
			continue;
		append(buf, size, c, d->d_name);
		found = 1;
	}
	closedir(dir);
	return found;
}

int host_use_describe(int root_fd, const char *addr, char *buf, size_t size)
{
	char needle[64];
	size_t i;
	int used = 0, r;

	buf[0] = '\0';
	snprintf(needle, sizeof(needle), "/%s/", addr);
	for (i = 0; i < sizeof(host_classes) / sizeof(host_classes[0]); i++) {
		r = scan_class(root_fd, &host_classes[i], needle, buf, size);
		if (r < 0)
			return r;
		used |= r;
	}
	return used;
}
