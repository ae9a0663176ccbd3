// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The PCI functions as sys/bus/pci/devices lists them, read through the
 * root fd. libpci's sysfs scan (lib/sysfs.c, the model for what is read
 * here) treats one odd entry as fatal, so a device that vanishes during
 * the scan, a dangling link or an unreadable attribute would leave the
 * boot with nothing bound. Here a bad entry is skipped with one warning
 * and the others are read.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/entry.h"
#include "engine/log.h"
#include "engine/pcidev.h"
#include "engine/rootdir.h"
#include "engine/sriov.h"
#include "engine/text.h"

#define CONFIG_HEADER_TYPE 0x0e
#define CONFIG_SECONDARY_BUS 0x19
#define CONFIG_SUBORDINATE_BUS 0x1a
#define WHY_MAX 160
#define NAME_SHOWN_MAX 40
/* The longest name parse_address() takes: an 8-digit domain. */
#define ADDRESS_LEN_MAX 16
#define NOT_AN_ADDRESS                                                                             \
	"the name is not a PCI address (DDDD:BB:SS.F in lower-case hex, as the kernel names "      \
	"functions)"

_Static_assert(ADDRESS_LEN_MAX < PCI_NAME_MAX, "fn->name holds every address");

/* One entry being read: its name once it proved an address, and why it was skipped. */
struct scan_entry {
	int root_fd;
	int device_fd; /* its directory, once it proved one: attributes are read below it */
	const char *name;
	char why[WHY_MAX];
};

/* Says why the entry is skipped; returns ERR. */
__attribute__((format(printf, 3, 4))) static int skip(struct scan_entry *s, int err,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
	return err;
}

/*
 * The kernel names a function "%04x:%02x:%02x.%d": 4 to 8 domain digits
 * without extra leading zeros. Only that exact form is taken, as every
 * path built later from fn->name must lead back to this entry.
 */
static int parse_address(struct scan_entry *s, const char *name, struct pci_function *fn)
{
	size_t len = strlen(name), dlen = len - 8;
	long domain, bus, slot, func;

	if (len < 12 || len > ADDRESS_LEN_MAX || name[dlen] != ':' || name[dlen + 3] != ':' ||
	    name[dlen + 6] != '.' || (dlen > 4 && name[0] == '0'))
		return skip(s, -EINVAL, NOT_AN_ADDRESS);
	domain = pci_hex_digits(name, dlen);
	bus = pci_hex_digits(name + dlen + 1, 2);
	slot = pci_hex_digits(name + dlen + 4, 2);
	func = pci_hex_digits(name + dlen + 7, 1);
	if (domain < 0 || bus < 0 || slot < 0 || func < 0)
		return skip(s, -EINVAL, NOT_AN_ADDRESS);
	if ((unsigned long)domain > DOMAIN_MAX)
		return skip(s, -EINVAL, "domain %lx is above %x", domain, DOMAIN_MAX);
	if (slot > 0x1f)
		return skip(s, -EINVAL, "slot %02lx is above 1f", slot);
	if (func > 7)
		return skip(s, -EINVAL, "function %lx is above 7", func);
	fn->domain = (uint32_t)domain;
	fn->bus = (uint8_t)bus;
	fn->slot = (uint8_t)slot;
	fn->func = (uint8_t)func;
	memcpy(fn->name, name, len + 1);
	return 0;
}

/*
 * An attribute the kernel prints as "0x%0Nx" (vendor, class, ...). An
 * ABSENT_OK attribute that does not exist reads as 0, as on kernels
 * without it.
 */
static int read_hex(struct scan_entry *s, const char *attr, size_t digits, bool absent_ok,
		    uint32_t *out)
{
	char shown[PCI_HEX_SHOWN_MAX];
	int err = pci_read_hex_at(s->device_fd, attr, digits, out, shown);

	if (err == -ENOENT && absent_ok) {
		*out = 0;
		return 0;
	}
	if (err == -EBADMSG)
		return skip(s, err, "%s reads '%s', not 0x and %zu hex digits", attr, shown,
			    digits);
	if (err < 0)
		return skip(s, err, "cannot read %s: %s", attr, strerror(-err));
	return 0;
}

/*
 * Byte 0x0e of config space, without the multi-function bit, as libpci read
 * it; for a PCI-to-PCI bridge also the bus numbers behind it (0x19, 0x1a).
 */
static int read_header_type(struct scan_entry *s, struct pci_function *fn)
{
	unsigned char bytes[CONFIG_SUBORDINATE_BUS + 1];
	ssize_t n;
	int err, fd = root_open_file(s->device_fd, "config", O_RDONLY);

	if (fd < 0)
		return skip(s, fd, "cannot read config: %s", root_strerror(fd));
	do
		n = pread(fd, bytes, sizeof(bytes), 0);
	while (n < 0 && errno == EINTR);
	err = n < 0 ? -errno : n <= CONFIG_HEADER_TYPE ? -ENODATA : 0;
	close(fd);
	if (err == -ENODATA)
		return skip(s, err, "config is shorter than its header");
	if (err < 0)
		return skip(s, err, "cannot read config: %s", strerror(-err));
	fn->header_type = bytes[CONFIG_HEADER_TYPE] & 0x7f;
	if (fn->header_type == 1 && n == (ssize_t)sizeof(bytes)) {
		fn->secondary_bus = bytes[CONFIG_SECONDARY_BUS];
		fn->subordinate_bus = bytes[CONFIG_SUBORDINATE_BUS];
	}
	return 0;
}

static int parse_group(const char *text)
{
	char *end;
	long group;

	errno = 0;
	group = strtol(text, &end, 10);
	if (errno || *end || end == text || group < 0 || group > INT_MAX)
		return -1;
	return (int)group;
}

/* A link's last component; "" when the link is absent (no driver, no group). */
static int read_link(struct scan_entry *s, const char *link, char *buf, size_t size)
{
	int err = root_link_name(s->device_fd, link, buf, size);

	if (err == -ENOENT) {
		buf[0] = '\0';
		return 0;
	}
	if (err < 0)
		return skip(s, err, "cannot read its %s link: %s", link, strerror(-err));
	return 0;
}

static int read_links(struct scan_entry *s, struct pci_function *fn)
{
	char group[32];
	int err = read_link(s, "driver", fn->driver, sizeof(fn->driver));

	if (err == 0)
		err = read_link(s, "iommu_group", group, sizeof(group));
	if (err == 0)
		fn->iommu_group = group[0] ? parse_group(group) : -1;
	return err;
}

/*
 * Recent kernels (Debian's 7.2, not 6.12) give the DRM card of the device the firmware drew on a
 * boot_display file (drm_sysfs.c), whatever its class: exact where
 * boot_vga is missing, and still there after the GPU driver removed the
 * firmware framebuffer. It exists only while a DRM driver holds the device.
 */
static bool drm_boot_display(int device_fd)
{
	char path[NAME_MAX + 32], value[8];
	struct dirent *d;
	bool found = false;
	DIR *dir = root_opendir(device_fd, "drm");

	if (!dir)
		return false;
	while (!found && (d = readdir(dir))) {
		if (strncmp(d->d_name, "card", 4) != 0 ||
		    path_format(path, sizeof(path), "drm/%s/boot_display", d->d_name) < 0)
			continue;
		found =
		    root_read(device_fd, path, value, sizeof(value)) > 0 && strcmp(value, "1") == 0;
	}
	closedir(dir);
	return found;
}

static void read_boot_vga(struct scan_entry *s, struct pci_function *fn)
{
	char value[8];

	int n = root_read(s->device_fd, "boot_vga", value, sizeof(value));

	/*
	 * Only VGA-class functions have it; anything unreadable means "no". A
	 * 3D controller (0302: a compute or muxless laptop GPU) has no display
	 * outputs, so the firmware never draws on it: only the other display
	 * classes (0380) need the framebuffer's evidence.
	 */
	fn->boot_vga = n > 0 && strcmp(value, "1") == 0;
	fn->boot_vga_absent =
	    n == -ENOENT && pci_function_is_display(fn) && fn->class_id != PCI_CLASS_DISPLAY_3D;
	fn->framebuffer_bar = BOOT_FB_UNKNOWN;
	fn->drm_boot_display = pci_function_is_display(fn) && drm_boot_display(s->device_fd);
}

/* The entry must lead to a directory: a vanished device leaves a dangling link. */
static int open_directory(struct scan_entry *s)
{
	int err = pci_open_device(s->root_fd, s->name);

	if (err >= 0) {
		s->device_fd = err;
		return 0;
	}
	err = -err;
	if (err == ENAMETOOLONG)
		return skip(s, -err, "the name is too long");
	if (err == ENOENT)
		return skip(s, -err, "its link leads nowhere (the device is gone)");
	if (err == ELOOP)
		return skip(s, -err, "its link loops");
	return skip(s, -err, "it is not a device directory: %s", strerror(err));
}

static int read_ids(struct scan_entry *s, struct pci_function *fn)
{
	uint32_t vendor, device, class_code, subvendor, subdevice;
	int err = read_hex(s, "vendor", 4, false, &vendor);

	if (err == 0)
		err = read_hex(s, "device", 4, false, &device);
	if (err == 0)
		err = read_hex(s, "class", 6, false, &class_code);
	if (err == 0)
		err = read_hex(s, "subsystem_vendor", 4, true, &subvendor);
	if (err == 0)
		err = read_hex(s, "subsystem_device", 4, true, &subdevice);
	if (err < 0)
		return err;
	fn->vendor = (uint16_t)vendor;
	fn->device = (uint16_t)device;
	fn->class_id = (uint16_t)(class_code >> 8);
	fn->prog_if = (uint8_t)class_code;
	fn->subvendor = (uint16_t)subvendor;
	fn->subdevice = (uint16_t)subdevice;
	return 0;
}

static int read_function(struct scan_entry *s, const char *name, struct pci_function *fn)
{
	int err;

	memset(fn, 0, sizeof(*fn));
	s->name = fn->name;
	s->device_fd = -1;
	err = parse_address(s, name, fn);
	if (err == 0)
		err = open_directory(s);
	if (err == 0)
		err = read_ids(s, fn);
	if (err == 0)
		err = read_header_type(s, fn);
	if (err == 0)
		err = read_links(s, fn);
	if (err == 0) {
		read_boot_vga(s, fn);
		sriov_read_at(s->device_fd, &fn->sriov);
	}
	if (s->device_fd >= 0)
		close(s->device_fd);
	return err;
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

/* Room for one more item; 0 or -ENOMEM. */
static int grow(struct pci_function_list *list, size_t *capacity)
{
	struct pci_function *bigger;
	size_t size = *capacity ? *capacity * 2 : 64;

	if (list->count < *capacity)
		return 0;
	bigger = realloc(list->items, size * sizeof(*bigger));
	if (!bigger)
		return -ENOMEM;
	list->items = bigger;
	*capacity = size;
	return 0;
}

static void warn_skipped(const char *name, const struct scan_entry *s)
{
	char shown[NAME_SHOWN_MAX + 4];

	text_printable(name, strlen(name), NAME_SHOWN_MAX, shown);
	log_warning("/" PCI_DEVICES_DIR
		    "/%s skipped: %s; the other PCI functions are read as usual",
		    shown, s->why);
}

static int scan(DIR *dir, int root_fd, struct pci_function_list *list)
{
	struct scan_entry s = { .root_fd = root_fd };
	size_t capacity = 0;
	struct dirent *de;

	for (;;) {
		if (grow(list, &capacity) < 0)
			return -ENOMEM;
		errno = 0;
		de = readdir(dir);
		if (!de)
			return -errno;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (read_function(&s, de->d_name, &list->items[list->count]) == 0)
			list->count++;
		else
			warn_skipped(de->d_name, &s);
	}
}

int pci_function_list_read(int root_fd, struct pci_function_list *list)
{
	DIR *dir;
	int err;

	list->items = NULL;
	list->names = NULL;
	list->count = 0;
	dir = root_opendir(root_fd, PCI_DEVICES_DIR);
	if (!dir)
		return -errno;
	err = scan(dir, root_fd, list);
	closedir(dir);
	if (err < 0) {
		pci_function_list_free(list);
		return err;
	}
	if (list->count > 1)
		qsort(list->items, list->count, sizeof(*list->items), compare_functions);
	return 0;
}
