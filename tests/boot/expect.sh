# shellcheck shell=sh
# The assertions the scenarios make on a guest's report (report.sh's
# format, read with lib.sh's queries): each prints one ok/FAIL line
# (tests/results.sh) labelled FLAVOUR/SCENARIO.  Sourced by run-matrix.sh.

# expect_driver LABEL REPORT ADDR WANT: ADDR is bound to WANT ("!X" = not X)
expect_driver() {
	ed_got=$(eb_driver "$2" "$3")
	case $4 in
	!*)
		if [ -n "$ed_got" ] && [ "$ed_got" != "${4#!}" ]; then
			ok "$1: $3 not on ${4#!} (driver $ed_got)"
		else
			fail "$1: $3 not on ${4#!} (driver ${ed_got:-<device missing>})"
		fi
		;;
	*)
		if [ "$ed_got" = "$4" ]; then
			ok "$1: $3 on $4"
		else
			fail "$1: $3 on $4 (driver ${ed_got:-<device missing>})"
		fi
		;;
	esac
}

# expect_eb_line LABEL REPORT FIXED-STRING DESCRIPTION
expect_eb_line() {
	if eb_eb_lines "$2" | grep -qF -- "$3"; then
		ok "$1: $4"
	else
		fail "$1: $4 (no early-bind: line containing '$3')"
	fi
}

expect_no_eb_line() {
	if eb_eb_lines "$2" | grep -qE -- "$3"; then
		fail "$1: $4 (found: $(eb_eb_lines "$2" | grep -E -- "$3" | head -n 1))"
	else
		ok "$1: $4"
	fi
}

expect_vfio_module() { # LABEL REPORT yes|no
	em_got=$(sed -n 's/^EBT vfio-module //p' "$2")
	if [ "$em_got" = "$3" ]; then
		ok "$1: /sys/module/vfio present: $3"
	else
		fail "$1: /sys/module/vfio present: $3 (report says '${em_got:-nothing}')"
	fi
}

expect_no_unknown_param() {
	if eb_kmsg "$2" | grep -q "unknown parameter"; then
		fail "$1: no 'unknown parameter' in the kernel log ($(eb_kmsg "$2" | grep "unknown parameter" | head -n 1))"
	else
		ok "$1: no 'unknown parameter' in the kernel log"
	fi
}

expect_none_on_vfio() {
	en_on=$(awk '$1 == "EBT" && $2 == "pci" && $6 == "vfio-pci" { printf "%s ", $3 }' "$2")
	if [ -z "$en_on" ]; then
		ok "$1: no function on vfio-pci"
	else
		fail "$1: no function on vfio-pci (on it: $en_on)"
	fi
}

# The drivers the host gives each function of the emulated card.
native_driver() {
	case $1 in
	0) echo bochs-drm ;;
	1) echo snd_hda_intel ;;
	2) echo xhci_hcd ;;
	3) echo serial ;;
	esac
}

expect_native_card() { # LABEL REPORT SLOT(03|04)
	for en_f in 0 1 2 3; do
		expect_driver "$1" "$2" "0000:00:$3.$en_f" "$(native_driver "$en_f")"
	done
}

# relay FILE [LABEL]: counts the ok/FAIL lines another checker wrote to
# FILE as this run's own, prefixed with "LABEL: ".
relay() {
	while IFS= read -r rl_line; do
		case $rl_line in
		"ok "*) ok "${2:+$2: }${rl_line#ok }" ;;
		"FAIL "*) fail "${2:+$2: }${rl_line#FAIL }" ;;
		esac
	done <"$1"
}

# expect_guest_commands LABEL REPORT [ADDR=DRIVER...]: what
# tests/commands/guest-checks.sh found in the guest (status, list, check,
# then release and bind at runtime), and each ADDR on DRIVER after release.
expect_guest_commands() {
	eg_label=$1
	shift
	sh "$EB_ROOT/tests/commands/guest-verify.sh" "$@" >"$EB_WORK/guest-verify.out" 2>&1
	relay "$EB_WORK/guest-verify.out" "$eg_label"
}

# expect_card_vfio LABEL REPORT SLOT: all four functions of the card at
# 00:SLOT are on vfio-pci.
expect_card_vfio() {
	for ev_f in 0 1 2 3; do
		expect_driver "$1" "$2" "0000:00:$3.$ev_f" vfio-pci
	done
}

# expect_iommu_refused LABEL REPORT: without a working IOMMU the binder
# binds nothing, every card keeps its drivers, and it says how to fix it.
expect_iommu_refused() {
	expect_none_on_vfio "$1" "$2"
	expect_native_card "$1" "$2" 03
	expect_native_card "$1" "$2" 04
	if eb_eb_lines "$2" | grep '^early-bind: error:' | grep -q 'intel_iommu=on'; then
		ok "$1: an early-bind: error line names the fix (intel_iommu=on)"
	else
		fail "$1: an early-bind: error line names the fix (intel_iommu=on)"
	fi
	expect_guest_commands "$1" "$2"
}

# expect_boot_reported LABEL NAME: the boot NAME (eb_boot) ended by itself
# and its report is complete, with every early-bind: line in it.  Returns 1
# when there is no report to look at.
expect_boot_reported() {
	eb_r=$EB_LOGS/$2.report
	if [ "$EB_BOOT_RC" -eq 124 ] || [ "$EB_BOOT_RC" -eq 137 ]; then
		fail "$1: VM powered off within ${EB_BOOT_TIMEOUT}s (killed; see $EB_LOGS/$2.console)"
	fi
	if eb_report_complete "$eb_r"; then
		ok "$1: boot reached the post-udev report (${EB_BOOT_SECS}s)"
	else
		fail "$1: boot reached the post-udev report (qemu rc $EB_BOOT_RC; see $EB_LOGS/$2.console)"
		return 1
	fi
	# The kernel rate-limits each open /dev/kmsg (10 lines per 5 s) and
	# drops the rest with "printk: COMM: N output lines suppressed".
	eb_lost=$(eb_kmsg "$eb_r" | grep 'early-bind: [0-9]* output lines suppressed' | head -n 1)
	if [ -n "$eb_lost" ]; then
		fail "$1: no early-bind: log line lost to /dev/kmsg rate limiting ($eb_lost)"
	else
		ok "$1: no early-bind: log line lost to /dev/kmsg rate limiting"
	fi
}

# expect_module_state LABEL REPORT NAME STATE: report.sh's "EBT module"
# record for NAME is STATE (builtin, live, absent).  A built-in module has a
# /sys/module/NAME (its parameters, its drivers) but no initstate.
expect_module_state() {
	ms_got=$(awk -v m="$3" '$1 == "EBT" && $2 == "module" && $3 == m { print $4; exit }' "$2")
	if [ "$ms_got" = "$4" ]; then
		ok "$1: module $3 is $4"
	else
		fail "$1: module $3 is $4 (report says '${ms_got:-nothing}')"
	fi
}

# expect_vfio_cdev LABEL REPORT ADDR: ADDR has a VFIO device file
# (/sys/bus/pci/devices/ADDR/vfio-dev/vfioN, CONFIG_VFIO_DEVICE_CDEV); sets
# EB_CDEV to its name.
expect_vfio_cdev() {
	EB_CDEV=$(awk -v a="$3" '$1 == "EBT" && $2 == "vfio-cdev" && $3 == a && $5 == "yes" { print $4; exit }' "$2")
	if [ -n "$EB_CDEV" ]; then
		ok "$1: $3 has the VFIO device file /dev/vfio/devices/$EB_CDEV"
	else
		fail "$1: $3 has a VFIO device file (no /dev/vfio/devices/vfioN for it)"
	fi
}
