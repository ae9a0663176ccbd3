# shellcheck shell=sh disable=SC2034 # SC_* are read by run-matrix.sh
# A real QEMU inside the guest takes what early-bind bound, with exactly
# the arguments `early-bind snippet --format qemu` printed there
# (tests/boot/nested-vm.sh, in a test-only image with QEMU).
#
# Interrupt remapping: the guest's vIOMMU has it (intremap=on), so
# vfio_iommu_type1 accepts the groups as it does on the article's machine
# once the IOMMU is on.  The article's vfio_iommu_type1.allow_unsafe_interrupts=1
# would let a device forge MSIs into any interrupt of the host; setting it
# here would also hide the check a real client makes when it attaches a
# group, the very thing this scenario is here to exercise.
#
# The shared-group topology (EB_BRIDGED, as in the bridged scenario) rides
# along in the same boot: 01:00's group holds only what was bound (QEMU
# must open it), 02:01's holds 02:02.0 on its host driver (QEMU must refuse
# it); `early-bind check --json` must say the same of both.
SC_ABOUT="a nested QEMU takes 00:03 from snippet --format qemu, refuses 00:04 and 02:01, agrees with check"
SC_FLAVOURS="itools dsystemd"
SC_SKIP="QEMU in the image makes each boot slow; one image per builder is enough"
SC_DEVICES="$EB_IOMMU $EB_CARDS $EB_BRIDGED"
SC_CMDLINE="vfio.devices=00:03,01:00,02:01 ebtest.nested=00:03,00:04.0,01:00,02:01"
# The image grows by QEMU (~50 MB unpacked), and the nested machine pins
# its 64 MiB of RAM for DMA.
SC_MEM=1536
SC_IMAGE="image with QEMU builds"

sc_image() { # FLAVOUR STAGE IMAGE LOGTAG
	EB_ITOOLS_ADD="$EB_TESTDIR/initramfs-tools/hooks/zz-ebtest-qemu=hooks/zz-ebtest-qemu" \
		EB_DRACUT_MODULES=ebqemu eb_build "$1" "$2" "$3" with "$4"
}

# nested_lines REPORT KIND ENTRY: the nested VM's records of that kind.
nested_lines() {
	sed -n "s/^EBN $2 $3 //p" "$1"
}

# The card's functions as the nested machine must hold them: behind the
# snippet's root port, at 00.F, with the IDs the guest's sysfs shows.
expect_nested_card() { # LABEL REPORT
	en_port=$(nested_lines "$2" snippet 00:03 | sed -n 's/.*pcie-root-port,id=\([^,]*\),.*/\1/p')
	if [ -n "$en_port" ] && nested_lines "$2" port 00:03 | grep -qx "id=$en_port bus=pcie.0"; then
		ok "$1: nested machine has the snippet's root port $en_port on pcie.0"
	else
		fail "$1: nested machine has the snippet's root port '$en_port' on pcie.0 ($(nested_lines "$2" port 00:03))"
	fi
	en_want="" en_mf=true
	for en_f in 0 1 2 3; do
		en_want="${en_want}host=0000:00:03.$en_f bus=$en_port addr=00.$en_f multifunction=$en_mf id=$(eb_pci_field "$2" "0000:00:03.$en_f" 4)
"
		en_mf=false
	done
	en_got=$(nested_lines "$2" dev 00:03 | sort | tr '\n' ';')
	en_want=$(printf '%s' "$en_want" | sort | tr '\n' ';')
	if [ "$en_got" = "$en_want" ]; then
		ok "$1: nested QEMU holds 00:03.0-3 as one multifunction device behind $en_port, IDs read through VFIO = sysfs"
	else
		fail "$1: nested QEMU holds 00:03.0-3 as one multifunction device behind $en_port (want: $en_want got: $en_got)"
	fi
	nested_lines "$2" dev 00:03 | while IFS= read -r en_l; do note "$1: nested device: $en_l"; done
}

# expect_nested_rc LABEL REPORT ENTRY opens|refuses [REASON]; REASON is an
# extended regular expression over QEMU's stderr (the wording differs
# between QEMU versions).
expect_nested_rc() {
	er_rc=$(nested_lines "$2" rc "$3")
	er_err=$(nested_lines "$2" err "$3" | head -n 3 | tr '\n' ' ')
	if [ "$4" = opens ] && [ "$er_rc" = 0 ]; then
		ok "$1: nested QEMU opens $3"
	elif [ "$4" = refuses ] && [ -n "$er_rc" ] && [ "$er_rc" != 0 ] &&
		nested_lines "$2" err "$3" | grep -qE -- "$5"; then
		ok "$1: nested QEMU refuses $3: $er_err"
	else
		fail "$1: nested QEMU $4 $3${5:+ ($5)} (status '${er_rc:-none}', stderr: $er_err)"
	fi
}

# expect_check_agrees LABEL REPORT ENTRY SLOT: check's group verdict on SLOT
# and QEMU's outcome on ENTRY are the same.
expect_check_agrees() {
	sed -n 's/^EBN check-json //p' "$2" >"$EB_WORK/nested-check.json"
	ec_verdict=$(python3 "$EB_TESTDIR/check-verdict.py" "$EB_WORK/nested-check.json" "$4")
	# Only VFIO's refusal counts: QEMU failing for another reason proves
	# nothing about the group.
	ec_qemu="failed for another reason"
	if [ "$(nested_lines "$2" rc "$3")" = 0 ]; then
		ec_qemu=opened
	elif nested_lines "$2" err "$3" | grep -q 'vfio'; then
		ec_qemu=refused
	fi
	case $ec_verdict/$ec_qemu in
	viable/opened | not-viable/refused) ok "$1: check says $4's group is $ec_verdict, QEMU $ec_qemu it" ;;
	*) fail "$1: check says $4's group is $ec_verdict, QEMU $ec_qemu it (a bug in check)" ;;
	esac
}

sc_expect() { # LABEL REPORT
	expect_card_vfio "$1" "$2" 03
	expect_native_card "$1" "$2" 04
	expect_nested_rc "$1" "$2" 00:03 opens
	expect_nested_card "$1" "$2"
	# Nothing of 00:04's group is on vfio-pci, so the group has no
	# /dev/vfio node at all; the snippet said so before QEMU ran.
	if nested_lines "$2" snippet-err 00:04.0 | grep -qF "not on vfio-pci yet: 0000:00:04.0 (bochs-drm)"; then
		ok "$1: snippet warns that 0000:00:04.0 is not on vfio-pci"
	else
		fail "$1: snippet warns that 0000:00:04.0 is not on vfio-pci ($(nested_lines "$2" snippet-err 00:04.0))"
	fi
	# QEMU 7.2 (Debian 12): "failed to open /dev/vfio/N"; QEMU 10 (13 on):
	# "Could not open '/dev/vfio/N'".
	expect_nested_rc "$1" "$2" 00:04.0 refuses "vfio 0000:00:04\\.0: (failed to open |Could not open ')/dev/vfio/[0-9]"
	expect_nested_rc "$1" "$2" 01:00 opens
	expect_nested_rc "$1" "$2" 02:01 refuses "vfio 0000:02:01.0: group $(eb_pci_field "$2" 0000:02:01.0 7) is not viable"
	expect_check_agrees "$1" "$2" 01:00 0000:01:00
	expect_check_agrees "$1" "$2" 02:01 0000:02:01
	expect_guest_commands "$1" "$2"
}
