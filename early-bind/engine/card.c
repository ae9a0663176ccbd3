// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/card.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/bootdisplay.h"
#include "engine/textbuf.h"

bool pci_same_slot(const struct pci_function *a, const struct pci_function *b)
{
	return a->domain == b->domain && a->bus == b->bus && a->slot == b->slot;
}

/* Functions of the slot starting at FIRST; the list is sorted by address. */
static size_t slot_size(const struct pci_function_list *fns, size_t first)
{
	size_t n = 1;

	while (first + n < fns->count && pci_same_slot(&fns->items[first], &fns->items[first + n]))
		n++;
	return n;
}

static int add_card(struct card_list *cards, const struct card *c)
{
	struct card *items = realloc(cards->items, (cards->count + 1) * sizeof(*items));

	if (!items)
		return -ENOMEM;
	cards->items = items;
	items[cards->count++] = *c;
	return 0;
}

bool card_has_switch(const struct card *c)
{
	return c->upstream != CARD_NO_SWITCH;
}

int card_list_find(const struct pci_function_list *fns, struct card_list *cards)
{
	size_t first, next, i;
	struct card c;

	cards->items = NULL;
	cards->count = 0;
	for (first = 0; first < fns->count; first = next) {
		next = first + slot_size(fns, first);
		for (i = first; i < next; i++)
			if (pci_function_is_display(&fns->items[i]))
				break;
		if (i == next || !card_of(fns, i, &c))
			continue;
		if (add_card(cards, &c) < 0) {
			card_list_free(cards);
			return -ENOMEM;
		}
		/* A card behind its own switch spans the slots behind it: one card. */
		if (card_has_switch(&c) && c.first + c.count > next)
			next = c.first + c.count;
	}
	return 0;
}

void card_list_free(struct card_list *cards)
{
	free(cards->items);
	cards->items = NULL;
	cards->count = 0;
}

void card_slot_name(const struct pci_function *fn, char *buf, size_t size)
{
	snprintf(buf, size, "%04x:%02x:%02x", fn->domain, fn->bus, fn->slot);
}

/* Whether the bus and slot of FN exist in another domain too. */
static bool slot_in_other_domain(const struct pci_function_list *fns, const struct pci_function *fn)
{
	size_t i;

	for (i = 0; i < fns->count; i++) {
		const struct pci_function *o = &fns->items[i];

		if (o->domain != fn->domain && o->bus == fn->bus && o->slot == fn->slot)
			return true;
	}
	return false;
}

/* Whether FN may be part of a discrete graphics card whose display is DISPLAY. */
static bool card_kind(const struct pci_function *fn, const struct pci_function *display)
{
	return fn->vendor == display->vendor &&
	       (pci_function_is_display(fn) || fn->class_id == PCI_CLASS_MULTIMEDIA_AUDIO_DEV ||
		fn->class_id == PCI_CLASS_SERIAL_USB || fn->class_id == CLASS_SERIAL_OTHER);
}

/* The bridge whose secondary bus FN is on: its parent; CARD_NO_SWITCH on a root bus. */
static size_t parent_of(const struct pci_function_list *fns, const struct pci_function *fn)
{
	size_t k;

	for (k = 0; k < fns->count; k++) {
		const struct pci_function *b = &fns->items[k];

		if (b->header_type == 1 && b->secondary_bus != 0 && b->domain == fn->domain &&
		    b->secondary_bus == fn->bus)
			return k;
	}
	return CARD_NO_SWITCH;
}

/*
 * The upstream port of the switch right above FNS->items[I]: its parent
 * is a downstream port, and that one's parent an upstream port, which
 * (unlike a root port) is not on a root bus. CARD_NO_SWITCH: none.
 */
static size_t switch_above(const struct pci_function_list *fns, size_t i)
{
	size_t down = parent_of(fns, &fns->items[i]), up;

	if (down == CARD_NO_SWITCH)
		return CARD_NO_SWITCH;
	up = parent_of(fns, &fns->items[down]);
	if (up == CARD_NO_SWITCH || parent_of(fns, &fns->items[up]) == CARD_NO_SWITCH)
		return CARD_NO_SWITCH;
	return up;
}

/* The card behind its own switch that FNS->items[I] sits in (see card.h); false: none. */
static bool switch_card(const struct pci_function_list *fns, size_t i, struct card *c)
{
	const struct pci_function *up;
	size_t u, k;

	if (pci_function_is_bridge(&fns->items[i]))
		return false;
	u = switch_above(fns, i);
	if (u == CARD_NO_SWITCH)
		return false;
	up = &fns->items[u];
	/* What is behind a bridge is one run of the sorted list. */
	for (c->first = 0; c->first < fns->count; c->first++)
		if (fns->items[c->first].domain == up->domain &&
		    fns->items[c->first].bus >= up->secondary_bus)
			break;
	for (c->count = 0; c->first + c->count < fns->count; c->count++)
		if (fns->items[c->first + c->count].domain != up->domain ||
		    fns->items[c->first + c->count].bus > up->subordinate_bus)
			break;
	for (k = c->first; k < c->first + c->count; k++) {
		if (pci_function_is_display(&fns->items[k]) && fns->items[k].vendor == up->vendor &&
		    switch_above(fns, k) == u) {
			c->display = k;
			c->upstream = u;
			return true;
		}
	}
	return false;
}

bool card_of(const struct pci_function_list *fns, size_t i, struct card *c)
{
	size_t first = i, k;

	if (switch_card(fns, i, c))
		return true;
	c->upstream = CARD_NO_SWITCH;
	while (first > 0 && pci_same_slot(&fns->items[first - 1], &fns->items[i]))
		first--;
	c->first = first;
	c->count = slot_size(fns, first);
	for (k = first; k < first + c->count; k++) {
		if (pci_function_is_display(&fns->items[k])) {
			c->display = k;
			return true;
		}
	}
	return false;
}

bool card_is_discrete(const struct pci_function_list *fns, const struct card *c)
{
	size_t k;

	for (k = c->first; k < c->first + c->count; k++) {
		if (card_has_switch(c) && pci_function_is_bridge(&fns->items[k]))
			continue; /* the switch's own ports */
		if (!card_kind(&fns->items[k], &fns->items[c->display]))
			return false;
	}
	return true;
}

bool card_has_function(const struct pci_function_list *fns, const struct card *c, size_t i)
{
	const struct pci_function *fn = &fns->items[i];

	if (i < c->first || i >= c->first + c->count)
		return false;
	if (card_has_switch(c))
		return !pci_function_is_bridge(fn) && card_kind(fn, &fns->items[c->display]);
	return pci_function_is_display(fn) || card_is_discrete(fns, c) ||
	       (fn->class_id == PCI_CLASS_MULTIMEDIA_AUDIO_DEV &&
		fn->vendor == fns->items[c->display].vendor);
}

bool card_function_is_extra(const struct pci_function_list *fns, size_t i)
{
	struct card c;

	return card_of(fns, i, &c) && !card_has_function(fns, &c, i);
}

static const char *extra_kind(uint16_t class_id)
{
	switch (pci_base_class(class_id)) {
	case PCI_BASE_CLASS_CRYPT:
		return "the processor's security processor (AMD PSP: firmware TPM, memory encryption)";
	case PCI_BASE_CLASS_SIGNAL:
		return "a signal processor of the processor (such as AMD's sensor fusion hub)";
	case PCI_BASE_CLASS_MULTIMEDIA:
		return "an audio device of the processor or chipset: the host's own sound";
	case PCI_BASE_CLASS_SYSTEM:
		return "a system peripheral of the processor";
	}
	if (class_id == PCI_CLASS_SERIAL_USB)
		return "a USB controller of the processor or chipset, perhaps with the host's keyboard, mouse or disks behind it";
	if (pci_base_class(class_id) == PCI_BASE_CLASS_SERIAL)
		return "a serial-bus controller of the processor (I2C, sensors)";
	return "a function of the processor or chipset";
}

void card_extra_describe(const struct pci_function_list *fns, size_t i, char *buf, size_t size)
{
	const struct pci_function *fn = &fns->items[i];
	char what[96];

	pci_function_describe(fn, what, sizeof(what));
	snprintf(buf, size, "%s (%s) is not part of a graphics card: %s", what,
		 driver_text(fn->driver), extra_kind(fn->class_id));
}

const char *card_boot_display_fix(bool host_keeps_another)
{
	if (host_keeps_another)
		return "give the host another display (choose the primary display in the firmware setup), or accept a host without a console";
	return "to get the console back, give the display back when the VM shuts down with a hook that runs 'early-bind release' (libvirt: /etc/libvirt/hooks/qemu); until then, reach the host over SSH or a serial console (console=ttyS0); or leave the host a display controller of its own (the processor's integrated graphics or another card)";
}

bool card_host_keeps_display(const struct pci_function_list *fns, const bool *requested)
{
	size_t k;

	for (k = 0; k < fns->count; k++)
		if (!requested[k] && pci_function_is_display(&fns->items[k]))
			return true;
	return false;
}

size_t card_single_gpu(const struct pci_function_list *fns, const bool *requested, char *what,
		       size_t size)
{
	char list[512], evidence[160] = "";
	size_t k, at = fns->count;
	struct textbuf sb;

	what[0] = '\0';
	textbuf_init(&sb, list, sizeof(list));
	if (card_host_keeps_display(fns, requested))
		return fns->count;
	for (k = 0; k < fns->count; k++) {
		const struct pci_function *fn = &fns->items[k];

		if (!pci_function_is_display(fn))
			continue;
		if (at == fns->count)
			at = k;
		evidence[0] = '\0';
		if (pci_function_is_boot_display(fn)) {
			at = k;
			boot_display_evidence(fn, evidence, sizeof(evidence));
		}
		textbuf_item(&sb, ", ", "%s%s%s%s", fn->name,
			     evidence[0] ? " (the boot display: " : "", evidence,
			     evidence[0] ? ")" : "");
	}
	if (at == fns->count)
		return at; /* a machine without displays */
	snprintf(
	    what, size,
	    "the entries take every display controller of this machine, %s, so the host keeps none: from the boot on it has no console while vfio-pci holds %s%s; that is meant for single-GPU passthrough setups, which lend the host's display to a VM",
	    list, strchr(list, ',') ? "them" : "it",
	    pci_function_is_boot_display(&fns->items[at])
		? " (boot with video=efifb:off so that no firmware framebuffer stays in its memory)"
		: "");
	return at;
}

/*
 * "3b:00@10de:1e07", or with FUNC "09:00.1@1002:15de", into BUF; GUARD is
 * the function whose ID guards it (NULL: none).
 */
static void entry_name(const struct pci_function *fn, bool domain, bool func,
		       const struct pci_function *guard, char *buf, size_t size)
{
	char d[16] = "", f[4] = "", g[16] = "";

	if (domain)
		snprintf(d, sizeof(d), "%04x:", fn->domain);
	if (func)
		snprintf(f, sizeof(f), ".%x", fn->func);
	if (guard)
		snprintf(g, sizeof(g), "@%04x:%04x", guard->vendor, guard->device);
	snprintf(buf, size, "%s%02x:%02x%s%s", d, fn->bus, fn->slot, f, g);
}

/*
 * The value of a card behind its own switch: each of its slots, guarded by
 * function 0's ID, when all of the slot is the card's, else each function
 * of the card in it with its own ID: "03:00@8086:56a0,04:00@8086:4f90".
 */
static void switch_value(const struct pci_function_list *fns, const struct card *c, char *value,
			 size_t size)
{
	size_t first, n, k, mine, end = c->first + c->count;
	bool domain = false;
	char item[48];
	struct textbuf sb;

	textbuf_init(&sb, value, size);
	for (k = c->first; k < end; k++)
		if (card_has_function(fns, c, k))
			domain |=
			    fns->items[k].domain != 0 || slot_in_other_domain(fns, &fns->items[k]);
	for (first = c->first; first < end; first += n) {
		n = slot_size(fns, first);
		for (mine = 0, k = first; k < first + n; k++)
			mine += card_has_function(fns, c, k);
		for (k = first; k < first + n && mine; k++) {
			const struct pci_function *fn = &fns->items[k];

			if (mine == n)
				entry_name(fn, domain, false, fn->func == 0 ? fn : NULL, item,
					   sizeof(item));
			else if (card_has_function(fns, c, k))
				entry_name(fn, domain, true, fn, item, sizeof(item));
			else
				continue;
			textbuf_item(&sb, ",", "%s", item);
			if (mine == n)
				break;
		}
	}
}

int card_value(const struct pci_function_list *fns, size_t i, char *value, size_t size,
	       char *reason)
{
	const struct pci_function *fn = &fns->items[i], *zero = NULL;
	bool domain = fn->domain != 0 || slot_in_other_domain(fns, fn);
	char item[48];
	struct card c;
	struct textbuf sb;
	size_t k;
	bool card = card_of(fns, i, &c);

	value[0] = '\0';
	if (card && card_has_switch(&c)) {
		switch_value(fns, &c, value, size);
		return 0;
	}
	for (k = c.first; k < c.first + c.count; k++) {
		if (pci_function_is_bridge(&fns->items[k])) {
			if (reason)
				snprintf(reason, CARD_REASON_MAX, "%s is a bridge",
					 fns->items[k].name);
			return -EPERM;
		}
		if (fns->items[k].func == 0)
			zero = &fns->items[k];
	}
	/* resolve_entry() checks a whole slot's guard against function 0. */
	if (!card || card_is_discrete(fns, &c)) {
		entry_name(fn, domain, false, zero, value, size);
		return 0;
	}
	textbuf_init(&sb, value, size);
	for (k = c.first; k < c.first + c.count; k++) {
		if (!card_has_function(fns, &c, k))
			continue;
		entry_name(&fns->items[k], domain, true, &fns->items[k], item, sizeof(item));
		textbuf_item(&sb, ",", "%s", item);
	}
	return 0;
}

bool card_is_boot_display(const struct pci_function_list *fns, const struct card *c)
{
	size_t i;

	for (i = c->first; i < c->first + c->count; i++)
		if (pci_function_is_boot_display(&fns->items[i]))
			return true;
	return false;
}

void card_switch_describe(const struct pci_function_list *fns, const struct card *c, char *buf,
			  size_t size)
{
	const struct pci_function *up = &fns->items[c->upstream];
	size_t k, n = 0;
	struct textbuf sb;

	textbuf_init(&sb, buf, size);
	textbuf_add(&sb, "%s (upstream port)", up->name);
	for (k = c->first; k < c->first + c->count; k++) {
		if (!pci_function_is_bridge(&fns->items[k]) ||
		    fns->items[k].bus != up->secondary_bus)
			continue;
		textbuf_add(&sb, ", %s", fns->items[k].name);
		n++;
	}
	if (n)
		textbuf_add(&sb, " (downstream port%s)", n > 1 ? "s" : "");
}

/* Whether a function of C that REQUESTED takes is in the IOMMU group of FNS->items[I]. */
static bool group_taken(const struct pci_function_list *fns, const struct card *c,
			const bool *requested, size_t i)
{
	size_t k;

	for (k = c->first; k < c->first + c->count; k++)
		if (requested[k] && fns->items[i].iommu_group >= 0 &&
		    fns->items[k].iommu_group == fns->items[i].iommu_group)
			return true;
	return false;
}

size_t card_left_out(const struct pci_function_list *fns, const struct card *c,
		     const bool *requested, char *buf, size_t size, bool *shared)
{
	const struct pci_function *fn;
	char what[96];
	size_t k, n = 0;
	struct textbuf sb;

	textbuf_init(&sb, buf, size);
	if (shared)
		*shared = false;
	if (!card_has_switch(c))
		return 0;
	for (k = c->first; k < c->first + c->count; k++) {
		if (requested[k] || !card_has_function(fns, c, k))
			continue;
		fn = &fns->items[k];
		pci_function_describe(fn, what, sizeof(what));
		textbuf_item(&sb, ", ", "%s (%s)", what, driver_text(fn->driver));
		n++;
		if (shared)
			*shared |= group_taken(fns, c, requested, k);
	}
	return n;
}
