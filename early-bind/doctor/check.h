/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "engine/context.h"
#include "doctor/finding.h"
#include "engine/host.h"
#include "engine/pcidev.h"

/* What every part of `early-bind check` reads and adds its findings to. */
struct check {
	const struct engine_context *ctx;
	struct pci_function_list fns;
	bool *requested; /* parallel to fns: named by an entry */
	bool *by_function; /* parallel to fns: named by an entry with .FUNC */
	const char *cmdline;       /* the kernel command line ("" if unreadable) */
	char cmdline_buf[CMDLINE_MAX];
	bool cmdline_unreadable;   /* the "parameter" error finding says why */
	char release[128];         /* the kernel release ("" if unknown) */
	bool iommu_on;             /* the kernel has IOMMU groups */
	struct findings findings;
};

/* check-system.c: the machine and its firmware settings. */
enum vendor { VENDOR_OTHER, VENDOR_INTEL, VENDOR_AMD };
enum vendor check_cpu_vendor(struct check *c); /* from /proc/cpuinfo */
void check_cpu(struct check *c);
void check_iommu(struct check *c);
void check_secure_boot(struct check *c);

/* check-initramfs.c: the running kernel's image holds early-bind and vfio-pci. */
void check_initramfs(struct check *c);

/* check-card.c: each card the entries name. */
void check_cards(struct check *c);

/* check-sriov.c: requested SR-IOV virtual functions, and physical functions with VFs. */
void check_sriov(struct check *c);

/*
 * The next slot after [*FIRST, *END) that holds a requested function: sets
 * [*FIRST, *END) to its functions (start with *END = 0); false after the last.
 */
bool check_next_requested_slot(const struct check *c, size_t *first, size_t *end);

/* check-vm.c: what KVM and VFIO need of the host: interrupt remapping, /dev/kvm, VFIO. */
void check_interrupt_remapping(struct check *c);
void check_kvm(struct check *c);
/* What the kernel offers for VFIO's container, iommufd and VFIO device files (vfiostack.c). */
void check_vfio_stack(struct check *c);

/* check-gpu.c: each requested card's BARs, and the host's GPU drivers. */
void check_bars(struct check *c);
void check_gpu_drivers(struct check *c);
