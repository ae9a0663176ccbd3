# shellcheck shell=sh disable=SC2034 # SC_* are read by run-matrix.sh
# The card at 00:03 goes to vfio-pci, all four functions, before udev
# coldplug can load their drivers; the identical card at 00:04 keeps its own.
SC_ABOUT="card at 00:03 to vfio-pci, 00:04 keeps its drivers"
SC_DEVICES="$EB_IOMMU $EB_CARDS"
SC_CMDLINE="vfio.devices=00:03"
# One of the few scenarios on mkcpio-systemd too (run-matrix.sh).
SC_FLAVOURS="$SC_FLAVOURS mkcpio-systemd"

sc_expect() { # LABEL REPORT
	expect_card_vfio "$1" "$2" 03
	expect_native_card "$1" "$2" 04
	expect_no_unknown_param "$1" "$2"
	expect_vfio_module "$1" "$2" yes
	# The card's own IOMMU group, not shared with the host's card.
	sc_g3=$(eb_pci_field "$2" 0000:00:03.0 7)
	sc_g4=$(eb_pci_field "$2" 0000:00:04.0 7)
	sc_gs=$(for sc_f in 0 1 2 3; do eb_pci_field "$2" "0000:00:03.$sc_f" 7; done | sort -u | tr '\n' ' ')
	if [ "$sc_gs" = "$sc_g3 " ] && [ "$sc_g3" != none ] && [ "$sc_g3" != "$sc_g4" ]; then
		ok "$1: 00:03.0-3 share IOMMU group $sc_g3, 00:04 is in group $sc_g4"
	else
		fail "$1: 00:03.0-3 share one IOMMU group apart from 00:04 (03: $sc_gs, 04: $sc_g4)"
	fi
	# Taken from the built-in serial driver, which bound before the
	# initramfs started.
	expect_eb_line "$1" "$2" "0000:00:03.3 [1b36:0002] serial: serial -> vfio-pci" \
		"03.3 taken from the built-in serial driver"
	# udev never got to bind its modular drivers first: the binder ran
	# before coldplug.
	expect_eb_line "$1" "$2" "0000:00:03.1 [8086:293e] audio: no driver -> vfio-pci" \
		"03.1 bound before udev loaded snd_hda_intel"
	expect_eb_line "$1" "$2" "0000:00:03.2 [1b36:000d] usb: no driver -> vfio-pci" \
		"03.2 bound before udev loaded xhci_pci"
	expect_no_eb_line "$1" "$2" "^early-bind: error:" "no early-bind: error line"
	expect_guest_commands "$1" "$2" 0000:00:03.0=bochs-drm \
		0000:00:03.1=snd_hda_intel 0000:00:03.2=xhci_hcd 0000:00:03.3=serial
}
