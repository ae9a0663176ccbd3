/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/pcidev.h"

/*
 * vfio-pci's own ids= parameter, the usual recipe's way of choosing
 * devices by ID:  ids=VENDOR:DEVICE[:SUBVENDOR[:SUBDEVICE[:CLASS[:CLASS_MASK]]]],...
 * Pure parsing and matching, as drivers/vfio/pci/vfio_pci.c
 * vfio_pci_fill_ids() and pci_match_one_device() do it (Linux 6.1), so
 * early-bind can name every function a leftover ids= makes vfio-pci take.
 */

#define VFIO_IDS_GRAMMAR "vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]"
/* vfio-pci keeps ids= in a char[1024]: a longer value makes the module refuse to load. */
#define VFIO_IDS_PARAM_MAX 1023
#define VFIO_ID_ANY 0xffffffffu /* PCI_ANY_ID */
#define VFIO_ID_FIELDS 6
#define VFIO_ID_TEXT_MAX 48
#define VFIO_ID_ERROR_MAX 160
/* The module and parameter as modprobe_module_param() takes them. */
#define VFIO_IDS_MODULE "vfio_pci"
#define VFIO_IDS_PARAM "ids"

struct vfio_id {
	char text[VFIO_ID_TEXT_MAX];   /* printable copy for messages */
	char error[VFIO_ID_ERROR_MAX]; /* what is wrong with it; "" when well-formed */
	int fields;		       /* how many vfio-pci reads: it adds the ID from 2 on */
	uint32_t vendor;
	uint32_t device;
	uint32_t subvendor;
	uint32_t subdevice;
	uint32_t class_code; /* 24 bits: class, subclass, prog-if */
	uint32_t class_mask;
};

struct vfio_ids {
	struct vfio_id *items;
	size_t count;
	bool too_long; /* over VFIO_IDS_PARAM_MAX: vfio-pci does not load at all */
};

/*
 * Splits VALUE at commas (empty items are skipped, as vfio-pci does) and
 * reads each item as the kernel's sscanf("%x:%x:%x:%x:%x:%x") does, so
 * that FIELDS and the numbers say what vfio-pci makes of it; ERROR is set
 * for anything but 2 to 6 fields of hex digits (vendor, device, subvendor
 * and subdevice 1-4 digits or ffffffff for any; class and mask 1-6).
 * Returns 0 or -ENOMEM; free with vfio_ids_free().
 */
int vfio_ids_parse(const char *value, struct vfio_ids *ids);
void vfio_ids_free(struct vfio_ids *ids);

/*
 * "item 'zz:1' of vfio-pci's ids=: vendor 'zz' is not hexadecimal;
 * vfio-pci ignores it" (or "reads it as 10de:1e07"): the message for an
 * item with an error. Returns false, leaving BUF alone, for a good item.
 */
bool vfio_id_problem(const struct vfio_id *id, char *buf, size_t size);

/*
 * Whether vfio-pci, loaded with IDS, takes FN when FN is free: an ID
 * matches and vfio-pci's probe accepts it (a normal header and an IOMMU
 * group). Whether a driver or driver_override holds FN first is the
 * caller's business.
 */
bool vfio_ids_take(const struct vfio_ids *ids, const struct pci_function *fn);

/*
 * "vfio-pci.ids=VALUE on the kernel command line" or "vfio-pci ids=VALUE
 * in /etc/modprobe.d/vfio.conf" (SOURCE is MODPROBE_CMDLINE or the file),
 * with VALUE made printable and shortened.
 */
void vfio_ids_describe(const char *source, const char *value, char *buf, size_t size);

/* How to get rid of ids= from SOURCE, for the log, check and status. */
void vfio_ids_fix(const char *source, char *buf, size_t size);
