// SPDX-License-Identifier: GPL-2.0-or-later
/* Pure helpers on PCI class codes, kept apart from libpci for the unit tests. */
#include "engine/pcidev.h"

#include <stdio.h>

/* A row that matches one class, or every class of a base class. */
#define CLASS(c) (c), 0xffff
#define BASE(b) (b) << 8, 0xff00

const char *pci_class_kind(uint16_t class_id)
{
	static const struct {
		uint16_t class_id;
		uint16_t mask;
		const char *kind;
	} kinds[] = {
		/* The first that matches: a class before its base class. */
		{ CLASS(PCI_CLASS_DISPLAY_VGA), "vga" },
		{ BASE(PCI_BASE_CLASS_DISPLAY), "display" },
		{ CLASS(PCI_CLASS_MULTIMEDIA_AUDIO_DEV), "audio" },
		{ BASE(PCI_BASE_CLASS_MULTIMEDIA), "multimedia" },
		{ CLASS(PCI_CLASS_SERIAL_USB), "usb" },
		{ CLASS(CLASS_SERIAL_OTHER), "serial-bus" },
		{ BASE(PCI_BASE_CLASS_SERIAL), "serial-bus" },
		{ CLASS(PCI_CLASS_COMMUNICATION_SERIAL), "serial" },
		{ BASE(PCI_BASE_CLASS_COMMUNICATION), "communication" },
		{ CLASS(CLASS_STORAGE_NVM), "nvme" },
		{ CLASS(PCI_CLASS_STORAGE_SATA), "sata" },
		{ BASE(PCI_BASE_CLASS_STORAGE), "storage" },
		{ BASE(PCI_BASE_CLASS_NETWORK), "network" },
		{ CLASS(PCI_CLASS_BRIDGE_HOST), "host-bridge" },
		{ CLASS(PCI_CLASS_BRIDGE_ISA), "isa-bridge" },
		{ CLASS(PCI_CLASS_BRIDGE_PCI), "pci-bridge" },
		{ BASE(PCI_BASE_CLASS_BRIDGE), "bridge" },
		{ BASE(PCI_BASE_CLASS_SYSTEM), "system" },
		{ BASE(BASE_CLASS_ACCELERATOR), "accelerator" },
		{ BASE(PCI_BASE_CLASS_CRYPT), "encryption" },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if ((class_id & kinds[i].mask) == kinds[i].class_id)
			return kinds[i].kind;
	return "other";
}

bool pci_function_is_bridge(const struct pci_function *fn)
{
	return fn->class_id == PCI_CLASS_BRIDGE_HOST || fn->class_id == PCI_CLASS_BRIDGE_ISA ||
	       fn->class_id == PCI_CLASS_BRIDGE_PCI || fn->header_type != 0;
}

bool pci_function_is_display(const struct pci_function *fn)
{
	return pci_base_class(fn->class_id) == PCI_BASE_CLASS_DISPLAY;
}

bool pci_function_is_boot_display(const struct pci_function *fn)
{
	return fn->boot_vga || fn->drm_boot_display ||
	       (fn->boot_vga_absent && fn->framebuffer_bar >= 0);
}

bool pci_function_is_vmd(const struct pci_function *fn)
{
	/* Client (Tiger, Alder, Raptor Lake) and server (Skylake, Ice Lake) VMD. */
	static const uint16_t ids[] = { 0x9a0b, 0x467f, 0xa77f, 0x201d, 0x28c0 };
	size_t i;

	if (fn->vendor != 0x8086 || fn->class_id != PCI_CLASS_STORAGE_RAID)
		return false;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (fn->device == ids[i])
			return true;
	return false;
}

bool pci_function_host_needs(const struct pci_function *fn)
{
	uint8_t base = pci_base_class(fn->class_id);

	/* Disks, network, USB (keyboard, disks), SMBus, system peripherals, PSP/TPM. */
	return base == PCI_BASE_CLASS_STORAGE || base == PCI_BASE_CLASS_NETWORK ||
	       base == PCI_BASE_CLASS_SYSTEM || base == PCI_BASE_CLASS_CRYPT ||
	       fn->class_id == PCI_CLASS_SERIAL_USB || fn->class_id == PCI_CLASS_SERIAL_SMBUS ||
	       pci_function_is_boot_display(fn);
}

void pci_function_describe(const struct pci_function *fn, char *buf, size_t size)
{
	snprintf(buf, size, "%s [%04x:%04x] %s", fn->name, fn->vendor, fn->device,
		 pci_class_kind(fn->class_id));
}

const char *driver_text(const char *driver)
{
	return driver[0] ? driver : "no driver";
}
