// SPDX-License-Identifier: GPL-2.0-or-later
#include "engine/kmodload.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <libkmod.h>

#include "engine/cmdline.h"
#include "engine/context.h"
#include "engine/log.h"
#include "engine/progress.h"
#include "engine/rootdir.h"

#define PLAN_MAX 32
#define OPTIONS_MAX 1024

struct step {
	struct kmod_module *mod;
	char options[OPTIONS_MAX];
};

/*
 * libkmod's print_action callback carries no user pointer, so the dry-run
 * pass that computes the load order records it here.
 */
static struct step plan[PLAN_MAX];
static size_t plan_len;
static bool plan_overflow;

static bool in_plan(struct kmod_module *mod)
{
	size_t i;

	for (i = 0; i < plan_len; i++)
		if (strcmp(kmod_module_get_name(plan[i].mod), kmod_module_get_name(mod)) == 0)
			return true;
	return false;
}

static void record_step(struct kmod_module *mod, bool install, const char *options)
{
	struct step *step;

	(void)install; /* KMOD_PROBE_IGNORE_COMMAND: never an install command */
	if (in_plan(mod))
		return; /* reached again through another module's softdep */
	if (plan_len == PLAN_MAX) {
		plan_overflow = true;
		return;
	}
	step = &plan[plan_len];
	/* Our parameter is "vfio.devices": drop it from module vfio's options. */
	if (strcmp(kmod_module_get_name(mod), "vfio") == 0) {
		if (cmdline_remove(options, "devices", step->options, sizeof(step->options)) < 0) {
			plan_overflow = true;
			return;
		}
	} else if (snprintf(step->options, sizeof(step->options), "%s", options) >=
		   (int)sizeof(step->options)) {
		plan_overflow = true;
		return;
	}
	step->mod = kmod_module_ref(mod);
	plan_len++;
}

static void clear_plan(void)
{
	while (plan_len > 0)
		kmod_module_unref(plan[--plan_len].mod);
	plan_overflow = false;
}

static void kmod_log(void *data, int priority, const char *file, int line, const char *fn,
		     const char *format, va_list args)
{
	char text[512];

	(void)data, (void)priority, (void)file, (void)line, (void)fn;
	vsnprintf(text, sizeof(text), format, args);
	text[strcspn(text, "\n")] = '\0';
	log_warning("libkmod: %s", text);
}

/* libkmod for SYSROOT's modules of kernel RELEASE in *CTX; 0 or -errno. */
static int open_context(const char *sysroot, const char *release, struct kmod_ctx **ctx)
{
	char dir[PATH_MAX], etc[PATH_MAX], run[PATH_MAX], lib[PATH_MAX];
	const char *configs[] = { etc, run, lib, NULL };
	const char *root = sysroot_prefix(sysroot);

	if (path_format(dir, sizeof(dir), "%s/lib/modules/%s", root, release) < 0 ||
	    path_format(etc, sizeof(etc), "%s/etc/modprobe.d", root) < 0 ||
	    path_format(run, sizeof(run), "%s/run/modprobe.d", root) < 0 ||
	    path_format(lib, sizeof(lib), "%s/lib/modprobe.d", root) < 0)
		return -ENAMETOOLONG;
	/* It reads nothing yet: it fails only when memory runs out. */
	*ctx = kmod_new(dir, configs);
	if (!*ctx)
		return -ENOMEM;
	kmod_set_log_fn(*ctx, kmod_log, NULL);
	kmod_set_log_priority(*ctx, LOG_ERR);
	/*
	 * The indexes mapped once, as modprobe does: without it every lookup
	 * opens and reads each index file again (about 300 system calls for
	 * vfio-pci's dependencies and softdeps, the costliest part of the
	 * boot's own work under emulation). When an index is missing, the
	 * lookups read the files one by one and report what is missing.
	 */
	kmod_load_resources(*ctx);
	return 0;
}

/* The module NAME stands for in *MOD, NULL when there is none; 0 or -errno. */
static int lookup(struct kmod_ctx *ctx, const char *name, struct kmod_module **mod)
{
	struct kmod_list *list = NULL;
	int err = kmod_module_new_from_lookup(ctx, name, &list);

	*mod = NULL;
	if (err < 0 || !list)
		return err < 0 ? err : 0;
	*mod = kmod_module_get_module(list);
	kmod_module_unref_list(list);
	return 0;
}

/*
 * The driver, then the backends a VM opens the function through, loaded
 * where they are modules: vfio_iommu_type1 (VFIO's container; only vfio's
 * softdep, named so that it is planned) and iommufd. Only the driver is
 * required: a kernel may have no vfio_iommu_type1 at all (iommufd provides
 * the container) or an initramfs may lack it, and the boot says so
 * (vfiostack.c) rather than leave the card to the host's drivers.
 */
static const char *const wanted[] = { "vfio_pci", "vfio_iommu_type1", "iommufd" };
#define N_WANTED (sizeof(wanted) / sizeof(wanted[0]))
#define REQUIRED "vfio_pci"

static bool is_required(const char *name)
{
	return strcmp(name, REQUIRED) == 0;
}

/*
 * Inserts the recorded plan (INSERT false: only names it) and lists what
 * it loaded in NAMES. A failing softdep is only a warning; a failing
 * required module (a failing dependency fails it too) is an error,
 * described in WHY.
 */
static int run_plan(bool insert, char *names, size_t size, char *why, size_t why_size)
{
	size_t i, used = 0;
	int err = 0;

	names[0] = '\0';
	for (i = 0; i < plan_len; i++) {
		const char *name = kmod_module_get_name(plan[i].mod);
		int r;

		progress_step("loading module %s", name);
		r = insert ? kmod_module_insert_module(plan[i].mod, 0, plan[i].options) : 0;

		if (r < 0 && r != -EEXIST) {
			/* The first required one is the caller's error to report; the rest are
			 * warned of. */
			if (is_required(name) && !err) {
				snprintf(why, why_size, "loading module %s failed: %s", name,
					 strerror(-r));
				err = r;
			} else {
				log_warning("could not load module %s: %s", name, strerror(-r));
			}
			continue;
		}
		used += (size_t)snprintf(names + used, size - used, "%s%s", used ? " " : "", name);
		if (used >= size)
			used = size - 1;
	}
	return err;
}

/*
 * Adds NAME and what it needs to the plan; nothing when it is built in
 * (or, on the running system, loaded), or when it is not REQUIRED and the
 * kernel has no such module. Returns 0 or -errno with WHY set.
 */
static int plan_module(struct kmod_ctx *ctx, const char *name, unsigned flags, const char *release,
		       bool *builtin, char *why, size_t why_size)
{
	struct kmod_module *mod;
	int err = lookup(ctx, name, &mod);

	*builtin = false;
	if (err < 0 && !is_required(name))
		return 0; /* what the kernel offers is reported from its lists */
	if (err < 0) {
		snprintf(why, why_size, "cannot look up module %s: %s", name, strerror(-err));
		return err;
	}
	if (!mod && !is_required(name))
		return 0;
	if (!mod) {
		snprintf(why, why_size, "module %s is not available for kernel %s", name, release);
		return -ENOENT;
	}
	*builtin = kmod_module_get_initstate(mod) == KMOD_MODULE_BUILTIN;
	err = *builtin ? 0
		       : kmod_module_probe_insert_module(mod, flags, NULL, NULL, NULL, record_step);
	if (err >= 0 && plan_overflow)
		err = -E2BIG;
	if (err < 0)
		snprintf(why, why_size, "cannot resolve the dependencies of %s: %s", name,
			 strerror(-err));
	kmod_module_unref(mod);
	return err < 0 ? err : 0;
}

static void log_result(bool builtin, bool simulate, bool dry_run, const char *names)
{
	if (plan_len == 0)
		log_info("vfio-pci is %s", builtin ? "built into the kernel" : "already loaded");
	else if (dry_run)
		log_info("would load vfio-pci with %s (dry run: nothing loaded)", names);
	else
		log_info("loaded vfio-pci with %s%s", names,
			 simulate ? " (simulated under --sysroot)" : "");
}

int modules_load_vfio_pci(const char *sysroot, const char *release, bool dry_run, char *why,
			  size_t why_size)
{
	bool simulate = !sysroot_is_real(sysroot), builtin[N_WANTED];
	unsigned flags = KMOD_PROBE_DRY_RUN | KMOD_PROBE_IGNORE_COMMAND;
	struct kmod_ctx *ctx;
	char names[512];
	size_t i;
	int err;

	err = open_context(sysroot, release, &ctx);
	if (err < 0) {
		snprintf(why, why_size, "cannot read the module tree of kernel %s", release);
		return err;
	}
	/* A fixture must not depend on what the machine running it has loaded. */
	if (simulate)
		flags |= KMOD_PROBE_IGNORE_LOADED;
	for (i = 0; i < N_WANTED && err == 0; i++)
		err = plan_module(ctx, wanted[i], flags, release, &builtin[i], why, why_size);
	if (err == 0)
		err = run_plan(!simulate && !dry_run, names, sizeof(names), why, why_size);
	if (err == 0)
		log_result(builtin[0], simulate, dry_run, names);
	clear_plan();
	kmod_unref(ctx);
	return err;
}
