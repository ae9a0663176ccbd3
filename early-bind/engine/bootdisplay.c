// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/bootdisplay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/iomem.h"
#include "engine/rootdir.h"

#define IOMEM_MAX (4 << 20)

static bool wanted(const struct pci_function_list *fns, const bool *which, size_t i)
{
	return (!which || which[i]) && fns->items[i].boot_vga_absent &&
	       !fns->items[i].drm_boot_display;
}

/* Which BAR of FN is RANGE: its line in resource; BOOT_FB_SOME_BAR when none says. */
static int bar_of(int root_fd, const struct pci_function *fn, const struct iomem_range *range)
{
	uint64_t res[PCI_BAR_COUNT][3];
	int i;

	if (pci_read_resources(root_fd, fn->name, res, PCI_BAR_COUNT) < 0)
		return BOOT_FB_SOME_BAR;
	for (i = 0; i < PCI_BAR_COUNT; i++)
		if (res[i][0] == range->start && res[i][1] == range->end)
			return i;
	return BOOT_FB_SOME_BAR;
}

static int read_iomem(int root_fd, struct iomem *iomem)
{
	char *text;
	long n = root_read_all(root_fd, "proc/iomem", IOMEM_MAX, &text);
	int err;

	if (n < 0)
		return (int)n;
	err = iomem_parse(text, iomem);
	free(text);
	if (err == 0 && iomem->hidden) {
		iomem_free(iomem);
		err = -EACCES;
	}
	return err;
}

int boot_display_find(int root_fd, struct pci_function_list *fns, const bool *which)
{
	const struct iomem_range *bar;
	struct iomem iomem;
	size_t i;
	int err;

	for (i = 0; i < fns->count && !wanted(fns, which, i); i++)
		;
	if (i == fns->count)
		return 0;
	err = read_iomem(root_fd, &iomem);
	if (err < 0)
		return err;
	/* None at all: the firmware set none up, or a GPU driver removed it. */
	for (; i < fns->count && iomem.n_framebuffers > 0; i++) {
		struct pci_function *fn = &fns->items[i];

		if (!wanted(fns, which, i))
			continue;
		fn->framebuffer_bar = BOOT_FB_NONE;
		if (iomem_framebuffer_in(&iomem, fn->name, &bar))
			fn->framebuffer_bar = (int8_t)bar_of(root_fd, fn, bar);
	}
	iomem_free(&iomem);
	return 0;
}

void boot_display_evidence(const struct pci_function *fn, char *buf, size_t size)
{
	char where[16] = "memory";

	if (fn->drm_boot_display && !fn->boot_vga) {
		snprintf(buf, size, "its DRM card's boot_display=1");
		return;
	}
	if (fn->boot_vga || !fn->boot_vga_absent || fn->framebuffer_bar < 0) {
		snprintf(buf, size, "boot_vga=1");
		return;
	}
	if (fn->framebuffer_bar < PCI_BAR_COUNT)
		snprintf(where, sizeof(where), "BAR%d", fn->framebuffer_bar);
	snprintf(
	    buf, size,
	    "the firmware framebuffer lies in its %s; the kernel gives class-%04x devices no boot_vga",
	    where, fn->class_id);
}
