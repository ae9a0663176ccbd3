# shellcheck shell=sh disable=SC2034 # SC_* are read by run-matrix.sh
# vfio.devices= only in the image's /etc/cmdline.d, not on the kernel's
# command line: dracut's getarg reads both, and so must the binder.
SC_ABOUT="dracut only: vfio.devices= only in the image's /etc/cmdline.d"
SC_FLAVOURS="dsystemd dclassic"
SC_SKIP="initramfs-tools has no /etc/cmdline.d"
SC_DEVICES="$EB_IOMMU $EB_CARDS"
SC_CMDLINE=""
SC_IMAGE="image with vfio.devices= in /etc/cmdline.d builds"

# --kernel-cmdline writes /etc/cmdline.d/01-default.conf.
sc_image() { # FLAVOUR STAGE IMAGE LOGTAG
	EB_DRACUT_ARGS="--kernel-cmdline vfio.devices=00:03" eb_build "$1" "$2" "$3" with "$4"
}

sc_expect() { # LABEL REPORT
	expect_card_vfio "$1" "$2" 03
	expect_native_card "$1" "$2" 04
	if grep -q '^EBT cmdline .*vfio.devices' "$2"; then
		fail "$1: vfio.devices= absent from /proc/cmdline (test setup)"
	else
		ok "$1: vfio.devices= absent from /proc/cmdline, read from /etc/cmdline.d"
	fi
	expect_guest_commands "$1" "$2"
}
