/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * All file access goes through one root directory fd and relative paths
 * ("sys/bus/pci/..."), so --sysroot moves every path the program touches.
 */

/* Formats a relative path; returns 0 or -ENAMETOOLONG. */
int path_format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reads a small attribute without its trailing newline; returns its length or -errno. */
int sysfs_read(int root_fd, const char *path, char *buf, size_t size);

/*
 * Writes VALUE plus a newline in one write(). O_APPEND is harmless on sysfs
 * (it ignores the offset) and makes a fixture file keep every write, so the
 * tests see the whole sequence. Returns 0 or -errno.
 */
int sysfs_write(int root_fd, const char *path, const char *value);

/* A symlink's whole target, NUL-terminated (cut at SIZE - 1); 0 or -errno. */
int sysfs_link_target(int root_fd, const char *path, char *buf, size_t size);

/* Last component of a symlink's target (a driver or group name); -errno. */
int sysfs_link_name(int root_fd, const char *path, char *buf, size_t size);

bool sysfs_exists(int root_fd, const char *path);

/* Opens a directory for readdir(); NULL with errno set when it cannot. */
DIR *sysfs_opendir(int root_fd, const char *path);

/* Whether the directory has at least one entry besides . and ..; -errno. */
int sysfs_dir_has_entries(int root_fd, const char *path);

/*
 * Reads a whole file of at most MAX bytes (proc files that span pages,
 * modules.builtin) into a NUL-terminated malloc'ed *BUF. Returns its
 * length or -errno; -EFBIG when it is longer.
 */
long sysfs_read_all(int root_fd, const char *path, size_t max, char **buf);
