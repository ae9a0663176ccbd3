// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Whether the running kernel's initramfs can bind at boot: read the image
 * itself, not the configuration that should have built it, since "I edited
 * it but never rebuilt the image" is the usual cause.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "doctor/check.h"
#include "doctor/initrd.h"
#include "engine/modprobe.h"

/* Debian/Ubuntu (initramfs-tools, and Debian's dracut), then Fedora/RHEL's dracut. */
static const struct {
	const char *prefix;
	const char *suffix;
} image_names[] = { { "boot/initrd.img-", "" }, { "boot/initramfs-", ".img" } };

struct contents {
	bool binary;
	bool glue;
	bool hook;
	bool vfio_pci;
};

static void on_entry(const char *name, void *arg)
{
	struct contents *c = arg;
	const char *base;

	while (*name == '.' || *name == '/')
		name++;
	base = strrchr(name, '/');
	base = base ? base + 1 : name;
	if (strcmp(name, "usr/sbin/early-bind") == 0 || strcmp(name, "sbin/early-bind") == 0)
		c->binary = true;
	else if (strcmp(name, "usr/lib/early-bind/early-bind-boot.sh") == 0)
		c->glue = true;
	else if (strcmp(name, "scripts/init-top/early-bind") == 0 ||
		 (strstr(name, "dracut/hooks/pre-udev/") && strstr(base, "early-bind")))
		c->hook = true;
	else if (strncmp(base, "vfio-pci.ko", 11) == 0 || strncmp(base, "vfio_pci.ko", 11) == 0)
		c->vfio_pci = true;
}

static void report(struct check *c, const char *image, const struct initrd_info *info,
		   const struct contents *in)
{
	bool builtin = !in->vfio_pci && modprobe_builtin(c->ctx->root_fd, c->release, "vfio-pci");
	const char *lacks[3];
	char how[96];
	size_t n = 0;

	snprintf(how, sizeof(how), "%s%s", info->compression,
		 info->early_cpio ? ", behind an uncompressed early archive" : "");
	if (!in->binary)
		lacks[n++] = "/usr/sbin/early-bind";
	if (!in->glue || !in->hook)
		lacks[n++] = "the early-bind boot hook";
	if (!in->vfio_pci && !builtin)
		lacks[n++] = "the vfio-pci module";
	if (n == 0) {
		finding_add(&c->findings, SEVERITY_OK, "initramfs", NULL, "/%s (%s) holds %s", image,
			    how, builtin ? "early-bind and its boot hook (vfio-pci is built into the kernel)" :
					   "early-bind, its boot hook and vfio-pci");
		return;
	}
	finding_add(&c->findings, SEVERITY_ERROR, "initramfs", NULL,
		    "/%s (%s) lacks %s%s%s%s%s, so vfio.devices= does nothing at boot", image, how,
		    lacks[0], n > 2 ? ", " : n > 1 ? " and " : "", n > 1 ? lacks[1] : "",
		    n > 2 ? " and " : "", n > 2 ? lacks[2] : "");
	finding_fix(&c->findings, "install early-bind (make install) and rebuild the image: update-initramfs -u -k %s (Debian, Ubuntu) or dracut -f --kver %s",
		    c->release, c->release);
}

static void unreadable(struct check *c, const char *image, const struct initrd_info *info,
		       int err)
{
	if (err == -ENOTSUP) {
		finding_add(&c->findings, SEVERITY_WARN, "initramfs", NULL,
			    "/%s is compressed with %s, which early-bind cannot read", image,
			    info->compression);
		finding_fix(&c->findings, "look inside by hand: lsinitramfs /%s | grep -e early-bind -e vfio-pci",
			    image);
	} else if (err == -EBADMSG) {
		finding_add(&c->findings, SEVERITY_ERROR, "initramfs", NULL,
			    "/%s is not a readable initramfs (damaged or cut short)", image);
		finding_fix(&c->findings, "rebuild it: update-initramfs -u -k %s or dracut -f --kver %s",
			    c->release, c->release);
	} else {
		finding_add(&c->findings, SEVERITY_WARN, "initramfs", NULL, "cannot read /%s: %s",
			    image, strerror(-err));
		if (err == -EACCES)
			finding_fix(&c->findings, "run 'early-bind check' as root");
	}
}

void check_initramfs(struct check *c)
{
	struct contents in = { 0 };
	struct initrd_info info;
	char image[PATH_MAX];
	size_t i;
	int err = -ENOENT;

	if (!c->release[0]) {
		finding_add(&c->findings, SEVERITY_WARN, "initramfs", NULL,
			    "cannot tell the kernel release, so not which initramfs it boots");
		return;
	}
	for (i = 0; i < sizeof(image_names) / sizeof(image_names[0]) && err == -ENOENT; i++) {
		snprintf(image, sizeof(image), "%s%s%s", image_names[i].prefix, c->release,
			 image_names[i].suffix);
		err = initrd_scan(c->ctx->root_fd, image, on_entry, &in, &info);
	}
	if (err == -ENOENT) {
		finding_add(&c->findings, SEVERITY_WARN, "initramfs", NULL,
			    "no initramfs for kernel %s in /boot (initrd.img-VERSION or initramfs-VERSION.img)",
			    c->release);
		finding_fix(&c->findings, "build one: update-initramfs -c -k %s or dracut --kver %s",
			    c->release, c->release);
	} else if (err < 0) {
		unreadable(c, image, &info, err);
	} else {
		report(c, image, &info, &in);
	}
}
