/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * What every libFuzzer harness shares: the entry point libFuzzer calls and
 * the checks that turn a broken property into a crash libFuzzer saves.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort(): libFuzzer reports it as a crash and keeps the input. */
#define FUZZ_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__,        \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/*
 * The input as a C string in a buffer of exactly its size, so that
 * AddressSanitizer sees a read past the terminator. The parsers under test
 * take C strings; a NUL inside the input ends it there, as it would in a
 * file read with a C string API.
 */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
