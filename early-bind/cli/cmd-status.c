// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `early-bind status`: what the last boot asked for and did, from the
 * state file it left in /run, beside where each function stands now: the
 * answer people otherwise dig out of `dmesg | grep -i vfio`.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "engine/host.h"
#include "cli/json.h"
#include "engine/log.h"
#include "cli/metrics.h"
#include "cli/output.h"
#include "engine/progress.h"
#include "engine/state.h"
#include "cli/style.h"
#include "engine/rootdir.h"
#include "cli/table.h"
#include "engine/textbuf.h"
#include "engine/text.h"
#include "engine/vfio.h"
#include "engine/vfioids.h"

enum format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_OPENMETRICS,
	FORMAT_PROMETHEUS,
};

static const char *const format_names[] = {
	[FORMAT_TEXT] = "text",
	[FORMAT_JSON] = "json",
	[FORMAT_OPENMETRICS] = "openmetrics",
	[FORMAT_PROMETHEUS] = "prometheus",
};

/* --json is --format json; -1 for a --format this command does not know. */
static int format_of(const struct options *o)
{
	int i;

	if (!o->format)
		return o->json ? FORMAT_JSON : FORMAT_TEXT;
	for (i = FORMAT_TEXT; i <= FORMAT_PROMETHEUS; i++)
		if (strcmp(o->format, format_names[i]) == 0)
			return i;
	return -1;
}

static int status_check_usage(const struct options *o)
{
	int format = format_of(o);

	if (format < 0)
		return usage_error("--format takes text, json, openmetrics or prometheus, not",
				   o->format);
	if (o->json && format != FORMAT_JSON)
		return usage_error("--json is --format json; give one of them, not with",
				   o->format);
	if (o->output && format == FORMAT_TEXT)
		return usage_error("--output writes json, openmetrics or prometheus: add --format",
				   NULL);
	return 0;
}

/* Where one function the boot handled stands now. */
struct now {
	bool present;
	char driver[DRIVER_NAME_MAX];
	bool ids_read; /* the IDs below were readable */
	uint16_t vendor, device, class_id;
	char vfio_device[64]; /* "/dev/vfio/devices/vfio0", or "" */
};

static void read_now(const struct options *o, const struct state_function *fn, struct now *now)
{
	char path[PATH_MAX];

	now->driver[0] = '\0';
	now->present = pci_attr_path(path, sizeof(path), fn->name, NULL) == 0 &&
		       root_exists(o->ctx.root_fd, path);
	if (now->present &&
	    pci_read_driver(o->ctx.root_fd, fn->name, now->driver, sizeof(now->driver)) < 0)
		now->driver[0] = '\0';
	now->ids_read = now->present && pci_read_ids(o->ctx.root_fd, fn->name, &now->vendor,
						     &now->device, &now->class_id) == 0;
	if (!now->present || pci_read_vfio_device(o->ctx.root_fd, fn->name, now->vfio_device,
						  sizeof(now->vfio_device)) <= 0)
		now->vfio_device[0] = '\0';
}

/* Another device at the address than the one the boot handled (hot plug, a card swapped). */
static bool ids_changed(const struct state_function *fn, const struct now *now)
{
	return now->ids_read && (now->vendor != fn->vendor || now->device != fn->device ||
				 now->class_id != fn->class_id);
}

static bool changed(const struct state_function *fn, const struct now *now)
{
	return !now->present || strcmp(fn->result.after, now->driver) != 0 || ids_changed(fn, now);
}

static void print_entries(const struct boot_state *s)
{
	char text[ENTRY_TEXT_MAX + RESOLVE_ERROR_MAX + 32];
	size_t i;

	for (i = 0; i < s->n_entries; i++) {
		const struct state_entry *e = &s->entries[i];

		if (!e->error[0]) {
			printf("  entry %s: accepted\n", e->text);
			continue;
		}
		printf("  %sentry%s ", style_on(STYLE_ERROR), style_off(STYLE_ERROR));
		snprintf(text, sizeof(text), "%s: refused: %s", e->text, e->error);
		text_print_wrapped(stdout, text, 8, 4, TEXT_WIDTH);
	}
}

/* What a leftover vfio-pci ids= made vfio-pci take beyond vfio.devices=. */
static void print_ids(const struct boot_state *s)
{
	const struct state_ids *ids = &s->ids;
	size_t i, size = ids->n_taken * (PCI_NAME_MAX + 2) + 512;
	char subject[320], *text = malloc(size);
	enum style style = ids->n_taken ? STYLE_WARN : STYLE_OK;
	struct textbuf sb;

	if (!ids->source[0] || !text) {
		free(text);
		return;
	}
	vfio_ids_describe(ids->source, ids->value, subject, sizeof(subject));
	textbuf_init(&sb, text, size);
	textbuf_add(&sb, "%s %s", subject,
		    ids->n_taken ? "made vfio-pci take" : "took nothing beyond vfio.devices=.");
	for (i = 0; i < ids->n_taken; i++)
		textbuf_add(&sb, "%s %s", i ? "," : "", ids->taken[i]);
	if (ids->n_taken)
		textbuf_add(
		    &sb,
		    " too, which vfio.devices= did not ask for; 'early-bind check' says how to remove it.");
	printf("  %sids%s ", style_on(style), style_off(style));
	text_print_wrapped(stdout, text, 6, 4, TEXT_WIDTH);
	free(text);
}

static enum style outcome_style(enum outcome outcome)
{
	return outcome == OUTCOME_BOUND || outcome == OUTCOME_ALREADY ? STYLE_OK : STYLE_ERROR;
}

static int print_functions(const struct boot_state *s, const struct now *now)
{
	static const char *const heading[] = { "FUNCTION", "CLASS",   "BEFORE",
					       "AFTER",	   "OUTCOME", "NOW" };
	char current[DRIVER_NAME_MAX + 8];
	struct table t;
	size_t i;
	int row, err;

	table_init(&t, 6, "  ");
	table_add(&t, heading);
	for (i = 0; i < s->n_functions; i++) {
		const struct state_function *fn = &s->functions[i];
		const char *cells[6];

		/* "*": changed since the boot, explained under the table. */
		snprintf(current, sizeof(current), "%s%s",
			 now[i].present ? table_or_dash(now[i].driver) : "(gone)",
			 changed(fn, &now[i]) ? " *" : "");
		cells[0] = fn->name;
		cells[1] = pci_class_kind(fn->class_id);
		cells[2] = table_or_dash(fn->result.before);
		cells[3] = table_or_dash(fn->result.after);
		cells[4] = outcome_name(fn->result.outcome);
		cells[5] = current;
		row = table_add(&t, cells);
		if (row < 0)
			continue;
		table_style(&t, (size_t)row, 4, outcome_style(fn->result.outcome));
		if (changed(fn, &now[i]))
			table_style(&t, (size_t)row, 5, STYLE_WARN);
	}
	err = table_print(&t, stdout);
	table_free(&t);
	return err;
}

/* The boot's failed writes, in order, and what they left behind. */
static void print_failed_steps(const struct state_function *fn)
{
	char text[FUNCTION_STEPS_MAX * (STEP_ERROR_MAX + 32) + 256];
	const char *sep = "";
	size_t i, used;

	used = (size_t)snprintf(text, sizeof(text), "%s: the boot's", fn->name);
	for (i = 0; i < fn->result.n_steps; i++) {
		if (!fn->result.steps[i].error[0])
			continue;
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s %s failed (%s)", sep,
					 step_name(fn->result.steps[i].step),
					 fn->result.steps[i].error);
		sep = ",";
	}
	if (state_override_left(fn))
		snprintf(
		    text + used, sizeof(text) - used,
		    "; its driver_override was left saying vfio-pci, so no host driver takes it until 'echo > /sys/bus/pci/devices/%s/driver_override'.",
		    fn->name);
	else
		snprintf(text + used, sizeof(text) - used, ".");
	printf("  ");
	text_print_wrapped(stdout, text, 2, 4, TEXT_WIDTH);
}

/*
 * The VFIO device file of each function that has one: what QEMU opens
 * through iommufd (-object iommufd) instead of the function's group.
 */
static void print_vfio_devices(const struct boot_state *s, const struct now *now)
{
	size_t i;
	bool any = false;

	for (i = 0; i < s->n_functions; i++) {
		if (!now[i].vfio_device[0])
			continue;
		if (!any)
			printf("\nVFIO device files (for QEMU with iommufd):\n");
		any = true;
		printf("  %-12s  %s\n", s->functions[i].name, now[i].vfio_device);
	}
}

/* A function the boot had not reached when it went on without early-bind. */
static void print_not_attempted(const struct boot_state *s, const struct state_function *fn)
{
	char text[STATE_STEP_MAX + 512];
	int used;

	used = snprintf(text, sizeof(text), "%s: not attempted: the boot moved on during %s",
			fn->name, s->moved_on);
	if (used < 0 || (size_t)used >= sizeof(text))
		used = 0;
	else if (state_override_left(fn) && fn->result.after[0])
		snprintf(
		    text + used, sizeof(text) - (size_t)used,
		    "; it stays with %s, and its driver_override says vfio-pci: 'early-bind bind %s' takes it now, 'echo > /sys/bus/pci/devices/%s/driver_override' leaves it to the host for good.",
		    fn->result.after, fn->name, fn->name);
	else if (state_override_left(fn))
		snprintf(
		    text + used, sizeof(text) - (size_t)used,
		    "; its driver_override says vfio-pci, so no host driver takes it: 'early-bind bind %s' binds it now, 'echo > /sys/bus/pci/devices/%s/driver_override' gives it back to the host.",
		    fn->name, fn->name);
	else
		snprintf(text + used, sizeof(text) - (size_t)used, ".");
	printf("  ");
	text_print_wrapped(stdout, text, 2, 4, TEXT_WIDTH);
}

/* Functions whose IDs changed since the boot, and the boot's failed writes. */
static void print_notes(const struct boot_state *s, const struct now *now)
{
	char text[256];
	size_t i;

	for (i = 0; i < s->n_functions; i++) {
		const struct state_function *fn = &s->functions[i];

		if (ids_changed(fn, &now[i])) {
			snprintf(
			    text, sizeof(text),
			    "%s is now [%04x:%04x] %s, not the [%04x:%04x] %s the boot handled: another device sits at that address.",
			    fn->name, now[i].vendor, now[i].device, pci_class_kind(now[i].class_id),
			    fn->vendor, fn->device, pci_class_kind(fn->class_id));
			printf("  ");
			text_print_wrapped(stdout, text, 2, 4, TEXT_WIDTH);
		}
		if (fn->result.outcome == OUTCOME_NOT_ATTEMPTED)
			print_not_attempted(s, fn);
		else if (state_failed_step(fn))
			print_failed_steps(fn);
	}
}

static size_t count_changed(const struct boot_state *s, const struct now *now)
{
	size_t i, n = 0;

	for (i = 0; i < s->n_functions; i++)
		n += changed(&s->functions[i], &now[i]);
	return n;
}

static void print_summary(const struct boot_state *s, const struct now *now)
{
	size_t n = count_changed(s, now);
	char text[256];

	if (!state_result_ok(s))
		text_print_wrapped(
		    stdout,
		    "The boot did not bind everything it was asked for: 'dmesg | grep early-bind' says why, 'early-bind check' what to fix.",
		    0, 0, TEXT_WIDTH);
	else if (s->n_functions == 0)
		printf("The boot was asked for nothing.\n");
	if (n > 0) {
		snprintf(
		    text, sizeof(text),
		    "* %zu of %zu functions changed driver since the boot ('early-bind release', a VM manager, or a host driver).",
		    n, s->n_functions);
		text_print_wrapped(stdout, text, 0, 2, TEXT_WIDTH);
	} else if (s->n_functions > 0) {
		printf("Every function is where the boot left it.\n");
	}
}

static int print_text(const struct boot_state *s, const struct now *now)
{
	bool ok = state_result_ok(s);
	int err;

	printf("%sLast boot%s: vfio.devices=%s  (IOMMU %s)  result: %s%s%s\n", style_on(STYLE_BOLD),
	       style_off(STYLE_BOLD), s->requested, s->iommu ? "on" : "off",
	       style_on(ok ? STYLE_OK : STYLE_ERROR), ok ? "ok" : "failed", style_off(STYLE_ERROR));
	if (s->moved_on[0]) {
		char text[STATE_STEP_MAX + 256];

		snprintf(
		    text, sizeof(text),
		    "The boot went on without early-bind at its deadline, during: %s; it changed no driver after that.",
		    s->moved_on);
		text_print_wrapped(stdout, text, 0, 0, TEXT_WIDTH);
	}
	print_entries(s);
	print_ids(s);
	if (s->n_functions > 0) {
		printf("\nDrivers before the boot, after it, and now:\n");
		err = print_functions(s, now);
		if (err < 0)
			return err;
		print_notes(s, now);
		print_vfio_devices(s, now);
		putchar('\n');
	}
	print_summary(s, now);
	return 0;
}

static void json_entries(struct json *j, const struct boot_state *s)
{
	size_t i;

	json_begin_array(j, "entries");
	for (i = 0; i < s->n_entries; i++) {
		json_begin_object(j, NULL);
		json_string(j, "text", s->entries[i].text);
		json_bool(j, "accepted", !s->entries[i].error[0]);
		json_string_or_null(j, "error", s->entries[i].error);
		json_end_object(j);
	}
	json_end_array(j);
}

static void json_now_ids(struct json *j, const struct now *now)
{
	if (!now->ids_read) {
		json_string(j, "now_ids", NULL);
		return;
	}
	json_begin_object(j, "now_ids");
	json_hex4(j, "vendor_id", now->vendor);
	json_hex4(j, "device_id", now->device);
	json_hex4(j, "class_id", now->class_id);
	json_end_object(j);
}

static void json_steps(struct json *j, const struct state_function *fn)
{
	size_t i;

	json_begin_array(j, "steps");
	for (i = 0; i < fn->result.n_steps; i++) {
		json_begin_object(j, NULL);
		json_string(j, "step", step_name(fn->result.steps[i].step));
		json_string_or_null(j, "error", fn->result.steps[i].error);
		json_end_object(j);
	}
	json_end_array(j);
}

static void json_functions(struct json *j, const struct boot_state *s, const struct now *now)
{
	size_t i;

	json_begin_array(j, "functions");
	for (i = 0; i < s->n_functions; i++) {
		const struct state_function *fn = &s->functions[i];

		json_begin_object(j, NULL);
		json_string(j, "address", fn->name);
		json_hex4(j, "vendor_id", fn->vendor);
		json_hex4(j, "device_id", fn->device);
		json_hex4(j, "class_id", fn->class_id);
		json_string_or_null(j, "before", fn->result.before);
		json_string_or_null(j, "after", fn->result.after);
		json_string(j, "outcome", outcome_name(fn->result.outcome));
		json_bool(j, "present", now[i].present);
		json_string_or_null(j, "now", now[i].driver);
		json_bool(j, "changed", changed(fn, &now[i]));
		json_now_ids(j, &now[i]);
		json_bool(j, "ids_changed", ids_changed(fn, &now[i]));
		json_steps(j, fn);
		json_bool(j, "override_left", state_override_left(fn));
		json_string_or_null(j, "vfio_device", now[i].vfio_device);
		json_end_object(j);
	}
	json_end_array(j);
}

static void json_ids(struct json *j, const struct state_ids *ids)
{
	size_t i;

	if (!ids->source[0]) {
		json_string(j, "ids", NULL);
		return;
	}
	json_begin_object(j, "ids");
	json_string(j, "source", ids->source);
	json_string(j, "value", ids->value);
	json_begin_array(j, "taken");
	for (i = 0; i < ids->n_taken; i++)
		json_string(j, NULL, ids->taken[i]);
	json_end_array(j);
	json_end_object(j);
}

/*
 * S NULL: no state file. PARAMETER: vfio.devices= on the command line now,
 * or NULL. STUCK: the step the boot's run was in when it left no state, or NULL.
 */
static void print_json(FILE *f, const struct boot_state *s, const struct now *now,
		       const char *parameter, const char *stuck)
{
	struct json j;

	json_init(&j, f);
	json_begin_object(&j, NULL);
	json_int(&j, "version", 1);
	json_string(&j, "state_file", "/" STATE_PATH);
	json_string(&j, "parameter", parameter);
	json_string(&j, "stuck_at", stuck);
	if (!s) {
		json_string(&j, "boot", NULL);
	} else {
		json_begin_object(&j, "boot");
		json_string(&j, "requested", s->requested);
		json_bool(&j, "iommu", s->iommu);
		json_string(&j, "result", state_result_ok(s) ? "ok" : "failed");
		json_entries(&j, s);
		json_functions(&j, s, now);
		json_int(&j, "changed", (long long)count_changed(s, now));
		json_ids(&j, &s->ids);
		json_string_or_null(&j, "moved_on", s->moved_on);
		json_seconds_or_null(&j, "elapsed_seconds", s->elapsed_us);
		json_end_object(&j);
	}
	json_end_object(&j);
}

static const struct metrics_label *function_label(const struct state_function *fn)
{
	static struct metrics_label label = { "function", NULL };

	label.value = fn->name;
	return &label;
}

static void metrics_functions(struct metrics *m, const struct boot_state *s, const struct now *now)
{
	size_t i;

	metrics_family(
	    m, "early_bind_function_info",
	    "A function the last boot was asked for: its IDs, the boot's outcome and its driver now (\"\" for none).");
	for (i = 0; i < s->n_functions; i++) {
		const struct state_function *fn = &s->functions[i];
		char ids[3][8];
		const struct metrics_label labels[] = {
			{ "function", fn->name },
			{ "vendor_id", ids[0] },
			{ "device_id", ids[1] },
			{ "class_id", ids[2] },
			{ "outcome", outcome_name(fn->result.outcome) },
			{ "driver", now[i].driver },
		};

		snprintf(ids[0], sizeof(ids[0]), "%04x", fn->vendor);
		snprintf(ids[1], sizeof(ids[1]), "%04x", fn->device);
		snprintf(ids[2], sizeof(ids[2]), "%04x", fn->class_id);
		metrics_sample(m, "early_bind_function_info", labels,
			       sizeof(labels) / sizeof(labels[0]), 1);
	}
	metrics_family(
	    m, "early_bind_function_bound",
	    "Whether a function the last boot was asked for is on vfio-pci now (1) or not (0).");
	for (i = 0; i < s->n_functions; i++)
		metrics_sample(m, "early_bind_function_bound", function_label(&s->functions[i]), 1,
			       now[i].present && strcmp(now[i].driver, VFIO_DRIVER) == 0);
	metrics_family(
	    m, "early_bind_function_changed",
	    "Whether a function changed driver or device since the last boot (1) or not (0).");
	for (i = 0; i < s->n_functions; i++)
		metrics_sample(m, "early_bind_function_changed", function_label(&s->functions[i]),
			       1, changed(&s->functions[i], &now[i]));
}

/*
 * S NULL: no state file; then SUCCESS and MOVED_ON say what status
 * concluded (nothing asked, or the run never finished).
 */
static void print_metrics(FILE *f, enum format format, const struct boot_state *s,
			  const struct now *now, bool success, bool moved_on)
{
	struct metrics m;

	metrics_init(&m, f,
		     format == FORMAT_OPENMETRICS ? METRICS_OPENMETRICS : METRICS_PROMETHEUS);
	metrics_family(
	    &m, "early_bind_boot_success",
	    "Whether the last boot bound everything vfio.devices= asked for, or was asked nothing (1), or not (0): the exit status of 'early-bind status'.");
	metrics_sample(&m, "early_bind_boot_success", NULL, 0, success);
	metrics_family(
	    &m, "early_bind_boot_recorded",
	    "Whether the last boot left its record, /run/early-bind/state (1), or not (0).");
	metrics_sample(&m, "early_bind_boot_recorded", NULL, 0, s != NULL);
	metrics_family(
	    &m, "early_bind_boot_moved_on",
	    "Whether the boot went on without early-bind at its deadline (1) or not (0).");
	metrics_sample(&m, "early_bind_boot_moved_on", NULL, 0, moved_on);
	if (s) {
		size_t i, refused = 0;

		for (i = 0; i < s->n_entries; i++)
			refused += s->entries[i].error[0] != '\0';
		metrics_family(&m, "early_bind_boot_refused_entries",
			       "Entries of vfio.devices= the last boot refused.");
		metrics_sample(&m, "early_bind_boot_refused_entries", NULL, 0, (long long)refused);
		metrics_functions(&m, s, now);
	}
	if (s && s->elapsed_us) {
		metrics_family(&m, "early_bind_boot_duration_seconds",
			       "Time the last boot's binder took, from its start to its record.");
		metrics_sample_seconds(&m, "early_bind_boot_duration_seconds", s->elapsed_us);
	}
	metrics_end(&m);
}

/*
 * No state file: fine when nothing was asked, a failure when it was. The
 * run's step file, still there, means it ran and never finished: the boot
 * went on at its deadline while it was held in that step (a driver's
 * unbind that does not return), or it was killed there.
 */
static int report_missing(const struct options *o, FILE *f, const char *parameter)
{
	char text[CMDLINE_MAX + 1024], step[512];
	bool stuck = progress_read(o->ctx.root_fd, step, sizeof(step)) > 0;
	int format = format_of(o);

	if (format == FORMAT_JSON) {
		print_json(f, NULL, NULL, parameter, stuck ? step : NULL);
	} else if (format != FORMAT_TEXT) {
		print_metrics(f, (enum format)format, NULL, NULL, !parameter && !stuck, stuck);
	} else if (stuck) {
		snprintf(
		    text, sizeof(text),
		    "The initramfs ran early-bind, but it never finished: the boot went on without it while it was at: %s. It changed no driver after that; that write may still be blocked ('dmesg | grep early-bind' and the kernel's hung-task reports say more). /" STATE_PATH
		    " was not written.",
		    step);
		text_print_wrapped(stdout, text, 0, 0, TEXT_WIDTH);
	} else if (!parameter) {
		text_print_wrapped(
		    stdout,
		    "The last boot asked for nothing: no vfio.devices= on the kernel command line, and no /" STATE_PATH
		    ".",
		    0, 0, TEXT_WIDTH);
	} else {
		snprintf(
		    text, sizeof(text),
		    "No record of the last boot (/" STATE_PATH
		    " is missing), although the kernel command line has vfio.devices=%s: the initramfs did not run early-bind. 'early-bind check' tells why.",
		    parameter);
		text_print_wrapped(stdout, text, 0, 0, TEXT_WIDTH);
	}
	return parameter || stuck ? -ENOENT : 0;
}

static int report(const struct options *o, FILE *f, const struct boot_state *s,
		  const char *parameter)
{
	struct now *now = calloc(s->n_functions + 1, sizeof(*now));
	int format = format_of(o);
	size_t i;
	int err = 0;

	if (!now)
		return -ENOMEM;
	for (i = 0; i < s->n_functions; i++)
		read_now(o, &s->functions[i], &now[i]);
	if (format == FORMAT_JSON)
		print_json(f, s, now, parameter, NULL);
	else if (format != FORMAT_TEXT)
		print_metrics(f, (enum format)format, s, now, state_result_ok(s), s->moved_on[0]);
	else
		err = print_text(s, now);
	free(now);
	if (err == 0 && !state_result_ok(s))
		err = -EIO;
	return err;
}

/* Writes what status has to say to F; 0, or -errno when it had nothing to say. */
static int status_to(const struct options *o, FILE *f, bool *written)
{
	char value[CMDLINE_MAX];
	struct boot_state s;
	int r, err;

	*written = false;
	r = host_read_parameter(&o->ctx, value, sizeof(value), "cannot compare it with the boot");
	err = state_read(o->ctx.root_fd, &s);
	if (err == -ENOENT && r >= 0) {
		*written = true;
		return report_missing(o, f, r > 0 ? value : NULL);
	}
	if (err == -ENOENT)
		return r;
	if (err == -EBADMSG)
		log_error("/" STATE_PATH
			  " is not a state file of format version 1; nothing to show");
	else if (err < 0)
		log_error("cannot read /" STATE_PATH ": %s", root_strerror(err));
	if (err < 0)
		return err;
	err = report(o, f, &s, r > 0 ? value : NULL);
	*written = err != -ENOMEM;
	state_free(&s);
	return err;
}

/* The report's own result (a failed boot) unless the output itself failed. */
static int cmd_status(const struct options *o, char **args, int n)
{
	struct output out;
	bool written;
	int err, closed;

	(void)args;
	(void)n;
	err = output_open(&out, o->output);
	if (err < 0)
		return err;
	err = status_to(o, out.f, &written);
	closed = output_close(&out, written);
	return closed < 0 ? closed : err;
}

const struct command command_status = {
	.name = "status",
	.run = cmd_status,
	.check_usage = status_check_usage,
	.takes = TAKES_SYSROOT | TAKES_CMDLINE | TAKES_JSON | TAKES_FORMAT | TAKES_OUTPUT,
	.min_args = 0,
	.max_args = 0,
	.synopsis = "status [--json | --format FORMAT] [--output FILE]",
	.summary = "what the last boot asked and did, and what holds now",
	.formats = "text, json (as --json), openmetrics, or prometheus\n"
		   "(text format 0.0.4, for node_exporter's textfile collector)",
	.help = "Shows what the last boot asked for and did (/run/early-bind/state) beside\n"
		"the driver each of those functions has now. Writes nothing but --output's\n"
		"FILE. Exit status 0 when the boot bound everything it was asked for (or\n"
		"nothing was asked).\n",
};
