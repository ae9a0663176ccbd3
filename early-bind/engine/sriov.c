// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SR-IOV physical and virtual functions: what sysfs says of them (read
 * relative to a device directory, so through the root fd like every
 * attribute), where a PF's VFs would appear, and what that means for an
 * entry, for list and check, and for the engine that unbinds.
 */
#include "engine/sriov.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/log.h"
#include "engine/rootdir.h"
#include "engine/textbuf.h"
#include "engine/vfio.h"

/* VFs named in a list before "and N more". */
#define VFS_NAMED 8

/* A decimal attribute ("7\n") of at most 65535; -1 when absent or anything else. */
static long read_decimal(int device_fd, const char *attribute, int base)
{
	char text[16], *end;
	long value;

	if (root_read(device_fd, attribute, text, sizeof(text)) <= 0)
		return -1;
	errno = 0;
	value = strtol(text, &end, base);
	if (errno || *end || end == text || value < 0 || value > UINT16_MAX)
		return -1;
	return value;
}

/* How many virtfnN links lead to a VF: what exists when sriov_numvfs cannot say. */
static uint16_t count_virtfn(int device_fd, uint16_t total)
{
	char name[16], vf[PCI_NAME_MAX];
	uint16_t n;

	/* The link itself: its target lies outside the directory. */
	for (n = 0; n < total; n++) {
		snprintf(name, sizeof(name), "virtfn%u", (unsigned)n);
		if (root_link_name(device_fd, name, vf, sizeof(vf)) < 0)
			break;
	}
	return n;
}

void sriov_read_at(int device_fd, struct pci_sriov *s)
{
	long total = read_decimal(device_fd, "sriov_totalvfs", 10), value;

	memset(s, 0, sizeof(*s));
	if (root_link_name(device_fd, "physfn", s->physfn, sizeof(s->physfn)) < 0)
		s->physfn[0] = '\0';
	if (total <= 0)
		return;
	s->totalvfs = (uint16_t)total;
	value = read_decimal(device_fd, "sriov_numvfs", 10);
	s->numvfs = value < 0 ? count_virtfn(device_fd, s->totalvfs) : (uint16_t)value;
	value = read_decimal(device_fd, "sriov_offset", 10);
	s->offset = (uint16_t)(value < 0 ? 0 : value);
	value = read_decimal(device_fd, "sriov_stride", 10);
	s->stride = (uint16_t)(value < 0 ? 0 : value);
	/* The kernel prints it "%x", without 0x. */
	value = read_decimal(device_fd, "sriov_vf_device", 16);
	s->vf_device = (uint16_t)(value < 0 ? 0 : value);
}

bool sriov_vf_address(const struct pci_function *pf, unsigned n, uint8_t *bus, uint8_t *slot,
		      uint8_t *func)
{
	unsigned long rid = (unsigned long)pf->bus << 8 | (unsigned)pf->slot << 3 | pf->func;

	rid += pf->sriov.offset + (unsigned long)n * pf->sriov.stride;
	if (rid > 0xffff)
		return false;
	*bus = (uint8_t)(rid >> 8);
	*slot = (uint8_t)(rid >> 3 & 0x1f);
	*func = (uint8_t)(rid & 7);
	return true;
}

size_t sriov_pf_of(const struct pci_function_list *fns, size_t i)
{
	size_t k;

	for (k = 0; sriov_is_vf(&fns->items[i]) && k < fns->count; k++)
		if (strcmp(fns->items[k].name, fns->items[i].sriov.physfn) == 0)
			return k;
	return fns->count;
}

size_t sriov_list_vfs(const struct pci_function_list *fns, size_t i, char *buf, size_t size)
{
	size_t k, n = 0;
	struct textbuf sb;

	textbuf_init(&sb, buf, size);
	for (k = 0; k < fns->count; k++) {
		if (!sriov_is_vf_of(&fns->items[k], &fns->items[i]))
			continue;
		if (n++ < VFS_NAMED)
			textbuf_item(&sb, ", ", "%s", fns->items[k].name);
	}
	if (n > VFS_NAMED)
		textbuf_add(&sb, " and %zu more", n - VFS_NAMED);
	return n;
}

void sriov_describe_pf(const struct pci_function_list *fns, size_t i, char *buf, size_t size)
{
	const struct pci_function *pf = &fns->items[i];
	char vfs[PCI_NAME_MAX * (VFS_NAMED + 1) + 32];

	if (sriov_list_vfs(fns, i, vfs, sizeof(vfs)) > 0 || pf->sriov.numvfs > 0)
		snprintf(
		    buf, size,
		    "%s is an SR-IOV physical function: %u of %u virtual functions enabled (%s)",
		    pf->name, pf->sriov.numvfs, pf->sriov.totalvfs, vfs[0] ? vfs : "none listed");
	else
		snprintf(
		    buf, size,
		    "%s is an SR-IOV physical function: up to %u virtual functions, none enabled; they appear only after the boot, when its driver is told how many through /sys/bus/pci/devices/%s/sriov_numvfs",
		    pf->name, pf->sriov.totalvfs, pf->name);
}

/* Whether FN is what E names (the function, or a function of the slot). */
static bool entry_matches(const struct entry *e, uint32_t domain, uint8_t bus, uint8_t slot,
			  uint8_t func)
{
	return (!e->has_domain || e->domain == domain) && e->bus == bus && e->slot == slot &&
	       (!e->has_func || e->func == func);
}

/* The number of PF's VF that E names, or -1; -2 when PF's VF range is unknown and E is on its bus.
 */
static long vf_named(const struct entry *e, const struct pci_function *pf)
{
	uint8_t bus, slot, func;
	unsigned n;

	if (e->has_domain && e->domain != pf->domain)
		return -1;
	if (pf->sriov.offset == 0)
		return e->bus == pf->bus ? -2 : -1;
	for (n = 0; n < pf->sriov.totalvfs && sriov_vf_address(pf, n, &bus, &slot, &func); n++)
		if (entry_matches(e, pf->domain, bus, slot, func))
			return n;
	return -1;
}

bool sriov_explain_missing(const struct entry *e, const struct pci_function_list *fns, char *why,
			   size_t size)
{
	const struct pci_function *pf = NULL;
	char which[48], named[ENTRY_TEXT_MAX];
	long n = -1;
	size_t i;

	if (!e->ok)
		return false;
	for (i = 0; i < fns->count; i++) {
		const struct pci_function *fn = &fns->items[i];

		if (entry_matches(e, fn->domain, fn->bus, fn->slot, fn->func))
			return false; /* something present answers it: not this case */
		if (!pf && sriov_is_pf(fn) && (n = vf_named(e, fn)) != -1)
			pf = fn;
	}
	if (!pf)
		return false;
	if (n >= 0)
		snprintf(which, sizeof(which), "virtual function %ld", n);
	else
		snprintf(which, sizeof(which), "one of the virtual functions");
	entry_format(e, named, sizeof(named));
	/* Kept short: the state file keeps RESOLVE_ERROR_MAX bytes of it. */
	snprintf(
	    why, size,
	    "not present: it would be %s of SR-IOV physical function %s (%u of %u enabled); VFs appear only after the boot, through sriov_numvfs, so vfio.devices= cannot take them: once it exists, 'early-bind bind %s' takes it",
	    which, pf->name, pf->sriov.numvfs, pf->sriov.totalvfs, named);
	return true;
}

void sriov_display_pf_reason(const struct pci_function *pf, char *buf, size_t size)
{
	uint8_t bus = 0, slot = 0, func = 0;

	sriov_vf_address(pf, 0, &bus, &slot, &func);
	snprintf(
	    buf, size,
	    "%s is the host's display and an SR-IOV physical function: its slot would take the host's display and every virtual function with it; give a VM one of its virtual functions instead, once they exist after the boot: early-bind bind %04x:%02x:%02x.%x",
	    pf->name, pf->domain, bus, slot, func);
}

static bool pf_with_vfs_held(const struct pci_function *fn)
{
	return fn->sriov.numvfs > 0 && fn->driver[0] && strcmp(fn->driver, VFIO_DRIVER) != 0;
}

bool sriov_pf_kept(const struct pci_function *fn, bool by_function)
{
	return pf_with_vfs_held(fn) && !by_function;
}

bool sriov_keep_pf(const struct pci_function_list *fns, const struct pci_function *fn,
		   bool by_function, const char *what)
{
	char vfs[PCI_NAME_MAX * (VFS_NAMED + 1) + 32];
	size_t i = (size_t)(fn - fns->items);

	if (!pf_with_vfs_held(fn))
		return false;
	if (sriov_list_vfs(fns, i, vfs, sizeof(vfs)) == 0)
		snprintf(vfs, sizeof(vfs), "none listed");
	if (by_function) {
		log_warning(
		    "%s: an SR-IOV physical function with %u virtual functions enabled (%s): taking it from %s disables them, and they vanish with whatever uses them; taken because an entry names it with .%x",
		    what, fn->sriov.numvfs, vfs, fn->driver, fn->func);
		return false;
	}
	log_error(
	    "%s: an SR-IOV physical function with %u virtual functions enabled (%s): taking it from %s would disable them, and they would vanish with whatever uses them, so early-bind leaves it alone; to give a VM a virtual function, name that function; to take the physical function itself and lose its virtual functions, name it with .%x",
	    what, fn->sriov.numvfs, vfs, fn->driver, fn->func);
	return true;
}
