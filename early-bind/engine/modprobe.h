/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * The options modprobe (libkmod) passes a module, read the way kmod 30
 * reads them (libkmod-config.c), without libkmod: its command-line half
 * reads the running system's /proc/cmdline even for a --sysroot tree.
 *
 * modprobe.d: the "*.conf" (and "*.alias") files of /etc, /run,
 * /usr/local/lib, /lib and /usr/lib's modprobe.d, where a file name in an
 * earlier directory hides the same name in a later one, read in name
 * order across directories; a backslash before a newline continues the
 * line; a line starting with '#' is a comment; "options MODULE OPTS..."
 * with '-' and '_' alike in MODULE. All the options lines of a module are
 * concatenated, then the kernel command line's MODULE.PARAM= ones, and
 * the kernel applies them in order: the last PARAM= wins.
 */

/* The source of a value that comes from the kernel command line. */
#define MODPROBE_CMDLINE "cmdline"
#define MODPROBE_SOURCE_MAX 512

/*
 * The last PARAM= of MODULE's "options" lines in TEXT, one modprobe.d
 * file. Returns 1 with VALUE set (SIZE bytes with the terminator), 0 when
 * TEXT sets none, -E2BIG when the value does not fit, -ENOMEM.
 */
int modprobe_find_option(const char *text, const char *module, const char *param, char *value,
			 size_t size);

/* The modprobe.d files to read, in the order kmod reads them. */
struct modprobe_file {
	const char *dir; /* "etc/modprobe.d"... */
	char *name;
};

struct modprobe_files {
	struct modprobe_file *items;
	size_t count;
};

/*
 * Adds NAME, found in DIR, unless kmod would skip it (a dot file, a name
 * ending neither in ".conf" nor in ".alias") or a directory added before
 * holds the same name.
 * Keeps the list in name order. Returns 1 when added, 0 when skipped,
 * -ENOMEM.
 */
int modprobe_files_add(struct modprobe_files *files, const char *dir, const char *name);
void modprobe_files_free(struct modprobe_files *files);

/* The module lists depmod writes in lib/modules/RELEASE. */
enum module_index {
	MODULES_BUILTIN, /* "kernel/drivers/vfio/pci/vfio-pci.ko" a line */
	MODULES_DEP,	 /* "kernel/.../nvidia.ko.xz: DEPS" a line, maybe compressed */
};

/* Whether TEXT, the content of such a list, names MODULE ('-' and '_' alike). */
bool modprobe_index_lists(const char *text, enum module_index index, const char *module);

/*
 * Whether ROOT_FD/lib/modules/RELEASE's INDEX list names MODULE: 1, 0, or
 * -errno when the list cannot be read.
 */
int modprobe_listed(int root_fd, const char *release, enum module_index index, const char *module);

/* Whether ROOT_FD/lib/modules/RELEASE/modules.builtin lists MODULE. */
bool modprobe_builtin(int root_fd, const char *release, const char *module);

/*
 * The value the kernel gives MODULE's PARAM: the kernel command line's
 * MODULE.PARAM= (CMDLINE, '-' and '_' alike) when it has one, since
 * libkmod puts it last, else the last one in modprobe.d below ROOT_FD,
 * unless the module is BUILTIN: the kernel applies only the command line
 * to those. Sets SOURCE to MODPROBE_CMDLINE or the file
 * ("/etc/modprobe.d/vfio.conf"). Returns 1, 0 when PARAM is not set, or
 * -errno (-E2BIG: longer than SIZE - 1). Unreadable directories and files
 * are skipped, as kmod skips them.
 */
int modprobe_module_param(int root_fd, const char *cmdline, const char *module, const char *param,
			  bool builtin, char *value, size_t size, char *source, size_t source_size);
