/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * What the kernel offers a VM for opening a function vfio-pci holds:
 * VFIO's container /dev/vfio/vfio, from vfio_iommu_type1
 * (CONFIG_VFIO_CONTAINER) or from iommufd (CONFIG_IOMMUFD_VFIO_CONTAINER,
 * a kernel without vfio_iommu_type1), and iommufd's /dev/iommu with the
 * VFIO device files /dev/vfio/devices/vfioN (CONFIG_VFIO_DEVICE_CDEV).
 * Read from depmod's lists in lib/modules/RELEASE, sys/module, sysfs and,
 * where the distribution ships it, boot/config-RELEASE: an initramfs has no
 * kernel configuration, only what depmod and the kernel show.
 */

enum vfio_have {
	VFIO_HAVE_NONE,
	VFIO_HAVE_MODULE,  /* in modules.dep, or loaded */
	VFIO_HAVE_BUILTIN, /* in modules.builtin, or in sys/module without initstate */
};

enum vfio_container {
	VFIO_CONTAINER_NONE,
	VFIO_CONTAINER_TYPE1,	/* VFIO's own, with vfio_iommu_type1 */
	VFIO_CONTAINER_IOMMUFD, /* iommufd answers for /dev/vfio/vfio */
};

struct vfio_stack {
	enum vfio_have type1;
	enum vfio_have iommufd;
	enum vfio_container container;
	int device_files; /* 1 yes, 0 no, -1 not known (vfio not loaded yet) */
};

/* Reads what the kernel RELEASE below ROOT_FD offers; never fails. */
void vfio_stack_read(int root_fd, const char *release, struct vfio_stack *s);

/* Whether a VM can open a function vfio-pci holds: a container, or iommufd's device files. */
bool vfio_stack_usable(const struct vfio_stack *s);

/*
 * One line for the boot log and check: "VFIO's container /dev/vfio/vfio:
 * vfio_iommu_type1 (a module); iommufd /dev/iommu: none; VFIO device files
 * /dev/vfio/devices/vfioN: not known until vfio is loaded".
 */
void vfio_stack_describe(const struct vfio_stack *s, char *buf, size_t size);
