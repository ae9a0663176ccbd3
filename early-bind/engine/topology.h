/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "engine/pcidev.h"

/*
 * Where a function sits in the PCI tree, from the bus numbers of the
 * bridges the scan read: the bridge above it, and the path from a root bus
 * that names it in vfio.devices= (entry.h) whatever numbers firmware gives
 * the buses behind the root ports. Pure: works on the list read before.
 */

#define TOPOLOGY_NONE ((size_t)-1)

/* Room for a path value: ENTRY_PATH_MAX hops and a guard, and a list of a card's functions. */
#define TOPOLOGY_VALUE_MAX 512

/*
 * The index of the bridge whose secondary bus FNS->items[I] is on, or
 * TOPOLOGY_NONE when it is on a root bus. Costs one pass over FNS.
 */
size_t topology_upstream(const struct pci_function_list *fns, size_t i);

/*
 * The path that names FNS->items[I] ("00:1d.0/00.1"), or its slot when
 * not FUNC ("00:1d.0/00"), into BUF; on a root bus, its bus address
 * ("00:02.0"). With the domain when it is not 0000 or the path's first
 * bridge has its address in another domain too. Returns 0, -ELOOP when the
 * bridges above it lead to no root bus within ENTRY_PATH_MAX, or -ENOSPC.
 */
int topology_path(const struct pci_function_list *fns, size_t i, bool func, char *buf, size_t size);

/*
 * VALUE, a vfio.devices= value of bus addresses (card_value()), with each
 * entry written as the path that names the same functions, guard kept,
 * into PATHS (TOPOLOGY_VALUE_MAX). Returns 1 when that differs from VALUE
 * (an entry names something behind a bridge), 0 when it is the same, or
 * -errno when an entry does not resolve or the paths do not fit.
 */
int topology_value(const struct pci_function_list *fns, const char *value, char *paths,
		   size_t size);
