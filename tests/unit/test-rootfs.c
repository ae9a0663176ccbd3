// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for rootfs.c: an initramfs is the kernel's rootfs plus a file
 * only an initramfs has; a tmpfs root (systemd.volatile=yes, diskless
 * Alpine) or a rootfs without the marker is a running system.
 */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/rootfs.h"

#define ROOTFS_MOUNTS "rootfs / rootfs rw,size=12251712k 0 0\nproc /proc proc rw 0 0\n"
#define TMPFS_MOUNTS "tmpfs / tmpfs rw,mode=755 0 0\nproc /proc proc rw 0 0\n"

static char dir[PATH_MAX];

static void put(const char *path, const char *text)
{
	char full[PATH_MAX * 2];
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", dir, path);
	f = fopen(full, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void make_dir(const char *path)
{
	char full[PATH_MAX * 2];

	snprintf(full, sizeof(full), "%s/%s", dir, path);
	assert_int_equal(mkdir(full, 0755), 0);
}

static void make_link(const char *target, const char *path)
{
	char full[PATH_MAX * 2];

	snprintf(full, sizeof(full), "%s/%s", dir, path);
	assert_int_equal(symlink(target, full), 0);
}

/*
 * The markers each builder's image has: "dracut" (059, and dracut-ng with
 * systemd: usr/lib/initrd-release with etc/initrd-release linking to it),
 * "dracut-classic" (dracut-ng 106 on without systemd: usr/lib only),
 * "mkinitcpio" (etc/initrd-release linking to the copied os-release, busybox
 * or systemd alike), "initramfs-tools".
 */
static void put_markers(const char *markers)
{
	if (strcmp(markers, "dracut") == 0 || strcmp(markers, "dracut-classic") == 0) {
		make_dir("usr");
		make_dir("usr/lib");
		put("usr/lib/initrd-release", "NAME=dracut\nID=dracut\n");
		if (strcmp(markers, "dracut") == 0) {
			make_dir("etc");
			make_link("../usr/lib/initrd-release", "etc/initrd-release");
		}
	} else if (strcmp(markers, "mkinitcpio") == 0) {
		make_dir("usr");
		make_dir("usr/lib");
		put("usr/lib/os-release", "NAME=\"Arch Linux\"\n");
		make_dir("etc");
		make_link("../usr/lib/os-release", "etc/initrd-release");
	} else {
		make_dir("conf");
		put("conf/initramfs.conf", "MODULES=most\n");
		make_dir("scripts");
		make_dir("scripts/init-top");
	}
}

/* A tree with proc/mounts as given; MARKERS as put_markers() takes them, or NULL. */
static bool tree_is_initramfs(const char *mounts, const char *markers)
{
	char cmd[PATH_MAX + 16];
	bool result;
	int fd;

	snprintf(dir, sizeof(dir), "%s/early-bind-rootfs.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	make_dir("proc");
	put("proc/mounts", mounts);
	if (markers)
		put_markers(markers);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	result = rootfs_is_initramfs(fd);
	close(fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return result;
}

static void test_rootfs_with_marker_is_initramfs(void **state)
{
	(void)state;
	assert_true(tree_is_initramfs(ROOTFS_MOUNTS, "dracut"));
	assert_true(tree_is_initramfs(ROOTFS_MOUNTS, "initramfs-tools"));
	assert_true(tree_is_initramfs("none / rootfs rw 0 0\n", "dracut"));
}

/* dracut-ng's classic init writes usr/lib/initrd-release and no etc/initrd-release. */
static void test_every_builder_is_initramfs(void **state)
{
	(void)state;
	assert_true(tree_is_initramfs(ROOTFS_MOUNTS, "dracut-classic"));
	assert_true(tree_is_initramfs(ROOTFS_MOUNTS, "mkinitcpio"));
}

/* The root type still decides first: a marker on a disk or tmpfs root is no initramfs. */
static void test_running_system_with_marker_is_not_initramfs(void **state)
{
	const char *disk = ROOTFS_MOUNTS "/dev/sda1 / ext4 rw 0 0\n";

	(void)state;
	assert_false(tree_is_initramfs(TMPFS_MOUNTS, "dracut-classic"));
	assert_false(tree_is_initramfs(disk, "dracut-classic"));
	assert_false(tree_is_initramfs(disk, "mkinitcpio"));
}

static void test_tmpfs_root_is_not_initramfs(void **state)
{
	(void)state;
	assert_false(tree_is_initramfs(TMPFS_MOUNTS, NULL));
	/* Even with a leftover marker: the root type decides first. */
	assert_false(tree_is_initramfs(TMPFS_MOUNTS, "dracut"));
}

static void test_rootfs_without_marker_is_not_initramfs(void **state)
{
	(void)state;
	assert_false(tree_is_initramfs(ROOTFS_MOUNTS, NULL));
}

/* A root mounted over rootfs hides it: the last "/" line counts. */
static void test_later_root_mount_wins(void **state)
{
	(void)state;
	assert_false(tree_is_initramfs(ROOTFS_MOUNTS "/dev/sda1 / ext4 rw 0 0\n", "dracut"));
}

static void test_no_mounts_is_not_initramfs(void **state)
{
	(void)state;
	assert_false(tree_is_initramfs("", "dracut"));
	assert_false(tree_is_initramfs("garbage\n\n/", "dracut"));
}

/* A mount inside a --sysroot tree (a bind mount of /sys) is the running kernel's. */
static void test_mount_below_tree(void **state)
{
	const char *mi = "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
			 "30 22 0:5 / /tmp/tree/sys rw - sysfs sysfs rw\n";
	char found[64];

	(void)state;
	assert_true(rootfs_mount_below(mi, "/tmp/tree", found, sizeof(found)));
	assert_string_equal(found, "/tmp/tree/sys");
	assert_true(rootfs_mount_below(mi, "/tmp/tree/", found, sizeof(found)));
	assert_false(rootfs_mount_below(mi, "/tmp/tree/sys", found, sizeof(found)));
	/* A sibling whose name starts the same is not inside. */
	assert_false(rootfs_mount_below(mi, "/tmp/tr", found, sizeof(found)));
}

/* Mount points with spaces are octal-escaped in mountinfo. */
static void test_mount_below_escaped(void **state)
{
	const char *mi = "30 22 0:5 / /tmp/my\\040tree/dev rw - devtmpfs udev rw\n";
	char found[64];

	(void)state;
	assert_true(rootfs_mount_below(mi, "/tmp/my tree", found, sizeof(found)));
	assert_string_equal(found, "/tmp/my tree/dev");
	assert_false(rootfs_mount_below("garbage\n\n", "/tmp", found, sizeof(found)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rootfs_with_marker_is_initramfs),
		cmocka_unit_test(test_every_builder_is_initramfs),
		cmocka_unit_test(test_running_system_with_marker_is_not_initramfs),
		cmocka_unit_test(test_tmpfs_root_is_not_initramfs),
		cmocka_unit_test(test_rootfs_without_marker_is_not_initramfs),
		cmocka_unit_test(test_later_root_mount_wins),
		cmocka_unit_test(test_no_mounts_is_not_initramfs),
		cmocka_unit_test(test_mount_below_tree),
		cmocka_unit_test(test_mount_below_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
