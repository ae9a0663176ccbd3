// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for cmdline.c: finding vfio.devices= on the kernel command line
 * and dropping devices= from module vfio's options, with the kernel's own
 * quoting rules (lib/cmdline.c next_arg()).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/cmdline.h"

#define KEY "vfio.devices"
#define VALUE_MAX 8192
#define CANARY 0x5a

static char value[VALUE_MAX];

/* cmdline_get_last() for vfio.devices= into a large buffer. */
static int get(const char *cmdline)
{
	memset(value, CANARY, sizeof(value));
	return cmdline_get_last(cmdline, KEY, value, sizeof(value));
}

/* Asserts that the bytes from FROM up to TO were left untouched. */
static void assert_canary(const char *buf, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		assert_int_equal((unsigned char)buf[i], CANARY);
}

/* --- cmdline_get_last ---------------------------------------------------- */

static void test_get_finds_the_value(void **state)
{
	(void)state;
	assert_int_equal(get("BOOT_IMAGE=/vmlinuz root=/dev/sda1 vfio.devices=3b:00 quiet"), 1);
	assert_string_equal(value, "3b:00");
}

static void test_get_finds_the_first_and_only_parameter(void **state)
{
	(void)state;
	assert_int_equal(get("vfio.devices=3b:00"), 1);
	assert_string_equal(value, "3b:00");
}

/* initramfs-tools and dracut both let the last occurrence win. */
static void test_get_last_occurrence_wins(void **state)
{
	(void)state;
	assert_int_equal(get("vfio.devices=3b:00 foo vfio.devices=af:00"), 1);
	assert_string_equal(value, "af:00");
}

/* init/main.c: parameters after a bare "--" are init's, not the kernel's. */
static void test_get_stops_at_double_dash(void **state)
{
	(void)state;
	assert_int_equal(get("root=/dev/sda1 -- vfio.devices=3b:00"), 0);
	assert_int_equal(get("vfio.devices=3b:00.1 -- vfio.devices=3b:00"), 1);
	assert_string_equal(value, "3b:00.1");
	assert_int_equal(get("vfio.devices=3b:00.1 \"--\" vfio.devices=3b:00"), 1);
	assert_string_equal(value, "3b:00.1");
}

/* A "--" with a value, or longer, is an ordinary parameter. */
static void test_get_only_bare_double_dash_stops(void **state)
{
	(void)state;
	assert_int_equal(get("--=x --- vfio.devices=3b:00"), 1);
	assert_string_equal(value, "3b:00");
}

/* lib/ctype.c: the kernel's isspace() is true for 0xA0 too. */
static void test_get_a0_separates_parameters(void **state)
{
	(void)state;
	assert_int_equal(get("quiet\xa0vfio.devices=3b:00.1\xa0vfio.foo=1"), 1);
	assert_string_equal(value, "3b:00.1");
	assert_int_equal(get("vfio.devices=3b:00\xa0.1"), 1);
	assert_string_equal(value, "3b:00");
}

static void test_remove_a0_separates_parameters(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(
	    cmdline_remove("devices=3b:00\xa0ids=10de:1e07", "devices", out, sizeof(out)), 0);
	assert_string_equal(out, "ids=10de:1e07");
}

static void test_get_last_occurrence_wins_even_when_empty(void **state)
{
	(void)state;
	/* A later empty value deliberately cancels an earlier list. */
	assert_int_equal(get("vfio.devices=3b:00 vfio.devices="), 1);
	assert_string_equal(value, "");
}

static void test_get_absent_returns_zero(void **state)
{
	(void)state;
	assert_int_equal(get("root=/dev/sda1 quiet splash"), 0);
	assert_int_equal(get(""), 0);
	assert_int_equal(get("   \t\n"), 0);
}

static void test_get_empty_value_counts(void **state)
{
	(void)state;
	assert_int_equal(get("quiet vfio.devices= splash"), 1);
	assert_string_equal(value, "");
}

/* The kernel passes a bare word without '=' as a flag, not as a value. */
static void test_get_bare_key_does_not_count(void **state)
{
	(void)state;
	assert_int_equal(get("vfio.devices"), 0);
	assert_int_equal(get("quiet vfio.devices splash"), 0);
}

static void test_get_bare_key_does_not_override_earlier_value(void **state)
{
	(void)state;
	assert_int_equal(get("vfio.devices=3b:00 vfio.devices"), 1);
	assert_string_equal(value, "3b:00");
}

/* Only the whole name before '=' is compared, never a prefix or suffix. */
static void test_get_key_must_match_exactly(void **state)
{
	(void)state;
	assert_int_equal(get("xvfio.devices=1"), 0);
	assert_int_equal(get("vfio.devices2=1"), 0);
	assert_int_equal(get("vfio.device=1"), 0);
	assert_int_equal(get("devices=1"), 0);
	assert_int_equal(get("vfio.devices.x=1"), 0);
	assert_int_equal(get("vfio-pci.devices=1"), 0);
	assert_int_equal(get("xvfio.devices=1 vfio.devices2=2 vfio.devices=3b:00"), 1);
	assert_string_equal(value, "3b:00");
}

/* Kernel parameter names are case-sensitive. */
static void test_get_key_is_case_sensitive(void **state)
{
	(void)state;
	assert_int_equal(get("VFIO.DEVICES=3b:00"), 0);
	assert_int_equal(get("vfio.Devices=3b:00"), 0);
}

/* The name ends at the first '='; later ones belong to the value. */
static void test_get_value_may_contain_equals(void **state)
{
	(void)state;
	assert_int_equal(get("vfio.devices=a=b"), 1);
	assert_string_equal(value, "a=b");
}

/* /proc/cmdline ends with a newline, and any whitespace separates. */
static void test_get_tabs_and_newlines_separate(void **state)
{
	(void)state;
	assert_int_equal(get("root=/dev/sda1 vfio.devices=3b:00\n"), 1);
	assert_string_equal(value, "3b:00");
	assert_int_equal(get("quiet\tvfio.devices=3b:00\tsplash"), 1);
	assert_string_equal(value, "3b:00");
	assert_int_equal(get("quiet\nvfio.devices=af:00\r\nsplash"), 1);
	assert_string_equal(value, "af:00");
	assert_int_equal(get("\t\n vfio.devices=3b:00,af:00.1 \n\t"), 1);
	assert_string_equal(value, "3b:00,af:00.1");
}

/* Kernel rule: the whole parameter may be quoted; quotes are not in the value. */
static void test_get_quoted_parameter(void **state)
{
	(void)state;
	assert_int_equal(get("quiet \"vfio.devices=3b:00\" splash"), 1);
	assert_string_equal(value, "3b:00");
}

/* Kernel rule: the value alone may be quoted. */
static void test_get_quoted_value(void **state)
{
	(void)state;
	assert_int_equal(get("quiet vfio.devices=\"3b:00,af:00\" splash"), 1);
	assert_string_equal(value, "3b:00,af:00");
}

/* Inside quotes a space does not end the parameter. */
static void test_get_quoted_value_keeps_spaces(void **state)
{
	(void)state;
	assert_int_equal(get("vfio.devices=\"3b:00 af:00\" quiet"), 1);
	assert_string_equal(value, "3b:00 af:00");
	assert_int_equal(get("\"vfio.devices=3b:00 af:00\" quiet"), 1);
	assert_string_equal(value, "3b:00 af:00");
}

static void test_get_quoted_empty_value(void **state)
{
	(void)state;
	assert_int_equal(get("vfio.devices=\"\" quiet"), 1);
	assert_string_equal(value, "");
	assert_int_equal(get("\"vfio.devices=\" quiet"), 1);
	assert_string_equal(value, "");
}

/* A key quoted inside another parameter's value is not a parameter. */
static void test_get_key_inside_other_quoted_value_does_not_count(void **state)
{
	(void)state;
	assert_int_equal(get("foo=\"a vfio.devices=3b:00 b\" quiet"), 0);
	assert_int_equal(get("vfio.devices=af:00 foo=\"x vfio.devices=3b:00\""), 1);
	assert_string_equal(value, "af:00");
}

/* Kernel rule: an unterminated quote runs to the end of the line. */
static void test_get_unterminated_quote_runs_to_end(void **state)
{
	(void)state;
	assert_int_equal(get("vfio.devices=\"3b:00 quiet"), 1);
	assert_string_equal(value, "3b:00 quiet");
	assert_int_equal(get("foo=\"bar vfio.devices=3b:00"), 0);
}

/* The kernel allows command lines of 4 KiB and more (COMMAND_LINE_SIZE). */
static void test_get_4k_cmdline_with_parameter_at_end(void **state)
{
	static const char tail[] = "vfio.devices=3b:00,af:00.1";
	char cmdline[4097];
	size_t fill = sizeof(cmdline) - 1 - (sizeof(tail) - 1), i;

	(void)state;
	for (i = 0; i < fill; i++)
		cmdline[i] = i % 8 == 7 ? ' ' : 'x';
	cmdline[fill - 1] = ' ';
	memcpy(cmdline + fill, tail, sizeof(tail));
	assert_int_equal(strlen(cmdline), 4096);
	assert_int_equal(get(cmdline), 1);
	assert_string_equal(value, "3b:00,af:00.1");
}

/* A value that fills most of a 4 KiB line comes back whole. */
static void test_get_4k_value(void **state)
{
	char cmdline[4097], expected[4097];
	size_t prefix = strlen("quiet " KEY "="), len = 4096 - prefix;

	(void)state;
	memcpy(cmdline, "quiet " KEY "=", prefix);
	memset(cmdline + prefix, 'a', len);
	cmdline[4096] = '\0';
	memset(expected, 'a', len);
	expected[len] = '\0';
	assert_int_equal(get(cmdline), 1);
	assert_string_equal(value, expected);
}

/* Bigger than the buffer: refused, and not a byte written past it. */
static void test_get_value_longer_than_buffer_is_e2big(void **state)
{
	char buf[64 + 16];

	(void)state;
	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(cmdline_get_last(KEY "=0000:3b:00.0,0000:3b:00.1,0000:af:00.0,"
					      "0000:af:00.1,0000:d8:00.0",
					  KEY, buf, 64),
			 -E2BIG);
	assert_canary(buf, 64, sizeof(buf));
}

/* The buffer holds SIZE bytes including the terminator: SIZE - 1 fit. */
static void test_get_value_size_boundary(void **state)
{
	char cmdline[128], buf[8 + 16];

	(void)state;
	snprintf(cmdline, sizeof(cmdline), KEY "=%s", "3b:00.1"); /* 7 bytes */
	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(cmdline_get_last(cmdline, KEY, buf, 8), 1);
	assert_string_equal(buf, "3b:00.1");
	assert_canary(buf, 8, sizeof(buf));

	snprintf(cmdline, sizeof(cmdline), KEY "=%s", "3b:00.10"); /* 8 bytes */
	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(cmdline_get_last(cmdline, KEY, buf, 8), -E2BIG);
	assert_canary(buf, 8, sizeof(buf));
}

/* Only the winning value must fit: a long earlier one is irrelevant. */
static void test_get_only_last_value_must_fit(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(
	    cmdline_get_last(KEY "=0000:3b:00.0,0000:af:00.0 " KEY "=3b:00", KEY, buf, sizeof(buf)),
	    1);
	assert_string_equal(buf, "3b:00");
}

/* --- cmdline_remove ------------------------------------------------------ */

static char out[1024];

static int remove_devices(const char *params)
{
	memset(out, CANARY, sizeof(out));
	return cmdline_remove(params, "devices", out, sizeof(out));
}

static void test_remove_keeps_others_and_their_quoting(void **state)
{
	(void)state;
	assert_int_equal(remove_devices("devices=3b:00 foo=1 bar=\"a b\""), 0);
	assert_string_equal(out, "foo=1 bar=\"a b\"");
}

static void test_remove_every_occurrence(void **state)
{
	(void)state;
	assert_int_equal(remove_devices("devices=3b:00 foo=1 devices=af:00 bar=2 devices="), 0);
	assert_string_equal(out, "foo=1 bar=2");
}

static void test_remove_bare_key(void **state)
{
	(void)state;
	assert_int_equal(remove_devices("devices foo=1 devices"), 0);
	assert_string_equal(out, "foo=1");
}

/* A quoted value with spaces is one parameter and goes as a whole. */
static void test_remove_quoted_value(void **state)
{
	(void)state;
	assert_int_equal(remove_devices("foo=1 devices=\"3b:00 af:00\" bar=2"), 0);
	assert_string_equal(out, "foo=1 bar=2");
}

static void test_remove_quoted_parameter(void **state)
{
	(void)state;
	assert_int_equal(remove_devices("\"devices=3b:00 af:00\" foo=1"), 0);
	assert_string_equal(out, "foo=1");
}

/*
 * The kernel's next_arg() strips the closing quote of a quoted bare
 * parameter too (`if (quoted && args[i-1] == '"') args[i-1] = '\0';`),
 * so "\"devices\"" is the bare parameter devices.
 */
static void test_remove_quoted_bare_key(void **state)
{
	(void)state;
	assert_int_equal(remove_devices("foo=1 \"devices\" bar=2"), 0);
	assert_string_equal(out, "foo=1 bar=2");
}

/* Similar names are other parameters. */
static void test_remove_exact_key_only(void **state)
{
	(void)state;
	assert_int_equal(remove_devices("xdevices=1 devices2=2 device=3 devices=4 Devices=5"), 0);
	assert_string_equal(out, "xdevices=1 devices2=2 device=3 Devices=5");
}

/* "devices=" inside another parameter's quoted value is not a parameter. */
/* The kernel's parameq(): '-' and '_' are alike in a parameter's name. */
static void test_dash_and_underscore_alike(void **state)
{
	(void)state;
	assert_int_equal(cmdline_get_last("vfio_pci.ids=1:1 vfio-pci.ids=2:2 vfio.ids=3:3",
					  "vfio_pci.ids", value, sizeof(value)),
			 1);
	assert_string_equal(value, "2:2");
	assert_int_equal(remove_devices("de-vices=1 devices=2 de_vices=3"), 0);
	assert_string_equal(out, "de-vices=1 de_vices=3");
	assert_true(cmdline_names_equal("vfio-pci.ids", 12, "vfio_pci.ids"));
	assert_false(cmdline_names_equal("vfio-pci.ids", 11, "vfio_pci.ids"));
	assert_false(cmdline_names_equal("vfio.pci.ids", 12, "vfio_pci.ids"));
}

static void test_remove_leaves_key_inside_other_quoted_value(void **state)
{
	(void)state;
	assert_int_equal(remove_devices("foo=\"a devices=3b:00\" devices=af:00"), 0);
	assert_string_equal(out, "foo=\"a devices=3b:00\"");
}

static void test_remove_only_key_gives_empty(void **state)
{
	(void)state;
	assert_int_equal(remove_devices("devices=3b:00"), 0);
	assert_string_equal(out, "");
}

static void test_remove_empty_params(void **state)
{
	(void)state;
	assert_int_equal(remove_devices(""), 0);
	assert_string_equal(out, "");
	assert_int_equal(remove_devices(" \t\n"), 0);
	assert_string_equal(out, "");
}

static void test_remove_without_key_keeps_everything(void **state)
{
	(void)state;
	assert_int_equal(remove_devices("enable_unsafe_noiommu_mode=1"), 0);
	assert_string_equal(out, "enable_unsafe_noiommu_mode=1");
}

/* Tabs and newlines separate module options as they do on the cmdline. */
static void test_remove_whitespace_separates(void **state)
{
	(void)state;
	assert_int_equal(remove_devices("foo=1\tdevices=3b:00\nbar=2"), 0);
	assert_string_equal(out, "foo=1 bar=2");
}

/* OUT holds SIZE bytes including the terminator: SIZE - 1 fit. */
static void test_remove_exact_fit(void **state)
{
	char buf[12 + 16];

	(void)state;
	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(cmdline_remove("foo=1 devices=3b:00 bar=2", "devices", buf, 12), 0);
	assert_string_equal(buf, "foo=1 bar=2");
	assert_canary(buf, 12, sizeof(buf));
}

static void test_remove_too_small_is_e2big(void **state)
{
	char buf[11 + 16];

	(void)state;
	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(cmdline_remove("foo=1 devices=3b:00 bar=2", "devices", buf, 11), -E2BIG);
	assert_canary(buf, 11, sizeof(buf));
	assert_int_equal(cmdline_remove("foo=1", "devices", buf, 1), -E2BIG);
	assert_int_equal(cmdline_remove("foo=1", "devices", buf, 0), -E2BIG);
	/* Even an empty result needs room for its terminator. */
	assert_int_equal(cmdline_remove("devices=3b:00", "devices", buf, 0), -E2BIG);
	assert_int_equal(cmdline_remove("devices=3b:00", "devices", buf, 1), 0);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_finds_the_value),
		cmocka_unit_test(test_get_finds_the_first_and_only_parameter),
		cmocka_unit_test(test_get_last_occurrence_wins),
		cmocka_unit_test(test_get_last_occurrence_wins_even_when_empty),
		cmocka_unit_test(test_get_stops_at_double_dash),
		cmocka_unit_test(test_get_only_bare_double_dash_stops),
		cmocka_unit_test(test_get_a0_separates_parameters),
		cmocka_unit_test(test_remove_a0_separates_parameters),
		cmocka_unit_test(test_get_absent_returns_zero),
		cmocka_unit_test(test_get_empty_value_counts),
		cmocka_unit_test(test_get_bare_key_does_not_count),
		cmocka_unit_test(test_get_bare_key_does_not_override_earlier_value),
		cmocka_unit_test(test_get_key_must_match_exactly),
		cmocka_unit_test(test_get_key_is_case_sensitive),
		cmocka_unit_test(test_get_value_may_contain_equals),
		cmocka_unit_test(test_get_tabs_and_newlines_separate),
		cmocka_unit_test(test_get_quoted_parameter),
		cmocka_unit_test(test_get_quoted_value),
		cmocka_unit_test(test_get_quoted_value_keeps_spaces),
		cmocka_unit_test(test_get_quoted_empty_value),
		cmocka_unit_test(test_get_key_inside_other_quoted_value_does_not_count),
		cmocka_unit_test(test_get_unterminated_quote_runs_to_end),
		cmocka_unit_test(test_get_4k_cmdline_with_parameter_at_end),
		cmocka_unit_test(test_get_4k_value),
		cmocka_unit_test(test_get_value_longer_than_buffer_is_e2big),
		cmocka_unit_test(test_get_value_size_boundary),
		cmocka_unit_test(test_get_only_last_value_must_fit),
		cmocka_unit_test(test_remove_keeps_others_and_their_quoting),
		cmocka_unit_test(test_remove_every_occurrence),
		cmocka_unit_test(test_remove_bare_key),
		cmocka_unit_test(test_remove_quoted_value),
		cmocka_unit_test(test_remove_quoted_parameter),
		cmocka_unit_test(test_remove_quoted_bare_key),
		cmocka_unit_test(test_remove_exact_key_only),
		cmocka_unit_test(test_dash_and_underscore_alike),
		cmocka_unit_test(test_remove_leaves_key_inside_other_quoted_value),
		cmocka_unit_test(test_remove_only_key_gives_empty),
		cmocka_unit_test(test_remove_empty_params),
		cmocka_unit_test(test_remove_without_key_keeps_everything),
		cmocka_unit_test(test_remove_whitespace_separates),
		cmocka_unit_test(test_remove_exact_fit),
		cmocka_unit_test(test_remove_too_small_is_e2big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
