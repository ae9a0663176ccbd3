// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for vfiostack.c: what a kernel offers a VM for VFIO, from
 * depmod's lists, sys/module, sysfs and boot/config-RELEASE, in the shapes
 * the fixture machines do not build (a modular iommufd, a kernel config).
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

#include "engine/vfiostack.h"

#define RELEASE "6.12.9-amd64"
#define MODDIR "lib/modules/" RELEASE "/"
#define TYPE1_DEP "kernel/drivers/vfio/vfio_iommu_type1.ko.xz: kernel/drivers/vfio/vfio.ko.xz\n"
#define IOMMUFD_DEP "kernel/drivers/iommu/iommufd/iommufd.ko.xz:\n"

static char dir[PATH_MAX];

static void put(const char *path, const char *text)
{
	char full[PATH_MAX * 2], cmd[PATH_MAX * 3];
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", dir, path);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", full);
	assert_int_equal(system(cmd), 0);
	f = fopen(full, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void new_tree(void)
{
	snprintf(dir, sizeof(dir), "%s/early-bind-vfiostack.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	put(MODDIR "modules.builtin", "kernel/drivers/pci/pci-stub.ko\n");
}

static void read_tree(struct vfio_stack *s)
{
	char cmd[PATH_MAX + 16];
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	assert_true(fd >= 0);
	vfio_stack_read(fd, RELEASE, s);
	close(fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_type1_module(void **state)
{
	struct vfio_stack s;
	char text[320];

	(void)state;
	new_tree();
	put(MODDIR "modules.dep", TYPE1_DEP);
	read_tree(&s);
	assert_int_equal(s.type1, VFIO_HAVE_MODULE);
	assert_int_equal(s.container, VFIO_CONTAINER_TYPE1);
	assert_int_equal(s.device_files, -1);
	assert_true(vfio_stack_usable(&s));
	vfio_stack_describe(&s, text, sizeof(text));
	assert_string_equal(text, "VFIO's container /dev/vfio/vfio: vfio_iommu_type1 (a module); "
				  "iommufd /dev/iommu: none; VFIO device files "
				  "/dev/vfio/devices/vfioN: not known until vfio is loaded");
}

/* A modular iommufd says it answers for /dev/vfio/vfio in modules.alias. */
static void test_modular_iommufd_container(void **state)
{
	struct vfio_stack s;

	(void)state;
	new_tree();
	put(MODDIR "modules.dep", IOMMUFD_DEP);
	put(MODDIR "modules.alias", "alias char-major-10-196 iommufd\n"
				    "alias devname:vfio/vfio iommufd\n");
	read_tree(&s);
	assert_int_equal(s.type1, VFIO_HAVE_NONE);
	assert_int_equal(s.iommufd, VFIO_HAVE_MODULE);
	assert_int_equal(s.container, VFIO_CONTAINER_IOMMUFD);
	assert_true(vfio_stack_usable(&s));
}

/* Without the alias, iommufd's device files are the only way in; the config tells. */
static void test_iommufd_without_container(void **state)
{
	struct vfio_stack s;

	(void)state;
	new_tree();
	put(MODDIR "modules.dep", IOMMUFD_DEP);
	put("boot/config-" RELEASE, "# CONFIG_IOMMUFD_VFIO_CONTAINER is not set\n"
				    "# CONFIG_VFIO_DEVICE_CDEV is not set\n");
	read_tree(&s);
	assert_int_equal(s.container, VFIO_CONTAINER_NONE);
	assert_int_equal(s.device_files, 0);
	assert_false(vfio_stack_usable(&s));

	new_tree();
	put(MODDIR "modules.dep", IOMMUFD_DEP);
	put("boot/config-" RELEASE, "CONFIG_IOMMUFD=m\nCONFIG_VFIO_DEVICE_CDEV=y\n");
	read_tree(&s);
	assert_int_equal(s.container, VFIO_CONTAINER_NONE);
	assert_int_equal(s.device_files, 1);
	assert_true(vfio_stack_usable(&s));
}

/* A kernel config line must match whole: CONFIG_VFIO_DEVICE_CDEV_X=y is another option. */
static void test_config_whole_lines(void **state)
{
	struct vfio_stack s;

	(void)state;
	new_tree();
	put(MODDIR "modules.dep", TYPE1_DEP);
	put("boot/config-" RELEASE, "CONFIG_VFIO_DEVICE_CDEV_X=y\n");
	read_tree(&s);
	assert_int_equal(s.device_files, -1);
}

/* Nothing at all: vfio-pci binds, and no VM can open the card. */
static void test_nothing(void **state)
{
	struct vfio_stack s;

	(void)state;
	new_tree();
	put(MODDIR "modules.dep", "kernel/drivers/vfio/vfio.ko.xz:\n");
	put("sys/module/vfio/initstate", "live\n");
	read_tree(&s);
	assert_int_equal(s.container, VFIO_CONTAINER_NONE);
	assert_int_equal(s.iommufd, VFIO_HAVE_NONE);
	assert_int_equal(s.device_files, 0);
	assert_false(vfio_stack_usable(&s));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type1_module),
		cmocka_unit_test(test_modular_iommufd_container),
		cmocka_unit_test(test_iommufd_without_container),
		cmocka_unit_test(test_config_whole_lines),
		cmocka_unit_test(test_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
