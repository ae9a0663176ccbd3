# shellcheck shell=sh disable=SC2034 # SC_* are read by run-matrix.sh
# An image built from an install that lacks the binary (a broken package):
# the build warns, the glue logs the missing binary (systemd its unit's
# failure, on mkcpio-systemd) and the boot goes on.
SC_ABOUT="image without the binary: the build warns, the glue logs it, the boot goes on"
SC_DEVICES="$EB_IOMMU $EB_CARDS"
SC_CMDLINE="vfio.devices=00:03"
# One of the few scenarios on mkcpio-systemd too (run-matrix.sh).
SC_FLAVOURS="$SC_FLAVOURS mkcpio-systemd"
SC_IMAGE="image without the binary still builds"

# sc_image FLAVOUR STAGE IMAGE LOGTAG: from a stage of its own (the hooks
# carry the absolute paths of their stage), made once a run.
sc_image() {
	sc_nobin=$EB_WORK/stage-nobin
	if [ -z "${SC_NOBIN_STAGED:-}" ]; then
		eb_stage "$sc_nobin" || fail "stage: second stage for no-binary"
		rm -f "$sc_nobin/usr/sbin/early-bind"
		SC_NOBIN_STAGED=1
	fi
	eb_build "$1" "$sc_nobin" "$3" with "$4"
}

sc_image_expect() { # LABEL
	if grep -q 'early-bind.*not found' "$EB_BUILD_LOG"; then
		ok "$1: the build warns that the binary is missing"
	else
		fail "$1: the build warns that the binary is missing"
	fi
}

sc_expect() { # LABEL REPORT
	expect_none_on_vfio "$1" "$2"
	expect_native_card "$1" "$2" 03
	case $1 in
	mkcpio-systemd/*)
		# Its unit runs the binary itself (an image of the systemd hook
		# without 'base' has no shell for the glue): systemd says it
		# could not, in the kernel log and as [FAILED] on the console.
		if eb_kmsg "$2" | grep -qF "early-bind.service: Main process exited, code=exited, status=203/EXEC"; then
			ok "$1: systemd logs that the unit could not run the binary"
		else
			fail "$1: systemd logs that the unit could not run the binary (no early-bind.service status=203/EXEC line)"
		fi
		;;
	*)
		expect_eb_line "$1" "$2" "early-bind: error: /usr/sbin/early-bind is missing" \
			"the glue logs the missing binary"
		;;
	esac
}
