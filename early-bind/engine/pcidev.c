// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/pcidev.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pci/pci.h>

#include "engine/context.h"
#include "engine/progress.h"
#include "engine/rootdir.h"

/*
 * libpci, used here for pci.ids names only, reports fatal errors through a
 * callback that must not return (its default calls exit()). We jump back
 * to pci_function_list_read_names() so that a bad database never ends the
 * boot. The callback gets no pointer of ours, hence the statics: the jump,
 * and libpci's message for the caller to report.
 */
static jmp_buf pci_error_jump;
static char pci_error_text[PCI_IDS_ERROR_MAX];

__attribute__((noreturn, format(printf, 1, 2))) static void pci_error(char *msg, ...)
{
	size_t len;
	va_list ap;

	va_start(ap, msg);
	vsnprintf(pci_error_text, sizeof(pci_error_text), msg, ap);
	va_end(ap);
	len = strlen(pci_error_text);
	/* Its parse error ends in a newline of its own. */
	while (len > 0 && pci_error_text[len - 1] == '\n')
		pci_error_text[--len] = '\0';
	longjmp(pci_error_jump, 1);
}

static void pci_quiet(char *msg, ...)
{
	(void)msg;
}

void pci_function_list_free(struct pci_function_list *list)
{
	free(list->items);
	free(list->names);
	list->items = NULL;
	list->names = NULL;
	list->count = 0;
}

/* NO_HWDB: a shared libpci would otherwise ask the host's udev, not SYSROOT. */
#define LOOKUP_FLAGS (PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB)

static void copy_name(char *dst, const char *name)
{
	snprintf(dst, PCI_TEXT_MAX, "%s", name ? name : "");
}

static void lookup_names(struct pci_access *pacc, const struct pci_function *fn,
			 struct pci_names *names)
{
	char buf[PCI_TEXT_MAX];

	copy_name(names->vendor, pci_lookup_name(pacc, buf, sizeof(buf),
						 PCI_LOOKUP_VENDOR | LOOKUP_FLAGS, fn->vendor));
	copy_name(names->device,
		  pci_lookup_name(pacc, buf, sizeof(buf), PCI_LOOKUP_DEVICE | LOOKUP_FLAGS,
				  fn->vendor, fn->device));
	copy_name(
	    names->class_name,
	    pci_lookup_name(pacc, buf, sizeof(buf), PCI_LOOKUP_CLASS | LOOKUP_FLAGS, fn->class_id));
}

/*
 * Whether the database is a file that can be opened, for the real errno:
 * libpci only says it failed. Not a FIFO either: libpci's open would wait
 * for a writer.
 */
static int check_readable(int root_fd)
{
	int fd = root_open_file(root_fd, PCI_IDS_PATH, O_RDONLY);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

int pci_function_list_read_names(const char *sysroot, int root_fd, struct pci_function_list *list,
				 char *why, size_t why_size)
{
	/* volatile: modified between setjmp() and a possible longjmp() */
	struct pci_access *volatile pacc;
	char path[PATH_MAX], *ids;
	size_t i;
	int err = path_format(path, sizeof(path), "%s/" PCI_IDS_PATH, sysroot_prefix(sysroot));

	if (err == 0)
		err = check_readable(root_fd);
	if (err < 0) {
		snprintf(why, why_size, "%s", root_strerror(err));
		return err;
	}
	list->names = calloc(list->count ? list->count : 1, sizeof(*list->names));
	ids = strdup(path);
	pacc = pci_alloc();
	if (!list->names || !ids || !pacc) {
		snprintf(why, why_size, "%s", strerror(ENOMEM));
		free(list->names);
		list->names = NULL;
		free(ids);
		if (pacc)
			pci_cleanup(pacc);
		return -ENOMEM;
	}
	pacc->error = pci_error;
	pacc->warning = pci_quiet;
	pacc->debug = pci_quiet;
	pci_set_name_list_path(pacc, ids, 1);
	if (setjmp(pci_error_jump)) {
		/* libpci closed the database before it called pci_error(). */
		free(list->names);
		list->names = NULL;
		pci_cleanup(pacc);
		snprintf(why, why_size, "libpci: %s", pci_error_text);
		return -EBADMSG;
	}
	for (i = 0; i < list->count; i++)
		lookup_names(pacc, &list->items[i], &list->names[i]);
	pci_cleanup(pacc);
	return 0;
}

static const struct pci_names *names_of(const struct pci_function_list *list, size_t i)
{
	static const struct pci_names unknown;

	return list->names ? &list->names[i] : &unknown;
}

void pci_function_title(const struct pci_function_list *list, size_t i, char *buf, size_t size)
{
	const struct pci_function *fn = &list->items[i];
	const struct pci_names *n = names_of(list, i);
	char vendor[PCI_TEXT_MAX], device[PCI_TEXT_MAX];

	if (n->vendor[0])
		snprintf(vendor, sizeof(vendor), "%s", n->vendor);
	else
		snprintf(vendor, sizeof(vendor), "Vendor %04x", fn->vendor);
	if (n->device[0])
		snprintf(device, sizeof(device), "%s", n->device);
	else
		snprintf(device, sizeof(device), "Device %04x", fn->device);
	snprintf(buf, size, "%s %s", vendor, device);
}

void pci_function_class_name(const struct pci_function_list *list, size_t i, char *buf, size_t size)
{
	const struct pci_names *n = names_of(list, i);

	if (n->class_name[0])
		snprintf(buf, size, "%s", n->class_name);
	else
		snprintf(buf, size, "Class %04x", list->items[i].class_id);
}

int pci_read_driver(int root_fd, const char *name, char *buf, size_t size)
{
	char path[PATH_MAX];
	int err = pci_attr_path(path, sizeof(path), name, "driver");

	if (err == 0)
		err = root_link_name(root_fd, path, buf, size);
	if (err == -ENOENT) {
		buf[0] = '\0';
		return 0;
	}
	return err;
}

/* Whether DIR/ENTRY (a sysfs device) has a dev attribute: a character device. */
static bool has_device_number(int root_fd, const char *dir, const char *entry)
{
	char path[PATH_MAX];

	return path_format(path, sizeof(path), "%s/%s/dev", dir, entry) == 0 &&
	       root_exists(root_fd, path);
}

int pci_read_vfio_device(int root_fd, const char *name, char *buf, size_t size)
{
	char path[PATH_MAX];
	struct dirent *de;
	int found = 0;
	DIR *d;

	if (pci_attr_path(path, sizeof(path), name, "vfio-dev") < 0)
		return -ENAMETOOLONG;
	d = root_opendir(root_fd, path);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	/*
	 * One entry, vfioN. Kernels since 6.1 have it; only those with
	 * CONFIG_VFIO_DEVICE_CDEV give it a device number (its dev
	 * attribute), and so /dev/vfio/devices/vfioN.
	 */
	while (!found && (de = readdir(d)))
		if (strncmp(de->d_name, "vfio", 4) == 0 && de->d_name[4] &&
		    has_device_number(root_fd, path, de->d_name))
			found = path_format(buf, size, "/dev/vfio/devices/%s", de->d_name) < 0
				    ? -ENAMETOOLONG
				    : 1;
	closedir(d);
	return found;
}

/* A write that changes a device: the step file names it, so a write that hangs is known. */
static int device_write(int root_fd, const char *path, const char *value)
{
	progress_step("writing '%s' to /%s", value, path);
	return root_write(root_fd, path, value);
}

int pci_write_override(int root_fd, const struct pci_function *fn, const char *driver)
{
	char path[PATH_MAX];
	int err = pci_attr_path(path, sizeof(path), fn->name, "driver_override");

	return err < 0 ? err : device_write(root_fd, path, driver);
}

int pci_unbind(int root_fd, const char *name)
{
	char path[PATH_MAX];
	int err = pci_attr_path(path, sizeof(path), name, "driver/unbind");

	return err < 0 ? err : device_write(root_fd, path, name);
}

int pci_probe(int root_fd, const char *name)
{
	return device_write(root_fd, "sys/bus/pci/drivers_probe", name);
}
