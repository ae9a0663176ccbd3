/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "engine/entry.h"
#include "engine/pcidev.h"
#include "engine/resolve.h"
#include "engine/state.h"

/*
 * What a vfio.devices= value asks of the functions present: each entry
 * and what it resolved to, each function it names (once, however many
 * entries name it) and what became of it. bind, release, snippet and
 * check build it the same way; the boot's state file is written from it.
 */

struct plan_entry {
	const struct entry *entry;
	char error[RESOLVE_ERROR_MAX];	     /* why it was refused; "" when accepted */
	size_t matches[RESOLVE_MATCHES_MAX]; /* indexes into the function list */
	size_t n_matches;
};

struct plan_function {
	const struct pci_function *fn;
	size_t index;	  /* fn is the function list's items[index] */
	bool by_function; /* an entry names it with .FUNC, not only as part of a slot */
	bool group_first; /* no function before it in the plan shares its IOMMU group */
	/* Starts planned (already on vfio-pci: already), before and after its driver now. */
	struct function_result result;
};

#define PLAN_NONE ((size_t)-1)

struct plan {
	const struct pci_function_list *fns;
	struct entry_list parsed;
	struct plan_entry *entries;
	size_t n_entries;
	unsigned refused;		 /* entries that did not parse or resolve */
	struct plan_function *functions; /* in the order the entries name them */
	size_t n_functions;
	bool *requested;     /* parallel to fns: named by an entry */
	size_t *function_of; /* parallel to fns: index into functions, or PLAN_NONE */
};

/*
 * Parses VALUE and resolves every entry against FNS (sorted by address) as
 * the boot does: bridges refused, guards checked. Logs nothing; refused
 * entries keep their reason. Costs entries * log(functions) plus the
 * functions once. Returns 0 (even with refused entries) or -ENOMEM; free
 * with plan_free() either way.
 */
int plan_build(struct plan *plan, const char *value, const struct pci_function_list *fns);
void plan_free(struct plan *plan);

/* Joins N entry arguments with commas into one vfio.devices= value; 0 or -E2BIG (logged). */
int plan_join(char **entries, int n, char *buf, size_t size);

/* Whether an entry names FNS->items[INDEX] with .FUNC, not only as part of a slot. */
bool plan_by_function(const struct plan *plan, size_t index);

/*
 * What the plan will really take, parallel to its function list: the
 * requested functions but an SR-IOV PF the engine leaves alone for its VFs
 * (sriov_pf_kept()), which stays the host's. A NULL when out of memory;
 * free() it.
 */
bool *plan_taken(const struct plan *plan);

/* Refuses every entry that parsed with WHY instead: for a function list that could not be read. */
void plan_refuse_all(struct plan *plan, const char *why);

/* Logs "entry 'TEXT': WHY" as an error for every refused entry, in order. */
void plan_log_refused(const struct plan *plan);

/* The plan function for FNS->items[INDEX], or NULL when the plan does not name it. */
struct plan_function *plan_function_at(const struct plan *plan, size_t index);

/* 0 when every entry was accepted and every function ended on vfio-pci (or would, in a dry run);
 * else -EIO. */
int plan_result(const struct plan *plan);

/*
 * The state file's record of the plan: REQUESTED and IOMMU set by the
 * caller, entries and functions copied from the plan into two arrays of
 * STATE that the caller frees, also after a failure (free() each:
 * state_free() would free the caller's ids too). Returns 0 or -ENOMEM.
 */
int plan_record(const struct plan *plan, struct boot_state *state);
