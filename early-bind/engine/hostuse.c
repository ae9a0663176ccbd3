// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host's disks and network interfaces are found through sys/class:
 * each entry links to its device, whose path holds every PCI function
 * above it, so "/ADDR/" in the link target means "at or behind ADDR".
 *
 * It fails closed: what cannot be read makes the answer "cannot tell",
 * never "not used".
 *
 * Network namespaces: sysfs shows only the interfaces of the namespace
 * that mounted it, so an interface moved into a container's or a VPN's
 * namespace is not in sys/class/net, nor under its device. Finding it
 * would mean entering every namespace (setns, a sysfs mount or an ethtool
 * query in each), and a namespace that only a bind mount holds has no
 * process to find it through /proc/PID/ns/net; /proc/PID/net/dev names
 * interfaces but not their devices. So a network controller that a driver
 * holds but that shows no interface here counts as used: a driver that
 * holds a NIC without an interface is rare, and --force takes it anyway.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/hostuse.h"
#include "engine/rootdir.h"

#define IFF_UP_FLAG 0x1 /* IFF_UP of <net/if.h>, as sys/class/net/DEV/flags shows it */
#define CLASS_NETWORK 0x02

struct scan {
	int root_fd;
	char needle[64]; /* "/ADDR/" */
	char *buf;
	size_t size;
	bool used; /* something that counts was appended */
};

struct host_class {
	const char *dir;
	const char *what;
	const char *state; /* what counts() proved, for the message */
	int (*counts)(struct scan *s, const char *entry);
};

/* Names what could not be read in place of the uses; returns ERR. */
static int unreadable(struct scan *s, const char *path, int err)
{
	snprintf(s->buf, s->size, "cannot read /%s: %s", path, strerror(-err));
	return err;
}

/* Partitions are named with their disk already. */
static int is_whole_disk(struct scan *s, const char *entry)
{
	char path[PATH_MAX];

	if (path_format(path, sizeof(path), "%s/partition", entry) < 0)
		return unreadable(s, entry, -ENAMETOOLONG);
	return !root_exists(s->root_fd, path);
}

static int is_up(struct scan *s, const char *entry)
{
	char path[PATH_MAX], flags[32];
	int r;

	if (path_format(path, sizeof(path), "%s/flags", entry) < 0)
		return unreadable(s, entry, -ENAMETOOLONG);
	r = root_read(s->root_fd, path, flags, sizeof(flags));
	if (r < 0)
		return unreadable(s, path, r);
	return (strtoul(flags, NULL, 16) & IFF_UP_FLAG) != 0;
}

enum { HOST_BLOCK, HOST_NET, HOST_CLASSES };

static const struct host_class host_classes[HOST_CLASSES] = {
	[HOST_BLOCK] = { "sys/class/block", "disk", "", is_whole_disk },
	[HOST_NET] = { "sys/class/net", "network interface", " up", is_up },
};

/* 1 when ENTRY's device is at or behind the function, 0 when not (or gone meanwhile). */
static int links_below(struct scan *s, const char *entry)
{
	char target[PATH_MAX];
	int r = root_link_target(s->root_fd, entry, target, sizeof(target));

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return unreadable(s, entry, r);
	return strstr(target, s->needle) != NULL;
}

static void append(struct scan *s, const char *what, const char *name, const char *state)
{
	size_t len = strlen(s->buf);

	snprintf(s->buf + len, s->size - len, "%s%s %s%s", len ? ", " : "", what, name, state);
}

/*
 * Appends the entries of C that the function carries and that count;
 * returns how many entries it carries (counting or not), or -errno.
 */
static int scan_class(struct scan *s, const struct host_class *c)
{
	char entry[PATH_MAX];
	struct dirent *d;
	DIR *dir = root_opendir(s->root_fd, c->dir);
	int carried = 0, r = 0;

	if (!dir)
		return unreadable(s, c->dir, -errno);
	for (;;) {
		/* readdir() tells an error from the end only through errno. */
		errno = 0;
		d = readdir(dir);
		if (!d) {
			if (errno)
				r = unreadable(s, c->dir, -errno);
			break;
		}
		if (d->d_name[0] == '.')
			continue;
		if (path_format(entry, sizeof(entry), "%s/%s", c->dir, d->d_name) < 0) {
			r = unreadable(s, c->dir, -ENAMETOOLONG);
			break;
		}
		r = links_below(s, entry);
		if (r < 0)
			break;
		if (r == 0)
			continue;
		carried++;
		r = c->counts(s, entry);
		if (r < 0)
			break;
		if (r > 0) {
			append(s, c->what, d->d_name, c->state);
			s->used = true;
		}
	}
	closedir(dir);
	return r < 0 ? r : carried;
}

/* A network controller a driver holds with no interface here: see the top. */
static int hidden_interface(struct scan *s, const struct pci_function *fn)
{
	char driver[DRIVER_NAME_MAX], path[PATH_MAX];
	int r = pci_read_driver(s->root_fd, fn->name, driver, sizeof(driver));

	if (r < 0) {
		pci_attr_path(path, sizeof(path), fn->name, "driver");
		return unreadable(s, path, r);
	}
	if (!driver[0])
		return HOST_UNUSED;
	append(s, "driver", driver,
	       " holds it but shows no network interface in this namespace; one may be up in a container's or a VPN's");
	return HOST_MAY_USE;
}

int host_use_describe(int root_fd, const struct pci_function *fn, char *buf, size_t size)
{
	struct scan s = { .root_fd = root_fd, .buf = buf, .size = size };
	int carried[HOST_CLASSES];
	size_t i;

	buf[0] = '\0';
	snprintf(s.needle, sizeof(s.needle), "/%s/", fn->name);
	for (i = 0; i < HOST_CLASSES; i++) {
		carried[i] = scan_class(&s, &host_classes[i]);
		if (carried[i] < 0)
			return carried[i];
	}
	if (s.used)
		return HOST_USED;
	if ((fn->class_id >> 8) == CLASS_NETWORK && carried[HOST_NET] == 0)
		return hidden_interface(&s, fn);
	return HOST_UNUSED;
}
