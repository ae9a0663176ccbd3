// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/group.h"

#include <stdio.h>
#include <string.h>

#include "engine/card.h"
#include "engine/textbuf.h"
#include "engine/vfio.h"

/* Whether NAME ends in SUFFIX. */
static bool ends_with(const char *name, const char *suffix)
{
	size_t len = strlen(name), n = strlen(suffix);

	return len >= n && strcmp(name + len - n, suffix) == 0;
}

bool group_driver_manages_dma(const char *driver)
{
	/* Variants name themselves after vfio-pci: KBUILD_MODNAME or a literal. */
	return strcmp(driver, VFIO_DRIVER) == 0 || strcmp(driver, "pci-stub") == 0 ||
	       strcmp(driver, "pcieport") == 0 || ends_with(driver, "_vfio_pci") ||
	       ends_with(driver, "-vfio-pci") || strncmp(driver, "vfio-pci-", 9) == 0;
}

enum member_effect group_member_effect(const struct pci_function *fn)
{
	if (group_driver_manages_dma(fn->driver))
		return MEMBER_HARMLESS;
	if (!fn->driver[0])
		return pci_function_is_bridge(fn) ? MEMBER_HARMLESS : MEMBER_UNBOUND;
	return MEMBER_BLOCKS;
}

bool group_seen_before(const struct pci_function_list *fns, const bool *among, size_t from,
		       size_t i)
{
	size_t k;

	for (k = from; k < i; k++)
		if ((!among || among[k]) && fns->items[k].iommu_group == fns->items[i].iommu_group)
			return true;
	return false;
}

#define LIST_MAX 640

/* The members of a group outside the request, sorted by what may be done about them. */
struct members {
	char host[LIST_MAX];	/* what the host needs: never to be given away */
	char card[LIST_MAX];	/* functions of a requested card: may be added */
	char other[LIST_MAX];	/* anything else: goes to the VM with the group */
	char cards[LIST_MAX];	/* the requested cards in the group */
	char managed[LIST_MAX]; /* functions on drivers that manage DMA, bridges apart */
	size_t n_cards;
	size_t card_of; /* a function of the card the card list names */
	bool card_blocks, other_blocks;
	bool vmd;	   /* an Intel VMD controller is among the host's */
	bool host_in_slot; /* every host member shares a requested card's slot */
};

static bool slot_requested(const bool *requested, const struct card *c)
{
	size_t k;

	for (k = c->first; k < c->first + c->count; k++)
		if (requested[k])
			return true;
	return false;
}

/* Whether FNS->items[I] is a function of a graphics card, not the boot display. */
static bool card_function(const struct pci_function_list *fns, size_t i, struct card *c)
{
	return card_of(fns, i, c) && card_has_function(fns, c, i) &&
	       !pci_function_is_boot_display(&fns->items[i]);
}

/* "0000:3b:00.2 [10de:1ad6] usb (xhci_hcd)" */
static void member_item(const struct pci_function *fn, char *item, size_t size)
{
	char what[96];

	pci_function_describe(fn, what, sizeof(what));
	snprintf(item, size, "%s (%s)", what, driver_text(fn->driver));
}

static void sort_member(const struct pci_function_list *fns, const bool *requested, size_t k,
			struct members *m)
{
	const struct pci_function *fn = &fns->items[k];
	enum member_effect effect = group_member_effect(fn);
	char item[192];
	struct card c;

	member_item(fn, item, sizeof(item));
	if (effect == MEMBER_HARMLESS) {
		if (!pci_function_is_bridge(fn))
			textbuf_list_add(m->managed, LIST_MAX, item);
	} else if (card_function(fns, k, &c) && slot_requested(requested, &c)) {
		textbuf_list_add(m->card, LIST_MAX, item);
		m->card_blocks |= effect == MEMBER_BLOCKS;
		m->card_of = k;
	} else if (pci_function_host_needs(fn) && !card_function(fns, k, &c)) {
		textbuf_list_add(m->host, LIST_MAX, item);
		m->vmd |= pci_function_is_vmd(fn);
		m->host_in_slot &= card_of(fns, k, &c) && slot_requested(requested, &c);
	} else {
		textbuf_list_add(m->other, LIST_MAX, item);
		m->other_blocks |= effect == MEMBER_BLOCKS;
	}
}

/* Whether FNS->items[K] is the first requested display of its slot: one a card. */
static bool first_requested_display(const struct pci_function_list *fns, const bool *requested,
				    size_t k)
{
	size_t i;

	if (!requested[k] || !pci_function_is_display(&fns->items[k]))
		return false;
	for (i = k; i > 0 && pci_same_slot(&fns->items[i - 1], &fns->items[k]); i--)
		if (requested[i - 1] && pci_function_is_display(&fns->items[i - 1]))
			return false;
	return true;
}

static void sort_members(const struct pci_function_list *fns, const bool *requested, int group,
			 struct members *m)
{
	char slot[PCI_NAME_MAX];
	size_t k;

	memset(m, 0, sizeof(*m));
	m->host_in_slot = true;
	for (k = 0; k < fns->count; k++) {
		const struct pci_function *fn = &fns->items[k];

		if (fn->iommu_group != group)
			continue;
		if (first_requested_display(fns, requested, k)) {
			card_slot_name(fn, slot, sizeof(slot));
			textbuf_list_add(m->cards, LIST_MAX, slot);
			m->n_cards++;
		} else if (!requested[k]) {
			sort_member(fns, requested, k, m);
		}
	}
}

static const char *host_fix(const struct members *m)
{
	if (m->vmd)
		return "never give those to vfio-pci: the Intel VMD controller (Volume Management Device, Intel RST) puts the NVMe drives behind it into its own IOMMU group, so disable VMD in the firmware setup (the drives then get groups of their own; Linux finds them without VMD, but a RAID volume or a system installed in RST mode needs care first), or put the device in another slot";
	if (m->host_in_slot)
		return "never give those to vfio-pci: they are the processor's own functions in the card's slot, so this integrated GPU cannot go to a VM on this machine; give the VM a discrete card in a slot with a group of its own";
	return "never give those to vfio-pci: put the device in a slot whose IOMMU group holds it alone (usually one wired to the processor, not to the chipset), or enable ACS in the firmware setup if the board offers it";
}

static struct group_note *add(struct group_note *notes, size_t *n, bool error, bool never)
{
	struct group_note *note = &notes[(*n)++];

	note->error = error;
	note->never = never;
	return note;
}

/* A note on members LIST (WHOSE says whose they are): not viable when one BLOCKS. */
static struct group_note *add_members(struct group_note *notes, size_t *n, bool blocks, int group,
				      const char *list, const char *whose)
{
	struct group_note *note = add(notes, n, blocks, false);

	if (blocks)
		snprintf(note->what, GROUP_TEXT_MAX,
			 "IOMMU group %d is not viable: it also holds %s%s", group, list, whose);
	else
		snprintf(
		    note->what, GROUP_TEXT_MAX,
		    "IOMMU group %d also holds %s%s: viable only while no host driver takes them",
		    group, list, whose);
	return note;
}

/* What the members M of GROUP mean for a VM: into NOTES, returning how many. */
static size_t member_notes(const struct members *m, const struct pci_function_list *fns, int group,
			   struct group_note *notes)
{
	struct group_note *note;
	char value[CARD_VALUE_MAX];
	size_t n = 0;

	if (m->host[0]) {
		note = add(notes, &n, true, true);
		snprintf(
		    note->what, GROUP_TEXT_MAX,
		    "IOMMU group %d is not viable, and never will be: it also holds devices the host needs: %s",
		    group, m->host);
		snprintf(note->fix, GROUP_TEXT_MAX, "%s", host_fix(m));
	}
	if (m->card[0]) {
		note = add_members(notes, &n, m->card_blocks, group, m->card,
				   ", of the same card but not requested");
		if (card_value(fns, m->card_of, value, sizeof(value), NULL) < 0)
			snprintf(note->fix, GROUP_TEXT_MAX, "name those functions too");
		else
			snprintf(note->fix, GROUP_TEXT_MAX, "take the whole card: " PARAMETER "=%s",
				 value);
	}
	if (m->other[0]) {
		note = add_members(notes, &n, m->other_blocks, group, m->other, "");
		snprintf(
		    note->fix, GROUP_TEXT_MAX,
		    "a VM gets a group whole, so those would go to the same VM: put the device in a slot with a group of its own, or enable ACS in the firmware setup if the board offers it");
	}
	if (m->n_cards > 1) {
		note = add(notes, &n, false, false);
		snprintf(
		    note->what, GROUP_TEXT_MAX,
		    "IOMMU group %d holds the cards %s: a group goes to one VM only, so these cards can only go to the same VM",
		    group, m->cards);
		snprintf(
		    note->fix, GROUP_TEXT_MAX,
		    "for a card per VM, move one of them to a slot with a group of its own, or enable ACS in the firmware setup if the board offers it");
	}
	return n;
}

void group_verdict(const struct pci_function_list *fns, const bool *requested, int group,
		   struct group_verdict *v)
{
	struct members m;

	sort_members(fns, requested, group, &m);
	v->n_notes = member_notes(&m, fns, group, v->notes);
	v->shared = v->n_notes == 0 && m.managed[0];
	v->viable[0] = '\0';
	if (v->shared)
		snprintf(
		    v->viable, GROUP_TEXT_MAX,
		    "IOMMU group %d is viable: it also holds %s, on drivers that manage DMA themselves as vfio-pci does; a group goes to one VM only, so those can only go to the same VM",
		    group, m.managed);
	else if (v->n_notes == 0)
		snprintf(v->viable, GROUP_TEXT_MAX,
			 "IOMMU group %d holds nothing else a VM would need (bridges apart)",
			 group);
}
