// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/modprobe.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/cmdline.h"
#include "engine/rootdir.h"

#define BLANKS " \t"
#define FILE_MAX (1 << 20)
/* modules.dep of a distribution kernel is about 1 MiB; Arch's and Fedora's no more than a few. */
#define INDEX_MAX (16 << 20)

/*
 * The next logical line of P into LINE, as kmod's freadline_wrapped():
 * a backslash before a newline joins the lines, before any other byte it
 * is dropped and the byte kept. Returns where the following line starts.
 */
static const char *next_line(const char *p, char *line)
{
	size_t n = 0;

	for (; *p && *p != '\n'; p++) {
		if (*p == '\\') {
			if (p[1] == '\n') {
				p++;
				continue;
			}
			if (!p[1])
				break;
			p++;
		}
		line[n++] = *p;
	}
	line[n] = '\0';
	return *p ? p + 1 : p;
}

/*
 * The OPTS of "options MODULE OPTS", or NULL for any other line. A comment
 * ('#' first) never starts with the word "options", and kmod only allows
 * comments there: "options vfio-pci ids=1 # old" passes "#" and "old" on.
 */
static const char *options_of(const char *line, const char *module)
{
	size_t len;

	line += strspn(line, BLANKS);
	len = strcspn(line, BLANKS);
	if (len != strlen("options") || strncmp(line, "options", len) != 0)
		return NULL;
	line += len;
	line += strspn(line, BLANKS);
	len = strcspn(line, BLANKS);
	if (!cmdline_names_equal(line, len, module) || !line[len])
		return NULL; /* kmod ignores "options MODULE" without options */
	return line + len + 1;
}

int modprobe_find_option(const char *text, const char *module, const char *param, char *value,
			 size_t size)
{
	char *line = malloc(strlen(text) + 1);
	const char *p = text, *opts;
	int found = 0, r;

	if (!line)
		return -ENOMEM;
	while (*p && found >= 0) {
		p = next_line(p, line);
		opts = options_of(line, module);
		r = opts ? cmdline_get_last(opts, param, value, size) : 0;
		if (r != 0)
			found = r;
	}
	free(line);
	return found;
}

static bool ends_with(const char *name, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len > n && strcmp(name + len - n, suffix) == 0;
}

/* kmod's conf_files_filter_out(): *.conf, and *.alias from older setups. */
static bool is_config_name(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && (ends_with(name, len, ".conf") || ends_with(name, len, ".alias"));
}

int modprobe_files_add(struct modprobe_files *files, const char *dir, const char *name)
{
	struct modprobe_file *items;
	size_t i;
	int cmp = 1;

	if (!is_config_name(name))
		return 0;
	for (i = 0; i < files->count; i++) {
		cmp = strcmp(name, files->items[i].name);
		if (cmp <= 0)
			break;
	}
	if (cmp == 0)
		return 0; /* an earlier directory's file of that name wins */
	items = realloc(files->items, (files->count + 1) * sizeof(*items));
	if (!items)
		return -ENOMEM;
	files->items = items;
	memmove(&items[i + 1], &items[i], (files->count - i) * sizeof(*items));
	items[i].dir = dir;
	items[i].name = strdup(name);
	if (!items[i].name) {
		memmove(&items[i], &items[i + 1], (files->count - i) * sizeof(*items));
		return -ENOMEM;
	}
	files->count++;
	return 1;
}

void modprobe_files_free(struct modprobe_files *files)
{
	size_t i;

	for (i = 0; i < files->count; i++)
		free(files->items[i].name);
	free(files->items);
	files->items = NULL;
	files->count = 0;
}

/* Regular files only: a FIFO named *.conf must not hang the boot. */
static int add_dir(int root_fd, const char *dir, struct modprobe_files *files)
{
	DIR *d = root_opendir(root_fd, dir);
	struct dirent *de;
	struct stat st;
	int err = 0;

	if (!d)
		return 0;
	while (err >= 0 && (de = readdir(d)))
		if (fstatat(dirfd(d), de->d_name, &st, 0) == 0 && S_ISREG(st.st_mode))
			err = modprobe_files_add(files, dir, de->d_name);
	closedir(d);
	return err < 0 ? err : 0;
}

static int list_files(int root_fd, struct modprobe_files *files)
{
	static const char *const dirs[] = { "etc/modprobe.d", "run/modprobe.d",
					    "usr/local/lib/modprobe.d", "lib/modprobe.d",
					    "usr/lib/modprobe.d" };
	size_t i;
	int err = 0;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && err == 0; i++)
		err = add_dir(root_fd, dirs[i], files);
	return err;
}

static int find_in_file(int root_fd, const struct modprobe_file *file, const char *module,
			const char *param, char *value, size_t size)
{
	char path[PATH_MAX], *text;
	int r;

	if (path_format(path, sizeof(path), "%s/%s", file->dir, file->name) < 0 ||
	    root_read_all(root_fd, path, FILE_MAX, &text) < 0)
		return 0;
	r = modprobe_find_option(text, module, param, value, size);
	free(text);
	return r;
}

static int find_in_modprobe_d(int root_fd, const char *module, const char *param, char *value,
			      size_t size, char *source, size_t source_size)
{
	struct modprobe_files files = { 0 };
	size_t i;
	int found = 0, r;

	r = list_files(root_fd, &files);
	for (i = 0; r == 0 && i < files.count; i++) {
		r = find_in_file(root_fd, &files.items[i], module, param, value, size);
		if (r > 0) {
			snprintf(source, source_size, "/%s/%s", files.items[i].dir,
				 files.items[i].name);
			found = r;
			r = 0;
		}
	}
	modprobe_files_free(&files);
	return r < 0 ? r : found;
}

/*
 * Whether FILE (LEN bytes: "NAME.ko"; in modules.dep maybe compressed) is
 * MODULE's ('-' and '_' alike).
 */
static bool module_file_names(const char *file, size_t len, enum module_index index,
			      const char *module)
{
	static const char *const suffixes[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };
	size_t i, n, tried = index == MODULES_DEP ? sizeof(suffixes) / sizeof(suffixes[0]) : 1;

	for (i = 0; i < tried; i++) {
		n = strlen(suffixes[i]);
		if (len > n && strncmp(file + len - n, suffixes[i], n) == 0)
			return cmdline_names_equal(file, len - n, module);
	}
	return false;
}

bool modprobe_index_lists(const char *text, enum module_index index, const char *module)
{
	const char *line, *base, *end;
	size_t len;

	for (line = text; *line; line += len + (line[len] == '\n')) {
		len = strcspn(line, "\n");
		/* modules.dep: the module's path, then ':' and its dependencies. */
		end = line + (index == MODULES_DEP ? strcspn(line, ":\n") : len);
		for (base = end; base > line && base[-1] != '/'; base--)
			;
		if (module_file_names(base, (size_t)(end - base), index, module))
			return true;
	}
	return false;
}

int modprobe_listed(int root_fd, const char *release, enum module_index index, const char *module)
{
	static const char *const names[] = {
		[MODULES_BUILTIN] = "modules.builtin", [MODULES_DEP] = "modules.dep"
	};
	char path[PATH_MAX], *text;
	long r;
	bool found;

	if (path_format(path, sizeof(path), "lib/modules/%s/%s", release, names[index]) < 0)
		return -ENAMETOOLONG;
	r = root_read_all(root_fd, path, INDEX_MAX, &text);
	if (r < 0)
		return (int)r;
	found = modprobe_index_lists(text, index, module);
	free(text);
	return found;
}

bool modprobe_builtin(int root_fd, const char *release, const char *module)
{
	return modprobe_listed(root_fd, release, MODULES_BUILTIN, module) > 0;
}

int modprobe_module_param(int root_fd, const char *cmdline, const char *module, const char *param,
			  bool builtin, char *value, size_t size, char *source, size_t source_size)
{
	char key[128];
	int r;

	if (snprintf(key, sizeof(key), "%s.%s", module, param) >= (int)sizeof(key))
		return -ENAMETOOLONG;
	r = cmdline_get_last(cmdline, key, value, size);
	if (r != 0) {
		snprintf(source, source_size, "%s", MODPROBE_CMDLINE);
		return r;
	}
	if (builtin)
		return 0;
	return find_in_modprobe_d(root_fd, module, param, value, size, source, source_size);
}
