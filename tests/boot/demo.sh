#!/bin/sh
# Demo (`make demo`): one initramfs-tools image, one VM with two identical
# 4-function cards (VGA, HDA audio, XHCI USB, 16550 serial) at 00:03 and
# 00:04, booted twice: without vfio.devices= ("before": every function on
# its host driver) and with vfio.devices=00:03 ("after").  Prints a
# before/after table of every PCI function and the binder's log lines.
# Takes about a minute; QEMU logs land in build/boot-logs/demo-*.
set -u

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

# build_image: the staged install in one initramfs-tools image (IMG).
build_image() {
	for bi_tool in qemu-system-x86_64 mkinitramfs; do
		command -v "$bi_tool" >/dev/null 2>&1 || eb_die "$bi_tool is missing (run tests/setup-debian.sh)"
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
}

# demo_boot N NAME CMDLINE: boot N of the demo, with the test cards.
demo_boot() {
	printf '== boot %s %-9s %s\n' "$1" "($2):" "$3"
	# shellcheck disable=SC2086 # the QEMU device lists are split on purpose
	eb_boot "$IMG" "demo-$2" "$3" $EB_IOMMU $EB_CARDS
	eb_report_complete "$EB_LOGS/demo-$2.report" ||
		eb_die "boot $1 did not complete (see $EB_LOGS/demo-$2.console)"
	echo "   done in ${EB_BOOT_SECS}s"
}

# driver_table BEFORE AFTER: every PCI function, its driver in each report.
driver_table() {
	printf '%-13s %-10s %-12s %-14s %-14s %s\n' FUNCTION ID CLASS BEFORE AFTER GROUP
	awk '$1 == "EBT" && $2 == "pci" { print $3, $4, $5, $6, $7 }' "$1" |
		while read -r addr id cls drv grp; do
			after=$(eb_driver "$2" "$addr")
			mark=""
			[ "$after" != "$drv" ] && mark="  <-- changed"
			printf '%-13s %-10s %-12s %-14s %-14s %s%s\n' "$addr" "$id" \
				"$(class_name "$(printf '%s' "$cls" | cut -c1-4)")" "$drv" "${after:-?}" "$grp" "$mark"
		done
}

# summary BEFORE AFTER: the table, the vfio module, the binder's lines and
# what `early-bind status` said in the guest.
summary() {
	echo
	echo "PCI functions, driver after udev coldplug (native drivers are in the image):"
	echo
	driver_table "$1" "$2"
	echo
	echo "vfio module loaded: before $(sed -n 's/^EBT vfio-module //p' "$1"), after $(sed -n 's/^EBT vfio-module //p' "$2")"
	echo
	echo "early-bind: lines in the kernel log of boot 2 (with kernel timestamps):"
	eb_kmsg "$2" | grep 'early-bind: ' | sed 's/^/  /'
	echo
	echo "early-bind: lines in the kernel log of boot 1: $(eb_kmsg "$1" | grep -c 'early-bind: ')"
	echo
	echo "'early-bind status' in the guest of boot 2:"
	sed -n 's/^.*EBC out status-boot /  /p' "$2" | sed 's/ *$//'
	echo
	echo "(full logs: $EB_LOGS/demo-before.* and demo-after.*)"
}

main() {
	EB_TESTDIR=$(cd "$(dirname "$0")" && pwd)
	# shellcheck source=tests/boot/lib.sh
	. "$EB_TESTDIR/lib.sh"
	# shellcheck source=tests/boot/qemu.sh
	. "$EB_TESTDIR/qemu.sh"
	build_image
	m_base=$(eb_flavour_cmdline itools)
	demo_boot 1 before "$m_base"
	demo_boot 2 after "$m_base ${EB_DEMO_PARAM:-vfio.devices=00:03}"
	summary "$EB_LOGS/demo-before.report" "$EB_LOGS/demo-after.report"
}

main "$@"
