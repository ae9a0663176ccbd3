// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The usual recipe's vfio-pci.ids= / "options vfio-pci ids=", left over
 * beside vfio.devices=: libkmod passes it when early-bind loads vfio-pci,
 * and vfio-pci then takes every free function with those IDs, the host's
 * identical card too. The boot names them in the kernel log and the state
 * file.
 */
#include "engine/idsreport.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/host.h"
#include "engine/log.h"
#include "engine/modprobe.h"
#include "engine/rootdir.h"
#include "engine/textbuf.h"
#include "engine/text.h"
#include "engine/vfio.h"
#include "engine/vfioids.h"

/* Room in a log line for the list of functions; longer lists get a line each. */
#define LINE_BUDGET 800

int ids_read(const struct engine_context *ctx, const char *cmdline, char *value, size_t size,
	     char *source, size_t source_size)
{
	char raw[MODPROBE_SOURCE_MAX], release[128];
	bool builtin = host_kernel_release(ctx, release, sizeof(release)) == 0 &&
		       modprobe_builtin(ctx->root_fd, release, VFIO_IDS_MODULE);
	int r = modprobe_module_param(ctx->root_fd, cmdline, VFIO_IDS_MODULE, VFIO_IDS_PARAM,
				      builtin, value, size, raw, sizeof(raw));

	/* A file name goes into log lines and a tab-separated record. */
	if (r > 0)
		text_printable(raw, strlen(raw), source_size - 4, source);
	return r;
}

/* A function a driver holds stays with it: vfio-pci only takes free ones. */
static int find_taken(const struct pci_function_list *fns, const bool *requested,
		      const struct vfio_ids *ids, struct state_ids *rec)
{
	size_t i;

	rec->taken = calloc(fns->count + 1, sizeof(*rec->taken));
	if (!rec->taken)
		return -ENOMEM;
	for (i = 0; i < fns->count; i++) {
		const struct pci_function *fn = &fns->items[i];

		if (!requested[i] && (!fn->driver[0] || strcmp(fn->driver, VFIO_DRIVER) == 0) &&
		    vfio_ids_take(ids, fn))
			snprintf(rec->taken[rec->n_taken++], PCI_NAME_MAX, "%s", fn->name);
	}
	return 0;
}

/* "0000:af:00.0 [10de:1e07] vga", or the bare name. */
static void describe(const struct pci_function_list *fns, const char *name, char *buf, size_t size)
{
	size_t i;

	snprintf(buf, size, "%s", name);
	for (i = 0; i < fns->count; i++)
		if (strcmp(fns->items[i].name, name) == 0)
			pci_function_describe(&fns->items[i], buf, size);
}

/* Names every function taken: on the warning line when they fit, else one line each. */
static void log_taken(const struct pci_function_list *fns, const struct state_ids *rec,
		      const char *subject, const char *fix)
{
	char what[96], *list = calloc(rec->n_taken, sizeof(what) + 2);
	struct textbuf sb;
	size_t i;

	if (list)
		textbuf_init(&sb, list, rec->n_taken * (sizeof(what) + 2));
	for (i = 0; list && i < rec->n_taken; i++) {
		describe(fns, rec->taken[i], what, sizeof(what));
		textbuf_item(&sb, ", ", "%s", what);
	}
	if (list && sb.len + strlen(subject) + strlen(fix) < LINE_BUDGET) {
		log_warning("%s makes vfio-pci also take %s, which " PARAMETER
			    "= does not ask for: %s",
			    subject, list, fix);
		free(list);
		return;
	}
	free(list);
	log_warning("%s makes vfio-pci also take %zu functions, which " PARAMETER
		    "= does not ask for (named below): %s",
		    subject, rec->n_taken, fix);
	for (i = 0; i < rec->n_taken; i++) {
		describe(fns, rec->taken[i], what, sizeof(what));
		log_warning("%s: taken by vfio-pci's own ids=, not asked for", what);
	}
}

static void log_items(const struct vfio_ids *ids)
{
	char problem[VFIO_ID_ERROR_MAX + 160];
	size_t i;

	for (i = 0; i < ids->count; i++)
		if (vfio_id_problem(&ids->items[i], problem, sizeof(problem)))
			log_warning("%s", problem);
}

static void log_outcome(const struct pci_function_list *fns, const struct vfio_ids *ids,
			const struct state_ids *rec, const char *value)
{
	char subject[320], fix[512];

	vfio_ids_describe(rec->source, value, subject, sizeof(subject));
	vfio_ids_fix(rec->source, fix, sizeof(fix));
	if (ids->too_long)
		log_error(
		    "%s is longer than %d bytes, so the kernel refuses to load vfio-pci and nothing is bound: %s",
		    subject, VFIO_IDS_PARAM_MAX, fix);
	else if (rec->n_taken > 0)
		log_taken(fns, rec, subject, fix);
	else
		log_info("%s takes nothing beyond " PARAMETER
			 "= now, but any identical card added later goes to vfio-pci too: %s",
			 subject, fix);
	log_items(ids);
}

int ids_report(const struct engine_context *ctx, const struct pci_function_list *fns,
	       const bool *requested, bool runtime, struct state_ids *rec)
{
	char cmdline_buf[CMDLINE_MAX], value[CMDLINE_MAX];
	char source[MODPROBE_SOURCE_MAX];
	const char *cmdline;
	struct vfio_ids ids;
	int r;

	if (runtime && root_exists(ctx->root_fd, "sys/bus/pci/drivers/" VFIO_DRIVER))
		return 0;
	r = host_cmdline(ctx, cmdline_buf, sizeof(cmdline_buf), &cmdline);
	if (r == 0)
		r = ids_read(ctx, cmdline, value, sizeof(value), source, sizeof(source));
	if (r < 0)
		log_warning("cannot tell whether vfio-pci gets an ids= option: %s", strerror(-r));
	if (r <= 0)
		return 0;
	if (vfio_ids_parse(value, &ids) < 0 || find_taken(fns, requested, &ids, rec) < 0) {
		log_error("out of memory while reading vfio-pci's ids=");
		vfio_ids_free(&ids);
		return -ENOMEM;
	}
	snprintf(rec->source, sizeof(rec->source), "%s", source);
	text_printable(value, strlen(value), sizeof(rec->value) - 4, rec->value);
	log_outcome(fns, &ids, rec, value);
	r = ids.too_long ? -E2BIG : 0;
	vfio_ids_free(&ids);
	return r;
}
