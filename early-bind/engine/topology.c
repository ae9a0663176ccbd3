// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/topology.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/entry.h"
#include "engine/resolve.h"
#include "engine/textbuf.h"

size_t topology_upstream(const struct pci_function_list *fns, size_t i)
{
	const struct pci_function *fn = &fns->items[i];
	size_t k;

	/* Firmware gives every bus one number: one bridge has it as its secondary bus. */
	for (k = 0; k < fns->count; k++) {
		const struct pci_function *b = &fns->items[k];

		if (k != i && b->header_type == 1 && b->domain == fn->domain &&
		    b->secondary_bus != 0 && b->secondary_bus == fn->bus)
			return k;
	}
	return TOPOLOGY_NONE;
}

/* Whether ROOT's bus, slot and function exist in another domain: the path must then name its own.
 */
static bool address_in_other_domain(const struct pci_function_list *fns,
				    const struct pci_function *root)
{
	size_t k;

	for (k = 0; k < fns->count; k++) {
		const struct pci_function *o = &fns->items[k];

		if (o->domain != root->domain && o->bus == root->bus && o->slot == root->slot &&
		    o->func == root->func)
			return true;
	}
	return false;
}

int topology_path(const struct pci_function_list *fns, size_t i, bool func, char *buf, size_t size)
{
	size_t chain[ENTRY_PATH_MAX + 1], n = 0, at = i;
	const struct pci_function *root;
	struct textbuf sb;

	/* The bridges above, nearest first; a loop of bus numbers ends at the limit. */
	while ((at = topology_upstream(fns, at)) != TOPOLOGY_NONE) {
		if (n == ENTRY_PATH_MAX)
			return -ELOOP;
		chain[n++] = at;
	}
	root = &fns->items[n ? chain[n - 1] : i];
	textbuf_init(&sb, buf, size);
	if (root->domain != 0 || address_in_other_domain(fns, root))
		textbuf_add(&sb, "%04x:", root->domain);
	textbuf_add(&sb, "%02x:", root->bus);
	while (n-- > 0)
		textbuf_add(&sb, "%02x.%x/", fns->items[chain[n]].slot, fns->items[chain[n]].func);
	textbuf_add(&sb, "%02x", fns->items[i].slot);
	if (func)
		textbuf_add(&sb, ".%x", fns->items[i].func);
	return sb.cut ? -ENOSPC : 0;
}

/* One entry of a value as a path, at BUF + *LEN. */
static int append_path(const struct pci_function_list *fns, const struct entry *e, char *buf,
		       size_t size, size_t *len)
{
	size_t matches[RESOLVE_MATCHES_MAX], n;
	char why[RESOLVE_ERROR_MAX], path[TOPOLOGY_VALUE_MAX];
	int err;

	if (!e->ok)
		return -EINVAL;
	err = resolve_entry(e, fns, matches, &n, why, sizeof(why));
	if (err == 0)
		err = topology_path(fns, matches[0], e->has_func, path, sizeof(path));
	if (err < 0)
		return err;
	*len += (size_t)snprintf(buf + *len, size - *len, "%s%s", *len ? "," : "", path);
	if (e->has_guard && *len < size)
		*len +=
		    (size_t)snprintf(buf + *len, size - *len, "@%04x:%04x", e->vendor, e->device);
	return *len < size ? 0 : -ENOSPC;
}

int topology_value(const struct pci_function_list *fns, const char *value, char *paths, size_t size)
{
	struct entry_list list;
	size_t k, len = 0;
	int err = entry_list_parse(value, &list);

	paths[0] = '\0';
	for (k = 0; k < list.count && err == 0; k++)
		err = append_path(fns, &list.items[k], paths, size, &len);
	entry_list_free(&list);
	if (err < 0)
		return err;
	return strcmp(paths, value) != 0;
}
