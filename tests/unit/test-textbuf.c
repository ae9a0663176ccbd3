// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for textbuf.c: the lists of message text built in fixed
 * buffers, which must cut off as snprintf() does and never overrun.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/textbuf.h"

#define CANARY 0x5a

/* A new textbuf is empty whatever the buffer held; the first item has no separator. */
static void test_items_are_separated(void **state)
{
	char buf[64] = "garbage";
	struct textbuf sb;

	(void)state;
	textbuf_init(&sb, buf, sizeof(buf));
	assert_string_equal(buf, "");
	textbuf_item(&sb, ", ", "%s", "0000:3b:00.0");
	textbuf_item(&sb, ", ", "%s (%s)", "0000:3b:00.1", "snd_hda_intel");
	textbuf_add(&sb, " and %d more", 2);
	assert_string_equal(buf, "0000:3b:00.0, 0000:3b:00.1 (snd_hda_intel) and 2 more");
	assert_int_equal(sb.len, strlen(buf));
	assert_false(sb.cut);
}

/* What does not fit is cut as snprintf() cuts it; later pieces change nothing. */
static void test_cut_at_the_end_without_overrun(void **state)
{
	char buf[10 + 1];
	struct textbuf sb;

	(void)state;
	memset(buf, CANARY, sizeof(buf));
	textbuf_init(&sb, buf, sizeof(buf) - 1);
	textbuf_item(&sb, ", ", "%s", "abcd");
	textbuf_item(&sb, ", ", "%s", "efgh");
	assert_string_equal(buf, "abcd, efg");
	assert_int_equal(sb.len, 9);
	assert_true(sb.cut);
	textbuf_item(&sb, ", ", "%s", "ijkl");
	textbuf_add(&sb, "%s", "mnop");
	assert_string_equal(buf, "abcd, efg");
	assert_int_equal((unsigned char)buf[10], CANARY);
}

/* The list kept in a plain array goes on after what is already in it. */
static void test_list_add_goes_on_after_the_text(void **state)
{
	char buf[16];

	(void)state;
	buf[0] = '\0';
	textbuf_list_add(buf, sizeof(buf), "0000:00:1f.3");
	textbuf_list_add(buf, sizeof(buf), "0000:00:1f.4");
	assert_string_equal(buf, "0000:00:1f.3, 0");
	textbuf_list_add(buf, sizeof(buf), "x");
	assert_string_equal(buf, "0000:00:1f.3, 0");
}

/* Text that just fits (SIZE - 1 bytes) is not cut; one byte more is. */
static void test_exact_fit_is_not_cut(void **state)
{
	char buf[5];
	struct textbuf sb;

	(void)state;
	textbuf_init(&sb, buf, sizeof(buf));
	textbuf_add(&sb, "%02x:", 0x3b);
	assert_string_equal(buf, "3b:");
	assert_false(sb.cut);
	textbuf_add(&sb, "%x", 0);
	assert_string_equal(buf, "3b:0");
	assert_false(sb.cut);
	textbuf_add(&sb, "%x", 1);
	assert_true(sb.cut);
}

static void test_resume_after_existing_text(void **state)
{
	char buf[32] = "cannot bind";
	struct textbuf sb;

	(void)state;
	textbuf_resume(&sb, buf, sizeof(buf));
	textbuf_item(&sb, ": ", "%s", "busy");
	assert_string_equal(buf, "cannot bind: busy");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items_are_separated),
		cmocka_unit_test(test_cut_at_the_end_without_overrun),
		cmocka_unit_test(test_list_add_goes_on_after_the_text),
		cmocka_unit_test(test_exact_fit_is_not_cut),
		cmocka_unit_test(test_resume_after_existing_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
