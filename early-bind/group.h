/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "pcidev.h"

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
