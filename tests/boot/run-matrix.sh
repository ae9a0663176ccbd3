#!/bin/sh
# Boot test matrix (`make check-boot`): builds an initramfs-tools image, a
# dracut systemd-initrd image and a dracut classic-init image from a staged
# `make install PREFIX=STAGE/usr`, checks what each image holds, then boots
# each one in QEMU (TCG, q35 + intel-iommu) through every scenario and
# asserts on the guest's report (tests/boot/report.sh).
#
# Usage: tests/boot/run-matrix.sh [-f "itools dsystemd dclassic"] [-s "SCENARIOS"]
#   scenarios: bind-03 none bad-entries no-iommu iommu-off bridged no-binary
#              cmdline-d (dracut only)
# Prints one "ok ..."/"FAIL ..." line per assertion, "# ..." notes, and last
# "N passed, M failed"; exits 1 on any failure.  QEMU logs: build/boot-logs/.
set -u

EB_TESTDIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/boot/lib.sh
. "$EB_TESTDIR/lib.sh"

FLAVOURS=${EB_FLAVOURS:-itools dsystemd dclassic}
SCENARIOS=${EB_SCENARIOS:-bind-03 none bad-entries no-iommu iommu-off bridged no-binary cmdline-d}
while getopts f:s: opt; do
	case $opt in
	f) FLAVOURS=$OPTARG ;;
	s) SCENARIOS=$OPTARG ;;
	*) echo "usage: $0 [-f FLAVOURS] [-s SCENARIOS]" >&2 && exit 2 ;;
	esac
done

TIMINGS=""
# shellcheck source=tests/results.sh
. "$EB_ROOT/tests/results.sh"

note() {
	echo "# $*"
}

finish() {
	if [ -n "$TIMINGS" ]; then
		note "timings (s):"
		printf '%s' "$TIMINGS" | sed 's/^/#   /'
	fi
	results_summary
	exit $?
}

timing() {
	TIMINGS="$TIMINGS$*
"
}

# --- preconditions ----------------------------------------------------------

for tool in qemu-system-x86_64 mkinitramfs unmkinitramfs dracut lsinitrd cpio zstd timeout; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		fail "precondition: $tool is installed (run tests/setup-debian.sh)"
	fi
done
[ "$failed" -eq 0 ] || finish
mkdir -p "$EB_LOGS" "$EB_WORK"

# The glue on the host first: seconds, and it explains boot failures.
glue_rc=0
sh "$EB_TESTDIR/glue-test.sh" >"$EB_WORK/glue-test.out" 2>&1 || glue_rc=$?
if [ "$glue_rc" -ne 0 ] && ! grep -q '^FAIL ' "$EB_WORK/glue-test.out"; then
	fail "glue: glue-test.sh ran to its end (status $glue_rc, see $EB_WORK/glue-test.out)"
fi
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok }" ;;
	"FAIL "*) fail "${line#FAIL }" ;;
	esac
done <"$EB_WORK/glue-test.out"

eb_pick_kernel
note "kernel $EB_KVER, logs in $EB_LOGS"

# A copy installed on the host itself would be picked up by every
# mkinitramfs run (/usr/share/initramfs-tools/hooks is always used) and
# would shadow the staged binary; the cmp assertions below would catch it.
if [ -e /usr/share/initramfs-tools/hooks/early-bind ]; then
	note "warning: /usr/share/initramfs-tools/hooks/early-bind exists on this host; initramfs-tools images will also run it"
fi

STAGE=$EB_WORK/stage
if ! eb_stage "$STAGE"; then
	fail "stage: make install PREFIX=$STAGE/usr"
	finish
fi
note "staged with $EB_STAGED_BY in $STAGE"
if [ -x "$STAGE/usr/sbin/early-bind" ]; then
	ok "stage: $STAGE/usr/sbin/early-bind installed"
else
	fail "stage: $STAGE/usr/sbin/early-bind installed (is build/early-bind built?)"
fi

# A second stage without the binary, for the no-binary scenario (its own
# install: the hooks carry the absolute paths of their stage).
NOBIN_STAGE=$EB_WORK/stage-nobin
eb_stage "$NOBIN_STAGE" || fail "stage: second stage for no-binary"
rm -f "$NOBIN_STAGE/usr/sbin/early-bind"

# --- assertions --------------------------------------------------------------

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

# expect_guest_commands LABEL REPORT [ADDR=DRIVER...]: what
# tests/commands/guest-checks.sh found in the guest (status, list, check,
# then release and bind at runtime), and each ADDR on DRIVER after release.
expect_guest_commands() {
	eg_label=$1
	shift
	sh "$EB_ROOT/tests/commands/guest-verify.sh" "$@" >"$EB_WORK/guest-verify.out" 2>&1
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "$eg_label: ${line#ok }" ;;
		"FAIL "*) fail "$eg_label: ${line#FAIL }" ;;
		esac
	done <"$EB_WORK/guest-verify.out"
}

# --- image checks --------------------------------------------------------------

# inspect_image FLAVOUR IMAGE STAGE: what the image holds, and that the
# binary runs there.
inspect_image() {
	ii_fl=$1 ii_img=$2 ii_stage=$3
	ii_dir=$EB_WORK/unpacked-$ii_fl
	rm -rf "$ii_dir"
	mkdir -p "$ii_dir"
	case $ii_fl in
	itools)
		unmkinitramfs "$ii_img" "$ii_dir" >/dev/null 2>&1
		[ -d "$ii_dir/main" ] && ii_dir=$ii_dir/main
		;;
	*)
		(cd "$ii_dir" && lsinitrd --unpack "$ii_img") >/dev/null 2>&1
		;;
	esac
	if [ -f "$ii_dir/usr/sbin/early-bind" ] && [ -x "$ii_dir/usr/sbin/early-bind" ]; then
		ok "$ii_fl image: /usr/sbin/early-bind present"
	else
		fail "$ii_fl image: /usr/sbin/early-bind present"
	fi
	if cmp -s "$ii_dir/usr/sbin/early-bind" "$ii_stage/usr/sbin/early-bind"; then
		ok "$ii_fl image: /usr/sbin/early-bind is the staged binary"
	else
		fail "$ii_fl image: /usr/sbin/early-bind is the staged binary"
	fi
	if [ -f "$ii_dir/usr/lib/early-bind/early-bind-boot.sh" ]; then
		ok "$ii_fl image: /usr/lib/early-bind/early-bind-boot.sh present"
	else
		fail "$ii_fl image: /usr/lib/early-bind/early-bind-boot.sh present"
	fi
	for ii_mod in vfio-pci vfio vfio-pci-core vfio_iommu_type1 irqbypass \
		bochs snd-hda-intel xhci-pci; do
		if [ -n "$(find "$ii_dir" -name "$ii_mod.ko*" | head -n 1)" ]; then
			ok "$ii_fl image: $ii_mod.ko present"
		else
			fail "$ii_fl image: $ii_mod.ko present"
		fi
	done
	# Run it inside the image's own root: proves it needs nothing the
	# image lacks (static, no loader, no libraries).
	if ii_out=$(chroot "$ii_dir" /usr/sbin/early-bind --help 2>&1) &&
		printf '%s\n' "$ii_out" | grep -q 'vfio.devices='; then
		ok "$ii_fl image: chroot IMAGE /usr/sbin/early-bind --help runs"
	else
		fail "$ii_fl image: chroot IMAGE /usr/sbin/early-bind --help runs ($(printf '%s' "$ii_out" | head -n 2))"
	fi
	case $ii_fl in
	itools)
		ii_order=$ii_dir/scripts/init-top/ORDER
		ii_eb=$(grep -n '/scripts/init-top/early-bind' "$ii_order" 2>/dev/null | head -n 1 | cut -d: -f1)
		ii_udev=$(grep -n '/scripts/init-top/udev' "$ii_order" 2>/dev/null | head -n 1 | cut -d: -f1)
		if [ -n "$ii_eb" ] && [ -n "$ii_udev" ] && [ "$ii_eb" -lt "$ii_udev" ]; then
			ok "$ii_fl image: scripts/init-top/ORDER runs early-bind before udev"
		else
			fail "$ii_fl image: scripts/init-top/ORDER runs early-bind before udev ($(tr '\n' ' ' <"$ii_order" 2>/dev/null))"
		fi
		;;
	dsystemd | dclassic)
		if [ -n "$(find "$ii_dir/lib/dracut/hooks/pre-udev/" "$ii_dir/var/lib/dracut/hooks/pre-udev/" -name '*early-bind*' 2>/dev/null | head -n 1)" ]; then
			ok "$ii_fl image: pre-udev hook installed"
		else
			fail "$ii_fl image: pre-udev hook installed"
		fi
		;;
	esac
	if [ "$ii_fl" = dsystemd ]; then
		if [ -n "$(find "$ii_dir" -name dracut-pre-udev.service | head -n 1)" ] &&
			[ -n "$(find "$ii_dir" -name systemd -path '*/lib/systemd/systemd' | head -n 1)" ]; then
			ok "$ii_fl image: systemd initrd with dracut-pre-udev.service"
		else
			fail "$ii_fl image: systemd initrd with dracut-pre-udev.service"
		fi
	fi
	if [ "$ii_fl" = dclassic ]; then
		if [ -z "$(find "$ii_dir" -path '*/lib/systemd/systemd' | head -n 1)" ]; then
			ok "$ii_fl image: classic init (no systemd)"
		else
			fail "$ii_fl image: classic init (no systemd)"
		fi
	fi
}

# --- scenarios ---------------------------------------------------------------

# boot_scenario FLAVOUR SCENARIO IMAGE: boot, then assert.
# shellcheck disable=SC2086 # the QEMU device lists are split on purpose
boot_scenario() {
	bs_fl=$1 bs_sc=$2 bs_img=$3
	bs_label="$bs_fl/$bs_sc"
	bs_base=$(eb_flavour_cmdline "$bs_fl")
	case $bs_sc in
	bind-03) eb_boot "$bs_img" "$bs_fl-$bs_sc" "$bs_base vfio.devices=00:03" $EB_IOMMU $EB_CARDS ;;
	none) eb_boot "$bs_img" "$bs_fl-$bs_sc" "$bs_base" $EB_IOMMU $EB_CARDS ;;
	bad-entries) eb_boot "$bs_img" "$bs_fl-$bs_sc" "$bs_base vfio.devices=zz:00,00:03,00:1f.5,00:04@1234:5678" $EB_IOMMU $EB_CARDS ;;
	no-iommu) eb_boot "$bs_img" "$bs_fl-$bs_sc" "$bs_base vfio.devices=00:03" $EB_CARDS ;;
	iommu-off) eb_boot "$bs_img" "$bs_fl-$bs_sc" "$bs_base vfio.devices=00:03 intel_iommu=off" $EB_IOMMU $EB_CARDS ;;
	bridged) eb_boot "$bs_img" "$bs_fl-$bs_sc" "$bs_base vfio.devices=01:00,02:01" $EB_IOMMU $EB_BRIDGED ;;
	no-binary) eb_boot "$bs_img" "$bs_fl-$bs_sc" "$bs_base vfio.devices=00:03" $EB_IOMMU $EB_CARDS ;;
	# vfio.devices= only in the image's /etc/cmdline.d (dracut only).
	cmdline-d) eb_boot "$bs_img" "$bs_fl-$bs_sc" "$bs_base" $EB_IOMMU $EB_CARDS ;;
	*)
		fail "$bs_label: unknown scenario"
		return
		;;
	esac
	timing "boot $bs_label: $EB_BOOT_SECS"
	bs_r=$EB_LOGS/$bs_fl-$bs_sc.report
	if [ "$EB_BOOT_RC" -eq 124 ] || [ "$EB_BOOT_RC" -eq 137 ]; then
		fail "$bs_label: VM powered off within ${EB_BOOT_TIMEOUT}s (killed; see $EB_LOGS/$bs_fl-$bs_sc.console)"
	fi
	if eb_report_complete "$bs_r"; then
		ok "$bs_label: boot reached the post-udev report (${EB_BOOT_SECS}s)"
	else
		fail "$bs_label: boot reached the post-udev report (qemu rc $EB_BOOT_RC; see $EB_LOGS/$bs_fl-$bs_sc.console)"
		return
	fi
	# The kernel rate-limits each open /dev/kmsg (10 lines per 5 s) and
	# drops the rest with "printk: COMM: N output lines suppressed".
	if eb_kmsg "$bs_r" | grep -q 'early-bind: [0-9]* output lines suppressed'; then
		fail "$bs_label: no early-bind: log line lost to /dev/kmsg rate limiting ($(eb_kmsg "$bs_r" | grep 'early-bind: [0-9]* output lines suppressed' | head -n 1))"
	else
		ok "$bs_label: no early-bind: log line lost to /dev/kmsg rate limiting"
	fi
	case $bs_sc in
	bind-03)
		for f in 0 1 2 3; do
			expect_driver "$bs_label" "$bs_r" "0000:00:03.$f" vfio-pci
		done
		expect_native_card "$bs_label" "$bs_r" 04
		expect_no_unknown_param "$bs_label" "$bs_r"
		expect_vfio_module "$bs_label" "$bs_r" yes
		# The card's own IOMMU group, not shared with the host's card.
		g3=$(eb_pci_field "$bs_r" 0000:00:03.0 7)
		g4=$(eb_pci_field "$bs_r" 0000:00:04.0 7)
		gs=$(for f in 0 1 2 3; do eb_pci_field "$bs_r" "0000:00:03.$f" 7; done | sort -u | tr '\n' ' ')
		if [ "$gs" = "$g3 " ] && [ "$g3" != none ] && [ "$g3" != "$g4" ]; then
			ok "$bs_label: 00:03.0-3 share IOMMU group $g3, 00:04 is in group $g4"
		else
			fail "$bs_label: 00:03.0-3 share one IOMMU group apart from 00:04 (03: $gs, 04: $g4)"
		fi
		# Taken from the built-in serial driver, which bound before the
		# initramfs started.
		expect_eb_line "$bs_label" "$bs_r" "0000:00:03.3 [1b36:0002] serial: serial -> vfio-pci" \
			"03.3 taken from the built-in serial driver"
		# udev never got to bind its modular drivers first: the binder
		# ran before coldplug.
		expect_eb_line "$bs_label" "$bs_r" "0000:00:03.1 [8086:293e] audio: none -> vfio-pci" \
			"03.1 bound before udev loaded snd_hda_intel"
		expect_eb_line "$bs_label" "$bs_r" "0000:00:03.2 [1b36:000d] usb: none -> vfio-pci" \
			"03.2 bound before udev loaded xhci_pci"
		expect_no_eb_line "$bs_label" "$bs_r" "^early-bind: error:" "no early-bind: error line"
		expect_guest_commands "$bs_label" "$bs_r" 0000:00:03.0=bochs-drm \
			0000:00:03.1=snd_hda_intel 0000:00:03.2=xhci_hcd 0000:00:03.3=serial
		;;
	none)
		expect_none_on_vfio "$bs_label" "$bs_r"
		expect_vfio_module "$bs_label" "$bs_r" no
		expect_native_card "$bs_label" "$bs_r" 03
		expect_native_card "$bs_label" "$bs_r" 04
		expect_no_eb_line "$bs_label" "$bs_r" "^early-bind: (error|warning):" "no early-bind: error or warning line"
		expect_guest_commands "$bs_label" "$bs_r"
		;;
	bad-entries)
		for f in 0 1 2 3; do
			expect_driver "$bs_label" "$bs_r" "0000:00:03.$f" vfio-pci
		done
		expect_native_card "$bs_label" "$bs_r" 04
		expect_eb_line "$bs_label" "$bs_r" "'zz:00'" "bad entry zz:00 named in a log line"
		expect_eb_line "$bs_label" "$bs_r" "'00:1f.5'" "bad entry 00:1f.5 (no such device) named in a log line"
		expect_eb_line "$bs_label" "$bs_r" "'00:04@1234:5678'" "bad entry 00:04@1234:5678 (guard mismatch) named in a log line"
		expect_guest_commands "$bs_label" "$bs_r"
		;;
	no-iommu | iommu-off)
		expect_none_on_vfio "$bs_label" "$bs_r"
		expect_native_card "$bs_label" "$bs_r" 03
		expect_native_card "$bs_label" "$bs_r" 04
		if eb_eb_lines "$bs_r" | grep '^early-bind: error:' | grep -q 'intel_iommu=on'; then
			ok "$bs_label: an early-bind: error line names the fix (intel_iommu=on)"
		else
			fail "$bs_label: an early-bind: error line names the fix (intel_iommu=on)"
		fi
		expect_guest_commands "$bs_label" "$bs_r"
		;;
	bridged)
		expect_driver "$bs_label" "$bs_r" 0000:01:00.0 vfio-pci
		expect_driver "$bs_label" "$bs_r" 0000:01:00.1 vfio-pci
		gb1=$(eb_pci_field "$bs_r" 0000:02:01.0 7)
		gb2=$(eb_pci_field "$bs_r" 0000:02:02.0 7)
		if [ -n "$gb1" ] && [ "$gb1" != none ] && [ "$gb1" = "$gb2" ]; then
			ok "$bs_label: 02:01.0 and 02:02.0 share IOMMU group $gb1 (topology as intended)"
		else
			fail "$bs_label: 02:01.0 and 02:02.0 share an IOMMU group (groups '$gb1' and '$gb2')"
		fi
		if eb_eb_lines "$bs_r" | grep '^early-bind: warning:' | grep -q '0000:02:02.0'; then
			ok "$bs_label: a warning names the unrequested group member 0000:02:02.0"
		else
			fail "$bs_label: a warning names the unrequested group member 0000:02:02.0"
		fi
		expect_driver "$bs_label" "$bs_r" 0000:02:02.0 '!vfio-pci'
		note "$bs_label: requested 0000:02:01.0 ended on $(eb_driver "$bs_r" 0000:02:01.0)"
		expect_guest_commands "$bs_label" "$bs_r"
		;;
	cmdline-d)
		for f in 0 1 2 3; do
			expect_driver "$bs_label" "$bs_r" "0000:00:03.$f" vfio-pci
		done
		expect_native_card "$bs_label" "$bs_r" 04
		if grep -q '^EBT cmdline .*vfio.devices' "$bs_r"; then
			fail "$bs_label: vfio.devices= absent from /proc/cmdline (test setup)"
		else
			ok "$bs_label: vfio.devices= absent from /proc/cmdline, read from /etc/cmdline.d"
		fi
		expect_guest_commands "$bs_label" "$bs_r"
		;;
	no-binary)
		expect_none_on_vfio "$bs_label" "$bs_r"
		expect_native_card "$bs_label" "$bs_r" 03
		expect_eb_line "$bs_label" "$bs_r" "early-bind: error: /usr/sbin/early-bind is missing" \
			"the glue logs the missing binary"
		;;
	esac
}

# --- main ----------------------------------------------------------------------

for fl in $FLAVOURS; do
	img=$EB_WORK/$fl.img
	if eb_build "$fl" "$STAGE" "$img"; then
		ok "$fl: image built ($(stat -c %s "$img") bytes, ${EB_BUILD_SECS}s)"
		timing "build $fl: $EB_BUILD_SECS"
	else
		fail "$fl: image built (see $EB_BUILD_LOG)"
		continue
	fi
	inspect_image "$fl" "$img" "$STAGE"
	if [ "$fl" = dclassic ]; then
		# Host-only mode drops modules that match no device of the build
		# host; installkernel() must keep vfio-pci and its softdeps.
		ho_img=$EB_WORK/$fl-hostonly.img
		if EB_DRACUT_HOSTONLY=1 eb_build "$fl" "$STAGE" "$ho_img" with hostonly; then
			timing "build $fl (host-only): $EB_BUILD_SECS"
			ho_list=$(lsinitrd "$ho_img" 2>/dev/null)
			for m in vfio-pci vfio_iommu_type1 early-bind; do
				if printf '%s\n' "$ho_list" | grep -qE "/$m(\.ko.*)?\$"; then
					ok "$fl/hostonly: host-only image keeps $m"
				else
					fail "$fl/hostonly: host-only image keeps $m"
				fi
			done
		else
			fail "$fl/hostonly: host-only image builds (see $EB_BUILD_LOG)"
		fi
	fi
	for sc in $SCENARIOS; do
		if [ "$sc" = no-binary ]; then
			nb_img=$EB_WORK/$fl-nobin.img
			if eb_build "$fl" "$NOBIN_STAGE" "$nb_img" with nobin; then
				ok "$fl/no-binary: image without the binary still builds"
				timing "build $fl (no binary): $EB_BUILD_SECS"
				if grep -q 'early-bind.*not found' "$EB_BUILD_LOG"; then
					ok "$fl/no-binary: the build warns that the binary is missing"
				else
					fail "$fl/no-binary: the build warns that the binary is missing"
				fi
				boot_scenario "$fl" "$sc" "$nb_img"
			else
				fail "$fl/no-binary: image without the binary still builds (see $EB_BUILD_LOG)"
			fi
			continue
		fi
		if [ "$sc" = cmdline-d ]; then
			if [ "$fl" = itools ]; then
				note "$fl/cmdline-d: skipped (initramfs-tools has no /etc/cmdline.d)"
				continue
			fi
			cd_img=$EB_WORK/$fl-cmdline-d.img
			# --kernel-cmdline writes /etc/cmdline.d/01-default.conf.
			if EB_DRACUT_ARGS="--kernel-cmdline vfio.devices=00:03" \
				eb_build "$fl" "$STAGE" "$cd_img" with cmdline-d; then
				ok "$fl/cmdline-d: image with vfio.devices= in /etc/cmdline.d builds"
				timing "build $fl (cmdline.d): $EB_BUILD_SECS"
				boot_scenario "$fl" "$sc" "$cd_img"
			else
				fail "$fl/cmdline-d: image with vfio.devices= in /etc/cmdline.d builds (see $EB_BUILD_LOG)"
			fi
			continue
		fi
		boot_scenario "$fl" "$sc" "$img"
	done
done

finish
