// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `early-bind check`: a preflight doctor. It walks the checklist of the
 * usual passthrough guides (firmware settings, kernel parameters, the
 * initramfs) and goes on to what they leave to trial and error: the
 * entries as the boot will read them, IOMMU group viability, the boot
 * display and its framebuffer, reset methods and the drivers in the way.
 * Every finding carries its fix. Writes nothing.
 */
#include "doctor/doctor.h"

#include <errno.h>
#include <string.h>

#include "doctor/check.h"
#include "engine/host.h"
#include "engine/idsreport.h"
#include "engine/log.h"
#include "engine/plan.h"
#include "engine/rootdir.h"

struct doctor_step {
	const char *name;
	int (*run)(struct check *c);
};

static const struct doctor_step steps[] = {
#define CHECK(name, run) { name, run },
#include "doctor/checks.h"
#undef CHECK
};

/* What every check reads: the command line, the kernel release, the functions, vfio-pci's ids=. */
static void prepare(struct check *c)
{
	int err;

	err = host_cmdline(c->ctx, c->cmdline_buf, sizeof(c->cmdline_buf), &c->cmdline);
	if (err < 0) {
		c->cmdline = "";
		c->cmdline_unreadable = true;
		finding_add(
		    &c->findings, SEVERITY_ERROR, "parameter", NULL,
		    "cannot read the kernel command line: %s; the boot cannot either, and binds nothing",
		    err == -EFBIG ? "it is longer than the 8191 bytes early-bind reads"
				  : root_strerror(err));
		if (err == -EFBIG)
			finding_fix(
			    &c->findings,
			    "shorten the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub)");
		else
			finding_fix(
			    &c->findings,
			    "/proc/cmdline must be the kernel's: mount procfs on /proc (mount -t proc proc /proc)");
	}
	if (host_kernel_release(c->ctx, c->release, sizeof(c->release)) < 0)
		c->release[0] = '\0';
	/* Without devices the firmware and initramfs checks still tell a lot. */
	err = host_read_functions(c->ctx, &c->fns);
	if (err < 0)
		finding_add(&c->findings, SEVERITY_ERROR, "pci", NULL,
			    "cannot read the PCI devices from /sys/bus/pci: %s", strerror(-err));
	c->ids.found = ids_read(c->ctx, c->cmdline, c->ids.value, sizeof(c->ids.value),
				c->ids.source, sizeof(c->ids.source));
}

static int run_steps(struct check *c)
{
	size_t i;
	int err;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		err = steps[i].run(c);
		if (err < 0)
			return err;
	}
	if (!c->findings.failed)
		return 0;
	log_error("out of memory: cannot keep every finding, so none is shown");
	return -ENOMEM;
}

int doctor_check(const struct engine_context *ctx, char **entries, int n, struct findings *findings)
{
	struct check c = { 0 };
	int err;

	c.ctx = ctx;
	c.entries = entries;
	c.n_entries = n;
	prepare(&c);
	err = run_steps(&c);
	plan_free(&c.plan);
	pci_function_list_free(&c.fns);
	if (err < 0) {
		findings_free(&c.findings);
		memset(findings, 0, sizeof(*findings));
		return err;
	}
	*findings = c.findings;
	return 0;
}
