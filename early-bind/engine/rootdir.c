// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/rootdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* musl's headers lack it; the number is the same on every architecture but alpha. */
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* The kernel's own limit on symlinks in one lookup (MAXSYMLINKS). */
#define SYMLINKS_MAX 40

/* openat2() attempts after EAGAIN before the walk in user space takes over. */
#define OPENAT2_TRIES 8

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

/* Splices symlink TARGET in front of the unresolved REST, in REST's buffer. */
static int splice_target(const char *target, char *rest, size_t size)
{
	size_t target_len = strlen(target), rest_len = strlen(rest);

	if (target_len + 1 + rest_len >= size)
		return -ENAMETOOLONG;
	memmove(rest + target_len + 1, rest, rest_len + 1);
	memcpy(rest, target, target_len);
	rest[target_len] = '/';
	return 0;
}

/* Replaces *CUR by FD (closing the old one); -errno when FD is an error. */
static int step_to(int *cur, int fd)
{
	if (fd < 0)
		return -errno;
	close(*cur);
	*cur = fd;
	return 0;
}

/*
 * Follows the symlink LINK (an O_PATH fd): its target goes in front of
 * REST; an absolute one restarts at the root. Returns 0 or -errno.
 */
static int follow_link(int root_fd, int *cur, unsigned *depth, int link, char *rest, size_t size)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(link, "", target, sizeof(target) - 1);
	int err;

	if (n < 0)
		return -errno;
	target[n] = '\0';
	err = splice_target(target, rest, size);
	if (err < 0 || target[0] != '/')
		return err;
	*depth = 0;
	return step_to(cur, openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
}

struct walk {
	int root_fd, cur;
	unsigned depth, links;
	char rest[2 * PATH_MAX]; /* what is left to resolve */
};

/*
 * One step of the walk: NAME (not empty) in W->cur. Directories are
 * entered, symlinks spliced into the rest, ".." never climbs above the
 * root. LAST is the final component, which FLAGS open (never following a
 * link, so one swapped in since the check fails instead of leading out):
 * returns 1 with *FD set then, 0 to go on, or -errno.
 */
static int walk_step(struct walk *w, const char *name, bool last, int flags, int *fd)
{
	struct stat st;
	int entry, err;

	if (strcmp(name, "..") == 0) {
		if (w->depth == 0)
			return 0;
		w->depth--;
		return step_to(&w->cur, openat(w->cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC));
	}
	entry = openat(w->cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (entry < 0)
		return -errno;
	if (fstat(entry, &st) < 0) {
		err = -errno;
	} else if (S_ISLNK(st.st_mode)) {
		err = ++w->links > SYMLINKS_MAX ? -ELOOP
						: follow_link(w->root_fd, &w->cur, &w->depth, entry,
							      w->rest, sizeof(w->rest));
	} else if (last) {
		*fd = openat(w->cur, name, flags | O_NOFOLLOW | O_CLOEXEC);
		err = *fd < 0 ? -errno : 1;
	} else if (!S_ISDIR(st.st_mode)) {
		err = -ENOTDIR;
	} else {
		w->depth++;
		return step_to(&w->cur, entry);
	}
	close(entry);
	return err;
}

/* Takes the next component of W->rest into NAME; its length, 0 at the end, or -errno. */
static int next_component(struct walk *w, char *name, size_t size)
{
	char *p = w->rest + strspn(w->rest, "/");
	size_t len = strcspn(p, "/");

	if (len >= size)
		return -ENAMETOOLONG;
	memcpy(name, p, len);
	name[len] = '\0';
	memmove(w->rest, p + len, strlen(p + len) + 1);
	return (int)len;
}

int root_open_walk(int root_fd, const char *path, int flags)
{
	struct walk w = { .root_fd = root_fd };
	char name[NAME_MAX + 1];
	int r, fd = -1;

	if (!*path)
		return -ENOENT;
	if (strlen(path) >= sizeof(w.rest))
		return -ENAMETOOLONG;
	strcpy(w.rest, path);
	w.cur = openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (w.cur < 0)
		return -errno;
	while ((r = next_component(&w, name, sizeof(name))) > 0) {
		if (strcmp(name, ".") == 0)
			continue;
		r = walk_step(&w, name, w.rest[strspn(w.rest, "/")] == '\0', flags, &fd);
		if (r != 0)
			break;
	}
	if (r == 0) {
		/* The path ended on a directory ("a/..", "."): open that one. */
		fd = openat(w.cur, ".", flags | O_CLOEXEC);
		r = fd < 0 ? -errno : 1;
	}
	close(w.cur);
	return r < 0 ? r : fd;
}

int root_open(int root_fd, const char *path, int flags)
{
	static bool no_openat2;
	struct open_how how = {
		.flags = (unsigned)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	unsigned tries;
	long fd;

	/*
	 * EAGAIN: a rename or mount anywhere on the system raced the lookup,
	 * and the kernel cannot vouch that it stayed inside; it asks for a retry.
	 * After a few, the walk in user space does the same job.
	 */
	for (tries = 0; !no_openat2 && tries < OPENAT2_TRIES; tries++) {
		fd = syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
		if (fd >= 0)
			return (int)fd;
		if (errno == EAGAIN)
			continue;
		/* Kernels before 5.6 lack it; seccomp filters may refuse it. */
		if (errno != ENOSYS && errno != EINVAL && errno != EPERM)
			return -errno;
		no_openat2 = errno == ENOSYS;
		break;
	}
	return root_open_walk(root_fd, path, flags);
}

/* The directory holding PATH's last component, opened inside the root; *LAST names it. */
static int open_parent(int root_fd, const char *path, const char **last)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (!slash) {
		*last = path;
		return root_open(root_fd, ".", O_PATH | O_DIRECTORY);
	}
	*last = slash + 1;
	if ((size_t)(slash - path) >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	return root_open(root_fd, slash == path ? "." : dir, O_PATH | O_DIRECTORY);
}

int root_make_dir(int root_fd, const char *path)
{
	const char *last;
	int parent = open_parent(root_fd, path, &last), fd;

	if (parent < 0)
		return parent;
	/* mkdirat() never follows a link in the last component; O_NOFOLLOW refuses one. */
	if (mkdirat(parent, last, 0755) < 0 && errno != EEXIST)
		fd = -errno;
	else if ((fd = openat(parent, last, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		fd = -errno;
	close(parent);
	return fd;
}

int root_open_file(int root_fd, const char *path, int flags)
{
	struct stat st;
	int fd = root_open(root_fd, path, flags | O_NONBLOCK | O_NOCTTY), err = 0;

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		err = -errno;
	else if (S_ISDIR(st.st_mode))
		err = -EISDIR;
	else if (!S_ISREG(st.st_mode))
		err = -ENOTREGULAR;
	if (err < 0) {
		close(fd);
		return err;
	}
	return fd;
}

const char *root_strerror(int err)
{
	if (err == -ENOTREGULAR)
		return "not a regular file (a FIFO, a socket or a device), so it was not opened: reading it could wait forever";
	return strerror(-err);
}

int root_read(int root_fd, const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd, err = 0;

	if (size == 0)
		return -EINVAL;
	fd = root_open(root_fd, path, O_RDONLY | O_NOCTTY);
	if (fd < 0)
		return fd;
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

int root_write(int root_fd, const char *path, const char *value)
{
	char line[256];
	size_t len;
	ssize_t n;
	int fd, err = 0;

	if (path_format(line, sizeof(line), "%s\n", value) < 0)
		return -E2BIG;
	len = strlen(line);
	/* O_NONBLOCK: a FIFO without a reader fails with ENXIO instead of hanging the boot. */
	fd = root_open(root_fd, path, O_WRONLY | O_APPEND | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fd;
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

/* One link read in directory DIR: readlinkat() never follows LAST itself. */
static int read_link_in(int dir, const char *last, char *buf, size_t size)
{
	ssize_t n = readlinkat(dir, last, buf, size - 1);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int root_link_target(int root_fd, const char *path, char *buf, size_t size)
{
	const char *last;
	int dir, err;

	/* A name in the root itself (a function's "driver") needs no directory opened. */
	if (!strchr(path, '/'))
		return read_link_in(root_fd, path, buf, size);
	dir = open_parent(root_fd, path, &last);
	if (dir < 0)
		return dir;
	err = read_link_in(dir, last, buf, size);
	close(dir);
	return err;
}

int root_link_name(int root_fd, const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	const char *name;
	int err = root_link_target(root_fd, path, target, sizeof(target));

	if (err < 0)
		return err;
	name = strrchr(target, '/');
	name = name ? name + 1 : target;
	if (strlen(name) >= size)
		return -ENAMETOOLONG;
	strcpy(buf, name);
	return 0;
}

bool root_exists(int root_fd, const char *path)
{
	int fd = root_open(root_fd, path, O_PATH);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

DIR *root_opendir(int root_fd, const char *path)
{
	int fd = root_open(root_fd, path, O_RDONLY | O_DIRECTORY), err;
	DIR *dir;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	dir = fdopendir(fd);
	if (!dir) {
		err = errno;
		close(fd);
		errno = err;
	}
	return dir;
}

int root_dir_has_entries(int root_fd, const char *path)
{
	struct dirent *de;
	DIR *dir = root_opendir(root_fd, path);
	int found = 0;

	if (!dir)
		return -errno;
	while (!found && (de = readdir(dir)))
		found = strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(dir);
	return found;
}

long root_read_all(int root_fd, const char *path, size_t max, char **buf)
{
	size_t used = 0, size = 0;
	char *data = NULL, *bigger;
	ssize_t n;
	int fd, err = 0;

	*buf = NULL;
	fd = root_open_file(root_fd, path, O_RDONLY);
	if (fd < 0)
		return fd;
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
