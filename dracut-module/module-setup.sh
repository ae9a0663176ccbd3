#!/bin/bash
# shellcheck shell=bash
# dracut module "early-bind": binds the PCI functions named by vfio.devices= to
# vfio-pci from a pre-udev hook, before udev coldplug loads native drivers.
# Sourced by dracut (bash); inst_*, instmods, dwarn, $moddir and $hostonly
# come from dracut-init.sh.  @SBINDIR@ and @PKGLIBDIR@ are substituted at
# `make install` time.

# called by dracut
check() {
	# Include by default whenever the binary is installed, so a plain
	# `dracut -f` picks the module up.  Without it, include only on request
	# (-m/-a early-bind, 255); the glue then logs the missing binary at boot.
	[ -x @SBINDIR@/early-bind ] && return 0
	return 255
}

# called by dracut
depends() {
	# Nothing: the hook needs only the shell and dracut-lib, which base (always
	# present) provides, and works with both the classic and the systemd init.
	return 0
}

# called by dracut
installkernel() {
	# hostonly='' because in host-only mode instmods keeps only modules that
	# are loaded or match a device on the build host, and vfio-pci matches no
	# device until it is asked to.  Softdeps (vfio_iommu_type1) come along;
	# the explicit list keeps the image complete if a kernel drops one.
	hostonly='' instmods vfio-pci vfio vfio_pci_core vfio_iommu_type1 irqbypass
}

# called by dracut
install() {
	if [ -x @SBINDIR@/early-bind ]; then
		# Static, so inst_binary copies it alone; fixed path in the image.
		inst_binary @SBINDIR@/early-bind /usr/sbin/early-bind
	else
		dwarn "early-bind: @SBINDIR@/early-bind not found, vfio.devices= will not work in this initramfs"
	fi
	inst_simple @PKGLIBDIR@/early-bind-boot.sh /usr/lib/early-bind/early-bind-boot.sh
	# pre-udev runs before udevd starts in both inits: classic init.sh sources
	# it directly, the systemd initrd from dracut-pre-udev.service, which is
	# ordered Before=systemd-udevd.service and dracut-pre-trigger.service.
	# shellcheck disable=SC2154 # $moddir is set by dracut
	inst_hook pre-udev 20 "$moddir/early-bind-pre-udev.sh"
}
