// SPDX-License-Identifier: GPL-2.0-or-later
#include "pcidev.h"

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pci/pci.h>

#include "log.h"
#include "sysfs.h"

/*
 * libpci reports fatal errors through a callback that must not return
 * (its default calls exit()). We jump back to pci_function_list_read()
 * so that an odd sysfs never ends the boot.
 */
static jmp_buf pci_error_jump;

__attribute__((noreturn, format(printf, 1, 2))) static void pci_error(char *msg, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, msg);
	vsnprintf(text, sizeof(text), msg, ap);
	va_end(ap);
	log_error("libpci: %s", text);
	longjmp(pci_error_jump, 1);
}

static void pci_quiet(char *msg, ...)
{
	(void)msg;
}

static int compare_functions(const void *a, const void *b)
{
	const struct pci_function *x = a, *y = b;

	if (x->domain != y->domain)
		return x->domain < y->domain ? -1 : 1;
	if (x->bus != y->bus)
		return x->bus - y->bus;
	if (x->slot != y->slot)
		return x->slot - y->slot;
	return x->func - y->func;
}

static int parse_group(const char *text)
{
	char *end;
	long group;

	if (!text)
		return -1;
	errno = 0;
	group = strtol(text, &end, 10);
	if (errno || *end || end == text || group < 0 || group > INT_MAX)
		return -1;
	return (int)group;
}

/* A "0x1462" attribute of the function; 0 when it cannot be read. */
static unsigned long read_hex_attr(int root_fd, const char *name, const char *attr)
{
	char path[PATH_MAX], value[16];

	if (path_format(path, sizeof(path), "sys/bus/pci/devices/%s/%s", name, attr) < 0 ||
	    sysfs_read(root_fd, path, value, sizeof(value)) <= 0)
		return 0;
	return strtoul(value, NULL, 16);
}

static void fill_function(struct pci_dev *dev, int root_fd, struct pci_function *fn)
{
	char path[PATH_MAX], value[8];
	const char *driver;

	pci_fill_info(dev, PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_IOMMU_GROUP | PCI_FILL_DRIVER);
	memset(fn, 0, sizeof(*fn));
	fn->domain = (uint32_t)dev->domain;
	fn->bus = dev->bus;
	fn->slot = dev->dev;
	fn->func = dev->func;
	snprintf(fn->name, sizeof(fn->name), "%04x:%02x:%02x.%d", fn->domain, fn->bus, fn->slot, fn->func);
	fn->vendor = dev->vendor_id;
	fn->device = dev->device_id;
	fn->class_id = dev->device_class;
	fn->subvendor = (uint16_t)read_hex_attr(root_fd, fn->name, "subsystem_vendor");
	fn->subdevice = (uint16_t)read_hex_attr(root_fd, fn->name, "subsystem_device");
	fn->prog_if = (uint8_t)read_hex_attr(root_fd, fn->name, "class");
	fn->header_type = pci_read_byte(dev, PCI_HEADER_TYPE) & 0x7f;
	fn->iommu_group = parse_group(pci_get_string_property(dev, PCI_FILL_IOMMU_GROUP));
	driver = pci_get_string_property(dev, PCI_FILL_DRIVER);
	if (driver)
		snprintf(fn->driver, sizeof(fn->driver), "%s", driver);
	if (path_format(path, sizeof(path), "sys/bus/pci/devices/%s/boot_vga", fn->name) == 0 &&
	    sysfs_read(root_fd, path, value, sizeof(value)) > 0)
		fn->boot_vga = strcmp(value, "1") == 0;
}

static int scan(struct pci_access *pacc, int root_fd, struct pci_function_list *list)
{
	struct pci_dev *dev;
	size_t n = 0;

	pci_scan_bus(pacc);
	for (dev = pacc->devices; dev; dev = dev->next)
		n++;
	list->items = calloc(n ? n : 1, sizeof(*list->items));
	if (!list->items)
		return -ENOMEM;
	for (dev = pacc->devices; dev; dev = dev->next)
		fill_function(dev, root_fd, &list->items[list->count++]);
	qsort(list->items, list->count, sizeof(*list->items), compare_functions);
	return 0;
}

int pci_function_list_read(const char *sysroot, int root_fd, struct pci_function_list *list)
{
	/* volatile: modified between setjmp() and a possible longjmp() */
	struct pci_access *volatile pacc;
	char sysfs_path[PATH_MAX], param[] = "sysfs.path";
	int err;

	list->items = NULL;
	list->names = NULL;
	list->count = 0;
	if (path_format(sysfs_path, sizeof(sysfs_path), "%s/sys/bus/pci",
			strcmp(sysroot, "/") == 0 ? "" : sysroot) < 0)
		return -ENAMETOOLONG;
	pacc = pci_alloc();
	if (!pacc)
		return -ENOMEM;
	pacc->error = pci_error;
	pacc->warning = pci_quiet;
	pacc->debug = pci_quiet;
	pacc->method = PCI_ACCESS_SYS_BUS_PCI;
	if (setjmp(pci_error_jump)) {
		pci_function_list_free(list);
		pci_cleanup(pacc);
		return -EIO;
	}
	pci_set_param(pacc, param, sysfs_path);
	pci_init(pacc);
	err = scan(pacc, root_fd, list);
	pci_cleanup(pacc);
	if (err < 0)
		pci_function_list_free(list);
	return err;
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
	copy_name(names->device, pci_lookup_name(pacc, buf, sizeof(buf),
						 PCI_LOOKUP_DEVICE | LOOKUP_FLAGS, fn->vendor,
						 fn->device));
	copy_name(names->class_name, pci_lookup_name(pacc, buf, sizeof(buf),
						     PCI_LOOKUP_CLASS | LOOKUP_FLAGS, fn->class_id));
}

int pci_function_list_read_names(const char *sysroot, int root_fd, struct pci_function_list *list)
{
	/* volatile: modified between setjmp() and a possible longjmp() */
	struct pci_access *volatile pacc;
	char path[PATH_MAX], *ids;
	size_t i;

	if (path_format(path, sizeof(path), "%s/" PCI_IDS_PATH,
			strcmp(sysroot, "/") == 0 ? "" : sysroot) < 0)
		return -ENAMETOOLONG;
	if (!sysfs_exists(root_fd, PCI_IDS_PATH))
		return -ENOENT;
	list->names = calloc(list->count ? list->count : 1, sizeof(*list->names));
	ids = strdup(path);
	pacc = pci_alloc();
	if (!list->names || !ids || !pacc) {
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
		free(list->names);
		list->names = NULL;
		pci_cleanup(pacc);
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

void pci_function_class_name(const struct pci_function_list *list, size_t i, char *buf,
			     size_t size)
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
	int err = path_format(path, sizeof(path), "sys/bus/pci/devices/%s/driver", name);

	if (err == 0)
		err = sysfs_link_name(root_fd, path, buf, size);
	if (err == -ENOENT) {
		buf[0] = '\0';
		return 0;
	}
	return err;
}

int pci_write_override(int root_fd, const struct pci_function *fn, const char *driver)
{
	char path[PATH_MAX];
	int err = path_format(path, sizeof(path), "sys/bus/pci/devices/%s/driver_override",
			      fn->name);

	return err < 0 ? err : sysfs_write(root_fd, path, driver);
}
