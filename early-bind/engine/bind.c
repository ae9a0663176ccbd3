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
#include "engine/bootdisplay.h"
#include "engine/card.h"
#include "engine/deadline.h"
#include "engine/group.h"
#include "engine/host.h"
#include "engine/hostuse.h"
#include "engine/kmodload.h"
#include "engine/idsreport.h"
#include "engine/log.h"
#include "engine/pcidev.h"
#include "engine/plan.h"
#include "engine/progress.h"
#include "engine/sriov.h"
#include "engine/state.h"
#include "engine/vfiostack.h"
#include "engine/rootdir.h"
#include "engine/text.h"

struct binding {
	const struct engine_context *ctx;
	enum bind_mode mode;
	struct pci_function_list fns;
	int fns_err; /* why the function list could not be read; 0 when it was */
	int ids_err; /* vfio-pci's ids= is unusable (ids_report()); 0 when fine or unset */
	struct plan plan;
	char requested[STATE_VALUE_MAX]; /* printable copy of the value, for the state file */
	bool iommu;
	struct state_ids ids;
	char moved_on[STATE_STEP_MAX]; /* the step the deadline passed in; "" before */
};

static const struct pci_function *function_of(const struct binding *b, size_t i)
{
	return b->plan.functions[i].fn;
}

static size_t index_of(const struct binding *b, size_t i)
{
	return b->plan.functions[i].index;
}

/*
 * Whether plan function I's group was reported at an earlier one: the plan
 * marks each group's first function once (sorted, not a scan per function,
 * as group_seen_before() does for check's and list's few cards).
 */
static bool group_reported_before(const struct binding *b, size_t i)
{
	return !b->plan.functions[i].group_first;
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

	if (fn->iommu_group < 0 || group_reported_before(b, i))
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
	const struct plan_function *pf = plan_function_at(&b->plan, (size_t)(fn - b->fns.items));

	return pf && pf->by_function;
}

/*
 * A card behind its own PCIe switch keeps its audio in another slot (Intel
 * Arc): an entry for the GPU's slot alone leaves it with the host. When
 * they share a group, warn_group() has said so already.
 */
static void warn_left_out(const struct binding *b, size_t i)
{
	char left[640], value[CARD_VALUE_MAX];
	struct card c;
	bool shared;

	if (!pci_function_is_display(function_of(b, i)) || !card_of(&b->fns, index_of(b, i), &c) ||
	    c.display != index_of(b, i) ||
	    card_left_out(&b->fns, &c, b->plan.requested, left, sizeof(left), &shared) == 0 ||
	    shared || card_value(&b->fns, c.display, value, sizeof(value), NULL) < 0)
		return;
	log_warning(
	    "%s is the GPU of a card behind its own PCIe switch, whose other functions sit in other slots: %s stays with the host, so the VM gets the GPU without it (no HDMI/DP audio); to take the whole card, use " PARAMETER
	    "=%s",
	    function_of(b, i)->name, left, value);
}

/*
 * Warns about what taking a requested function means beyond itself: its
 * IOMMU group, a function of the slot that is not the card's, the boot
 * display. Changes nothing. SINGLE_AT and SINGLE: card_single_gpu() of the
 * whole plan (FNS->count when the host keeps a display). Nothing for a PF
 * left alone for its VFs: it is not taken, and its error says so.
 */
static void warn_about_function(const struct binding *b, size_t i, size_t single_at,
				const char *single)
{
	const struct pci_function *fn = function_of(b, i);
	char what[320], value[CARD_VALUE_MAX], evidence[160];
	const bool *requested = b->plan.requested;

	if (sriov_pf_kept(fn, b->plan.functions[i].by_function))
		return;
	warn_group(b, i, requested);
	warn_left_out(b, i);
	if (card_function_is_extra(&b->fns, index_of(b, i)) && !named_by_function(b, fn) &&
	    card_value(&b->fns, index_of(b, i), value, sizeof(value), NULL) == 0) {
		card_extra_describe(&b->fns, index_of(b, i), what, sizeof(what));
		log_warning(
		    "%s; it is taken because an entry names the whole slot: to take only the graphics card, use " PARAMETER
		    "=%s",
		    what, value);
	}
	if (single_at != b->fns.count) {
		if (single_at == index_of(b, i))
			log_warning("%s; %s", single, card_boot_display_fix(false));
	} else if (pci_function_is_boot_display(fn)) {
		boot_display_evidence(fn, evidence, sizeof(evidence));
		log_warning(
		    "%s is the boot display (%s): the console goes dark when vfio-pci takes it (boot with video=efifb:off so that no firmware framebuffer stays in its memory); %s",
		    fn->name, evidence, card_boot_display_fix(true));
	}
}

/*
 * Whether the boot has gone on without this run (its deadline passed): udev
 * then loads the host's drivers, so from then on the run starts no write
 * that moves a function between drivers, and the functions not reached are
 * recorded as not attempted. Logged once, with the step it happened in.
 */
static bool moved_on(struct binding *b)
{
	const char *step = progress_current();

	if (b->moved_on[0])
		return true;
	if (!deadline_passed())
		return false;
	snprintf(b->moved_on, sizeof(b->moved_on), "%s", step[0] ? step : "an unrecorded step");
	log_error(
	    "the boot went on without early-bind after %u s, during: %s; early-bind changes nothing more, so the functions it had not taken yet keep what they have ('early-bind status' lists them; 'early-bind bind' takes them now)",
	    deadline_seconds(), b->moved_on);
	return true;
}

/* Every write's result goes to the state; the caller logs it. */
static int record(struct plan_function *pf, enum step step, int err)
{
	state_add_step(&pf->result, step, err < 0 ? strerror(-err) : "");
	return err;
}

/*
 * The device at an address can be replaced (hot plug) between the listing
 * and a write: its IDs are read again right before each write, and a
 * function whose IDs changed is left alone from then on. OVERRIDDEN: our
 * driver_override may have reached the new device, so it is cleared.
 */
static bool still_same(const struct binding *b, struct plan_function *pf, const char *what,
		       bool overridden)
{
	const struct pci_function *fn = pf->fn;
	uint16_t vendor, device, class_id;
	char now[STEP_ERROR_MAX], change[160], left[160] = "";
	int err = pci_read_ids(b->ctx->root_fd, pf->fn->name, &vendor, &device, &class_id);

	if (err == 0 && vendor == pf->fn->vendor && device == pf->fn->device &&
	    class_id == pf->fn->class_id)
		return true;
	if (err < 0) {
		snprintf(now, sizeof(now), "unreadable: %s", strerror(-err));
		snprintf(
		    change, sizeof(change),
		    "cannot read its IDs again before writing to it: %s (the device may be gone)",
		    strerror(-err));
	} else {
		snprintf(now, sizeof(now), "now %04x:%04x %04x", vendor, device, class_id);
		snprintf(
		    change, sizeof(change),
		    "the device at this address is now [%04x:%04x] %s, not the one listed: it was replaced meanwhile",
		    vendor, device, pci_class_kind(class_id));
	}
	state_add_step(&pf->result, STEP_IDENTITY, now);
	err = overridden ? record(pf, STEP_CLEAR, pci_write_override(b->ctx->root_fd, fn, "")) : 0;
	if (err < 0)
		snprintf(
		    left, sizeof(left),
		    "; clearing driver_override failed (%s): 'echo > /sys/bus/pci/devices/%s/driver_override' does it",
		    strerror(-err), pf->fn->name);
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
static int unbind_failed(const struct binding *b, struct plan_function *pf, const char *what,
			 const char *driver, int err)
{
	const struct pci_function *fn = pf->fn;
	char now[DRIVER_NAME_MAX];
	int clear;

	if (pci_read_driver(b->ctx->root_fd, pf->fn->name, now, sizeof(now)) < 0)
		snprintf(now, sizeof(now), "%s", driver);
	if (!now[0]) {
		log_warning(
		    "%s: unbinding it from %s failed (%s), but no driver holds it now; vfio-pci takes it",
		    what, driver, strerror(-err));
		return 0;
	}
	clear = record(pf, STEP_CLEAR, pci_write_override(b->ctx->root_fd, fn, ""));
	if (clear == 0)
		log_error(
		    "%s: cannot take it from %s: %s; driver_override was cleared again, so it stays with %s as before",
		    what, driver, strerror(-err), now);
	else
		log_error(
		    "%s: cannot take it from %s: %s, and clearing driver_override again failed too: %s. It stays with %s for now, but its driver_override still says vfio-pci: if %s lets it go, no host driver takes it back until 'echo > /sys/bus/pci/devices/%s/driver_override'",
		    what, driver, strerror(-err), strerror(-clear), now, now, pf->fn->name);
	return err;
}

/*
 * driver_override first: the kernel sets it under the device lock that
 * every probe holds, so from then on no other driver can bind the
 * function and the driver link read after it is final.
 */
static int override(struct binding *b, struct plan_function *pf, const char *what)
{
	int err;

	if (!still_same(b, pf, what, false))
		return -ESTALE;
	err = record(pf, STEP_OVERRIDE, pci_write_override(b->ctx->root_fd, pf->fn, VFIO_DRIVER));
	if (err < 0)
		log_error(
		    "%s: cannot set driver_override: %s; nothing was changed, it stays with %s",
		    what, strerror(-err), driver_text(pf->result.before));
	return err;
}

/*
 * Whatever holds a function once its override is set is unbound, also a
 * driver that bound after the listing (an asynchronous probe, or
 * systemd-modules-load running beside the boot).
 */
static int take(struct binding *b, struct plan_function *pf, const char *what)
{
	char driver[DRIVER_NAME_MAX];
	int err;

	/* Unreadable, it may hold a driver: undone like a failed unbind. */
	err = pci_read_driver(b->ctx->root_fd, pf->fn->name, driver, sizeof(driver));
	if (err < 0)
		return unbind_failed(b, pf, what,
				     pf->result.before[0] ? pf->result.before : "its driver", err);
	if (strcmp(driver, pf->result.before) != 0)
		log_info("%s: now held by %s, listed with %s: it changed driver meanwhile", what,
			 driver_text(driver), driver_text(pf->result.before));
	/* "before" is what the boot takes it from. */
	snprintf(pf->result.before, sizeof(pf->result.before), "%s", driver);
	if (!driver[0] || strcmp(driver, VFIO_DRIVER) == 0)
		return 0;
	progress_step("taking %s from %s", pf->fn->name, driver);
	if (!still_same(b, pf, what, true))
		return -ESTALE;
	if (moved_on(b))
		return 0;
	err = record(pf, STEP_UNBIND, pci_unbind(b->ctx->root_fd, pf->fn->name));
	if (err < 0)
		return unbind_failed(b, pf, what, driver, err);
	log_info("%s: taken from %s", what, driver);
	return 0;
}

/*
 * A function the boot took from a host driver ended on no driver: vfio-pci
 * refused it (a probe error, a denylisted device) or the probe could not
 * be asked for. Clearing the override and probing again lets the kernel
 * give it to a driver that matches, the one it was taken from as a rule,
 * so the host keeps its USB controller, serial port or NIC rather than a
 * function with no driver at all. Nothing is written once the boot has
 * moved on (its deadline passed).
 */
static void give_back(struct binding *b, struct plan_function *pf, const char *what)
{
	const struct pci_function *fn = pf->fn;
	int root_fd = b->ctx->root_fd, err;

	if (moved_on(b))
		return;
	err = record(pf, STEP_CLEAR, pci_write_override(root_fd, fn, ""));
	if (err == 0)
		err = record(pf, STEP_PROBE, pci_probe(root_fd, fn->name));
	if (err == 0 &&
	    pci_read_driver(root_fd, fn->name, pf->result.after, sizeof(pf->result.after)) < 0)
		pf->result.after[0] = '\0';
	if (err < 0)
		log_error(
		    "%s: cannot give it back to %s (%s); it has no driver: echo > /sys/bus/pci/devices/%s/driver_override; echo %s > /sys/bus/pci/drivers_probe",
		    what, pf->result.before, strerror(-err), fn->name, fn->name);
	else if (pf->result.after[0])
		log_info("%s: given back to %s", what, pf->result.after);
	else
		log_warning(
		    "%s: driver_override cleared so that %s can take it back; no driver has yet (udev loads one if it is a module)",
		    what, pf->result.before);
}

/*
 * The drivers_probe write succeeds even when the probe fails, so the
 * driver link is the only proof.
 */
static void probe_and_verify(struct binding *b, struct plan_function *pf)
{
	const struct pci_function *fn = pf->fn;
	int root_fd = b->ctx->root_fd, err = 0;
	char what[96];

	pci_function_describe(fn, what, sizeof(what));
	if (pci_read_driver(root_fd, fn->name, pf->result.after, sizeof(pf->result.after)) == 0 &&
	    !pf->result.after[0]) {
		if (!still_same(b, pf, what, true)) {
			pf->result.outcome = OUTCOME_FAILED;
			return;
		}
		if (moved_on(b))
			return;
		err = record(pf, STEP_PROBE, pci_probe(root_fd, fn->name));
	}
	if (pci_read_driver(root_fd, fn->name, pf->result.after, sizeof(pf->result.after)) < 0)
		pf->result.after[0] = '\0';
	if (strcmp(pf->result.after, VFIO_DRIVER) == 0) {
		pf->result.outcome = OUTCOME_BOUND;
		log_info("%s: %s -> " VFIO_DRIVER, what, driver_text(pf->result.before));
		return;
	}
	pf->result.outcome = OUTCOME_FAILED;
	if (err < 0)
		log_error(
		    "%s: asking the kernel to probe it failed (writing drivers_probe: %s); it stays with %s, its driver_override saying vfio-pci: 'echo %s > /sys/bus/pci/drivers_probe' binds it",
		    what, strerror(-err), driver_text(pf->result.after), fn->name);
	else
		log_error("%s: not bound to " VFIO_DRIVER
			  " (%s%s); the kernel log says why: dmesg | grep %s",
			  what, pf->result.after[0] ? "driver: " : "",
			  driver_text(pf->result.after), fn->name);
	if (!pf->result.after[0] && pf->result.before[0])
		give_back(b, pf, what);
}

static bool iommu_enabled(const struct engine_context *ctx)
{
	return root_dir_has_entries(ctx->root_fd, "sys/kernel/iommu_groups") > 0;
}

static void report_iommu_off(void)
{
	log_error(
	    "the IOMMU is off (no IOMMU groups in /sys/kernel/iommu_groups), so vfio-pci cannot bind: nothing was changed and every device keeps its host driver. Enable Intel VT-d or AMD IOMMU (AMD-Vi) in the firmware setup and add intel_iommu=on (Intel) or amd_iommu=on (AMD) to the kernel command line");
}

/*
 * At runtime, a function behind the host's disk or live network interface
 * is refused: unbinding it takes the filesystems or the session with it.
 * So is a GPU the host draws on (a display server's session, the console)
 * and one whose use cannot be told: a wrong guess costs the same.
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
	else if (r == HOST_DRAWS)
		verdict = "the host is drawing on it";
	if (b->ctx->force) {
		log_warning("%s: %s (%s); taking it anyway (--force)", what, verdict, use);
		return false;
	}
	if (r < 0)
		log_error(
		    "%s: %s through a disk, a network interface or a display (%s), so it was not taken; add --force to take it anyway",
		    what, verdict, use);
	else if (r == HOST_DRAWS)
		log_error(
		    "%s: %s (%s): taking it would pull the screen from under them; stop that first (the display manager: systemctl stop display-manager; the console: echo 0 > /sys/class/vtconsole/vtconN/bind, N as named), or add --force if that is what you want",
		    what, verdict, use);
	else if (r == HOST_MAY_USE)
		log_error(
		    "%s: %s (%s), so it was not taken; make sure no container or other network namespace uses it ('lsns -t net' lists them), then add --force to take it",
		    what, verdict, use);
	else
		log_error(
		    "%s: %s (%s): taking it would pull that from under the host; stop using it first (umount, swapoff, ip link set DEV down), or add --force if that is what you want",
		    what, verdict, use);
	return true;
}

/*
 * card_single_gpu() over what the plan will really take: a PF left alone
 * for its VFs stays the host's display. One answer for the whole plan.
 */
static size_t single_gpu(const struct binding *b, char *what, size_t size)
{
	bool *taken = plan_taken(&b->plan);
	size_t at;

	if (!taken)
		return card_single_gpu(&b->fns, b->plan.requested, what, size);
	at = card_single_gpu(&b->fns, taken, what, size);
	free(taken);
	return at;
}

/* The checks before anything changes; returns how many functions wait for vfio-pci. */
static size_t plan_all(struct binding *b)
{
	size_t i, waiting = 0, single_at;
	char what[96], single[768];
	int err = boot_display_find(b->ctx->root_fd, &b->fns, b->plan.requested);

	if (err < 0)
		log_warning(
		    "cannot read /proc/iomem (%s), where the firmware framebuffer's place tells the boot display: whether a requested display without boot_vga (class 0380) is it is unknown",
		    strerror(-err));
	single_at = single_gpu(b, single, sizeof(single));
	for (i = 0; i < b->plan.n_functions; i++) {
		struct plan_function *pf = &b->plan.functions[i];
		const struct pci_function *fn = function_of(b, i);

		warn_about_function(b, i, single_at, single);
		pci_function_describe(fn, what, sizeof(what));
		if (pf->result.outcome == OUTCOME_ALREADY) {
			log_info("%s: already on " VFIO_DRIVER, what);
		} else if (fn->iommu_group < 0) {
			pf->result.outcome = OUTCOME_FAILED;
			log_error(
			    "%s: has no IOMMU group, so vfio-pci cannot take it; check 'dmesg | grep -i iommu'",
			    what);
		} else if (refused_in_use(b, fn, what) ||
			   sriov_keep_pf(&b->fns, fn, pf->by_function, what)) {
			pf->result.outcome = OUTCOME_FAILED;
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
/*
 * What a VM will open the functions through. Only said, never refused on:
 * vfio-pci holds the card either way, which is what vfio.devices= asks.
 */
static void report_vfio_stack(const struct binding *b, const char *release)
{
	struct vfio_stack stack;
	char text[320];

	vfio_stack_read(b->ctx->root_fd, release, &stack);
	vfio_stack_describe(&stack, text, sizeof(text));
	if (vfio_stack_usable(&stack))
		log_info("%s", text);
	else
		log_warning(
		    "%s: no VM can open the functions vfio-pci takes until vfio_iommu_type1 is loaded; rebuild the initramfs so that it includes it (update-initramfs -u, dracut -f or mkinitcpio -P), or modprobe vfio_iommu_type1 before starting the VM",
		    text);
}

static int load_vfio_pci(const struct binding *b)
{
	const char *fix =
	    "rebuild the initramfs so that it includes vfio-pci (update-initramfs -u, dracut -f or mkinitcpio -P)";
	char release[128], why[256];
	int err = host_kernel_release(b->ctx, release, sizeof(release));

	if (err < 0)
		snprintf(why, sizeof(why), "cannot tell the kernel release (%s)", strerror(-err));
	else
		err = modules_load_vfio_pci(b->ctx->sysroot, release, b->ctx->dry_run, why,
					    sizeof(why));
	if (err == 0 && !b->ctx->dry_run &&
	    !root_exists(b->ctx->root_fd, "sys/bus/pci/drivers/" VFIO_DRIVER)) {
		snprintf(why, sizeof(why),
			 "the " VFIO_DRIVER " driver is not registered after loading it");
		fix = "'dmesg | grep -i vfio' says why";
		err = -ENODEV;
	}
	if (err < 0)
		log_error(
		    "%s, so vfio-pci cannot take the functions: nothing was changed and every function keeps its driver; %s",
		    why, fix);
	else
		report_vfio_stack(b, release);
	return err;
}

/*
 * Claims every function still planned; a dry run only says what it would
 * do. Every override comes before the first unbind: an unbind can block
 * (a GPU driver's), the boot may go on meanwhile, and udev's drivers must
 * then find every requested function spoken for, not only those before it.
 */
static void claim_all(struct binding *b)
{
	int (*const phases[])(struct binding *, struct plan_function *, const char *) = {
		override,
		take,
	};
	char what[96];
	size_t i, p;

	for (p = 0; p < sizeof(phases) / sizeof(phases[0]); p++) {
		for (i = 0; i < b->plan.n_functions && !moved_on(b); i++) {
			struct plan_function *pf = &b->plan.functions[i];

			if (pf->result.outcome != OUTCOME_PLANNED)
				continue;
			pci_function_describe(function_of(b, i), what, sizeof(what));
			if (b->ctx->dry_run) {
				log_info("%s: %s -> " VFIO_DRIVER " (dry run: nothing written)",
					 what, driver_text(pf->result.before));
				pf->result.outcome = OUTCOME_WOULD_BIND;
			} else if (phases[p](b, pf, what) < 0) {
				pf->result.outcome = OUTCOME_FAILED;
			}
		}
	}
}

/* After the deadline, what was still to happen did not: say so in the state. */
static void mark_not_attempted(struct binding *b)
{
	size_t i;

	if (!b->moved_on[0])
		return;
	for (i = 0; i < b->plan.n_functions; i++)
		if (b->plan.functions[i].result.outcome == OUTCOME_PLANNED)
			b->plan.functions[i].result.outcome = OUTCOME_NOT_ATTEMPTED;
}

/* A leftover vfio-pci ids= takes more than asked when vfio-pci loads: say so, record it. */
static void report_vfio_ids(struct binding *b)
{
	b->ids_err =
	    ids_report(b->ctx, &b->fns, b->plan.requested, b->mode == BIND_AT_RUNTIME, &b->ids);
}

/* Functions whose modules cannot load stay "planned", like with the IOMMU off. */
static void bind_all(struct binding *b)
{
	size_t i;

	if (plan_all(b) == 0)
		return;
	report_vfio_ids(b);
	if (load_vfio_pci(b) < 0)
		return;
	claim_all(b);
	if (b->ctx->dry_run)
		return;
	for (i = 0; i < b->plan.n_functions && !moved_on(b); i++)
		if (b->plan.functions[i].result.outcome == OUTCOME_PLANNED)
			probe_and_verify(b, &b->plan.functions[i]);
	mark_not_attempted(b);
}

/*
 * When the PCI devices cannot be read, the run goes on with none, so the
 * state file still tells `status` that the boot ran and why it bound
 * nothing.
 */
static int prepare(struct binding *b, const char *value)
{
	static const struct pci_function_list none;
	char why[RESOLVE_ERROR_MAX];
	int err;

	text_printable(value, strlen(value), sizeof(b->requested) - 4, b->requested);
	b->fns_err = pci_function_list_read(b->ctx->root_fd, &b->fns);
	if (b->fns_err < 0)
		log_error("cannot read the PCI devices: %s; nothing was bound",
			  strerror(-b->fns_err));
	err = plan_build(&b->plan, value, b->fns_err < 0 ? &none : &b->fns);
	if (err < 0 || b->fns_err == 0)
		return err;
	snprintf(why, sizeof(why), "the PCI devices could not be read (%s)", strerror(-b->fns_err));
	plan_refuse_all(&b->plan, why);
	return 0;
}

/* Frees what the run allocated; the engine context is the caller's. */
static void binding_free(struct binding *b)
{
	plan_free(&b->plan);
	free(b->ids.taken);
	pci_function_list_free(&b->fns);
}

/* Timed here, as the last thing the run does: what monitoring reads as the binder's time. */
static void write_state(int root_fd, struct boot_state *state)
{
	int err;

	state->elapsed_us = deadline_elapsed_us();
	err = state_write(root_fd, state);

	if (err < 0)
		log_warning("cannot write /" STATE_PATH
			    ": %s; 'early-bind status' will not know this boot",
			    root_strerror(err));
}

/* The state file's record, written from the plan once the run is over. */
static void save_state(const struct binding *b)
{
	struct boot_state state = { .iommu = b->iommu, .ids = b->ids };
	int err;

	if (b->ctx->dry_run)
		return;
	snprintf(state.requested, sizeof(state.requested), "%s", b->requested);
	snprintf(state.moved_on, sizeof(state.moved_on), "%s", b->moved_on);
	err = plan_record(&b->plan, &state);
	if (err < 0)
		log_warning("cannot write /" STATE_PATH
			    ": %s; 'early-bind status' will not know this boot",
			    root_strerror(err));
	else
		write_state(b->ctx->root_fd, &state);
	free(state.entries);
	free(state.functions);
}

int bind_record_unreadable(const struct engine_context *ctx, int err)
{
	struct state_entry entry = { .text = PARAMETER "=" };
	struct boot_state state = { .entries = &entry, .n_entries = 1 };

	if (err == -EFBIG)
		snprintf(entry.error, sizeof(entry.error),
			 "the kernel command line is too long to read whole");
	else if (err == -E2BIG)
		snprintf(entry.error, sizeof(entry.error), "the value is too long");
	else
		snprintf(entry.error, sizeof(entry.error),
			 "the kernel command line cannot be read: %s", strerror(-err));
	state.iommu = iommu_enabled(ctx);
	if (!ctx->dry_run)
		write_state(ctx->root_fd, &state);
	return err;
}

/*
 * The result is the plan's: every entry accepted and every function on
 * vfio-pci (or, in a dry run, as far as the writes), and neither the
 * listing nor vfio-pci's ids= in the way.
 */
static int result_of(const struct binding *b)
{
	int err = plan_result(&b->plan);

	if (err == 0)
		err = b->ids_err;
	return err == 0 ? b->fns_err : err;
}

int bind_value(const struct engine_context *ctx, const char *value, enum bind_mode mode)
{
	struct binding b = { .ctx = ctx, .mode = mode };
	int err;

	err = prepare(&b, value);
	if (err < 0) {
		log_error("out of memory; nothing was bound");
		binding_free(&b);
		return err;
	}
	if (b.plan.n_entries == 0)
		log_info(PARAMETER "= is empty; nothing to bind");
	else
		log_info(PARAMETER "=%s (%zu %s)", b.requested, b.plan.n_entries,
			 b.plan.n_entries == 1 ? "entry" : "entries");
	b.iommu = iommu_enabled(ctx);
	plan_log_refused(&b.plan);
	if (b.plan.n_functions > 0 && !b.iommu)
		report_iommu_off();
	else if (b.plan.n_functions > 0)
		bind_all(&b);
	if (mode == BIND_AT_BOOT)
		save_state(&b);
	err = result_of(&b);
	binding_free(&b);
	return err;
}
