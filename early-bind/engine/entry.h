/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One item of vfio.devices=:  [DOMAIN:]BUS:SLOT[.FUNC][@VENDOR:DEVICE], or
 * a path from a bridge on a root bus, as the kernel's pci=resource_alignment=
 * takes it: [DOMAIN:]BUS:SLOT.FUNC{/SLOT.FUNC}/SLOT[.FUNC][@VENDOR:DEVICE].
 * Each /SLOT.FUNC is a bridge on the bus behind the one before; the last
 * /SLOT[.FUNC] is what the entry names, a slot or a function, as in the
 * bus form. Bus numbers behind a root port change when firmware numbers
 * the buses again; a path does not. Pure parsing: no I/O, so every rule is
 * unit-tested on its own.
 */

#define ENTRY_GRAMMAR "[DOMAIN:]BUS:SLOT[.FUNC][@VENDOR:DEVICE]"
#define ENTRY_PATH_GRAMMAR "[DOMAIN:]BUS:SLOT.FUNC{/SLOT.FUNC}/SLOT[.FUNC][@VENDOR:DEVICE]"
/* Bridges a path may pass (the '/' it has): deeper than any machine's tree. */
#define ENTRY_PATH_MAX 8
/* Longest entry text quoted back in messages; longer ones are shortened. */
#define ENTRY_TEXT_MAX 48
#define ENTRY_ERROR_MAX 128
#define DOMAIN_MAX 0x7fffffffu /* the kernel keeps PCI domains in an int */

/* A bridge a path passes: a function on the bus behind the previous one. */
struct entry_hop {
	uint8_t slot;
	uint8_t func;
};

struct entry {
	char text[ENTRY_TEXT_MAX];   /* printable copy for messages */
	char error[ENTRY_ERROR_MAX]; /* why it did not parse; "" when ok */
	bool ok;
	bool has_domain;
	bool has_func;
	bool has_guard;
	uint32_t domain;
	uint8_t bus;  /* a path's: the root bus it starts on */
	uint8_t slot; /* the slot named, on BUS or, for a path, behind its last bridge */
	uint8_t func;
	uint8_t n_path; /* the bridges of a path; 0 for the bus form */
	struct entry_hop path[ENTRY_PATH_MAX];
	uint16_t vendor;
	uint16_t device;
};

struct entry_list {
	struct entry *items;
	size_t count;
};

/*
 * Parses TEXT (LEN bytes, not necessarily terminated) into E. Returns 0, or
 * -EINVAL with E->error saying precisely which field is wrong and why.
 */
int entry_parse(const char *text, size_t len, struct entry *e);

/*
 * Splits a vfio.devices= value at commas, ignoring empty items, and parses
 * each one. Items that do not parse are kept with ok == false so callers
 * can report them. Returns 0 or -ENOMEM; free with entry_list_free().
 */
int entry_list_parse(const char *value, struct entry_list *list);
void entry_list_free(struct entry_list *list);

/*
 * "0000:3b:00" / "3b:00.1" / "10000:01:00.0@10de:1e07" / "00:01.0/00@10de:2684":
 * canonical form.
 */
void entry_format(const struct entry *e, char *buf, size_t size);
