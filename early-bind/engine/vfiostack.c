// SPDX-License-Identifier: GPL-2.0-or-later
/* What the kernel offers for VFIO's container, iommufd and VFIO device files. */
#include "engine/vfiostack.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/modprobe.h"
#include "engine/rootdir.h"

/* modules.builtin.modinfo, modules.alias and a kernel config stay far below. */
#define LIST_MAX (16 << 20)
/* The alias of whichever module provides /dev/vfio/vfio (MODULE_ALIAS("devname:vfio/vfio")). */
#define CONTAINER_ALIAS "devname:vfio/vfio"

static enum vfio_have have(int root_fd, const char *release, const char *module)
{
	char path[PATH_MAX];

	if (modprobe_listed(root_fd, release, MODULES_BUILTIN, module) > 0)
		return VFIO_HAVE_BUILTIN;
	if (modprobe_listed(root_fd, release, MODULES_DEP, module) > 0)
		return VFIO_HAVE_MODULE;
	/* Loaded (initstate) or built in (no initstate) with modules.* unreadable. */
	if (path_format(path, sizeof(path), "sys/module/%s/initstate", module) == 0 &&
	    root_exists(root_fd, path))
		return VFIO_HAVE_MODULE;
	if (path_format(path, sizeof(path), "sys/module/%s", module) == 0 &&
	    root_exists(root_fd, path))
		return VFIO_HAVE_BUILTIN;
	return VFIO_HAVE_NONE;
}

/* Reads lib/modules/RELEASE/NAME (or another path when RELEASE is NULL) into *TEXT. */
static bool read_list(int root_fd, const char *release, const char *name, char **text, long *len)
{
	char path[PATH_MAX];

	if ((release ? path_format(path, sizeof(path), "lib/modules/%s/%s", release, name)
		     : path_format(path, sizeof(path), "%s", name)) < 0)
		return false;
	*len = root_read_all(root_fd, path, LIST_MAX, text);
	return *len >= 0;
}

/* Whether the NUL-separated records of modules.builtin.modinfo hold RECORD. */
static bool has_record(const char *text, long len, const char *record)
{
	const char *p = text, *end = text + len;

	for (; p < end; p += strlen(p) + 1)
		if (strcmp(p, record) == 0)
			return true;
	return false;
}

/* Whether a line of TEXT (modules.alias, a kernel config) is exactly LINE. */
static bool has_line(const char *text, const char *line)
{
	size_t len = strlen(line);
	const char *p = text;

	for (; *p; p += strcspn(p, "\n"), p += *p == '\n')
		if (strncmp(p, line, len) == 0 && (p[len] == '\n' || p[len] == '\0'))
			return true;
	return false;
}

/* A built-in iommufd says so in modules.builtin.modinfo, a modular one in modules.alias. */
static bool iommufd_has_container(int root_fd, const char *release)
{
	char *text;
	long len;
	bool found = false;

	if (read_list(root_fd, release, "modules.builtin.modinfo", &text, &len)) {
		found = has_record(text, len, "iommufd.alias=" CONTAINER_ALIAS);
		free(text);
	}
	if (!found && read_list(root_fd, release, "modules.alias", &text, &len)) {
		found = has_line(text, "alias " CONTAINER_ALIAS " iommufd");
		free(text);
	}
	return found;
}

/* 1 when boot/config-RELEASE sets OPTION=y (or m), 0 when it says "is not set", -1 without. */
static int config_option(int root_fd, const char *release, const char *option)
{
	char path[PATH_MAX], line[128], *text;
	long len;
	int r = -1;

	if (path_format(path, sizeof(path), "boot/config-%s", release) < 0 ||
	    !read_list(root_fd, NULL, path, &text, &len))
		return -1;
	snprintf(line, sizeof(line), "%s=y", option);
	if (has_line(text, line))
		r = 1;
	snprintf(line, sizeof(line), "%s=m", option);
	if (r < 0 && has_line(text, line))
		r = 1;
	snprintf(line, sizeof(line), "# %s is not set", option);
	if (r < 0 && has_line(text, line))
		r = 0;
	free(text);
	return r;
}

/* Whether proc/devices lists character device NAME: 1, 0, or -1 when unreadable. */
static int chrdev_registered(int root_fd, const char *name)
{
	char *text, *line, *next, *entry;
	int found = 0;

	if (root_read_all(root_fd, "proc/devices", 1 << 16, &text) < 0)
		return -1;
	/* "Character devices:", then "MAJOR NAME" lines up to "Block devices:". */
	for (line = text; line && *line && strncmp(line, "Block", 5) != 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		entry = strrchr(line, ' ');
		if (entry && strcmp(entry + 1, name) == 0)
			found = 1;
	}
	free(text);
	return found;
}

void vfio_stack_read(int root_fd, const char *release, struct vfio_stack *s)
{
	int config, registered;
	bool vfio_there;

	s->type1 = have(root_fd, release, "vfio_iommu_type1");
	s->iommufd = have(root_fd, release, "iommufd");
	/* Kconfig: IOMMUFD_VFIO_CONTAINER only where VFIO_CONTAINER (and so type1) is off. */
	if (s->type1 != VFIO_HAVE_NONE)
		s->container = VFIO_CONTAINER_TYPE1;
	else if (s->iommufd != VFIO_HAVE_NONE &&
		 (iommufd_has_container(root_fd, release) ||
		  config_option(root_fd, release, "CONFIG_IOMMUFD_VFIO_CONTAINER") == 1))
		s->container = VFIO_CONTAINER_IOMMUFD;
	else
		s->container = VFIO_CONTAINER_NONE;
	/*
	 * Once vfio is there, the kernel has registered the character devices
	 * it offers; before, only the kernel's config can tell. (The vfio-dev
	 * class says nothing: kernels since 6.1 have it, device files or not.)
	 */
	vfio_there =
	    root_exists(root_fd, "sys/module/vfio") || root_exists(root_fd, "sys/class/vfio-dev");
	registered = vfio_there ? chrdev_registered(root_fd, "vfio-dev") : -1;
	if (registered >= 0) {
		s->device_files = registered;
		return;
	}
	config = config_option(root_fd, release, "CONFIG_VFIO_DEVICE_CDEV");
	if (config >= 0)
		s->device_files = config;
	else
		s->device_files = vfio_there ? 0 : -1;
}

bool vfio_stack_usable(const struct vfio_stack *s)
{
	return s->container != VFIO_CONTAINER_NONE ||
	       (s->iommufd != VFIO_HAVE_NONE && s->device_files != 0);
}

static const char *const have_names[] = {
	[VFIO_HAVE_NONE] = "none",
	[VFIO_HAVE_MODULE] = "a module",
	[VFIO_HAVE_BUILTIN] = "built in",
};

void vfio_stack_describe(const struct vfio_stack *s, char *buf, size_t size)
{
	char container[96];

	if (s->container == VFIO_CONTAINER_TYPE1)
		snprintf(container, sizeof(container), "vfio_iommu_type1 (%s)",
			 have_names[s->type1]);
	else if (s->container == VFIO_CONTAINER_IOMMUFD)
		snprintf(container, sizeof(container),
			 "iommufd's (CONFIG_IOMMUFD_VFIO_CONTAINER, no vfio_iommu_type1)");
	else
		snprintf(container, sizeof(container), "none (no vfio_iommu_type1%s)",
			 s->iommufd != VFIO_HAVE_NONE ? ", and iommufd does not provide it" : "");
	snprintf(
	    buf, size,
	    "VFIO's container /dev/vfio/vfio: %s; iommufd /dev/iommu: %s; VFIO device files /dev/vfio/devices/vfioN: %s",
	    container, have_names[s->iommufd],
	    s->device_files > 0	   ? "yes (CONFIG_VFIO_DEVICE_CDEV)"
	    : s->device_files == 0 ? "no"
				   : "not known until vfio is loaded");
}
