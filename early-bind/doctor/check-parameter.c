// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The vfio.devices= value check reads: the entries given as arguments,
 * else the one on the kernel command line. Builds the plan, resolved as
 * the boot resolves it, that every later check reads.
 */
#include <errno.h>

#include "doctor/check.h"
#include "engine/cmdline.h"
#include "engine/log.h"
#include "engine/plan.h"
#include "engine/vfio.h"

/* What the parameter findings say when no vfio.devices= entry binds anything. */
static const char *binds_nothing(const struct ids_option *ids)
{
	if (ids->found > 0)
		return "early-bind binds nothing, but vfio-pci's own ids= binds by ID (see the ids finding)";
	return "the boot binds nothing";
}

/* Sets VALUE and returns where it comes from, or NULL (with the finding) when there is none. */
static const char *find_value(struct check *c, char *value, size_t size)
{
	int r;

	if (c->n_entries > 0)
		return plan_join(c->entries, c->n_entries, value, size) == 0 ? "as given" : NULL;
	if (c->cmdline_unreadable)
		return NULL; /* the parameter finding of doctor.c said why */
	r = cmdline_get_last(c->cmdline, PARAMETER, value, size);
	if (r > 0)
		return "on the kernel command line";
	if (r < 0)
		finding_add(&c->findings, SEVERITY_WARN, "parameter", NULL,
			    "the kernel command line is unreadable or vfio.devices= too long");
	else
		finding_add(&c->findings, SEVERITY_WARN, "parameter", NULL,
			    "no vfio.devices= on the kernel command line: %s",
			    binds_nothing(&c->ids));
	finding_fix(
	    &c->findings,
	    "pick a card with 'early-bind list', check it with 'early-bind check ENTRY', then add vfio.devices=ENTRY to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub and run update-grub");
	return NULL;
}

int check_parameter(struct check *c)
{
	char value[CMDLINE_MAX] = "";
	const char *source = find_value(c, value, sizeof(value));
	size_t n;

	/* With no value, a plan of no entries: nothing is requested. */
	if (plan_build(&c->plan, source ? value : "", &c->fns) < 0) {
		log_error("out of memory: cannot check the entries of " PARAMETER "=%s", value);
		return -ENOMEM;
	}
	if (!source)
		return 0;
	n = c->plan.n_entries;
	if (n == 0)
		finding_add(&c->findings, SEVERITY_WARN, "parameter", NULL,
			    PARAMETER "= %s is empty: %s", source, binds_nothing(&c->ids));
	else
		finding_add(&c->findings, SEVERITY_OK, "parameter", NULL,
			    PARAMETER "=%s %s: %zu %s", value, source, n,
			    n == 1 ? "entry" : "entries");
	return 0;
}
