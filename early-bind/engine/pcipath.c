// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where a function's attributes are and how the kernel prints its IDs:
 * the one place that builds a sys/bus/pci/devices path (as pciutils'
 * sysfs_obj_name() does), the one reader of hex attributes, used by the
 * scan and by every read again later, and the reader of the BARs in
 * resource. Without libpci, so the unit tests link it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "engine/pcidev.h"
#include "engine/rootdir.h"
#include "engine/text.h"

/* Longer than any ID attribute ("0x" and 8 digits at most), so a longer one is refused. */
#define HEX_READ_MAX 16

_Static_assert(HEX_READ_MAX + 4 <= PCI_HEX_SHOWN_MAX, "shown holds what was read");

int pci_attr_path(char *buf, size_t size, const char *name, const char *attribute)
{
	return path_format(buf, size, PCI_DEVICES_DIR "/%s%s%s", name, attribute ? "/" : "",
			   attribute ? attribute : "");
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

long pci_hex_digits(const char *s, size_t len)
{
	long value = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return -1;
		value = value << 4 | d;
	}
	return value;
}

/* TEXT, N bytes of an attribute, as "0x" and DIGITS hex digits; see pci_read_hex(). */
static int parse_hex(const char *text, int n, size_t digits, uint32_t *value, char *shown)
{
	long parsed = -1;

	if (n < 0)
		return n;
	if ((size_t)n == digits + 2 && text[0] == '0' && text[1] == 'x')
		parsed = pci_hex_digits(text + 2, digits);
	if (parsed < 0) {
		if (shown)
			text_printable(text, (size_t)n, HEX_READ_MAX, shown);
		return -EBADMSG;
	}
	*value = (uint32_t)parsed;
	return 0;
}

int pci_read_hex(int root_fd, const char *name, const char *attribute, size_t digits,
		 uint32_t *value, char *shown)
{
	char path[PATH_MAX], text[HEX_READ_MAX];
	int n = pci_attr_path(path, sizeof(path), name, attribute);

	if (n == 0)
		n = root_read(root_fd, path, text, sizeof(text));
	return parse_hex(text, n, digits, value, shown);
}

int pci_read_hex_at(int device_fd, const char *attribute, size_t digits, uint32_t *value,
		    char *shown)
{
	char text[HEX_READ_MAX];

	return parse_hex(text, root_read(device_fd, attribute, text, sizeof(text)), digits, value,
			 shown);
}

int pci_open_device(int root_fd, const char *name)
{
	char path[PATH_MAX];

	if (pci_attr_path(path, sizeof(path), name, NULL) < 0)
		return -ENAMETOOLONG;
	return root_open(root_fd, path, O_PATH | O_DIRECTORY);
}

int pci_read_ids(int root_fd, const char *name, uint16_t *vendor, uint16_t *device,
		 uint16_t *class_id)
{
	uint32_t v, d, c;
	int err = pci_read_hex(root_fd, name, "vendor", 4, &v, NULL);

	if (err == 0)
		err = pci_read_hex(root_fd, name, "device", 4, &d, NULL);
	if (err == 0)
		err = pci_read_hex(root_fd, name, "class", 6, &c, NULL);
	if (err < 0)
		return err;
	*vendor = (uint16_t)v;
	*device = (uint16_t)d;
	*class_id = (uint16_t)(c >> 8); /* the file adds the programming interface */
	return 0;
}

/* A resource file: up to 17 lines of three 0x-prefixed 64-bit numbers. */
#define RESOURCE_MAX 4096

int pci_read_resources(int root_fd, const char *name, uint64_t res[][3], size_t n)
{
	char path[PATH_MAX], text[RESOURCE_MAX];
	const char *p = text;
	int err = pci_attr_path(path, sizeof(path), name, "resource"), used;
	size_t i;

	if (err == 0)
		err = root_read(root_fd, path, text, sizeof(text));
	if (err < 0)
		return err;
	for (i = 0; i < n && i < PCI_BAR_COUNT; i++, p += used)
		if (sscanf(p, " %" SCNx64 " %" SCNx64 " %" SCNx64 "%n", &res[i][0], &res[i][1],
			   &res[i][2], &used) != 3)
			return -EBADMSG;
	return 0;
}
