# shellcheck shell=sh
# shellcheck disable=SC2034 # EB_* device sets and results are read by the sourcing scripts
# The one QEMU launcher of the tests (boot matrix, demo.sh, measure.sh and
# tests/bootmenu): every VM is the same machine, a q35 under TCG with the
# split irqchip the vIOMMU's interrupt remapping needs, 512 MiB (EB_MEM
# MiB if set), no default devices, no display, no reboot (the guest's
# power-off or panic ends QEMU).
# Two serial ports: ttyS0 for the firmware, boot loader and kernel console,
# ttyS1 for the test report only, so no console output can interleave with
# it.  Sourced after lib.sh (EB_LOGS, EB_BOOT_TIMEOUT).

# QEMU device sets.  The IOMMU must come before the PCI devices.
EB_IOMMU="-device intel-iommu,intremap=on"
# Two 4-function cards: the one to pass through at 03, the host's at 04.
EB_CARDS="-device VGA,addr=03.0,multifunction=on -device ich9-intel-hda,addr=03.1 -device qemu-xhci,addr=03.2 -device pci-serial,addr=03.3 -device VGA,addr=04.0,multifunction=on -device ich9-intel-hda,addr=04.1 -device qemu-xhci,addr=04.2 -device pci-serial,addr=04.3"
# A 2-function card behind a PCIe root port (bus 01), and a conventional
# PCI-PCI bridge (bus 02) whose devices share one IOMMU group with it.
EB_BRIDGED="-device pcie-root-port,id=rp1,bus=pcie.0,addr=05.0,chassis=1 -device ich9-intel-hda,bus=rp1,addr=00.0,multifunction=on -device qemu-xhci,bus=rp1,addr=00.1 -device pci-bridge,id=br1,bus=pcie.0,addr=06.0,chassis_nr=2 -device pci-serial,bus=br1,addr=01.0 -device qemu-xhci,bus=br1,addr=02.0"
# A card whose functions sit on two buses behind a bridge of the card's own
# vendor (Red Hat, 1b36: a PCIe-to-PCI bridge, two PCI bridges, a qxl
# display at 05:00.0 and a USB controller at 06:00.0), the way Intel Arc's
# switch holds its GPU and audio, itself behind a TI X3130 PCIe switch
# (01:00.0 upstream, 02:00.0 downstream), whose vendor is not the card's.
# QEMU has no switch port with a display's vendor, nor a vendor ID setting.
EB_SWITCHED="-device pcie-root-port,id=rps,bus=pcie.0,addr=07.0,chassis=7 -device x3130-upstream,id=ups,bus=rps,addr=00.0 -device xio3130-downstream,id=dns,bus=ups,addr=00.0,chassis=8,slot=0 -device pcie-pci-bridge,id=cpb,bus=dns,addr=00.0 -device pci-bridge,id=cb1,bus=cpb,addr=01.0,chassis_nr=9 -device pci-bridge,id=cb2,bus=cpb,addr=02.0,chassis_nr=10 -device qxl,bus=cb1,addr=00.0 -device qemu-xhci,bus=cb2,addr=00.0"

# eb_qemu NAME QEMU-ARGS...: runs one VM for at most EB_BOOT_TIMEOUT
# seconds; console -> $EB_LOGS/NAME.console, report -> $EB_LOGS/NAME.report,
# QEMU's own output -> $EB_LOGS/NAME.qemu.  Sets EB_BOOT_SECS and
# EB_BOOT_RC (124 = hard timeout, 137 = killed after it).
eb_qemu() {
	eq_name=$1
	shift
	rm -f "$EB_LOGS/$eq_name.console" "$EB_LOGS/$eq_name.report"
	eq_t0=$(date +%s)
	timeout --kill-after=10 "$EB_BOOT_TIMEOUT" qemu-system-x86_64 \
		-accel tcg -M q35,kernel-irqchip=split -m "${EB_MEM:-512}" \
		-nodefaults -display none -no-reboot \
		-serial "file:$EB_LOGS/$eq_name.console" \
		-serial "file:$EB_LOGS/$eq_name.report" \
		"$@" </dev/null >"$EB_LOGS/$eq_name.qemu" 2>&1
	EB_BOOT_RC=$?
	EB_BOOT_SECS=$(($(date +%s) - eq_t0))
	# The guest's ttys add \r, and boot loaders colour their menus: drop
	# both once here so that the tests can grep plain lines.
	for eq_f in "$EB_LOGS/$eq_name.report" "$EB_LOGS/$eq_name.console"; do
		[ -f "$eq_f" ] || continue
		tr -d '\r' <"$eq_f" | sed 's/\x1b\[[0-9;?=]*[A-Za-z]//g' >"$eq_f.tmp" &&
			mv "$eq_f.tmp" "$eq_f"
	done
}

# eb_boot IMAGE NAME "CMDLINE" QEMU-DEVICE-ARGS...: boots EB_KERNEL (see
# eb_pick_kernel) straight into the initramfs IMAGE, through eb_qemu.
eb_boot() {
	eb_img=$1 eb_name=$2 eb_cmd=$3
	shift 3
	eb_qemu "$eb_name" -kernel "$EB_KERNEL" -initrd "$eb_img" -append "$eb_cmd" "$@"
}
