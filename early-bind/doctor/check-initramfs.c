// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Whether the running kernel's initramfs can bind at boot: read the image
 * itself, not the configuration that should have built it, since "I edited
 * it but never rebuilt the image" is the usual cause.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor/check.h"
#include "doctor/initrd.h"
#include "engine/modprobe.h"
#include "engine/rootdir.h"

/* An image entry worth keeping: a symbolic link, or a file check looks for. */
struct image_entry {
	char *name;
	char *link; /* NULL: not a link */
};

struct contents {
	struct image_entry *items;
	size_t count;
	bool failed; /* out of memory: what it holds is incomplete */
	bool vfio_pci;
	bool binary;
	bool glue;
	bool hook;
};

/* What each builder's hook for early-bind leaves in the image. */
static const char *const hook_files[] = {
	"scripts/init-top/early-bind",		     /* initramfs-tools */
	"hooks/early-bind",			     /* mkinitcpio, busybox init */
	"usr/lib/systemd/system/early-bind.service", /* mkinitcpio, systemd init */
};

static bool wanted_name(const char *base)
{
	return strcmp(base, "early-bind") == 0 || strcmp(base, "early-bind-boot.sh") == 0 ||
	       strcmp(base, "early-bind.service") == 0;
}

static void on_entry(const char *name, const char *link, void *arg)
{
	struct contents *c = arg;
	struct image_entry *items;
	const char *base;

	while (*name == '.' || *name == '/')
		name++;
	base = strrchr(name, '/');
	base = base ? base + 1 : name;
	if (strncmp(base, "vfio-pci.ko", 11) == 0 || strncmp(base, "vfio_pci.ko", 11) == 0)
		c->vfio_pci = true;
	if (strstr(name, "dracut/hooks/pre-udev/") && strstr(base, "early-bind"))
		c->hook = true;
	if (!link && !wanted_name(base))
		return;
	items = realloc(c->items, (c->count + 1) * sizeof(*items));
	if (!items) {
		c->failed = true;
		return;
	}
	c->items = items;
	items[c->count].name = strdup(name);
	items[c->count].link = link ? strdup(link) : NULL;
	if (!items[c->count].name || (link && !items[c->count].link)) {
		free(items[c->count].name);
		free(items[c->count].link);
		c->failed = true;
		return;
	}
	c->count++;
}

static const struct image_entry *find_entry(const struct contents *c, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < c->count; i++)
		if (strncmp(c->items[i].name, name, len) == 0 && c->items[i].name[len] == '\0')
			return &c->items[i];
	return NULL;
}

/*
 * Resolves "a/b/../c" and "./" in PATH (relative to the image's root) in
 * place; false when ".." climbs above it.
 */
static bool normalize(char *path)
{
	char out[PATH_MAX];
	size_t n = 0, len;
	const char *p = path;

	while (*p) {
		len = strcspn(p, "/");
		if (len == 2 && strncmp(p, "..", 2) == 0) {
			if (n == 0)
				return false;
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else if (len > 0 && !(len == 1 && *p == '.')) {
			if (n + len + 2 >= sizeof(out))
				return false;
			if (n > 0)
				out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p += len + (p[len] == '/');
	}
	out[n] = '\0';
	memcpy(path, out, n + 1);
	return true;
}

/*
 * Whether PATH is a file of the image once the symbolic links stored in it
 * are followed, as the kernel's path walk would after unpacking:
 * mkinitcpio stores usr/bin/early-bind with usr/sbin -> bin.
 */
static bool image_has(const struct contents *c, const char *path)
{
	char cur[PATH_MAX], next[PATH_MAX * 2];
	const char *slash;
	const struct image_entry *e;
	size_t len, hops;
	int dir;

	snprintf(cur, sizeof(cur), "%s", path);
	for (hops = 0; hops < 40; hops++) {
		/* The first prefix of CUR that is a link (a directory named like a wanted file is
		 * none). */
		for (len = strcspn(cur, "/");; len += 1 + strcspn(cur + len + 1, "/")) {
			e = find_entry(c, cur, len);
			if (e && !e->link && cur[len] == '\0')
				return true;
			if ((e && e->link) || cur[len] == '\0')
				break;
		}
		if (!e || !e->link)
			return false;
		/* Replace that prefix by its target, relative to the link's directory. */
		slash = strrchr(e->name, '/');
		dir = e->link[0] == '/' ? 0 : slash ? (int)(slash - e->name + 1) : 0;
		snprintf(next, sizeof(next), "%.*s%s%s", dir, e->name, e->link, cur + len);
		if (strlen(next) >= sizeof(cur) || !normalize(next))
			return false;
		memcpy(cur, next, strlen(next) + 1);
	}
	return false; /* a loop of links */
}

static void contents_free(struct contents *c)
{
	size_t i;

	for (i = 0; i < c->count; i++) {
		free(c->items[i].name);
		free(c->items[i].link);
	}
	free(c->items);
}

/* What the entries gathered say once links are followed. */
static void contents_resolve(struct contents *c)
{
	size_t i;

	c->binary = image_has(c, "usr/sbin/early-bind") || image_has(c, "sbin/early-bind");
	c->glue = image_has(c, "usr/lib/early-bind/early-bind-boot.sh");
	for (i = 0; i < sizeof(hook_files) / sizeof(hook_files[0]); i++)
		c->hook = c->hook || image_has(c, hook_files[i]);
}

/*
 * The command that rebuilds (CREATE: builds) the image of kernel RELEASE
 * with each builder installed below the root: a machine may have one, or
 * two while it moves from one to the other.
 */
static void rebuild_commands(const struct check *c, bool create, char *buf, size_t size)
{
	const char *itools = create ? "-c" : "-u";

	int fd = c->ctx->root_fd;
	size_t n = 0;

	buf[0] = '\0';
	if (root_exists(fd, "etc/initramfs-tools/initramfs.conf"))
		n += (size_t)snprintf(buf + n, size - n, "update-initramfs %s -k %s", itools,
				      c->release);
	if (n < size && (root_exists(fd, "etc/dracut.conf") || root_exists(fd, "usr/bin/dracut") ||
			 root_exists(fd, "usr/sbin/dracut")))
		n += (size_t)snprintf(buf + n, size - n, "%sdracut -f --kver %s", n ? " or " : "",
				      c->release);
	if (n < size && root_exists(fd, "etc/mkinitcpio.conf"))
		n += (size_t)snprintf(buf + n, size - n, "%smkinitcpio -P", n ? " or " : "");
	if (n == 0)
		snprintf(
		    buf, size,
		    "update-initramfs %s -k %s (initramfs-tools), dracut -f --kver %s or mkinitcpio -P",
		    itools, c->release, c->release);
}

static void report(struct check *c, const char *image, const struct initrd_info *info,
		   const struct contents *in)
{
	bool builtin = !in->vfio_pci && modprobe_builtin(c->ctx->root_fd, c->release, "vfio-pci");
	const char *lacks[3];
	char how[96], rebuild[512];
	size_t n = 0;

	snprintf(how, sizeof(how), "%s%s", info->compression,
		 info->early_cpio ? ", behind an uncompressed early archive" : "");
	if (!in->binary)
		lacks[n++] = "/usr/sbin/early-bind";
	if (!in->glue || !in->hook)
		lacks[n++] = "the early-bind boot hook (/usr/lib/early-bind/early-bind-boot.sh and "
			     "/scripts/init-top/early-bind, a dracut pre-udev hook, mkinitcpio's "
			     "/hooks/early-bind or early-bind.service)";
	if (!in->vfio_pci && !builtin)
		lacks[n++] = "the vfio-pci module";
	if (n == 0) {
		finding_add(
		    &c->findings, SEVERITY_OK, "initramfs", NULL, "/%s (%s) holds %s", image, how,
		    builtin ? "early-bind and its boot hook (vfio-pci is built into the kernel)"
			    : "early-bind, its boot hook and vfio-pci");
		return;
	}
	finding_add(&c->findings, SEVERITY_ERROR, "initramfs", NULL,
		    "/%s (%s) lacks %s%s%s%s%s, so vfio.devices= does nothing at boot", image, how,
		    lacks[0],
		    n > 2   ? ", "
		    : n > 1 ? " and "
			    : "",
		    n > 1 ? lacks[1] : "", n > 2 ? " and " : "", n > 2 ? lacks[2] : "");
	rebuild_commands(c, false, rebuild, sizeof(rebuild));
	finding_fix(&c->findings, "install early-bind (make install) and rebuild the image: %s",
		    rebuild);
}

static void unreadable(struct check *c, const char *image, const struct initrd_info *info, int err)
{
	char rebuild[512];

	if (err == -ENOTSUP) {
		finding_add(&c->findings, SEVERITY_WARN, "initramfs", NULL,
			    "/%s is compressed with %s, which early-bind cannot read", image,
			    info->compression);
		finding_fix(&c->findings,
			    "look inside by hand: lsinitramfs /%s | grep -e early-bind -e vfio-pci",
			    image);
	} else if (err == -EBADMSG) {
		finding_add(&c->findings, SEVERITY_ERROR, "initramfs", NULL,
			    "/%s is not a readable initramfs (damaged or cut short)", image);
		rebuild_commands(c, false, rebuild, sizeof(rebuild));
		finding_fix(&c->findings, "rebuild it: %s", rebuild);
	} else {
		finding_add(&c->findings, SEVERITY_WARN, "initramfs", NULL, "cannot read /%s: %s",
			    image, strerror(-err));
		if (err == -EACCES)
			finding_fix(&c->findings, "run 'early-bind check' as root");
	}
}

#define IMAGES_MAX 8

/*
 * Where each builder puts the image of kernel RELEASE: initramfs-tools'
 * initrd.img-RELEASE, dracut's initramfs-RELEASE.img, kernel-install's
 * MACHINE-ID/RELEASE/initrd on the boot or EFI partition, and mkinitcpio's
 * initramfs-PKGBASE.img: Arch names images after the kernel's package
 * (linux, linux-lts), which its modules directory records in "pkgbase".
 */
static size_t image_candidates(const struct check *c, char names[][PATH_MAX])
{
	static const char *const esps[] = { "boot", "efi", "boot/efi" };
	char id[64], pkgbase[64], path[PATH_MAX];
	size_t n = 0, i;
	int len;

	path_format(names[n++], PATH_MAX, "boot/initrd.img-%s", c->release);
	path_format(names[n++], PATH_MAX, "boot/initramfs-%s.img", c->release);
	len = root_read(c->ctx->root_fd, "etc/machine-id", id, sizeof(id));
	if (len == 32 && strspn(id, "0123456789abcdef") == 32)
		for (i = 0; i < sizeof(esps) / sizeof(esps[0]); i++)
			path_format(names[n++], PATH_MAX, "%s/%s/%s/initrd", esps[i], id,
				    c->release);
	if (path_format(path, sizeof(path), "usr/lib/modules/%s/pkgbase", c->release) == 0 &&
	    root_read(c->ctx->root_fd, path, pkgbase, sizeof(pkgbase)) > 0 &&
	    !strchr(pkgbase, '/') && pkgbase[0] != '.')
		path_format(names[n++], PATH_MAX, "boot/initramfs-%s.img", pkgbase);
	return n;
}

static void no_image(struct check *c, char names[][PATH_MAX], size_t n)
{
	char looked[IMAGES_MAX * (PATH_MAX / 8)], rebuild[512];
	size_t i, used = 0;

	looked[0] = '\0';
	for (i = 0; i < n && used < sizeof(looked); i++)
		used += (size_t)snprintf(looked + used, sizeof(looked) - used, "%s/%s",
					 i == 0	      ? ""
					 : i + 1 == n ? " or "
						      : ", ",
					 names[i]);
	finding_add(&c->findings, SEVERITY_WARN, "initramfs", NULL,
		    "no initramfs for kernel %s: looked for %s", c->release, looked);
	rebuild_commands(c, true, rebuild, sizeof(rebuild));
	finding_fix(&c->findings, "build one: %s", rebuild);
}

int check_initramfs(struct check *c)
{
	static char names[IMAGES_MAX][PATH_MAX];
	struct contents in = { 0 };
	struct initrd_info info;
	size_t i, n;
	int err = -ENOENT;

	if (!c->release[0]) {
		finding_add(&c->findings, SEVERITY_WARN, "initramfs", NULL,
			    "cannot tell the kernel release, so not which initramfs it boots");
		return 0;
	}
	n = image_candidates(c, names);
	for (i = 0; i < n && err == -ENOENT; i++)
		err = initrd_scan(c->ctx->root_fd, names[i], on_entry, &in, &info);
	if (in.failed)
		err = -ENOMEM;
	if (err == -ENOENT)
		no_image(c, names, n);
	else if (err < 0)
		unreadable(c, names[i - 1], &info, err);
	else {
		contents_resolve(&in);
		report(c, names[i - 1], &info, &in);
	}
	contents_free(&in);
	return 0;
}
