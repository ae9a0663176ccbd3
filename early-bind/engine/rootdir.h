/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * All file access goes through one root directory fd and relative paths
 * ("sys/bus/pci/..."), so --sysroot moves every path the program touches.
 * Paths are resolved inside that root: an absolute symlink (sys -> /sys)
 * restarts at the root, ".." stops there, so a tree never leads out.
 */

/*
 * Opens PATH below ROOT_FD with FLAGS (O_CLOEXEC added), resolved as if
 * ROOT_FD were "/": openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS), or
 * root_open_walk() on kernels without it. Returns the fd or -errno.
 */
int root_open(int root_fd, const char *path, int flags);

/*
 * The same resolution done in user space, one component at a time with
 * O_PATH | O_NOFOLLOW, following at most 40 symlinks; exported so the
 * tests cover kernels without openat2 (before 5.6). The fd or -errno.
 */
int root_open_walk(int root_fd, const char *path, int flags);

/*
 * Opens directory PATH (O_PATH), creating it (0755) when missing; its
 * parent is resolved inside the root and PATH itself must not be a
 * symlink. Files made with openat(fd, NAME, O_CREAT | O_NOFOLLOW) in it
 * stay inside the root. Returns the fd or -errno.
 */
int root_make_dir(int root_fd, const char *path);

/* Formats a relative path; returns 0 or -ENAMETOOLONG. */
int path_format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * What root_open_file() returns for a FIFO, a socket or a device where a
 * file belongs (no file system early-bind reads gives this errno for a
 * file); root_strerror() words it.
 */
#define ENOTREGULAR EMEDIUMTYPE

/*
 * Opens the regular file PATH with FLAGS, without blocking: a FIFO would
 * wait for a writer (or a reader) forever, so the open is O_NONBLOCK and
 * anything but a regular file is refused: -EISDIR, -ENOTREGULAR. Returns
 * the fd or -errno.
 */
int root_open_file(int root_fd, const char *path, int flags);

/* strerror(-ERR), with root_open_file()'s -ENOTREGULAR said plainly. */
const char *root_strerror(int err);

/* Reads a small attribute without its trailing newline; returns its length or -errno. */
int root_read(int root_fd, const char *path, char *buf, size_t size);

/*
 * Writes VALUE plus a newline in one write(). The open does not block (a
 * FIFO without a reader fails with -ENXIO). O_APPEND is harmless on sysfs
 * (it ignores the offset) and makes a fixture file keep every write, so the
 * tests see the whole sequence. Returns 0 or -errno.
 */
int root_write(int root_fd, const char *path, const char *value);

/* A symlink's whole target, NUL-terminated (cut at SIZE - 1); 0 or -errno. */
int root_link_target(int root_fd, const char *path, char *buf, size_t size);

/* Last component of a symlink's target (a driver or group name); -errno. */
int root_link_name(int root_fd, const char *path, char *buf, size_t size);

bool root_exists(int root_fd, const char *path);

/* Opens a directory for readdir(); NULL with errno set when it cannot. */
DIR *root_opendir(int root_fd, const char *path);

/* Whether the directory has at least one entry besides . and ..; -errno. */
int root_dir_has_entries(int root_fd, const char *path);

/*
 * Reads a whole file (proc files that span pages, modules.builtin) into a
 * NUL-terminated malloc'ed *BUF. Opened with root_open_file(): never
 * blocks. Returns its length or -errno. MAX bounds the buffer, not the
 * file: the buffer doubles from 4 KiB, and -EFBIG comes once one larger
 * than MAX is full. So the longest file read is two bytes short of the
 * first of 4 KiB, 8 KiB, 16 KiB... above MAX: at least MAX - 1 bytes,
 * and below twice MAX when MAX is 4 KiB or more.
 */
long root_read_all(int root_fd, const char *path, size_t max, char **buf);
