# shellcheck shell=sh disable=SC2034 # SC_* are read by run-matrix.sh
# A card behind a PCIe root port (bus 01), and a device behind a
# conventional PCI bridge (bus 02) that shares its IOMMU group with a
# device nobody asked for: the binder warns about the unrequested member
# and leaves it alone.
SC_ABOUT="card behind a root port at bus 01, a bridge's shared IOMMU group at bus 02"
SC_DEVICES="$EB_IOMMU $EB_BRIDGED"
SC_CMDLINE="vfio.devices=01:00,02:01"

sc_expect() { # LABEL REPORT
	expect_driver "$1" "$2" 0000:01:00.0 vfio-pci
	expect_driver "$1" "$2" 0000:01:00.1 vfio-pci
	sc_gb1=$(eb_pci_field "$2" 0000:02:01.0 7)
	sc_gb2=$(eb_pci_field "$2" 0000:02:02.0 7)
	if [ -n "$sc_gb1" ] && [ "$sc_gb1" != none ] && [ "$sc_gb1" = "$sc_gb2" ]; then
		ok "$1: 02:01.0 and 02:02.0 share IOMMU group $sc_gb1 (topology as intended)"
	else
		fail "$1: 02:01.0 and 02:02.0 share an IOMMU group (groups '$sc_gb1' and '$sc_gb2')"
	fi
	if eb_eb_lines "$2" | grep '^early-bind: warning:' | grep -q '0000:02:02.0'; then
		ok "$1: a warning names the unrequested group member 0000:02:02.0"
	else
		fail "$1: a warning names the unrequested group member 0000:02:02.0"
	fi
	expect_driver "$1" "$2" 0000:02:02.0 '!vfio-pci'
	note "$1: requested 0000:02:01.0 ended on $(eb_driver "$2" 0000:02:01.0)"
	expect_guest_commands "$1" "$2"
}
