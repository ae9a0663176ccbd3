// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The requested cards seen from the host's side of the checklist: whether
 * the firmware found room for their memory BARs (Above 4G Decoding), and
 * the host's GPU drivers, which the usual guides uninstall.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor/check.h"
#include "engine/card.h"
#include "engine/modprobe.h"
#include "engine/rootdir.h"
#include "engine/textbuf.h"

#define LIST_MAX 640
#define MODULES_DEP_MAX (16 << 20)
#define BAR_COUNT PCI_BAR_COUNT
#define BAR_REGISTERS 0x10
#define CONFIG_HEAD 64 /* what sysfs shows anyone of config space */
#define BAR_IO 0x1
#define BAR_64BIT 0x4
#define BAR_PREFETCH 0x8
#define BELOW_4G 0x100000000ULL
/*
 * A VRAM BAR is 256 MiB or more; the small 64-bit BARs of a card's USB
 * controller often sit below 4 GiB even with Above 4G Decoding on.
 */
#define VRAM_BAR_MIN (256ULL << 20)

struct bar_lists {
	char unassigned[LIST_MAX];
	char below_4g[LIST_MAX];
};

static uint32_t le32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * Compares the BAR registers (what the device has) with the kernel's
 * resources (what it got). A failed assignment leaves an all-zero
 * resource line; the register keeps its type bits, so a 64-bit or
 * prefetchable BAR still shows (a 32-bit one at address 0 cannot).
 */
static void check_function_bars(struct check *c, const struct pci_function *fn,
				struct bar_lists *out)
{
	unsigned char cfg[CONFIG_HEAD + 1];
	uint64_t res[BAR_COUNT][3];
	char path[PATH_MAX], item[96];
	uint32_t reg;
	int i;

	if (fn->header_type != 0 ||
	    path_format(path, sizeof(path), "sys/bus/pci/devices/%s/config", fn->name) < 0 ||
	    root_read(c->ctx->root_fd, path, (char *)cfg, sizeof(cfg)) <
		BAR_REGISTERS + 4 * BAR_COUNT ||
	    pci_read_resources(c->ctx->root_fd, fn->name, res, BAR_COUNT) < 0)
		return;
	for (i = 0; i < BAR_COUNT; i++) {
		reg = le32(cfg + BAR_REGISTERS + 4 * i);
		if (reg == 0 || (reg & BAR_IO))
			continue;
		if (res[i][0] == 0 && res[i][1] == 0 && res[i][2] == 0) {
			snprintf(item, sizeof(item), "%s BAR %d (%s%smemory)", fn->name, i,
				 reg & BAR_64BIT ? "64-bit " : "",
				 reg & BAR_PREFETCH ? "prefetchable " : "");
			textbuf_list_add(out->unassigned, LIST_MAX, item);
		} else if ((reg & BAR_64BIT) && (reg & BAR_PREFETCH) && res[i][1] < BELOW_4G &&
			   res[i][1] - res[i][0] + 1 >= VRAM_BAR_MIN) {
			snprintf(item, sizeof(item), "%s BAR %d (%" PRIu64 "M at %" PRIx64 ")",
				 fn->name, i, (res[i][1] - res[i][0] + 1) >> 20, res[i][0]);
			textbuf_list_add(out->below_4g, LIST_MAX, item);
		}
		i += (reg & BAR_64BIT) != 0; /* its upper half is the next register */
	}
}

#define ABOVE_4G_FIX                                                                               \
	"enable Above 4G Decoding in the firmware setup, the article's setting: 64-bit BARs then go above 4 GiB"

static void check_slot_bars(struct check *c, size_t first, size_t end, const char *slot)
{
	struct bar_lists lists = { "", "" };
	size_t i;

	for (i = first; i < end; i++)
		if (c->plan.requested[i])
			check_function_bars(c, &c->fns.items[i], &lists);
	if (lists.unassigned[0]) {
		finding_add(
		    &c->findings, SEVERITY_ERROR, "bar", slot,
		    "no address for %s: the kernel could not fit it (an all-zero line in resource), so vfio-pci cannot enable the function and the VM cannot use it",
		    lists.unassigned);
		finding_fix(
		    &c->findings, ABOVE_4G_FIX
		    "; if Resizable BAR (Re-Size BAR Support) is on, turn it off, as a BAR grown to the card's whole memory may fit no window");
	}
	if (lists.below_4g[0]) {
		finding_add(
		    &c->findings, SEVERITY_WARN, "bar", slot,
		    "%s had to fit below 4 GiB although it is a 64-bit BAR: Above 4G Decoding looks off, so such BARs share the little room under 4 GiB (another card may get none, and Resizable BAR cannot grow them)",
		    lists.below_4g);
		finding_fix(&c->findings, ABOVE_4G_FIX " (Resizable BAR needs it too)");
	}
	if (!lists.unassigned[0] && !lists.below_4g[0])
		finding_add(
		    &c->findings, SEVERITY_OK, "bar", slot,
		    "every memory BAR has an address, and no large 64-bit one had to fit below 4 GiB");
}

/* Calls FN for each slot with a requested function, as check_cards walks them. */
static void each_requested_slot(struct check *c,
				void (*fn)(struct check *, size_t, size_t, const char *))
{
	char slot[PCI_NAME_MAX];
	size_t first, end = 0;

	while (check_next_requested_slot(c, &first, &end)) {
		card_slot_name(&c->fns.items[first], slot, sizeof(slot));
		fn(c, first, end, slot);
	}
}

int check_bars(struct check *c)
{
	each_requested_slot(c, check_slot_bars);
	return 0;
}

/* The PCI drivers of GPUs the usual guides remove or blacklist. */
static const char *const gpu_drivers[] = { "nvidia", "nouveau", "amdgpu", "radeon" };
#define GPU_DRIVERS (sizeof(gpu_drivers) / sizeof(gpu_drivers[0]))

static bool is_gpu_driver(const char *name)
{
	size_t k;

	for (k = 0; k < GPU_DRIVERS; k++)
		if (strcmp(name, gpu_drivers[k]) == 0)
			return true;
	return false;
}

static void check_slot_gpu_driver(struct check *c, size_t first, size_t end, const char *slot)
{
	char held[LIST_MAX] = "", item[96];
	size_t i;

	for (i = first; i < end; i++) {
		if (!c->plan.requested[i] || !is_gpu_driver(c->fns.items[i].driver))
			continue;
		snprintf(item, sizeof(item), "%s (%s)", c->fns.items[i].name,
			 c->fns.items[i].driver);
		textbuf_list_add(held, LIST_MAX, item);
	}
	if (!held[0])
		return;
	finding_add(
	    &c->findings, SEVERITY_WARN, "gpu-driver", slot,
	    "the host's GPU driver holds %s now: the host may be drawing on the card or computing with it",
	    held);
	finding_fix(
	    &c->findings,
	    "nothing to do for the boot, which takes the card before GPU drivers load; to take it now, stop what uses it (display manager, nvidia-persistenced), then early-bind bind %s",
	    slot);
}

/*
 * The article uninstalls NVIDIA's driver so that it cannot take the card:
 * with vfio.devices= it need not, since driver_override names vfio-pci
 * and the kernel then binds no other driver, whatever its ID table says.
 */
int check_gpu_drivers(struct check *c)
{
	char path[PATH_MAX], found[LIST_MAX] = "", item[64], *dep = NULL;
	bool installed, loaded;
	size_t k;

	if (!c->release[0] ||
	    path_format(path, sizeof(path), "lib/modules/%s/modules.dep", c->release) < 0 ||
	    root_read_all(c->ctx->root_fd, path, MODULES_DEP_MAX, &dep) < 0)
		dep = NULL;
	for (k = 0; k < GPU_DRIVERS; k++) {
		installed = dep && modprobe_index_lists(dep, MODULES_DEP, gpu_drivers[k]);
		if (path_format(path, sizeof(path), "sys/module/%s", gpu_drivers[k]) < 0)
			continue;
		loaded = root_exists(c->ctx->root_fd, path);
		if (!installed && !loaded)
			continue;
		snprintf(item, sizeof(item), "%s (%s%s%s)", gpu_drivers[k],
			 installed ? "installed" : "", installed && loaded ? ", " : "",
			 loaded ? "loaded" : "");
		textbuf_list_add(found, LIST_MAX, item);
	}
	free(dep);
	if (found[0])
		finding_add(
		    &c->findings, SEVERITY_OK, "gpu-driver", NULL,
		    "%s: none needs uninstalling or blacklisting, as the usual guides do; the boot sets the cards' driver_override to vfio-pci, and the kernel then binds no other driver to them, whatever its ID table says",
		    found);
	each_requested_slot(c, check_slot_gpu_driver);
	return 0;
}
