/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "engine/entry.h"
#include "engine/pcidev.h"

#define RESOLVE_ERROR_MAX 256
/* An entry names one slot: at most its eight functions. */
#define RESOLVE_MATCHES_MAX 8

/*
 * Turns one parsed entry into the PCI functions it names. Pure: works on
 * the list read before (sorted by address, as pci_function_list_read()
 * leaves it), so every rule is testable without sysfs. Costs
 * log(FNS->count) look-ups, not a pass over the list.
 *
 * On success stores the indexes (into FNS) of the functions in MATCHES
 * (room for RESOLVE_MATCHES_MAX), their number in *N and returns 0. Otherwise
 * returns -ENODEV (no such device), -EEXIST (ambiguous domain), -EBADMSG
 * (guard mismatch) or -EPERM (a bridge or non-endpoint function), with
 * WHY saying what happened and what to do.
 */
int resolve_entry(const struct entry *e, const struct pci_function_list *fns, size_t *matches,
		  size_t *n, char *why, size_t why_size);

/* Whether E parsed and names FN by its address with .FUNC (not as a whole slot). */
bool entry_names_function(const struct entry *e, const struct pci_function *fn);
