// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for vfioids.c: vfio-pci's own ids= as vfio_pci_fill_ids()
 * reads it (sscanf "%x:%x:%x:%x:%x:%x", Linux 6.1) and as
 * pci_match_one_device() matches it, plus the strict reading early-bind
 * reports. Messages are compared exactly: they are what dmesg shows.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/modprobe.h"
#include "engine/vfioids.h"

static struct vfio_ids ids;

static void parse(const char *value)
{
	assert_int_equal(vfio_ids_parse(value, &ids), 0);
}

static int teardown(void **state)
{
	(void)state;
	vfio_ids_free(&ids);
	return 0;
}

/* The host's copy of the article's card: VGA function of an MSI RTX 2080 Ti. */
static struct pci_function gpu(void)
{
	struct pci_function fn;

	memset(&fn, 0, sizeof(fn));
	snprintf(fn.name, sizeof(fn.name), "0000:af:00.0");
	fn.vendor = 0x10de;
	fn.device = 0x1e07;
	fn.class_id = 0x0300;
	fn.subvendor = 0x1462;
	fn.subdevice = 0x3715;
	fn.iommu_group = 11;
	return fn;
}

static void assert_item(size_t i, const char *text, int fields, const char *error)
{
	assert_true(i < ids.count);
	assert_string_equal(ids.items[i].text, text);
	assert_int_equal(ids.items[i].fields, fields);
	assert_string_equal(ids.items[i].error, error);
}

static void test_two_items_with_defaults(void **state)
{
	(void)state;
	parse("10de:1e07,10de:10f7");
	assert_int_equal(ids.count, 2);
	assert_false(ids.too_long);
	assert_item(0, "10de:1e07", 2, "");
	assert_item(1, "10de:10f7", 2, "");
	assert_int_equal(ids.items[0].vendor, 0x10de);
	assert_int_equal(ids.items[0].device, 0x1e07);
	/* vfio_pci_fill_ids(): unread subsystem IDs are PCI_ANY_ID, class and mask 0. */
	assert_int_equal(ids.items[0].subvendor, VFIO_ID_ANY);
	assert_int_equal(ids.items[0].subdevice, VFIO_ID_ANY);
	assert_int_equal(ids.items[0].class_code, 0);
	assert_int_equal(ids.items[0].class_mask, 0);
}

static void test_six_fields(void **state)
{
	(void)state;
	parse("10DE:1E07:1462:3715:030000:ffff00");
	assert_item(0, "10DE:1E07:1462:3715:030000:ffff00", 6, "");
	assert_int_equal(ids.items[0].subvendor, 0x1462);
	assert_int_equal(ids.items[0].subdevice, 0x3715);
	assert_int_equal(ids.items[0].class_code, 0x030000);
	assert_int_equal(ids.items[0].class_mask, 0xffff00);
}

/* strsep() at commas, empty items skipped, as the kernel does. */
static void test_empty_items_skipped(void **state)
{
	(void)state;
	parse(",,10de:1e07,,");
	assert_int_equal(ids.count, 1);
	assert_item(0, "10de:1e07", 2, "");
	vfio_ids_free(&ids);
	parse("");
	assert_int_equal(ids.count, 0);
}

static void test_bad_hex_is_ignored_by_vfio_pci(void **state)
{
	(void)state;
	parse("zz:1e07,10de:xyz");
	assert_item(0, "zz:1e07", 0, "vendor 'zz' is not hexadecimal");
	assert_item(1, "10de:xyz", 1, "device 'xyz' is not hexadecimal");
}

/* The kernel's sscanf stops at the junk, keeping what it read. */
static void test_trailing_junk_still_read(void **state)
{
	(void)state;
	parse("10de:1e07x");
	assert_item(0, "10de:1e07x", 2, "device '1e07x' is not hexadecimal");
	assert_int_equal(ids.items[0].device, 0x1e07);
}

static void test_too_many_fields(void **state)
{
	(void)state;
	parse("10de:1e07:1462:3715:030000:ffff00:1");
	assert_item(0, "10de:1e07:1462:3715:030000:ffff00:1", 6,
		    "7 fields, at most 6 (" VFIO_IDS_GRAMMAR ")");
}

static void test_single_field(void **state)
{
	(void)state;
	parse("10de");
	assert_item(0, "10de", 1, "a single field: vfio-pci needs at least vendor:device");
}

static void test_empty_field(void **state)
{
	(void)state;
	parse("10de::1462,10de:1e07:");
	assert_item(0, "10de::1462", 1, "the device field is empty");
	assert_item(1, "10de:1e07:", 2, "the subvendor field is empty");
}

static void test_field_lengths(void **state)
{
	(void)state;
	parse("010de:1e07,ffffffff:FFFFFFFF,10de:1e07:1:1:0300000,10de:fffffffe");
	assert_item(0, "010de:1e07", 2,
		    "vendor '010de' is longer than 4 hex digits (ffffffff means any)");
	assert_int_equal(ids.items[0].vendor, 0x10de); /* and it still matches */
	assert_item(1, "ffffffff:FFFFFFFF", 2, "");
	assert_item(2, "10de:1e07:1:1:0300000", 5, "class '0300000' is longer than 6 hex digits");
	assert_item(3, "10de:fffffffe", 2,
		    "device 'fffffffe' is longer than 4 hex digits (ffffffff means any)");
}

/* sscanf's %x skips spaces and takes a 0x prefix; the strict reading does not. */
static void test_prefix_and_spaces_read_by_the_kernel(void **state)
{
	(void)state;
	parse("0x10de:0X1e07, 10de: 10f7");
	assert_item(0, "0x10de:0X1e07", 2, "vendor '0x10de' is not hexadecimal");
	assert_int_equal(ids.items[0].vendor, 0x10de);
	assert_int_equal(ids.items[0].device, 0x1e07);
	assert_item(1, " 10de: 10f7", 2, "vendor ' 10de' is not hexadecimal");
	assert_int_equal(ids.items[1].device, 0x10f7);
}

static void test_hostile_text_is_printable(void **state)
{
	(void)state;
	parse("10de:\x1b[31m");
	assert_item(0, "10de:?[31m", 1, "device '?[31m' is not hexadecimal");
}

static void test_too_long_value(void **state)
{
	char value[VFIO_IDS_PARAM_MAX + 2];
	struct pci_function fn = gpu();

	(void)state;
	memset(value, ',', sizeof(value) - 1);
	memcpy(value, "10de:1e07", 9);
	value[VFIO_IDS_PARAM_MAX] = '\0';
	parse(value);
	assert_false(ids.too_long);
	assert_true(vfio_ids_take(&ids, &fn));
	vfio_ids_free(&ids);
	value[VFIO_IDS_PARAM_MAX] = ',';
	value[VFIO_IDS_PARAM_MAX + 1] = '\0';
	parse(value);
	assert_true(ids.too_long);
	assert_false(vfio_ids_take(&ids, &fn));
}

static void test_match_vendor_device(void **state)
{
	struct pci_function fn = gpu();

	(void)state;
	parse("10de:10f7,10de:1e07");
	assert_true(vfio_ids_take(&ids, &fn));
	fn.device = 0x1e04;
	assert_false(vfio_ids_take(&ids, &fn));
}

static void test_match_subsystem(void **state)
{
	struct pci_function fn = gpu();

	(void)state;
	parse("10de:1e07:1462:3715");
	assert_true(vfio_ids_take(&ids, &fn));
	fn.subdevice = 0x3716;
	assert_false(vfio_ids_take(&ids, &fn));
	vfio_ids_free(&ids);
	parse("10de:1e07:1462");
	assert_true(vfio_ids_take(&ids, &fn));
}

/* PCI_ANY_ID IDs with a class mask: every VGA controller, prog-if included. */
static void test_match_class(void **state)
{
	struct pci_function fn = gpu();

	(void)state;
	parse("ffffffff:ffffffff:ffffffff:ffffffff:030000:ffffff");
	assert_true(vfio_ids_take(&ids, &fn));
	fn.prog_if = 0x01;
	assert_false(vfio_ids_take(&ids, &fn));
	fn.prog_if = 0;
	fn.class_id = 0x0403;
	assert_false(vfio_ids_take(&ids, &fn));
	vfio_ids_free(&ids);
	/* A class without a mask matches every class. */
	parse("10de:1e07:ffffffff:ffffffff:0c0330");
	assert_true(vfio_ids_take(&ids, &fn));
}

/* ffff is a vendor number, not "any": only ffffffff is PCI_ANY_ID. */
static void test_ffff_is_not_any(void **state)
{
	struct pci_function fn = gpu();

	(void)state;
	parse("ffff:1e07");
	assert_false(vfio_ids_take(&ids, &fn));
}

static void test_ignored_items_match_nothing(void **state)
{
	struct pci_function fn = gpu();

	(void)state;
	parse("10de,zz:1e07");
	assert_false(vfio_ids_take(&ids, &fn));
}

/* vfio-pci's probe refuses bridges and functions without an IOMMU group. */
static void test_probe_refusals(void **state)
{
	struct pci_function fn = gpu();

	(void)state;
	parse("10de:1e07");
	fn.header_type = 1;
	assert_false(vfio_ids_take(&ids, &fn));
	fn.header_type = 0;
	fn.iommu_group = -1;
	assert_false(vfio_ids_take(&ids, &fn));
}

static void test_problem_messages(void **state)
{
	char buf[320];

	(void)state;
	parse("zz:1,10de:1e07:1:2:3:4:5,10de:1e07");
	assert_true(vfio_id_problem(&ids.items[0], buf, sizeof(buf)));
	assert_string_equal(
	    buf,
	    "item 'zz:1' of vfio-pci's ids=: vendor 'zz' is not hexadecimal; vfio-pci ignores it");
	assert_true(vfio_id_problem(&ids.items[1], buf, sizeof(buf)));
	assert_string_equal(
	    buf,
	    "item '10de:1e07:1:2:3:4:5' of vfio-pci's ids=: 7 fields, at most 6 (" VFIO_IDS_GRAMMAR
	    "); vfio-pci reads it as 10de:1e07:0001:0002:000003:000004");
	assert_false(vfio_id_problem(&ids.items[2], buf, sizeof(buf)));
}

static void test_describe_and_fix(void **state)
{
	char buf[600];

	(void)state;
	vfio_ids_describe(MODPROBE_CMDLINE, "10de:1e07", buf, sizeof(buf));
	assert_string_equal(buf, "vfio-pci.ids=10de:1e07 on the kernel command line");
	vfio_ids_describe("/etc/modprobe.d/vfio.conf", "10de:1e07\n", buf, sizeof(buf));
	assert_string_equal(buf, "vfio-pci ids=10de:1e07? in /etc/modprobe.d/vfio.conf");
	vfio_ids_fix("/etc/modprobe.d/vfio.conf", buf, sizeof(buf));
	assert_string_equal(
	    buf,
	    "remove ids= from the 'options vfio-pci' line of /etc/modprobe.d/vfio.conf, then rebuild the initramfs (update-initramfs -u or dracut -f)");
	vfio_ids_fix(MODPROBE_CMDLINE, buf, sizeof(buf));
	assert_non_null(strstr(buf, "GRUB_CMDLINE_LINUX"));
	assert_non_null(strstr(buf, "update-initramfs -u or dracut -f"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_two_items_with_defaults, teardown),
		cmocka_unit_test_teardown(test_six_fields, teardown),
		cmocka_unit_test_teardown(test_empty_items_skipped, teardown),
		cmocka_unit_test_teardown(test_bad_hex_is_ignored_by_vfio_pci, teardown),
		cmocka_unit_test_teardown(test_trailing_junk_still_read, teardown),
		cmocka_unit_test_teardown(test_too_many_fields, teardown),
		cmocka_unit_test_teardown(test_single_field, teardown),
		cmocka_unit_test_teardown(test_empty_field, teardown),
		cmocka_unit_test_teardown(test_field_lengths, teardown),
		cmocka_unit_test_teardown(test_prefix_and_spaces_read_by_the_kernel, teardown),
		cmocka_unit_test_teardown(test_hostile_text_is_printable, teardown),
		cmocka_unit_test_teardown(test_too_long_value, teardown),
		cmocka_unit_test_teardown(test_match_vendor_device, teardown),
		cmocka_unit_test_teardown(test_match_subsystem, teardown),
		cmocka_unit_test_teardown(test_match_class, teardown),
		cmocka_unit_test_teardown(test_ffff_is_not_any, teardown),
		cmocka_unit_test_teardown(test_ignored_items_match_nothing, teardown),
		cmocka_unit_test_teardown(test_probe_refusals, teardown),
		cmocka_unit_test_teardown(test_problem_messages, teardown),
		cmocka_unit_test_teardown(test_describe_and_fix, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
