// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the path form of a vfio.devices= item (entry.c):
 * [DOMAIN:]BUS:SLOT.FUNC{/SLOT.FUNC}/SLOT[.FUNC][@VENDOR:DEVICE], the
 * kernel's pci=resource_alignment= path with a slot allowed at its end.
 * Error texts are compared exactly: they are what the user reads in dmesg.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/entry.h"

static struct entry parse_ok(const char *text)
{
	struct entry e;

	if (entry_parse(text, strlen(text), &e) != 0)
		fail_msg("'%s' did not parse: %s", text, e.error);
	assert_true(e.ok);
	return e;
}

#define assert_parse_error(input, message) \
	do { \
		struct entry e_; \
		assert_int_equal(entry_parse((input), strlen(input), &e_), -EINVAL); \
		assert_false(e_.ok); \
		assert_string_equal(e_.error, (message)); \
	} while (0)

static void assert_formats_as(const char *text, const char *canonical)
{
	struct entry e = parse_ok(text);
	char buf[128];

	entry_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, canonical);
}

/* The bridges go to PATH, what is named last to SLOT and FUNC as in the bus form. */
static void test_path_to_slot(void **state)
{
	struct entry e = parse_ok("00:1d.0/00");

	(void)state;
	assert_int_equal(e.bus, 0x00);
	assert_int_equal(e.n_path, 1);
	assert_int_equal(e.path[0].slot, 0x1d);
	assert_int_equal(e.path[0].func, 0);
	assert_int_equal(e.slot, 0);
	assert_false(e.has_func);
	assert_false(e.has_domain);
	assert_false(e.has_guard);
}

static void test_path_to_function_with_guard(void **state)
{
	struct entry e = parse_ok("0000:00:01.0/00.0/01.0/00.1@8086:4f90");

	(void)state;
	assert_true(e.has_domain);
	assert_int_equal(e.domain, 0);
	assert_int_equal(e.n_path, 3);
	assert_int_equal(e.path[0].slot, 0x01);
	assert_int_equal(e.path[1].slot, 0x00);
	assert_int_equal(e.path[2].slot, 0x01);
	assert_int_equal(e.path[2].func, 0);
	assert_int_equal(e.slot, 0);
	assert_true(e.has_func);
	assert_int_equal(e.func, 1);
	assert_true(e.has_guard);
	assert_int_equal(e.vendor, 0x8086);
	assert_int_equal(e.device, 0x4f90);
}

/* The kernel's own form (every element dev.fn) is one of ours. */
static void test_kernel_form(void **state)
{
	struct entry e = parse_ok("10000:e0:1c.4/00.0");

	(void)state;
	assert_int_equal(e.domain, 0x10000);
	assert_int_equal(e.bus, 0xe0);
	assert_int_equal(e.path[0].slot, 0x1c);
	assert_int_equal(e.path[0].func, 4);
	assert_true(e.has_func);
}

/* The bus form is a path without bridges. */
static void test_bus_form_has_no_path(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("3b:00").n_path, 0);
	assert_int_equal(parse_ok("0000:3b:00.1@10de:10f7").n_path, 0);
}

static void test_path_format(void **state)
{
	(void)state;
	assert_formats_as("0:0:1D.0/0", "0000:00:1d.0/00");
	assert_formats_as("00:01.1/0.0/1.0/0@1002:744C", "00:01.1/00.0/01.0/00@1002:744c");
	assert_formats_as("00:1c.4/00.1", "00:1c.4/00.1");
}

/* ENTRY_PATH_MAX bridges parse; one more is refused, not cut short. */
static void test_path_limit(void **state)
{
	static const char deepest[] = "00:01.0/00.0/01.0/00.0/01.0/00.0/01.0/00.0/00";
	struct entry e = parse_ok(deepest);

	(void)state;
	assert_int_equal(e.n_path, ENTRY_PATH_MAX);
	assert_parse_error("00:01.0/00.0/01.0/00.0/01.0/00.0/01.0/00.0/00.0/00",
			   "path passes more than 8 bridges (its '/'); no machine is that deep, check the entry");
}

static void test_path_errors(void **state)
{
	(void)state;
	/* A bridge is one function: the slot alone is not one. */
	assert_parse_error("00:1d/00",
			   "a path passes bridges, so slot 1d before '/' needs its function, e.g. 1d.0/");
	assert_parse_error("00:1c.4/00/00",
			   "a path passes bridges, so slot 00 before '/' needs its function, e.g. 00.0/");
	assert_parse_error("00:1d.0/", "slot is missing; expected " ENTRY_GRAMMAR);
	assert_parse_error("00:1d.0//00", "slot is missing; expected " ENTRY_GRAMMAR);
	assert_parse_error("/00", "expected " ENTRY_GRAMMAR ", e.g. 3b:00 or 0000:3b:00.1");
	assert_parse_error("00:1d.0/20", "slot '20' is out of range (00-1f)");
	assert_parse_error("00:1d.0/00.8", "function '8' is out of range (0-7)");
	assert_parse_error("00:1d.0/01:00", "slot '01:00' is not hexadecimal");
	assert_parse_error("00:1d.0/00.0.1", "more than one '.'; expected " ENTRY_GRAMMAR);
	assert_parse_error("00:1d.0/00@10de", "guard must be @VENDOR:DEVICE, e.g. @10de:1e07");
	/* A '/' in the guard is the guard's error, not a path. */
	assert_parse_error("00:1d.0/00@10de:/2684", "device ID '/2684' is not hexadecimal");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_to_slot),
		cmocka_unit_test(test_path_to_function_with_guard),
		cmocka_unit_test(test_kernel_form),
		cmocka_unit_test(test_bus_form_has_no_path),
		cmocka_unit_test(test_path_format),
		cmocka_unit_test(test_path_limit),
		cmocka_unit_test(test_path_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
