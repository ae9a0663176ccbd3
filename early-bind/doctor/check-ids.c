// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The usual recipe's vfio-pci.ids= takes by ID: left over beside
 * vfio.devices=, it also gives the host's identical card to vfio-pci.
 * Driver state now does not count: at boot the host's GPU drivers have
 * not loaded yet.
 */
#include <errno.h>
#include <string.h>

#include "doctor/check.h"
#include "engine/log.h"
#include "engine/modprobe.h"
#include "engine/vfioids.h"

/* What IDS takes beyond the request, described into BUF; returns how many. */
static size_t describe_taken(const struct check *c, const struct vfio_ids *ids, char *buf,
			     size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < c->fns.count; i++) {
		if (c->plan.requested[i] || !vfio_ids_take(ids, &c->fns.items[i]))
			continue;
		check_append_function(buf, size, &c->fns.items[i]);
		n++;
	}
	return n;
}

static void check_ids_items(struct check *c, const char *source, const struct vfio_ids *ids)
{
	char problem[VFIO_ID_ERROR_MAX + 160];
	size_t i;

	for (i = 0; i < ids->count; i++) {
		if (!vfio_id_problem(&ids->items[i], problem, sizeof(problem)))
			continue;
		finding_add(&c->findings, SEVERITY_WARN, "ids", NULL, "%s", problem);
		finding_fix(&c->findings, "correct or remove it (%s)",
			    strcmp(source, MODPROBE_CMDLINE) == 0 ? "kernel command line" : source);
	}
}

int check_ids(struct check *c)
{
	const struct ids_option *option = &c->ids;
	char subject[320], fix[512], names[FINDING_TEXT_MAX - 400];
	struct vfio_ids ids;
	size_t n;

	if (option->found < 0)
		finding_add(&c->findings, SEVERITY_WARN, "ids", NULL,
			    "cannot tell whether vfio-pci gets an ids= option: %s",
			    strerror(-option->found));
	if (option->found <= 0)
		return 0;
	if (vfio_ids_parse(option->value, &ids) < 0) {
		log_error("out of memory: cannot check vfio-pci's ids=%s", option->value);
		return -ENOMEM;
	}
	vfio_ids_describe(option->source, option->value, subject, sizeof(subject));
	vfio_ids_fix(option->source, fix, sizeof(fix));
	check_ids_items(c, option->source, &ids);
	n = describe_taken(c, &ids, names, sizeof(names));
	if (ids.too_long)
		finding_add(
		    &c->findings, SEVERITY_ERROR, "ids", NULL,
		    "%s is longer than %d bytes, so the kernel refuses to load vfio-pci and nothing is bound",
		    subject, VFIO_IDS_PARAM_MAX);
	else if (n > 0)
		finding_add(
		    &c->findings, SEVERITY_ERROR, "ids", NULL,
		    "%s makes vfio-pci take %s as soon as it loads (unless a driver holds them first), although vfio.devices= does not ask for them",
		    subject, names);
	else
		finding_add(
		    &c->findings, SEVERITY_WARN, "ids", NULL,
		    "%s takes nothing beyond vfio.devices= here, but would give vfio-pci any identical card added later",
		    subject);
	finding_fix(&c->findings, "%s", fix);
	vfio_ids_free(&ids);
	return 0;
}
