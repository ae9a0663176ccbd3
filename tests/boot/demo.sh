#!/bin/sh
# Demo (`make demo`): one initramfs-tools image, one VM with two identical
# 4-function cards (VGA, HDA audio, XHCI USB, 16550 serial) at 00:03 and
# 00:04, booted twice: without vfio.devices= ("before": every function on
# its host driver) and with vfio.devices=00:03 ("after").  Prints a
# before/after table of every PCI function and the binder's log lines.
# Takes about a minute; QEMU logs land in build/boot-logs/demo-*.
# shellcheck disable=SC2086 # the QEMU device lists are split on purpose
set -u

EB_TESTDIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/boot/lib.sh
. "$EB_TESTDIR/lib.sh"

PARAM=${EB_DEMO_PARAM:-vfio.devices=00:03}

for tool in qemu-system-x86_64 mkinitramfs; do
	command -v "$tool" >/dev/null 2>&1 || eb_die "$tool is missing (run tests/setup-debian.sh)"
done
eb_pick_kernel
mkdir -p "$EB_LOGS" "$EB_WORK"

echo "== staging (make install PREFIX=build/boot/stage/usr)"
eb_stage "$EB_WORK/stage" || eb_die "staging failed"
[ -x "$EB_WORK/stage/usr/sbin/early-bind" ] || eb_die "no early-bind binary was staged (run make first)"
echo "== building an initramfs-tools image for $EB_KVER"
IMG=$EB_WORK/demo-itools.img
eb_build itools "$EB_WORK/stage" "$IMG" || eb_die "image build failed (see $EB_BUILD_LOG)"
echo "   $IMG: $(stat -c %s "$IMG") bytes, built in ${EB_BUILD_SECS}s"

BASE=$(eb_flavour_cmdline itools)
echo "== boot 1 (before): $BASE"
eb_boot "$IMG" demo-before "$BASE" $EB_IOMMU $EB_CARDS
eb_report_complete "$EB_LOGS/demo-before.report" ||
	eb_die "boot 1 did not complete (see $EB_LOGS/demo-before.console)"
echo "   done in ${EB_BOOT_SECS}s"
echo "== boot 2 (after):  $BASE $PARAM"
eb_boot "$IMG" demo-after "$BASE $PARAM" $EB_IOMMU $EB_CARDS
eb_report_complete "$EB_LOGS/demo-after.report" ||
	eb_die "boot 2 did not complete (see $EB_LOGS/demo-after.console)"
echo "   done in ${EB_BOOT_SECS}s"

class_name() {
	case $1 in
	0300*) echo VGA ;;
	0403*) echo audio ;;
	0c03*) echo USB ;;
	0700*) echo serial ;;
	0600*) echo host-bridge ;;
	0601*) echo ISA-bridge ;;
	0106*) echo SATA ;;
	0c05*) echo SMBus ;;
	*) echo "$1" ;;
	esac
}

echo
echo "PCI functions, driver after udev coldplug (native drivers are in the image):"
echo
printf '%-13s %-10s %-12s %-14s %-14s %s\n' FUNCTION ID CLASS BEFORE AFTER GROUP
awk '$1 == "EBT" && $2 == "pci" { print $3, $4, $5, $6, $7 }' "$EB_LOGS/demo-before.report" |
	while read -r addr id cls drv grp; do
		after=$(eb_driver "$EB_LOGS/demo-after.report" "$addr")
		mark=""
		[ "$after" != "$drv" ] && mark="  <-- changed"
		printf '%-13s %-10s %-12s %-14s %-14s %s%s\n' "$addr" "$id" \
			"$(class_name "$(printf '%s' "$cls" | cut -c1-4)")" "$drv" "${after:-?}" "$grp" "$mark"
	done
echo
echo "vfio module loaded: before $(sed -n 's/^EBT vfio-module //p' "$EB_LOGS/demo-before.report"), after $(sed -n 's/^EBT vfio-module //p' "$EB_LOGS/demo-after.report")"
echo
echo "early-bind: lines in the kernel log of boot 2 (with kernel timestamps):"
eb_kmsg "$EB_LOGS/demo-after.report" | grep 'early-bind: ' | sed 's/^/  /'
echo
echo "early-bind: lines in the kernel log of boot 1: $(eb_kmsg "$EB_LOGS/demo-before.report" | grep -c 'early-bind: ')"
echo
echo "'early-bind status' in the guest of boot 2:"
sed -n 's/^.*EBC out status-boot /  /p' "$EB_LOGS/demo-after.report" | sed 's/ *$//'
echo
echo "(full logs: $EB_LOGS/demo-before.* and demo-after.*)"
