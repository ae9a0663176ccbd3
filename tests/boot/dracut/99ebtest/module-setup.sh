#!/bin/bash
# shellcheck shell=bash
# TEST ONLY (tests/boot), never installed: dracut module that runs the boot
# test report once udev coldplug has settled, then powers off.
# inst_*, ln_r, dracut_module_included, $moddir, $initdir and
# $systemdsystemunitdir come from dracut.

# called by dracut
check() {
	# only when named with -m
	return 255
}

# called by dracut
depends() {
	return 0
}

# called by dracut
# shellcheck disable=SC2154 # moddir, initdir, systemdsystemunitdir: dracut's
install() {
	inst_multiple cat readlink dmesg sed sleep mkdir sync udevadm
	inst_simple "$moddir/report.sh" /usr/lib/ebtest/report.sh
	inst_simple "$moddir/guest-checks.sh" /usr/lib/ebtest/guest-checks.sh
	if dracut_module_included systemd-initrd; then
		# systemd initrd: a unit after coldplug was triggered (report.sh
		# settles itself), wanted by initrd.target.
		inst_simple "$moddir/ebtest-report.service" "$systemdsystemunitdir/ebtest-report.service"
		mkdir -p "$initdir$systemdsystemunitdir/initrd.target.wants"
		ln_r "$systemdsystemunitdir/ebtest-report.service" \
			"$systemdsystemunitdir/initrd.target.wants/ebtest-report.service"
	else
		# classic init: settled hooks run in the initqueue, right after
		# udevadm trigger + settle.
		inst_hook initqueue/settled 99 "$moddir/ebtest-settled.sh"
	fi
}
