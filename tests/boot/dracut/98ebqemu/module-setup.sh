#!/bin/bash
# shellcheck shell=bash
# TEST ONLY (tests/boot), never installed, and only in the nested-vm
# scenario's image: a real QEMU with its shared libraries (inst_binary), the
# firmware it loads even paused (-S), the tools nested-vm.sh uses, and the
# script itself (copied beside this file by tests/boot/lib.sh).

# called by dracut
check() {
	# only when named with -m
	return 255
}

# called by dracut
depends() {
	echo ebtest
	return 0
}

# called by dracut
# shellcheck disable=SC2154 # moddir: dracut's
install() {
	inst_binary /usr/bin/qemu-system-x86_64
	# TCG itself is a loadable module of Debian 12's QEMU (7.2); QEMU 10
	# (Debian 13 on) has it built in.
	local tcg=/usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so
	[[ ! -e $tcg ]] || inst_library "$tcg"
	inst_multiple awk tr timeout
	inst_simple /usr/share/seabios/bios-256k.bin
	inst_simple /usr/share/qemu/kvmvapic.bin
	inst_simple "$moddir/nested-vm.sh" /usr/lib/ebtest/nested-vm.sh
}
