/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "engine/entry.h"
#include "engine/pcidev.h"

/*
 * SR-IOV: a physical function (PF) whose driver writes sriov_numvfs gets
 * virtual functions (VFs), new PCI functions at routing IDs its SR-IOV
 * capability sets (offset, stride). They appear only then, after the boot
 * (a udev rule, a systemd unit, a driver option), never while the
 * initramfs runs; and when the PF's driver lets go of it, its VFs vanish.
 * The kernel shows a PF's sriov_* attributes from enumeration on, driver
 * or none, and links a VF to its PF (physfn) and the PF to each VF
 * (virtfnN).
 */

/*
 * Reads the SR-IOV attributes and the physfn link of the function whose
 * directory DEVICE_FD is (pci_open_device()) into S; a function without
 * them is neither PF nor VF. When a PF's sriov_numvfs cannot be read, its
 * virtfnN links count the VFs that exist.
 */
void sriov_read_at(int device_fd, struct pci_sriov *s);

static inline bool sriov_is_pf(const struct pci_function *fn)
{
	return fn->sriov.totalvfs > 0;
}

static inline bool sriov_is_vf(const struct pci_function *fn)
{
	return fn->sriov.physfn[0] != '\0';
}

/* Whether FN is a virtual function of PF. */
static inline bool sriov_is_vf_of(const struct pci_function *fn, const struct pci_function *pf)
{
	return strcmp(fn->sriov.physfn, pf->name) == 0;
}

/*
 * The address of virtual function N (0-based) of PF, from its routing ID
 * (bus << 8 | devfn) plus offset + N * stride, as the kernel places it
 * (pci_iov_virtfn_bus(), pci_iov_virtfn_devfn()). False when it would lie
 * past bus ff.
 */
bool sriov_vf_address(const struct pci_function *pf, unsigned n, uint8_t *bus, uint8_t *slot,
		      uint8_t *func);

/* The index in FNS of VF FNS->items[I]'s physical function, or FNS->count. */
size_t sriov_pf_of(const struct pci_function_list *fns, size_t i);

/*
 * "0000:00:02.1, 0000:00:02.2" (the first few, then "and N more"): the
 * VFs of PF FNS->items[I] present now. Returns how many there are.
 */
size_t sriov_list_vfs(const struct pci_function_list *fns, size_t i, char *buf, size_t size);

/*
 * "0000:00:02.0 is an SR-IOV physical function: 7 of 7 virtual functions
 * enabled (...)", or with none enabled, that VFs appear only after the
 * boot, through sriov_numvfs.
 */
void sriov_describe_pf(const struct pci_function_list *fns, size_t i, char *buf, size_t size);

/*
 * When entry E names nothing present but would name a VF of a PF present
 * (in its VF range from sriov_offset and sriov_stride, or, without them,
 * on its bus), sets WHY ("what; what to do") to why no VF exists at boot
 * and how VFs reach vfio-pci, and returns true; else leaves WHY alone.
 */
bool sriov_explain_missing(const struct entry *e, const struct pci_function_list *fns, char *why,
			   size_t size);

/* Why a slot whose PF is the host's display is no card to offer, into BUF. */
void sriov_display_pf_reason(const struct pci_function *pf, char *buf, size_t size);

/* Whether the engine leaves FN alone (below), without a word: a pure test. */
bool sriov_pf_kept(const struct pci_function *fn, bool by_function);

/*
 * Whether the engine must leave FN alone: a PF with VFs enabled that a
 * driver other than vfio-pci holds, which an entry names only as part of
 * a slot; unbinding it would make its VFs vanish. Logs that as an error;
 * when BY_FUNCTION (an entry names it with .FUNC) logs a warning instead
 * and returns false. WHAT is FN described (pci_function_describe()).
 */
bool sriov_keep_pf(const struct pci_function_list *fns, const struct pci_function *fn,
		   bool by_function, const char *what);
