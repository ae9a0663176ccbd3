// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SR-IOV in the checklist: a virtual function exists only after the boot,
 * so vfio.devices= never reaches one; a physical function with VFs enabled
 * loses them when its driver lets go, so the boot leaves it alone unless
 * an entry names it with .FUNC.
 */
#include <stdio.h>
#include <string.h>

#include "engine/card.h"
#include "doctor/check.h"
#include "engine/sriov.h"
#include "engine/textbuf.h"
#include "engine/vfio.h"

#define LIST_MAX 512

/* The requested VFs whose PF is PHYSFN, space-separated, into BUF; how many. */
static size_t requested_vfs(const struct check *c, const char *physfn, char *buf)
{
	struct textbuf sb;
	size_t i, n = 0;

	textbuf_init(&sb, buf, LIST_MAX);
	for (i = 0; i < c->fns.count; i++) {
		if (!c->plan.requested[i] || strcmp(c->fns.items[i].sriov.physfn, physfn) != 0)
			continue;
		textbuf_item(&sb, " ", "%s", c->fns.items[i].name);
		n++;
	}
	return n;
}

/* Whether a requested VF before I has the same PF: its finding covers I. */
static bool pf_seen_before(const struct check *c, size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (c->plan.requested[k] &&
		    strcmp(c->fns.items[k].sriov.physfn, c->fns.items[i].sriov.physfn) == 0)
			return true;
	return false;
}

static void check_vfs(struct check *c, size_t i)
{
	const char *physfn = c->fns.items[i].sriov.physfn;
	size_t pf = sriov_pf_of(&c->fns, i);
	char vfs[LIST_MAX], slot[PCI_NAME_MAX] = "", count[16] = "N";
	size_t n = requested_vfs(c, physfn, vfs);

	if (pf < c->fns.count) {
		card_slot_name(&c->fns.items[pf], slot, sizeof(slot));
		snprintf(count, sizeof(count), "%u", c->fns.items[pf].sriov.numvfs);
	}
	finding_add(
	    &c->findings, SEVERITY_WARN, "sriov", slot[0] ? slot : NULL,
	    "%s %s virtual function%s of %s: VFs do not exist while the initramfs runs (they appear after the boot, when %s's driver is told how many through its sriov_numvfs), so the boot cannot give %s to vfio-pci",
	    vfs, n > 1 ? "are" : "is a", n > 1 ? "s" : "", physfn, physfn, n > 1 ? "them" : "it");
	finding_fix(
	    &c->findings,
	    "leave %s out of vfio.devices=; after each boot, once the VFs exist (echo %s > /sys/bus/pci/devices/%s/sriov_numvfs), 'early-bind bind %s' gives %s to vfio-pci",
	    n > 1 ? "them" : "it", count, physfn, vfs, n > 1 ? "them" : "it");
}

static void check_pf(struct check *c, size_t i)
{
	const struct pci_function *pf = &c->fns.items[i];
	char slot[PCI_NAME_MAX], vfs[LIST_MAX];
	uint8_t bus = 0, dev = 0, func = 0;

	card_slot_name(pf, slot, sizeof(slot));
	if (pf->sriov.numvfs > 0 && (!pf->driver[0] || strcmp(pf->driver, VFIO_DRIVER) == 0))
		return; /* nothing to take it from: its VFs stay */
	if (pf->sriov.numvfs == 0) {
		finding_add(
		    &c->findings, SEVERITY_OK, "sriov", slot,
		    "%s is an SR-IOV physical function (up to %u virtual functions, none enabled): the boot takes it before any VF exists, and while vfio-pci holds it, it has none; VFs appear only after the boot, through sriov_numvfs, with a host driver holding it",
		    pf->name, pf->sriov.totalvfs);
		return;
	}
	sriov_list_vfs(&c->fns, i, vfs, sizeof(vfs));
	sriov_vf_address(pf, 0, &bus, &dev, &func);
	if (plan_by_function(&c->plan, i)) {
		finding_add(
		    &c->findings, SEVERITY_WARN, "sriov", slot,
		    "%s is an SR-IOV physical function with %u virtual functions enabled (%s): taking it from %s disables them, and they vanish with whatever uses them",
		    pf->name, pf->sriov.numvfs, vfs, pf->driver);
		finding_fix(
		    &c->findings,
		    "taken as named (.%x); to keep the VFs, give a VM one of them instead: early-bind bind %04x:%02x:%02x.%x",
		    pf->func, pf->domain, bus, dev, func);
		return;
	}
	finding_add(
	    &c->findings, SEVERITY_ERROR, "sriov", slot,
	    "%s is an SR-IOV physical function with %u virtual functions enabled (%s): taking it from %s would disable them, so the boot and 'early-bind bind' leave it alone",
	    pf->name, pf->sriov.numvfs, vfs, pf->driver);
	finding_fix(
	    &c->findings,
	    "give a VM one of its virtual functions (early-bind bind %04x:%02x:%02x.%x), or name the physical function with .%x to take it anyway and lose its virtual functions",
	    pf->domain, bus, dev, func, pf->func);
}

int check_sriov(struct check *c)
{
	size_t i;

	for (i = 0; i < c->fns.count; i++) {
		if (!c->plan.requested[i])
			continue;
		if (sriov_is_vf(&c->fns.items[i]) && !pf_seen_before(c, i))
			check_vfs(c, i);
		else if (sriov_is_pf(&c->fns.items[i]))
			check_pf(c, i);
	}
	return 0;
}
