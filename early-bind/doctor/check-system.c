// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The firmware half of the checklist: CPU virtualisation, the IOMMU and
 * Secure Boot, read from what the kernel shows (cpuinfo, sysfs, efivars).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor/check.h"
#include "engine/cmdline.h"
#include "engine/rootdir.h"

#define CPUINFO_MAX (4 << 20)
#define EFI_GLOBAL "8be4df61-93ca-11d2-aa0d-00e098032b8c"

/* The value of "KEY<tabs>: value" on the first CPU, copied into BUF. */
static bool cpuinfo_field(const char *cpuinfo, const char *key, char *buf, size_t size)
{
	const char *p = cpuinfo;
	size_t len = strlen(key);

	for (; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		if (strncmp(p, key, len) != 0 || (p[len] != '\t' && p[len] != ' ' && p[len] != ':'))
			continue;
		p = strchr(p, ':');
		if (!p)
			return false;
		p += 1 + (p[1] == ' ');
		snprintf(buf, size, "%.*s", (int)strcspn(p, "\n"), p);
		return true;
	}
	return false;
}

static bool has_word(const char *list, const char *word)
{
	size_t len = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0'))
			return true;
		p += len;
	}
	return false;
}

static enum vendor cpu_vendor(const char *cpuinfo)
{
	char vendor[32] = "";

	cpuinfo_field(cpuinfo, "vendor_id", vendor, sizeof(vendor));
	if (strcmp(vendor, "GenuineIntel") == 0)
		return VENDOR_INTEL;
	if (strcmp(vendor, "AuthenticAMD") == 0)
		return VENDOR_AMD;
	return VENDOR_OTHER;
}

enum vendor check_cpu_vendor(struct check *c)
{
	char *cpuinfo;
	enum vendor v;

	if (root_read_all(c->ctx->root_fd, "proc/cpuinfo", CPUINFO_MAX, &cpuinfo) < 0)
		return VENDOR_OTHER;
	v = cpu_vendor(cpuinfo);
	free(cpuinfo);
	return v;
}

int check_cpu(struct check *c)
{
	char flags[8192];
	char *cpuinfo;
	enum vendor v;

	if (root_read_all(c->ctx->root_fd, "proc/cpuinfo", CPUINFO_MAX, &cpuinfo) < 0) {
		finding_add(&c->findings, SEVERITY_WARN, "cpu", NULL, "cannot read /proc/cpuinfo");
		return 0;
	}
	v = cpu_vendor(cpuinfo);
	if (!cpuinfo_field(cpuinfo, "flags", flags, sizeof(flags)))
		flags[0] = '\0';
	free(cpuinfo);
	if (has_word(flags, "vmx")) {
		finding_add(&c->findings, SEVERITY_OK, "cpu", NULL, "Intel VT-x is on (vmx)");
	} else if (has_word(flags, "svm")) {
		finding_add(&c->findings, SEVERITY_OK, "cpu", NULL, "AMD-V is on (svm)");
	} else {
		finding_add(
		    &c->findings, SEVERITY_ERROR, "cpu", NULL,
		    "the CPU shows no vmx or svm flag: virtualisation is off in the firmware, so KVM cannot run the VM%s",
		    has_word(flags, "hypervisor")
			? " (this machine is itself a VM: it needs nested virtualisation)"
			: "");
		finding_fix(&c->findings, "enable %s in the firmware (BIOS/UEFI) setup",
			    v == VENDOR_INTEL ? "Intel Virtualization Technology (VT-x)"
			    : v == VENDOR_AMD
				? "SVM mode (AMD-V)"
				: "Intel Virtualization Technology (VT-x) or SVM mode (AMD-V)");
	}
	return 0;
}

/* "Intel VT-d" when a DMAR unit is registered, "AMD-Vi" for an IVHD one. */
static const char *iommu_kind(int root_fd)
{
	DIR *dir = root_opendir(root_fd, "sys/class/iommu");
	const char *kind = "an IOMMU";
	struct dirent *de;

	if (!dir)
		return kind;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "dmar", 4) == 0)
			kind = "Intel VT-d";
		else if (strncmp(de->d_name, "ivhd", 4) == 0)
			kind = "AMD-Vi";
		else if (strncmp(de->d_name, "virtio", 6) == 0)
			kind = "virtio-iommu";
	}
	closedir(dir);
	return kind;
}

/* Number of IOMMU groups, and the default domain type of the first one. */
static int count_groups(int root_fd, char *type, size_t size)
{
	char path[PATH_MAX];
	DIR *dir = root_opendir(root_fd, "sys/kernel/iommu_groups");
	struct dirent *de;
	int n = 0;

	type[0] = '\0';
	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		if (n++ == 0 && path_format(path, sizeof(path), "sys/kernel/iommu_groups/%s/type",
					    de->d_name) == 0)
			root_read(root_fd, path, type, size);
	}
	closedir(dir);
	return n;
}

static void iommu_off(struct check *c)
{
	enum vendor v = check_cpu_vendor(c);
	const char *key = v == VENDOR_AMD ? "amd_iommu" : "intel_iommu";
	char value[32];
	bool off = cmdline_get_last(c->cmdline, key, value, sizeof(value)) == 1 &&
		   strcmp(value, "off") == 0;

	finding_add(&c->findings, SEVERITY_ERROR, "iommu", NULL,
		    "the IOMMU is off: no IOMMU groups, so vfio-pci can take no device%s%s%s",
		    off ? " (the command line has " : "", off ? key : "", off ? "=off)" : "");
	if (off)
		finding_fix(
		    &c->findings,
		    "remove %s=off from the kernel command line (/etc/default/grub, then update-grub)",
		    key);
	else if (v == VENDOR_AMD)
		finding_fix(&c->findings, "enable IOMMU (AMD-Vi) in the firmware setup");
	else
		finding_fix(
		    &c->findings,
		    "enable VT-d (Intel Virtualization Technology for Directed I/O) in the firmware setup and add intel_iommu=on to the kernel command line (GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, then update-grub)");
}

int check_iommu(struct check *c)
{
	char type[32];
	int groups = count_groups(c->ctx->root_fd, type, sizeof(type));

	c->iommu_on = groups > 0;
	if (groups == 0) {
		iommu_off(c);
		return 0;
	}
	finding_add(&c->findings, SEVERITY_OK, "iommu", NULL,
		    "%s is on: %d IOMMU groups, default domain type %s%s",
		    iommu_kind(c->ctx->root_fd), groups, type[0] ? type : "unknown",
		    strcmp(type, "identity") == 0 ? " (iommu=pt)" : "");
	return 0;
}

int check_secure_boot(struct check *c)
{
	unsigned char value[16];
	int n;

	if (!root_exists(c->ctx->root_fd, "sys/firmware/efi")) {
		finding_add(&c->findings, SEVERITY_OK, "secureboot", NULL,
			    "legacy BIOS boot: no Secure Boot");
		return 0;
	}
	/* efivarfs: 4 bytes of attributes, then the 1-byte value. */
	n = root_read(c->ctx->root_fd, "sys/firmware/efi/efivars/SecureBoot-" EFI_GLOBAL,
		      (char *)value, sizeof(value));
	if (n == -ENOENT && root_dir_has_entries(c->ctx->root_fd, "sys/firmware/efi/efivars") > 0) {
		finding_add(&c->findings, SEVERITY_OK, "secureboot", NULL,
			    "UEFI boot without a SecureBoot variable: Secure Boot is not in use");
	} else if (n < 5) {
		finding_add(
		    &c->findings, SEVERITY_WARN, "secureboot", NULL,
		    "UEFI boot, but the SecureBoot variable cannot be read (%s), so its state is unknown",
		    n < 0 ? strerror(-n) : "too short");
		finding_fix(
		    &c->findings,
		    "mount efivarfs (mount -t efivarfs efivarfs /sys/firmware/efi/efivars) or run 'mokutil --sb-state'");
	} else if (value[4] == 1) {
		finding_add(
		    &c->findings, SEVERITY_WARN, "secureboot", NULL,
		    "Secure Boot is on: the kernel loads only signed modules; early-bind and the distribution's vfio modules are fine, out-of-tree ones (vendor-reset, NVIDIA's driver) are refused unless signed");
		finding_fix(
		    &c->findings,
		    "sign such modules with an enrolled key (mokutil, DKMS) or disable Secure Boot in the firmware setup");
	} else {
		finding_add(&c->findings, SEVERITY_OK, "secureboot", NULL, "Secure Boot is off");
	}
	return 0;
}
