// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The reverse of bind.c, for `early-bind release` after a VM has stopped:
 * the card goes back to the host's drivers without a reboot.
 */
#include "engine/release.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/log.h"
#include "engine/pcidev.h"
#include "engine/plan.h"
#include "engine/procfd.h"
#include "engine/rootdir.h"
#include "engine/vfio.h"

/*
 * The device nodes through which a VM holds a function: its group's
 * /dev/vfio/N (or /dev/vfio/noiommu-N), and with iommufd (kernel 6.6+) its
 * own /dev/vfio/devices/vfioX, named by sys/.../vfio-dev/vfioX.
 */
struct vfio_nodes {
	char group[32];
	char noiommu[40];
	char cdev[NAME_MAX + 32];
};

static void vfio_nodes_of(int root_fd, const struct pci_function *fn, struct vfio_nodes *n)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	snprintf(n->group, sizeof(n->group), "/dev/vfio/%d", fn->iommu_group);
	snprintf(n->noiommu, sizeof(n->noiommu), "/dev/vfio/noiommu-%d", fn->iommu_group);
	n->cdev[0] = '\0';
	if (pci_attr_path(path, sizeof(path), fn->name, "vfio-dev") < 0)
		return;
	dir = root_opendir(root_fd, path);
	if (!dir)
		return;
	while ((de = readdir(dir)))
		if (strncmp(de->d_name, "vfio", 4) == 0)
			snprintf(n->cdev, sizeof(n->cdev), "/dev/vfio/devices/%s", de->d_name);
	closedir(dir);
}

/*
 * The process holding the VFIO group open (a VM still running): unbinding
 * would block until it lets go. Returns its PID and name in COMM, or 0.
 */
static long group_user(int root_fd, const struct pci_function *fn, char *comm, size_t size)
{
	struct vfio_nodes n;
	struct proc_nodes nodes = { .paths = { n.group, n.noiommu }, .count = 2 };
	char node[NAME_MAX + 32];

	vfio_nodes_of(root_fd, fn, &n);
	if (n.cdev[0])
		nodes.paths[nodes.count++] = n.cdev;
	return proc_node_holder(root_fd, &nodes, comm, size, node, sizeof(node));
}

/* Whether FN waits for vfio-pci: its driver_override names it. */
static bool overridden(int root_fd, const struct pci_function *fn)
{
	char path[PATH_MAX], value[DRIVER_NAME_MAX];

	return pci_attr_path(path, sizeof(path), fn->name, "driver_override") == 0 &&
	       root_read(root_fd, path, value, sizeof(value)) >= 0 &&
	       strcmp(value, VFIO_DRIVER) == 0;
}

/*
 * Override cleared first, so that the probe below cannot pick vfio-pci
 * again. Only vfio-pci is unbound: a function that merely waited for it
 * (override set, no driver) just needs the probe. Returns 0 when it went
 * back to the host, else -errno (-EBUSY: vfio-pci took it again), logged.
 */
static int release_function(const struct engine_context *ctx, const struct pci_function *fn,
			    const char *what, const char *from)
{
	char driver[DRIVER_NAME_MAX];
	int err = pci_write_override(ctx->root_fd, fn, "");

	if (err == 0 && strcmp(fn->driver, VFIO_DRIVER) == 0)
		err = pci_unbind(ctx->root_fd, fn->name);
	if (err < 0) {
		/* As before: on vfio-pci, and kept from host drivers. */
		int undo = pci_write_override(ctx->root_fd, fn, VFIO_DRIVER);

		if (undo < 0)
			log_error(
			    "%s: cannot take it from " VFIO_DRIVER
			    " (%s), and cannot set its driver_override back to vfio-pci (%s): a host driver may take it; set it with: echo vfio-pci > /sys/bus/pci/devices/%s/driver_override",
			    what, strerror(-err), strerror(-undo), fn->name);
		else
			log_error("%s: cannot take it from " VFIO_DRIVER ": %s; it stays there",
				  what, strerror(-err));
		return err;
	}
	err = pci_probe(ctx->root_fd, fn->name);
	if (err < 0)
		log_error(
		    "%s: cannot ask the kernel to probe it (drivers_probe: %s); it has no driver now: echo %s > /sys/bus/pci/drivers_probe",
		    what, strerror(-err), fn->name);
	if (pci_read_driver(ctx->root_fd, fn->name, driver, sizeof(driver)) < 0)
		driver[0] = '\0';
	if (strcmp(driver, VFIO_DRIVER) == 0) {
		log_error("%s: still on " VFIO_DRIVER
			  " after the unbind; the kernel log says why: dmesg | grep %s",
			  what, fn->name);
		return -EBUSY;
	}
	if (driver[0])
		log_info("%s: %s -> %s", what, from, driver);
	else
		log_info("%s: %s -> none (no host driver claims it)", what, from);
	return err;
}

/* 0 when FN is off vfio-pci (or needs no release), else -errno, logged. */
static int release_one(const struct engine_context *ctx, const struct pci_function *fn)
{
	char what[96], comm[PROC_COMM_MAX];
	bool on_vfio = strcmp(fn->driver, VFIO_DRIVER) == 0;
	const char *from = on_vfio ? VFIO_DRIVER : "driver_override " VFIO_DRIVER;
	long pid;

	pci_function_describe(fn, what, sizeof(what));
	if (!on_vfio && !overridden(ctx->root_fd, fn)) {
		log_info("%s: not on " VFIO_DRIVER " (%s%s); nothing to release", what,
			 fn->driver[0] ? "driver: " : "", driver_text(fn->driver));
		return 0;
	}
	/* vfio-pci disables a PF's VFs when it lets go of it (vfio_pci_core_unregister_device()).
	 */
	if (on_vfio && fn->sriov.numvfs > 0) {
		log_error(
		    "%s: an SR-IOV physical function with %u virtual functions enabled: taking it from " VFIO_DRIVER
		    " disables them, and they would vanish with whatever uses them; disable them first (echo 0 > /sys/bus/pci/devices/%s/sriov_numvfs), then release it. Nothing was changed",
		    what, fn->sriov.numvfs, fn->name);
		return -EBUSY;
	}
	pid =
	    on_vfio && fn->iommu_group >= 0 ? group_user(ctx->root_fd, fn, comm, sizeof(comm)) : 0;
	if (pid > 0) {
		log_error(
		    "%s: IOMMU group %d is open in process %ld (%s), a VM still using it; stop the VM first. Nothing was changed",
		    what, fn->iommu_group, pid, comm);
		return -EBUSY;
	}
	if (ctx->dry_run) {
		log_info("%s: %s -> the host's driver (dry run: nothing written)", what, from);
		return 0;
	}
	return release_function(ctx, fn, what, from);
}

int release_value(const struct engine_context *ctx, const char *value)
{
	struct pci_function_list fns;
	struct plan plan;
	size_t i;
	int err, r;

	err = pci_function_list_read(ctx->root_fd, &fns);
	if (err < 0) {
		log_error("cannot read the PCI devices: %s; nothing was released", strerror(-err));
		return err;
	}
	err = plan_build(&plan, value, &fns);
	if (err < 0) {
		log_error("out of memory; nothing was released");
		plan_free(&plan);
		pci_function_list_free(&fns);
		return err;
	}
	/* A refused entry fails the run; the others are released. */
	plan_log_refused(&plan);
	err = plan.refused ? -EINVAL : 0;
	for (i = 0; i < fns.count; i++) {
		r = plan.requested[i] ? release_one(ctx, &fns.items[i]) : 0;
		if (r < 0 && err == 0)
			err = r;
	}
	plan_free(&plan);
	pci_function_list_free(&fns);
	return err;
}
