/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "entry.h"
#include "pcidev.h"
#include "resolve.h"

/*
 * What the boot was asked and what it did, kept in /run/early-bind/state
 * for `early-bind status`. The format is documented in README.md: one
 * record per line, tab-separated fields, first field the record type.
 */
#define STATE_PATH "run/early-bind/state"
#define STATE_VALUE_MAX 512

enum outcome {
	OUTCOME_PLANNED, /* chosen, not reached (e.g. vfio-pci failed to load) */
	OUTCOME_BOUND,
	OUTCOME_ALREADY, /* was on vfio-pci before */
	OUTCOME_FAILED,
};

struct state_entry {
	char text[ENTRY_TEXT_MAX];
	char error[RESOLVE_ERROR_MAX]; /* "" when the entry was accepted */
};

struct state_function {
	char name[PCI_NAME_MAX];
	uint16_t vendor;
	uint16_t device;
	uint16_t class_id;
	char before[DRIVER_NAME_MAX]; /* driver before the boot touched it */
	char after[DRIVER_NAME_MAX];
	enum outcome outcome;
};

/*
 * vfio-pci's own ids= (the usual recipe's, left over) when early-bind
 * loaded vfio-pci with it: where it came from, and the functions it makes
 * vfio-pci take beyond vfio.devices=.
 */
struct state_ids {
	char source[STATE_VALUE_MAX]; /* "cmdline" or the modprobe.d file; "" when unset */
	char value[STATE_VALUE_MAX];  /* printable copy */
	char (*taken)[PCI_NAME_MAX];
	size_t n_taken;
};

struct boot_state {
	char requested[STATE_VALUE_MAX]; /* printable copy of vfio.devices= */
	bool iommu;
	struct state_entry *entries;
	size_t n_entries;
	struct state_function *functions;
	size_t n_functions;
	struct state_ids ids;
};

const char *outcome_name(enum outcome outcome);

/* Whether every entry was accepted and every function ended on vfio-pci. */
bool state_result_ok(const struct boot_state *state);

/* Writes atomically (temporary file, then rename). Returns 0 or -errno. */
int state_write(int root_fd, const struct boot_state *state);

/*
 * Reads ROOT_FD/run/early-bind/state back, for `early-bind status`.
 * Returns 0, -ENOENT when the boot wrote none, -EBADMSG when it is not a
 * version 1 state file, or -errno. Free with state_free().
 */
int state_read(int root_fd, struct boot_state *state);
void state_free(struct boot_state *state);
