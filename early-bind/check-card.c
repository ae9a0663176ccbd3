// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The card half of the checklist, for every slot the entries name: IOMMU
 * group viability, boot display and firmware framebuffer, reset methods,
 * and which driver holds each function now.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "card.h"
#include "check.h"
#include "group.h"
#include "iomem.h"
#include "sysfs.h"

#define IOMEM_MAX (4 << 20)
#define LIST_MAX 768

/* Appends "0000:3b:00.2 (xhci_hcd)" style items to a message list. */
static void append(char *buf, const char *item)
{
	size_t len = strlen(buf);

	snprintf(buf + len, LIST_MAX - len, "%s%s", len ? ", " : "", item);
}

static bool group_reported(const struct check *c, size_t upto, int group)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (c->requested[i] && c->fns.items[i].iommu_group == group)
			return true;
	return false;
}

/* Lists the members of GROUP that are not requested, by their effect. */
static void group_members(const struct check *c, int group, char *blocks, char *unbound)
{
	char item[192], what[96];
	size_t k;

	for (k = 0; k < c->fns.count; k++) {
		const struct pci_function *m = &c->fns.items[k];

		if (m->iommu_group != group || c->requested[k])
			continue;
		pci_function_describe(m, what, sizeof(what));
		snprintf(item, sizeof(item), "%s (%s)", what, m->driver[0] ? m->driver : "no driver");
		if (group_member_effect(m) == MEMBER_BLOCKS)
			append(blocks, item);
		else if (group_member_effect(m) == MEMBER_UNBOUND)
			append(unbound, item);
	}
}

/* One finding for the functions of a slot that have no group at all. */
static void check_groupless(struct check *c, size_t first, size_t end, const char *slot)
{
	char list[LIST_MAX] = "";
	size_t i;

	for (i = first; i < end; i++)
		if (c->requested[i] && c->fns.items[i].iommu_group < 0)
			append(list, c->fns.items[i].name);
	if (!list[0])
		return;
	finding_add(&c->findings, SEVERITY_ERROR, "group", slot,
		    "no IOMMU group for %s, so vfio-pci cannot take %s", list,
		    strchr(list, ',') ? "them" : "it");
	if (c->iommu_on)
		finding_fix(&c->findings, "see why with 'dmesg | grep -i -e iommu -e dmar -e amd-vi'");
	else
		finding_fix(&c->findings, "turn the IOMMU on (see the iommu finding)");
}

static void check_group(struct check *c, size_t i, const char *slot)
{
	int group = c->fns.items[i].iommu_group;
	char blocks[LIST_MAX] = "", unbound[LIST_MAX] = "";

	if (group < 0 || group_reported(c, i, group))
		return;
	group_members(c, group, blocks, unbound);
	if (blocks[0]) {
		finding_add(&c->findings, SEVERITY_ERROR, "group", slot,
			    "IOMMU group %d is not viable: it also holds %s", group, blocks);
		finding_fix(&c->findings, "a VM can open the group only when no member keeps a host driver: add those to vfio.devices= if the VM may have them, or move the card to a slot with a group of its own");
	} else if (unbound[0]) {
		finding_add(&c->findings, SEVERITY_WARN, "group", slot,
			    "IOMMU group %d also holds %s: viable only while no host driver takes them",
			    group, unbound);
		finding_fix(&c->findings, "add them to vfio.devices= so that nothing else can claim them");
	} else {
		finding_add(&c->findings, SEVERITY_OK, "group", slot,
			    "IOMMU group %d holds nothing else a VM would need (bridges apart)", group);
	}
}

static void check_display(struct check *c, size_t first, size_t end, const char *slot)
{
	size_t i;

	for (i = first; i < end; i++) {
		if (!c->requested[i] || !c->fns.items[i].boot_vga)
			continue;
		finding_add(&c->findings, SEVERITY_WARN, "display", slot,
			    "%s is the boot display: the host's console goes dark when vfio-pci takes it",
			    c->fns.items[i].name);
		finding_fix(&c->findings, "give the host another display (choose the primary display in the firmware setup), or accept a host without a console");
		return;
	}
	finding_add(&c->findings, SEVERITY_OK, "display", slot, "not the boot display");
}

static void check_framebuffer(struct check *c, const struct iomem *iomem, size_t first,
			      size_t end, const char *slot)
{
	const struct iomem_range *fb, *bar;
	size_t i;

	for (i = first; i < end; i++) {
		if (!c->requested[i])
			continue;
		fb = iomem_framebuffer_in(iomem, c->fns.items[i].name, &bar);
		if (!fb)
			continue;
		finding_add(&c->findings, SEVERITY_WARN, "framebuffer", slot,
			    "the firmware framebuffer (%s at %llx-%llx) sits in the memory of %s (%llx-%llx): vfio-pci removes it and the console goes dark, or cannot reserve the BAR",
			    fb->name, (unsigned long long)fb->start, (unsigned long long)fb->end,
			    c->fns.items[i].name, (unsigned long long)bar->start,
			    (unsigned long long)bar->end);
		finding_fix(&c->findings, "boot with video=efifb:off (or initcall_blacklist=sysfb_init) so that no framebuffer lies in the card's memory");
		return;
	}
	finding_add(&c->findings, SEVERITY_OK, "framebuffer", slot,
		    "no firmware framebuffer in the card's memory");
}

static void check_reset(struct check *c, size_t first, size_t end, const char *slot)
{
	char path[PATH_MAX], methods[128], item[160], list[LIST_MAX] = "";
	size_t i;

	for (i = first; i < end; i++) {
		if (!c->requested[i] ||
		    path_format(path, sizeof(path), "sys/bus/pci/devices/%s/reset_method",
				c->fns.items[i].name) < 0 ||
		    sysfs_read(c->o->root_fd, path, methods, sizeof(methods)) <= 0)
			continue;
		snprintf(item, sizeof(item), "%s: %s", c->fns.items[i].name, methods);
		append(list, item);
	}
	if (list[0]) {
		finding_add(&c->findings, SEVERITY_OK, "reset", slot,
			    "the kernel can reset it between VM runs (reset_method %s)", list);
		return;
	}
	finding_add(&c->findings, SEVERITY_WARN, "reset", slot,
		    "no reset method (no reset_method file): the card cannot be reset between VM runs, so restarting the VM may need a host reboot");
	finding_fix(&c->findings, "pass the whole slot, so that function 0's bus reset applies, and keep its firmware up to date; some cards need vendor-reset");
}

static void check_driver(struct check *c, size_t first, size_t end, const char *slot)
{
	char host[LIST_MAX] = "", item[96];
	size_t i, on_vfio = 0, n = 0;

	for (i = first; i < end; i++) {
		const struct pci_function *fn = &c->fns.items[i];

		if (!c->requested[i])
			continue;
		n++;
		if (strcmp(fn->driver, VFIO_DRIVER) == 0) {
			on_vfio++;
		} else if (fn->driver[0]) {
			snprintf(item, sizeof(item), "%s (%s)", fn->name, fn->driver);
			append(host, item);
		}
	}
	if (host[0]) {
		finding_add(&c->findings, SEVERITY_WARN, "driver", slot, "host drivers hold %s now",
			    host);
		finding_fix(&c->findings, "the boot takes them with vfio.devices=; to take them now: early-bind bind %s",
			    slot);
	} else if (on_vfio == n) {
		finding_add(&c->findings, SEVERITY_OK, "driver", slot,
			    "every function named is on vfio-pci: ready for a VM");
	} else {
		finding_add(&c->findings, SEVERITY_OK, "driver", slot,
			    "no host driver holds it: vfio-pci can take it");
	}
}

static void check_slot(struct check *c, const struct iomem *iomem, size_t first, size_t end)
{
	char slot[PCI_NAME_MAX];
	size_t i;

	card_slot_name(&c->fns.items[first], slot, sizeof(slot));
	check_groupless(c, first, end, slot);
	for (i = first; i < end; i++)
		if (c->requested[i])
			check_group(c, i, slot);
	check_display(c, first, end, slot);
	if (!iomem->hidden)
		check_framebuffer(c, iomem, first, end, slot);
	check_reset(c, first, end, slot);
	check_driver(c, first, end, slot);
}

static void read_iomem(struct check *c, struct iomem *iomem)
{
	char *text;

	iomem->hidden = true;
	if (sysfs_read_all(c->o->root_fd, "proc/iomem", IOMEM_MAX, &text) < 0)
		return;
	if (iomem_parse(text, iomem) < 0)
		iomem->hidden = true; /* unknown, not "no framebuffer" */
	free(text);
}

void check_cards(struct check *c)
{
	struct iomem iomem = { 0 };
	size_t first, end, checked = 0;
	bool any;

	read_iomem(c, &iomem);
	for (first = 0; first < c->fns.count; first = end) {
		any = false;
		for (end = first; end < c->fns.count &&
				  pci_same_slot(&c->fns.items[first], &c->fns.items[end]);
		     end++)
			any = any || c->requested[end];
		if (any) {
			check_slot(c, &iomem, first, end);
			checked++;
		}
	}
	if (iomem.hidden && checked > 0) {
		finding_add(&c->findings, SEVERITY_WARN, "framebuffer", NULL,
			    "cannot see the addresses in /proc/iomem (only root can), so firmware framebuffers went unchecked");
		finding_fix(&c->findings, "run 'early-bind check' as root");
	}
	iomem_free(&iomem);
}
