// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel command line and module options: cmdline_get_last() and
 * cmdline_remove() on any bytes, each output buffer exactly as large as
 * the call is told, so that a write past it is caught. Properties: a value
 * found fits the buffer and is found again in a buffer of just its size;
 * removing KEY leaves no KEY=, removing again changes nothing, and every
 * other parameter keeps its value.
 */
#include <errno.h>

#include "cmdline.h"
#include "fuzz.h"

/* The keys early-bind looks for, a prefix of one and the empty name. */
static const char *const keys[] = { "vfio.devices", "intel_iommu", "amd_iommu", "devices",
				    "vfio", "" };
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

/* cmdline_get_last() into a heap buffer of exactly SIZE bytes; *VALUE is freed by the caller. */
static int get_last(const char *cmdline, const char *key, size_t size, char **value)
{
	int r;

	*value = malloc(size ? size : 1);
	FUZZ_ASSERT(*value);
	r = cmdline_get_last(cmdline, key, *value, size);
	FUZZ_ASSERT(r == 0 || r == 1 || r == -E2BIG);
	if (r == 1)
		FUZZ_ASSERT(strlen(*value) < size);
	return r;
}

static void check_get_last(const char *cmdline, size_t len, const char *key)
{
	char *value, *again;
	size_t value_len;
	int r;

	/* A value is a part of the command line, so LEN + 1 always holds it. */
	r = get_last(cmdline, key, len + 1, &value);
	FUZZ_ASSERT(r != -E2BIG);
	if (r == 1) {
		value_len = strlen(value);
		FUZZ_ASSERT(get_last(cmdline, key, value_len + 1, &again) == 1);
		FUZZ_ASSERT(strcmp(value, again) == 0);
		free(again);
		FUZZ_ASSERT(get_last(cmdline, key, value_len, &again) == -E2BIG);
		free(again);
	}
	free(value);
}

/* cmdline_remove() into exactly SIZE bytes; the output is a terminated string even when short. */
static int remove_key(const char *params, const char *key, size_t size, char **out)
{
	int r;

	*out = malloc(size ? size : 1);
	FUZZ_ASSERT(*out);
	r = cmdline_remove(params, key, *out, size);
	FUZZ_ASSERT(r == 0 || r == -E2BIG);
	FUZZ_ASSERT(size == 0 || strlen(*out) < size);
	return r;
}

/* Every other key: the same result and the same value before and after. */
static void check_others_kept(const char *before, const char *after, size_t len, const char *key)
{
	char *v1, *v2;
	size_t i;
	int r;

	for (i = 0; i < N_KEYS; i++) {
		if (strcmp(keys[i], key) == 0)
			continue;
		r = get_last(before, keys[i], len + 1, &v1);
		FUZZ_ASSERT(get_last(after, keys[i], len + 1, &v2) == r);
		FUZZ_ASSERT(r != 1 || strcmp(v1, v2) == 0);
		free(v1);
		free(v2);
	}
}

static void check_remove(const char *params, size_t len, const char *key, size_t short_size)
{
	char *out, *again, *value;

	/* The output keeps some parameters verbatim, one space apart: never longer. */
	FUZZ_ASSERT(remove_key(params, key, len + 1, &out) == 0);
	FUZZ_ASSERT(get_last(out, key, len + 1, &value) == 0);
	free(value);
	FUZZ_ASSERT(remove_key(out, key, len + 1, &again) == 0);
	FUZZ_ASSERT(strcmp(out, again) == 0);
	free(again);
	check_others_kept(params, out, len, key);
	/* Too small a buffer: -E2BIG and a prefix, or the whole result. */
	if (remove_key(params, key, short_size, &again) == 0)
		FUZZ_ASSERT(strcmp(out, again) == 0);
	else
		FUZZ_ASSERT(strncmp(out, again, strlen(again)) == 0);
	free(again);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cmdline = fuzz_string(data, size);
	size_t len = strlen(cmdline), i;

	for (i = 0; i < N_KEYS; i++) {
		check_get_last(cmdline, len, keys[i]);
		check_remove(cmdline, len, keys[i], len / 2 + 1);
	}
	free(cmdline);
	return 0;
}
