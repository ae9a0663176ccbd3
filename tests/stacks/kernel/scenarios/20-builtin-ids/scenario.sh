# shellcheck shell=sh disable=SC2034 # SC_* are read by run-matrix.sh
# The usual recipe's vfio-pci.ids= left on the kernel command line beside
# vfio.devices=00:03, on the Ubuntu-like kernel (tests/stacks/kernel). With
# vfio-pci built in, the kernel applies ids= itself when vfio-pci registers
# (an initcall, after the built-in 8250_pci took both serial functions and
# long before the initramfs): 00:03.0-2 and the host's identical 00:04.0-2
# are on vfio-pci before early-bind runs.  early-bind then finds 00:03.0-2
# already there, takes 00:03.3 from serial, and names 00:04.0-2 as taken by
# ids= (engine/idsreport.c), in the kernel log and in its state file.
SC_ABOUT="built-in vfio-pci with a leftover vfio-pci.ids=: the kernel takes both cards, early-bind names 00:04"
SC_DEVICES="$EB_IOMMU $EB_CARDS"
SC_IDS=1234:1111,8086:293e,1b36:000d
# no_timer_check: see builtin-bind-03.
SC_CMDLINE="vfio.devices=00:03 vfio-pci.ids=$SC_IDS no_timer_check"

sc_expect() { # LABEL REPORT
	# What really happens: ids= applied by the built-in driver.
	for sc_id in $(echo "$SC_IDS" | tr ',' ' '); do
		if eb_kmsg "$2" | grep -qF "vfio_pci: add [${sc_id}["; then
			ok "$1: the built-in vfio_pci added ID $sc_id from the command line"
		else
			fail "$1: the built-in vfio_pci added ID $sc_id from the command line"
		fi
	done
	expect_card_vfio "$1" "$2" 03
	for sc_f in 0 1 2; do
		expect_driver "$1" "$2" "0000:00:04.$sc_f" vfio-pci
	done
	expect_driver "$1" "$2" 0000:00:04.3 serial
	for sc_m in vfio vfio_pci vfio_iommu_type1; do
		expect_module_state "$1" "$2" "$sc_m" builtin
	done
	# What early-bind says about it.
	for sc_f in 0 1 2; do
		expect_eb_line "$1" "$2" "0000:00:03.$sc_f" "early-bind names 00:03.$sc_f"
	done
	expect_no_eb_line "$1" "$2" "0000:00:03\.[0-2] .*-> vfio-pci" \
		"00:03.0-2 were already on vfio-pci (ids=), early-bind rebound none of them"
	expect_eb_line "$1" "$2" "0000:00:03.3 [1b36:0002] serial: serial -> vfio-pci" \
		"03.3 taken from the built-in serial driver"
	expect_eb_line "$1" "$2" "vfio-pci.ids=$SC_IDS on the kernel command line makes vfio-pci also take" \
		"early-bind warns that ids= on the command line takes more"
	for sc_f in 0 1 2; do
		if eb_eb_lines "$2" | grep "also take" | grep -qF "0000:00:04.$sc_f"; then
			ok "$1: the warning names 0000:00:04.$sc_f"
		else
			fail "$1: the warning names 0000:00:04.$sc_f"
		fi
	done
	sc_rec=$(sed -n 's/^EBT state ids\t//p' "$2")
	case $sc_rec in
	*"$SC_IDS"*0000:00:04.0*0000:00:04.1*0000:00:04.2*)
		ok "$1: the state file records ids= and the functions it took" ;;
	*) fail "$1: the state file records ids= and the functions it took (ids record: '${sc_rec:-none}')" ;;
	esac
	expect_no_eb_line "$1" "$2" "^early-bind: error:" "no early-bind: error line"
}
