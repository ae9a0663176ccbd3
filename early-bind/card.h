/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "pcidev.h"

/*
 * A card is a slot that holds a display controller, with all its sibling
 * functions (audio, USB, UCSI...): what a GPU passthrough hands over.
 * Pure: works on the list read before.
 */
struct card {
	size_t first;   /* index of its first function in the sorted list */
	size_t count;   /* its functions are items[first .. first + count) */
	size_t display; /* index of its first display function */
};

struct card_list {
	struct card *items;
	size_t count;
};

/* Every card in FNS (sorted by address, as read). Returns 0 or -ENOMEM. */
int card_list_find(const struct pci_function_list *fns, struct card_list *cards);
void card_list_free(struct card_list *cards);

/* "0000:3b:00" */
void card_slot_name(const struct pci_function *fn, char *buf, size_t size);

/*
 * The vfio.devices= value naming the slot of FNS->items[I]:
 * "3b:00@10de:1e07", with the domain when it is not 0000 or the bus and
 * slot exist in another domain too, guarded by function 0's ID. Returns
 * -EPERM when a function of the slot is a bridge (vfio-pci must not take
 * it), with BUF naming it.
 */
int card_value(const struct pci_function_list *fns, size_t i, char *buf, size_t size);

bool card_is_boot_display(const struct pci_function_list *fns, const struct card *c);

/* Whether A and B are functions of one slot. */
bool pci_same_slot(const struct pci_function *a, const struct pci_function *b);
