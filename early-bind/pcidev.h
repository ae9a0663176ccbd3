/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "0000:3b:00.0" and, for domains above ffff, "10000:01:00.0". */
#define PCI_NAME_MAX 20
#define DRIVER_NAME_MAX 64

/* One PCI function as the kernel sees it before anything is changed. */
struct pci_function {
	char name[PCI_NAME_MAX];
	uint32_t domain;
	uint8_t bus;
	uint8_t slot;
	uint8_t func;
	uint16_t vendor;
	uint16_t device;
	uint16_t class_id;   /* base class << 8 | subclass, e.g. 0x0300 */
	uint8_t header_type; /* without the multi-function bit */
	bool boot_vga;
	int iommu_group;     /* -1 without one */
	char driver[DRIVER_NAME_MAX]; /* "" when no driver holds it */
};

struct pci_function_list {
	struct pci_function *items;
	size_t count;
};

/*
 * Reads every PCI function through libpci's sysfs access below
 * SYSROOT/sys/bus/pci (SYSROOT "/" for the running system), sorted by
 * address. boot_vga is read through ROOT_FD. Returns 0 or -errno.
 */
int pci_function_list_read(const char *sysroot, int root_fd,
			   struct pci_function_list *list);
void pci_function_list_free(struct pci_function_list *list);

/* Short lower-case kind for log lines: "vga", "audio", "usb", "bridge"... */
const char *pci_class_kind(uint16_t class_id);

/* Bridges and other functions vfio-pci must never take. */
bool pci_function_is_bridge(const struct pci_function *fn);
