// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/log.h"
#include "engine/sriov.h"
#include "engine/vfio.h"

/* Named twice (a slot and one of its functions): planned once, at its first naming. */
static void add_function(struct plan *p, size_t index, bool by_function)
{
	const struct pci_function *fn = &p->fns->items[index];
	struct plan_function *pf;

	if (p->function_of[index] != PLAN_NONE) {
		p->functions[p->function_of[index]].by_function |= by_function;
		return;
	}
	p->function_of[index] = p->n_functions;
	p->requested[index] = true;
	pf = &p->functions[p->n_functions++];
	memset(pf, 0, sizeof(*pf));
	pf->fn = fn;
	pf->index = index;
	pf->by_function = by_function;
	snprintf(pf->result.before, sizeof(pf->result.before), "%s", fn->driver);
	snprintf(pf->result.after, sizeof(pf->result.after), "%s", fn->driver);
	pf->result.outcome =
	    strcmp(fn->driver, VFIO_DRIVER) == 0 ? OUTCOME_ALREADY : OUTCOME_PLANNED;
}

static void resolve_one(struct plan *p, struct plan_entry *pe)
{
	const struct entry *e = pe->entry;
	size_t j;

	if (!e->ok) {
		snprintf(pe->error, sizeof(pe->error), "%s", e->error);
		p->refused++;
		return;
	}
	if (resolve_entry(e, p->fns, pe->matches, &pe->n_matches, pe->error, sizeof(pe->error)) <
	    0) {
		/* A VF is missing at boot for a reason "no such device" does not say. */
		sriov_explain_missing(e, p->fns, pe->error, sizeof(pe->error));
		p->refused++;
		return;
	}
	for (j = 0; j < pe->n_matches; j++)
		add_function(p, pe->matches[j], e->has_func);
}

static int by_group(const void *a, const void *b)
{
	const struct plan_function *x = *(const struct plan_function *const *)a;
	const struct plan_function *y = *(const struct plan_function *const *)b;

	if (x->fn->iommu_group != y->fn->iommu_group)
		return x->fn->iommu_group < y->fn->iommu_group ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Sorted by group, then by plan order: the first of each run is its group's first. */
static int mark_group_firsts(struct plan *p)
{
	struct plan_function **order = calloc(p->n_functions + 1, sizeof(*order));
	size_t i;

	if (!order)
		return -ENOMEM;
	for (i = 0; i < p->n_functions; i++)
		order[i] = &p->functions[i];
	qsort(order, p->n_functions, sizeof(*order), by_group);
	for (i = 0; i < p->n_functions; i++)
		order[i]->group_first =
		    i == 0 || order[i - 1]->fn->iommu_group != order[i]->fn->iommu_group;
	free(order);
	return 0;
}

int plan_build(struct plan *p, const char *value, const struct pci_function_list *fns)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->fns = fns;
	if (entry_list_parse(value, &p->parsed) < 0)
		return -ENOMEM;
	p->entries = calloc(p->parsed.count + 1, sizeof(*p->entries));
	p->functions = calloc(fns->count + 1, sizeof(*p->functions));
	p->requested = calloc(fns->count + 1, sizeof(*p->requested));
	p->function_of = malloc((fns->count + 1) * sizeof(*p->function_of));
	if (!p->entries || !p->functions || !p->requested || !p->function_of)
		return -ENOMEM;
	for (i = 0; i < fns->count; i++)
		p->function_of[i] = PLAN_NONE;
	p->n_entries = p->parsed.count;
	for (i = 0; i < p->n_entries; i++) {
		p->entries[i].entry = &p->parsed.items[i];
		resolve_one(p, &p->entries[i]);
	}
	return mark_group_firsts(p);
}

void plan_free(struct plan *p)
{
	entry_list_free(&p->parsed);
	free(p->entries);
	free(p->functions);
	free(p->requested);
	free(p->function_of);
	memset(p, 0, sizeof(*p));
}

int plan_join(char **entries, int n, char *buf, size_t size)
{
	size_t used = 0, len;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		len = strlen(entries[i]);
		if (used + len + 2 > size) {
			log_error("the entries are longer than %zu bytes together", size - 1);
			return -E2BIG;
		}
		if (i > 0)
			buf[used++] = ',';
		memcpy(buf + used, entries[i], len + 1);
		used += len;
	}
	return 0;
}

bool plan_by_function(const struct plan *p, size_t index)
{
	const struct plan_function *pf = plan_function_at(p, index);

	return pf && pf->by_function;
}

bool *plan_taken(const struct plan *p)
{
	bool *taken = malloc(p->fns->count * sizeof(*taken) + 1);
	size_t i;

	if (!taken)
		return NULL;
	memcpy(taken, p->requested, p->fns->count * sizeof(*taken));
	for (i = 0; i < p->n_functions; i++)
		if (sriov_pf_kept(p->functions[i].fn, p->functions[i].by_function))
			taken[p->functions[i].index] = false;
	return taken;
}

void plan_refuse_all(struct plan *p, const char *why)
{
	size_t i;

	for (i = 0; i < p->n_entries; i++) {
		if (!p->entries[i].entry->ok)
			continue; /* its own error says more */
		p->refused += !p->entries[i].error[0];
		snprintf(p->entries[i].error, sizeof(p->entries[i].error), "%s", why);
	}
}

void plan_log_refused(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n_entries; i++)
		if (p->entries[i].error[0])
			log_error("entry '%s': %s", p->entries[i].entry->text, p->entries[i].error);
}

struct plan_function *plan_function_at(const struct plan *p, size_t index)
{
	return p->function_of[index] == PLAN_NONE ? NULL : &p->functions[p->function_of[index]];
}

int plan_result(const struct plan *p)
{
	size_t i;

	if (p->refused)
		return -EIO;
	for (i = 0; i < p->n_functions; i++) {
		enum outcome o = p->functions[i].result.outcome;

		if (o != OUTCOME_BOUND && o != OUTCOME_ALREADY && o != OUTCOME_WOULD_BIND)
			return -EIO;
	}
	return 0;
}

static void record_function(const struct plan_function *pf, struct state_function *sf)
{
	memset(sf, 0, sizeof(*sf));
	snprintf(sf->name, sizeof(sf->name), "%s", pf->fn->name);
	sf->vendor = pf->fn->vendor;
	sf->device = pf->fn->device;
	sf->class_id = pf->fn->class_id;
	sf->result = pf->result;
	/* The state file knows no dry run: what it would have bound is still planned. */
	if (sf->result.outcome == OUTCOME_WOULD_BIND)
		sf->result.outcome = OUTCOME_PLANNED;
}

int plan_record(const struct plan *p, struct boot_state *state)
{
	size_t i;

	state->entries = calloc(p->n_entries + 1, sizeof(*state->entries));
	state->functions = calloc(p->n_functions + 1, sizeof(*state->functions));
	if (!state->entries || !state->functions)
		return -ENOMEM;
	state->n_entries = p->n_entries;
	for (i = 0; i < p->n_entries; i++) {
		snprintf(state->entries[i].text, sizeof(state->entries[i].text), "%s",
			 p->entries[i].entry->text);
		snprintf(state->entries[i].error, sizeof(state->entries[i].error), "%s",
			 p->entries[i].error);
	}
	state->n_functions = p->n_functions;
	for (i = 0; i < p->n_functions; i++)
		record_function(&p->functions[i], &state->functions[i]);
	return 0;
}
