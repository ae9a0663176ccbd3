// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for pcipath.c: the one path builder, and the one reader of
 * the kernel's "0x%04x" ID attributes, strict the way the scan is, and
 * passing on the errno of what failed (a missing attribute is not an
 * unreadable one).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/pcidev.h"

#define FN "0000:3b:00.0"

static char base[PATH_MAX];
static int root_fd = -1;

/* BASE/sys/bus/pci/devices/FN/ATTRIBUTE */
static void attribute_path(const char *attribute, char *path, size_t size)
{
	snprintf(path, size, "%s/" PCI_DEVICES_DIR "/" FN "/%s", base, attribute);
}

static void put(const char *attribute, const char *text)
{
	char path[PATH_MAX * 2];
	FILE *f;

	attribute_path(attribute, path, sizeof(path));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	char cmd[PATH_MAX + 64];

	(void)state;
	snprintf(base, sizeof(base), "%s/early-bind-pcipath.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(base));
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/" PCI_DEVICES_DIR "/" FN "'", base);
	assert_int_equal(system(cmd), 0);
	root_fd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(root_fd >= 0);
	put("vendor", "0x10de\n");
	put("device", "0x1e07\n");
	put("class", "0x030000\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	close(root_fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void test_attr_path(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(pci_attr_path(buf, sizeof(buf), FN, "driver/unbind"), 0);
	assert_string_equal(buf, "sys/bus/pci/devices/" FN "/driver/unbind");
	assert_int_equal(pci_attr_path(buf, sizeof(buf), FN, NULL), 0);
	assert_string_equal(buf, "sys/bus/pci/devices/" FN);
	assert_int_equal(pci_attr_path(buf, 20, FN, "vendor"), -ENAMETOOLONG);
}

static void test_hex_digits(void **state)
{
	(void)state;
	assert_int_equal(pci_hex_digits("10de", 4), 0x10de);
	assert_int_equal(pci_hex_digits("030000", 6), 0x030000);
	assert_int_equal(pci_hex_digits("10DE", 4), -1); /* the kernel prints lower case */
	assert_int_equal(pci_hex_digits("10 e", 4), -1);
}

static void test_read_hex(void **state)
{
	char shown[PCI_HEX_SHOWN_MAX];
	uint32_t value = 0;

	(void)state;
	assert_int_equal(pci_read_hex(root_fd, FN, "vendor", 4, &value, shown), 0);
	assert_int_equal(value, 0x10de);
	assert_int_equal(pci_read_hex(root_fd, FN, "class", 6, &value, NULL), 0);
	assert_int_equal(value, 0x030000);
}

/* Each of these the scan refuses, so the re-read before a write refuses it too. */
static void test_read_hex_strict(void **state)
{
	static const char *const refused[] = { "0X10DE",  "0x10DE",  "10de", "0x10d",
					       "0x10de0", "0x10de ", "" };
	char shown[PCI_HEX_SHOWN_MAX];
	uint32_t value = 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		put("subsystem_vendor", refused[i]);
		assert_int_equal(pci_read_hex(root_fd, FN, "subsystem_vendor", 4, &value, shown),
				 -EBADMSG);
		assert_string_equal(shown, refused[i]);
	}
	put("subsystem_vendor", "0x\001\002\n");
	assert_int_equal(pci_read_hex(root_fd, FN, "subsystem_vendor", 4, &value, shown), -EBADMSG);
	assert_string_equal(shown, "0x??");
	put("subsystem_vendor", "0x10de0123456789abcdef\n");
	assert_int_equal(pci_read_hex(root_fd, FN, "subsystem_vendor", 4, &value, shown), -EBADMSG);
	assert_string_equal(shown, "0x10de012345678"); /* what fits in the read */
}

/* The errno of the failed read, not one code for every failure. */
static void test_read_hex_errno(void **state)
{
	char path[PATH_MAX * 2];
	uint32_t value = 0;

	(void)state;
	assert_int_equal(pci_read_hex(root_fd, FN, "subsystem_device", 4, &value, NULL), -ENOENT);
	attribute_path("revision", path, sizeof(path));
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(pci_read_hex(root_fd, FN, "revision", 2, &value, NULL), -EISDIR);
	assert_int_equal(pci_read_hex(root_fd, FN, "vendor/x", 4, &value, NULL), -ENOTDIR);
	assert_int_equal(pci_read_hex(root_fd, "0000:3b:00.1", "vendor", 4, &value, NULL), -ENOENT);
}

static void test_read_ids(void **state)
{
	uint16_t vendor = 0, device = 0, class_id = 0;

	(void)state;
	assert_int_equal(pci_read_ids(root_fd, FN, &vendor, &device, &class_id), 0);
	assert_int_equal(vendor, 0x10de);
	assert_int_equal(device, 0x1e07);
	assert_int_equal(class_id, 0x0300);
	put("device", "1e07\n");
	assert_int_equal(pci_read_ids(root_fd, FN, &vendor, &device, &class_id), -EBADMSG);
	put("device", "0x1e07\n");
	put("class", "0x0300\n"); /* 4 digits: the class has 6 */
	assert_int_equal(pci_read_ids(root_fd, FN, &vendor, &device, &class_id), -EBADMSG);
	put("class", "0x030000\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attr_path),      cmocka_unit_test(test_hex_digits),
		cmocka_unit_test(test_read_hex),       cmocka_unit_test(test_read_hex_strict),
		cmocka_unit_test(test_read_hex_errno), cmocka_unit_test(test_read_ids),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
