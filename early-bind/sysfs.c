// SPDX-License-Identifier: GPL-2.0-or-later
#include "sysfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"

int path_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

int sysfs_read(int root_fd, const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd, err = 0;

	if (size == 0)
		return -EINVAL;
	fd = openat(root_fd, path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		err = -errno;
	close(fd);
	if (err)
		return err;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return (int)n;
}

int sysfs_write(int root_fd, const char *path, const char *value)
{
	char line[256];
	size_t len;
	ssize_t n;
	int fd, err = 0;

	if (path_format(line, sizeof(line), "%s\n", value) < 0)
		return -E2BIG;
	len = strlen(line);
	progress_step("writing '%s' to /%s", value, path);
	fd = openat(root_fd, path, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do
		n = write(fd, line, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

int sysfs_link_target(int root_fd, const char *path, char *buf, size_t size)
{
	ssize_t n = readlinkat(root_fd, path, buf, size - 1);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int sysfs_link_name(int root_fd, const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	const char *name;
	int err = sysfs_link_target(root_fd, path, target, sizeof(target));

	if (err < 0)
		return err;
	name = strrchr(target, '/');
	name = name ? name + 1 : target;
	if (strlen(name) >= size)
		return -ENAMETOOLONG;
	strcpy(buf, name);
	return 0;
}

bool sysfs_exists(int root_fd, const char *path)
{
	return faccessat(root_fd, path, F_OK, 0) == 0;
}

DIR *sysfs_opendir(int root_fd, const char *path)
{
	int fd = openat(root_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), err;
	DIR *dir;

	if (fd < 0)
		return NULL;
	dir = fdopendir(fd);
	if (!dir) {
		err = errno;
		close(fd);
		errno = err;
	}
	return dir;
}

int sysfs_dir_has_entries(int root_fd, const char *path)
{
	struct dirent *de;
	DIR *dir = sysfs_opendir(root_fd, path);
	int found = 0;

	if (!dir)
		return -errno;
	while (!found && (de = readdir(dir)))
		found = strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(dir);
	return found;
}

long sysfs_read_all(int root_fd, const char *path, size_t max, char **buf)
{
	size_t used = 0, size = 0;
	char *data = NULL, *bigger;
	ssize_t n;
	int fd, err = 0;

	*buf = NULL;
	fd = openat(root_fd, path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (used + 1 >= size) {
			if (size > max) {
				err = -EFBIG;
				break;
			}
			size = size ? size * 2 : 4096;
			bigger = realloc(data, size);
			if (!bigger) {
				err = -ENOMEM;
				break;
			}
			data = bigger;
		}
		n = read(fd, data + used, size - used - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		used += (size_t)n;
	}
	close(fd);
	if (err) {
		free(data);
		return err;
	}
	data[used] = '\0';
	*buf = data;
	return (long)used;
}
