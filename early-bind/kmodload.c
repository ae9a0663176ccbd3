// SPDX-License-Identifier: GPL-2.0-or-later
#include "kmodload.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <libkmod.h>

#include "cmdline.h"
#include "log.h"
#include "progress.h"
#include "sysfs.h"

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
	} else if (snprintf(step->options, sizeof(step->options), "%s", options) >= (int)sizeof(step->options)) {
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

static void kmod_log(void *data, int priority, const char *file, int line,
		     const char *fn, const char *format, va_list args)
{
	char text[512];

	(void)data, (void)priority, (void)file, (void)line, (void)fn;
	vsnprintf(text, sizeof(text), format, args);
	text[strcspn(text, "\n")] = '\0';
	log_warning("libkmod: %s", text);
}

static struct kmod_ctx *open_context(const char *sysroot, const char *release)
{
	char dir[PATH_MAX], etc[PATH_MAX], run[PATH_MAX], lib[PATH_MAX];
	const char *configs[] = { etc, run, lib, NULL };
	const char *root = strcmp(sysroot, "/") == 0 ? "" : sysroot;
	struct kmod_ctx *ctx;

	if (path_format(dir, sizeof(dir), "%s/lib/modules/%s", root, release) < 0 ||
	    path_format(etc, sizeof(etc), "%s/etc/modprobe.d", root) < 0 ||
	    path_format(run, sizeof(run), "%s/run/modprobe.d", root) < 0 ||
	    path_format(lib, sizeof(lib), "%s/lib/modprobe.d", root) < 0)
		return NULL;
	ctx = kmod_new(dir, configs);
	if (!ctx)
		return NULL;
	kmod_set_log_fn(ctx, kmod_log, NULL);
	kmod_set_log_priority(ctx, LOG_ERR);
	return ctx;
}

static struct kmod_module *lookup_vfio_pci(struct kmod_ctx *ctx)
{
	struct kmod_list *list = NULL;
	struct kmod_module *mod = NULL;

	if (kmod_module_new_from_lookup(ctx, "vfio-pci", &list) < 0 || !list)
		return NULL;
	mod = kmod_module_get_module(list);
	kmod_module_unref_list(list);
	return mod;
}

/* Inserts the recorded plan; a failing softdep is only a warning. */
static int run_plan(bool simulate, char *names, size_t size)
{
	size_t i, used = 0;
	int err = 0;

	names[0] = '\0';
	for (i = 0; i < plan_len; i++) {
		const char *name = kmod_module_get_name(plan[i].mod);
		progress_step("loading module %s", name);
		int r = simulate ? 0 : kmod_module_insert_module(plan[i].mod, 0, plan[i].options);

		if (r < 0 && r != -EEXIST) {
			log_warning("could not load module %s: %s", name, strerror(-r));
			err = r;
			continue;
		}
		used += (size_t)snprintf(names + used, size - used, "%s%s", used ? " " : "", name);
		if (used >= size)
			used = size - 1;
	}
	return err;
}

int modules_load_vfio_pci(const char *sysroot, const char *release)
{
	bool simulate = strcmp(sysroot, "/") != 0;
	unsigned flags = KMOD_PROBE_DRY_RUN | KMOD_PROBE_IGNORE_COMMAND;
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	char names[512];
	int err;

	ctx = open_context(sysroot, release);
	if (!ctx) {
		log_error("cannot read the module tree of kernel %s; rebuild the initramfs (update-initramfs -u or dracut -f)", release);
		return -ENOENT;
	}
	mod = lookup_vfio_pci(ctx);
	if (!mod) {
		log_error("module vfio-pci is not available for kernel %s; rebuild the initramfs so that it includes vfio-pci (update-initramfs -u or dracut -f)", release);
		kmod_unref(ctx);
		return -ENOENT;
	}
	if (kmod_module_get_initstate(mod) == KMOD_MODULE_BUILTIN) {
		log_info("vfio-pci is built into the kernel");
		kmod_module_unref(mod);
		kmod_unref(ctx);
		return 0;
	}
	/* A fixture must not depend on what the machine running it has loaded. */
	if (simulate)
		flags |= KMOD_PROBE_IGNORE_LOADED;
	err = kmod_module_probe_insert_module(mod, flags, NULL, NULL, NULL, record_step);
	if (err >= 0 && plan_overflow)
		err = -E2BIG;
	if (err < 0)
		log_error("cannot resolve the dependencies of vfio-pci: %s", strerror(-err));
	else if (plan_len == 0)
		log_info("vfio-pci is already loaded");
	else {
		err = run_plan(simulate, names, sizeof(names));
		log_info("loaded vfio-pci with %s%s", names, simulate ? " (simulated under --sysroot)" : "");
	}
	clear_plan();
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return err;
}
