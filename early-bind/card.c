// SPDX-License-Identifier: GPL-2.0-or-later
#include "card.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

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

static int add_card(struct card_list *cards, size_t first, size_t count, size_t display)
{
	struct card *items = realloc(cards->items, (cards->count + 1) * sizeof(*items));

	if (!items)
		return -ENOMEM;
	cards->items = items;
	items[cards->count++] = (struct card){ first, count, display };
	return 0;
}

int card_list_find(const struct pci_function_list *fns, struct card_list *cards)
{
	size_t first, n, i;

	cards->items = NULL;
	cards->count = 0;
	for (first = 0; first < fns->count; first += n) {
		n = slot_size(fns, first);
		for (i = first; i < first + n; i++)
			if (pci_function_is_display(&fns->items[i]))
				break;
		if (i < first + n && add_card(cards, first, n, i) < 0) {
			card_list_free(cards);
			return -ENOMEM;
		}
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
static bool slot_in_other_domain(const struct pci_function_list *fns,
				 const struct pci_function *fn)
{
	size_t i;

	for (i = 0; i < fns->count; i++) {
		const struct pci_function *o = &fns->items[i];

		if (o->domain != fn->domain && o->bus == fn->bus && o->slot == fn->slot)
			return true;
	}
	return false;
}

int card_value(const struct pci_function_list *fns, size_t i, char *buf, size_t size)
{
	const struct pci_function *fn = &fns->items[i];
	char domain[16] = "", guard[16] = "";
	size_t k;

	for (k = 0; k < fns->count; k++) {
		const struct pci_function *o = &fns->items[k];

		if (!pci_same_slot(o, fn))
			continue;
		if (pci_function_is_bridge(o)) {
			snprintf(buf, size, "%s is a bridge", o->name);
			return -EPERM;
		}
		/* resolve_entry() checks a whole slot's guard against function 0. */
		if (o->func == 0)
			snprintf(guard, sizeof(guard), "@%04x:%04x", o->vendor, o->device);
	}
	if (fn->domain != 0 || slot_in_other_domain(fns, fn))
		snprintf(domain, sizeof(domain), "%04x:", fn->domain);
	snprintf(buf, size, "%s%02x:%02x%s", domain, fn->bus, fn->slot, guard);
	return 0;
}

bool card_is_boot_display(const struct pci_function_list *fns, const struct card *c)
{
	size_t i;

	for (i = c->first; i < c->first + c->count; i++)
		if (fns->items[i].boot_vga)
			return true;
	return false;
}
