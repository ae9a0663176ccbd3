// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for modprobe.c: module options as kmod 30 reads modprobe.d
 * (continuations, comments, '-' and '_' alike, a file name in an earlier
 * directory hiding a later one, name order across directories) and the
 * kernel command line's MODULE.PARAM= coming last. The directory half
 * runs on a temporary tree through a root fd, as --sysroot does.
 */
#include <errno.h>
#include <fcntl.h>
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

#include "engine/modprobe.h"

static char value[256];

static int find(const char *text)
{
	memset(value, 0, sizeof(value));
	return modprobe_find_option(text, "vfio_pci", "ids", value, sizeof(value));
}

static void test_finds_ids(void **state)
{
	(void)state;
	assert_int_equal(find("options vfio-pci ids=10de:1e07,10de:10f7\n"), 1);
	assert_string_equal(value, "10de:1e07,10de:10f7");
}

static void test_dash_and_underscore_alike(void **state)
{
	(void)state;
	assert_int_equal(find("options vfio_pci ids=1:2"), 1);
	assert_string_equal(value, "1:2");
	assert_int_equal(modprobe_find_option("options vfio_pci ids=3:4", "vfio-pci", "ids", value,
					      sizeof(value)),
			 1);
	assert_string_equal(value, "3:4");
}

static void test_other_modules_and_lines_ignored(void **state)
{
	(void)state;
	assert_int_equal(find("options vfio ids=1:2\n"
			      "options vfio-pci-core ids=1:2\n"
			      "options VFIO-PCI ids=1:2\n"
			      "optionsvfio-pci ids=1:2\n"
			      "alias vfio-pci ids=1:2\n"
			      "softdep nouveau pre: vfio-pci\n"
			      "options vfio-pci\n"
			      "options vfio-pci disable_vga=1\n"),
			 0);
}

static void test_blanks_and_tabs(void **state)
{
	(void)state;
	assert_int_equal(find("  \toptions\t vfio-pci \t disable_vga=1\tids=10de:1e07  \n"), 1);
	assert_string_equal(value, "10de:1e07");
}

static void test_continuation(void **state)
{
	(void)state;
	assert_int_equal(find("options vfio-pci \\\nids=10de:1e07,\\\n10de:10f7\n"), 1);
	assert_string_equal(value, "10de:1e07,10de:10f7");
	/* Joined without a space: kmod's freadline_wrapped() */
	assert_int_equal(find("options vfio-pci\\\n ids=1:2"), 1);
	assert_string_equal(value, "1:2");
	assert_int_equal(find("options vfio\\\n-pci ids=3:4"), 1);
	assert_string_equal(value, "3:4");
}

/* A backslash before another byte is dropped; one at the very end too. */
static void test_other_backslashes(void **state)
{
	(void)state;
	assert_int_equal(find("options vfio\\-pci ids=10de:1e07\\"), 1);
	assert_string_equal(value, "10de:1e07");
}

static void test_comments(void **state)
{
	(void)state;
	assert_int_equal(find("# options vfio-pci ids=1:1\n#options vfio-pci ids=2:2\n"), 0);
	/* A comment line continued by a backslash swallows the next line too. */
	assert_int_equal(find("# old recipe \\\noptions vfio-pci ids=1:1\n"), 0);
	/* Only at the start: the kernel gets "#" and "ids=2:2" as parameters. */
	assert_int_equal(find("options vfio-pci ids=1:1 # ids=2:2\n"), 1);
	assert_string_equal(value, "2:2");
}

/* All options lines are concatenated; the kernel applies the last ids=. */
static void test_last_wins(void **state)
{
	(void)state;
	assert_int_equal(find("options vfio-pci ids=1:1 ids=2:2\n"
			      "options vfio_pci disable_vga=1\n"
			      "options vfio-pci ids=3:3 disable_idle_d3=1\n"
			      "options vfio ids=4:4\n"),
			 1);
	assert_string_equal(value, "3:3");
}

static void test_quoted_value(void **state)
{
	(void)state;
	assert_int_equal(find("options vfio-pci ids=\"10de:1e07,10de:10f7\"\n"), 1);
	assert_string_equal(value, "10de:1e07,10de:10f7");
}

static void test_crlf_and_no_final_newline(void **state)
{
	(void)state;
	assert_int_equal(find("options vfio-pci ids=1:1\r\noptions vfio-pci ids=2:2"), 1);
	assert_string_equal(value, "2:2");
}

static void test_value_too_long(void **state)
{
	char text[600];

	(void)state;
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	memcpy(text, "options vfio-pci ids=", 21);
	assert_int_equal(find(text), -E2BIG);
}

/* --- the file list ------------------------------------------------------ */

static void test_files_in_name_order_first_dir_wins(void **state)
{
	struct modprobe_files files = { 0 };

	(void)state;
	assert_int_equal(modprobe_files_add(&files, "etc/modprobe.d", "vfio.conf"), 1);
	assert_int_equal(modprobe_files_add(&files, "etc/modprobe.d", "zz-local.conf"), 1);
	assert_int_equal(modprobe_files_add(&files, "lib/modprobe.d", "vfio.conf"), 0);
	assert_int_equal(modprobe_files_add(&files, "lib/modprobe.d", "aliases.conf"), 1);
	assert_int_equal(modprobe_files_add(&files, "usr/lib/modprobe.d", "systemd.conf"), 1);
	assert_int_equal(files.count, 4);
	assert_string_equal(files.items[0].name, "aliases.conf");
	assert_string_equal(files.items[0].dir, "lib/modprobe.d");
	assert_string_equal(files.items[1].name, "systemd.conf");
	assert_string_equal(files.items[2].name, "vfio.conf");
	assert_string_equal(files.items[2].dir, "etc/modprobe.d");
	assert_string_equal(files.items[3].name, "zz-local.conf");
	modprobe_files_free(&files);
}

static void test_files_kmod_skips(void **state)
{
	struct modprobe_files files = { 0 };

	(void)state;
	assert_int_equal(modprobe_files_add(&files, "etc/modprobe.d", ".hidden.conf"), 0);
	assert_int_equal(modprobe_files_add(&files, "etc/modprobe.d", "vfio.conf.dpkg-old"), 0);
	assert_int_equal(modprobe_files_add(&files, "etc/modprobe.d", "README"), 0);
	assert_int_equal(modprobe_files_add(&files, "etc/modprobe.d", ".conf"), 0);
	assert_int_equal(modprobe_files_add(&files, "etc/modprobe.d", "conf"), 0);
	assert_int_equal(modprobe_files_add(&files, "etc/modprobe.d", "vfio.confx"), 0);
	assert_int_equal(files.count, 0);
	/* Older setups' *.alias files are read too. */
	assert_int_equal(modprobe_files_add(&files, "etc/modprobe.d", "old.alias"), 1);
	modprobe_files_free(&files);
}

/* --- through a root fd ---------------------------------------------------- */

static char root[] = "/tmp/test-modprobe.XXXXXX";
static int root_fd = -1;

static void write_file(const char *path, const char *text)
{
	char full[512];
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", root, path);
	f = fopen(full, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int make_tree(void **state)
{
	static const char *const dirs[] = {
		"etc",	   "etc/modprobe.d",	 "lib", "lib/modprobe.d", "usr",
		"usr/lib", "usr/lib/modprobe.d", "run", "run/modprobe.d"
	};
	char path[512];
	size_t i;

	(void)state;
	if (!mkdtemp(root))
		return -1;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		if (mkdir(path, 0755) < 0)
			return -1;
	}
	root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return root_fd < 0 ? -1 : 0;
}

static int remove_tree(void **state)
{
	char command[600];

	(void)state;
	close(root_fd);
	snprintf(command, sizeof(command), "rm -rf '%s'", root);
	return system(command) == 0 ? 0 : -1;
}

static char source[MODPROBE_SOURCE_MAX];

static int lookup(const char *cmdline)
{
	memset(value, 0, sizeof(value));
	memset(source, 0, sizeof(source));
	return modprobe_module_param(root_fd, cmdline, "vfio_pci", "ids", false, value,
				     sizeof(value), source, sizeof(source));
}

/* One test, in steps: each adds to the same tree. */
static void test_tree(void **state)
{
	char fifo[512];

	(void)state;
	assert_int_equal(lookup("quiet"), 0);

	write_file("etc/modprobe.d/vfio.conf", "options vfio-pci ids=10de:1e07\n");
	assert_int_equal(lookup("quiet"), 1);
	assert_string_equal(value, "10de:1e07");
	assert_string_equal(source, "/etc/modprobe.d/vfio.conf");

	/* The same name in a later directory is hidden by /etc's. */
	write_file("lib/modprobe.d/vfio.conf", "options vfio-pci ids=1:1\n");
	write_file("usr/lib/modprobe.d/vfio.conf", "options vfio-pci ids=2:2\n");
	assert_int_equal(lookup("quiet"), 1);
	assert_string_equal(value, "10de:1e07");

	/* Files are read in name order across directories: zz.conf comes last. */
	write_file("run/modprobe.d/zz.conf", "options vfio_pci ids=3:3\n");
	write_file("usr/lib/modprobe.d/aa.conf", "options vfio_pci ids=4:4\n");
	assert_int_equal(lookup("quiet"), 1);
	assert_string_equal(value, "3:3");
	assert_string_equal(source, "/run/modprobe.d/zz.conf");

	/* Not read: a directory and a FIFO named *.conf (it would block). */
	snprintf(fifo, sizeof(fifo), "%s/etc/modprobe.d/zzz.conf", root);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	snprintf(fifo, sizeof(fifo), "%s/etc/modprobe.d/zzzz.conf", root);
	assert_int_equal(mkdir(fifo, 0755), 0);
	assert_int_equal(lookup("quiet"), 1);
	assert_string_equal(value, "3:3");

	/* libkmod appends the command line's options: they win, '-' or '_'. */
	assert_int_equal(lookup("quiet vfio-pci.ids=5:5 vfio_pci.ids=6:6 root=/dev/sda"), 1);
	assert_string_equal(value, "6:6");
	assert_string_equal(source, MODPROBE_CMDLINE);
	assert_int_equal(lookup("vfio_pci.ids=6:6 vfio-pci.ids=\"7:7,8:8\""), 1);
	assert_string_equal(value, "7:7,8:8");
	assert_int_equal(lookup("vfio.ids=9:9 vfio_pci.disable_vga=1"), 1);
	assert_string_equal(value, "3:3");

	/* A built-in module gets the command line's options only. */
	assert_int_equal(modprobe_module_param(root_fd, "quiet", "vfio_pci", "ids", true, value,
					       sizeof(value), source, sizeof(source)),
			 0);
	assert_int_equal(modprobe_module_param(root_fd, "vfio_pci.ids=5:5", "vfio_pci", "ids", true,
					       value, sizeof(value), source, sizeof(source)),
			 1);
	assert_string_equal(value, "5:5");
}

static void test_builtin_list(void **state)
{
	(void)state;
	assert_true(modprobe_index_lists("kernel/drivers/vfio/vfio.ko\n"
					 "kernel/drivers/vfio/pci/vfio-pci.ko\n",
					 MODULES_BUILTIN, "vfio_pci"));
	assert_true(modprobe_index_lists("vfio_pci.ko", MODULES_BUILTIN, "vfio-pci"));
	assert_false(modprobe_index_lists("kernel/drivers/vfio/pci/vfio-pci-core.ko\n"
					  "kernel/drivers/vfio/pci/vfio-pci.ko.xz\n"
					  "kernel/drivers/vfio/pci/vfio-pci\n"
					  "kernel/drivers/vfio-pci.ko/other.ko\n",
					  MODULES_BUILTIN, "vfio_pci"));
	assert_false(modprobe_index_lists("", MODULES_BUILTIN, "vfio_pci"));
}

/* modules.dep: the path before ':', compressed or not; the dependencies are not the module. */
static void test_dep_list(void **state)
{
	(void)state;
	assert_true(modprobe_index_lists("kernel/drivers/gpu/drm/nouveau/nouveau.ko.xz: "
					 "kernel/drivers/gpu/drm/drm.ko.xz\n",
					 MODULES_DEP, "nouveau"));
	assert_true(modprobe_index_lists("updates/dkms/nvidia.ko:\n", MODULES_DEP, "nvidia"));
	assert_true(modprobe_index_lists("kernel/amdgpu.ko.zst:\n", MODULES_DEP, "amdgpu"));
	assert_false(modprobe_index_lists("kernel/drivers/gpu/drm/nouveau/nouveau.ko.xz: "
					  "kernel/drivers/gpu/drm/drm.ko.xz\n",
					  MODULES_DEP, "drm"));
	assert_false(modprobe_index_lists("updates/dkms/nvidia-drm.ko: updates/dkms/nvidia.ko\n",
					  MODULES_DEP, "nvidia"));
	assert_false(modprobe_index_lists("kernel/vfio-pci.ko.xz\n", MODULES_BUILTIN, "vfio_pci"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finds_ids),
		cmocka_unit_test(test_dash_and_underscore_alike),
		cmocka_unit_test(test_other_modules_and_lines_ignored),
		cmocka_unit_test(test_blanks_and_tabs),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_other_backslashes),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_last_wins),
		cmocka_unit_test(test_quoted_value),
		cmocka_unit_test(test_crlf_and_no_final_newline),
		cmocka_unit_test(test_value_too_long),
		cmocka_unit_test(test_files_in_name_order_first_dir_wins),
		cmocka_unit_test(test_files_kmod_skips),
		cmocka_unit_test(test_builtin_list),
		cmocka_unit_test(test_dep_list),
		cmocka_unit_test_setup_teardown(test_tree, make_tree, remove_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
