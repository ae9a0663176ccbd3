// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for text.c: the copy of hostile input that goes into log
 * messages, which must neither flood the log nor forge log lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/text.h"

#define CANARY 0x5a

static void test_short_text_is_copied_whole(void **state)
{
	char buf[16 + 4];

	(void)state;
	text_printable("3b:00.1", 7, 16, buf);
	assert_string_equal(buf, "3b:00.1");
}

static void test_empty_text(void **state)
{
	char buf[16 + 4];

	(void)state;
	text_printable("", 0, 16, buf);
	assert_string_equal(buf, "");
}

/* LEN bytes are taken, not up to a terminator. */
static void test_only_len_bytes_are_used(void **state)
{
	char buf[16 + 4];

	(void)state;
	text_printable("3b:00.1", 5, 16, buf);
	assert_string_equal(buf, "3b:00");
}

static void test_exactly_max_is_not_shortened(void **state)
{
	char buf[8 + 4];

	(void)state;
	text_printable("12345678", 8, 8, buf);
	assert_string_equal(buf, "12345678");
}

static void test_longer_than_max_is_shortened(void **state)
{
	char buf[8 + 4];

	(void)state;
	text_printable("123456789", 9, 8, buf);
	assert_string_equal(buf, "12345678...");
}

/* BUF holds MAX + 4 bytes, and not one byte more is written. */
static void test_long_text_stays_in_buffer(void **state)
{
	char text[4096], buf[16 + 4 + 16];
	size_t i;

	(void)state;
	memset(text, 'a', sizeof(text));
	memset(buf, CANARY, sizeof(buf));
	text_printable(text, sizeof(text), 16, buf);
	assert_string_equal(buf, "aaaaaaaaaaaaaaaa...");
	for (i = 16 + 4; i < sizeof(buf); i++)
		assert_int_equal((unsigned char)buf[i], CANARY);
}

/* Newlines would forge log lines, ESC would drive the console. */
static void test_control_bytes_become_question_marks(void **state)
{
	char buf[32 + 4];

	(void)state;
	text_printable("a\nb\rc\td\033e\177f", 11, 32, buf);
	assert_string_equal(buf, "a?b?c?d?e?f");
}

/* Bytes above 0x7f could be half of an escape sequence or invalid UTF-8. */
static void test_high_bytes_become_question_marks(void **state)
{
	char buf[32 + 4];

	(void)state;
	text_printable("\x80\x9b\xa0\xff", 4, 32, buf);
	assert_string_equal(buf, "????");
}

static void test_nul_byte_becomes_question_mark(void **state)
{
	char buf[32 + 4];

	(void)state;
	text_printable("a\0b", 3, 32, buf);
	assert_string_equal(buf, "a?b");
}

static void test_every_byte(void **state)
{
	char text[256], buf[256 + 4];
	int i;

	(void)state;
	for (i = 0; i < 256; i++)
		text[i] = (char)i;
	text_printable(text, sizeof(text), 256, buf);
	assert_int_equal(strlen(buf), 256);
	for (i = 0; i < 256; i++)
		assert_int_equal((unsigned char)buf[i], i >= 0x20 && i < 0x7f ? i : '?');
}

/* Escapes as "<XX>", invalid bytes as "?": what text_write_escaped() hands on. */
static void escape_hex(FILE *f, const char *s)
{
	fprintf(f, "<%02x>", (unsigned char)*s);
}

static const struct text_escapes hex_escapes = { "&", escape_hex, "?" };

static void assert_escaped(const char *in, const char *want)
{
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	assert_non_null(f);
	text_write_escaped(f, in, &hex_escapes);
	fclose(f);
	assert_string_equal(out, want);
	free(out);
}

static void test_escaped_utf8_passes(void **state)
{
	(void)state;
	assert_escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		       "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

static void test_escaped_controls_and_specials(void **state)
{
	(void)state;
	assert_escaped("a\tb\x1b[c\x7f&d", "a<09>b<1b>[c<7f><26>d");
}

/*
 * Stray and cut sequences, overlong forms, surrogates, above U+10FFFF and
 * the noncharacters U+FFFE/U+FFFF (XML forbids them): each byte replaced.
 */
static void test_escaped_invalid_bytes(void **state)
{
	(void)state;
	assert_escaped("\xff", "?");
	assert_escaped("x\xc3", "x?");
	assert_escaped("\xc3x", "?x");
	assert_escaped("\xc0\xaf", "??");
	assert_escaped("\xe0\x80\xaf", "???");
	assert_escaped("\xed\xa0\x80", "???");
	assert_escaped("\xf4\x90\x80\x80", "????");
	assert_escaped("\xef\xbf\xbe\xef\xbf\xbf", "??????");
	assert_escaped("\xef\xbf\xbd", "\xef\xbf\xbd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_text_is_copied_whole),
		cmocka_unit_test(test_empty_text),
		cmocka_unit_test(test_only_len_bytes_are_used),
		cmocka_unit_test(test_exactly_max_is_not_shortened),
		cmocka_unit_test(test_longer_than_max_is_shortened),
		cmocka_unit_test(test_long_text_stays_in_buffer),
		cmocka_unit_test(test_control_bytes_become_question_marks),
		cmocka_unit_test(test_high_bytes_become_question_marks),
		cmocka_unit_test(test_nul_byte_becomes_question_mark),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_escaped_utf8_passes),
		cmocka_unit_test(test_escaped_controls_and_specials),
		cmocka_unit_test(test_escaped_invalid_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
