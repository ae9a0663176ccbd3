// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `early-bind check`: prints, as text or JSON, the findings of the doctor
 * (doctor/doctor.c); exit status 0 when none is an error.
 */
#include <errno.h>

#include "cli/commands.h"
#include "cli/findings-print.h"
#include "doctor/doctor.h"

static int cmd_check(const struct options *o, char **entries, int n)
{
	struct findings findings;
	int err = doctor_check(&o->ctx, entries, n, &findings);

	if (err < 0)
		return err;
	if (o->json)
		findings_print_json(&findings);
	else
		findings_print_text(&findings);
	if (findings_count(&findings, SEVERITY_ERROR) > 0)
		err = -EIO;
	findings_free(&findings);
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
