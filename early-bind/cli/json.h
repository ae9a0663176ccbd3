/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdio.h>

/*
 * A small streaming JSON writer for --json: two-space indentation, one
 * member per line, so the output is stable for the tests and readable.
 * KEY is the member name inside an object and NULL inside an array or at
 * the top. Strings are escaped; bytes that are not UTF-8 become U+FFFD.
 */

/* The schemas nest five deep at most. */
#define JSON_DEPTH_MAX 8

struct json {
	FILE *f;
	int depth;
	bool has_items[JSON_DEPTH_MAX];
};

void json_init(struct json *j, FILE *f);
void json_begin_object(struct json *j, const char *key);
void json_end_object(struct json *j);
void json_begin_array(struct json *j, const char *key);
void json_end_array(struct json *j);
/* VALUE NULL writes null. */
void json_string(struct json *j, const char *key, const char *value);
/* VALUE "" writes null: how the program stores "none" (no driver, no name). */
void json_string_or_null(struct json *j, const char *key, const char *value);
void json_int(struct json *j, const char *key, long long value);
/* VALUE < 0 writes null: how the program stores "none" (no IOMMU group). */
void json_int_or_null(struct json *j, const char *key, long long value);
void json_bool(struct json *j, const char *key, bool value);
/* Microseconds US as seconds with six decimals (0.142311); 0 writes null: not measured. */
void json_seconds_or_null(struct json *j, const char *key, unsigned long long us);
/* A PCI ID as the schemas write it: "10de". */
void json_hex4(struct json *j, const char *key, unsigned value);
