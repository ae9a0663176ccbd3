// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * modprobe.d without a tree: the input as one modprobe.d file for
 * modprobe_find_option(), as a modules.builtin for
 * modprobe_index_lists(), and as file names, one a line, for
 * modprobe_files_add(). (modprobe_module_param() only adds the directory
 * walk and cmdline_get_last(), which fuzz-cmdline covers.) Properties: a
 * value found fits its buffer, a buffer of just its size gets it again (or
 * -E2BIG, for a longer value on an earlier line) and one byte less gets
 * -E2BIG; vfio-pci and vfio_pci are the same module; an options line before
 * the text loses to one in it; a plain value found is found again on an
 * options line of its own; the file list stays in strict name order with
 * only the names kmod reads, each added once.
 */
#include <errno.h>

#include "engine/cmdline.h"
#include "fuzz.h"
#include "engine/modprobe.h"

#define FIRST_LINE "options vfio-pci ids=first:1\n"
#define OWN_LINE "options vfio_pci ids=%s\n"

/* modprobe_find_option() for vfio_pci's ids into a heap buffer of exactly SIZE bytes. */
static int find(const char *text, const char *module, size_t size, char **value)
{
	int r;

	*value = malloc(size ? size : 1);
	FUZZ_ASSERT(*value);
	r = modprobe_find_option(text, module, "ids", *value, size);
	FUZZ_ASSERT(r == 0 || r == 1 || r == -E2BIG);
	if (r == 1)
		FUZZ_ASSERT(strlen(*value) < size);
	return r;
}

static bool plain(const char *value)
{
	for (; *value; value++)
		if (strchr(" \t\n\v\f\r\"\\\xa0", *value))
			return false;
	return true;
}

/* A plain value alone on an options line is found as it is. */
static void check_plain_found_again(const char *value)
{
	size_t len = strlen(value);
	char *line = malloc(sizeof(OWN_LINE) + len), *again;

	FUZZ_ASSERT(line);
	sprintf(line, OWN_LINE, value);
	FUZZ_ASSERT(find(line, "vfio_pci", len + 1, &again) == 1);
	FUZZ_ASSERT(strcmp(value, again) == 0);
	free(again);
	free(line);
}

static void check_find(const char *text, size_t len)
{
	char *value, *again, *with_first;
	int r;

	/* A value is a part of the text, so LEN + 1 always holds it. */
	r = find(text, "vfio_pci", len + 1, &value);
	FUZZ_ASSERT(r != -E2BIG);
	FUZZ_ASSERT(find(text, "vfio-pci", len + 1, &again) == r);
	FUZZ_ASSERT(r == 0 || strcmp(value, again) == 0);
	free(again);

	with_first = malloc(sizeof(FIRST_LINE) + len);
	FUZZ_ASSERT(with_first);
	memcpy(with_first, FIRST_LINE, sizeof(FIRST_LINE) - 1);
	memcpy(with_first + sizeof(FIRST_LINE) - 1, text, len + 1);
	FUZZ_ASSERT(find(with_first, "vfio_pci", len + sizeof(FIRST_LINE), &again) == 1);
	FUZZ_ASSERT(strcmp(again, r == 1 ? value : "first:1") == 0);
	free(again);
	free(with_first);

	if (r == 1) {
		size_t value_len = strlen(value);

		/* -E2BIG too when an earlier line's value, overridden, does not fit. */
		r = find(text, "vfio_pci", value_len + 1, &again);
		FUZZ_ASSERT(r == -E2BIG || (r == 1 && strcmp(value, again) == 0));
		free(again);
		FUZZ_ASSERT(find(text, "vfio_pci", value_len, &again) == -E2BIG);
		free(again);
		if (plain(value))
			check_plain_found_again(value);
	}
	free(value);
}

static void check_builtin(const char *text, size_t len)
{
	static const char line[] = "kernel/drivers/vfio/pci/vfio-pci.ko\n";
	bool listed = modprobe_index_lists(text, MODULES_BUILTIN, "vfio_pci");
	char *with_line;

	FUZZ_ASSERT(modprobe_index_lists(text, MODULES_BUILTIN, "vfio-pci") == listed);
	FUZZ_ASSERT(!listed || strstr(text, ".ko"));
	with_line = malloc(sizeof(line) + len);
	FUZZ_ASSERT(with_line);
	memcpy(with_line, line, sizeof(line) - 1);
	memcpy(with_line + sizeof(line) - 1, text, len + 1);
	FUZZ_ASSERT(modprobe_index_lists(with_line, MODULES_BUILTIN, "vfio_pci"));
	free(with_line);
}

static bool listed(const struct modprobe_files *files, const char *name)
{
	size_t i;

	for (i = 0; i < files->count; i++)
		if (strcmp(files->items[i].name, name) == 0)
			return true;
	return false;
}

static bool config_name(const char *name, size_t len)
{
	return name[0] != '.' && ((len > 5 && strcmp(name + len - 5, ".conf") == 0) ||
				  (len > 6 && strcmp(name + len - 6, ".alias") == 0));
}

/* Each line of TEXT a name, found in one of two directories in turn. */
static void check_files(char *text)
{
	static const char *const dirs[] = { "etc/modprobe.d", "lib/modprobe.d" };
	struct modprobe_files files = { 0 };
	char *name, *save = NULL;
	size_t i, n = 0, before;
	int r;

	for (name = strtok_r(text, "\n", &save); name; name = strtok_r(NULL, "\n", &save), n++) {
		bool was_listed = listed(&files, name);

		before = files.count;
		r = modprobe_files_add(&files, dirs[n % 2], name);
		FUZZ_ASSERT(r == (!was_listed && config_name(name, strlen(name))));
		FUZZ_ASSERT(files.count == before + (size_t)r);
		FUZZ_ASSERT(listed(&files, name) == (was_listed || r == 1));
	}
	for (i = 0; i < files.count; i++) {
		FUZZ_ASSERT(config_name(files.items[i].name, strlen(files.items[i].name)));
		FUZZ_ASSERT(i == 0 || strcmp(files.items[i - 1].name, files.items[i].name) < 0);
	}
	modprobe_files_free(&files);
	FUZZ_ASSERT(files.count == 0 && !files.items);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	size_t len = strlen(text);

	check_find(text, len);
	check_builtin(text, len);
	check_files(text); /* last: it cuts TEXT into lines */
	free(text);
	return 0;
}
