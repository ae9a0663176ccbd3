/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "engine/pcidev.h"

/*
 * A VM can open an IOMMU group only when no member is bound to a driver
 * that uses the kernel's DMA API (6.1: iommu_group_claim_dma_owner()).
 * Bridges on pcieport, and functions on vfio-pci or pci-stub, manage DMA
 * themselves and never stand in the way.
 */
enum member_effect {
	MEMBER_HARMLESS, /* a bridge, or on vfio-pci or pci-stub */
	MEMBER_UNBOUND,  /* no driver: viable now, until a host driver takes it */
	MEMBER_BLOCKS,   /* on a host driver: the group is not viable */
};

/* What FN, a member of a group, does to the group's viability. */
enum member_effect group_member_effect(const struct pci_function *fn);

#define GROUP_TEXT_MAX 900
#define GROUP_NOTES_MAX 4

/* One problem a group has for a VM, worded for a log line or a finding. */
struct group_note {
	bool error; /* the group is not viable now */
	bool never; /* and never will be: it holds devices the host needs */
	char what[GROUP_TEXT_MAX];
	char fix[GROUP_TEXT_MAX];
};

/*
 * What the members of GROUP that REQUESTED (parallel to FNS) leaves out
 * mean for a VM, and what the requested cards in it mean: fills NOTES
 * (room for GROUP_NOTES_MAX) and returns how many; 0 when the group holds
 * nothing else a VM would need. The one rule boot, bind, check and list
 * share. Its fixes never name a device the host needs (disks, network,
 * USB, the boot display, bridges): only functions of a requested card may
 * be added; otherwise another slot, ACS, or turning Intel VMD off.
 */
size_t group_notes(const struct pci_function_list *fns, const bool *requested, int group,
		   struct group_note *notes);
