// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel command line and module options: cmdline_get_last() and
 * cmdline_remove() on any bytes, each output buffer exactly as large as
 * the call is told, so that a write past it is caught. Properties: a value
 * found fits the buffer and is found again in a buffer of just its size;
 * removing KEY leaves no KEY=, removing again changes nothing, and every
 * other parameter keeps its value. Nothing after a bare "--" counts, and a
 * KEY= before one is found whatever follows; '-' and '_' are alike in
 * names; byte 0xA0 splits as a space does.
 */
#include <errno.h>

#include "engine/cmdline.h"
#include "fuzz.h"

/* The keys early-bind looks for, a prefix of one and the empty name. */
static const char *const keys[] = { "vfio.devices", "intel_iommu", "amd_iommu",
				    "devices",	    "vfio",	   "" };
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

/* Names the kernel takes as the same ('-' and '_' alike). */
static const char *const alike[][2] = { { "intel_iommu", "intel-iommu" },
					{ "vfio-pci.ids", "vfio_pci.ids" } };

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

/* PREFIX then CMDLINE, in a new heap string. */
static char *prefixed(const char *prefix, const char *cmdline, size_t len)
{
	size_t n = strlen(prefix);
	char *s = malloc(n + len + 1);

	FUZZ_ASSERT(s);
	memcpy(s, prefix, n);
	memcpy(s + n, cmdline, len + 1);
	return s;
}

/* After a bare "--" nothing is found; a KEY= before it is, whatever follows. */
static void check_double_dash(const char *cmdline, size_t len, const char *key)
{
	char *s = prefixed("-- ", cmdline, len), *value;

	FUZZ_ASSERT(get_last(s, key, len + 4, &value) == 0);
	free(value);
	free(s);
	s = malloc(strlen(key) + len + 16);
	FUZZ_ASSERT(s);
	sprintf(s, "%s=before -- %s", key, cmdline);
	FUZZ_ASSERT(get_last(s, key, 7, &value) == 1 && strcmp(value, "before") == 0);
	free(value);
	free(s);
}

/* Both spellings of a name: the same value found, the same parameters left. */
static void check_alike(const char *cmdline, size_t len, const char *a, const char *b)
{
	char *va, *vb;
	int r;

	r = get_last(cmdline, a, len + 1, &va);
	FUZZ_ASSERT(get_last(cmdline, b, len + 1, &vb) == r);
	FUZZ_ASSERT(r != 1 || strcmp(va, vb) == 0);
	free(va);
	free(vb);
	FUZZ_ASSERT(remove_key(cmdline, a, len + 1, &va) == 0);
	FUZZ_ASSERT(remove_key(cmdline, b, len + 1, &vb) == 0);
	FUZZ_ASSERT(strcmp(va, vb) == 0);
	free(va);
	free(vb);
}

static void spaces_to_a0(char *s)
{
	for (; *s; s++)
		if (*s == ' ')
			*s = '\xa0';
}

/*
 * Every space made 0xA0 splits the same: the same results, values and
 * parameters left, but for those spaces.
 */
static void check_a0(const char *cmdline, size_t len, const char *key)
{
	char *a0 = prefixed("", cmdline, len), *v, *v_a0;
	int r;

	spaces_to_a0(a0);
	r = get_last(cmdline, key, len + 1, &v);
	FUZZ_ASSERT(get_last(a0, key, len + 1, &v_a0) == r);
	if (r == 1) {
		spaces_to_a0(v);
		FUZZ_ASSERT(strcmp(v, v_a0) == 0);
	}
	free(v);
	free(v_a0);
	FUZZ_ASSERT(remove_key(cmdline, key, len + 1, &v) == 0);
	FUZZ_ASSERT(remove_key(a0, key, len + 1, &v_a0) == 0);
	spaces_to_a0(v);
	spaces_to_a0(v_a0);
	FUZZ_ASSERT(strcmp(v, v_a0) == 0);
	free(v);
	free(v_a0);
	free(a0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cmdline = fuzz_string(data, size);
	size_t len = strlen(cmdline), i;

	for (i = 0; i < N_KEYS; i++) {
		check_get_last(cmdline, len, keys[i]);
		check_remove(cmdline, len, keys[i], len / 2 + 1);
		check_double_dash(cmdline, len, keys[i]);
		check_a0(cmdline, len, keys[i]);
	}
	for (i = 0; i < sizeof(alike) / sizeof(alike[0]); i++)
		check_alike(cmdline, len, alike[i][0], alike[i][1]);
	free(cmdline);
	return 0;
}
