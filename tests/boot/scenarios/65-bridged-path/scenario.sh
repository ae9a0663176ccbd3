# shellcheck shell=sh disable=SC2034 # SC_* are read by run-matrix.sh
# The bridged topology named by paths, not bus numbers: the slot behind
# root port 00:05.0 (guarded by its function 0, ich9-intel-hda 8086:293e),
# and a bus entry whose guard names that card at a bus it is not on: the
# boot refuses it and says where the card is, by its path. The kernel's
# own bridge registers (config space bytes 0x19-0x1a) lead the way.
SC_ABOUT="paths from root ports: 00:05.0/00 binds the card at 01:00; a bus entry's guard says where it went"
SC_DEVICES="$EB_IOMMU $EB_BRIDGED"
SC_CMDLINE="vfio.devices=00:05.0/00@8086:293e,02:00@8086:293e"

sc_expect() { # LABEL REPORT
	expect_driver "$1" "$2" 0000:01:00.0 vfio-pci
	expect_driver "$1" "$2" 0000:01:00.1 vfio-pci
	expect_driver "$1" "$2" 0000:02:01.0 '!vfio-pci'
	expect_driver "$1" "$2" 0000:02:02.0 '!vfio-pci'
	if eb_eb_lines "$2" | grep '^early-bind: error:' | grep -q "entry '02:00@8086:293e'.*is now at 0000:01:00.0.*vfio.devices=00:05.0/00@8086:293e"; then
		ok "$1: the bus entry's refusal says where the card is, by its path"
	else
		fail "$1: the bus entry's refusal says where the card is, by its path"
	fi
	expect_guest_commands "$1" "$2"
}
