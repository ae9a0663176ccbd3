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
 *
 * Displays: a DRM driver shows the GPU's nodes as drm/cardN and
 * drm/renderDN under its directory, and its framebuffer (fbdev emulation)
 * as graphics/fbN. A process holding /dev/dri/cardN or renderDN open draws
 * on it (Xorg, a Wayland compositor, a GPU compute job); unbinding the
 * driver pulls the device from under it. The framebuffer console (fbcon,
 * bound to the VTs when a vtconsole named "frame buffer device" has bind
 * 1) draws on every framebuffer it maps, so any fbN counts while it is
 * bound: the console would go dark, or the driver refuse to let go.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/hostuse.h"
#include "engine/procfd.h"
#include "engine/rootdir.h"
#include "engine/textbuf.h"

#define IFF_UP_FLAG 0x1 /* IFF_UP of <net/if.h>, as sys/class/net/DEV/flags shows it */
#define VTCONSOLE_DIR "sys/class/vtconsole"
/* /proc/fb: one line per framebuffer, 32 at most (FB_MAX). */
#define PROC_FB_MAX 4096

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
	struct textbuf sb;

	textbuf_resume(&sb, s->buf, s->size);
	textbuf_item(&sb, ", ", "%s %s%s", what, name, state);
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
	append(
	    s, "driver", driver,
	    " holds it but shows no network interface in this namespace; one may be up in a container's or a VPN's");
	return HOST_MAY_USE;
}

/* The GPU's DRM nodes, as /dev/dri names them; 0, or -errno when they cannot be read. */
static int drm_nodes_of(struct scan *s, const struct pci_function *fn, char names[][NAME_MAX + 16],
			struct proc_nodes *nodes)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dir;

	nodes->count = 0;
	if (pci_attr_path(path, sizeof(path), fn->name, "drm") < 0)
		return unreadable(s, fn->name, -ENAMETOOLONG);
	dir = root_opendir(s->root_fd, path);
	if (!dir)
		return errno == ENOENT ? 0 : unreadable(s, path, -errno);
	while ((d = readdir(dir)) && nodes->count < PROC_NODES_MAX) {
		if (strncmp(d->d_name, "card", 4) != 0 && strncmp(d->d_name, "renderD", 7) != 0)
			continue;
		snprintf(names[nodes->count], NAME_MAX + 16, "/dev/dri/%s", d->d_name);
		nodes->paths[nodes->count] = names[nodes->count];
		nodes->count++;
	}
	closedir(dir);
	return 0;
}

/* Names the process drawing on FN through its DRM nodes; 1 when there is one, 0, or -errno. */
static int drm_user(struct scan *s, const struct pci_function *fn)
{
	char names[PROC_NODES_MAX][NAME_MAX + 16], comm[PROC_COMM_MAX], node[NAME_MAX + 16];
	char what[PROC_COMM_MAX + 32], state[NAME_MAX + 32];
	struct proc_nodes nodes;
	long pid;
	int r = drm_nodes_of(s, fn, names, &nodes);

	if (r < 0)
		return r;
	pid = proc_node_holder(s->root_fd, &nodes, comm, sizeof(comm), node, sizeof(node));
	if (pid == 0)
		return 0;
	snprintf(what, sizeof(what), "%ld (%s)", pid, comm);
	snprintf(state, sizeof(state), " has %s open", node);
	append(s, "process", what, state);
	return 1;
}

/*
 * The vtconsole fbcon is bound to ("vtcon1") in VT; 1 when it is bound, 0
 * when not (no VTs, or the console is on VGA text or a dummy), or -errno.
 */
static int fbcon_bound(struct scan *s, char *vt, size_t size)
{
	char path[PATH_MAX], value[128];
	struct dirent *d;
	DIR *dir = root_opendir(s->root_fd, VTCONSOLE_DIR);
	int found = 0;

	if (!dir)
		return errno == ENOENT ? 0 : unreadable(s, VTCONSOLE_DIR, -errno);
	while (!found && (d = readdir(dir))) {
		if (d->d_name[0] == '.' ||
		    path_format(path, sizeof(path), VTCONSOLE_DIR "/%s/name", d->d_name) < 0 ||
		    root_read(s->root_fd, path, value, sizeof(value)) < 0 ||
		    !strstr(value, "frame buffer device") ||
		    path_format(path, sizeof(path), VTCONSOLE_DIR "/%s/bind", d->d_name) < 0 ||
		    root_read(s->root_fd, path, value, sizeof(value)) < 0)
			continue;
		found = strcmp(value, "1") == 0;
		if (found)
			snprintf(vt, size, "%s", d->d_name);
	}
	closedir(dir);
	return found;
}

/* Framebuffer N's driver as /proc/fb names it ("nouveaudrmfb"), or "". */
static void framebuffer_name(int root_fd, const char *fb, char *name, size_t size)
{
	char *text, *line, *end;
	size_t len;

	name[0] = '\0';
	if (root_read_all(root_fd, "proc/fb", PROC_FB_MAX, &text) < 0)
		return;
	for (line = text; *line; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		len = strspn(line, "0123456789");
		if (len > 0 && len == strlen(fb + 2) && strncmp(line, fb + 2, len) == 0 &&
		    line[len] == ' ') {
			snprintf(name, size, "%.*s", (int)(end - line - len - 1), line + len + 1);
			break;
		}
	}
	free(text);
}

/* Names FN's framebuffers while the console is on them; 1 when it is, 0, or -errno. */
static int console_on(struct scan *s, const struct pci_function *fn)
{
	char path[PATH_MAX], vt[NAME_MAX + 1] = "", name[64], state[NAME_MAX + 96];
	struct dirent *d;
	DIR *dir;
	int bound = -1, r = 0;

	if (pci_attr_path(path, sizeof(path), fn->name, "graphics") < 0)
		return unreadable(s, fn->name, -ENAMETOOLONG);
	dir = root_opendir(s->root_fd, path);
	if (!dir)
		return errno == ENOENT ? 0 : unreadable(s, path, -errno);
	while ((d = readdir(dir))) {
		if (strncmp(d->d_name, "fb", 2) != 0 || !d->d_name[2] ||
		    strspn(d->d_name + 2, "0123456789") != strlen(d->d_name + 2))
			continue;
		if (bound < 0)
			bound = fbcon_bound(s, vt, sizeof(vt));
		if (bound <= 0) {
			r = bound;
			break;
		}
		framebuffer_name(s->root_fd, d->d_name, name, sizeof(name));
		snprintf(state, sizeof(state), "%s%s%s with the console on it (%s)",
			 name[0] ? " (" : "", name, name[0] ? ")" : "", vt);
		append(s, "framebuffer", d->d_name, state);
		r = 1;
	}
	closedir(dir);
	return r;
}

int host_use_describe(int root_fd, const struct pci_function *fn, char *buf, size_t size)
{
	struct scan s = { .root_fd = root_fd, .buf = buf, .size = size };
	int carried[HOST_CLASSES], drawn, r;
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
	drawn = drm_user(&s, fn);
	if (drawn >= 0) {
		r = console_on(&s, fn);
		drawn = r < 0 ? r : drawn || r;
	}
	if (drawn != 0)
		return drawn < 0 ? drawn : HOST_DRAWS;
	if (pci_base_class(fn->class_id) == PCI_BASE_CLASS_NETWORK && carried[HOST_NET] == 0)
		return hidden_interface(&s, fn);
	return HOST_UNUSED;
}
