// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `early-bind check`: a preflight doctor. It walks the checklist of the
 * usual passthrough guides (firmware settings, kernel parameters, the
 * initramfs) and goes on to what they leave to trial and error: the
 * entries as the boot will read them, IOMMU group viability, the boot
 * display and its framebuffer, reset methods and the drivers in the way.
 * Every finding carries its fix. Writes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "check.h"
#include "cmdline.h"
#include "entry.h"
#include "host.h"
#include "resolve.h"
#include "selection.h"

/* "3b:00" -> "0000:3b:00.0 (vga), 0000:3b:00.1 (audio)..." */
static void describe_matches(const struct check *c, const size_t *matches, size_t n, char *buf,
			     size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++) {
		const struct pci_function *fn = &c->fns.items[matches[i]];

		snprintf(buf + len, size - len, "%s%s (%s)", i ? ", " : "", fn->name,
			 pci_class_kind(fn->class_id));
		len = strlen(buf);
	}
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

static void check_entry(struct check *c, const struct entry *e, size_t *matches)
{
	char why[RESOLVE_ERROR_MAX], names[FINDING_TEXT_MAX - 64];
	size_t n, i;

	if (!e->ok) {
		finding_add(&c->findings, SEVERITY_ERROR, "entry", NULL, "'%s' does not parse: %s",
			    e->text, e->error);
		finding_fix(&c->findings, "correct it: 'early-bind list' shows the value of each card");
		return;
	}
	if (resolve_entry(e, &c->fns, matches, &n, why, sizeof(why)) < 0) {
		add_refused(c, e, why);
		return;
	}
	for (i = 0; i < n; i++) {
		c->requested[matches[i]] = true;
		c->by_function[matches[i]] |= e->has_func;
	}
	describe_matches(c, matches, n, names, sizeof(names));
	finding_add(&c->findings, SEVERITY_OK, "entry", NULL, "'%s' takes %s", e->text, names);
}

/* SOURCE: where VALUE comes from, e.g. "on the kernel command line". */
static void check_value(struct check *c, const char *value, const char *source)
{
	struct entry_list entries;
	size_t *matches, i;

	if (entry_list_parse(value, &entries) < 0)
		return;
	if (entries.count == 0) {
		finding_add(&c->findings, SEVERITY_WARN, "parameter", NULL,
			    PARAMETER "= %s is empty: the boot binds nothing", source);
	} else {
		finding_add(&c->findings, SEVERITY_OK, "parameter", NULL, PARAMETER "=%s %s: %zu %s",
			    value, source, entries.count, entries.count == 1 ? "entry" : "entries");
	}
	matches = calloc(c->fns.count + 1, sizeof(*matches));
	for (i = 0; matches && i < entries.count; i++)
		check_entry(c, &entries.items[i], matches);
	free(matches);
	entry_list_free(&entries);
}

/* The entries given as arguments, else vfio.devices= on the command line. */
static void check_parameter(struct check *c, char **args, int n)
{
	static char value[CMDLINE_MAX];
	int r;

	if (n > 0) {
		if (selection_join(args, n, value, sizeof(value)) == 0)
			check_value(c, value, "as given");
		return;
	}
	r = cmdline_get_last(c->cmdline, PARAMETER, value, sizeof(value));
	if (r > 0) {
		check_value(c, value, "on the kernel command line");
		return;
	}
	finding_add(&c->findings, SEVERITY_WARN, "parameter", NULL,
		    r < 0 ? "the kernel command line is unreadable or vfio.devices= too long" :
			    "no vfio.devices= on the kernel command line: the boot binds nothing");
	finding_fix(&c->findings, "pick a card with 'early-bind list', check it with 'early-bind check ENTRY', then add vfio.devices=ENTRY to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub and run update-grub");
}

static int prepare(struct check *c)
{
	int err;

	if (host_cmdline(c->o, c->cmdline_buf, sizeof(c->cmdline_buf), &c->cmdline) < 0)
		c->cmdline = "";
	if (host_kernel_release(c->o, c->release, sizeof(c->release)) < 0)
		c->release[0] = '\0';
	/* Without devices the firmware and initramfs checks still tell a lot. */
	err = host_read_functions(c->o, &c->fns);
	if (err < 0)
		finding_add(&c->findings, SEVERITY_ERROR, "pci", NULL,
			    "cannot read the PCI devices from /sys/bus/pci: %s", strerror(-err));
	c->requested = calloc(c->fns.count + 1, sizeof(*c->requested));
	c->by_function = calloc(c->fns.count + 1, sizeof(*c->by_function));
	return c->requested && c->by_function ? 0 : -ENOMEM;
}

int cmd_check(const struct options *o, char **entries, int n)
{
	static struct check c;
	int err;

	c.o = o;
	err = prepare(&c);
	if (err == 0) {
		check_cpu(&c);
		check_iommu(&c);
		check_secure_boot(&c);
		check_parameter(&c, entries, n);
		check_initramfs(&c);
		check_cards(&c);
		if (c.findings.failed)
			err = -ENOMEM;
		else if (o->json)
			findings_print_json(&c.findings);
		else
			findings_print_text(&c.findings);
	}
	if (err == 0 && findings_count(&c.findings, SEVERITY_ERROR) > 0)
		err = -EIO;
	findings_free(&c.findings);
	free(c.requested);
	free(c.by_function);
	pci_function_list_free(&c.fns);
	return err;
}
