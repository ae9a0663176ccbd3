/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "engine/context.h"
#include "doctor/finding.h"
#include "engine/host.h"
#include "engine/modprobe.h"
#include "engine/pcidev.h"
#include "engine/plan.h"

/* vfio-pci's own ids=, as modprobe passes it when the boot loads vfio-pci. */
struct ids_option {
	int found; /* 1, 0 when unset, or -errno */
	char value[CMDLINE_MAX];
	char source[MODPROBE_SOURCE_MAX];
};

/* What every part of `early-bind check` reads and adds its findings to. */
struct check {
	const struct engine_context *ctx;
	char **entries; /* the entries given as arguments */
	int n_entries;	/* 0: vfio.devices= on the command line */
	struct pci_function_list fns;
	/* What the entries ask of fns, built by the parameter check; requested[] says which. */
	struct plan plan;
	struct ids_option ids;
	const char *cmdline; /* the kernel command line ("" if unreadable) */
	char cmdline_buf[CMDLINE_MAX];
	bool cmdline_unreadable; /* the "parameter" error finding says why */
	char release[128];	 /* the kernel release ("" if unknown) */
	bool iommu_on;		 /* the kernel has IOMMU groups */
	struct findings findings;
};

/* Every check, declared from the table. */
#define CHECK(name, run) int run(struct check *c);
#include "doctor/checks.h"
#undef CHECK

/* check-system.c: the CPU's vendor, from /proc/cpuinfo. */
enum vendor { VENDOR_OTHER, VENDOR_INTEL, VENDOR_AMD };
enum vendor check_cpu_vendor(struct check *c);

/*
 * The next slot after [*FIRST, *END) that holds a requested function: sets
 * [*FIRST, *END) to its functions (start with *END = 0); false after the last.
 */
bool check_next_requested_slot(const struct check *c, size_t *first, size_t *end);

/* check-entries.c: appends "0000:3b:00.0 (vga)" to BUF, after a comma unless it is the first. */
void check_append_function(char *buf, size_t size, const struct pci_function *fn);
