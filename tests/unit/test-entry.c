// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for entry.c: one vfio.devices= item,
 * [DOMAIN:]BUS:SLOT[.FUNC][@VENDOR:DEVICE] or a path from a root bus,
 * [DOMAIN:]BUS:SLOT.FUNC{/SLOT.FUNC}/SLOT[.FUNC][@VENDOR:DEVICE], its lists and
 * canonical text.
 * Error texts are compared exactly: they are what the user reads in dmesg.
 */
#include <ctype.h>
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

#include "engine/entry.h"

#define GRAMMAR_HINT "expected " ENTRY_GRAMMAR
#define SHAPE_ERROR GRAMMAR_HINT ", e.g. 3b:00 or 0000:3b:00.1"
#define GUARD_ERROR "guard must be @VENDOR:DEVICE, e.g. @10de:1e07"

static struct entry parse_ok(const char *text)
{
	struct entry e;

	if (entry_parse(text, strlen(text), &e) != 0)
		fail_msg("'%s' did not parse: %s", text, e.error);
	assert_true(e.ok);
	assert_string_equal(e.error, "");
	return e;
}

/* A macro, so that a failure points at the input that broke the rule. */
#define assert_parse_error(input, message)                                                         \
	do {                                                                                       \
		struct entry e_;                                                                   \
		assert_int_equal(entry_parse((input), strlen(input), &e_), -EINVAL);               \
		assert_false(e_.ok);                                                               \
		assert_string_equal(e_.error, (message));                                          \
	} while (0)

/* Messages reach /dev/kmsg: no byte may start a new line or an escape. */
static void assert_printable(const char *s, size_t size)
{
	const char *end = memchr(s, '\0', size);
	size_t i;

	assert_non_null(end);
	for (i = 0; s + i < end; i++)
		if (!isprint((unsigned char)s[i]))
			fail_msg("byte %zu of \"%s\" is not printable (0x%02x)", i, s,
				 (unsigned char)s[i]);
}

/* --- valid entries and their fields ---------------------------------------- */

static void test_parse_bus_slot(void **state)
{
	struct entry e = parse_ok("3b:00");

	(void)state;
	assert_int_equal(e.bus, 0x3b);
	assert_int_equal(e.slot, 0x00);
	assert_string_equal(e.text, "3b:00");
}

static void test_parse_full_form(void **state)
{
	struct entry e = parse_ok("0000:3b:00.1@10de:1e07");

	(void)state;
	assert_true(e.has_domain);
	assert_int_equal(e.domain, 0);
	assert_int_equal(e.bus, 0x3b);
	assert_int_equal(e.slot, 0);
	assert_true(e.has_func);
	assert_int_equal(e.func, 1);
	assert_true(e.has_guard);
	assert_int_equal(e.vendor, 0x10de);
	assert_int_equal(e.device, 0x1e07);
}

static void test_parse_without_func_is_whole_slot(void **state)
{
	struct entry e = parse_ok("3b:00");

	(void)state;
	assert_false(e.has_func);
}

static void test_parse_with_func_names_one_function(void **state)
{
	struct entry e = parse_ok("3b:00.0");

	(void)state;
	/* .0 must be told apart from "no function given". */
	assert_true(e.has_func);
	assert_int_equal(e.func, 0);
	e = parse_ok("3b:00.7");
	assert_true(e.has_func);
	assert_int_equal(e.func, 7);
}

static void test_parse_without_domain(void **state)
{
	struct entry e = parse_ok("3b:00.1");

	(void)state;
	assert_false(e.has_domain);
}

static void test_parse_with_domain_zero(void **state)
{
	struct entry e = parse_ok("0:3b:00");

	(void)state;
	/* Domain 0 written out still counts as given. */
	assert_true(e.has_domain);
	assert_int_equal(e.domain, 0);
}

static void test_parse_without_guard(void **state)
{
	struct entry e = parse_ok("0000:3b:00.1");

	(void)state;
	assert_false(e.has_guard);
}

static void test_parse_guard_sets_ids(void **state)
{
	struct entry e = parse_ok("3b:00@10de:1e87");

	(void)state;
	assert_true(e.has_guard);
	assert_int_equal(e.vendor, 0x10de);
	assert_int_equal(e.device, 0x1e87);
	assert_false(e.has_func);
	e = parse_ok("3b:00@0000:0000");
	assert_true(e.has_guard);
	assert_int_equal(e.vendor, 0);
	assert_int_equal(e.device, 0);
	e = parse_ok("3b:00@ffff:ffff");
	assert_int_equal(e.vendor, 0xffff);
	assert_int_equal(e.device, 0xffff);
}

static void test_parse_is_case_insensitive(void **state)
{
	struct entry e = parse_ok("ABCD:EF:1F.7@10DE:1E07");

	(void)state;
	assert_int_equal(e.domain, 0xabcd);
	assert_int_equal(e.bus, 0xef);
	assert_int_equal(e.slot, 0x1f);
	assert_int_equal(e.vendor, 0x10de);
	assert_int_equal(e.device, 0x1e07);
	e = parse_ok("aBcD:eF:1f.7@10De:1e07");
	assert_int_equal(e.domain, 0xabcd);
	assert_int_equal(e.bus, 0xef);
}

/* Fields take 1 digit up to their maximum, not only the padded width. */
static void test_parse_short_fields(void **state)
{
	struct entry e = parse_ok("1:2:3.4");

	(void)state;
	assert_int_equal(e.domain, 1);
	assert_int_equal(e.bus, 2);
	assert_int_equal(e.slot, 3);
	assert_int_equal(e.func, 4);
}

/* --- DOMAIN: 1-8 digits, 0-7fffffff -------------------------------------- */

static void test_parse_domain_maximum(void **state)
{
	struct entry e = parse_ok("7fffffff:00:00");

	(void)state;
	assert_int_equal(e.domain, 0x7fffffff);
	e = parse_ok("00000001:00:00");
	assert_int_equal(e.domain, 1);
}

/* Intel VMD puts its devices in domains from 10000 up. */
static void test_parse_vmd_domain(void **state)
{
	struct entry e = parse_ok("10000:01:00.0");

	(void)state;
	assert_true(e.has_domain);
	assert_int_equal(e.domain, 0x10000);
}

/* The kernel keeps domains in an int: 80000000 would turn negative. */
static void test_parse_domain_out_of_range(void **state)
{
	(void)state;
	assert_parse_error("80000000:00:00", "domain '80000000' is out of range (0-7fffffff)");
	assert_parse_error("ffffffff:00:00", "domain 'ffffffff' is out of range (0-7fffffff)");
}

/* Nine digits are refused even when the value would be small. */
static void test_parse_domain_nine_digits(void **state)
{
	(void)state;
	assert_parse_error("000000000:00:00", "domain '000000000' has more than 8 hex digits");
	assert_parse_error("100000000:00:00", "domain '100000000' has more than 8 hex digits");
}

/* --- BUS: 1-2 digits, SLOT: 00-1f, FUNC: 0-7 ------------------------------- */

static void test_parse_bus_limits(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("ff:00").bus, 0xff);
	assert_int_equal(parse_ok("00:00").bus, 0);
	assert_parse_error("123:00", "bus '123' has more than 2 hex digits");
	assert_parse_error("100:00", "bus '100' has more than 2 hex digits");
	assert_parse_error("0ff:00", "bus '0ff' has more than 2 hex digits");
}

static void test_parse_slot_limits(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("00:1f").slot, 0x1f);
	assert_parse_error("00:20", "slot '20' is out of range (00-1f)");
	assert_parse_error("00:ff", "slot 'ff' is out of range (00-1f)");
	assert_parse_error("3b:000", "slot '000' has more than 2 hex digits");
}

static void test_parse_func_limits(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("00:00.7").func, 7);
	assert_parse_error("00:00.8", "function '8' is out of range (0-7)");
	assert_parse_error("00:00.f", "function 'f' is out of range (0-7)");
	assert_parse_error("3b:00.00", "function '00' has more than 1 hex digit");
}

/* --- VENDOR and DEVICE: exactly 4 digits ----------------------------------- */

static void test_parse_guard_short_ids(void **state)
{
	(void)state;
	assert_parse_error("3b:00@10d:1e07", "vendor ID '10d' must have 4 hex digits");
	assert_parse_error("3b:00@10de:1e0", "device ID '1e0' must have 4 hex digits");
	assert_parse_error("@10d:1e07", SHAPE_ERROR);
}

static void test_parse_guard_long_ids(void **state)
{
	(void)state;
	assert_parse_error("3b:00@10de:1e077", "device ID '1e077' has more than 4 hex digits");
	assert_parse_error("3b:00@010de:1e07", "vendor ID '010de' has more than 4 hex digits");
}

static void test_parse_guard_without_colon(void **state)
{
	(void)state;
	assert_parse_error("3b:00@10de", GUARD_ERROR);
	assert_parse_error("3b:00@10de1e07", GUARD_ERROR);
}

static void test_parse_guard_with_two_colons(void **state)
{
	(void)state;
	assert_parse_error("3b:00@10de:1e07:0", GUARD_ERROR);
}

static void test_parse_guard_non_hex(void **state)
{
	(void)state;
	assert_parse_error("3b:00@10dg:1e07", "vendor ID '10dg' is not hexadecimal");
	assert_parse_error("3b:00@10de:1e07.1", "device ID '1e07.1' is not hexadecimal");
}

/* --- malformed entries: which field, and why ------------------------------- */

static void test_parse_empty_fields(void **state)
{
	(void)state;
	assert_parse_error("3b:", "slot is missing; " GRAMMAR_HINT);
	assert_parse_error(":00", "bus is missing; " GRAMMAR_HINT);
	assert_parse_error(":3b:00", "domain is missing; " GRAMMAR_HINT);
	assert_parse_error("0::00", "bus is missing; " GRAMMAR_HINT);
	assert_parse_error("3b:00.", "function is missing; " GRAMMAR_HINT);
	assert_parse_error("3b:.0", "slot is missing; " GRAMMAR_HINT);
	assert_parse_error("3b:00@", GUARD_ERROR);
	assert_parse_error("3b:00@:1e07", "vendor ID is missing; " GRAMMAR_HINT);
	assert_parse_error("3b:00@10de:", "device ID is missing; " GRAMMAR_HINT);
	/* No address at all before the guard. */
	assert_parse_error("@10de:1e07", SHAPE_ERROR);
}

static void test_parse_non_hex(void **state)
{
	(void)state;
	assert_parse_error("3g:00", "bus '3g' is not hexadecimal");
	assert_parse_error("3b:0x", "slot '0x' is not hexadecimal");
	assert_parse_error("000g:3b:00", "domain '000g' is not hexadecimal");
	/* strtoul() would have taken a 0x prefix. */
	assert_parse_error("0x3b:00", "bus '0x3b' is not hexadecimal");
}

static void test_parse_too_many_colons(void **state)
{
	(void)state;
	assert_parse_error("0:0:3b:00", SHAPE_ERROR);
	assert_parse_error("0:0:0:3b:00", SHAPE_ERROR);
	/* Two colons read as DOMAIN:BUS:SLOT, so the slot is what is missing. */
	assert_parse_error("3b:00:", "slot is missing; " GRAMMAR_HINT);
}

static void test_parse_no_colon(void **state)
{
	(void)state;
	assert_parse_error("3b", SHAPE_ERROR);
	assert_parse_error("3b.00", SHAPE_ERROR);
	assert_parse_error("", SHAPE_ERROR);
}

static void test_parse_two_dots(void **state)
{
	(void)state;
	assert_parse_error("3b:00.0.1", "more than one '.'; " GRAMMAR_HINT);
	assert_parse_error("3b:00..1", "more than one '.'; " GRAMMAR_HINT);
}

static void test_parse_two_ats(void **state)
{
	(void)state;
	assert_parse_error("3b:00@10de:1e07@10de:1e07", "more than one '@'; " GRAMMAR_HINT);
	assert_parse_error("3b:00@@10de:1e07", "more than one '@'; " GRAMMAR_HINT);
}

static void test_parse_trailing_junk(void **state)
{
	(void)state;
	assert_parse_error("3b:00.0x", "function '0x' is not hexadecimal");
	assert_parse_error("3b:00 ", "slot '00 ' is not hexadecimal");
	assert_parse_error("3b:00x", "slot '00x' is not hexadecimal");
	assert_parse_error("3b:00@10de:1e07 ", "device ID '1e07 ' is not hexadecimal");
	assert_parse_error("3b:00;", "slot '00;' is not hexadecimal");
}

static void test_parse_leading_junk(void **state)
{
	(void)state;
	assert_parse_error("x3b:00", "bus 'x3b' is not hexadecimal");
	assert_parse_error(" 3b:00", "bus ' 3b' is not hexadecimal");
	assert_parse_error("=3b:00", "bus '=3b' is not hexadecimal");
}

/* strtoul() would accept a sign and wrap "-1" around. */
static void test_parse_sign_characters(void **state)
{
	(void)state;
	assert_parse_error("+3b:00", "bus '+3b' is not hexadecimal");
	assert_parse_error("-1:00", "bus '-1' is not hexadecimal");
	assert_parse_error("-1:3b:00", "domain '-1' is not hexadecimal");
	assert_parse_error("3b:+1", "slot '+1' is not hexadecimal");
	assert_parse_error("3b:00.-0", "function '-0' is not hexadecimal");
	assert_parse_error("3b:00@+10d:1e07", "vendor ID '+10d' is not hexadecimal");
}

/* Whitespace is never skipped: the shell or a typo put it there. */
static void test_parse_whitespace(void **state)
{
	(void)state;
	assert_parse_error("3b :00", "bus '3b ' is not hexadecimal");
	assert_parse_error("3b: 00", "slot ' 00' is not hexadecimal");
	assert_parse_error("3b:00\t", "slot '00?' is not hexadecimal");
	assert_parse_error("3b:00\n", "slot '00?' is not hexadecimal");
	assert_parse_error("3b:00. 1", "function ' 1' is not hexadecimal");
}

/* --- hostile input --------------------------------------------------------- */

static void test_parse_overlong_bus(void **state)
{
	char text[300 + sizeof(":00")];
	struct entry e;

	(void)state;
	memset(text, '3', 300);
	strcpy(text + 300, ":00");
	assert_int_equal(entry_parse(text, strlen(text), &e), -EINVAL);
	/* The field is quoted shortened, never in full. */
	assert_string_equal(e.error, "bus '3333333333333333...' has more than 2 hex digits");
	assert_printable(e.text, sizeof(e.text));
}

static void test_parse_overlong_non_hex_field(void **state)
{
	char text[300 + sizeof(":00")];
	struct entry e;

	(void)state;
	memset(text, 'z', 300);
	strcpy(text + 300, ":00");
	assert_int_equal(entry_parse(text, strlen(text), &e), -EINVAL);
	assert_string_equal(e.error, "bus 'zzzzzzzzzzzzzzzz...' is not hexadecimal");
}

static void test_parse_overlong_entry_has_short_text(void **state)
{
	char text[4096];
	struct entry e;

	(void)state;
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(entry_parse(text, strlen(text), &e), -EINVAL);
	assert_printable(e.text, sizeof(e.text));
	assert_int_equal(strlen(e.text), ENTRY_TEXT_MAX - 1);
	assert_string_equal(e.text + ENTRY_TEXT_MAX - 4, "...");
	assert_int_equal(strspn(e.text, "a"), ENTRY_TEXT_MAX - 4);
	assert_printable(e.error, sizeof(e.error));
}

/* Up to ENTRY_TEXT_MAX - 4 bytes are quoted whole; one more is shortened. */
static void test_parse_text_shortening_boundary(void **state)
{
	char text[ENTRY_TEXT_MAX];
	struct entry e;

	(void)state;
	memset(text, 'x', ENTRY_TEXT_MAX - 4);
	text[ENTRY_TEXT_MAX - 4] = '\0';
	(void)entry_parse(text, strlen(text), &e);
	assert_string_equal(e.text, text);

	memset(text, 'x', ENTRY_TEXT_MAX - 3);
	text[ENTRY_TEXT_MAX - 3] = '\0';
	(void)entry_parse(text, strlen(text), &e);
	assert_int_equal(strlen(e.text), ENTRY_TEXT_MAX - 1);
	assert_string_equal(e.text + ENTRY_TEXT_MAX - 4, "...");
}

/* A forged log line or terminal escape must not survive into messages. */
static void test_parse_text_replaces_control_characters(void **state)
{
	struct entry e;
	const char *text = "3b:00\n<3>early-bind: \033[2J\177\x80\xff";

	(void)state;
	assert_int_equal(entry_parse(text, strlen(text), &e), -EINVAL);
	assert_string_equal(e.text, "3b:00?<3>early-bind: ?[2J???");
	assert_printable(e.text, sizeof(e.text));
	assert_printable(e.error, sizeof(e.error));
}

static void test_parse_control_characters_in_field_error(void **state)
{
	struct entry e;
	const char *text = "3b:0\r\0331";

	(void)state;
	assert_int_equal(entry_parse(text, strlen(text), &e), -EINVAL);
	assert_string_equal(e.error, "slot '0??1' is not hexadecimal");
	assert_string_equal(e.text, "3b:0??1");
}

/* LEN bounds the entry: nothing after it is read or needs a terminator. */
static void test_parse_reads_only_len_bytes(void **state)
{
	static const char text[] = "3b:00.1";
	char *copy = malloc(5);
	struct entry e;

	(void)state;
	assert_non_null(copy);
	memcpy(copy, text, 5); /* "3b:00", no terminator */
	assert_int_equal(entry_parse(copy, 5, &e), 0);
	assert_false(e.has_func);
	assert_string_equal(e.text, "3b:00");
	free(copy);
	assert_int_equal(entry_parse(text, 5, &e), 0);
	assert_false(e.has_func);
}

/* An embedded NUL is just another bad byte, not an end of string. */
static void test_parse_embedded_nul(void **state)
{
	struct entry e;

	(void)state;
	assert_int_equal(entry_parse("3b:00\0junk", 10, &e), -EINVAL);
	assert_string_equal(e.error, "slot '00?junk' is not hexadecimal");
	assert_string_equal(e.text, "3b:00?junk");
}

/* A previous result never leaks into the next parse of the same struct. */
static void test_parse_resets_entry(void **state)
{
	struct entry e;

	(void)state;
	assert_int_equal(entry_parse("1:3b:00.1@10de:1e07", 19, &e), 0);
	assert_int_equal(entry_parse("af:01", 5, &e), 0);
	assert_false(e.has_domain);
	assert_false(e.has_func);
	assert_false(e.has_guard);
	assert_int_equal(entry_parse("zz:00", 5, &e), -EINVAL);
	assert_int_equal(entry_parse("af:01", 5, &e), 0);
	assert_string_equal(e.error, "");
}

/* Checks what must hold for any input, valid or not. */
static void check_invariants(size_t len, int err, const struct entry *e)
{
	assert_printable(e->text, sizeof(e->text));
	assert_printable(e->error, sizeof(e->error));
	if (err == 0) {
		char canonical[64];
		struct entry again;

		assert_true(e->ok);
		assert_string_equal(e->error, "");
		/* The canonical form parses back to the same fields. */
		entry_format(e, canonical, sizeof(canonical));
		assert_int_equal(entry_parse(canonical, strlen(canonical), &again), 0);
		assert_int_equal(again.domain, e->domain);
		assert_int_equal(again.bus, e->bus);
		assert_int_equal(again.slot, e->slot);
		assert_int_equal(again.func, e->func);
		assert_int_equal(again.has_domain, e->has_domain);
		assert_int_equal(again.has_func, e->has_func);
		assert_int_equal(again.has_guard, e->has_guard);
		assert_int_equal(again.vendor, e->vendor);
		assert_int_equal(again.device, e->device);
		assert_int_equal(again.n_path, e->n_path);
		assert_memory_equal(again.path, e->path, e->n_path * sizeof(e->path[0]));
	} else {
		assert_int_equal(err, -EINVAL);
		assert_false(e->ok);
		if (e->error[0] == '\0')
			fail_msg("no error text for a refused entry of %zu bytes", len);
	}
}

/* Parses one altered entry; MUST_FAIL when the byte can never fit there. */
static void parse_altered(const char *text, size_t len, int byte, size_t pos, bool must_fail)
{
	struct entry e;
	int err = entry_parse(text, len, &e);

	check_invariants(len, err, &e);
	if (must_fail && err == 0)
		fail_msg("byte 0x%02x at %zu: \"%s\" was accepted", byte, pos, e.text);
}

/*
 * Every byte 1..255 replacing, then inserted before, every position of an
 * entry. In the full form a byte that is not a hex digit can never give a
 * valid entry: each field is all digits and every separator is used up.
 * The sanitized build turns any stray read or write into a failure.
 */
static void test_parse_any_byte_in_any_position(void **state)
{
	static const char templates[][40] = { "0000:3b:00.0@10de:1e07", "3b:00",
					      "00:01.0/00.0/01.0/00.1@8086:4f90" };
	size_t t, pos;
	int byte;

	(void)state;
	for (t = 0; t < sizeof(templates) / sizeof(templates[0]); t++) {
		const char *base = templates[t];
		size_t len = strlen(base);
		bool full = t == 0;

		for (pos = 0; pos <= len; pos++) {
			for (byte = 1; byte <= 255; byte++) {
				char text[48];

				if (pos < len) {
					memcpy(text, base, len);
					text[pos] = (char)byte;
					parse_altered(text, len, byte, pos,
						      full && !isxdigit(byte) && byte != base[pos]);
				}
				memcpy(text, base, pos);
				text[pos] = (char)byte;
				memcpy(text + pos + 1, base + pos, len - pos);
				parse_altered(text, len + 1, byte, pos, full && !isxdigit(byte));
			}
		}
	}
}

/* --- entry_list_parse ------------------------------------------------------ */

static void test_list_splits_at_commas(void **state)
{
	struct entry_list list;

	(void)state;
	assert_int_equal(entry_list_parse("3b:00,af:00.1,0000:d8:00@10de:1e07", &list), 0);
	assert_int_equal(list.count, 3);
	assert_string_equal(list.items[0].text, "3b:00");
	assert_int_equal(list.items[0].bus, 0x3b);
	assert_string_equal(list.items[1].text, "af:00.1");
	assert_int_equal(list.items[1].func, 1);
	assert_string_equal(list.items[2].text, "0000:d8:00@10de:1e07");
	assert_true(list.items[2].has_guard);
	entry_list_free(&list);
}

static void test_list_ignores_empty_items(void **state)
{
	struct entry_list list;

	(void)state;
	assert_int_equal(entry_list_parse(",,3b:00,,", &list), 0);
	assert_int_equal(list.count, 1);
	assert_true(list.items[0].ok);
	assert_string_equal(list.items[0].text, "3b:00");
	entry_list_free(&list);
	assert_int_equal(entry_list_parse("3b:00,,,af:00", &list), 0);
	assert_int_equal(list.count, 2);
	entry_list_free(&list);
}

static void test_list_only_commas_is_empty(void **state)
{
	struct entry_list list;

	(void)state;
	assert_int_equal(entry_list_parse(",,,", &list), 0);
	assert_int_equal(list.count, 0);
	entry_list_free(&list);
}

/* vfio.devices= with an empty value binds nothing. */
static void test_list_empty_value(void **state)
{
	struct entry_list list;

	(void)state;
	assert_int_equal(entry_list_parse("", &list), 0);
	assert_int_equal(list.count, 0);
	entry_list_free(&list);
}

/* A bad item is kept, so that it is reported; the others still count. */
static void test_list_keeps_bad_items(void **state)
{
	struct entry_list list;

	(void)state;
	assert_int_equal(entry_list_parse("3b:00,zz:00,af:00", &list), 0);
	assert_int_equal(list.count, 3);
	assert_true(list.items[0].ok);
	assert_false(list.items[1].ok);
	assert_string_equal(list.items[1].error, "bus 'zz' is not hexadecimal");
	assert_string_equal(list.items[1].text, "zz:00");
	assert_true(list.items[2].ok);
	assert_int_equal(list.items[2].bus, 0xaf);
	entry_list_free(&list);
}

/* Spaces after commas are not trimmed: such an item is refused. */
static void test_list_space_after_comma_is_refused(void **state)
{
	struct entry_list list;

	(void)state;
	assert_int_equal(entry_list_parse("3b:00, af:00", &list), 0);
	assert_int_equal(list.count, 2);
	assert_true(list.items[0].ok);
	assert_false(list.items[1].ok);
	assert_string_equal(list.items[1].error, "bus ' af' is not hexadecimal");
	entry_list_free(&list);
}

/* A command line full of entries: every one is parsed and kept. */
static void test_list_many_items(void **state)
{
	char value[4096] = "";
	struct entry_list list;
	size_t i, used = 0;

	(void)state;
	for (i = 0; i < 500; i++)
		used += (size_t)snprintf(value + used, sizeof(value) - used, "%s%02zx:%02zx",
					 i ? "," : "", i / 32 % 256, i % 32);
	assert_true(used < sizeof(value));
	assert_int_equal(entry_list_parse(value, &list), 0);
	assert_int_equal(list.count, 500);
	for (i = 0; i < list.count; i++) {
		assert_true(list.items[i].ok);
		assert_int_equal(list.items[i].bus, i / 32);
		assert_int_equal(list.items[i].slot, i % 32);
	}
	entry_list_free(&list);
	assert_null(list.items);
	assert_int_equal(list.count, 0);
}

/* Freeing twice, or freeing an empty list, is harmless. */
static void test_list_free_twice(void **state)
{
	struct entry_list list;

	(void)state;
	assert_int_equal(entry_list_parse("3b:00", &list), 0);
	entry_list_free(&list);
	entry_list_free(&list);
	assert_int_equal(entry_list_parse("", &list), 0);
	entry_list_free(&list);
}

/* --- entry_format ---------------------------------------------------------- */

static void assert_formats_as(const char *text, const char *canonical)
{
	struct entry e = parse_ok(text);
	char buf[64];

	entry_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, canonical);
}

static void test_format_canonical(void **state)
{
	(void)state;
	assert_formats_as("3b:00", "3b:00");
	assert_formats_as("3B:0", "3b:00");
	assert_formats_as("3b:00.1", "3b:00.1");
	assert_formats_as("0:3b:0", "0000:3b:00");
	assert_formats_as("0000:3b:00.0", "0000:3b:00.0");
	assert_formats_as("10000:1:0.0@10DE:1E07", "10000:01:00.0@10de:1e07");
	assert_formats_as("7fffffff:ff:1f.7@ffff:ffff", "7fffffff:ff:1f.7@ffff:ffff");
	assert_formats_as("00000000:a:1@0000:0001", "0000:0a:01@0000:0001");
}

/* A short buffer gets a terminated prefix, and nothing past its end. */
static void test_format_short_buffer(void **state)
{
	static const char full[] = "10000:01:00.0@10de:1e07";
	struct entry e = parse_ok(full);
	size_t size, i;

	(void)state;
	for (size = 0; size <= sizeof(full); size++) {
		char buf[sizeof(full) + 16];

		memset(buf, 0x5a, sizeof(buf));
		entry_format(&e, buf, size);
		if (size > 0) {
			assert_int_equal(strlen(buf), size - 1);
			assert_memory_equal(buf, full, size - 1);
		}
		for (i = size; i < sizeof(buf); i++)
			assert_int_equal((unsigned char)buf[i], 0x5a);
	}
}

/* --- paths: [DOMAIN:]BUS:SLOT.FUNC{/SLOT.FUNC}/SLOT[.FUNC] ----------------- */

/* TEXT parses as a path passing the bridges HOPS ("1d.0/"...), naming SLOT (FUNC < 0: all of it).
 */
static void assert_path(const char *text, const char *hops, unsigned slot, int func)
{
	struct entry e = parse_ok(text);
	char got[ENTRY_PATH_MAX * 5 + 1] = "";
	uint8_t k;

	for (k = 0; k < e.n_path; k++)
		snprintf(got + 5 * k, sizeof(got) - 5 * k, "%02x.%x/", e.path[k].slot,
			 e.path[k].func);
	assert_string_equal(got, hops);
	assert_int_equal(e.slot, slot);
	assert_int_equal(e.has_func, func >= 0);
	assert_int_equal(e.func, func < 0 ? 0 : func);
}

static void test_path_fields(void **state)
{
	struct entry e = parse_ok("10000:e0:1c.4/00.0@8086:4f90");

	(void)state;
	/* BUS is the root bus the path starts on; the guard is as in the bus form. */
	assert_int_equal(e.domain, 0x10000);
	assert_int_equal(e.bus, 0xe0);
	assert_true(e.has_guard);
	assert_int_equal(e.device, 0x4f90);
	assert_path("00:1d.0/00", "1d.0/", 0, -1);
	assert_path("0000:00:01.0/00.0/01.0/00.1@8086:4f90", "01.0/00.0/01.0/", 0, 1);
	/* The kernel's own form (every element SLOT.FUNC) is one of ours. */
	assert_path("10000:e0:1c.4/00.0", "1c.4/", 0, 0);
	assert_path("3b:00", "", 0, -1);
	assert_path("0000:3b:1f.1@10de:10f7", "", 0x1f, 1);
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
	(void)state;
	assert_path("00:01.0/00.0/01.0/00.0/01.0/00.0/01.0/00.0/00",
		    "01.0/00.0/01.0/00.0/01.0/00.0/01.0/00.0/", 0, -1);
	assert_parse_error(
	    "00:01.0/00.0/01.0/00.0/01.0/00.0/01.0/00.0/00.0/00",
	    "path passes more than 8 bridges (its '/'); no machine is that deep, check the entry");
}

static void test_path_errors(void **state)
{
	(void)state;
	/* A bridge is one function: the slot alone is not one. */
	assert_parse_error(
	    "00:1d/00",
	    "a path passes bridges, so slot 1d before '/' needs its function, e.g. 1d.0/");
	assert_parse_error(
	    "00:1c.4/00/00.1",
	    "a path passes bridges, so slot 00 before '/' needs its function, e.g. 00.0/");
	assert_parse_error("00:1d.0/", "slot is missing; " GRAMMAR_HINT);
	assert_parse_error("00:1d.0//00", "slot is missing; " GRAMMAR_HINT);
	assert_parse_error("/00", SHAPE_ERROR);
	assert_parse_error("00:1d.0/20", "slot '20' is out of range (00-1f)");
	assert_parse_error("00:1d.0/00.8", "function '8' is out of range (0-7)");
	assert_parse_error("00:1d.0/01:00", "slot '01:00' is not hexadecimal");
	assert_parse_error("00:1d.0/00.0.1", "more than one '.'; " GRAMMAR_HINT);
	assert_parse_error("00:1d.0/00@10de", GUARD_ERROR);
	/* A '/' in the guard is the guard's error, not a path. */
	assert_parse_error("00:1d.0/00@10de:/2684", "device ID '/2684' is not hexadecimal");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_bus_slot),
		cmocka_unit_test(test_parse_full_form),
		cmocka_unit_test(test_parse_without_func_is_whole_slot),
		cmocka_unit_test(test_parse_with_func_names_one_function),
		cmocka_unit_test(test_parse_without_domain),
		cmocka_unit_test(test_parse_with_domain_zero),
		cmocka_unit_test(test_parse_without_guard),
		cmocka_unit_test(test_parse_guard_sets_ids),
		cmocka_unit_test(test_parse_is_case_insensitive),
		cmocka_unit_test(test_parse_short_fields),
		cmocka_unit_test(test_parse_domain_maximum),
		cmocka_unit_test(test_parse_vmd_domain),
		cmocka_unit_test(test_parse_domain_out_of_range),
		cmocka_unit_test(test_parse_domain_nine_digits),
		cmocka_unit_test(test_parse_bus_limits),
		cmocka_unit_test(test_parse_slot_limits),
		cmocka_unit_test(test_parse_func_limits),
		cmocka_unit_test(test_parse_guard_short_ids),
		cmocka_unit_test(test_parse_guard_long_ids),
		cmocka_unit_test(test_parse_guard_without_colon),
		cmocka_unit_test(test_parse_guard_with_two_colons),
		cmocka_unit_test(test_parse_guard_non_hex),
		cmocka_unit_test(test_parse_empty_fields),
		cmocka_unit_test(test_parse_non_hex),
		cmocka_unit_test(test_parse_too_many_colons),
		cmocka_unit_test(test_parse_no_colon),
		cmocka_unit_test(test_parse_two_dots),
		cmocka_unit_test(test_parse_two_ats),
		cmocka_unit_test(test_parse_trailing_junk),
		cmocka_unit_test(test_parse_leading_junk),
		cmocka_unit_test(test_parse_sign_characters),
		cmocka_unit_test(test_parse_whitespace),
		cmocka_unit_test(test_parse_overlong_bus),
		cmocka_unit_test(test_parse_overlong_non_hex_field),
		cmocka_unit_test(test_parse_overlong_entry_has_short_text),
		cmocka_unit_test(test_parse_text_shortening_boundary),
		cmocka_unit_test(test_parse_text_replaces_control_characters),
		cmocka_unit_test(test_parse_control_characters_in_field_error),
		cmocka_unit_test(test_parse_reads_only_len_bytes),
		cmocka_unit_test(test_parse_embedded_nul),
		cmocka_unit_test(test_parse_resets_entry),
		cmocka_unit_test(test_parse_any_byte_in_any_position),
		cmocka_unit_test(test_list_splits_at_commas),
		cmocka_unit_test(test_list_ignores_empty_items),
		cmocka_unit_test(test_list_only_commas_is_empty),
		cmocka_unit_test(test_list_empty_value),
		cmocka_unit_test(test_list_keeps_bad_items),
		cmocka_unit_test(test_list_space_after_comma_is_refused),
		cmocka_unit_test(test_list_many_items),
		cmocka_unit_test(test_list_free_twice),
		cmocka_unit_test(test_format_canonical),
		cmocka_unit_test(test_format_short_buffer),
		cmocka_unit_test(test_path_fields),
		cmocka_unit_test(test_path_format),
		cmocka_unit_test(test_path_limit),
		cmocka_unit_test(test_path_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
