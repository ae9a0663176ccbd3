/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/entry.h"
#include "engine/pcidev.h"
#include "engine/resolve.h"

/*
 * What the boot was asked and what it did, kept in /run/early-bind/state
 * for `early-bind status`. The format is documented in README.md: one
 * record per line, tab-separated fields, first field the record type.
 */
#define STATE_PATH "run/early-bind/state"
#define STATE_VALUE_MAX 512

/* What became of a function: the plan's while the boot runs, then the state file's. */
enum outcome {
	OUTCOME_PLANNED, /* chosen, not reached (e.g. vfio-pci failed to load) */
	OUTCOME_BOUND,
	OUTCOME_ALREADY, /* was on vfio-pci before */
	OUTCOME_FAILED,
	OUTCOME_NOT_ATTEMPTED, /* the boot moved on before its turn (the deadline) */
	/* A dry run got as far as the writes it leaves out; recorded as planned. */
	OUTCOME_WOULD_BIND,
};

/* The writes the binder makes to a function, and the check before each. */
enum step {
	STEP_IDENTITY, /* vendor, device and class re-read before a write */
	STEP_OVERRIDE, /* driver_override <- vfio-pci */
	STEP_UNBIND,   /* driver/unbind */
	STEP_CLEAR,    /* driver_override cleared again after a failed unbind */
	STEP_PROBE,    /* drivers_probe */
};

#define STEP_ERROR_MAX 96
#define STATE_STEP_MAX 320
#define FUNCTION_STEPS_MAX 8

struct state_step {
	enum step step;
	char error[STEP_ERROR_MAX]; /* "" when it worked */
};

struct state_entry {
	char text[ENTRY_TEXT_MAX];
	char error[RESOLVE_ERROR_MAX]; /* "" when the entry was accepted */
};

/* What the boot did to one function: the plan fills it in, the state file records it. */
struct function_result {
	char before[DRIVER_NAME_MAX]; /* driver before the boot touched it */
	char after[DRIVER_NAME_MAX];
	enum outcome outcome;
	/* In the order they happened; identity only when it stopped the function. */
	struct state_step steps[FUNCTION_STEPS_MAX];
	size_t n_steps;
};

struct state_function {
	char name[PCI_NAME_MAX];
	uint16_t vendor;
	uint16_t device;
	uint16_t class_id;
	struct function_result result;
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
	/*
	 * The step the binder was in when the boot moved on without it (its
	 * deadline passed): it changed nothing after that. "" when it did not.
	 */
	char moved_on[STATE_STEP_MAX];
	/*
	 * Microseconds from the start of `boot` to its record, for monitoring;
	 * 0 when the file has none (written by an older version).
	 */
	unsigned long long elapsed_us;
};

const char *outcome_name(enum outcome outcome);

const char *step_name(enum step step);

/*
 * Records STEP's result in R: ERROR "" when it worked. Steps past
 * FUNCTION_STEPS_MAX are dropped.
 */
void state_add_step(struct function_result *r, enum step step, const char *error);

/* The first step of FN that failed, or NULL. */
const struct state_step *state_failed_step(const struct state_function *fn);

/*
 * Whether FN's driver_override still says vfio-pci while FN is not on
 * vfio-pci: no host driver takes it until the override is cleared.
 */
bool state_override_left(const struct state_function *fn);

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
