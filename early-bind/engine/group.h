/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "engine/pcidev.h"

/*
 * A VM can open an IOMMU group only when no member is bound to a driver
 * that uses the kernel's DMA API (6.1: iommu_group_claim_dma_owner() fails
 * while a bound driver lacks struct pci_driver.driver_managed_dma). The
 * PCI drivers that set it: vfio-pci and its vendor variants (they bind
 * through vfio-pci-core: mlx5_vfio_pci, hisi_acc_vfio_pci, pds_vfio_pci,
 * xe-vfio-pci, ...), pci-stub, and pcieport, which holds the bridges (and
 * root complex event collectors) of a group. The kernel has no exception
 * for bridges: one on another driver blocks like any function.
 */
enum member_effect {
	MEMBER_HARMLESS, /* on a driver that manages DMA, or a bridge with no driver (pcieport's) */
	MEMBER_UNBOUND,	 /* no driver: viable now, until a host driver takes it */
	MEMBER_BLOCKS,	 /* on a host driver: the group is not viable */
};

/* Whether DRIVER sets driver_managed_dma (by its name: see above). */
bool group_driver_manages_dma(const char *driver);

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
 * The verdict on GROUP for a VM: the one rule boot, bind, check and list
 * share, each in its own words. NOTES, its problems, are what the members
 * of GROUP that REQUESTED (parallel to FNS) leaves out mean for a VM, and
 * what the requested cards in it mean; none: the group is viable, and
 * VIABLE says why. Its fixes never name a device the host needs (disks,
 * network, USB, the boot display, bridges): only functions of a requested
 * card may be added; otherwise another slot, ACS, or turning Intel VMD off.
 */
struct group_verdict {
	struct group_note notes[GROUP_NOTES_MAX];
	size_t n_notes;
	char viable[GROUP_TEXT_MAX];
	bool shared; /* viable with other functions in it, all on drivers that manage DMA */
};

void group_verdict(const struct pci_function_list *fns, const bool *requested, int group,
		   struct group_verdict *v);

/*
 * Whether FNS->items[I]'s IOMMU group is that of a function before it, from
 * FROM on, that AMONG marks (NULL: any): so each group is reported once.
 */
bool group_seen_before(const struct pci_function_list *fns, const bool *among, size_t from,
		       size_t i);
