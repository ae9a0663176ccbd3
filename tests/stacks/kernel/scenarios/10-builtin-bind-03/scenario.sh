# shellcheck shell=sh disable=SC2034 # SC_* are read by run-matrix.sh
# bind-03 on the Ubuntu-like kernel (tests/stacks/kernel): vfio, vfio-pci,
# vfio_iommu_type1 and iommufd are built in, so the card at 00:03 goes to
# vfio-pci without any module being loaded, 00:04 keeps its drivers, and
# every bound function gets its VFIO device file (/dev/vfio/devices/vfioN).
SC_ABOUT="built-in vfio-pci: card at 00:03 to vfio-pci, no module loaded, device files"
SC_DEVICES="$EB_IOMMU $EB_CARDS"
# no_timer_check: this kernel runs at HZ=1000 (defconfig, and Ubuntu's), and
# under TCG on a loaded host the IO-APIC timer check (10 ms) can panic
# ("timer doesn't work through Interrupt-remapped IO-APIC").
SC_CMDLINE="vfio.devices=00:03 no_timer_check"

# expect_builtin_vfio LABEL REPORT: nothing of VFIO is a loaded module, and
# early-bind says so instead of loading one.
expect_builtin_vfio() {
	for sc_m in vfio vfio_pci vfio_iommu_type1 iommufd; do
		expect_module_state "$1" "$2" "$sc_m" builtin
	done
	expect_eb_line "$1" "$2" "early-bind: vfio-pci is built into the kernel" \
		"early-bind says vfio-pci is built in"
	expect_no_eb_line "$1" "$2" "loaded vfio-pci with|loading module|could not load module" \
		"early-bind loaded no module"
}

# expect_status_cdev LABEL REPORT SLOT: every function of 00:SLOT has a VFIO
# device file, and `early-bind status` in the guest names it on its row.
expect_status_cdev() {
	for sc_f in 0 1 2 3; do
		sc_a=0000:00:$3.$sc_f
		expect_vfio_cdev "$1" "$2" "$sc_a" || continue
		[ -n "$EB_CDEV" ] || continue
		if sed -n 's/^EBC out status-boot //p' "$2" | grep -F "$sc_a" |
			grep -qF "/dev/vfio/devices/$EB_CDEV"; then
			ok "$1: status names $sc_a's /dev/vfio/devices/$EB_CDEV"
		else
			fail "$1: status names $sc_a's /dev/vfio/devices/$EB_CDEV"
		fi
	done
}

# expect_ubuntu_dracut LABEL: a dracut image (check.sh: Ubuntu-like late
# drop-in, no -N/-H) was built host-only as Ubuntu's configuration says,
# and early-bind ships no dracut drop-in that would have to sort after it.
expect_ubuntu_dracut() {
	case $1 in
	dsystemd/* | dclassic/*) ;;
	*) return 0 ;;
	esac
	[ -n "${EB_DRACUT_CONF_D:-}" ] || return 0
	# 99-ebtest-probe.conf, sourced last, logs what the drop-ins decided;
	# nothing on dracut's command line overrides it.
	sc_log=$EB_LOGS/build-${1%%/*}-with.log
	if grep -q '^ebtest-dracut-conf: hostonly=yes hostonly_mode=sloppy$' "$sc_log" &&
		! grep '^dracut: Executing:' "$sc_log" | grep -qE ' (-N|-H|--no-hostonly|--hostonly) '; then
		ok "$1: image built host-only (sloppy), as the Ubuntu-like late drop-in says"
	else
		fail "$1: image built host-only (sloppy), as the Ubuntu-like late drop-in says (see $sc_log)"
	fi
	sc_dropins=$(find "$STAGE" -path '*dracut.conf.d/*' 2>/dev/null)
	if [ -z "$sc_dropins" ]; then
		ok "$1: early-bind installs no dracut.conf.d drop-in (none to order after Ubuntu's)"
	else
		fail "$1: early-bind installs no dracut.conf.d drop-in (found: $sc_dropins)"
	fi
}

sc_expect() { # LABEL REPORT
	expect_ubuntu_dracut "$1"
	expect_card_vfio "$1" "$2" 03
	expect_native_card "$1" "$2" 04
	expect_no_unknown_param "$1" "$2"
	expect_builtin_vfio "$1" "$2"
	expect_eb_line "$1" "$2" "0000:00:03.3 [1b36:0002] serial: serial -> vfio-pci" \
		"03.3 taken from the built-in serial driver"
	expect_eb_line "$1" "$2" "0000:00:03.1 [8086:293e] audio: no driver -> vfio-pci" \
		"03.1 bound before udev loaded snd_hda_intel"
	expect_no_eb_line "$1" "$2" "^early-bind: error:" "no early-bind: error line"
	expect_status_cdev "$1" "$2" 03
	expect_guest_commands "$1" "$2" 0000:00:03.0=bochs-drm \
		0000:00:03.1=snd_hda_intel 0000:00:03.2=xhci_hcd 0000:00:03.3=serial
}
