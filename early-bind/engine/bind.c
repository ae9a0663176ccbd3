// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The binding engine shared by `boot` and `bind`: resolve a vfio.devices=
 * value against the PCI functions present, set driver_override, take
 * functions away from drivers that hold them, load vfio-pci, probe and
 * verify. One failing entry or function never stops the others.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/bind.h"
#include "engine/card.h"
#include "engine/entry.h"
#include "engine/group.h"
#include "engine/host.h"
#include "engine/hostuse.h"
#include "engine/kmodload.h"
#include "engine/idsreport.h"
#include "engine/log.h"
#include "engine/pcidev.h"
#include "engine/resolve.h"
#include "engine/state.h"
#include "engine/rootdir.h"
#include "engine/text.h"


struct binding {
	const struct engine_context *ctx;
	enum bind_mode mode;
	struct pci_function_list fns;
	struct entry_list entries;
	struct boot_state state;
	size_t *fn_of;  /* state.functions[i] describes fns.items[fn_of[i]] */
};

static const struct pci_function *function_of(const struct binding *b, size_t i)
{
	return &b->fns.items[b->fn_of[i]];
}

static const struct pci_function *function_for(const struct binding *b,
					       const struct state_function *sf)
{
	return function_of(b, (size_t)(sf - b->state.functions));
}

static int add_function(struct binding *b, size_t fn_index)
{
	const struct pci_function *fn = &b->fns.items[fn_index];
	struct state_function *sf;
	size_t i;

	for (i = 0; i < b->state.n_functions; i++)
		if (b->fn_of[i] == fn_index)
			return 0; /* named twice: bind once */
	i = b->state.n_functions++;
	b->fn_of[i] = fn_index;
	sf = &b->state.functions[i];
	memset(sf, 0, sizeof(*sf));
	snprintf(sf->name, sizeof(sf->name), "%s", fn->name);
	sf->vendor = fn->vendor;
	sf->device = fn->device;
	sf->class_id = fn->class_id;
	snprintf(sf->before, sizeof(sf->before), "%s", fn->driver);
	snprintf(sf->after, sizeof(sf->after), "%s", fn->driver);
	sf->outcome = strcmp(fn->driver, VFIO_DRIVER) == 0 ? OUTCOME_ALREADY : OUTCOME_PLANNED;
	return 0;
}

static int resolve_all(struct binding *b)
{
	size_t *matches = calloc(b->fns.count ? b->fns.count : 1, sizeof(*matches));
	size_t i, j, n;

	if (!matches) {
		log_error("out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < b->entries.count; i++) {
		const struct entry *e = &b->entries.items[i];
		struct state_entry *se = &b->state.entries[i];

		snprintf(se->text, sizeof(se->text), "%s", e->text);
		if (!e->ok) {
			snprintf(se->error, sizeof(se->error), "%s", e->error);
			log_error("entry '%s': %s", e->text, e->error);
			continue;
		}
		if (resolve_entry(e, &b->fns, matches, &n, se->error, sizeof(se->error)) < 0) {
			log_error("entry '%s': %s", e->text, se->error);
			continue;
		}
		for (j = 0; j < n; j++)
			add_function(b, matches[j]);
	}
	free(matches);
	return 0;
}

/* Which of fns are requested, as group_verdict() wants it; NULL when out of memory. */
static bool *requested_map(const struct binding *b)
{
	bool *map = calloc(b->fns.count + 1, sizeof(*map));
	size_t i;

	for (i = 0; map && i < b->state.n_functions; i++)
		map[b->fn_of[i]] = true;
	return map;
}

/*
 * Says what the rest of a requested function's group means for a VM, once
 * a group; binds none of it. A group that holds nothing else goes unsaid.
 */
static void warn_group(const struct binding *b, size_t i, const bool *requested)
{
	const struct pci_function *fn = function_of(b, i);
	struct group_verdict v;
	size_t k;

	if (fn->iommu_group < 0 || group_seen_before(&b->fns, requested, 0, b->fn_of[i]))
		return;
	group_verdict(&b->fns, requested, fn->iommu_group, &v);
	for (k = 0; k < v.n_notes; k++)
		log_warning("%s: %s; %s", fn->name, v.notes[k].what, v.notes[k].fix);
	if (v.shared)
		log_info("%s: %s", fn->name, v.viable);
}

/* Whether an entry names FN with .FUNC: then FN is what the user asked for. */
static bool named_by_function(const struct binding *b, const struct pci_function *fn)
{
	size_t k;

	for (k = 0; k < b->entries.count; k++)
		if (entry_names_function(&b->entries.items[k], fn))
			return true;
	return false;
}

static bool host_keeps_display(const struct binding *b, const bool *requested)
{
	size_t k;

	for (k = 0; k < b->fns.count; k++)
		if (!requested[k] && pci_function_is_display(&b->fns.items[k]))
			return true;
	return false;
}

/*
 * Warns about what taking a requested function means beyond itself: its
 * IOMMU group, a function of the slot that is not the card's, the boot
 * display. Changes nothing.
 */
static void warn_about_function(const struct binding *b, size_t i)
{
	const struct pci_function *fn = function_of(b, i);
	char what[320], value[CARD_VALUE_MAX];
	bool *requested = requested_map(b);

	if (!requested) {
		log_warning("%s: out of memory: its IOMMU group went unchecked", fn->name);
		return;
	}
	warn_group(b, i, requested);
	if (card_function_is_extra(&b->fns, b->fn_of[i]) && !named_by_function(b, fn) &&
	    card_value(&b->fns, b->fn_of[i], value, sizeof(value), NULL) == 0) {
		card_extra_describe(&b->fns, b->fn_of[i], what, sizeof(what));
		log_warning("%s; it is taken because an entry names the whole slot: to take only the graphics card, use " PARAMETER "=%s",
			    what, value);
	}
	if (fn->boot_vga)
		log_warning("%s is the boot display (boot_vga=1): the console goes dark when vfio-pci takes it (boot with video=efifb:off so that no firmware framebuffer stays in its memory); %s",
			    fn->name, card_boot_display_fix(host_keeps_display(b, requested)));
	free(requested);
}

/* Every write's result goes to the state; the caller logs it. */
static int record(struct state_function *sf, enum step step, int err)
{
	state_add_step(sf, step, err < 0 ? strerror(-err) : "");
	return err;
}

/*
 * The device at an address can be replaced (hot plug) between the listing
 * and a write: its IDs are read again right before each write, and a
 * function whose IDs changed is left alone from then on. OVERRIDDEN: our
 * driver_override may have reached the new device, so it is cleared.
 */
static bool still_same(const struct binding *b, struct state_function *sf, const char *what,
		       bool overridden)
{
	const struct pci_function *fn = function_for(b, sf);
	uint16_t vendor, device, class_id;
	char now[STEP_ERROR_MAX], change[160], left[160] = "";
	int err = pci_read_ids(b->ctx->root_fd, sf->name, &vendor, &device, &class_id);

	if (err == 0 && vendor == sf->vendor && device == sf->device && class_id == sf->class_id)
		return true;
	if (err < 0) {
		snprintf(now, sizeof(now), "unreadable: %s", strerror(-err));
		snprintf(change, sizeof(change), "cannot read its IDs again before writing to it: %s (the device may be gone)",
			 strerror(-err));
	} else {
		snprintf(now, sizeof(now), "now %04x:%04x %04x", vendor, device, class_id);
		snprintf(change, sizeof(change), "the device at this address is now [%04x:%04x] %s, not the one listed: it was replaced meanwhile",
			 vendor, device, pci_class_kind(class_id));
	}
	state_add_step(sf, STEP_IDENTITY, now);
	err = overridden ? record(sf, STEP_CLEAR, pci_write_override(b->ctx->root_fd, fn, "")) : 0;
	if (err < 0)
		snprintf(left, sizeof(left), "; clearing driver_override failed (%s): 'echo > /sys/bus/pci/devices/%s/driver_override' does it",
			 strerror(-err), sf->name);
	log_error("%s: %s, so early-bind leaves it alone%s%s", what, change,
		  overridden && !err ? " (driver_override was cleared again)" : "", left);
	return false;
}

/*
 * An unbind can fail because the driver let go meanwhile: the function is
 * then free for vfio-pci. Otherwise the override is cleared again, so the
 * host keeps it as before; when that fails too, the log says so, since
 * the override keeps host drivers away from it from then on.
 */
static int unbind_failed(const struct binding *b, struct state_function *sf, const char *what,
			 const char *driver, int err)
{
	const struct pci_function *fn = function_for(b, sf);
	char now[DRIVER_NAME_MAX];
	int clear;

	if (pci_read_driver(b->ctx->root_fd, sf->name, now, sizeof(now)) < 0)
		snprintf(now, sizeof(now), "%s", driver);
	if (!now[0]) {
		log_warning("%s: unbinding it from %s failed (%s), but no driver holds it now; vfio-pci takes it",
			    what, driver, strerror(-err));
		return 0;
	}
	clear = record(sf, STEP_CLEAR, pci_write_override(b->ctx->root_fd, fn, ""));
	if (clear == 0)
		log_error("%s: cannot take it from %s: %s; driver_override was cleared again, so it stays with %s as before",
			  what, driver, strerror(-err), now);
	else
		log_error("%s: cannot take it from %s: %s, and clearing driver_override again failed too: %s. It stays with %s for now, but its driver_override still says vfio-pci: if %s lets it go, no host driver takes it back until 'echo > /sys/bus/pci/devices/%s/driver_override'",
			  what, driver, strerror(-err), strerror(-clear), now, now, sf->name);
	return err;
}

/*
 * driver_override first: the kernel sets it under the device lock that
 * every probe holds, so from then on no other driver can bind the
 * function and the driver link read after it is final. Whatever holds
 * it then is unbound, also a driver that bound after the listing (an
 * asynchronous probe, or systemd-modules-load running beside the boot).
 */
static int claim(const struct binding *b, struct state_function *sf, const char *what)
{
	const struct pci_function *fn = function_for(b, sf);
	char driver[DRIVER_NAME_MAX];
	int err;

	if (!still_same(b, sf, what, false))
		return -ESTALE;
	err = record(sf, STEP_OVERRIDE, pci_write_override(b->ctx->root_fd, fn, VFIO_DRIVER));
	if (err < 0) {
		log_error("%s: cannot set driver_override: %s; nothing was changed, it stays with %s",
			  what, strerror(-err), sf->before[0] ? sf->before : "no driver");
		return err;
	}
	/* Unreadable, it may hold a driver: undone like a failed unbind. */
	err = pci_read_driver(b->ctx->root_fd, sf->name, driver, sizeof(driver));
	if (err < 0)
		return unbind_failed(b, sf, what, sf->before[0] ? sf->before : "its driver", err);
	if (strcmp(driver, sf->before) != 0)
		log_info("%s: now held by %s, not %s as listed: it changed driver meanwhile", what,
			 driver[0] ? driver : "no driver", sf->before[0] ? sf->before : "none");
	/* "before" is what the boot takes it from. */
	snprintf(sf->before, sizeof(sf->before), "%s", driver);
	if (!driver[0] || strcmp(driver, VFIO_DRIVER) == 0)
		return 0;
	if (!still_same(b, sf, what, true))
		return -ESTALE;
	err = record(sf, STEP_UNBIND, pci_unbind(b->ctx->root_fd, sf->name));
	if (err < 0)
		return unbind_failed(b, sf, what, driver, err);
	log_info("%s: taken from %s", what, driver);
	return 0;
}

/*
 * The drivers_probe write succeeds even when the probe fails, so the
 * driver link is the only proof.
 */
/*
 * vfio-pci refused a function the boot took from a host driver (a probe
 * error, a denylisted device): without the override that driver can have
 * it back, so the host keeps its USB controller, serial port or NIC
 * rather than a function with no driver at all.
 */
static void give_back(const struct binding *b, struct state_function *sf, const char *what)
{
	const struct pci_function *fn = function_for(b, sf);
	int root_fd = b->ctx->root_fd, err;

	err = record(sf, STEP_CLEAR, pci_write_override(root_fd, fn, ""));
	if (err == 0)
		err = record(sf, STEP_PROBE, pci_probe(root_fd, fn->name));
	if (err == 0 && pci_read_driver(root_fd, fn->name, sf->after, sizeof(sf->after)) < 0)
		sf->after[0] = '\0';
	if (err < 0)
		log_error("%s: cannot give it back to %s (%s); it has no driver: echo > /sys/bus/pci/devices/%s/driver_override; echo %s > /sys/bus/pci/drivers_probe",
			  what, sf->before, strerror(-err), fn->name, fn->name);
	else if (sf->after[0])
		log_info("%s: given back to %s", what, sf->after);
	else
		log_warning("%s: driver_override cleared so that %s can take it back; no driver has yet (udev loads one if it is a module)",
			    what, sf->before);
}

static void probe_and_verify(struct binding *b, struct state_function *sf)
{
	const struct pci_function *fn = function_for(b, sf);
	int root_fd = b->ctx->root_fd, err = 0;
	char what[96];

	pci_function_describe(fn, what, sizeof(what));
	if (pci_read_driver(root_fd, fn->name, sf->after, sizeof(sf->after)) == 0 && !sf->after[0]) {
		if (!still_same(b, sf, what, true)) {
			sf->outcome = OUTCOME_FAILED;
			return;
		}
		err = record(sf, STEP_PROBE, pci_probe(root_fd, fn->name));
	}
	if (pci_read_driver(root_fd, fn->name, sf->after, sizeof(sf->after)) < 0)
		sf->after[0] = '\0';
	if (strcmp(sf->after, VFIO_DRIVER) == 0) {
		sf->outcome = OUTCOME_BOUND;
		log_info("%s: %s -> " VFIO_DRIVER, what, sf->before[0] ? sf->before : "none");
		return;
	}
	sf->outcome = OUTCOME_FAILED;
	if (err < 0)
		log_error("%s: asking the kernel to probe it failed (writing drivers_probe: %s); it stays with %s, its driver_override saying vfio-pci: 'echo %s > /sys/bus/pci/drivers_probe' binds it",
			  what, strerror(-err), sf->after[0] ? sf->after : "no driver", fn->name);
	else
		log_error("%s: not bound to " VFIO_DRIVER " (driver: %s); the kernel log says why: dmesg | grep %s",
			  what, sf->after[0] ? sf->after : "none", fn->name);
	if (!sf->after[0] && sf->before[0])
		give_back(b, sf, what);
}

static bool iommu_enabled(const struct engine_context *ctx)
{
	return root_dir_has_entries(ctx->root_fd, "sys/kernel/iommu_groups") > 0;
}

static void report_iommu_off(void)
{
	log_error("the IOMMU is off (no IOMMU groups in /sys/kernel/iommu_groups), so vfio-pci cannot bind: nothing was changed and every device keeps its host driver. Enable Intel VT-d or AMD IOMMU (AMD-Vi) in the firmware setup and add intel_iommu=on (Intel) or amd_iommu=on (AMD) to the kernel command line");
}

/*
 * At runtime, a function behind the host's disk or live network interface
 * is refused: unbinding it takes the filesystems or the session with it.
 * So is one whose use cannot be told: a wrong guess costs the same.
 */
static bool refused_in_use(const struct binding *b, const struct pci_function *fn, const char *what)
{
	const char *verdict = "the host uses it";
	char use[512];
	int r;

	if (b->mode != BIND_AT_RUNTIME)
		return false;
	r = host_use_describe(b->ctx->root_fd, fn, use, sizeof(use));
	if (r == HOST_UNUSED)
		return false;
	if (r < 0)
		verdict = "cannot tell whether the host uses it";
	else if (r == HOST_MAY_USE)
		verdict = "the host may use it";
	if (b->ctx->force) {
		log_warning("%s: %s (%s); taking it anyway (--force)", what, verdict, use);
		return false;
	}
	if (r < 0)
		log_error("%s: %s through a disk or a network interface (%s), so it was not taken; add --force to take it anyway",
			  what, verdict, use);
	else if (r == HOST_MAY_USE)
		log_error("%s: %s (%s), so it was not taken; make sure no container or other network namespace uses it ('lsns -t net' lists them), then add --force to take it",
			  what, verdict, use);
	else
		log_error("%s: %s (%s): taking it would pull that from under the host; stop using it first (umount, swapoff, ip link set DEV down), or add --force if that is what you want",
			  what, verdict, use);
	return true;
}

/* The checks before anything changes; returns how many functions wait for vfio-pci. */
static size_t plan_all(struct binding *b)
{
	size_t i, waiting = 0;
	char what[96];

	for (i = 0; i < b->state.n_functions; i++) {
		struct state_function *sf = &b->state.functions[i];
		const struct pci_function *fn = function_of(b, i);

		warn_about_function(b, i);
		pci_function_describe(fn, what, sizeof(what));
		if (sf->outcome == OUTCOME_ALREADY) {
			log_info("%s: already on " VFIO_DRIVER, what);
		} else if (fn->iommu_group < 0) {
			sf->outcome = OUTCOME_FAILED;
			log_error("%s: has no IOMMU group, so vfio-pci cannot take it; check 'dmesg | grep -i iommu'", what);
		} else if (refused_in_use(b, fn, what)) {
			sf->outcome = OUTCOME_FAILED;
		} else {
			waiting++;
		}
	}
	return waiting;
}

/*
 * Before any function is touched: taking a function from its driver
 * while vfio-pci cannot come leaves it with none (a requested xHCI is
 * then the keyboard the disk passphrase needed). A dry run resolves the
 * same plan, so it fails the same way.
 */
static int load_vfio_pci(const struct binding *b)
{
	const char *fix = "rebuild the initramfs so that it includes vfio-pci and vfio_iommu_type1 (update-initramfs -u or dracut -f)";
	char release[128], why[256];
	int err = host_kernel_release(b->ctx, release, sizeof(release));

	if (err < 0)
		snprintf(why, sizeof(why), "cannot tell the kernel release (%s)", strerror(-err));
	else
		err = modules_load_vfio_pci(b->ctx->sysroot, release, b->ctx->dry_run, why, sizeof(why));
	if (err == 0 && !b->ctx->dry_run &&
	    !root_exists(b->ctx->root_fd, "sys/bus/pci/drivers/" VFIO_DRIVER)) {
		snprintf(why, sizeof(why), "the " VFIO_DRIVER " driver is not registered after loading it");
		fix = "'dmesg | grep -i vfio' says why";
		err = -ENODEV;
	}
	if (err < 0)
		log_error("%s, so vfio-pci cannot take the functions: nothing was changed and every function keeps its driver; %s",
			  why, fix);
	return err;
}

/* Claims every function still planned; a dry run only says what it would do. */
static void claim_all(struct binding *b)
{
	char what[96];
	size_t i;

	for (i = 0; i < b->state.n_functions; i++) {
		struct state_function *sf = &b->state.functions[i];

		if (sf->outcome != OUTCOME_PLANNED)
			continue;
		pci_function_describe(function_of(b, i), what, sizeof(what));
		if (b->ctx->dry_run)
			log_info("%s: %s -> " VFIO_DRIVER " (dry run: nothing written)", what,
				 sf->before[0] ? sf->before : "none");
		else if (claim(b, sf, what) < 0)
			sf->outcome = OUTCOME_FAILED;
	}
}

/* A leftover vfio-pci ids= takes more than asked when vfio-pci loads: say so, record it. */
static int report_vfio_ids(struct binding *b)
{
	bool *requested = calloc(b->fns.count + 1, sizeof(*requested));
	size_t i;

	if (!requested) {
		log_error("out of memory while reading vfio-pci's ids=");
		return -ENOMEM;
	}
	for (i = 0; i < b->state.n_functions; i++)
		requested[b->fn_of[i]] = true;
	ids_report(b->ctx, &b->fns, requested, b->mode == BIND_AT_RUNTIME, &b->state.ids);
	free(requested);
	return 0;
}

/*
 * Functions whose modules cannot load stay "planned", like with the IOMMU
 * off; so do those a dry run would claim. Returns -errno when the run
 * cannot go on (logged), else 0: each function's outcome says the rest.
 */
static int bind_all(struct binding *b)
{
	size_t i;
	int err, ids;

	if (plan_all(b) == 0)
		return 0;
	ids = report_vfio_ids(b);
	err = load_vfio_pci(b);
	if (err < 0)
		return err;
	claim_all(b);
	if (b->ctx->dry_run)
		return ids;
	for (i = 0; i < b->state.n_functions; i++)
		if (b->state.functions[i].outcome == OUTCOME_PLANNED)
			probe_and_verify(b, &b->state.functions[i]);
	return ids;
}

/* -EIO when an entry was refused or a function failed, else 0. */
static int result_of(const struct boot_state *s)
{
	size_t i;

	for (i = 0; i < s->n_entries; i++)
		if (s->entries[i].error[0])
			return -EIO;
	for (i = 0; i < s->n_functions; i++)
		if (s->functions[i].outcome == OUTCOME_FAILED)
			return -EIO;
	return 0;
}


static int prepare(struct binding *b, const char *value)
{
	size_t i;
	int err;

	text_printable(value, strlen(value), sizeof(b->state.requested) - 4, b->state.requested);
	err = entry_list_parse(value, &b->entries);
	if (err < 0)
		return err;
	b->state.entries = calloc(b->entries.count + 1, sizeof(*b->state.entries));
	b->state.n_entries = b->entries.count;
	if (!b->state.entries)
		return -ENOMEM;
	err = pci_function_list_read(b->ctx->root_fd, &b->fns);
	if (err < 0) {
		/*
		 * The run goes on with no functions, so the state file still
		 * tells `status` that the boot ran and why it bound nothing.
		 */
		log_error("cannot read the PCI devices: %s; nothing was bound", strerror(-err));
		for (i = 0; i < b->entries.count; i++) {
			struct entry *e = &b->entries.items[i];

			if (!e->ok)
				continue;
			e->ok = false;
			snprintf(e->error, sizeof(e->error),
				 "the PCI devices could not be read (%s)", strerror(-err));
		}
	}
	b->state.functions = calloc(b->fns.count + 1, sizeof(*b->state.functions));
	b->fn_of = calloc(b->fns.count + 1, sizeof(*b->fn_of));
	if (!b->state.functions || !b->fn_of)
		return -ENOMEM;
	return 0;
}

static void release_binding(struct binding *b)
{
	free(b->state.entries);
	free(b->state.functions);
	free(b->state.ids.taken);
	free(b->fn_of);
	entry_list_free(&b->entries);
	pci_function_list_free(&b->fns);
}

static void save_state(const struct binding *b)
{
	int err;

	if (b->ctx->dry_run)
		return;
	err = state_write(b->ctx->root_fd, &b->state);
	if (err < 0)
		log_warning("cannot write /" STATE_PATH ": %s; 'early-bind status' will not know this boot", strerror(-err));
}

int bind_record_unreadable(const struct engine_context *ctx, int err)
{
	struct state_entry entry = { .text = PARAMETER "=" };
	struct binding b = { .ctx = ctx, .mode = BIND_AT_BOOT };

	if (err == -EFBIG)
		snprintf(entry.error, sizeof(entry.error), "the kernel command line is too long to read whole");
	else if (err == -E2BIG)
		snprintf(entry.error, sizeof(entry.error), "the value is too long");
	else
		snprintf(entry.error, sizeof(entry.error), "the kernel command line cannot be read: %s",
			 strerror(-err));
	b.state.iommu = iommu_enabled(ctx);
	b.state.entries = &entry;
	b.state.n_entries = 1;
	save_state(&b);
	return err;
}

int bind_value(const struct engine_context *ctx, const char *value, enum bind_mode mode)
{
	struct binding b = { .ctx = ctx, .mode = mode };
	int err;

	err = prepare(&b, value);
	if (err < 0) {
		if (err == -ENOMEM)
			log_error("out of memory; nothing was bound");
		release_binding(&b);
		return err;
	}
	if (b.entries.count == 0)
		log_info(PARAMETER "= is empty; nothing to bind");
	else
		log_info(PARAMETER "=%s (%zu %s)", b.state.requested, b.entries.count,
			 b.entries.count == 1 ? "entry" : "entries");
	b.state.iommu = iommu_enabled(ctx);
	err = resolve_all(&b);
	if (err == 0 && b.state.n_functions > 0 && !b.state.iommu) {
		report_iommu_off();
		err = -ENODEV;
	} else if (err == 0 && b.state.n_functions > 0) {
		err = bind_all(&b);
	}
	if (mode == BIND_AT_BOOT)
		save_state(&b);
	if (err == 0)
		err = result_of(&b.state);
	release_binding(&b);
	return err;
}
