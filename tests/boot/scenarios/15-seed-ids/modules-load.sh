#!/bin/sh
# TEST ONLY (tests/boot), never installed: the seed-ids scenario's init-top
# script, ordered before udev.  Loads the article's
# /etc/modules-load.d/vfio-pci.conf list (which no initramfs reads) before
# coldplug, the earliest that recipe could ever act; kvm/kvm_intel are left
# out (no VMX under TCG, and they bind nothing).
PREREQ=""
prereqs() {
	echo "$PREREQ"
}
case $1 in
prereqs)
	prereqs
	exit 0
	;;
esac

for m in vfio vfio_iommu_type1 vfio_pci; do
	modprobe "$m"
done
