// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/selection.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/entry.h"
#include "engine/log.h"
#include "engine/resolve.h"

int selection_join(char **entries, int n, char *buf, size_t size)
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

static void choose(const struct entry *e, const struct pci_function_list *fns,
		   struct selection *sel, size_t *matches)
{
	char why[RESOLVE_ERROR_MAX];
	size_t n, i;

	if (!e->ok) {
		log_error("entry '%s': %s", e->text, e->error);
		sel->refused++;
		return;
	}
	if (resolve_entry(e, fns, matches, &n, why, sizeof(why)) < 0) {
		log_error("entry '%s': %s", e->text, why);
		sel->refused++;
		return;
	}
	for (i = 0; i < n; i++) {
		sel->count += !sel->chosen[matches[i]];
		sel->chosen[matches[i]] = true;
	}
}

int selection_make(const char *value, const struct pci_function_list *fns, struct selection *sel)
{
	struct entry_list entries;
	size_t *matches, i;

	memset(sel, 0, sizeof(*sel));
	if (entry_list_parse(value, &entries) < 0)
		return -ENOMEM;
	sel->chosen = calloc(fns->count + 1, sizeof(*sel->chosen));
	matches = calloc(fns->count + 1, sizeof(*matches));
	if (!sel->chosen || !matches) {
		free(matches);
		entry_list_free(&entries);
		selection_free(sel);
		return -ENOMEM;
	}
	for (i = 0; i < entries.count; i++)
		choose(&entries.items[i], fns, sel, matches);
	free(matches);
	entry_list_free(&entries);
	return 0;
}

void selection_free(struct selection *sel)
{
	free(sel->chosen);
	memset(sel, 0, sizeof(*sel));
}
