// SPDX-License-Identifier: GPL-2.0-or-later
/* Pure helpers on PCI class codes, kept apart from libpci for the unit tests. */
#include "engine/pcidev.h"

#include <stdio.h>

const char *pci_class_kind(uint16_t class_id)
{
	static const struct {
		uint16_t class_id;
		uint16_t mask;
		const char *kind;
	} kinds[] = {
		{ 0x0300, 0xffff, "vga" },       { 0x0300, 0xff00, "display" },
		{ 0x0403, 0xffff, "audio" },     { 0x0400, 0xff00, "multimedia" },
		{ 0x0c03, 0xffff, "usb" },       { 0x0c80, 0xffff, "serial-bus" },
		{ 0x0c00, 0xff00, "serial-bus" }, { 0x0700, 0xffff, "serial" },
		{ 0x0700, 0xff00, "communication" }, { 0x0108, 0xffff, "nvme" },
		{ 0x0106, 0xffff, "sata" },      { 0x0100, 0xff00, "storage" },
		{ 0x0200, 0xff00, "network" },   { 0x0600, 0xffff, "host-bridge" },
		{ 0x0601, 0xffff, "isa-bridge" }, { 0x0604, 0xffff, "pci-bridge" },
		{ 0x0600, 0xff00, "bridge" },    { 0x0800, 0xff00, "system" },
		{ 0x1200, 0xff00, "accelerator" }, { 0x1000, 0xff00, "encryption" },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if ((class_id & kinds[i].mask) == kinds[i].class_id)
			return kinds[i].kind;
	return "other";
}

bool pci_function_is_bridge(const struct pci_function *fn)
{
	return fn->class_id == 0x0600 || fn->class_id == 0x0601 ||
	       fn->class_id == 0x0604 || fn->header_type != 0;
}

bool pci_function_is_display(const struct pci_function *fn)
{
	return (fn->class_id >> 8) == 0x03;
}

bool pci_function_is_boot_display(const struct pci_function *fn)
{
	return fn->boot_vga || fn->drm_boot_display || (fn->boot_vga_absent && fn->framebuffer_bar >= 0);
}

bool pci_function_is_vmd(const struct pci_function *fn)
{
	/* Client (Tiger, Alder, Raptor Lake) and server (Skylake, Ice Lake) VMD. */
	static const uint16_t ids[] = { 0x9a0b, 0x467f, 0xa77f, 0x201d, 0x28c0 };
	size_t i;

	if (fn->vendor != 0x8086 || fn->class_id != 0x0104)
		return false;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (fn->device == ids[i])
			return true;
	return false;
}

bool pci_function_host_needs(const struct pci_function *fn)
{
	uint8_t base = fn->class_id >> 8;

	/* Disks, network, USB (keyboard, disks), SMBus, system peripherals, PSP/TPM. */
	return base == 0x01 || base == 0x02 || base == 0x08 || base == 0x10 ||
	       fn->class_id == 0x0c03 || fn->class_id == 0x0c05 || pci_function_is_boot_display(fn);
}

void pci_function_describe(const struct pci_function *fn, char *buf, size_t size)
{
	snprintf(buf, size, "%s [%04x:%04x] %s", fn->name, fn->vendor, fn->device,
		 pci_class_kind(fn->class_id));
}
