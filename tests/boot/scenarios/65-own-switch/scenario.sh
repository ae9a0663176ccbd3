# shellcheck shell=sh disable=SC2034 # SC_* are read by run-matrix.sh
# A card whose display and USB sit on different buses behind bridges of the
# card's own vendor (as Intel Arc's GPU and audio sit behind its switch),
# itself behind a PCIe switch of another vendor: `list` offers one value
# for the whole card, the boot binds both functions from that value before
# udev, and no bridge or switch port is ever taken.
SC_ABOUT="a card on two buses behind its own bridges, behind a TI PCIe switch: the list's value binds all of it"
SC_DEVICES="$EB_IOMMU $EB_SWITCHED"
SC_VALUE="05:00@1b36:0100,06:00@1b36:000d"
SC_CMDLINE="vfio.devices=$SC_VALUE"

sc_expect() { # LABEL REPORT
	# The card's two functions, then the switch's ports and the card's bridges.
	for sc_f in 0000:05:00.0=vfio-pci 0000:06:00.0=vfio-pci 0000:01:00.0=!vfio-pci \
		0000:02:00.0=!vfio-pci 0000:03:00.0=!vfio-pci 0000:04:01.0=!vfio-pci \
		0000:04:02.0=!vfio-pci; do
		expect_driver "$1" "$2" "${sc_f%%=*}" "${sc_f#*=}"
	done
	# udev never got to bind xhci_pci first: the binder ran before coldplug.
	expect_eb_line "$1" "$2" "0000:06:00.0 [1b36:000d] usb: no driver -> vfio-pci" \
		"06:00.0, on the card's second bus, bound before udev loaded xhci_pci"
	expect_no_eb_line "$1" "$2" "^early-bind: error:" "no early-bind: error line"
	expect_no_eb_line "$1" "$2" "PCIe switch" "no warning that a function of the card is left out"
	# What `list --json` printed in the guest: the value booted with, the
	# card's own bridge as its switch, not the TI switch in front of it.
	sc_card=$(sed -n 's/^.*EBC out list-json //p' "$2" | python3 -c '
import json, sys
for card in json.load(sys.stdin)["cards"]:
    if card["slot"] == "0000:05:00":
        print(card["vfio_devices"], (card["own_switch"] or {}).get("upstream_port"),
              " ".join(f["address"] for f in card["functions"]))
' 2>&1)
	if [ "$sc_card" = "$SC_VALUE 0000:03:00.0 0000:05:00.0 0000:06:00.0" ]; then
		ok "$1: list in the guest offers $SC_VALUE for the card behind 0000:03:00.0"
	else
		fail "$1: list in the guest offers $SC_VALUE for the card behind 0000:03:00.0 (found: $sc_card)"
	fi
	expect_guest_commands "$1" "$2" 0000:06:00.0=xhci_hcd
}
