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

#include "cli/commands.h"
#include "cli/findings-print.h"
#include "doctor/check.h"
#include "engine/cmdline.h"
#include "engine/entry.h"
#include "engine/host.h"
#include "engine/idsreport.h"
#include "engine/log.h"
#include "engine/modprobe.h"
#include "engine/plan.h"
#include "engine/rootdir.h"
#include "engine/selection.h"
#include "engine/vfio.h"
#include "engine/vfioids.h"

/* vfio-pci's own ids=, as modprobe passes it when the boot loads vfio-pci. */
struct ids_option {
	int found; /* 1, 0 when unset, or -errno */
	char value[CMDLINE_MAX];
	char source[MODPROBE_SOURCE_MAX];
};

/* What the parameter findings say when no vfio.devices= entry binds anything. */
static const char *binds_nothing(const struct ids_option *ids)
{
	if (ids->found > 0)
		return "early-bind binds nothing, but vfio-pci's own ids= binds by ID (see the ids finding)";
	return "the boot binds nothing";
}

/* Appends "0000:3b:00.0 (vga)" to BUF, after a comma unless it is the first. */
static void append_function(char *buf, size_t size, const struct pci_function *fn)
{
	size_t len = strlen(buf);

	if (len < size)
		snprintf(buf + len, size - len, "%s%s (%s)", len ? ", " : "", fn->name,
			 pci_class_kind(fn->class_id));
}

/* "3b:00" -> "0000:3b:00.0 (vga), 0000:3b:00.1 (audio)..." */
static void describe_matches(const struct check *c, const size_t *matches, size_t n, char *buf,
			     size_t size)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		append_function(buf, size, &c->fns.items[matches[i]]);
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
	size_t i;

	if (!e->ok) {
		finding_add(&c->findings, SEVERITY_ERROR, "entry", NULL, "'%s' does not parse: %s",
			    e->text, e->error);
		finding_fix(&c->findings, "correct it: 'early-bind list' shows the value of each card");
		return;
	}
	if (pe->error[0]) {
		add_refused(c, e, pe->error);
		return;
	}
	for (i = 0; i < pe->n_matches; i++) {
		c->requested[pe->matches[i]] = true;
		c->by_function[pe->matches[i]] |= e->has_func;
	}
	describe_matches(c, pe->matches, pe->n_matches, names, sizeof(names));
	finding_add(&c->findings, SEVERITY_OK, "entry", NULL, "'%s' takes %s", e->text, names);
}

/* SOURCE: where VALUE comes from, e.g. "on the kernel command line". Returns 0 or -ENOMEM (logged). */
static int check_value(struct check *c, const char *value, const char *source,
		       const struct ids_option *ids)
{
	struct plan plan;
	size_t i;

	if (plan_build(&plan, value, &c->fns) < 0) {
		plan_free(&plan);
		log_error("out of memory: cannot check the entries of " PARAMETER "=%s", value);
		return -ENOMEM;
	}
	if (plan.n_entries == 0) {
		finding_add(&c->findings, SEVERITY_WARN, "parameter", NULL,
			    PARAMETER "= %s is empty: %s", source, binds_nothing(ids));
	} else {
		finding_add(&c->findings, SEVERITY_OK, "parameter", NULL, PARAMETER "=%s %s: %zu %s",
			    value, source, plan.n_entries, plan.n_entries == 1 ? "entry" : "entries");
	}
	for (i = 0; i < plan.n_entries; i++)
		check_entry(c, &plan.entries[i]);
	plan_free(&plan);
	return 0;
}

/* The entries given as arguments, else vfio.devices= on the command line. */
static int check_parameter(struct check *c, char **args, int n, const struct ids_option *ids)
{
	char value[CMDLINE_MAX];
	int r;

	if (n > 0)
		return selection_join(args, n, value, sizeof(value)) == 0 ?
			       check_value(c, value, "as given", ids) : 0;
	if (c->cmdline_unreadable)
		return 0; /* the parameter finding above said why */
	r = cmdline_get_last(c->cmdline, PARAMETER, value, sizeof(value));
	if (r > 0)
		return check_value(c, value, "on the kernel command line", ids);
	if (r < 0)
		finding_add(&c->findings, SEVERITY_WARN, "parameter", NULL,
			    "the kernel command line is unreadable or vfio.devices= too long");
	else
		finding_add(&c->findings, SEVERITY_WARN, "parameter", NULL,
			    "no vfio.devices= on the kernel command line: %s", binds_nothing(ids));
	finding_fix(&c->findings, "pick a card with 'early-bind list', check it with 'early-bind check ENTRY', then add vfio.devices=ENTRY to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub and run update-grub");
	return 0;
}

/* What IDS takes beyond the request, described into BUF; returns how many. */
static size_t describe_taken(const struct check *c, const struct vfio_ids *ids, char *buf,
			     size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < c->fns.count; i++) {
		if (c->requested[i] || !vfio_ids_take(ids, &c->fns.items[i]))
			continue;
		append_function(buf, size, &c->fns.items[i]);
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

/*
 * The usual recipe's vfio-pci.ids= takes by ID: left over beside
 * vfio.devices=, it also gives the host's identical card to vfio-pci.
 * Driver state now does not count: at boot the host's GPU drivers have
 * not loaded yet.
 */
/* Returns 0 or -ENOMEM (logged). */
static int check_ids(struct check *c, const struct ids_option *option)
{
	char subject[320], fix[512], names[FINDING_TEXT_MAX - 400];
	struct vfio_ids ids;
	size_t n;

	if (option->found < 0)
		finding_add(&c->findings, SEVERITY_WARN, "ids", NULL,
			    "cannot tell whether vfio-pci gets an ids= option: %s", strerror(-option->found));
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
		finding_add(&c->findings, SEVERITY_ERROR, "ids", NULL,
			    "%s is longer than %d bytes, so the kernel refuses to load vfio-pci and nothing is bound",
			    subject, VFIO_IDS_PARAM_MAX);
	else if (n > 0)
		finding_add(&c->findings, SEVERITY_ERROR, "ids", NULL,
			    "%s makes vfio-pci take %s as soon as it loads (unless a driver holds them first), although vfio.devices= does not ask for them",
			    subject, names);
	else
		finding_add(&c->findings, SEVERITY_WARN, "ids", NULL,
			    "%s takes nothing beyond vfio.devices= here, but would give vfio-pci any identical card added later",
			    subject);
	finding_fix(&c->findings, "%s", fix);
	vfio_ids_free(&ids);
	return 0;
}

static int prepare(struct check *c)
{
	int err;

	err = host_cmdline(c->ctx, c->cmdline_buf, sizeof(c->cmdline_buf), &c->cmdline);
	if (err < 0) {
		c->cmdline = "";
		c->cmdline_unreadable = true;
		finding_add(&c->findings, SEVERITY_ERROR, "parameter", NULL,
			    "cannot read the kernel command line: %s; the boot cannot either, and binds nothing",
			    err == -EFBIG ? "it is longer than the 8191 bytes early-bind reads" :
					    root_strerror(err));
		if (err == -EFBIG)
			finding_fix(&c->findings, "shorten the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub)");
		else
			finding_fix(&c->findings, "/proc/cmdline must be the kernel's: mount procfs on /proc (mount -t proc proc /proc)");
	}
	if (host_kernel_release(c->ctx, c->release, sizeof(c->release)) < 0)
		c->release[0] = '\0';
	/* Without devices the firmware and initramfs checks still tell a lot. */
	err = host_read_functions(c->ctx, &c->fns);
	if (err < 0)
		finding_add(&c->findings, SEVERITY_ERROR, "pci", NULL,
			    "cannot read the PCI devices from /sys/bus/pci: %s", strerror(-err));
	c->requested = calloc(c->fns.count + 1, sizeof(*c->requested));
	c->by_function = calloc(c->fns.count + 1, sizeof(*c->by_function));
	if (c->requested && c->by_function)
		return 0;
	log_error("out of memory: cannot check the %zu PCI functions; nothing was checked",
		  c->fns.count);
	return -ENOMEM;
}

/* Every check, in the order the findings are shown; 0 or -ENOMEM (logged). */
static int run_checks(struct check *c, char **entries, int n, struct ids_option *ids)
{
	int err;

	ids->found = ids_read(c->ctx, c->cmdline, ids->value, sizeof(ids->value), ids->source,
			      sizeof(ids->source));
	check_cpu(c);
	check_iommu(c);
	check_secure_boot(c);
	check_interrupt_remapping(c);
	check_kvm(c);
	check_vfio_stack(c);
	err = check_parameter(c, entries, n, ids);
	if (err == 0)
		err = check_ids(c, ids);
	if (err < 0)
		return err;
	check_initramfs(c);
	check_cards(c);
	check_sriov(c);
	check_bars(c);
	check_gpu_drivers(c);
	if (!c->findings.failed)
		return 0;
	log_error("out of memory: cannot keep every finding, so none is shown");
	return -ENOMEM;
}

static int cmd_check(const struct options *o, char **entries, int n)
{
	struct check c = { 0 };
	struct ids_option ids = { 0 };
	int err;

	c.ctx = &o->ctx;
	err = prepare(&c);
	if (err == 0)
		err = run_checks(&c, entries, n, &ids);
	if (err == 0 && o->json)
		findings_print_json(&c.findings);
	else if (err == 0)
		findings_print_text(&c.findings);
	if (err == 0 && findings_count(&c.findings, SEVERITY_ERROR) > 0)
		err = -EIO;
	findings_free(&c.findings);
	free(c.requested);
	free(c.by_function);
	pci_function_list_free(&c.fns);
	return err;
}

const struct command command_check = {
	.name = "check",
	.run = cmd_check,
	.takes = TAKES_SYSROOT | TAKES_CMDLINE | TAKES_JSON,
	.min_args = 0,
	.max_args = -1,
	.synopsis = "check [--json] [ENTRY...]",
	.summary = "preflight: CPU, IOMMU, initramfs, groups, display...",
	.help = "Walks the passthrough checklist and prints one finding a line, ok, warn or\n"
		"error, with the fix: CPU virtualisation, the IOMMU, the vfio.devices= value\n"
		"(the ENTRYs given, else the one on the kernel command line), whether the\n"
		"running kernel's initramfs holds early-bind and vfio-pci, and for each\n"
		"requested card its IOMMU group, boot display and framebuffer, reset\n"
		"methods, current driver, plus Secure Boot. Writes nothing.\n"
		"Exit status 0 when no finding is an error.\n",
};
