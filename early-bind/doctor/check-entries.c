// SPDX-License-Identifier: GPL-2.0-or-later
/* Each entry of the plan: the functions it takes, or why the boot refuses it. */
#include <stdio.h>
#include <string.h>

#include "doctor/check.h"
#include "engine/plan.h"
#include "engine/textbuf.h"

void check_append_function(char *buf, size_t size, const struct pci_function *fn)
{
	struct textbuf sb;

	textbuf_resume(&sb, buf, size);
	textbuf_item(&sb, ", ", "%s (%s)", fn->name, pci_class_kind(fn->class_id));
}

/* "3b:00" -> "0000:3b:00.0 (vga), 0000:3b:00.1 (audio)..." */
static void describe_matches(const struct check *c, const size_t *matches, size_t n, char *buf,
			     size_t size)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		check_append_function(buf, size, &c->fns.items[matches[i]]);
}

/* Resolver messages read "what happened; what to do": split them. */
static void add_refused(struct check *c, const struct entry *e, const char *why)
{
	const char *fix = strstr(why, "; ");

	finding_add(&c->findings, SEVERITY_ERROR, "entry", NULL, "'%s': %.*s", e->text,
		    (int)(fix ? (size_t)(fix - why) : strlen(why)), why);
	if (fix)
		finding_fix(&c->findings, "%s", fix + 2);
}

static void check_entry(struct check *c, const struct plan_entry *pe)
{
	const struct entry *e = pe->entry;
	char names[FINDING_TEXT_MAX - 64];

	if (!e->ok) {
		finding_add(&c->findings, SEVERITY_ERROR, "entry", NULL, "'%s' does not parse: %s",
			    e->text, e->error);
		finding_fix(&c->findings,
			    "correct it: 'early-bind list' shows the value of each card");
		return;
	}
	if (pe->error[0]) {
		add_refused(c, e, pe->error);
		return;
	}
	describe_matches(c, pe->matches, pe->n_matches, names, sizeof(names));
	finding_add(&c->findings, SEVERITY_OK, "entry", NULL, "'%s' takes %s", e->text, names);
}

int check_entries(struct check *c)
{
	size_t i;

	for (i = 0; i < c->plan.n_entries; i++)
		check_entry(c, &c->plan.entries[i]);
	return 0;
}
