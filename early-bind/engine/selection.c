// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/selection.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/log.h"
#include "engine/plan.h"

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

int selection_make(const char *value, const struct pci_function_list *fns, struct selection *sel)
{
	struct plan plan;
	int err = plan_build(&plan, value, fns);

	memset(sel, 0, sizeof(*sel));
	if (err < 0) {
		plan_free(&plan);
		return err;
	}
	plan_log_refused(&plan);
	/* The plan's map is the selection's: taken over, not copied. */
	sel->chosen = plan.requested;
	plan.requested = NULL;
	sel->count = plan.n_functions;
	sel->refused = plan.refused;
	plan_free(&plan);
	return 0;
}

void selection_free(struct selection *sel)
{
	free(sel->chosen);
	memset(sel, 0, sizeof(*sel));
}
