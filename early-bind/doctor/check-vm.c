// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the VM needs of the host beyond the IOMMU: interrupt remapping, or
 * VFIO refuses the group, and KVM, or the VM runs emulated.
 *
 * Interrupt remapping is read from /proc/interrupts, readable by everyone:
 * once the kernel has enabled remapping, every IO-APIC and MSI interrupt
 * goes through a remapping domain, whose chip names start with "IR-"
 * (IR-IO-APIC, IR-PCI-MSI, IR-PCI-MSIX-0000:...), on Intel and AMD alike.
 * The IOMMU's capability registers (intel-iommu/ecap, amd-iommu/features)
 * say only that the hardware could: intremap=off, or firmware opting out,
 * leaves the bit set with remapping off.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor/check.h"
#include "engine/cmdline.h"
#include "engine/modprobe.h"
#include "engine/rootdir.h"
#include "engine/vfiostack.h"

#define INTERRUPTS_MAX (4 << 20)
#define UNSAFE_MODULE "vfio_iommu_type1"
#define UNSAFE_PARAM "allow_unsafe_interrupts"
#define UNSAFE_SYSFS "sys/module/" UNSAFE_MODULE "/parameters/" UNSAFE_PARAM

enum remapping { REMAPPING_UNKNOWN, REMAPPING_OFF, REMAPPING_ON };

/* The chips /proc/interrupts names: any IR- one means remapping is on. */
static enum remapping remapping_in(const char *text)
{
	enum remapping seen = REMAPPING_UNKNOWN;
	const char *p = text;
	size_t len;

	for (; *p; p += len) {
		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		if (len > 3 && strncmp(p, "IR-", 3) == 0)
			return REMAPPING_ON;
		/* The IOMMU's own interrupt (DMAR-MSI, AMD-Vi) is never remapped. */
		if ((len == 7 && strncmp(p, "IO-APIC", 7) == 0) ||
		    (len >= 7 && strncmp(p, "PCI-MSI", 7) == 0))
			seen = REMAPPING_OFF;
	}
	return seen;
}

/* The kernel's bool parameters take y, Y, 1 and on as true. */
static bool param_true(const char *value)
{
	return strchr("yY1", value[0]) || strcmp(value, "on") == 0;
}

/*
 * Whether VFIO is told to accept groups without remapping; SOURCE says
 * where: the next boot's setting first, else the loaded module's.
 */
static bool unsafe_interrupts(struct check *c, char *source, size_t size)
{
	char value[32], from[MODPROBE_SOURCE_MAX];
	bool builtin =
	    c->release[0] && modprobe_builtin(c->ctx->root_fd, c->release, UNSAFE_MODULE);

	if (modprobe_module_param(c->ctx->root_fd, c->cmdline, UNSAFE_MODULE, UNSAFE_PARAM, builtin,
				  value, sizeof(value), from, sizeof(from)) == 1 &&
	    param_true(value)) {
		if (strcmp(from, MODPROBE_CMDLINE) == 0)
			snprintf(source, size,
				 UNSAFE_MODULE "." UNSAFE_PARAM "=%s on the kernel command line",
				 value);
		else
			snprintf(source, size,
				 "options " UNSAFE_MODULE " " UNSAFE_PARAM "=%s in %s", value,
				 from);
		return true;
	}
	if (root_read(c->ctx->root_fd, UNSAFE_SYSFS, value, sizeof(value)) > 0 &&
	    param_true(value)) {
		snprintf(source, size, "/" UNSAFE_SYSFS " is %s now (not set for the next boot)",
			 value);
		return true;
	}
	return false;
}

static const char *remapping_fix(struct check *c)
{
	char value[16];

	if (cmdline_get_last(c->cmdline, "intremap", value, sizeof(value)) == 1 &&
	    strcmp(value, "off") == 0)
		return "remove intremap=off from the kernel command line";
	return check_cpu_vendor(c) == VENDOR_AMD
		   ? "enable IOMMU (AMD-Vi) in the firmware setup"
		   : "enable VT-d in the firmware setup (interrupt remapping is part of it)";
}

/* What allowing unsafe interrupts costs, and when it is acceptable. */
#define UNSAFE_COST                                                                                \
	"a VM's device can then write any MSI message and so inject interrupts into the host (MSI spoofing): acceptable on a single-user workstation with a trusted guest, not on a shared host"

static void remapping_off(struct check *c, bool unsafe, const char *source)
{
	if (unsafe) {
		finding_add(
		    &c->findings, SEVERITY_WARN, "interrupts", NULL,
		    "interrupt remapping is off (no IR- interrupt chip in /proc/interrupts); VFIO takes the groups only because of %s: " UNSAFE_COST,
		    source);
		finding_fix(&c->findings, "for untrusted guests, %s, then drop the option",
			    remapping_fix(c));
		return;
	}
	finding_add(
	    &c->findings, SEVERITY_ERROR, "interrupts", NULL,
	    "interrupt remapping is off (no IR- interrupt chip in /proc/interrupts), and " UNSAFE_MODULE
	    "." UNSAFE_PARAM
	    " is not set: VFIO refuses every group ('No interrupt remapping support' in dmesg), so no VM can start with the card");
	finding_fix(&c->findings,
		    "%s; or accept the risk, as the article does, with " UNSAFE_MODULE
		    "." UNSAFE_PARAM "=1 on the kernel command line (or options " UNSAFE_MODULE
		    " " UNSAFE_PARAM
		    "=1 in /etc/modprobe.d/vfio.conf, then rebuild the initramfs): " UNSAFE_COST,
		    remapping_fix(c));
}

int check_interrupt_remapping(struct check *c)
{
	char source[MODPROBE_SOURCE_MAX + 128], *text = NULL;
	enum remapping state = REMAPPING_UNKNOWN;
	bool unsafe;

	if (!c->iommu_on)
		return 0; /* without groups, the iommu finding says all there is */
	unsafe = unsafe_interrupts(c, source, sizeof(source));
	if (root_read_all(c->ctx->root_fd, "proc/interrupts", INTERRUPTS_MAX, &text) >= 0)
		state = remapping_in(text);
	free(text);
	if (state == REMAPPING_ON) {
		finding_add(
		    &c->findings, SEVERITY_OK, "interrupts", NULL,
		    "interrupt remapping is on (IR- interrupt chips in /proc/interrupts): VFIO accepts the groups%s%s%s",
		    unsafe ? "; " : "", unsafe ? source : "",
		    unsafe ? " changes nothing here" : "");
	} else if (state == REMAPPING_OFF) {
		remapping_off(c, unsafe, source);
	} else {
		finding_add(
		    &c->findings, SEVERITY_WARN, "interrupts", NULL,
		    "cannot tell whether interrupt remapping is on: /proc/interrupts names no interrupt chip; %s%s%s",
		    unsafe ? "VFIO takes the groups either way because of "
			   : "without remapping VFIO refuses the groups, as " UNSAFE_MODULE
			     "." UNSAFE_PARAM " is not set",
		    unsafe ? source : "", unsafe ? ", but if it is off: " UNSAFE_COST : "");
		finding_fix(&c->findings,
			    "look for 'Enabled IRQ remapping' in 'dmesg | grep -i remapping'");
	}
	return 0;
}

/* "kvm_intel" or "kvm_amd" when loaded (or built in), else NULL. */
static const char *kvm_module(int root_fd)
{
	if (root_exists(root_fd, "sys/module/kvm_intel"))
		return "kvm_intel";
	if (root_exists(root_fd, "sys/module/kvm_amd"))
		return "kvm_amd";
	return NULL;
}

static void kvm_missing(struct check *c, const char *module)
{
	enum vendor v = check_cpu_vendor(c);
	const char *want = v == VENDOR_AMD     ? "kvm_amd"
			   : v == VENDOR_INTEL ? "kvm_intel"
					       : "kvm_intel (kvm_amd on AMD)";

	finding_add(
	    &c->findings, SEVERITY_WARN, "kvm", NULL,
	    "no /dev/kvm%s%s%s: QEMU would emulate the CPU in software (TCG), ten or more times slower, and libvirt's (and vagrant-libvirt's) default domain type kvm refuses to start",
	    module ? ", although " : ", and no kvm_intel or kvm_amd is loaded",
	    module ? module : "", module ? " is loaded" : "");
	if (module)
		finding_fix(&c->findings,
			    "see 'dmesg | grep -i kvm'; in a container, pass /dev/kvm in");
	else
		finding_fix(
		    &c->findings,
		    "enable %s in the firmware setup if the cpu finding says it is off, then modprobe %s; to load it at every boot, list it in /etc/modules-load.d/kvm.conf as the article does",
		    v == VENDOR_AMD ? "SVM mode (AMD-V)" : "Intel Virtualization Technology (VT-x)",
		    want);
}

int check_kvm(struct check *c)
{
	const char *module = kvm_module(c->ctx->root_fd);
	char path[PATH_MAX], nested[16] = "";

	if (!root_exists(c->ctx->root_fd, "dev/kvm")) {
		kvm_missing(c, module);
		return 0;
	}
	if (!module) {
		finding_add(&c->findings, SEVERITY_OK, "kvm", NULL,
			    "/dev/kvm is there: VMs run with KVM");
		return 0;
	}
	if (path_format(path, sizeof(path), "sys/module/%s/parameters/nested", module) < 0 ||
	    root_read(c->ctx->root_fd, path, nested, sizeof(nested)) <= 0)
		nested[0] = '\0';
	if (!nested[0])
		finding_add(&c->findings, SEVERITY_OK, "kvm", NULL,
			    "/dev/kvm is there and %s is loaded: VMs run with KVM", module);
	else if (param_true(nested))
		finding_add(
		    &c->findings, SEVERITY_OK, "kvm", NULL,
		    "/dev/kvm is there and %s is loaded: VMs run with KVM; nested virtualisation is on (nested=%s: a guest can run VMs of its own)",
		    module, nested);
	else
		finding_add(
		    &c->findings, SEVERITY_OK, "kvm", NULL,
		    "/dev/kvm is there and %s is loaded: VMs run with KVM; nested virtualisation is off (nested=%s; options %s nested=1 in /etc/modprobe.d if a guest must run VMs)",
		    module, nested, module);
	return 0;
}

int check_vfio_stack(struct check *c)
{
	struct vfio_stack stack;
	char text[320];

	if (!c->release[0]) {
		finding_add(&c->findings, SEVERITY_WARN, "vfio", NULL,
			    "cannot tell the kernel release, so not what it offers a VM for VFIO");
		return 0;
	}
	vfio_stack_read(c->ctx->root_fd, c->release, &stack);
	vfio_stack_describe(&stack, text, sizeof(text));
	if (vfio_stack_usable(&stack)) {
		finding_add(&c->findings, SEVERITY_OK, "vfio", NULL, "%s", text);
		return 0;
	}
	finding_add(&c->findings, SEVERITY_WARN, "vfio", NULL,
		    "%s: vfio-pci can take the card, but no VM can open it", text);
	finding_fix(
	    &c->findings,
	    "install the kernel's vfio_iommu_type1 module (modprobe vfio_iommu_type1), or boot a kernel with iommufd");
	return 0;
}
