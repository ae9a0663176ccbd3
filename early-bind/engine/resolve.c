// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/resolve.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/textbuf.h"
#include "engine/topology.h"

static int explain(int err, char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return err;
}

static bool in_slot(const struct entry *e, const struct pci_function *fn)
{
	return fn->bus == e->bus && fn->slot == e->slot &&
	       (!e->has_domain || fn->domain == e->domain);
}

bool entry_names_function(const struct entry *e, const struct pci_function *fn)
{
	/* A path's BUS is where it starts, not where the function is. */
	return e->ok && e->n_path == 0 && e->has_func && e->func == fn->func && in_slot(e, fn);
}

/*
 * The first function at or after DOMAIN:BUS:SLOT.FUNC in FNS, which is
 * sorted by address as read: every look-up is a binary search, so that
 * resolving costs log(functions) an entry, not a pass over the machine.
 */
static size_t lower_bound(const struct pci_function_list *fns, uint32_t domain, uint8_t bus,
			  uint8_t slot, uint8_t func)
{
	uint64_t key = (uint64_t)domain << 24 | (uint32_t)bus << 16 | (uint32_t)slot << 8 | func;
	size_t lo = 0, hi = fns->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pci_function *fn = &fns->items[mid];
		uint64_t at = (uint64_t)fn->domain << 24 | (uint32_t)fn->bus << 16 |
			      (uint32_t)fn->slot << 8 | fn->func;

		if (at < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int find_function(const struct pci_function_list *fns, uint32_t domain, uint8_t bus,
			 uint8_t slot, uint8_t func)
{
	size_t i = lower_bound(fns, domain, bus, slot, func);
	const struct pci_function *fn = i < fns->count ? &fns->items[i] : NULL;

	if (fn && fn->domain == domain && fn->bus == bus && fn->slot == slot && fn->func == func)
		return (int)i;
	return -1;
}

/* The first function of E's slot in DOMAIN, or the list's end when there is none. */
static size_t slot_start(const struct entry *e, const struct pci_function_list *fns,
			 uint32_t domain)
{
	size_t i = lower_bound(fns, domain, e->bus, e->slot, 0);

	return i < fns->count && fns->items[i].domain == domain && in_slot(e, &fns->items[i])
		   ? i
		   : fns->count;
}

/* An entry without a domain must name a slot that exists in one domain only. */
static int pick_domain(const struct entry *e, const struct pci_function_list *fns, uint32_t *domain,
		       char *why, size_t size)
{
	const struct pci_function *first = NULL, *fn;
	size_t i = 0;

	if (e->has_domain) {
		i = slot_start(e, fns, e->domain);
		first = i < fns->count ? &fns->items[i] : NULL;
	}
	/* One look-up a domain: the machine has few. */
	while (!e->has_domain && i < fns->count) {
		uint32_t d = fns->items[i].domain;
		size_t at = slot_start(e, fns, d);

		fn = at < fns->count ? &fns->items[at] : NULL;
		if (fn && !first) {
			first = fn;
		} else if (fn) {
			return explain(
			    -EEXIST, why, size,
			    "ambiguous: slot %02x:%02x exists in domain %04x and in domain %04x; write the domain, e.g. %04x:%02x:%02x or %04x:%02x:%02x",
			    e->bus, e->slot, first->domain, fn->domain, first->domain, e->bus,
			    e->slot, fn->domain, e->bus, e->slot);
		}
		if (d == UINT32_MAX)
			break;
		i = lower_bound(fns, d + 1, 0, 0, 0);
	}
	if (!first)
		return explain(-ENODEV, why, size,
			       "matches no PCI device; check the address with 'lspci -D'");
	*domain = first->domain;
	return 0;
}

#define ELSEWHERE_NAMED 2

/*
 * Appends to WHY where the function E's guard asks for is, when the
 * machine has it elsewhere: "; the card 10de:2684 is now at 0000:04:00.0
 * (...): name it by its place, vfio.devices=00:1d.0/00@10de:2684", the path
 * that follows it when the buses are numbered again. Whether it did.
 */
static bool guard_elsewhere(const struct entry *e, const struct pci_function_list *fns, char *why,
			    size_t size)
{
	char where[2 * PCI_NAME_MAX + 8], values[2 * (TOPOLOGY_VALUE_MAX / 4)];
	char path[TOPOLOGY_VALUE_MAX / 4];
	struct textbuf w, v, out;
	size_t i, n = 0;

	if (!e->has_guard)
		return false;
	textbuf_init(&w, where, sizeof(where));
	textbuf_init(&v, values, sizeof(values));
	for (i = 0; i < fns->count; i++) {
		const struct pci_function *fn = &fns->items[i];

		if (fn->vendor != e->vendor || fn->device != e->device ||
		    fn->func != (e->has_func ? e->func : 0) || pci_function_is_bridge(fn))
			continue;
		if (n++ >= ELSEWHERE_NAMED ||
		    topology_path(fns, i, e->has_func, path, sizeof(path)) < 0)
			continue;
		textbuf_item(&w, " and ", "%s", fn->name);
		textbuf_item(&v, " or ", "%s@%04x:%04x", path, e->vendor, e->device);
	}
	if (n == 0 || !values[0] || strlen(why) >= size)
		return false;
	textbuf_resume(&out, why, size);
	if (n == 1)
		textbuf_add(
		    &out,
		    "; the card %04x:%04x is now at %s (buses renumbered?): name it by its place, vfio.devices=%s",
		    e->vendor, e->device, where, values);
	else
		textbuf_add(
		    &out,
		    "; %04x:%04x is now at %s%s: name the one meant by its place, vfio.devices=%s",
		    e->vendor, e->device, where, n > ELSEWHERE_NAMED ? " and more" : "", values);
	return true;
}

static int check_guard(const struct entry *e, const struct pci_function_list *fns, uint32_t domain,
		       char *why, size_t size)
{
	uint8_t func = e->has_func ? e->func : 0;
	const struct pci_function *fn;
	int i;

	if (!e->has_guard)
		return 0;
	i = find_function(fns, domain, e->bus, e->slot, func);
	if (i < 0) {
		explain(-EBADMSG, why, size, "guard @%04x:%04x: %04x:%02x:%02x.%x does not exist",
			e->vendor, e->device, domain, e->bus, e->slot, func);
		guard_elsewhere(e, fns, why, size);
		return -EBADMSG;
	}
	fn = &fns->items[i];
	if (fn->vendor == e->vendor && fn->device == e->device)
		return 0;
	explain(-EBADMSG, why, size, "guard expects %04x:%04x but %s is %04x:%04x", e->vendor,
		e->device, fn->name, fn->vendor, fn->device);
	if (!guard_elsewhere(e, fns, why, size))
		explain(
		    -EBADMSG, why + strlen(why), size - strlen(why),
		    "; the address may have shifted after a hardware change: check 'lspci -nn -D' and fix the entry");
	return -EBADMSG;
}

/* Whether FN sits below BRIDGE, on one of the buses it forwards to. */
static bool behind(const struct pci_function *bridge, const struct pci_function *fn)
{
	return bridge->secondary_bus != 0 && fn->domain == bridge->domain &&
	       fn->bus >= bridge->secondary_bus && fn->bus <= bridge->subordinate_bus;
}

#define BEHIND_NAMED 2

/*
 * "the card behind it is 0000:01:00: name that instead (vfio.devices=01:00)":
 * a value is offered for graphics cards only, never for the disks or NICs
 * behind a bridge, which are only named.
 */
static void describe_behind(const struct pci_function_list *fns, const struct pci_function *bridge,
			    bool paths, char *buf, size_t size)
{
	char cards[160], others[128], slot[24], value[ENTRY_TEXT_MAX];
	size_t i, n = 0, endpoints = 0;
	struct textbuf c, o;

	textbuf_init(&c, cards, sizeof(cards));
	textbuf_init(&o, others, sizeof(others));
	/* What is behind a bridge is one run of the sorted list. */
	i = bridge->secondary_bus ? lower_bound(fns, bridge->domain, bridge->secondary_bus, 0, 0)
				  : fns->count;
	for (; i < fns->count && behind(bridge, &fns->items[i]); i++) {
		const struct pci_function *fn = &fns->items[i],
					  *prev = i ? &fns->items[i - 1] : NULL;

		if (pci_function_is_bridge(fn))
			continue;
		if (endpoints++ < BEHIND_NAMED)
			textbuf_item(&o, ", ", "%s (%s)", fn->name, pci_class_kind(fn->class_id));
		/* One mention a slot, at its first display. */
		if (!pci_function_is_display(fn) ||
		    (prev && pci_function_is_display(prev) && prev->bus == fn->bus &&
		     prev->slot == fn->slot))
			continue;
		snprintf(slot, sizeof(slot), "%04x:%02x:%02x", fn->domain, fn->bus, fn->slot);
		/* A path entry is offered a path, which bus renumbering does not break either. */
		if (!paths || topology_path(fns, i, false, value, sizeof(value)) < 0)
			snprintf(value, sizeof(value), "%s", fn->domain ? slot : slot + 5);
		if (n++ == 0)
			textbuf_add(&c, "%s: name that instead (vfio.devices=%s)", slot, value);
		else
			textbuf_add(&c, "; another is %s (vfio.devices=%s)", slot, value);
	}
	if (bridge->header_type != 1)
		snprintf(buf, size, "name the endpoint meant instead");
	else if (n)
		snprintf(buf, size, "the card behind it is %s", cards);
	else if (endpoints > BEHIND_NAMED)
		snprintf(
		    buf, size,
		    "no graphics card is behind it, only %s and %zu more: name the endpoint meant instead",
		    others, endpoints - BEHIND_NAMED);
	else if (endpoints)
		snprintf(buf, size,
			 "no graphics card is behind it, only %s: name the endpoint meant instead",
			 others);
	else
		snprintf(buf, size, "nothing is behind it: name the endpoint meant instead");
}

/*
 * The bus a path's last /SLOT[.FUNC] is on: its first bridge is on a root
 * bus, each next one on the bus behind the one before.
 */
static int follow_path(const struct entry *e, const struct pci_function_list *fns, uint32_t domain,
		       uint8_t *bus, char *why, size_t size)
{
	const struct pci_function *fn;
	size_t up;
	uint8_t b = e->bus, k;
	int i;

	for (k = 0; k < e->n_path; k++) {
		i = find_function(fns, domain, b, e->path[k].slot, e->path[k].func);
		if (i < 0)
			return explain(
			    -ENODEV, why, size,
			    "path: %04x:%02x:%02x.%x does not exist; check the path with 'lspci -t'",
			    domain, b, e->path[k].slot, e->path[k].func);
		fn = &fns->items[i];
		up = k == 0 ? topology_upstream(fns, (size_t)i) : TOPOLOGY_NONE;
		if (up != TOPOLOGY_NONE)
			return explain(
			    -ENODEV, why, size,
			    "path: %s is behind the bridge %s, not on a root bus; a path starts at a bridge on a root bus ('lspci -t' shows them at the left)",
			    fn->name, fns->items[up].name);
		if (fn->header_type != 1 || fn->secondary_bus == 0)
			return explain(
			    -ENODEV, why, size,
			    "path: %s [%04x:%04x] %s is not a bridge, so nothing is behind it; check the path with 'lspci -t'",
			    fn->name, fn->vendor, fn->device, pci_class_kind(fn->class_id));
		b = fn->secondary_bus;
	}
	*bus = b;
	return 0;
}

/*
 * E with the domain it is in and, for a path, the bus it leads to, into
 * FLAT: what the bus form would say today.
 */
static int locate(const struct entry *e, const struct pci_function_list *fns, struct entry *flat,
		  char *why, size_t size)
{
	int err;

	*flat = *e;
	flat->n_path = 0;
	if (e->n_path)
		flat->slot = e->path[0].slot; /* the domain is the first bridge's */
	err = pick_domain(flat, fns, &flat->domain, why, size);
	if (err < 0)
		return err;
	flat->has_domain = true;
	flat->slot = e->slot;
	return e->n_path ? follow_path(e, fns, flat->domain, &flat->bus, why, size) : 0;
}

static int no_device(const struct entry *e, const struct entry *flat, char *why, size_t size)
{
	if (e->n_path == 0)
		return explain(-ENODEV, why, size,
			       "matches no PCI device; check the address with 'lspci -D'");
	if (e->has_func)
		return explain(
		    -ENODEV, why, size,
		    "path leads to %04x:%02x:%02x.%x, which does not exist; check the path with 'lspci -t'",
		    flat->domain, flat->bus, e->slot, e->func);
	return explain(
	    -ENODEV, why, size,
	    "path leads to bus %04x:%02x, where slot %02x has no function; check the path with 'lspci -t'",
	    flat->domain, flat->bus, e->slot);
}

int resolve_entry(const struct entry *e, const struct pci_function_list *fns, size_t *matches,
		  size_t *n, char *why, size_t why_size)
{
	char fix[RESOLVE_ERROR_MAX];
	struct entry flat;
	size_t i;
	int err;

	*n = 0;
	err = locate(e, fns, &flat, why, why_size);
	if (err == -ENODEV)
		guard_elsewhere(e, fns, why, why_size);
	if (err < 0)
		return err;
	err = check_guard(&flat, fns, flat.domain, why, why_size);
	if (err < 0)
		return err;
	for (i = slot_start(&flat, fns, flat.domain); i < fns->count; i++) {
		const struct pci_function *fn = &fns->items[i];

		if (fn->domain != flat.domain || !in_slot(&flat, fn))
			break;
		if (flat.has_func && fn->func != flat.func)
			continue;
		if (pci_function_is_bridge(fn)) {
			*n = 0;
			describe_behind(fns, fn, e->n_path > 0, fix, sizeof(fix));
			return explain(
			    -EPERM, why, why_size,
			    "%s [%04x:%04x] %s (class %04x, header type %u) is a bridge, which must never go to vfio-pci; %s",
			    fn->name, fn->vendor, fn->device, pci_class_kind(fn->class_id),
			    fn->class_id, fn->header_type, fix);
		}
		matches[(*n)++] = i;
	}
	if (*n == 0) {
		err = no_device(e, &flat, why, why_size);
		guard_elsewhere(e, fns, why, why_size);
	}
	return err;
}
