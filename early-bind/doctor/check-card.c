// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The card half of the checklist, for every slot the entries name: IOMMU
 * group viability, boot display and firmware framebuffer, reset methods,
 * and which driver holds each function now.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/bootdisplay.h"
#include "engine/card.h"
#include "doctor/check.h"
#include "engine/group.h"
#include "engine/iomem.h"
#include "engine/rootdir.h"
#include "engine/textbuf.h"
#include "engine/vfio.h"

#define IOMEM_MAX (4 << 20)
#define LIST_MAX 768

/* One finding for the functions of a slot that have no group at all. */
static void check_groupless(struct check *c, size_t first, size_t end, const char *slot)
{
	char list[LIST_MAX] = "";
	size_t i;

	for (i = first; i < end; i++)
		if (c->plan.requested[i] && c->fns.items[i].iommu_group < 0)
			textbuf_list_add(list, LIST_MAX, c->fns.items[i].name);
	if (!list[0])
		return;
	finding_add(&c->findings, SEVERITY_ERROR, "group", slot,
		    "no IOMMU group for %s, so vfio-pci cannot take %s", list,
		    strchr(list, ',') ? "them" : "it");
	if (c->iommu_on)
		finding_fix(&c->findings,
			    "see why with 'dmesg | grep -i -e iommu -e dmar -e amd-vi'");
	else
		finding_fix(&c->findings, "turn the IOMMU on (see the iommu finding)");
}

static void check_group(struct check *c, size_t i, const char *slot)
{
	int group = c->fns.items[i].iommu_group;
	struct group_verdict v;
	size_t k;

	if (group < 0 || group_seen_before(&c->fns, c->plan.requested, 0, i))
		return;
	group_verdict(&c->fns, c->plan.requested, group, &v);
	for (k = 0; k < v.n_notes; k++) {
		finding_add(&c->findings, v.notes[k].error ? SEVERITY_ERROR : SEVERITY_WARN,
			    "group", slot, "%s", v.notes[k].what);
		finding_fix(&c->findings, "%s", v.notes[k].fix);
	}
	if (v.n_notes == 0)
		finding_add(&c->findings, SEVERITY_OK, "group", slot, "%s", v.viable);
}

/*
 * Functions a whole-slot entry takes that are not part of the graphics
 * card (an APU's security processor and USB); a function named with .FUNC
 * is what the user asked for.
 */
static bool unasked_extra(const struct check *c, size_t i)
{
	return c->plan.requested[i] && !plan_by_function(&c->plan, i) &&
	       card_function_is_extra(&c->fns, i);
}

static void check_extra(struct check *c, size_t first, size_t end, const char *slot)
{
	char list[FINDING_TEXT_MAX - 128], item[320], value[CARD_VALUE_MAX];
	struct textbuf sb;
	size_t i;

	textbuf_init(&sb, list, sizeof(list));
	for (i = first; i < end; i++) {
		if (!unasked_extra(c, i))
			continue;
		card_extra_describe(&c->fns, i, item, sizeof(item));
		textbuf_item(&sb, "; ", "%s", item);
	}
	if (!list[0] || card_value(&c->fns, first, value, sizeof(value), NULL) < 0)
		return;
	finding_add(&c->findings, SEVERITY_WARN, "card", slot, "the entry names the whole slot: %s",
		    list);
	finding_fix(&c->findings, "take only the graphics card: " PARAMETER "=%s", value);
}

/* Whether every function of card C sits in one slot. */
static bool one_slot(const struct pci_function_list *fns, const struct card *card)
{
	const struct pci_function *first = NULL;
	size_t k;

	for (k = card->first; k < card->first + card->count; k++) {
		if (!card_has_function(fns, card, k))
			continue;
		if (first && !pci_same_slot(first, &fns->items[k]))
			return false;
		first = &fns->items[k];
	}
	return true;
}

/*
 * A card behind its own PCIe switch has functions in other slots (Intel
 * Arc's audio): said once a card, at its first requested slot.
 */
static void check_own_switch(struct check *c, size_t first, size_t end, const char *slot)
{
	char left[LIST_MAX], ports[LIST_MAX], value[CARD_VALUE_MAX];
	struct card card;
	bool shared;
	size_t i, k, n;

	for (i = first; i < end && !c->plan.requested[i]; i++)
		;
	if (i == end || !card_of(&c->fns, i, &card) || !card_has_switch(&card))
		return;
	for (k = card.first; k < first; k++)
		if (c->plan.requested[k])
			return;
	card_switch_describe(&c->fns, &card, ports, sizeof(ports));
	n = card_left_out(&c->fns, &card, c->plan.requested, left, sizeof(left), &shared);
	if (n == 0 && one_slot(&c->fns, &card))
		return; /* AMD's: the switch holds one slot, which the entry names */
	if (n == 0) {
		finding_add(
		    &c->findings, SEVERITY_OK, "card", slot,
		    "the entries take the whole card behind its own PCIe switch; the switch's ports stay with the host, as they must: %s",
		    ports);
		return;
	}
	if (card_value(&c->fns, card.display, value, sizeof(value), NULL) < 0)
		return;
	finding_add(
	    &c->findings, SEVERITY_WARN, "card", slot,
	    "%s is part of a card behind its own PCIe switch (upstream port %s), whose other functions sit in other slots: the entries leave %s with the host",
	    c->fns.items[i].name, c->fns.items[card.upstream].name, left);
	if (shared)
		finding_fix(
		    &c->findings,
		    "take %s too: %s an IOMMU group with what the entries take, so no VM can use the card without %s: " PARAMETER
		    "=%s",
		    n > 1 ? "them" : "it", n > 1 ? "they share" : "it shares",
		    n > 1 ? "them" : "it", value);
	else
		finding_fix(
		    &c->findings,
		    "to give the VM the whole card (its HDMI/DP audio too), take %s too: " PARAMETER
		    "=%s",
		    n > 1 ? "them" : "it", value);
}

/* TAKEN: plan_taken(), so that a PF left alone for its VFs counts as the host's display. */
static void check_display(struct check *c, bool hidden, const bool *taken, size_t first, size_t end,
			  const char *slot)
{
	char what[FINDING_TEXT_MAX - 128], evidence[160];
	const struct pci_function *fn;
	size_t i, at;

	if (!card_host_keeps_display(&c->fns, taken)) {
		at = card_single_gpu(&c->fns, taken, what, sizeof(what));
		if (at >= first && at < end) {
			finding_add(&c->findings, SEVERITY_WARN, "display", slot, "%s", what);
			finding_fix(&c->findings, "%s", card_boot_display_fix(false));
			return;
		}
	}
	for (i = first; i < end; i++) {
		fn = &c->fns.items[i];
		if (!c->plan.requested[i] || !pci_function_is_boot_display(fn))
			continue;
		if (!taken[i]) {
			finding_add(
			    &c->findings, SEVERITY_OK, "display", slot,
			    "%s, the boot display, stays with the host: the entries leave this SR-IOV physical function alone for its virtual functions",
			    fn->name);
			return;
		}
		boot_display_evidence(fn, evidence, sizeof(evidence));
		finding_add(
		    &c->findings, SEVERITY_WARN, "display", slot,
		    "%s is the boot display (%s): the host's console goes dark when vfio-pci takes it",
		    fn->name, evidence);
		finding_fix(&c->findings, "%s", card_boot_display_fix(true));
		return;
	}
	for (i = first; i < end; i++) {
		fn = &c->fns.items[i];
		if (!c->plan.requested[i] || !fn->boot_vga_absent ||
		    fn->framebuffer_bar != BOOT_FB_UNKNOWN)
			continue;
		finding_add(
		    &c->findings, SEVERITY_WARN, "display", slot,
		    "cannot tell whether %s is the boot display: the kernel gives class-%04x devices no boot_vga, and %s",
		    fn->name, fn->class_id,
		    hidden
			? "only root sees where /proc/iomem places the firmware framebuffer"
			: "/proc/iomem holds no firmware framebuffer now (a GPU driver that takes the display removes it)");
		finding_fix(
		    &c->findings, "%s",
		    hidden
			? "run 'early-bind check' as root"
			: "nothing to do here: the boot, which runs before GPU drivers, still sees the framebuffer and says whether it is the boot display");
		return;
	}
	finding_add(&c->findings, SEVERITY_OK, "display", slot, "not the boot display");
}

static void check_framebuffer(struct check *c, const struct iomem *iomem, size_t first, size_t end,
			      const char *slot)
{
	const struct iomem_range *fb, *bar;
	size_t i;

	for (i = first; i < end; i++) {
		if (!c->plan.requested[i])
			continue;
		fb = iomem_framebuffer_in(iomem, c->fns.items[i].name, &bar);
		if (!fb)
			continue;
		finding_add(
		    &c->findings, SEVERITY_WARN, "framebuffer", slot,
		    "the firmware framebuffer (%s at %llx-%llx) sits in the memory of %s (%llx-%llx): vfio-pci removes it and the console goes dark, or cannot reserve the BAR",
		    fb->name, (unsigned long long)fb->start, (unsigned long long)fb->end,
		    c->fns.items[i].name, (unsigned long long)bar->start,
		    (unsigned long long)bar->end);
		finding_fix(
		    &c->findings,
		    "boot with video=efifb:off (or initcall_blacklist=sysfb_init) so that no framebuffer lies in the card's memory");
		return;
	}
	finding_add(&c->findings, SEVERITY_OK, "framebuffer", slot,
		    "no firmware framebuffer in the card's memory");
}

static void check_reset(struct check *c, size_t first, size_t end, const char *slot)
{
	char path[PATH_MAX], methods[128], item[160], list[LIST_MAX] = "";
	struct card card;
	size_t i;

	for (i = first; i < end; i++) {
		if (!c->plan.requested[i] ||
		    pci_attr_path(path, sizeof(path), c->fns.items[i].name, "reset_method") < 0 ||
		    root_read(c->ctx->root_fd, path, methods, sizeof(methods)) <= 0)
			continue;
		snprintf(item, sizeof(item), "%s: %s", c->fns.items[i].name, methods);
		textbuf_list_add(list, LIST_MAX, item);
	}
	if (list[0]) {
		finding_add(&c->findings, SEVERITY_OK, "reset", slot,
			    "the kernel can reset it between VM runs (reset_method %s)", list);
		return;
	}
	finding_add(
	    &c->findings, SEVERITY_WARN, "reset", slot,
	    "no reset method (no reset_method file): the card cannot be reset between VM runs, so restarting the VM may need a host reboot");
	if (card_of(&c->fns, first, &card) && !card_is_discrete(&c->fns, &card))
		finding_fix(
		    &c->findings,
		    "keep the firmware up to date; some GPUs need vendor-reset (do not pass the whole slot for a bus reset: its other functions are not the card's)");
	else
		finding_fix(
		    &c->findings,
		    "pass the whole slot, so that function 0's bus reset applies, and keep its firmware up to date; some cards need vendor-reset");
}

/*
 * What `early-bind bind` should name to take what was asked now: the slot,
 * or its functions when only some were asked for or the slot holds
 * functions that are not the card's.
 */
static void bind_argument(const struct check *c, size_t first, size_t end, const char *slot,
			  char *buf)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = first; i < end; i++)
		if (c->plan.requested[i] && !unasked_extra(c, i)) {
			snprintf(buf + strlen(buf), LIST_MAX - strlen(buf), "%s%s", n ? " " : "",
				 c->fns.items[i].name);
			n++;
		}
	if (n == end - first)
		snprintf(buf, LIST_MAX, "%s", slot);
}

static void check_driver(struct check *c, size_t first, size_t end, const char *slot)
{
	char host[LIST_MAX] = "", item[96], take[LIST_MAX];
	size_t i, on_vfio = 0, n = 0;

	for (i = first; i < end; i++) {
		const struct pci_function *fn = &c->fns.items[i];

		if (!c->plan.requested[i])
			continue;
		n++;
		if (strcmp(fn->driver, VFIO_DRIVER) == 0) {
			on_vfio++;
		} else if (fn->driver[0]) {
			snprintf(item, sizeof(item), "%s (%s)", fn->name, fn->driver);
			textbuf_list_add(host, LIST_MAX, item);
		}
	}
	if (host[0]) {
		bind_argument(c, first, end, slot, take);
		finding_add(&c->findings, SEVERITY_WARN, "driver", slot, "host drivers hold %s now",
			    host);
		finding_fix(
		    &c->findings,
		    "the boot takes them with vfio.devices=; to take them now: early-bind bind %s",
		    take);
	} else if (on_vfio == n) {
		finding_add(&c->findings, SEVERITY_OK, "driver", slot,
			    "every function named is on vfio-pci: ready for a VM");
	} else {
		finding_add(&c->findings, SEVERITY_OK, "driver", slot,
			    "no host driver holds it: vfio-pci can take it");
	}
}

static void check_slot(struct check *c, const struct iomem *iomem, const bool *taken, size_t first,
		       size_t end)
{
	char slot[PCI_NAME_MAX];
	size_t i;

	card_slot_name(&c->fns.items[first], slot, sizeof(slot));
	check_groupless(c, first, end, slot);
	check_extra(c, first, end, slot);
	check_own_switch(c, first, end, slot);
	for (i = first; i < end; i++)
		if (c->plan.requested[i])
			check_group(c, i, slot);
	check_display(c, iomem->hidden, taken, first, end, slot);
	if (!iomem->hidden)
		check_framebuffer(c, iomem, first, end, slot);
	check_reset(c, first, end, slot);
	check_driver(c, first, end, slot);
}

static void read_iomem(struct check *c, struct iomem *iomem)
{
	char *text;

	iomem->hidden = true;
	if (root_read_all(c->ctx->root_fd, "proc/iomem", IOMEM_MAX, &text) < 0)
		return;
	if (iomem_parse(text, iomem) < 0)
		iomem->hidden = true; /* unknown, not "no framebuffer" */
	free(text);
}

bool check_next_requested_slot(const struct check *c, size_t *first, size_t *end)
{
	bool any;

	for (*first = *end; *first < c->fns.count; *first = *end) {
		any = false;
		for (*end = *first; *end < c->fns.count &&
				    pci_same_slot(&c->fns.items[*first], &c->fns.items[*end]);
		     (*end)++)
			any = any || c->plan.requested[*end];
		if (any)
			return true;
	}
	return false;
}

int check_cards(struct check *c)
{
	struct iomem iomem = { 0 };
	size_t first, end = 0, checked = 0;
	bool *taken = plan_taken(&c->plan);

	if (!taken)
		return -ENOMEM;
	read_iomem(c, &iomem);
	while (check_next_requested_slot(c, &first, &end)) {
		check_slot(c, &iomem, taken, first, end);
		checked++;
	}
	if (iomem.hidden && checked > 0) {
		finding_add(
		    &c->findings, SEVERITY_WARN, "framebuffer", NULL,
		    "cannot see the addresses in /proc/iomem (only root can), so firmware framebuffers went unchecked");
		finding_fix(&c->findings, "run 'early-bind check' as root");
	}
	iomem_free(&iomem);
	free(taken);
	return 0;
}
