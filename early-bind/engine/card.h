/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "engine/pcidev.h"

/*
 * A card is a slot that holds a display controller. Not every function of
 * such a slot is part of a graphics card: an AMD APU's integrated GPU
 * shares its slot with the processor's security processor (ccp) and its
 * USB controllers. The rule: a slot is a discrete card when every function
 * has the display's vendor and is a display, audio (0403), USB (0c03) or
 * serial-bus (0c80) function; then all of them are the card's. Otherwise
 * only the displays and the display vendor's audio (HDMI/DP) are.
 *
 * A card with a PCIe switch of its own (Intel Arc: the GPU at 03:00.0, its
 * HDMI/DP audio at 04:00.0; AMD RDNA3 and RDNA4) is more than a slot: when
 * a display sits behind a switch whose upstream port has the display's
 * vendor, the card is every endpoint behind that upstream port with that
 * vendor that is a display, audio, USB or serial-bus function. Its range
 * then spans the buses behind the upstream port, switch ports included;
 * those are never the card's. A switch is read from the bus numbers, as
 * sysfs nests the devices: a bridge (the downstream port) whose parent
 * bridge (the upstream port) is not on a root bus. PCIe port types are in
 * the capability list, which only root can read (others see the first 64
 * bytes of config), and `list` says the same to every user.
 * Pure: works on the list read before.
 */
struct card {
	size_t first;	 /* index of its first function in the sorted list */
	size_t count;	 /* its functions are items[first .. first + count) */
	size_t display;	 /* index of its first display function */
	size_t upstream; /* its own switch's upstream port; CARD_NO_SWITCH: a slot */
};

#define CARD_NO_SWITCH ((size_t)-1)

struct card_list {
	struct card *items;
	size_t count;
};

/* Every card in FNS (sorted by address, as read). Returns 0 or -ENOMEM. */
int card_list_find(const struct pci_function_list *fns, struct card_list *cards);
void card_list_free(struct card_list *cards);

/* Room for the longest card_value() and its reason. */
#define CARD_VALUE_MAX 160
#define CARD_REASON_MAX 64

/* The card whose slot holds FNS->items[I]; false when the slot has no display. */
bool card_of(const struct pci_function_list *fns, size_t i, struct card *c);

/* Whether every function of C's slot is part of the graphics card (see above). */
bool card_is_discrete(const struct pci_function_list *fns, const struct card *c);

/* Whether FNS->items[I], a function of C's slot, is part of the graphics card. */
bool card_has_function(const struct pci_function_list *fns, const struct card *c, size_t i);

/* Whether FNS->items[I] sits in a card's slot but is not part of the graphics card. */
bool card_function_is_extra(const struct pci_function_list *fns, size_t i);

/*
 * For such a function: "0000:09:00.2 [1022:15df] encryption (ccp) is not
 * part of a graphics card: the processor's security processor (AMD PSP:
 * firmware TPM, memory encryption)".
 */
void card_extra_describe(const struct pci_function_list *fns, size_t i, char *buf, size_t size);

/*
 * What to do about giving the boot display to a VM, when the host keeps
 * another display controller and when it does not (single-GPU passthrough:
 * how to get the console back).
 */
const char *card_boot_display_fix(bool host_keeps_another);

/* Whether a display controller stays with the host: one REQUESTED (parallel to FNS) leaves. */
bool card_host_keeps_display(const struct pci_function_list *fns, const bool *requested);

/*
 * When REQUESTED takes every display controller of the machine (single-GPU
 * passthrough): what that means into WHAT, naming them and the boot display
 * among them with its evidence; returns the index of the function to say
 * it at once, the boot display if it is known, else the first display.
 * FNS->count (WHAT empty) when the host keeps a display, or has none.
 */
size_t card_single_gpu(const struct pci_function_list *fns, const bool *requested, char *what,
		       size_t size);

/* "0000:3b:00" */
void card_slot_name(const struct pci_function *fn, char *buf, size_t size);

/*
 * The vfio.devices= value that takes the card in the slot of FNS->items[I],
 * into VALUE: the slot, "3b:00@10de:1e07", guarded by function 0's ID, for
 * a discrete card (or a slot without a display); else each function of the
 * graphics card, "09:00.0@1002:15d8,09:00.1@1002:15de", guarded by its own
 * ID. With the domain when it is not 0000 or the bus and slot exist in
 * another domain too. Returns 0, or -EPERM when a function of the slot is a
 * bridge (vfio-pci must not take it): VALUE is then empty and REASON (room
 * for CARD_REASON_MAX; may be NULL) says which, "0000:00:01.0 is a bridge".
 */
int card_value(const struct pci_function_list *fns, size_t i, char *value, size_t size,
	       char *reason);

bool card_is_boot_display(const struct pci_function_list *fns, const struct card *c);

/* Whether C is a card behind its own PCIe switch (see above). */
bool card_has_switch(const struct card *c);

/*
 * The ports of C's own switch into BUF: "0000:07:00.0 (upstream port),
 * 0000:08:01.0, 0000:08:04.0 (downstream ports)".
 */
void card_switch_describe(const struct pci_function_list *fns, const struct card *c, char *buf,
			  size_t size);

/*
 * For a card behind its own switch: the functions of the card that
 * REQUESTED (parallel to FNS) leaves out, into BUF as "0000:04:00.0
 * [8086:4f92] audio (snd_hda_intel)" joined by ", "; returns how many, and
 * whether one shares an IOMMU group with a requested function of the card
 * in *SHARED (may be NULL). 0 for a card that is one slot, whose functions
 * an entry names by slot or, with .FUNC, as meant.
 */
size_t card_left_out(const struct pci_function_list *fns, const struct card *c,
		     const bool *requested, char *buf, size_t size, bool *shared);

/* Whether A and B are functions of one slot. */
bool pci_same_slot(const struct pci_function *a, const struct pci_function *b);
