/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "engine/pcidev.h"

/* The functions that entries given as arguments name, for runtime commands. */
struct selection {
	bool *chosen;    /* parallel to the function list */
	size_t count;    /* how many are chosen */
	unsigned refused; /* entries that did not parse or resolve */
};

/* Joins N entry arguments with commas into one vfio.devices= value; 0 or -E2BIG (logged). */
int selection_join(char **entries, int n, char *buf, size_t size);

/*
 * Parses VALUE and resolves every entry against FNS exactly as the boot
 * does (bridges refused, guards checked), logging each refused entry as
 * an error. Returns 0 (even with refused entries) or -ENOMEM; free with
 * selection_free().
 */
int selection_make(const char *value, const struct pci_function_list *fns, struct selection *sel);
void selection_free(struct selection *sel);
