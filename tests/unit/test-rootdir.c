// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for rootdir.c: every path stays inside the root, through
 * openat2(RESOLVE_IN_ROOT) and through the walk that stands in for it on
 * kernels without openat2. The tree has, outside the root, a directory
 * "outside" whose files say "outside"; inside the root, the same names
 * say "inside", so a test sees at once which one a path reached.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/rootdir.h"

static char base[PATH_MAX]; /* holds outside/ and root/ */
static int root_fd = -1;

static void put(const char *dir, const char *path, const char *text)
{
	char full[PATH_MAX * 2];
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s/%s", base, dir, path);
	f = fopen(full, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void make_dir(const char *dir, const char *path)
{
	char full[PATH_MAX * 2];

	snprintf(full, sizeof(full), "%s/%s/%s", base, dir, path);
	assert_int_equal(mkdir(full, 0755), 0);
}

static void link_in(const char *dir, const char *target, const char *path)
{
	char full[PATH_MAX * 2];

	snprintf(full, sizeof(full), "%s/%s/%s", base, dir, path);
	assert_int_equal(symlink(target, full), 0);
}

/*
 * outside/secret, outside/only-outside, outside/link -> OUTSIDE
 * root/outside/secret, root/outside/link -> INSIDE (the same names inside)
 * root/BASE/outside/secret: where an absolute link to the outside file
 *     lands when resolved inside the root
 * root/abs -> BASE/outside/secret        absolute, to a file outside
 * root/up -> ../outside/secret           climbs above the root
 * root/deep/er/a -> ../../..             climbs above the root from below
 * root/escape -> ../outside              a directory above the root
 * root/sys -> /sys                       the usual mistake in a tree
 * root/loop1 -> loop2, root/loop2 -> loop1
 * root/d/e/f, root/rel -> d/e
 */
static int setup(void **state)
{
	char path[PATH_MAX * 3], dir[PATH_MAX * 2], *p;

	(void)state;
	snprintf(base, sizeof(base), "%s/early-bind-sysfs.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(base));
	make_dir("", "outside");
	make_dir("", "root");
	put("outside", "secret", "outside");
	put("outside", "only-outside", "outside");
	link_in("outside", "OUTSIDE", "link");
	make_dir("root", "outside");
	put("root", "outside/secret", "inside");
	link_in("root", "INSIDE", "outside/link");

	/* root/BASE/outside/secret, every directory of BASE made inside. */
	snprintf(dir, sizeof(dir), "%s/outside", base + 1);
	for (p = dir; (p = strchr(p, '/')); p++) {
		*p = '\0';
		make_dir("root", dir);
		*p = '/';
	}
	make_dir("root", dir);
	snprintf(path, sizeof(path), "%s/secret", dir);
	put("root", path, "inside");

	snprintf(path, sizeof(path), "%s/outside/secret", base);
	link_in("root", path, "abs");
	link_in("root", "../outside/secret", "up");
	make_dir("root", "deep");
	make_dir("root", "deep/er");
	link_in("root", "../../..", "deep/er/a");
	link_in("root", "../outside", "escape");
	link_in("root", "/sys", "sys");
	link_in("root", "loop2", "loop1");
	link_in("root", "loop1", "loop2");
	make_dir("root", "d");
	make_dir("root", "d/e");
	put("root", "d/e/f", "inside");
	link_in("root", "d/e", "rel");

	snprintf(path, sizeof(path), "%s/root", base);
	root_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(root_fd >= 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	close(root_fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	assert_int_equal(system(cmd), 0);
	return 0;
}

typedef int open_fn(int root, const char *path, int flags);

/* What PATH reads through OPEN: the file's text, or "-ERRNAME". */
static const char *read_with(open_fn *open_in_root, const char *path)
{
	static char buf[64];
	ssize_t n;
	int fd = open_in_root(root_fd, path, O_RDONLY);

	if (fd < 0) {
		snprintf(buf, sizeof(buf), "-%s",
			 fd == -ELOOP	 ? "ELOOP"
			 : fd == -ENOENT ? "ENOENT"
					 : "other");
		return buf;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void check_confined(open_fn *open_in_root)
{
	char path[PATH_MAX + 32];

	assert_string_equal(read_with(open_in_root, "outside/secret"), "inside");
	assert_string_equal(read_with(open_in_root, "/outside/secret"), "inside");
	assert_string_equal(read_with(open_in_root, "abs"), "inside");
	assert_string_equal(read_with(open_in_root, "up"), "inside");
	assert_string_equal(read_with(open_in_root, "deep/er/a/outside/secret"), "inside");
	assert_string_equal(read_with(open_in_root, "escape/secret"), "inside");
	assert_string_equal(read_with(open_in_root, "d/../../../outside/secret"), "inside");
	assert_string_equal(read_with(open_in_root, "escape/only-outside"), "-ENOENT");
	assert_string_equal(read_with(open_in_root, "rel/f"), "inside");
	assert_string_equal(read_with(open_in_root, "rel/../e/./f"), "inside");
	/* sys -> /sys is root/sys again: a loop, never the real /sys. */
	assert_string_equal(read_with(open_in_root, "sys/kernel/uevent_seqnum"), "-ELOOP");
	assert_string_equal(read_with(open_in_root, "loop1"), "-ELOOP");
	/* The absolute path of the outside file names its copy inside. */
	snprintf(path, sizeof(path), "%s/outside/secret", base);
	assert_string_equal(read_with(open_in_root, path), "inside");
}

static void test_openat2_stays_inside(void **state)
{
	(void)state;
	check_confined(root_open);
}

static void test_walk_stays_inside(void **state)
{
	(void)state;
	check_confined(root_open_walk);
}

/* The walk ends on directories too, and opens them with the caller's flags. */
static void test_walk_opens_directories(void **state)
{
	struct stat st;
	int fd;

	(void)state;
	fd = root_open_walk(root_fd, "deep/er/a", O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	close(fd);
	assert_int_equal(root_open_walk(root_fd, "", O_RDONLY), -ENOENT);
	assert_int_equal(root_open_walk(root_fd, "d/e/f/g", O_RDONLY), -ENOTDIR);
}

static void test_link_target_parent_inside(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(root_link_target(root_fd, "escape/link", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "INSIDE");
	assert_int_equal(root_link_target(root_fd, "deep/er/a", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "../../..");
	assert_int_equal(root_link_name(root_fd, "rel", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "e");
}

static void test_exists_inside(void **state)
{
	(void)state;
	assert_true(root_exists(root_fd, "escape/secret"));
	assert_false(root_exists(root_fd, "escape/only-outside"));
	assert_false(root_exists(root_fd, "sys/bus/pci"));
}

static void test_write_inside(void **state)
{
	char buf[64], outside[PATH_MAX + 32];
	FILE *f;

	(void)state;
	assert_int_equal(root_write(root_fd, "abs", "written"), 0);
	assert_int_equal(root_read(root_fd, "abs", buf, sizeof(buf)), (int)strlen("insidewritten"));
	assert_string_equal(buf, "insidewritten");
	snprintf(outside, sizeof(outside), "%s/outside/secret", base);
	f = fopen(outside, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "outside");
}

static void test_opendir_inside(void **state)
{
	struct dirent *de;
	DIR *dir;
	int link = 0, secret = 0, other = 0;

	(void)state;
	dir = root_opendir(root_fd, "escape");
	assert_non_null(dir);
	while ((de = readdir(dir))) {
		if (strcmp(de->d_name, "link") == 0)
			link++;
		else if (strcmp(de->d_name, "secret") == 0)
			secret++;
		else if (de->d_name[0] != '.')
			other++;
	}
	closedir(dir);
	assert_int_equal(link + secret, 2);
	assert_int_equal(other, 0);
}

/* A FIFO without a reader fails at once instead of blocking the writer. */
static void test_write_fifo_does_not_block(void **state)
{
	char path[PATH_MAX + 16];

	(void)state;
	snprintf(path, sizeof(path), "%s/root/fifo", base);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(root_write(root_fd, "fifo", "1"), -ENXIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openat2_stays_inside),
		cmocka_unit_test(test_walk_stays_inside),
		cmocka_unit_test(test_walk_opens_directories),
		cmocka_unit_test(test_link_target_parent_inside),
		cmocka_unit_test(test_exists_inside),
		cmocka_unit_test(test_write_inside),
		cmocka_unit_test(test_opendir_inside),
		cmocka_unit_test(test_write_fifo_does_not_block),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
